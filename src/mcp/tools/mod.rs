//! The three Gong tools. Each turns Gong's answers into an output type (the `structuredContent`,
//! with its JSON schema) and a compact text form for agents that read text.

pub mod call_details;
pub mod list_calls;
pub mod transcript;

use rmcp::model::{CallToolResult, ContentBlock};
use serde::Serialize;

/// A successful tool answer: readable text plus the same facts as structured JSON.
pub struct ToolOutput {
    text: String,
    structured: serde_json::Value,
}

impl ToolOutput {
    pub fn new<T: Serialize>(text: String, structured: &T) -> Self {
        Self {
            text,
            structured: serde_json::to_value(structured).unwrap_or(serde_json::Value::Null),
        }
    }

    pub fn into_result(self) -> CallToolResult {
        let mut result = CallToolResult::success(vec![ContentBlock::text(self.text)]);
        result.structured_content = Some(self.structured);
        result
    }
}

/// "2026-11-03 14:03 UTC" from Gong's ISO timestamp (as given if unreadable).
pub fn fmt_started(iso: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(iso)
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .format("%Y-%m-%d %H:%M UTC")
                .to_string()
        })
        .unwrap_or_else(|_| iso.to_owned())
}

/// "1h 05m", "35m 10s", "42s".
pub fn fmt_duration(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else if m > 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{s}s")
    }
}

/// "mm:ss", or "h:mm:ss" from an hour on.
pub fn fmt_clock(seconds: f64) -> String {
    let total = seconds.max(0.0) as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fmt_duration(3900), "1h 05m");
        assert_eq!(fmt_duration(2110), "35m 10s");
        assert_eq!(fmt_duration(42), "42s");
        assert_eq!(fmt_clock(65.4), "01:05");
        assert_eq!(fmt_clock(3700.0), "1:01:40");
        assert_eq!(
            fmt_started("2026-11-03T06:03:37.041977-08:00"),
            "2026-11-03 14:03 UTC"
        );
        assert_eq!(fmt_started("garbage"), "garbage");
    }
}
