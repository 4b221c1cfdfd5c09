//! Data sources: the embedded main database and external ones, their
//! collections, and the records in them.

pub mod collections;
pub mod definitions;
pub mod designer;
mod diff;
pub mod records;
pub mod registry;
pub mod settings;
pub mod sources;
pub mod tables;

pub use definitions::MAIN;
pub use registry::DataSources;
