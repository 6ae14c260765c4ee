//! The tenant's newest meetings, newest first, at a bounded cost in provider requests.
//!
//! Gong lists a window oldest first and pages forward only, so its newest calls are found by
//! walking back from `to` in windows: a window with more calls than one page is narrowed (to a
//! quarter) and asked again, a window that fits is taken whole and the next one reaches further
//! back. Gong's pages are cached per tenant, so the pages of `resources/list` and the completions
//! that share a `to` cost Gong nothing after the first. Fathom and Fireflies list newest first:
//! their first pages are the newest meetings.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use crate::mcp::error::ToolError;
use crate::mcp::meeting_client::MeetingClient;
use crate::meetings::{MeetingHeader, MeetingProvider, Source, WindowQuery};

/// How far back the newest meetings are looked for.
pub const LOOKBACK_DAYS: i64 = 30;
/// Provider requests one search may send.
const MAX_REQUESTS: usize = 12;
const FIRST_SPAN_HOURS: i64 = 24;
const MIN_SPAN_HOURS: i64 = 1;

/// Up to `want` meetings that started before `to` (and at most 30 days before it), newest first.
pub async fn newest(
    client: &MeetingClient,
    to: DateTime<Utc>,
    want: usize,
) -> Result<Vec<Arc<MeetingHeader>>, ToolError> {
    let mut found = match client.source() {
        Source::Gong => walk_back(client, to, want).await?,
        Source::Fathom | Source::Fireflies => newest_pages(client, to, want).await?,
    };
    found.truncate(want);
    Ok(found)
}

/// Gong: windows walked back from `to`, each read whole and put newest first.
async fn walk_back(
    client: &MeetingClient,
    to: DateTime<Utc>,
    want: usize,
) -> Result<Vec<Arc<MeetingHeader>>, ToolError> {
    let floor = to - Duration::days(LOOKBACK_DAYS);
    let mut end = to;
    let mut span = Duration::hours(FIRST_SPAN_HOURS);
    let mut found = Vec::new();
    let mut requests = 0;
    while found.len() < want && end > floor && requests < MAX_REQUESTS {
        let start = (end - span).max(floor);
        let mut query = WindowQuery {
            from: start,
            to: end,
            cursor: None,
        };
        let first = client.list_window(&query).await?;
        requests += 1;
        if first.next_cursor.is_some() && span > Duration::hours(MIN_SPAN_HOURS) {
            span = (span / 4).max(Duration::hours(MIN_SPAN_HOURS));
            continue;
        }
        let mut window = first.meetings;
        // Even an hour holds more than a page: read on, within the budget.
        let mut cursor = first.next_cursor;
        while let Some(c) = cursor.take() {
            if requests >= MAX_REQUESTS {
                break;
            }
            query.cursor = Some(c);
            let page = client.list_window(&query).await?;
            requests += 1;
            window.extend(page.meetings);
            cursor = page.next_cursor;
        }
        window.sort_by_key(|m| std::cmp::Reverse(started_at(m)));
        found.extend(window);
        end = start;
        span = (span * 4).min(Duration::days(LOOKBACK_DAYS));
    }
    Ok(found)
}

/// Fathom, Fireflies: pages of the last 30 days, newest first, until `want` are found.
async fn newest_pages(
    client: &MeetingClient,
    to: DateTime<Utc>,
    want: usize,
) -> Result<Vec<Arc<MeetingHeader>>, ToolError> {
    let mut query = WindowQuery {
        from: to - Duration::days(LOOKBACK_DAYS),
        to,
        cursor: None,
    };
    let mut found = Vec::new();
    for _ in 0..MAX_REQUESTS {
        let page = client.list_window(&query).await?;
        // Each page comes oldest first.
        found.extend(page.meetings.into_iter().rev());
        match page.next_cursor {
            Some(c) if found.len() < want => query.cursor = Some(c),
            _ => break,
        }
    }
    found.sort_by_key(|m| std::cmp::Reverse(started_at(m)));
    Ok(found)
}

/// When the meeting started (unknown: the epoch, so it sorts last).
pub fn started_at(meeting: &MeetingHeader) -> DateTime<Utc> {
    meeting
        .started
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default()
}
