//! Prometheus metrics: one process-wide recorder, rendered at `GET /metrics`.
//!
//! Labels are bounded and never carry a tenant's key or secret: tool, outcome, Gong endpoint,
//! HTTP status, retry reason, cache result.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Seconds; from sub-millisecond cache hits to a full 30 s tool deadline.
const LATENCY_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0,
];

/// The recorder, installed on first use. `None` if another recorder was installed first (an
/// embedding application's): then that one collects our metrics.
pub fn prometheus() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets(&LATENCY_BUCKETS)
                .ok()?
                .install_recorder()
                .ok()?;
            describe();
            Some(handle)
        })
        .as_ref()
}

/// Text for `GET /metrics`.
pub fn render() -> String {
    prometheus().map(|h| h.render()).unwrap_or_default()
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!("mcp_tool_calls_total", "Tool calls by tool and outcome");
    describe_histogram!(
        "mcp_tool_call_duration_seconds",
        metrics::Unit::Seconds,
        "Tool call latency by tool and outcome"
    );
    describe_gauge!("mcp_tool_calls_in_flight", "Tool calls being served now");
    describe_counter!(
        "gong_requests_total",
        "Requests sent to Gong by endpoint and HTTP status"
    );
    describe_histogram!(
        "gong_request_duration_seconds",
        metrics::Unit::Seconds,
        "Gong request latency by endpoint"
    );
    describe_counter!(
        "gong_rate_limited_total",
        "429 answers from Gong by endpoint"
    );
    describe_counter!(
        "gong_retries_total",
        "Gong requests retried, by endpoint and reason"
    );
    describe_counter!(
        "gong_requests_coalesced_total",
        "Tool requests that joined an identical in-flight Gong request"
    );
    describe_counter!(
        "gong_cache_lookups_total",
        "Cache lookups for Gong answers, by result (hit/miss)"
    );
    describe_histogram!(
        "gong_limiter_wait_seconds",
        metrics::Unit::Seconds,
        "Time a Gong request waited for its tenant's pacing slot"
    );
    describe_counter!(
        "http_requests_rejected_total",
        "HTTP requests refused before MCP processing, by reason"
    );
}
