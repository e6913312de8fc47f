//! "Changed since agreed": an agreed item whose words were edited afterwards. The edit is
//! a proposed change, not an agreed one: the decision record and every export keep the
//! agreed words. The group either agrees the change (a facilitator records it, as any
//! agreement) or puts the agreed words back.

use coboard_shared::rules::{Act, Part, may};
use coboard_shared::schema::{Action, ItemView, Status, splice_text};
use leptos::prelude::*;

use crate::activity::record;
use crate::sync::SessionHandle;
use crate::ui::access_role::{my_role, my_writer};

/// Puts the agreed text and fields back on item `id`.
fn put_back(session: SessionHandle, item: &ItemView) {
    let Some((text, fields)) = item.agreed_words() else {
        return;
    };
    let id = item.id.clone();
    let who = record::me().get_untracked().map(|i| i.author());
    session.get().edit(|board, txn| {
        if let Ok(t) = board.item_text(txn, &id) {
            let now = yrs::GetString::get_string(&t, txn);
            splice_text(txn, &t, &now, &text);
        }
        for (field, value) in &fields {
            match board.field_text(txn, &id, field) {
                Ok(t) => {
                    let now = yrs::GetString::get_string(&t, txn);
                    splice_text(txn, &t, &now, value);
                }
                Err(_) => {
                    let _ = board.set_choice(txn, &id, field, value);
                }
            }
        }
        if let Some(who) = &who {
            record::log(
                board,
                txn,
                who,
                Action::Edited,
                &id,
                "Put back the agreed words",
            );
        }
    });
}

#[component]
pub fn AgreedChange(item: ItemView) -> impl IntoView {
    let session = expect_context::<SessionHandle>();
    let signals = session.signals();
    let may_agree = may(my_writer(), Part::ItemAgreement, Act::Change);
    let can_edit = my_role().can_edit();
    let stored = StoredValue::new(item);
    let agree = move |_| {
        let Some(who) = record::me().get_untracked().map(|i| i.author()) else {
            return;
        };
        let present = signals.peers.with_untracked(|p| record::present(p));
        let id = stored.with_value(|i| i.id.clone());
        session.get().edit(|board, txn| {
            if board
                .set_status(txn, &id, Status::Agreed, &who, &present, record::now())
                .is_ok()
            {
                record::log(board, txn, &who, Action::Status, &id, "Agreed the change");
            }
        });
    };
    let undo_change = move |_| stored.with_value(|i| put_back(session, i));
    view! {
        <section class="agreed-change" aria-labelledby="agreed-change-heading">
            <h3 id="agreed-change-heading" class="panel-subheading">
                "Changed since agreed — not yet agreed"
            </h3>
            <p>
                "The words were changed after the group agreed them. Until the group agrees "
                "the change, the decision record and every export keep the agreed words."
            </p>
            <div class="button-row">
                {may_agree.then(|| view! {
                    <button type="button" class="agree-change" on:click=agree>
                        "Agree the change"
                    </button>
                })}
                {can_edit.then(|| view! {
                    <button type="button" class="put-back" on:click=undo_change>
                        "Put back the agreed words"
                    </button>
                })}
            </div>
        </section>
    }
}
