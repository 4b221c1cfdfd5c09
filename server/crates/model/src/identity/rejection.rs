//! Every way the identity rules can turn input down. Each has a stable code
//! for API clients and its own translated sentence in the UI, so a refusal
//! reads the same in the browser and in `{"errors":[{"message","code"}]}`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Rejection {
    EmailInvalid,
    EmailTaken,
    UsernameInvalid,
    UsernameTaken,
    DisplayNameInvalid,
    PasswordEmpty,
    PasswordTooShort,
    PasswordTooLong,
    PasswordWrong,
    RoleNameInvalid,
    RoleTitleInvalid,
    RoleTaken,
    RoleUnknown,
    RoleNotHeld,
    RoleBuiltIn,
    PermissionUnknown,
    LastAdmin,
    SelfDisable,
    SelfDelete,
    SetupDone,
    LocaleUnknown,
    ApiKeyNameInvalid,
    ApiKeyExpiryInvalid,
    ApiKeyGraceInvalid,
    ServiceAccountNameInvalid,
}

impl Rejection {
    /// The machine code API clients match on.
    pub fn code(self) -> &'static str {
        match self {
            Rejection::EmailInvalid => "EMAIL_INVALID",
            Rejection::EmailTaken => "EMAIL_TAKEN",
            Rejection::UsernameInvalid => "USERNAME_INVALID",
            Rejection::UsernameTaken => "USERNAME_TAKEN",
            Rejection::DisplayNameInvalid => "DISPLAY_NAME_INVALID",
            Rejection::PasswordEmpty => "PASSWORD_EMPTY",
            Rejection::PasswordTooShort => "PASSWORD_TOO_SHORT",
            Rejection::PasswordTooLong => "PASSWORD_TOO_LONG",
            Rejection::PasswordWrong => "PASSWORD_WRONG",
            Rejection::RoleNameInvalid => "ROLE_NAME_INVALID",
            Rejection::RoleTitleInvalid => "ROLE_TITLE_INVALID",
            Rejection::RoleTaken => "ROLE_TAKEN",
            Rejection::RoleUnknown => "ROLE_UNKNOWN",
            Rejection::RoleNotHeld => "ROLE_NOT_HELD",
            Rejection::RoleBuiltIn => "ROLE_BUILT_IN",
            Rejection::PermissionUnknown => "PERMISSION_UNKNOWN",
            Rejection::LastAdmin => "LAST_ADMIN",
            Rejection::SelfDisable => "SELF_DISABLE",
            Rejection::SelfDelete => "SELF_DELETE",
            Rejection::SetupDone => "SETUP_DONE",
            Rejection::LocaleUnknown => "LOCALE_UNKNOWN",
            Rejection::ApiKeyNameInvalid => "API_KEY_NAME_INVALID",
            Rejection::ApiKeyExpiryInvalid => "API_KEY_EXPIRY_INVALID",
            Rejection::ApiKeyGraceInvalid => "API_KEY_GRACE_INVALID",
            Rejection::ServiceAccountNameInvalid => "SERVICE_ACCOUNT_NAME_INVALID",
        }
    }

    /// True when the input collides with existing data (HTTP 409) rather
    /// than being malformed (400) or forbidden by a rule (403).
    pub fn is_conflict(self) -> bool {
        matches!(
            self,
            Rejection::EmailTaken
                | Rejection::UsernameTaken
                | Rejection::RoleTaken
                | Rejection::SetupDone
        )
    }

    /// True for rules that protect the installation from the actor (403).
    pub fn is_forbidden(self) -> bool {
        matches!(
            self,
            Rejection::RoleNotHeld
                | Rejection::RoleBuiltIn
                | Rejection::LastAdmin
                | Rejection::SelfDisable
                | Rejection::SelfDelete
        )
    }

    /// The English sentence for API clients and logs; the UI translates by code.
    pub fn message(self) -> &'static str {
        match self {
            Rejection::EmailInvalid => "the email address is not valid",
            Rejection::EmailTaken => "another user already has this email address",
            Rejection::UsernameInvalid => {
                "a username has 1 to 50 characters and none of @ < > \" ' / or spaces"
            }
            Rejection::UsernameTaken => "another user already has this username",
            Rejection::DisplayNameInvalid => "a display name has 1 to 100 characters",
            Rejection::PasswordEmpty => "the password is empty",
            Rejection::PasswordTooShort => "a password needs at least 8 characters",
            Rejection::PasswordTooLong => "a password has at most 1024 characters",
            Rejection::PasswordWrong => "the current password is not correct",
            Rejection::RoleNameInvalid => {
                "a role name has 1 to 50 lowercase letters, digits, '-' or '_' and starts with a letter"
            }
            Rejection::RoleTitleInvalid => "a role title has 1 to 100 characters",
            Rejection::RoleTaken => "a role with this name already exists",
            Rejection::RoleUnknown => "there is no role with this name",
            Rejection::RoleNotHeld => "you do not hold this role",
            Rejection::RoleBuiltIn => "built-in roles cannot be renamed or deleted",
            Rejection::PermissionUnknown => "unknown permission",
            Rejection::LastAdmin => {
                "this would leave no enabled administrator; make another user an administrator first"
            }
            Rejection::SelfDisable => "you cannot disable your own account",
            Rejection::SelfDelete => "you cannot delete your own account",
            Rejection::SetupDone => "the first administrator already exists",
            Rejection::LocaleUnknown => "unknown language",
            Rejection::ApiKeyNameInvalid => "an API key name has 1 to 100 characters",
            Rejection::ApiKeyExpiryInvalid => {
                "give expiresIn as 1d, 7d, 30d, 90d or never, or expiresAt as a future date \
                 (2027-01-31 or 2027-01-31T12:00:00Z), not both"
            }
            Rejection::ApiKeyGraceInvalid => {
                "graceSeconds is a whole number of seconds from 0 (none) to 604800 (seven days)"
            }
            Rejection::ServiceAccountNameInvalid => {
                "a service account name has 1 to 50 lowercase letters, digits, '-' or '_' and starts with a letter"
            }
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}
