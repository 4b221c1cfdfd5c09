//! The audit log: filters, paging and a CSV export of the same selection.

use leptos::prelude::*;
use model::identity::{AuditEntry, Page, SystemPermission};
use model::preference_cookie::encode_query_value;
use serde::{Deserialize, Serialize};

use crate::components::form::{INPUT, LABEL, SECONDARY_BUTTON, TABLE, TD, TH};
use crate::components::page_title::PageTitle;
use crate::components::paging::Paging;
use crate::i18n::use_i18n;
use crate::session::RequirePermission;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub actor: String,
    pub action: String,
    pub resource: String,
    /// `YYYY-MM-DD` from a date input; empty for no bound.
    pub from: String,
    pub to: String,
}

impl AuditFilter {
    /// The same selection as `auditLogs:export` query parameters.
    fn export_href(&self) -> String {
        let pairs = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("resource", &self.resource),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode_query_value(v)))
            .collect();
        format!("/api/auditLogs:export?{}", query.join("&"))
    }
}

#[server(prefix = "/_sfn", endpoint = "audit/list", input = leptos::server_fn::codec::Json)]
pub async fn list_audit(filter: AuditFilter, page: u32) -> Result<Page<AuditEntry>, ServerFnError> {
    use crate::server_fns::{actor, fail, services};
    let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    let query = service::audit::Query {
        actor: text(&filter.actor),
        action: text(&filter.action),
        resource: text(&filter.resource),
        from: model::time::parse_date(&filter.from),
        to: model::time::parse_date(&filter.to).map(|day| day + 86_400_000),
        page,
        page_size: 50,
    };
    service::audit::list(&services()?.store, &actor(), &query)
        .await
        .map_err(fail)
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=|t| t.audit_title />
        <h1 class="text-3xl font-bold tracking-tight">{move || i18n.t().audit_title}</h1>
        <p class="mt-2 text-slate-600 dark:text-slate-400">{move || i18n.t().audit_intro}</p>
        <RequirePermission permission=SystemPermission::AuditLog>
            <AuditLog />
        </RequirePermission>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(AuditFilter::default());
    let applied = RwSignal::new(AuditFilter::default());
    let page = RwSignal::new(1u32);
    let entries = Resource::new(
        move || (applied.get(), page.get()),
        |(f, p)| list_audit(f, p),
    );
    let field = move |label: fn(&'static crate::i18n::Strings) -> &'static str,
                      kind: &'static str,
                      get: fn(&AuditFilter) -> String,
                      set: fn(&mut AuditFilter, String)| {
        view! {
            <label class=LABEL>{move || label(i18n.t())}
                <input type=kind class=INPUT prop:value=move || get(&draft.read()) on:input=move |ev| draft.update(|f| set(f, event_target_value(&ev))) />
            </label>
        }
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        page.set(1);
        applied.set(draft.get_untracked());
    };
    view! {
        <form class="mt-6 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" on:submit=apply data-testid="audit-filter">
            {field(|t| t.audit_actor, "text", |f| f.actor.clone(), |f, v| f.actor = v)}
            {field(|t| t.audit_action, "text", |f| f.action.clone(), |f, v| f.action = v)}
            {field(|t| t.audit_resource, "text", |f| f.resource.clone(), |f, v| f.resource = v)}
            {field(|t| t.audit_from, "date", |f| f.from.clone(), |f, v| f.from = v)}
            {field(|t| t.audit_to, "date", |f| f.to.clone(), |f, v| f.to = v)}
            <div class="flex items-end gap-2">
                <button type="submit" class=SECONDARY_BUTTON>{move || i18n.t().audit_apply}</button>
                <a class=SECONDARY_BUTTON href=move || applied.read().export_href() download="audit-log.csv" data-testid="audit-export">
                    {move || i18n.t().audit_export}
                </a>
            </div>
        </form>
        <Transition fallback=move || view! { <p aria-busy="true">{move || i18n.t().loading}</p> }>
            {move || entries.get().map(|result| match result {
                Ok(found) if found.items.is_empty() => view! { <p class="mt-6" data-testid="audit-empty">{i18n.t().audit_empty}</p> }.into_any(),
                Ok(found) => {
                    let (count, pages) = (found.count, found.total_pages());
                    view! {
                        <div class="overflow-x-auto">
                            <table class=TABLE data-testid="audit-table">
                                <thead><tr>
                                    <th class=TH>{i18n.t().audit_time}</th>
                                    <th class=TH>{i18n.t().audit_actor}</th>
                                    <th class=TH>{i18n.t().audit_action}</th>
                                    <th class=TH>{i18n.t().audit_record}</th>
                                    <th class=TH>{i18n.t().audit_origin}</th>
                                    <th class=TH>{i18n.t().audit_outcome}</th>
                                    <th class=TH>{i18n.t().audit_changes}</th>
                                </tr></thead>
                                <tbody class="divide-y divide-slate-200 dark:divide-slate-800">
                                    {found.items.into_iter().map(|entry| view! { <AuditRow entry /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <Paging page count pages />
                    }.into_any()
                }
                Err(_) => view! { <p role="alert" class="mt-6">{i18n.t().load_failed}</p> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let outcome = if entry.outcome == "success" {
        i18n.t().outcome_success
    } else {
        i18n.t().outcome_failure
    };
    let record = format!("{} {}", entry.resource, entry.record_id.unwrap_or_default());
    let actor = match entry.role {
        Some(role) => format!("{} ({role})", entry.actor),
        None => entry.actor,
    };
    view! {
        <tr>
            <td class=format!("{TD} whitespace-nowrap")>{model::time::iso8601(entry.at)}</td>
            <td class=TD>{actor}</td>
            <td class=format!("{TD} font-mono text-xs")>{entry.action}</td>
            <td class=TD>{record}</td>
            <td class=TD>{entry.ip.unwrap_or_default()}</td>
            <td class=TD>{outcome}</td>
            <td class=format!("{TD} max-w-xs break-all font-mono text-xs")>{entry.changes.unwrap_or_default()}</td>
        </tr>
    }
}
