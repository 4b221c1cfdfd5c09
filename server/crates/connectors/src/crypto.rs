//! One TLS crypto provider for the whole process. sqlx uses rustls with
//! ring; tiberius's rustls backend also builds aws-lc-rs, and with both in
//! the build rustls no longer picks a default by itself, so code that asks
//! for the default (sqlx's `verify-ca` certificate check does) would panic.
//! Installing ring settles it; tiberius takes the installed default too.

/// Safe to call any number of times: a provider installed earlier stays.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
