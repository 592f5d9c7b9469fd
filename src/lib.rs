//! motcua core: everything the one-stop counter does that is not a window.
//!
//! The Tauri shell (`src-tauri/`) and the CLI (`src/bin/motcua.rs`) are thin
//! front-ends over [`desk::Desk`], which owns an opened data folder.

pub mod calendar;
pub mod catalog;
pub mod citizen_id;
pub mod code;
pub mod demo;
pub mod desk;
pub mod dossier;
pub mod error;
pub mod messages;
pub mod office;
pub mod print;
pub mod report;
pub mod store;
pub mod sync;
pub mod text;
pub mod vntime;

pub use error::{Error, Result};
