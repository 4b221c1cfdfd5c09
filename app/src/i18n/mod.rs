//! Every string the interface shows, in every shipped language.
//!
//! A catalogue is a `Strings` value per locale, so a locale that lacks a key
//! does not compile; `tests::translations_are_not_copied_english` catches the
//! other classic mistake, an English string pasted into another catalogue.

mod cs;
mod en;
mod hi;
mod id;
mod ja;
mod pt_br;
mod zh_cn;

use leptos::prelude::*;
use model::Locale;

pub struct Strings {
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub language: &'static str,
    pub theme_system: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
    pub nav_home: &'static str,
    pub nav_status: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_first_steps: &'static str,
    pub home_step_status: &'static str,
    pub home_step_status_action: &'static str,
    pub home_step_database: &'static str,
    pub home_step_readme: &'static str,
    pub home_roadmap_title: &'static str,
    pub home_roadmap_intro: &'static str,
    pub cap_data_title: &'static str,
    pub cap_data_body: &'static str,
    pub cap_api_title: &'static str,
    pub cap_api_body: &'static str,
    pub cap_sso_title: &'static str,
    pub cap_sso_body: &'static str,
    pub cap_workflows_title: &'static str,
    pub cap_workflows_body: &'static str,
    pub cap_dashboards_title: &'static str,
    pub cap_dashboards_body: &'static str,
    pub cap_security_title: &'static str,
    pub cap_security_body: &'static str,
    pub coming_soon: &'static str,
    pub status_title: &'static str,
    pub status_intro: &'static str,
    pub status_version: &'static str,
    pub status_store: &'static str,
    pub status_connection: &'static str,
    pub status_reachable: &'static str,
    pub status_unreachable: &'static str,
    pub status_migrations: &'static str,
    pub status_overall: &'static str,
    pub status_ready: &'static str,
    pub status_not_ready: &'static str,
    pub status_checking: &'static str,
    pub status_failed: &'static str,
    pub status_refresh: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub not_found_home: &'static str,
}

pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::En => &en::STRINGS,
        Locale::Cs => &cs::STRINGS,
        Locale::PtBr => &pt_br::STRINGS,
        Locale::Hi => &hi::STRINGS,
        Locale::Ja => &ja::STRINGS,
        Locale::Id => &id::STRINGS,
        Locale::ZhCn => &zh_cn::STRINGS,
    }
}

/// The visitor's language, shared through context. Changing it re-renders
/// every string without a reload.
#[derive(Clone, Copy)]
pub struct I18n {
    pub locale: RwSignal<Locale>,
}

impl I18n {
    /// The current catalogue; reading it inside a closure subscribes to changes.
    pub fn t(&self) -> &'static Strings {
        strings(self.locale.get())
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All fields of a catalogue, for comparisons across locales.
    fn all(s: &Strings) -> Vec<(&'static str, &'static str)> {
        macro_rules! fields { ($($f:ident),* $(,)?) => { vec![$((stringify!($f), s.$f)),*] } }
        fields!(
            tagline,
            skip_to_content,
            main_navigation,
            language,
            theme_system,
            theme_light,
            theme_dark,
            nav_home,
            nav_status,
            home_title,
            home_intro,
            home_first_steps,
            home_step_status,
            home_step_status_action,
            home_step_database,
            home_step_readme,
            home_roadmap_title,
            home_roadmap_intro,
            cap_data_title,
            cap_data_body,
            cap_api_title,
            cap_api_body,
            cap_sso_title,
            cap_sso_body,
            cap_workflows_title,
            cap_workflows_body,
            cap_dashboards_title,
            cap_dashboards_body,
            cap_security_title,
            cap_security_body,
            coming_soon,
            status_title,
            status_intro,
            status_version,
            status_store,
            status_connection,
            status_reachable,
            status_unreachable,
            status_migrations,
            status_overall,
            status_ready,
            status_not_ready,
            status_checking,
            status_failed,
            status_refresh,
            not_found_title,
            not_found_body,
            not_found_home,
        )
    }

    /// Short technical terms that are legitimately the same in some languages.
    const MAY_MATCH_ENGLISH: &[&str] = &["cap_api_title", "cap_sso_title", "status_version"];

    #[test]
    fn every_locale_has_every_string_non_empty() {
        for locale in Locale::ALL {
            for (key, value) in all(strings(locale)) {
                assert!(!value.trim().is_empty(), "{} lacks {key}", locale.tag());
            }
        }
    }

    #[test]
    fn translations_are_not_copied_english() {
        let english = all(strings(Locale::En));
        for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::En) {
            for ((key, value), (_, en)) in all(strings(locale)).into_iter().zip(&english) {
                if !MAY_MATCH_ENGLISH.contains(&key) {
                    assert_ne!(value, *en, "{} copies English for {key}", locale.tag());
                }
            }
        }
    }

    #[test]
    fn the_field_list_covers_the_whole_struct() {
        // Each field is a &'static str (two words); a field missing from `all`
        // would escape the checks above.
        let fields = all(strings(Locale::En)).len();
        assert_eq!(
            fields * std::mem::size_of::<&str>(),
            std::mem::size_of::<Strings>()
        );
    }
}
