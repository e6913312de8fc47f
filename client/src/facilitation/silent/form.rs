//! Starting a silent round (facilitators): the question, the section the cards go to,
//! and whether public members' cards are revealed first.

use coboard_shared::schema::{SilentRound, SilentState};
use leptos::prelude::*;

use crate::sync::SessionHandle;
use crate::ui::text::sentence;

/// The section people's cards go to unless the facilitator picks another: the first
/// section for ideas, else the first section.
fn default_section(sections: &[(String, String, String)]) -> String {
    sections
        .iter()
        .find(|(_, _, kind)| kind == "ideas")
        .or(sections.first())
        .map(|(id, _, _)| id.clone())
        .unwrap_or_default()
}

#[component]
pub(super) fn SilentForm(session: SessionHandle) -> impl IntoView {
    let signals = session.signals();
    let prompt = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<String>);
    let public_first = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let sections = Memo::new(move |_| {
        signals.sections.with(|all| {
            all.iter()
                .map(|s| (s.id.clone(), s.title.clone(), s.kind.clone()))
                .collect::<Vec<_>>()
        })
    });
    let section = move || {
        chosen
            .get()
            .unwrap_or_else(|| sections.with(|s| default_section(s)))
    };

    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let words = prompt.get_untracked().trim().to_owned();
        if words.is_empty() {
            error.set(Some("Write the question people will answer.".to_owned()));
            crate::dom::focus_later("#silent-prompt".to_owned());
            return;
        }
        let round = SilentRound {
            id: crate::dom::random_hex(2),
            prompt: words,
            section: chosen
                .get_untracked()
                .unwrap_or_else(|| sections.with_untracked(|s| default_section(s))),
            public_first: public_first.get_untracked(),
            state: SilentState::Writing,
            created_at: js_sys::Date::now(),
            revealed_at: None,
        };
        let mut result = Ok(());
        session.get().edit(|board, txn| {
            result = board.add_silent_round(txn, &round);
        });
        match result {
            Ok(()) => {
                error.set(None);
                prompt.set(String::new());
            }
            Err(e) => error.set(Some(sentence(&e.to_string()))),
        }
    };

    view! {
        <form class="round-form silent-form" on:submit=start aria-labelledby="silent-form-heading">
            <h4 id="silent-form-heading" class="panel-subheading">"Start a silent round"</h4>
            <label for="silent-prompt">"The question people write about"</label>
            <input
                id="silent-prompt"
                type="text"
                maxlength="200"
                placeholder="For example: What gets in the way of getting to clinic?"
                prop:value=move || prompt.get()
                on:input=move |ev| prompt.set(event_target_value(&ev))
            />
            <label for="silent-section">"Where the cards go when they are revealed"</label>
            <select
                id="silent-section"
                on:change=move |ev| chosen.set(Some(event_target_value(&ev)))
                prop:value=section
            >
                {move || {
                    let all = sections.get();
                    if all.is_empty() {
                        return view! { <option value="">"Anywhere on the board"</option> }
                            .into_any();
                    }
                    all.into_iter()
                        .map(|(id, title, _)| {
                            let selected = id == section();
                            view! { <option value=id prop:selected=selected>{title}</option> }
                        })
                        .collect_view()
                        .into_any()
                }}
            </select>
            <div class="check-row">
                <input
                    id="silent-public-first"
                    type="checkbox"
                    aria-describedby="silent-public-first-hint"
                    prop:checked=move || public_first.get()
                    on:change=move |ev| public_first.set(event_target_checked(&ev))
                />
                <label for="silent-public-first">"Reveal public members' cards first"</label>
            </div>
            <p id="silent-public-first-hint" class="field-hint">
                "Their cards go on the board, and are talked about, before anyone else's."
            </p>
            <button id="silent-start" type="submit" class="primary">"Start silent round"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
