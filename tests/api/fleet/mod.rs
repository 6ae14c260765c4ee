//! Fleet mode: replicas sharing one real Redis (started here) in front of one synthetic Gong.

mod budget;
mod config;
mod failover;
mod gcra;
mod harness;
mod recorders;
mod replicas;
mod tenants;

use serde_json::json;

use crate::helpers::{McpClient, call};

/// `gong_list_calls` for one day `days_ago`: a Gong request nothing can merge with another day's.
pub async fn list_day(client: &McpClient, days_ago: i64) -> rmcp::model::CallToolResult {
    let date = (chrono::Utc::now() - chrono::Duration::days(days_ago))
        .format("%Y-%m-%d")
        .to_string();
    call(
        client,
        "gong_list_calls",
        json!({"fromDate": date, "toDate": date}),
    )
    .await
}
