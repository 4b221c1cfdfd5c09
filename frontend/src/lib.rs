//! Hydrates the server-rendered HTML: the same `App` the server rendered takes
//! over the DOM, so pages read fine before this runs and become interactive after.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
