//! The "Item" tab: the selected item's details (kind, text, author, status and, once
//! agreed, the decision record), "Withdraw my contribution" where I may, its comment
//! thread oldest first, and a form to add a comment. Comments let people carry on the
//! conversation between meetings.

use std::collections::HashMap;

use coboard_shared::schema::{
    Action, ActivityEntry, CommentView, Decision, ItemView, MAX_COMMENT_CHARS, Status, kind_label,
};
use coboard_shared::templates;
use leptos::prelude::*;

use crate::activity::seen::{NewMarker, is_new_comment, is_new_for};
use crate::activity::{ago, iso, when, who};
use crate::identity::Identity;
use crate::items::consent_chooser::ConsentChooser;
use crate::items::outcome::OutcomePanel;
use crate::items::your_outcomes::YourOutcomes;
use crate::sync::{SessionHandle, Signals};
use crate::ui::access_role::my_role;
use crate::ui::text::{first_words, sentence};
use crate::withdraw::Withdraw;

/// Words of a comment kept in its activity line.
const DETAIL_CHARS: usize = 60;

/// Who made an item, in words.
fn made_by(item: &ItemView) -> String {
    if item.seeded {
        "Part of the board's template".to_owned()
    } else {
        who(&item.author)
    }
}

/// Labels for an item's fields and what it is about, from the board's template.
fn field_rows(item: &ItemView, template: &str) -> (Option<String>, Vec<(String, String)>) {
    let section = templates::get(template).and_then(|t| t.section(&item.section));
    let about = section.and_then(|s| {
        s.checks
            .iter()
            .find(|c| c.id == item.reference)
            .map(|c| c.name)
            .or_else(|| {
                s.principles
                    .iter()
                    .find(|p| p.id == item.reference)
                    .map(|p| p.name)
            })
            .map(str::to_owned)
    });
    let rows = item
        .fields
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| {
            let label = section
                .and_then(|s| s.fields.iter().find(|f| f.id == k.as_str()))
                .map_or_else(|| k.replace('-', " "), |f| f.label.to_owned());
            (label, v.clone())
        })
        .collect();
    (about, rows)
}

