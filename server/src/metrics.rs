//! `/metrics`: counters and gauges in the Prometheus text format.
//!
//! Code records through the `metrics` macros wherever things happen; this module installs
//! the process-wide recorder once and renders it, filling in the gauges that are cheaper
//! to read at scrape time than to keep up to date.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the recorder (once per process; later calls reuse it).
pub fn install() {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                metrics_exporter_prometheus::Matcher::Suffix("_seconds".into()),
                &[
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ],
            )
            .expect("bucket list is not empty");
        match builder.install_recorder() {
            Ok(handle) => Some(handle),
            Err(e) => {
                tracing::warn!(error = %e, "metrics recorder not installed");
                None
            }
        }
    });
}

/// The current metrics, with the scrape-time gauges set from the loaded boards.
pub fn render(registry: &crate::board::Registry) -> String {
    let Some(Some(handle)) = HANDLE.get() else {
        return String::new();
    };
    let cluster = registry.cluster();
    metrics::gauge!("coboard_boards_loaded").set(registry.loaded() as f64);
    metrics::gauge!("coboard_connections").set(cluster.connections() as f64);
    metrics::gauge!("coboard_redis_connected").set(f64::from(u8::from(cluster.connected())));
    handle.render()
}

/// Seconds since `start`, for the store latency histogram.
pub(crate) fn store_op(op: &'static str, start: std::time::Instant) {
    metrics::histogram!("coboard_store_seconds", "op" => op).record(start.elapsed().as_secs_f64());
}
