//! What everyone needs to see whichever tab is open, above the side panel's tabs: the
//! offer of the facilitator role (to its person only), the round timer, whether my view
//! follows the facilitator's, and spoken news of what changed (a reveal, a new lead, the
//! spotlight). Live regions inside a hidden tab are not read out, hence this strip.

use coboard_shared::schema::SilentState;
use leptos::prelude::*;

use super::Facts;
use super::follow_notice::FollowNotice;
use super::offer::HandoverBanner;
use super::timer::RoundTimer;
use crate::facilitation::silent;
use crate::identity::Identity;
use crate::sync::SessionHandle;

/// The parts of the facts the news is about.
#[derive(Clone, PartialEq)]
struct Seen {
    rounds: Vec<(String, SilentState)>,
    lead: Option<String>,
    spotlight: Option<String>,
}

fn seen(f: &Facts) -> Seen {
    Seen {
        rounds: f.silent.iter().map(|r| (r.id.clone(), r.state)).collect(),
        lead: f.lead.as_ref().map(|l| format!("{}|{}", l.name, l.since)),
        spotlight: f.spotlight.clone(),
    }
}

#[component]
pub fn FacilitationStrip(
    session: SessionHandle,
    me: RwSignal<Option<Identity>>,
    facts: Memo<Facts>,
) -> impl IntoView {
    let said = RwSignal::new(String::new());
    Effect::new(move |before: Option<Seen>| {
        let now = facts.with(seen);
        if let Some(before) = before {
            let words = facts.with(|f| {
                silent::news(&before.rounds, f)
                    .or_else(|| {
                        (now.lead != before.lead)
                            .then(|| {
                                f.lead
                                    .as_ref()
                                    .map(|l| format!("{} is now facilitating.", l.name))
                            })
                            .flatten()
                    })
                    .or_else(|| {
                        (now.spotlight != before.spotlight).then(|| match &now.spotlight {
                            Some(_) => {
                                "An item is in the spotlight. Your board shows it.".to_owned()
                            }
                            None => "The spotlight has ended.".to_owned(),
                        })
                    })
            });
            if let Some(words) = words {
                said.set(words);
            }
        }
        now
    });

    view! {
        <HandoverBanner session=session me=me facts=facts/>
        <RoundTimer facts=facts/>
        <FollowNotice session=session facts=facts/>
        <p id="facilitation-news" class="silent-news" role="status">{move || said.get()}</p>
    }
}
