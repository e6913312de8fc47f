//! "Follow me": a facilitator asks everyone's board to show what theirs shows, say while
//! walking the group through the plan. Their view's position travels with their presence
//! (`viewport`), only while "Follow me" is on. Anyone can stop following at any time;
//! that choice stays in their browser, for this board.

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::*;

use super::Facts;
use crate::sync::SessionHandle;
use crate::sync::Viewport;
use crate::ui::access_role::my_role;

/// The leader's view is published at most this often while they scroll.
const PUBLISH_EVERY: Duration = Duration::from_millis(250);

/// This page's own state of "Follow me", shared by the canvas and the side panel.
#[derive(Clone, Copy)]
pub(super) struct Mine {
    /// I chose "Stop following" (remembered in this browser, per board).
    pub opted_out: RwSignal<bool>,
    /// I switched "Follow me" on, so mine is the view others follow.
    pub leading: RwSignal<bool>,
}

thread_local! {
    static MINE: RefCell<Option<(String, Mine)>> = const { RefCell::new(None) };
}

fn opt_out_key(board: &str) -> String {
    format!("coboard.follow.off.{board}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

pub(super) fn mine(board: &str) -> Mine {
    MINE.with(|cell| {
        let mut cell = cell.borrow_mut();
        if let Some((b, m)) = cell.as_ref()
            && b == board
        {
            return *m;
        }
        let stored = storage()
            .and_then(|s| s.get_item(&opt_out_key(board)).ok().flatten())
            .is_some();
        let m = Mine {
            opted_out: RwSignal::new(stored),
            leading: RwSignal::new(false),
        };
        *cell = Some((board.to_owned(), m));
        m
    })
}

pub(super) fn set_opted_out(board: &str, off: bool) {
    if let Some(s) = storage() {
        let _ = if off {
            s.set_item(&opt_out_key(board), "1")
        } else {
            s.remove_item(&opt_out_key(board))
        };
    }
    mine(board).opted_out.set(off);
}

/// Keeps the canvas in step with "Follow me": a facilitator publishes where their view
/// is while it is on; everyone else who has not opted out scrolls to that place. Returns
/// what the canvas calls when it is scrolled.
pub fn follow_canvas(
    session: SessionHandle,
    facts: Memo<Facts>,
    canvas: NodeRef<leptos::html::Section>,
    zoom: RwSignal<f64>,
) -> impl Fn() + Copy + 'static {
    let board = session.get().board_id().to_owned();
    let Mine {
        opted_out: off,
        leading: started,
    } = mine(&board);
    let following = Memo::new(move |_| facts.with(|f| f.following));
    let leading = Memo::new(move |_| following.get() && started.get());
    let pending = StoredValue::new(false);
    let publish = move || {
        if let Some(el) = canvas.get_untracked() {
            session.get().set_viewport(Some(Viewport {
                x: f64::from(el.scroll_left()),
                y: f64::from(el.scroll_top()),
                zoom: zoom.get_untracked(),
            }));
        }
    };
    Effect::new(move |_| {
        zoom.track();
        if leading.get() {
            publish();
        } else {
            session.get().set_viewport(None);
        }
    });
    // Followers: go where the leader's view is.
    Effect::new(move |_| {
        if !following.get() || leading.get() || off.get() {
            return;
        }
        let target = session
            .signals()
            .peers
            .with(|p| p.iter().filter(|p| !p.me).find_map(|p| p.viewport));
        if let (Some(v), Some(el)) = (target, canvas.get()) {
            // The leader's zoom too (a view of the same part of the board); the surface is
            // resized by the next render, then scrolled.
            if v.zoom.is_finite() && v.zoom > 0.0 && (v.zoom - zoom.get_untracked()).abs() > 0.001 {
                zoom.set(v.zoom.clamp(0.25, 2.0));
            }
            request_animation_frame(move || {
                el.set_scroll_left(v.x.round() as i32);
                el.set_scroll_top(v.y.round() as i32);
            });
        }
    });
    // While I scroll, my view goes out once per [`PUBLISH_EVERY`], where the scrolling
    // has got to by then, so the last position is always the one sent.
    move || {
        if leading.get_untracked() && !pending.get_value() {
            pending.set_value(true);
            set_timeout(
                move || {
                    let _ = pending.try_set_value(false);
                    if leading.try_get_untracked() == Some(true) {
                        publish();
                    }
                },
                PUBLISH_EVERY,
            );
        }
    }
}

/// The facilitator's switch in the Facilitate tab; others read there whether they are
/// asked to follow (their "Stop following" is above the tabs, in `follow_notice`).
#[component]
pub fn FollowBox(session: SessionHandle, facts: Memo<Facts>) -> impl IntoView {
    let manage = my_role().can_manage();
    let following = Memo::new(move |_| facts.with(|f| f.following));
    let started = mine(session.get().board_id()).leading;
    let leading = Memo::new(move |_| following.get() && started.get());
    // Switching on makes my view the one followed, even if another facilitator's was.
    let toggle = move |_| {
        let on = !leading.get_untracked();
        started.set(on);
        session
            .get()
            .edit(|board, txn| board.set_following(txn, on, js_sys::Date::now()));
    };
    view! {
        <section class="follow-box" aria-labelledby="follow-heading">
            <h3 id="follow-heading" class="panel-subheading">"Follow me"</h3>
            {if manage {
                view! {
                    <p class="panel-help">
                        "Ask everyone's board to show the part of the board yours shows. "
                        "Each person can stop following."
                    </p>
                    <button
                        id="follow-toggle"
                        type="button"
                        class="secondary"
                        aria-pressed=move || leading.get().to_string()
                        on:click=toggle
                    >
                        "Ask everyone to follow my view"
                    </button>
                }
                    .into_any()
            } else {
                view! {
                    <p class="panel-help">
                        {move || if following.get() {
                            "The facilitator has asked everyone's board to follow their view."
                        } else {
                            "Nobody is asking you to follow their view now."
                        }}
                    </p>
                }
                    .into_any()
            }}
        </section>
    }
}
