//! The Ferrobase user interface, rendered on the server and hydrated in the
//! browser from the same components.

// Views are deeply nested types; hydrating the larger pages (the data
// table, a record, the refresh report) needs more than the default 128.
// For the same reason the larger components end in `.into_any()`: erased,
// a page's server render fits a worker thread's stack in debug builds.
#![recursion_limit = "256"]

pub mod components;
pub mod i18n;
pub mod pages;
pub mod prefs;
#[cfg(feature = "ssr")]
pub mod server_fns;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use components::{header::Header, sidebar::Sidebar};
use i18n::I18n;
use pages::{
    api_keys::ApiKeysPage,
    audit::AuditPage,
    collections::{CollectionDesignPage, CollectionsPage},
    data::{CollectionPage, DataPage, RecordPage},
    data_sources::{DataSourcePage, DataSourcesPage, NewDataSourcePage},
    home::HomePage,
    not_found::NotFound,
    profile::ProfilePage,
    roles::RolePage,
    roles::RolesPage,
    setup::SetupPage,
    sign_in::SignInPage,
    status::StatusPage,
    users::UserPage,
    users::UsersPage,
};
use prefs::ThemeChoice;

/// The HTML document around the app. `<html>` attributes (language, theme)
/// are set by `App` through `<Html>`, so they follow the visitor's choices.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=format!("/{}/ferrobase.css", options.site_pkg_dir) />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let (locale, theme) = prefs::initial();
    let i18n = I18n {
        locale: RwSignal::new(locale),
    };
    let theme = RwSignal::new(theme);
    provide_context(i18n);
    provide_context(ThemeChoice(theme));
    session::provide_session();

    // Effects run only in the browser: this marks the moment the page became
    // interactive, which the end-to-end tests wait for before clicking.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Html {..} lang=move || i18n.locale.get().tag() data-theme=move || theme.get().as_str() />
        <Title formatter=|page: String| format!("{page} · Ferrobase") />
        <Router>
            <a
                href="#main"
                class="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-slate-900"
            >
                {move || i18n.t().skip_to_content}
            </a>
            <Header />
            <div class="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 md:flex-row">
                <Sidebar />
                <main id="main" class="min-w-0 flex-1">
                    <Routes fallback=NotFound>
                        <Route path=path!("") view=HomePage />
                        <Route path=path!("status") view=StatusPage ssr=SsrMode::Async />
                        <Route path=path!("signin") view=SignInPage ssr=SsrMode::Async />
                        <Route path=path!("setup") view=SetupPage ssr=SsrMode::Async />
                        <Route path=path!("profile") view=ProfilePage ssr=SsrMode::Async />
                        <Route path=path!("settings/api-keys") view=ApiKeysPage ssr=SsrMode::Async />
                        <Route path=path!("admin/users") view=UsersPage ssr=SsrMode::Async />
                        <Route path=path!("admin/users/:id") view=UserPage ssr=SsrMode::Async />
                        <Route path=path!("admin/roles") view=RolesPage ssr=SsrMode::Async />
                        <Route path=path!("admin/roles/:name") view=RolePage ssr=SsrMode::Async />
                        <Route path=path!("admin/audit") view=AuditPage ssr=SsrMode::Async />
                        <Route path=path!("admin/data-sources") view=DataSourcesPage ssr=SsrMode::Async />
                        // Before `:key`: the first matching route wins.
                        <Route path=path!("admin/data-sources/new") view=NewDataSourcePage ssr=SsrMode::Async />
                        <Route path=path!("admin/data-sources/:key") view=DataSourcePage ssr=SsrMode::Async />
                        <Route path=path!("admin/collections") view=CollectionsPage ssr=SsrMode::Async />
                        <Route path=path!("admin/collections/:name") view=CollectionDesignPage ssr=SsrMode::Async />
                        <Route path=path!("data") view=DataPage ssr=SsrMode::Async />
                        <Route path=path!("data/:source/:collection") view=CollectionPage ssr=SsrMode::Async />
                        <Route path=path!("data/:source/:collection/:key") view=RecordPage ssr=SsrMode::Async />
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
