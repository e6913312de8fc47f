//! Above the side panel's tabs while "Follow me" is on: whether my board follows the
//! facilitator's view, and the way out ("Stop following"), which is always one press.

use leptos::prelude::*;

use super::Facts;
use super::follow::{Mine, mine, set_opted_out};
use crate::sync::SessionHandle;

/// Above the tabs while "Follow me" is on: whether my board follows, and the way out.
#[component]
pub fn FollowNotice(session: SessionHandle, facts: Memo<Facts>) -> impl IntoView {
    let board = session.get().board_id().to_owned();
    let Mine {
        opted_out: off,
        leading,
    } = mine(&board);
    // Whoever leads does not follow themselves.
    let showing = Memo::new(move |_| facts.with(|f| f.following) && !leading.get());
    let flip = move |_| set_opted_out(&board, !off.get_untracked());
    view! {
        <Show when=move || showing.get()>
            <p class="follow-notice facilitate-row">
                <span>
                    {move || if off.get() {
                        "You have stopped following the facilitator's view."
                    } else {
                        "Your board follows the facilitator's view."
                    }}
                </span>
                <button id="follow-stop" type="button" class="secondary" on:click=flip.clone()>
                    {move || if off.get() { "Follow again" } else { "Stop following" }}
                </button>
            </p>
        </Show>
    }
}
