//! API keys as the settings page, the REST API and the core see them. Input
//! is parsed here once, so the form and `apiKeys:create` refuse the same
//! things with the same message.

use serde::{Deserialize, Serialize};

use super::fields::parse_label;
use super::{Rejection, RoleName};

const DAY_MS: i64 = 86_400_000;

/// What a key is called in lists and the audit log: 1–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyName(String);

impl ApiKeyName {
    pub fn parse(input: &str) -> Result<ApiKeyName, Rejection> {
        parse_label(input)
            .map(ApiKeyName)
            .ok_or(Rejection::ApiKeyNameInvalid)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A non-human user that owns keys. Named like a role (lowercase ASCII), so
/// the name alone finds the account again: its email is the reserved
/// `<name>@service.invalid`, which no mailbox can ever have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccountName(String);

impl ServiceAccountName {
    pub const DOMAIN: &'static str = "service.invalid";

    pub fn parse(input: &str) -> Result<ServiceAccountName, Rejection> {
        RoleName::parse(input)
            .map(|name| ServiceAccountName(name.as_str().to_owned()))
            .map_err(|_| Rejection::ServiceAccountNameInvalid)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn email(&self) -> String {
        format!("{}@{}", self.0, Self::DOMAIN)
    }
}

/// When a new key stops working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Never,
    /// Unix milliseconds.
    At(i64),
}

impl Expiry {
    /// NocoBase's `expiresIn` choices.
    pub const CHOICES: [&'static str; 5] = ["1d", "7d", "30d", "90d", "never"];

    /// NocoBase's body: `expiresIn` (one of `CHOICES`) or `expiresAt` (a
    /// date or date-time after `now_ms`); exactly one of them.
    pub fn parse(
        expires_in: Option<&str>,
        expires_at: Option<&str>,
        now_ms: i64,
    ) -> Result<Expiry, Rejection> {
        let days = |d: i64| Ok(Expiry::At(now_ms.saturating_add(d * DAY_MS)));
        match (expires_in.map(str::trim), expires_at) {
            (Some("1d"), None) => days(1),
            (Some("7d"), None) => days(7),
            (Some("30d"), None) => days(30),
            (Some("90d"), None) => days(90),
            (Some("never"), None) => Ok(Expiry::Never),
            (None, Some(date)) => match crate::time::parse_datetime(date) {
                Some(at) if at > now_ms => Ok(Expiry::At(at)),
                _ => Err(Rejection::ApiKeyExpiryInvalid),
            },
            _ => Err(Rejection::ApiKeyExpiryInvalid),
        }
    }

    pub fn at(self) -> Option<i64> {
        match self {
            Expiry::Never => None,
            Expiry::At(at) => Some(at),
        }
    }
}

/// How long the secret replaced by a rotation keeps working, so clients can
/// switch over without an outage: 0 (none) up to seven days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationGrace(u64);

impl RotationGrace {
    pub const MAX_SECONDS: u64 = 7 * 24 * 3600;

    pub fn parse(seconds: Option<u64>) -> Result<RotationGrace, Rejection> {
        match seconds.unwrap_or(0) {
            s if s <= Self::MAX_SECONDS => Ok(RotationGrace(s)),
            _ => Err(Rejection::ApiKeyGraceInvalid),
        }
    }

    pub fn millis(self) -> i64 {
        i64::try_from(self.0).map_or(i64::MAX, |s| s * 1000)
    }

    pub fn seconds(self) -> u64 {
        self.0
    }
}

/// `role: {"name": …}` as NocoBase sends it; its other keys are ignored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleRef {
    pub name: String,
}

/// `POST /api/apiKeys:create`. Unknown keys are refused.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewApiKey {
    pub name: String,
    pub role: RoleRef,
    #[serde(default)]
    pub expires_in: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
    /// Owned by this service account (created on first use) instead of the
    /// creator, so the key survives the creator's departure.
    #[serde(default)]
    pub service_account: Option<String>,
}

/// `POST /api/apiKeys:rotate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RotateApiKey {
    #[serde(default)]
    pub grace_seconds: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum ApiKeyStatus {
    Active,
    Expired,
    Revoked,
}

/// A key as lists show it: never the secret, nor its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyView {
    /// The public id, `filterByTk` of get, destroy and rotate.
    pub id: String,
    pub name: String,
    pub role: String,
    /// The email of the user the key acts as.
    pub owner: String,
    pub service_account: bool,
    /// `fbk_<id>`: how the token starts, to recognise it.
    pub prefix: String,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub status: ApiKeyStatus,
}

