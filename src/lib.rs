//! Journeymap: customer journey maps, checked against real event data.
//!
//! Layers, each depending only on those before it in this list:
//! `model` (plain data, the file format) · `edit` (commands, undo) ·
//! `analysis` (pure functions over events) · `store` (SQLite, CSV import) ·
//! `layout` (geometry of a map) · `export` (pictures and reports drawn from
//! the layout) · `cli` and `ui` (entry points).
//! Only `ui` knows egui; only `store` knows SQL.

pub mod analysis;
pub mod atomic;
pub mod cli;
pub mod edit;
pub mod export;
pub mod layout;
pub mod model;
pub mod recovery;
pub mod store;
pub mod ui;
