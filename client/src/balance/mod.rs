//! The "Balance" tab: how much each role has contributed (items, edits, votes,
//! comments), so the group can see whether power is really being shared. Below the
//! counts: paying people for their time (the contribution ledger for facilitators, each
//! person's own statement for everyone else) and the evidence for the UK Standards for
//! Public Involvement, since fair payment and shared power are judged together.

mod api;
pub mod standards;

use coboard_shared::schema::{ParticipantRole, Participation, RoleCounts};
use leptos::prelude::*;

use crate::balance::standards::StandardsEvidence;
use crate::ledger::LedgerDialog;
use crate::ledger::statement::StatementDownload;
use crate::sync::Signals;
use crate::ui::access_role::my_role;

/// Public members count as contributing "much less" below this share of professionals'.
const MUCH_LESS: f64 = 0.5;

/// Whole-number percentage of `part` in `whole` (0 when there is nothing yet).
fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        0
    } else {
        ((f64::from(part) * 100.0) / f64::from(whole)).round() as u32
    }
}

/// One plain sentence about public members compared with professionals.
pub fn balance_sentence(p: &Participation) -> String {
    let public = p.role(ParticipantRole::Public).total();
    let professional = p.role(ParticipantRole::Professional).total();
    if public == 0 && professional == 0 {
        "Nobody has contributed yet, so there is nothing to compare.".to_owned()
    } else if professional > 0 && f64::from(public) < f64::from(professional) * MUCH_LESS {
        format!(
            "Public members have contributed much less than professionals so far \
             ({public} compared with {professional}). It may help to invite their views first."
        )
    } else if public > 0 && f64::from(professional) < f64::from(public) * MUCH_LESS {
        format!(
            "Public members have contributed more than professionals so far \
             ({public} compared with {professional})."
        )
    } else {
        format!(
            "Public members and professionals have contributed about the same so far \
             ({public} compared with {professional})."
        )
    }
}

#[component]
pub fn ParticipationTab(signals: Signals) -> impl IntoView {
    let rows = move || {
        let p = signals.participation.get();
        ParticipantRole::ALL
            .into_iter()
            .map(|r| (r, p.role(r)))
            .collect::<Vec<(ParticipantRole, RoleCounts)>>()
    };
    let grand = move || rows().iter().map(|(_, c)| c.total()).sum::<u32>();
    let payments = if my_role().can_manage() {
        view! { <LedgerDialog/> }.into_any()
    } else {
        view! { <StatementDownload/> }.into_any()
    };

    view! {
        <h2 class="panel-heading">"Who is taking part"</h2>
        <p class="panel-help">
            "Co-production means sharing power. These counts show how much each role has added. "
            "Roles are the ones people chose when they joined."
        </p>
        <p id="balance-sentence" class="balance-sentence">
            {move || balance_sentence(&signals.participation.get())}
        </p>
        <div class="table-wrap" role="region" aria-label="Contributions by role" tabindex="0">
            <table id="participation">
                <caption>"Contributions by role"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Role"</th>
                        <th scope="col">"Items"</th>
                        <th scope="col">"Edits"</th>
                        <th scope="col">"Votes"</th>
                        <th scope="col">"Comments"</th>
                        <th scope="col">"Total"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        rows()
                            .into_iter()
                            .map(|(role, c)| {
                                view! {
                                    <tr data-role=role.as_str()>
                                        <th scope="row">{role.label()}</th>
                                        <td>{c.items}</td>
                                        <td>{c.edits}</td>
                                        <td>{c.votes}</td>
                                        <td>{c.comments}</td>
                                        <td class="total">{c.total()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
        <h3 class="panel-subheading">"Share of all contributions"</h3>
        <ul class="share-bars">
            {move || {
                let all = grand();
                rows()
                    .into_iter()
                    .map(|(role, c)| {
                        let share = percent(c.total(), all);
                        view! {
                            <li class="share-row" data-role=role.as_str()>
                                <span class="share-label">{role.label()}</span>
                                <span class="share-bar" aria-hidden="true">
                                    <span class="share-fill" style:width=format!("{share}%")></span>
                                </span>
                                <span class="share-value">
                                    {format!("{share}% ({} of {all})", c.total())}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
        <p class="panel-note">
            "Items from the board's template are not counted. "
            "Votes in a sealed round are counted once the round closes."
        </p>
        {payments}
        <StandardsEvidence/>
    }
}