/// The answer of create and rotate: the only time the token is shown.
/// `Debug` hides it, so logging the value cannot leak the key.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedApiKey {
    pub token: String,
    #[serde(flatten)]
    pub key: ApiKeyView,
}

impl std::fmt::Debug for IssuedApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedApiKey")
            .field("token", &"******")
            .field("key", &self.key)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_424_700_000;

    #[test]
    fn expiry_takes_the_nocobase_choices_or_a_future_date() {
        assert_eq!(
            Expiry::parse(Some("7d"), None, NOW),
            Ok(Expiry::At(NOW + 7 * DAY_MS))
        );
        assert_eq!(Expiry::parse(Some("never"), None, NOW), Ok(Expiry::Never));
        assert_eq!(
            Expiry::parse(None, Some("2027-01-01"), NOW),
            Ok(Expiry::At(1_798_761_600_000))
        );
        for (expires_in, expires_at) in [
            (Some("2d"), None),
            (Some("30"), None),
            (None, Some("2020-01-01")),
            (None, Some("soon")),
            (Some("1d"), Some("2027-01-01")),
            (None, None),
        ] {
            assert_eq!(
                Expiry::parse(expires_in, expires_at, NOW),
                Err(Rejection::ApiKeyExpiryInvalid),
                "{expires_in:?} {expires_at:?}"
            );
        }
        let message = Rejection::ApiKeyExpiryInvalid.message();
        assert!(Expiry::CHOICES.iter().all(|c| message.contains(c)));
    }

    #[test]
    fn grace_is_capped_at_a_week() {
        assert_eq!(RotationGrace::parse(None).map(RotationGrace::millis), Ok(0));
        assert_eq!(
            RotationGrace::parse(Some(3600)).map(RotationGrace::millis),
            Ok(3_600_000)
        );
        assert_eq!(
            RotationGrace::parse(Some(RotationGrace::MAX_SECONDS + 1)),
            Err(Rejection::ApiKeyGraceInvalid)
        );
    }

    #[test]
    fn service_accounts_have_reserved_addresses() {
        let name = ServiceAccountName::parse(" erp-sync ").unwrap();
        assert_eq!(name.email(), "erp-sync@service.invalid");
        assert_eq!(
            ServiceAccountName::parse("ERP Sync"),
            Err(Rejection::ServiceAccountNameInvalid)
        );
        assert_eq!(ApiKeyName::parse(" "), Err(Rejection::ApiKeyNameInvalid));
    }

    #[test]
    fn issued_keys_hide_the_token_in_debug() {
        let issued = IssuedApiKey {
            token: "fbk_abc_secret".into(),
            key: ApiKeyView {
                id: "abc".into(),
                name: "n".into(),
                role: "member".into(),
                owner: "a@example.org".into(),
                service_account: false,
                prefix: "fbk_abc".into(),
                created_at: NOW,
                expires_at: None,
                last_used_at: None,
                status: ApiKeyStatus::Active,
            },
        };
        assert!(!format!("{issued:?}").contains("secret"));
        let json = serde_json::to_value(&issued).unwrap();
        assert_eq!(json["token"], "fbk_abc_secret");
        assert_eq!(json["serviceAccount"], false);
    }
}
