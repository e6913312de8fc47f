//! The side panel beside the board: what changed since my last visit, and six tabs — the
//! selected item with its comments, voting rounds, facilitation (silent rounds, handing
//! over, the timer, spotlight and speaking queue), the activity list, the balance of
//! contributions between roles, and the board's history (saved versions). Above the tabs,
//! where it cannot be missed, the offer of the facilitator role to me.
//!
//! The tabs follow the ARIA tabs pattern: one tab stop for the tab list, arrow keys (and
//! Home and End) move between tabs, and each tab shows its panel at once.

use coboard_shared::schema::kind_label;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::activity::seen::{self, LastVisit, is_new, is_new_comment};
use crate::activity::{ActivityTab, clock, who};
use crate::balance::ParticipationTab;
use crate::comments::ItemTab;
use crate::facilitation::{FacilitateTab, facts, strip::FacilitationStrip};
use crate::history::HistoryTab;
use crate::identity::Identity;
use crate::sync::SessionHandle;
use crate::ui::text::first_words;
use crate::voting::VotingTab;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Item,
    Voting,
    Facilitate,
    Activity,
    Balance,
    History,
}

impl Tab {
    const ALL: [Tab; 6] = [
        Self::Item,
        Self::Voting,
        Self::Facilitate,
        Self::Activity,
        Self::Balance,
        Self::History,
    ];

