//! Pieces of the application shell used on every page.

pub mod header;
pub mod icons;
pub mod locale_switcher;
pub mod sidebar;
pub mod theme_toggle;
