//! Letting personal data go once it has served its purpose.
//!
//! Attendance records say when a named person was on a board. They exist so a facilitator
//! can fill in session minutes on the contribution ledger, and a ledger row copies the
//! minutes it was given, so past the keeping time the records have done their job and
//! only describe people's comings and goings. Every instance sweeps them when it starts
//! and then every few hours; sweeping is idempotent, so several instances sharing
//! PostgreSQL do no harm.

use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::store::{Store, StoreError, kind};

/// How often the sweep runs after the first one at start-up.
const EVERY: Duration = Duration::from_secs(6 * 60 * 60);

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The first date (`YYYY-MM-DD`, UTC) whose attendance is kept at `now_ms`, keeping
/// `days` whole days before today's.
pub fn first_kept_date(now_ms: i64, days: u32) -> String {
    coboard_shared::ledger::date_of(now_ms - i64::from(days) * DAY_MS)
}

/// Deletes attendance kept under dates before [`first_kept_date`]; returns how many went.
pub async fn sweep(store: &dyn Store, now_ms: i64, days: u32) -> Result<u64, StoreError> {
    let before = first_kept_date(now_ms, days);
    store.delete_records_before(kind::ATTENDANCE, &before).await
}

/// Sweeps now and every [`EVERY`] until `cancel`. `days` of 0 keeps attendance for ever,
/// and starts nothing.
pub fn spawn(store: Arc<dyn Store>, days: u32, cancel: CancellationToken) {
    if days == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = cancel.cancelled() => return,
            }
            match sweep(&*store, crate::now_ms(), days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    records = n,
                    days,
                    "attendance past its keeping time deleted"
                ),
                Err(e) => tracing::warn!(error = %e, "attendance sweep failed; trying again later"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keeping_time_counts_whole_days_back_from_today() {
        // 2026-11-29 13:00 UTC.
        let now = 1_795_957_200_000;
        assert_eq!(coboard_shared::ledger::date_of(now), "2026-11-29");
        assert_eq!(first_kept_date(now, 1), "2026-11-28");
        assert_eq!(first_kept_date(now, 30), "2026-10-30");
        assert_eq!(first_kept_date(now, 365), "2025-11-29");
    }

    /// A record made on the first kept date survives; one from the day before does not.
    #[tokio::test]
    async fn the_sweep_keeps_the_first_kept_date() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::SqliteStore::open(dir.path()).unwrap();
        let invite = crate::store::StoredInvite {
            invite: coboard_shared::api::Invite {
                id: "i1".into(),
                role: coboard_shared::api::AccessRole::Facilitator,
                label: "creator".into(),
                created_at: 0,
                expires_at: None,
                revoked: false,
            },
            board_id: "b1".into(),
            token_hash: [1; 32],
        };
        let info = coboard_shared::api::BoardInfo {
            id: "b1".into(),
            title: "Plan".into(),
            template: "blank".into(),
            created_at: 0,
            url: "/b/b1".into(),
        };
        store.create_board(&info, vec![0], &invite).await.unwrap();
        let now = 1_795_957_200_000;
        for id in ["2026-10-29-0-a", "2026-10-30-0-b", "2026-11-29-0-c"] {
            store
                .put_record("b1", kind::ATTENDANCE, id, "{}", false)
                .await
                .unwrap();
        }
        store
            .put_record("b1", kind::LEDGER_ROW, "2020-01-01", "{}", false)
            .await
            .unwrap();
        assert_eq!(sweep(&store, now, 30).await.unwrap(), 1);
        let left: Vec<String> = store
            .records("b1", kind::ATTENDANCE, "")
            .await
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(left, ["2026-10-30-0-b", "2026-11-29-0-c"]);
        assert_eq!(
            store
                .records("b1", kind::LEDGER_ROW, "")
                .await
                .unwrap()
                .len(),
            1
        );
    }
}
