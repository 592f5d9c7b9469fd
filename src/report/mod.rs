//! Registers and figures built from the dossiers: the tracking book now;
//! the indicators of Decision 766 come with the reporting issue.

pub mod book;
