//! `gong_list_calls`: calls in a date range, filtered server-side over Gong's pages, with a cursor
//! that carries the whole query so continuing needs nothing else.
//!
//! Gong's `GET /v2/calls` filters only by date and workspace, so the other filters are applied
//! here, page by page. One answer scans a bounded number of Gong pages (each costs a request, and
//! with participants a second one) and says so when it stopped before the end of the range.

mod query;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

use super::super::args::{DEFAULT_WINDOW_DAYS, DateRange, ListCallsArgs};
use super::super::error::ToolError;
use super::super::render::calls::{CallSummary, ScanOut, call_lines, calls_that_fit, render};
use super::super::render::json_len;
use super::ToolOutput;
use crate::gong::types::ExtensiveCall;
use crate::gong::{GongClient, ListCallsQuery};
use query::{Cursor, Query};

pub use super::super::render::calls::ListCallsOutput;

const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
/// Gong pages (100 calls each) one answer may scan: 10 requests, about 3.5 s at Gong's 3/s.
pub const MAX_SCAN_PAGES: usize = 10;
/// The same when every page also needs its participants (two requests a page).
pub const MAX_SCAN_PAGES_WITH_PARTICIPANTS: usize = 5;

/// A listed call and the cursor position that points at it (to resume there if it is cut): its
/// page's cursor, shared by the page's calls, and its offset in that page.
struct Found {
    summary: CallSummary,
    page: Arc<Cursor>,
    offset: usize,
}

impl Found {
    fn cursor(&self) -> Cursor {
        Cursor {
            offset: self.offset,
            ..Cursor::clone(&self.page)
        }
    }
}

pub async fn run(
    client: &GongClient,
    args: ListCallsArgs,
    now: DateTime<Utc>,
) -> Result<ToolOutput, ToolError> {
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ToolError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_LIMIT}; got {limit}"),
        ));
    }
    let (defaulted, cursor) = match &args.cursor {
        Some(raw) => {
            let cursor = Cursor::decode(raw)?;
            cursor.query.check_args(&args, now)?;
            (false, cursor)
        }
        None => {
            let range =
                DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
            let query = Query::from_args(&args, &range);
            (
                range.defaulted,
                Cursor {
                    query,
                    gong_cursor: None,
                    offset: 0,
                    primary_user_id: None,
                },
            )
        }
    };
    let started_with_cursor = args.cursor.is_some();
    let query = cursor.query.clone();
    let scan = scan(client, cursor, limit as usize).await?;

    let mut found = scan.found;
    let mut next = scan.next;
    let mut output = ListCallsOutput {
        calls: Vec::new(),
        total_records: scan.total_records,
        next_cursor: None,
        from_date_time: query.from.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        to_date_time: query.to.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        scan: query.filtered().then_some(ScanOut {
            scanned: scan.scanned,
            complete: !scan.stopped_early,
        }),
        hint: None,
    };
    let mut lines = call_lines(found.iter().map(|f| &f.summary));
    let fit = calls_that_fit(
        found.iter().map(|f| &f.summary),
        &lines,
        json_len(&output) + 600,
    );
    let mut notes = Vec::new();
    if fit < found.len() {
        // Resume at the first call left out: nothing is lost, only deferred.
        next = Some(found[fit].cursor());
        found.truncate(fit);
        lines.truncate(fit);
        notes.push(format!(
            "Only {fit} calls fit in one answer; the cursor continues with the rest."
        ));
    }
    output.calls = found.into_iter().map(|f| f.summary).collect();
    output.next_cursor = next.as_ref().map(Cursor::encode);
    notes.extend(hints(
        &query,
        &output,
        scan.stopped_early,
        started_with_cursor,
        defaulted,
    ));
    output.hint = (!notes.is_empty()).then(|| notes.join(" "));
    let text = render(&output, &lines, query.describe().as_deref());
    Ok(ToolOutput::new(text, &output))
}

struct Scan {
    found: Vec<Found>,
    next: Option<Cursor>,
    total_records: u64,
    scanned: u64,
    stopped_early: bool,
}

