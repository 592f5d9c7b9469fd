//! motcua core: everything the one-stop counter does that is not a window.
//!
//! The Tauri shell (`src-tauri/`) and the CLI (`src/bin/motcua.rs`) are thin
//! front-ends over [`desk::Desk`], which owns an opened data folder.

pub mod demo;
pub mod desk;
pub mod error;
pub mod files;
pub mod keys;
pub mod print;
pub mod report;
pub mod store;
pub mod sync;

// The rulebook and the words live in the domain crate, shared with the hub.
pub use motcua_domain::{
    accounts, calendar, catalog, chain, citizen_id, code, dossier, form_texts, forms, messages, office, text, vntime,
};

pub use error::{Error, Result};
