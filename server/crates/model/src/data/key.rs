//! What a data source key may be: the one rule for creating a source and
//! for naming one in a request (`X-Data-Source`, a page URL).

/// Longest key a source may have.
pub const MAX_KEY_LEN: usize = 40;

/// A letter, then at most 39 letters, digits, `_` or `-`.
pub fn is_source_key(key: &str) -> bool {
    key.len() <= MAX_KEY_LEN
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_first_then_a_short_plain_name() {
        for good in ["erp", "crm_2", "a-b", &"k".repeat(MAX_KEY_LEN)] {
            assert!(is_source_key(good), "{good}");
        }
        for bad in [
            "",
            "2erp",
            "_x",
            "a b",
            "ä",
            "a/b",
            &"k".repeat(MAX_KEY_LEN + 1),
        ] {
            assert!(!is_source_key(bad), "{bad}");
        }
    }
}