/// Walks Gong's pages from the cursor until `limit` calls match, the range ends, or the page
/// budget is spent.
async fn scan(client: &GongClient, mut cursor: Cursor, limit: usize) -> Result<Scan, ToolError> {
    let q = cursor.query.clone();
    let max_pages = if q.needs_participants(None) {
        MAX_SCAN_PAGES_WITH_PARTICIPANTS
    } else {
        MAX_SCAN_PAGES
    };
    let mut out = Scan {
        found: Vec::new(),
        next: None,
        total_records: 0,
        scanned: 0,
        stopped_early: false,
    };
    for page_no in 0.. {
        if page_no == max_pages {
            out.stopped_early = true;
            out.next = Some(cursor);
            break;
        }
        let page = client
            .list_calls(&ListCallsQuery {
                from: Some(q.from),
                to: Some(q.to),
                workspace_id: q.workspace_id.clone(),
                cursor: cursor.gong_cursor.clone(),
            })
            .await
            .map_err(|e| explain_expired_cursor(e, &cursor))?;
        out.total_records = page.records.total_records.max(page.calls.len() as u64);
        let rest = page.calls.get(cursor.offset..).unwrap_or_default();
        let user = cursor.primary_user_id.clone();
        let candidates: Vec<usize> = (0..rest.len())
            .filter(|&i| q.metadata_matches(&rest[i], user.as_deref()))
            .collect();
        let extensive: HashMap<String, Arc<ExtensiveCall>> =
            if q.needs_participants(user.as_deref()) && !candidates.is_empty() {
                let ids: Vec<String> = candidates.iter().map(|&i| rest[i].id.clone()).collect();
                client.calls_extensive(&ids).await?
            } else {
                HashMap::new()
            };
        if cursor.primary_user_id.is_none() {
            cursor.primary_user_id = extensive.values().find_map(|e| q.find_primary_user(e));
        }
        let mut stop_at = None;
        let page_cursor = Arc::new(cursor.clone());
        for &i in &candidates {
            let call = &rest[i];
            let ext = extensive.get(&call.id).map(Arc::as_ref);
            if !q.participants_match(call, ext, user.as_deref()) {
                continue;
            }
            let shown = ext.filter(|_| q.include_participants);
            out.found.push(Found {
                summary: CallSummary::new(call, shown),
                page: Arc::clone(&page_cursor),
                offset: cursor.offset.saturating_add(i),
            });
            if out.found.len() == limit {
                stop_at = Some(i + 1);
                break;
            }
        }
        out.scanned += stop_at.unwrap_or(rest.len()) as u64;
        let more_in_page = stop_at.is_some_and(|end| end < rest.len());
        if more_in_page {
            cursor.offset = cursor.offset.saturating_add(stop_at.unwrap_or_default());
            out.next = Some(cursor);
            break;
        }
        // This page is done: on to Gong's next one, if any.
        match &page.records.cursor {
            Some(next) if cursor.gong_cursor.as_ref() != Some(next) => {
                cursor.gong_cursor = Some(next.clone());
                cursor.offset = 0;
                if stop_at.is_some() {
                    out.next = Some(cursor);
                    break;
                }
            }
            _ => break,
        }
    }
    Ok(out)
}

/// What to try when nothing matched, what the scan did not reach, how the range was chosen.
fn hints(
    q: &Query,
    out: &ListCallsOutput,
    stopped_early: bool,
    continued: bool,
    defaulted: bool,
) -> Vec<String> {
    let mut hints = Vec::new();
    let scanned = out.scan.as_ref().map_or(0, |s| s.scanned);
    if stopped_early {
        hints.push(format!(
            "The scan stopped after {scanned} calls (its limit per answer){}; call again with the cursor to scan the rest of the range.",
            if out.calls.is_empty() { " without a match yet" } else { "" }
        ));
    }
    if out.calls.is_empty() && !stopped_early && !continued {
        let mut tip = if q.filtered() {
            format!(
                "No calls between {} and {} match the filters. Widen the range (fromDate/toDate) or drop a filter",
                out.from_date_time, out.to_date_time
            )
        } else {
            format!(
                "No calls between {} and {}. Widen the range (fromDate/toDate), check workspaceId, or check that these credentials belong to the right Gong company",
                out.from_date_time, out.to_date_time
            )
        };
        if q.query.is_some() && !q.include_participants {
            tip.push_str("; query matched titles only: add includeParticipants: true to also match participant names, emails and companies");
        }
        if q.primary_user_email.is_some() {
            tip.push_str("; primaryUserEmail must be the email of a Gong user who hosted calls");
        }
        tip.push('.');
        hints.push(tip);
    } else if defaulted {
        hints.push(format!(
            "No dates given: showing the last {DEFAULT_WINDOW_DAYS} days. Pass fromDate/toDate for another range."
        ));
    }
    hints
}

fn explain_expired_cursor(e: crate::gong::GongError, cursor: &Cursor) -> ToolError {
    match &e {
        crate::gong::GongError::Rejected {
            status: 400..=499, ..
        } if cursor.gong_cursor.is_some() => ToolError::invalid(
            "cursor",
            format!(
                "{e} Gong's paging cursors expire about an hour after the first page: start over without a cursor."
            ),
        ),
        _ => ToolError::Gong(e),
    }
}
