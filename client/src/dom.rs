//! Small browser helpers shared by several components.

use wasm_bindgen::JsValue;

/// Sets the browser tab's title.
pub fn set_document_title(title: &str) {
    if let Some(doc) = leptos::prelude::window().document() {
        doc.set_title(title);
    }
}

/// Moves keyboard focus to the first element matching `selector`, after the current
/// render has reached the page.
pub fn focus_later(selector: String) {
    leptos::prelude::request_animation_frame(move || {
        let el = leptos::prelude::document()
            .query_selector(&selector)
            .ok()
            .flatten();
        if let Some(el) =
            el.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
        {
            let _ = el.focus();
        }
    });
}

/// Sets a flag on `window`, for browser tests to wait for or `boot.js` to read.
pub fn set_window_flag(name: &str) {
    let _ = js_sys::Reflect::set(
        &leptos::prelude::window(),
        &JsValue::from_str(name),
        &JsValue::TRUE,
    );
}

/// A random hex string of `n` × 8 digits, for item ids.
pub fn random_hex(n: usize) -> String {
    (0..n)
        .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
        .collect()
}

/// A random hex string of `bytes` × 2 digits from the browser's cryptographic random
/// source, for secrets. Falls back to [`random_hex`] only where `crypto` is missing.
pub fn secret_hex(bytes: u32) -> String {
    use wasm_bindgen::JsCast;
    let buf = js_sys::Uint8Array::new_with_length(bytes);
    let global = js_sys::global();
    let filled = js_sys::Reflect::get(&global, &JsValue::from_str("crypto"))
        .ok()
        .filter(|c| c.is_object())
        .and_then(|crypto| {
            let get = js_sys::Reflect::get(&crypto, &JsValue::from_str("getRandomValues"))
                .ok()?
                .dyn_into::<js_sys::Function>()
                .ok()?;
            get.call1(&crypto, &buf).ok()
        })
        .is_some();
    if !filled {
        return random_hex(bytes.div_ceil(4) as usize);
    }
    buf.to_vec().iter().map(|b| format!("{b:02x}")).collect()
}

/// Logs a message to the browser console, for developers.
pub fn log(msg: &str) {
    web_sys::console::warn_1(&JsValue::from_str(msg));
}
