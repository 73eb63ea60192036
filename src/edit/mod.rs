//! Editing: every change to a map is an `Edit` applied through a `Document`,
//! which keeps the undo history. No UI here; the canvas and inspector build
//! edits with `ops` and hand them over.

mod command;
mod history;
pub mod ops;

pub use command::{Edit, Footprint, OutOfRange};
pub use history::Document;