fn decision_view(d: Decision) -> impl IntoView {
    let present = if d.present.is_empty() {
        view! { <p>"Not recorded."</p> }.into_any()
    } else {
        view! {
            <ul class="present-list">
                {d.present.iter().map(|a| view! { <li>{who(a)}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="decision-record" aria-labelledby="decision-heading">
            <h3 id="decision-heading" class="panel-subheading">"Decision record"</h3>
            <dl class="facts">
                <dt>"What was agreed"</dt>
                <dd class="decision-what">{d.what.clone()}</dd>
                <dt>"When"</dt>
                <dd><time datetime=iso(d.at)>{when(d.at)}</time></dd>
                <dt>"Marked as agreed by"</dt>
                <dd>{who(&d.by)}</dd>
                <dt>"Who was there"</dt>
                <dd>{present}</dd>
            </dl>
        </section>
    }
}

fn details_view(item: ItemView, template: &str, fresh: bool, now: f64) -> impl IntoView + use<> {
    let (about, fields) = field_rows(&item, template);
    let text = if item.text.trim().is_empty() {
        view! { <p class="item-text empty">"No text yet."</p> }.into_any()
    } else {
        view! { <p class="item-text">{item.text.clone()}</p> }.into_any()
    };
    let changed = (item.updated_at > item.created_at + 1000.0).then(|| {
        view! {
            <dt>"Last changed"</dt>
            <dd><time datetime=iso(item.updated_at) title=when(item.updated_at)>
                {ago(item.updated_at, now)}
            </time></dd>
        }
    });
    let decision = (item.status == Status::Agreed)
        .then(|| item.decision.clone().map(decision_view))
        .flatten();
    let change = item
        .changed_since_agreed()
        .then(|| view! { <crate::items::agreed_change::AgreedChange item=item.clone()/> });
    view! {
        <h2 id="item-heading" class="panel-heading" data-kind=item.kind.clone()>
            {kind_label(&item.kind)}
            {fresh.then(|| view! { " " <NewMarker/> })}
        </h2>
        {about.map(|a| view! { <p class="item-about">{format!("About: {a}")}</p> })}
        {text}
        <dl class="facts">
            <dt>"Added by"</dt>
            <dd class="item-author">{made_by(&item)}</dd>
            <dt>"Status"</dt>
            <dd class="item-status" data-status=item.status.as_str()>{item.status.label()}</dd>
            <dt>"Added"</dt>
            <dd><time datetime=iso(item.created_at) title=when(item.created_at)>
                {ago(item.created_at, now)}
            </time></dd>
            {changed}
            {fields
                .into_iter()
                .map(|(label, value)| view! { <dt>{label}</dt> <dd class="field-value">{value}</dd> })
                .collect_view()}
        </dl>
        {decision}
        {change}
    }
}

fn comment_view(c: CommentView, fresh: bool, now: f64) -> impl IntoView {
    view! {
        <li data-comment=c.id.clone() class:is-new=fresh>
            <p class="comment-meta">
                <span class="comment-author">{c.author.display().to_owned()}</span>
                " "
                <span class="comment-role">{format!("({})", c.author.role.label())}</span>
                " "
                <time datetime=iso(c.at) title=when(c.at)>{ago(c.at, now)}</time>
                {fresh.then(|| view! { " " <NewMarker/> })}
            </p>
            <p class="comment-text">{c.text}</p>
        </li>
    }
}

#[component]
pub fn ItemTab(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    selected: RwSignal<Option<String>>,
    last_visit: f64,
    now: RwSignal<f64>,
) -> impl IntoView {
    let signals = session.signals();
    let item = Memo::new(move |_| {
        let id = selected.get()?;
        signals
            .items
            .with(|items| items.iter().find(|i| i.id == id).cloned())
    });
    // Only the id: the comment form below must not be rebuilt while someone types.
    let shown = Memo::new(move |_| item.with(|i| i.as_ref().map(|i| i.id.clone())));
    let drafts = RwSignal::new(HashMap::<String, String>::new());
    let board_id = StoredValue::new(session.get().board_id().to_owned());

    view! {
        {move || {
            if selected.get().is_none() {
                return view! {
                    <h2 class="panel-heading">"Item"</h2>
                    <p class="panel-empty">
                        "Nothing is selected. Select a note on the board or in the list "
                        "to see its details and comments here."
                    </p>
                    <YourOutcomes session=session me=me selected=selected last_visit=last_visit/>
                }
                    .into_any();
            }
            let Some(id) = shown.get() else {
                // Removed items wait in the bin; say so, and who put it there.
                let binned = selected.get().and_then(|id| {
                    session.get().read(|board, txn| board.removal(txn, &id))
                });
                let said = match binned {
                    Some(r) => format!(
                        "This item is in the bin: {} removed it. A facilitator can put it back.",
                        crate::activity::who(&r.by)
                    ),
                    None => "This item is no longer on the board.".to_owned(),
                };
                return view! {
                    <h2 class="panel-heading">"Item"</h2>
                    <p class="panel-empty">{said}</p>
                }
                    .into_any();
            };
            view! {
                <div class="item-details">
                    {move || {
                        let template = signals.template.get();
                        let now = now.get();
                        item.get().map(|i| {
                            let fresh = me.with(|m| {
                                board_id.with_value(|b| is_new_for(b, &i, m.as_ref()))
                            });
                            details_view(i, &template, fresh, now)
                        })
                    }}
                </div>
                <OutcomePanel session=session item=id.clone()/>
                <ConsentChooser session=session me=me item=id.clone()/>
                <Withdraw session=session me=me item=id.clone()/>
                <Thread signals=signals item=id.clone() me=me last_visit=last_visit now=now/>
                <CommentForm session=session me=me item=id drafts=drafts/>
            }
                .into_any()
        }}
    }
}

#[component]
fn Thread(
    signals: Signals,
    item: String,
    me: RwSignal<Option<Identity>>,
    last_visit: f64,
    now: RwSignal<f64>,
) -> impl IntoView {
    let thread = Memo::new(move |_| {
        signals.comments.with(|all| {
            all.iter()
                .filter(|c| c.item == item)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h3 id="comments-heading" class="panel-subheading">
            {move || match thread.with(Vec::len) {
                0 => "Comments".to_owned(),
                1 => "Comments (1)".to_owned(),
                n => format!("Comments ({n})"),
            }}
        </h3>
        {move || {
            thread
                .with(Vec::is_empty)
                .then(|| view! { <p class="panel-empty">"No comments yet."</p> })
        }}
        <ul id="comments" class="comment-list" aria-labelledby="comments-heading">
            {move || {
                let my_id = me.with(|m| m.as_ref().map(|m| m.id.clone())).unwrap_or_default();
                let now = now.get();
                thread
                    .get()
                    .into_iter()
                    .map(|c| {
                        let fresh = is_new_comment(&c, last_visit, &my_id);
                        comment_view(c, fresh, now)
                    })
                    .collect_view()
            }}
        </ul>
    }
}

#[component]
fn CommentForm(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    item: String,
    drafts: RwSignal<HashMap<String, String>>,
) -> impl IntoView {
    if !my_role().can_edit() {
        return view! {
            <p class="panel-note">"Your link lets you read comments but not add them."</p>
        }
        .into_any();
    }
    let item = StoredValue::new(item);
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());
    let area = NodeRef::<leptos::html::Textarea>::new();
    let initial = drafts.with_untracked(|d| d.get(&item.get_value()).cloned().unwrap_or_default());

    let submit = move || {
        let Some(textarea) = area.get_untracked() else {
            return;
        };
        let text = textarea.value().trim().to_owned();
        done.set(String::new());
        if text.is_empty() {
            error.set(Some("Write your comment first.".to_owned()));
            return;
        }
        let Some(person) = me.get_untracked() else {
            error.set(Some(
                "Choose your name and role first, with “Change my name or role”.".to_owned(),
            ));
            return;
        };
        let item_id = item.get_value();
        let signals = session.signals();
        let kind = signals
            .items
            .item_untracked(&item_id)
            .map(|i| i.kind)
            .unwrap_or_default();
        let author = person.author();
        let id = crate::dom::random_hex(2);
        let at = js_sys::Date::now();
        let mut result = Ok(());
        // Anonymous comments carry no id: remember them as mine, so they are not "New".
        crate::activity::seen::remember_mine(&id);
        crate::activity::seen::remember_my_entry(&item_id, at);
        session.get().edit(|board, txn| {
            result = board.add_comment(txn, &id, &item_id, &text, &author, at);
            if result.is_ok() {
                board.log(
                    txn,
                    &ActivityEntry {
                        at,
                        who: author.clone(),
                        action: Action::Commented,
                        item: item_id.clone(),
                        kind,
                        detail: first_words(&text, DETAIL_CHARS),
                    },
                );
            }
        });
        match result {
            Ok(()) => {
                textarea.set_value("");
                drafts.update(|d| {
                    d.remove(&item_id);
                });
                error.set(None);
                done.set("Your comment was added.".to_owned());
            }
            Err(e) => error.set(Some(sentence(&e.to_string()))),
        }
    };

    view! {
        <form
            class="comment-form"
            on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                submit();
            }
        >
            <label for="comment-text">"Add a comment"</label>
            <textarea
                id="comment-text"
                node_ref=area
                rows="3"
                maxlength=MAX_COMMENT_CHARS.to_string()
                aria-describedby="comment-hint"
                prop:value=initial
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    drafts.update(|d| {
                        d.insert(item.get_value(), value);
                    });
                    error.set(None);
                }
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <p id="comment-hint" class="field-hint">
                {move || {
                    if me.with(|m| m.as_ref().is_some_and(|m| m.anonymous)) {
                        "Everyone on the board can read it. Your name will not be shown."
                    } else {
                        "Everyone on the board can read it, with your name."
                    }
                }}
            </p>
            <button id="comment-add" type="submit" class="primary">"Add comment"</button>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <p class="form-done" role="status">{move || done.get()}</p>
        </form>
    }
    .into_any()
}