    fn id(self) -> &'static str {
        match self {
            Self::Item => "tab-item",
            Self::Voting => "tab-voting",
            Self::Facilitate => "tab-facilitate",
            Self::Activity => "tab-activity",
            Self::Balance => "tab-participation",
            Self::History => "tab-history",
        }
    }

    fn panel(self) -> &'static str {
        match self {
            Self::Item => "panel-item",
            Self::Voting => "panel-voting",
            Self::Facilitate => "panel-facilitate",
            Self::Activity => "panel-activity",
            Self::Balance => "panel-participation",
            Self::History => "panel-history",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Item => "Item",
            Self::Voting => "Voting",
            Self::Facilitate => "Facilitate",
            Self::Activity => "Activity",
            Self::Balance => "Balance",
            Self::History => "History",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// One thing that changed while I was away.
#[derive(Debug, Clone, PartialEq)]
struct Change {
    item: String,
    words: String,
}

#[component]
pub fn SidePanel(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    selected: RwSignal<Option<String>>,
) -> impl IntoView {
    let signals = session.signals();
    let board_id = session.get().board_id().to_owned();
    let last_visit = seen::last_visit(&board_id);
    let first_visit = seen::first_visit(&board_id);
    provide_context(LastVisit(last_visit));
    seen::keep_marking(board_id);
    let now = clock();
    let tab = RwSignal::new(Tab::Item);
    let showing_changes = RwSignal::new(false);

    // Selecting something new on the board brings its details into view.
    Effect::new(move |before: Option<Option<String>>| {
        let current = selected.get();
        if let Some(before) = before
            && current.is_some()
            && current != before
        {
            tab.set(Tab::Item);
        }
        current
    });

    let changes = Memo::new(move |_| {
        let my_id = me.with(|m| m.as_ref().map(|m| m.id.clone()).unwrap_or_default());
        let mut out = Vec::new();
        signals.items.with(|items| {
            for i in items.iter().filter(|i| is_new(i, last_visit, &my_id)) {
                let what = if i.created_at > last_visit {
                    "New"
                } else {
                    "Changed"
                };
                let text = first_words(&i.text, 60);
                let by = if i.seeded {
                    String::new()
                } else {
                    format!(", by {}", who(&i.author))
                };
                let kind = kind_label(&i.kind).to_lowercase();
                let words = if text.is_empty() {
                    format!("{what} {kind}{by}")
                } else {
                    format!("{what} {kind}: “{text}”{by}")
                };
                out.push(Change {
                    item: i.id.clone(),
                    words,
                });
            }
            signals.comments.with(|comments| {
                for c in comments
                    .iter()
                    .filter(|c| is_new_comment(c, last_visit, &my_id))
                {
                    let Some(i) = items.iter().find(|i| i.id == c.item) else {
                        continue;
                    };
                    out.push(Change {
                        item: i.id.clone(),
                        words: format!(
                            "New comment on {} “{}”, by {}",
                            kind_label(&i.kind).to_lowercase(),
                            first_words(&i.text, 40),
                            who(&c.author)
                        ),
                    });
                }
            });
        });
        out
    });
    let count_text = move || match changes.with(Vec::len) {
        0 if first_visit => {
            "This is your first visit. Next time, changes made while you were away will \
             be marked “New”."
                .to_owned()
        }
        0 => "No changes since your last visit.".to_owned(),
        1 if first_visit => "1 change since you opened the board.".to_owned(),
        n if first_visit => format!("{n} changes since you opened the board."),
        1 => "1 change since your last visit.".to_owned(),
        n => format!("{n} changes since your last visit."),
    };
    let open_change = move |item: String| {
        selected.set(Some(item));
        tab.set(Tab::Item);
        crate::dom::focus_later("#panel-item".to_owned());
    };

    let on_key = move |ev: web_sys::KeyboardEvent| {
        let i = tab.get_untracked().index();
        let n = Tab::ALL.len();
        let next = match ev.key().as_str() {
            "ArrowRight" | "ArrowDown" => (i + 1) % n,
            "ArrowLeft" | "ArrowUp" => (i + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        let t = Tab::ALL[next];
        tab.set(t);
        // The tabs always exist, so focus can move at once (no waiting for a render).
        if let Some(el) = document()
            .get_element_by_id(t.id())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    };

    let tab_button = move |t: Tab| {
        view! {
            <button
                type="button"
                role="tab"
                id=t.id()
                class="panel-tab"
                aria-controls=t.panel()
                aria-selected=move || (tab.get() == t).to_string()
                tabindex=move || if tab.get() == t { "0" } else { "-1" }
                on:click=move |_| tab.set(t)
            >
                {t.label()}
            </button>
        }
    };
    let voting_active = Signal::derive(move || tab.get() == Tab::Voting);
    let history_active = Signal::derive(move || tab.get() == Tab::History);
    let facilitate_active = Signal::derive(move || tab.get() == Tab::Facilitate);
    let facts = facts(session);

    view! {
        <aside
            id="side-panel"
            class="side-panel"
            aria-label="Details, voting, facilitation, activity and history"
        >
            <FacilitationStrip session=session me=me facts=facts/>
            <div class="new-since">
                <p id="new-count">{count_text}</p>
                {move || {
                    (changes.with(Vec::len) > 0).then(|| view! {
                        <button
                            id="new-show"
                            type="button"
                            class="secondary"
                            aria-expanded=move || showing_changes.get().to_string()
                            aria-controls="new-list"
                            on:click=move |_| showing_changes.update(|s| *s = !*s)
                        >
                            {move || if showing_changes.get() { "Hide the changes" } else { "Show the changes" }}
                        </button>
                    })
                }}
                <ul id="new-list" class="new-list" hidden=move || !showing_changes.get()>
                    {move || {
                        changes
                            .get()
                            .into_iter()
                            .map(|c| {
                                let item = c.item.clone();
                                view! {
                                    <li data-item=c.item>
                                        <button
                                            type="button"
                                            class="link-button"
                                            on:click=move |_| open_change(item.clone())
                                        >
                                            {c.words}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
            <div class="panel-tabs" role="tablist" aria-label="Side panel" on:keydown=on_key>
                {Tab::ALL.into_iter().map(tab_button).collect_view()}
            </div>
            <div
                role="tabpanel"
                id=Tab::Item.panel()
                class="tab-panel"
                aria-labelledby=Tab::Item.id()
                tabindex="0"
                hidden=move || tab.get() != Tab::Item
            >
                <ItemTab session=session me=me selected=selected last_visit=last_visit now=now/>
            </div>
            <div
                role="tabpanel"
                id=Tab::Voting.panel()
                class="tab-panel"
                aria-labelledby=Tab::Voting.id()
                tabindex="0"
                hidden=move || tab.get() != Tab::Voting
            >
                <VotingTab session=session me=me active=voting_active now=now/>
            </div>
            <div
                role="tabpanel"
                id=Tab::Facilitate.panel()
                class="tab-panel"
                aria-labelledby=Tab::Facilitate.id()
                tabindex="0"
                hidden=move || tab.get() != Tab::Facilitate
            >
                <FacilitateTab session=session me=me facts=facts active=facilitate_active/>
            </div>
            <div
                role="tabpanel"
                id=Tab::Activity.panel()
                class="tab-panel"
                aria-labelledby=Tab::Activity.id()
                tabindex="0"
                hidden=move || tab.get() != Tab::Activity
            >
                <ActivityTab signals=signals me=me last_visit=last_visit now=now/>
            </div>
            <div
                role="tabpanel"
                id=Tab::Balance.panel()
                class="tab-panel"
                aria-labelledby=Tab::Balance.id()
                tabindex="0"
                hidden=move || tab.get() != Tab::Balance
            >
                <ParticipationTab signals=signals/>
            </div>
            <div
                role="tabpanel"
                id=Tab::History.panel()
                class="tab-panel"
                aria-labelledby=Tab::History.id()
                tabindex="0"
                hidden=move || tab.get() != Tab::History
            >
                <HistoryTab session=session active=history_active/>
            </div>
        </aside>
    }
}
