//! The tenant's newest calls, newest first, at a bounded cost in Gong requests.
//!
//! Gong lists a window oldest first and pages forward only, so the newest calls are found by
//! walking back from `to` in windows: a window with more calls than one page is narrowed (to a
//! quarter) and asked again, a window that fits is taken whole and the next one reaches further
//! back. Pages are cached per tenant, so the pages of `resources/list` and the completions that
//! share a `to` cost Gong nothing after the first.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::gong::types::CallMeta;
use crate::gong::{GongClient, GongError, ListCallsQuery};

/// How far back the newest calls are looked for.
pub const LOOKBACK_DAYS: i64 = 30;
/// Gong requests one search may send.
const MAX_REQUESTS: usize = 12;
const FIRST_SPAN_HOURS: i64 = 24;
const MIN_SPAN_HOURS: i64 = 1;

/// Up to `want` calls that started before `to` (and at most 30 days before it), newest first.
pub async fn newest(
    client: &GongClient,
    to: DateTime<Utc>,
    want: usize,
) -> Result<Vec<CallMeta>, GongError> {
    let floor = to - Duration::days(LOOKBACK_DAYS);
    let mut end = to;
    let mut span = Duration::hours(FIRST_SPAN_HOURS);
    let mut found: Vec<CallMeta> = Vec::new();
    let mut requests = 0;
    while found.len() < want && end > floor && requests < MAX_REQUESTS {
        let start = (end - span).max(floor);
        let mut query = ListCallsQuery {
            from: Some(start),
            to: Some(end),
            workspace_id: None,
            cursor: None,
        };
        let first = client.list_calls(&query).await?;
        requests += 1;
        if first.records.cursor.is_some() && span > Duration::hours(MIN_SPAN_HOURS) {
            span = (span / 4).max(Duration::hours(MIN_SPAN_HOURS));
            continue;
        }
        let mut window: Vec<CallMeta> = first.calls.clone();
        // Even an hour holds more than a page: read on, within the budget.
        let mut page: Arc<_> = first;
        while let Some(cursor) = page.records.cursor.clone() {
            if requests >= MAX_REQUESTS {
                break;
            }
            query.cursor = Some(cursor);
            page = client.list_calls(&query).await?;
            requests += 1;
            window.extend(page.calls.iter().cloned());
        }
        window.sort_by_key(|c| std::cmp::Reverse(started_at(c)));
        found.extend(window);
        end = start;
        span = (span * 4).min(Duration::days(LOOKBACK_DAYS));
    }
    found.truncate(want);
    Ok(found)
}

/// When the call started (unknown: the epoch, so it sorts last).
pub fn started_at(call: &CallMeta) -> DateTime<Utc> {
    call.started
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}
