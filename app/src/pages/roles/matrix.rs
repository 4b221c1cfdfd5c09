//! The permission matrix of a role: configuration areas, and the four
//! record actions (with their data scope) on the main data source.

use leptos::prelude::*;
use model::identity::{
    ALL_COLLECTIONS, CollectionAction, CollectionGrant, DataScope, RolePermissions,
    SystemPermission,
};

use crate::i18n::{Strings, use_i18n};

/// The main data source's name; per-collection rows arrive with data sources.
const MAIN: &str = "main";

pub fn permission_label(t: &'static Strings, permission: SystemPermission) -> &'static str {
    match permission {
        SystemPermission::Users => t.perm_users,
        SystemPermission::DataSources => t.perm_data_sources,
        SystemPermission::ApiKeys => t.perm_api_keys,
        SystemPermission::Sso => t.perm_sso,
        SystemPermission::Workflows => t.perm_workflows,
        SystemPermission::Dashboards => t.perm_dashboards,
        SystemPermission::AuditLog => t.perm_audit_log,
        SystemPermission::System => t.perm_system,
    }
}

fn action_label(t: &'static Strings, action: CollectionAction) -> &'static str {
    match action {
        CollectionAction::View => t.action_view,
        CollectionAction::Create => t.action_create,
        CollectionAction::Update => t.action_update,
        CollectionAction::Destroy => t.action_destroy,
    }
}

fn main_grant(permissions: &RolePermissions, action: CollectionAction) -> Option<&CollectionGrant> {
    permissions
        .grants
        .iter()
        .find(|g| g.data_source == MAIN && g.collection == ALL_COLLECTIONS && g.action == action)
}

#[component]
pub fn PermissionMatrix(permissions: RwSignal<RolePermissions>) -> impl IntoView {
    let i18n = use_i18n();
    let system_rows = SystemPermission::ALL.map(|permission| {
        let checked = move || permissions.read().system.contains(&permission);
        let toggle = move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            permissions.update(|p| {
                if on { p.system.insert(permission); } else { p.system.remove(&permission); }
            });
        };
        view! {
            <label class="flex items-center gap-2 py-1 text-sm">
                <input type="checkbox" prop:checked=checked on:change=toggle data-permission=permission.as_str() />
                {move || permission_label(i18n.t(), permission)}
            </label>
        }
    });
    let action_rows = CollectionAction::ALL.map(|action| {
        let granted = move || main_grant(&permissions.read(), action).is_some();
        let own = move || main_grant(&permissions.read(), action).is_some_and(|g| g.scope == DataScope::Own);
        let set = move |on: bool, own: bool| {
            permissions.update(|p| {
                p.grants.retain(|g| !(g.data_source == MAIN && g.collection == ALL_COLLECTIONS && g.action == action));
                if on {
                    p.grants.push(CollectionGrant {
                        data_source: MAIN.to_owned(),
                        collection: ALL_COLLECTIONS.to_owned(),
                        action,
                        fields: None,
                        scope: if own { DataScope::Own } else { DataScope::All },
                    });
                }
            });
        };
        view! {
            <tr>
                <td class="px-3 py-2">
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" prop:checked=granted on:change=move |ev| set(event_target_checked(&ev), own()) data-action=action.as_str() />
                        {move || action_label(i18n.t(), action)}
                    </label>
                </td>
                <td class="px-3 py-2">
                    <select
                        class="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-950"
                        prop:value=move || if own() { "own" } else { "all" }
                        disabled=move || !granted()
                        on:change=move |ev| set(true, event_target_value(&ev) == "own")
                        aria-label=move || i18n.t().col_scope
                    >
                        <option value="all">{move || i18n.t().scope_all}</option>
                        <option value="own">{move || i18n.t().scope_own}</option>
                    </select>
                </td>
            </tr>
        }
    });
    view! {
        <fieldset class="mt-4">
            <legend class="font-semibold">{move || i18n.t().role_system_title}</legend>
            <div class="mt-2 grid sm:grid-cols-2">{system_rows}</div>
        </fieldset>
        <fieldset class="mt-6">
            <legend class="font-semibold">{move || i18n.t().role_records_title}</legend>
            <p class="text-sm text-slate-600 dark:text-slate-400">{move || i18n.t().role_records_hint}</p>
            <table class="mt-2">
                <thead><tr>
                    <th class="px-3 py-1 text-left text-sm font-medium">{move || i18n.t().col_action}</th>
                    <th class="px-3 py-1 text-left text-sm font-medium">{move || i18n.t().col_scope}</th>
                </tr></thead>
                <tbody>{action_rows}</tbody>
            </table>
        </fieldset>
    }
}
