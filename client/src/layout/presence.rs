//! "Who is here": everyone on the board with their role and colour. Below it, for
//! facilitators only, the access needs people chose to share with them; and, for people
//! who use a screen reader, spoken news of who comes and goes.

use leptos::prelude::*;

use crate::needs::announcer::NeedsAnnouncer;
use crate::needs::easy_read::EasyRead;
use crate::needs::room::NeedsRoom;
use crate::sync::Signals;

#[component]
pub fn Presence(signals: Signals) -> impl IntoView {
    view! {
        <section class="presence" aria-labelledby="presence-heading">
            <h2 id="presence-heading">"Who is here"</h2>
            <EasyRead text="These people have this board open now."/>
            <ul id="presence">
                <For
                    each=move || signals.peers.get()
                    key=|p| (p.client_id, p.name.clone(), p.role_label.clone(), p.colour.clone())
                    let(peer)
                >
                    <li>
                        <span
                            class="dot"
                            aria-hidden="true"
                            style:background-color=peer.colour.clone()
                        ></span>
                        <span class="who">
                            {peer.name.clone()}
                            {peer.me.then_some(" (you)")}
                        </span>
                        {(!peer.role_label.is_empty())
                            .then(|| view! { <span class="role">{peer.role_label.clone()}</span> })}
                    </li>
                </For>
            </ul>
        </section>
        <NeedsRoom signals=signals/>
        <NeedsAnnouncer signals=signals/>
    }
}
