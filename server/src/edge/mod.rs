//! The HTTP edge of identity: who is asking (session cookie or bearer
//! token → `Actor`), whether a cookie-carrying request really comes from
//! our own pages (CSRF), no credentials in URLs, and the security headers
//! on every response.

pub mod actor;
pub mod cookie;
pub mod csrf;
pub mod limits;
pub mod security_headers;
pub mod url_credentials;
