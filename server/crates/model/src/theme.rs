//! Colour theme preference: follow the operating system unless the user chose.

use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the chosen theme.
pub const THEME_COOKIE: &str = "fb_theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The value written to the cookie and to `<html data-theme>`, which the
    /// stylesheet's `dark:` variant reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(value: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == value.trim())
    }

    /// The toggle cycles system → light → dark → system.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips_and_rejects_unknown() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse("purple"), None);
    }

    #[test]
    fn toggle_visits_every_theme() {
        let mut seen = vec![Theme::System];
        let mut t = Theme::System.next();
        while t != Theme::System {
            seen.push(t);
            t = t.next();
        }
        assert_eq!(seen.len(), Theme::ALL.len());
    }
}
