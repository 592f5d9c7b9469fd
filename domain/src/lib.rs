//! motcua-domain: the rulebook and the words of the one-stop counter.
//!
//! Pure: no file, clock, database, network or window. Time, the calendar
//! and ids are passed in as values. The counter (`motcua`) and the
//! provincial hub (`motcua-hub`) both build on this crate, so they apply the
//! same rules by calling the same functions:
//! - [`dossier`]: the dossier, its events, [`dossier::rules::decide`] (every
//!   rule of every clerk or province action) and [`dossier::Dossier::apply`]
//!   (the fold, which re-checks each event by the same rules);
//! - [`calendar`], [`catalog`], [`citizen_id`], [`code`], [`office`];
//! - [`wire`] (the sync protocol), [`figures`] (report rules), [`dvcqg`]
//!   (the national portal's record);
//! - [`messages`] (every Vietnamese sentence, once), [`text`], [`vntime`].

pub mod accounts;
pub mod calendar;
pub mod catalog;
pub mod chain;
pub mod citizen_id;
pub mod code;
pub mod dossier;
pub mod dvcqg;
pub mod error;
pub mod figures;
pub mod form_texts;
pub mod forms;
pub mod messages;
pub mod office;
pub mod text;
pub mod vntime;
pub mod wire;

pub use error::{Error, Result};
