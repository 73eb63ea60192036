//! The journey map as plain data: types, ids, the file format, validation and
//! funnel templates. Nothing here knows about the UI or the database.

mod color;
pub mod format;
pub mod generate;
pub mod idea;
mod ids;
mod map;
pub mod templates;
pub mod text;
pub mod validate;

pub use color::Rgb;
pub use idea::{Idea, IdeaKind, IdeaRef};
pub use ids::*;
pub use map::*;
