//! Pieces of the application shell used on every page.

pub mod form;
pub mod header;
pub mod icons;
pub mod locale_switcher;
pub mod page_title;
pub mod paging;
pub mod role_picker;
pub mod sidebar;
pub mod theme_toggle;
pub mod user_menu;
