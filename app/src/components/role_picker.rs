//! Checkboxes for the roles a user holds, loaded from the server.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::pages::users::fns::list_roles;

#[component]
pub fn RolePicker(selected: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let roles = Resource::new(|| (), |_| list_roles());
    view! {
        <fieldset>
            <legend class="text-sm font-medium text-slate-700 dark:text-slate-300">{move || i18n.t().field_roles}</legend>
            <Suspense fallback=|| ()>
                <div class="mt-2 flex flex-wrap gap-4">
                    {move || roles.get().and_then(Result::ok).map(|roles| roles.into_iter().map(|role| {
                        let name = role.name.clone();
                        let checked = {
                            let name = name.clone();
                            move || selected.read().contains(&name)
                        };
                        let toggle = move |ev: leptos::ev::Event| {
                            let on = event_target_checked(&ev);
                            selected.update(|names| {
                                names.retain(|n| *n != name);
                                if on {
                                    names.push(name.clone());
                                }
                            });
                        };
                        view! {
                            <label class="flex items-center gap-2 text-sm">
                                <input type="checkbox" name="roles" value=role.name.clone() prop:checked=checked on:change=toggle />
                                {role.title}
                            </label>
                        }
                    }).collect_view())}
                </div>
            </Suspense>
        </fieldset>
    }
}
