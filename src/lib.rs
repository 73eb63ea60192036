//! Journeymap: customer journey maps, checked against real event data.
//!
//! Layers, each depending only on those above it in this list:
//! `model` (plain data and the file format) → `edit` (commands, undo) →
//! `layout` (geometry) →
//! `cli` and `ui` (entry points). Only `ui` knows egui.

pub mod atomic;
pub mod cli;
pub mod edit;
pub mod layout;
pub mod model;
pub mod ui;
