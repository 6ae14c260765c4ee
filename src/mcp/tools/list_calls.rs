//! `gong_list_calls`: calls in a date range, in pages an agent chooses, with a cursor that
//! carries the whole query so continuing needs nothing else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::super::args::{DateRange, ListCallsArgs};
use super::super::error::ToolError;
use super::{ToolOutput, fmt_duration, fmt_started};
use crate::gong::types::CallMeta;
use crate::gong::{GongClient, ListCallsQuery};

const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListCallsOutput {
    /// The calls, oldest first.
    pub calls: Vec<CallSummary>,
    /// Calls in the whole range, as Gong counts them.
    pub total_records: u64,
    /// Pass as `cursor` to get the next calls; absent when there are no more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The range searched: from (inclusive) and to (exclusive), UTC.
    pub from_date_time: String,
    pub to_date_time: String,
    /// What to try when the list is empty, or how the range was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallSummary {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Start time, ISO-8601 as Gong reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Inbound, Outbound, Conference or Unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// Internal, External or Unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The conferencing or dialer system, e.g. Zoom.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The Gong user id of the call's host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_private: Option<bool>,
}

impl From<&CallMeta> for CallSummary {
    fn from(c: &CallMeta) -> Self {
        Self {
            id: c.id.clone(),
            title: c.title.clone(),
            started: c.started.clone(),
            duration_seconds: c.duration.map(|d| d.round() as u64),
            url: c.url.clone(),
            direction: c.direction.clone(),
            scope: c.scope.clone(),
            system: c.system.clone(),
            media: c.media.clone(),
            language: c.language.clone(),
            primary_user_id: c.primary_user_id.clone(),
            workspace_id: c.workspace_id.clone(),
            purpose: c.purpose.clone(),
            is_private: c.is_private,
        }
    }
}

/// Our cursor: the query, Gong's cursor for the page, and how far into that page we are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    #[serde(rename = "f")]
    from: DateTime<Utc>,
    #[serde(rename = "t")]
    to: DateTime<Utc>,
    #[serde(rename = "w", default, skip_serializing_if = "Option::is_none")]
    workspace_id: Option<String>,
    #[serde(rename = "g", default, skip_serializing_if = "Option::is_none")]
    gong_cursor: Option<String>,
    #[serde(rename = "o")]
    offset: usize,
}

impl Cursor {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(raw: &str) -> Result<Self, ToolError> {
        URL_SAFE_NO_PAD
            .decode(raw.trim())
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| {
                ToolError::invalid(
                    "cursor",
                    "cursor is not one this tool returned; pass the nextCursor of a previous gong_list_calls answer unchanged, or omit it to start over",
                )
            })
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
    let (range, mut cursor) = match &args.cursor {
        Some(raw) => {
            let cursor = Cursor::decode(raw)?;
            let range = DateRange {
                from: cursor.from,
                to: cursor.to,
                defaulted: false,
            };
            check_cursor_matches(&args, &cursor, now)?;
            (range, cursor)
        }
        None => {
            let range =
                DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
            let cursor = Cursor {
                from: range.from,
                to: range.to,
                workspace_id: args.workspace_id.clone(),
                gong_cursor: None,
                offset: 0,
            };
            (range, cursor)
        }
    };

    let mut calls = Vec::new();
    let started_with_cursor = args.cursor.is_some();
    let mut total_records;
    let next_cursor = loop {
        let page = client
            .list_calls(&ListCallsQuery {
                from: Some(cursor.from),
                to: Some(cursor.to),
                workspace_id: cursor.workspace_id.clone(),
                cursor: cursor.gong_cursor.clone(),
            })
            .await
            .map_err(|e| explain_expired_cursor(e, &cursor))?;
        total_records = page.records.total_records.max(page.calls.len() as u64);
        let wanted = limit as usize - calls.len();
        let rest = page.calls.get(cursor.offset..).unwrap_or_default();
        calls.extend(rest.iter().take(wanted).map(CallSummary::from));
        if rest.len() > wanted {
            cursor.offset += wanted;
            break Some(cursor.clone());
        }
        match &page.records.cursor {
            Some(next) if cursor.gong_cursor.as_ref() != Some(next) => {
                cursor.gong_cursor = Some(next.clone());
                cursor.offset = 0;
                if calls.len() == limit as usize {
                    break Some(cursor.clone());
                }
            }
            _ => break None,
        }
    };

    let hint = if calls.is_empty() && !started_with_cursor {
        Some(format!(
            "No calls between {} and {}. Widen the range (fromDate/toDate), check workspaceId, or check that these credentials belong to the right Gong company.",
            range.from.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            range.to.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        ))
    } else if range.defaulted {
        Some(format!(
            "No dates given: showing the last {} days. Pass fromDate/toDate for another range.",
            super::super::args::DEFAULT_WINDOW_DAYS
        ))
    } else {
        None
    };
    let output = ListCallsOutput {
        total_records,
        next_cursor: next_cursor.map(|c| c.encode()),
        from_date_time: range.from.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        to_date_time: range.to.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        hint,
        calls,
    };
    Ok(ToolOutput::new(render(&output), &output))
}

/// A cursor carries its own query; dates given alongside must not contradict it.
fn check_cursor_matches(
    args: &ListCallsArgs,
    cursor: &Cursor,
    now: DateTime<Utc>,
) -> Result<(), ToolError> {
    let dates_given = args.from_date.is_some() || args.to_date.is_some();
    if dates_given {
        let range = DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
        if range.from != cursor.from || (args.to_date.is_some() && range.to != cursor.to) {
            return Err(ToolError::invalid(
                "cursor",
                "this cursor belongs to another date range; pass it with the same fromDate/toDate, or with no dates",
            ));
        }
    }
    if args.workspace_id.is_some() && args.workspace_id != cursor.workspace_id {
        return Err(ToolError::invalid(
            "cursor",
            "this cursor belongs to another workspaceId; pass it with the same workspaceId, or none",
        ));
    }
    Ok(())
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

fn render(out: &ListCallsOutput) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(64 + out.calls.len() * 120);
    let _ = writeln!(
        text,
        "{} of {} calls from {} to {} (oldest first):",
        out.calls.len(),
        out.total_records,
        out.from_date_time,
        out.to_date_time
    );
    for c in &out.calls {
        let _ = write!(
            text,
            "- {} | {} | {} | id {}",
            c.started
                .as_deref()
                .map(fmt_started)
                .unwrap_or_else(|| "?".into()),
            c.duration_seconds
                .map(fmt_duration)
                .unwrap_or_else(|| "?".into()),
            c.title.as_deref().unwrap_or("(untitled)"),
            c.id
        );
        for part in [&c.scope, &c.direction, &c.system].into_iter().flatten() {
            let _ = write!(text, " | {part}");
        }
        text.push('\n');
    }
    if let Some(cursor) = &out.next_cursor {
        let _ = writeln!(
            text,
            "More calls: call gong_list_calls again with cursor \"{cursor}\"."
        );
    }
    if let Some(hint) = &out.hint {
        let _ = writeln!(text, "{hint}");
    }
    text
}
