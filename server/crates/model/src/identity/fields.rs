//! Parsed user and role fields. A value of these types is valid by
//! construction; `parse` is the only way in.

use super::Rejection;

/// Lowercased and trimmed, so uniqueness is case-insensitive everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, Rejection> {
        let email = input.trim().to_lowercase();
        let valid = email.len() <= 254
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>\"'(),;:[]\\".contains(c))
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && domain.split('.').all(|label| !label.is_empty())
                }
                None => false,
            };
        if valid {
            Ok(Email(email))
        } else {
            Err(Rejection::EmailInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// NocoBase's rule (1–50 characters, none of `@ < > " ' /`), plus no spaces
/// or control characters. Compared case-insensitively through `key()`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Username, Rejection> {
        let name = input.trim();
        let count = name.chars().count();
        let valid = (1..=50).contains(&count)
            && !name
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "@<>\"'/".contains(c));
        if valid {
            Ok(Username(name.to_owned()))
        } else {
            Err(Rejection::UsernameInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unique, case-insensitive form the store indexes.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

/// Free text shown in the UI (any script), 1–100 characters, no control
/// characters. HTML in it is harmless: every view escapes text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(input: &str) -> Result<DisplayName, Rejection> {
        parse_label(input)
            .map(DisplayName)
            .ok_or(Rejection::DisplayNameInvalid)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A label of 1–100 characters without control characters (names, titles).
pub(super) fn parse_label(input: &str) -> Option<String> {
    let text = input.trim();
    let count = text.chars().count();
    ((1..=100).contains(&count) && !text.chars().any(char::is_control)).then(|| text.to_owned())
}

/// A new password: 8 to 1024 characters (NIST SP 800-63B: a minimum of 8,
/// long passphrases welcome, no composition rules). The upper bound keeps a
/// 10 MB "password" from ever reaching the hasher. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 1024;

impl Password {
    pub fn parse(input: &str) -> Result<Password, Rejection> {
        let password = Password::parse_attempt(input)?;
        if password.0.chars().count() < PASSWORD_MIN_CHARS {
            return Err(Rejection::PasswordTooShort);
        }
        Ok(password)
    }

    /// A password someone signs in with: only the bounds that protect the
    /// server, so a stored password set under older rules still works.
    pub fn parse_attempt(input: &str) -> Result<Password, Rejection> {
        if input.is_empty() {
            return Err(Rejection::PasswordEmpty);
        }
        // Bytes first: counting the characters of 10 MB is already work.
        if input.len() > PASSWORD_MAX_CHARS * 4 || input.chars().count() > PASSWORD_MAX_CHARS {
            return Err(Rejection::PasswordTooLong);
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(******)")
    }
}

/// A user's interface language: one of the shipped locale tags, or none
/// (follow the browser) for an empty string.
pub fn parse_locale(input: &str) -> Result<Option<String>, Rejection> {
    let tag = input.trim();
    if tag.is_empty() {
        return Ok(None);
    }
    crate::Locale::from_tag(tag)
        .map(|locale| Some(locale.tag().to_owned()))
        .ok_or(Rejection::LocaleUnknown)
}

/// Role identifiers are used in `X-Role` headers and URLs: lowercase ASCII.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleName(String);

impl RoleName {
    pub const ADMIN: &'static str = "admin";
    pub const MEMBER: &'static str = "member";

    pub fn parse(input: &str) -> Result<RoleName, Rejection> {
        let name = input.trim();
        let valid = (1..=50).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if valid {
            Ok(RoleName(name.to_owned()))
        } else {
            Err(Rejection::RoleNameInvalid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_malformed_ones_refused() {
        assert_eq!(
            Email::parse("  Ada@Example.ORG ").unwrap().as_str(),
            "ada@example.org"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a b@example.org",
            "ada@@example.org",
            "ada@example..org",
            "<script>@x.org",
            "ada\n@x.org",
        ] {
            assert_eq!(Email::parse(bad), Err(Rejection::EmailInvalid), "{bad:?}");
        }
    }

    #[test]
    fn usernames_follow_the_nocobase_rule() {
        assert_eq!(
            Username::parse("Ada.Lovelace").unwrap().key(),
            "ada.lovelace"
        );
        assert!(Username::parse("名前").is_ok());
        for bad in [
            "",
            "a/b",
            "a@b",
            "<b>",
            "x'; DROP TABLE users; --",
            &"x".repeat(51),
        ] {
            assert_eq!(
                Username::parse(bad),
                Err(Rejection::UsernameInvalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn passwords_have_bounds_and_hide_in_debug() {
        assert_eq!(Password::parse(""), Err(Rejection::PasswordEmpty));
        assert_eq!(Password::parse("short"), Err(Rejection::PasswordTooShort));
        let huge = "x".repeat(10 * 1024 * 1024);
        assert_eq!(Password::parse(&huge), Err(Rejection::PasswordTooLong));
        assert_eq!(
            Password::parse_attempt(&huge),
            Err(Rejection::PasswordTooLong)
        );
        assert!(Password::parse_attempt("short").is_ok());
        let secret = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{secret:?}"), "Password(******)");
    }

    #[test]
    fn role_names_are_lowercase_identifiers() {
        assert!(RoleName::parse("sales-eu_2").is_ok());
        for bad in ["", "Admin", "2nd", "a b", "a;drop", &"r".repeat(51)] {
            assert_eq!(
                RoleName::parse(bad),
                Err(Rejection::RoleNameInvalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn display_names_take_any_script_but_no_control_characters() {
        assert_eq!(
            DisplayName::parse(" <b>Zoë</b> ").unwrap().as_str(),
            "<b>Zoë</b>"
        );
        assert_eq!(
            DisplayName::parse("a\u{0}b"),
            Err(Rejection::DisplayNameInvalid)
        );
        assert_eq!(
            DisplayName::parse("   "),
            Err(Rejection::DisplayNameInvalid)
        );
    }
}
