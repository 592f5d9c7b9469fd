//! Registers and figures built from the dossiers: the tracking book, and the
//! period's figures (Biểu 06, Decision 766 indicators) with their exports.

pub mod book;
pub mod figures;
pub mod table;
