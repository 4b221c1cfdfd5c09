//! One module per page (a folder for areas with several).

pub mod api_keys;
pub mod audit;
pub mod collections;
pub mod data;
pub mod data_sources;
pub mod home;
pub mod not_found;
pub mod profile;
pub mod roles;
pub mod setup;
pub mod sign_in;
pub mod status;
pub mod users;
