//! A ceiling on the store's size, so that one busy board or a flood of new ones cannot
//! fill the disk under every other board.
//!
//! The store is measured in the background every few seconds (its files for the
//! embedded store, its tables for PostgreSQL); past `--max-store-bytes` new boards, new
//! snapshots and edits are refused with a clear reason until space is freed. Reads,
//! exports and withdrawals go on: a full store still gives back what it holds.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::store::Store;

/// How often the store is measured.
const EVERY: Duration = Duration::from_secs(5);

/// Told to whoever's change is refused.
pub const FULL: &str = "This server's storage is full, so the change was not saved. \
    Please tell the person who runs it.";

/// The store's ceiling and what was last measured. `limit` 0 means no ceiling.
#[derive(Debug, Default)]
pub struct StoreQuota {
    limit: u64,
    used: AtomicU64,
    full: AtomicBool,
}

impl StoreQuota {
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            ..Self::default()
        }
    }

    /// True once the last measurement reached the ceiling.
    pub fn is_full(&self) -> bool {
        self.full.load(Ordering::Relaxed)
    }

    /// Bytes the store held when last measured.
    pub fn used(&self) -> u64 {
        self.used.load(Ordering::Relaxed)
    }

    /// Records a measurement as the measuring task would (for tests elsewhere).
    #[cfg(test)]
    pub(crate) fn measured(&self, used: u64) {
        self.record(used);
    }

    fn record(&self, used: u64) {
        self.used.store(used, Ordering::Relaxed);
        metrics::gauge!("coboard_store_bytes").set(used as f64);
        let full = self.limit > 0 && used >= self.limit;
        if full != self.full.swap(full, Ordering::Relaxed) {
            match full {
                true => tracing::warn!(used, limit = self.limit, "store full: refusing changes"),
                false => tracing::info!(used, limit = self.limit, "store below its limit again"),
            }
        }
    }
}

/// Measures the store now (before the first request is served) and then every
/// [`EVERY`], until `cancel`. Without a ceiling nothing is started.
pub async fn start(
    store: Arc<dyn Store>,
    quota: Arc<StoreQuota>,
    cancel: CancellationToken,
    tasks: &TaskTracker,
) {
    if quota.limit == 0 {
        return;
    }
    let measure = |store: Arc<dyn Store>, quota: Arc<StoreQuota>| async move {
        match store.size_bytes().await {
            Ok(used) => quota.record(used),
            Err(e) => tracing::warn!(error = %e, "could not measure the store"),
        }
    };
    measure(store.clone(), quota.clone()).await;
    tasks.spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => measure(store.clone(), quota.clone()).await,
                _ = cancel.cancelled() => return,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_at_the_ceiling_and_never_without_one() {
        let q = StoreQuota::new(100);
        q.record(99);
        assert!(!q.is_full());
        q.record(100);
        assert!(q.is_full());
        q.record(10);
        assert!(!q.is_full(), "space freed");
        let none = StoreQuota::new(0);
        none.record(u64::MAX);
        assert!(!none.is_full());
    }
}
