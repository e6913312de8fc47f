//! The list view: every note in reading order, as an ordered list that works well with
//! screen readers and at high zoom.

use leptos::prelude::*;

use super::access_role::empty_text;

use super::note::{author_label, colour_label, colour_of, item_memo};
use super::note_text::NoteText;
use crate::sync::{SessionHandle, Signals};

#[component]
pub fn ListView(signals: Signals) -> impl IntoView {
    view! {
        <section class="list" aria-labelledby="list-heading">
            <h2 id="list-heading">"All notes, top to bottom"</h2>
            <Show
                when=move || !signals.items.with(Vec::is_empty)
                fallback=|| view! { <p class="empty">{empty_text()}</p> }
            >
                <ol id="list-view">
                    <For each=move || signals.items.get() key=|item| item.id.clone() let(item)>
                        <ListItem id=item.id/>
                    </For>
                </ol>
            </Show>
        </section>
    }
}

#[component]
fn ListItem(id: String) -> impl IntoView {
    let signals = expect_context::<SessionHandle>().signals();
    let item = item_memo(signals, id.clone());
    let byline =
        Memo::new(move |_| item.with(|i| i.as_ref().map(author_label).unwrap_or_default()));
    let colour = Memo::new(move |_| item.with(|i| i.as_ref().map(colour_of).unwrap_or_default()));
    let text = Signal::derive(move || {
        item.with(|i| i.as_ref().map(|i| i.text.clone()).unwrap_or_default())
    });
    let label = Signal::derive(move || format!("Note by {}", byline.get()));
    let text_id = id.clone();
    view! {
        <li data-id=id class=move || format!("list-item colour-{}", colour.get())>
            <NoteText id=text_id text=text label=label/>
            <p class="byline">
                {move || format!("By {} · {} note", byline.get(), colour_label(colour.get()))}
            </p>
        </li>
    }
}
