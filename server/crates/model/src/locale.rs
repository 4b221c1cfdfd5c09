//! The user-interface languages Ferrobase ships, and how a request picks one.

use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the language a user chose.
pub const LOCALE_COOKIE: &str = "fb_locale";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    En,
    Cs,
    PtBr,
    Hi,
    Ja,
    Id,
    ZhCn,
}

impl Locale {
    pub const ALL: [Locale; 7] = [
        Locale::En,
        Locale::Cs,
        Locale::PtBr,
        Locale::Hi,
        Locale::Ja,
        Locale::Id,
        Locale::ZhCn,
    ];

    /// The BCP 47 tag, as used in `<html lang>`, cookies and URLs.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Cs => "cs",
            Locale::PtBr => "pt-BR",
            Locale::Hi => "hi",
            Locale::Ja => "ja",
            Locale::Id => "id",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// The language's own name for itself, so a user who cannot read the current
    /// language still finds theirs in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Cs => "Čeština",
            Locale::PtBr => "Português (Brasil)",
            Locale::Hi => "हिन्दी",
            Locale::Ja => "日本語",
            Locale::Id => "Bahasa Indonesia",
            Locale::ZhCn => "简体中文",
        }
    }

    /// Exact tag match, case-insensitive (`pt-br`, `ZH-cn`).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(tag.trim()))
    }

    /// Best match for one language range: exact tag first, then the primary
    /// language alone (`pt-PT` → pt-BR, `zh` or `zh-Hans` → zh-CN, `cs-CZ` → cs).
    fn best_for_range(range: &str) -> Option<Locale> {
        Locale::from_tag(range).or_else(|| {
            let primary = range.split(['-', '_']).next()?.trim();
            Locale::ALL.into_iter().find(|l| {
                l.tag()
                    .split('-')
                    .next()
                    .is_some_and(|p| p.eq_ignore_ascii_case(primary))
            })
        })
    }

    /// Picks the locale for a request: a valid cookie wins, then the highest
    /// weighted `Accept-Language` range we support, then English.
    pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
        if let Some(locale) = cookie.and_then(Locale::from_tag) {
            return locale;
        }
        let Some(header) = accept_language else {
            return Locale::default();
        };
        let mut ranges: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let range = parts.next()?.trim();
                let weight = parts
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                (!range.is_empty() && weight > 0.0).then_some((weight, position, range))
            })
            .collect();
        // Highest weight first; equal weights keep the order the browser sent.
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges
            .into_iter()
            .find_map(|(_, _, range)| Locale::best_for_range(range))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), Some(locale));
        }
        assert_eq!(Locale::from_tag("PT-br"), Some(Locale::PtBr));
        assert_eq!(Locale::from_tag("de"), None);
    }

    #[test]
    fn cookie_beats_header() {
        assert_eq!(Locale::negotiate(Some("ja"), Some("cs")), Locale::Ja);
    }

    #[test]
    fn invalid_cookie_falls_back_to_header() {
        assert_eq!(Locale::negotiate(Some("klingon"), Some("cs")), Locale::Cs);
    }

    #[test]
    fn weights_order_the_header() {
        let header = "de-DE,de;q=0.9,ja;q=0.5,cs;q=0.8";
        assert_eq!(Locale::negotiate(None, Some(header)), Locale::Cs);
    }

    #[test]
    fn regional_variants_fall_back_to_the_language() {
        assert_eq!(Locale::negotiate(None, Some("pt-PT")), Locale::PtBr);
        assert_eq!(Locale::negotiate(None, Some("zh-Hans-CN")), Locale::ZhCn);
        assert_eq!(Locale::negotiate(None, Some("id-ID,en;q=0.1")), Locale::Id);
    }

    #[test]
    fn zero_weight_and_garbage_are_ignored() {
        assert_eq!(Locale::negotiate(None, Some("cs;q=0,ja;q=abc")), Locale::En);
        assert_eq!(Locale::negotiate(None, Some(",,;;")), Locale::En);
        assert_eq!(Locale::negotiate(None, None), Locale::En);
    }
}
