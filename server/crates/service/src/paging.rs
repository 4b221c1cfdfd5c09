//! Paging and search helpers shared by every list.

/// A 1-based page and a page size within `1..=max` (default 20, as NocoBase).
pub fn clamp(page: u32, page_size: u32, max: u32) -> (u32, u32) {
    let size = if page_size == 0 {
        20
    } else {
        page_size.min(max)
    };
    (page.max(1), size)
}

/// `%text%` for a case-insensitive `LIKE … ESCAPE '\'`, with the user's
/// `%`, `_` and `\` taken literally.
pub fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped() {
        assert_eq!(clamp(0, 0, 200), (1, 20));
        assert_eq!(clamp(3, 10_000_000, 200), (3, 200));
    }

    #[test]
    fn wildcards_in_search_text_are_literal() {
        assert_eq!(like_pattern(" 50%_Off\\ "), "%50\\%\\_off\\\\%");
    }
}
