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
use tokio_util::task::TaskTracker;

use crate::store::{Store, StoreError, kind};

/// How often the sweep runs after the first one at start-up.
const EVERY: Duration = Duration::from_secs(6 * 60 * 60);

/// Records deleted per store write.
const BATCH: u64 = 500;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The date (`YYYY-MM-DD`, UTC) before which attendance is deleted at `now_ms`, keeping
/// `days` whole days before today's. One more day is kept than that: a date's minutes
/// also read the records of the day before (a session that ran past midnight).
pub fn delete_before(now_ms: i64, days: u32) -> String {
    coboard_shared::ledger::date_of(now_ms - (i64::from(days) + 1) * DAY_MS)
}

/// Deletes attendance kept under dates before [`delete_before`], a batch at a time so
/// the store's other writes never wait long behind it; returns how many went.
pub async fn sweep(store: &dyn Store, now_ms: i64, days: u32) -> Result<u64, StoreError> {
    let before = delete_before(now_ms, days);
    let mut total = 0;
    loop {
        let n = store
            .delete_records_before(kind::ATTENDANCE, &before, BATCH)
            .await?;
        total += n;
        if n < BATCH {
            return Ok(total);
        }
    }
}

/// Sweeps now and every [`EVERY`] until `cancel`. `days` of 0 keeps attendance for ever,
/// and starts nothing.
pub fn spawn(store: Arc<dyn Store>, days: u32, cancel: CancellationToken, tasks: &TaskTracker) {
    if days == 0 {
        return;
    }
    tasks.spawn(async move {
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
    fn the_keeping_time_counts_whole_days_back_from_yesterday() {
        // 2026-11-29 13:00 UTC.
        let now = 1_795_957_200_000;
        assert_eq!(coboard_shared::ledger::date_of(now), "2026-11-29");
        // Kept 1 day: yesterday's records stay, and the day before's, which yesterday's
        // minutes may read.
        assert_eq!(delete_before(now, 1), "2026-11-27");
        assert_eq!(delete_before(now, 30), "2026-10-29");
        assert_eq!(delete_before(now, 365), "2025-11-28");
    }
}
