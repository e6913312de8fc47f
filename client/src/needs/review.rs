//! "Are your access needs still right?": a small banner at the top of the page when the
//! needs declared in this browser were last saved or confirmed about three months ago.
//!
//! Needs change (a new screen reader, a bad patch, an interpreter no longer needed), and
//! a declaration made once is easy to forget. The banner never blocks anything: "Review"
//! opens the needs dialog, "Still right" dates the same needs today, and the banner goes.

use leptos::prelude::*;

#[component]
pub fn NeedsReview() -> impl IntoView {
    let Some(my) = crate::needs::my_needs() else {
        return ().into_any();
    };
    let now = js_sys::Date::now() as u64;
    let due = Memo::new(move |_| my.declared.with(|d| d.due_for_review(now)));
    let still_right = move |_| {
        my.confirm();
        // The banner (and the button that had focus) is gone: land somewhere sensible.
        crate::dom::focus_later("#needs-open".to_owned());
    };
    view! {
        <Show when=move || due.get()>
            <div id="needs-review" class="needs-review" role="region" aria-labelledby="needs-review-text">
                <p>
                    <strong id="needs-review-text">"Are your access needs still right?"</strong>
                    " You told us what helps you a few months ago."
                </p>
                <div class="actions">
                    <button
                        id="needs-review-open"
                        type="button"
                        class="secondary"
                        on:click=move |_| my.dialog_open.set(true)
                    >
                        "Review"
                    </button>
                    <button
                        id="needs-review-ok"
                        type="button"
                        class="secondary"
                        on:click=still_right
                    >
                        "Still right"
                    </button>
                </div>
            </div>
        </Show>
    }
    .into_any()
}
