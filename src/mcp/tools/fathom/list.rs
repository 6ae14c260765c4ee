//! `fathom_list_meetings`: meetings that started in a date range, newest first (Fathom's order),
//! filtered by invitee (on Fathom's side) and by title words (here), with a cursor that carries
//! the whole query.
//!
//! Fathom lists by creation time (when the recording was processed, after the meeting ended), so
//! the range is asked for with room after its end and each meeting's start is checked here. One
//! answer reads at most `MAX_SCAN_PAGES` pages (each a request of the tenant's 60 a minute) and
//! says what it scanned.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::output::{MAX_LISTED_INVITEES, MeetingOut};
use crate::fathom::meeting::{self, LONGEST_MEETING};
use crate::fathom::{FathomClient, ListQuery};
use crate::mcp::args::{DEFAULT_WINDOW_DAYS, DateRange, named_string_arg, named_u64_arg};
use crate::mcp::error::ToolError;
use crate::mcp::render::{RESPONSE_BUDGET, json_len};
use crate::mcp::tools::ToolOutput;

const DEFAULT_LIMIT: u64 = 20;
const MAX_LIMIT: u64 = 100;
/// Fathom pages (10 meetings each) one answer reads at most: 5 of the tenant's 60 requests a
/// minute.
pub const MAX_SCAN_PAGES: usize = 5;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct ListMeetingsArgs {
    /// Start of the range (the meeting's start), inclusive: an ISO-8601 date ("2026-10-01", that
    /// whole day in UTC) or date-time. Omit both dates for the last 30 days.
    #[serde(default, deserialize_with = "from_date_arg")]
    #[schemars(example = &"2026-10-01")]
    pub from_date: Option<String>,
    /// End of the range: a date includes that whole day (UTC); a date-time is exclusive.
    /// Defaults to now.
    #[serde(default, deserialize_with = "to_date_arg")]
    #[schemars(example = &"2026-10-31")]
    pub to_date: Option<String>,
    /// Words that must all appear in the meeting's title, case-insensitive ("acme qbr").
    #[serde(default, deserialize_with = "query_arg")]
    #[schemars(example = &"acme")]
    pub query: Option<String>,
    /// Only meetings this person was invited to (a calendar invitee's email).
    #[serde(default, deserialize_with = "participant_email_arg")]
    #[schemars(example = &"liam.chen@acmelogistics.com")]
    pub participant_email: Option<String>,
    /// How many meetings to return, 1-100 (default 20).
    #[serde(default, deserialize_with = "limit_arg")]
    #[schemars(range(min = 1, max = 100), example = 20)]
    pub limit: Option<u64>,
    /// The `nextCursor` of a previous answer: continues the same query (it carries the dates
    /// and filters; pass it alone).
    #[serde(default, deserialize_with = "cursor_arg")]
    pub cursor: Option<String>,
}

named_string_arg!(
    from_date_arg => "fromDate",
    to_date_arg => "toDate",
    query_arg => "query",
    participant_email_arg => "participantEmail",
    cursor_arg => "cursor",
);
named_u64_arg!(limit_arg => "limit");

/// Our cursor: the query, Fathom's cursor of the page, and how far into that page we are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    #[serde(rename = "f")]
    from: DateTime<Utc>,
    #[serde(rename = "t")]
    to: DateTime<Utc>,
    #[serde(rename = "q", default, skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    participant: Option<String>,
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    fathom: Option<String>,
    #[serde(rename = "o", default)]
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
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                ToolError::invalid(
                    "cursor",
                    "cursor is not one this tool returned; pass the nextCursor of a previous fathom_list_meetings answer unchanged, or omit it to start over",
                )
            })
    }

    fn title_matches(&self, title: Option<&str>) -> bool {
        let Some(q) = &self.query else { return true };
        let title = title.unwrap_or_default().to_lowercase();
        q.split_whitespace()
            .all(|w| title.contains(&w.to_lowercase()))
    }
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListMeetingsOutput {
    /// The meetings, newest first.
    pub meetings: Vec<MeetingOut>,
    /// Pass as `cursor` for more; absent when the range is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The range searched (meeting starts): from (inclusive) and to (exclusive), UTC.
    pub from_date_time: String,
    pub to_date_time: String,
    /// What this answer read from Fathom.
    pub scan: ScanOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanOut {
    /// Meetings examined (from the cursor's position on).
    pub scanned: u64,
    /// Fathom pages read (each one request of the 60 a minute Fathom allows).
    pub pages: u64,
    /// True when the scan reached the end of the range.
    pub complete: bool,
}

pub async fn run(
    client: &FathomClient,
    args: ListMeetingsArgs,
    now: DateTime<Utc>,
) -> Result<ToolOutput, ToolError> {
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ToolError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_LIMIT}; got {limit}"),
        ));
    }
    let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    let (cursor, defaulted) = match clean(args.cursor) {
        Some(raw) => (Cursor::decode(&raw)?, false),
        None => {
            let range =
                DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
            let participant = clean(args.participant_email).map(|e| e.to_lowercase());
            if participant.as_deref().is_some_and(|e| !e.contains('@')) {
                return Err(ToolError::invalid(
                    "participantEmail",
                    "participantEmail must be an email address, e.g. liam.chen@acmelogistics.com",
                ));
            }
            let cursor = Cursor {
                from: range.from,
                to: range.to,
                query: clean(args.query),
                participant,
                fathom: None,
                offset: 0,
            };
            (cursor, range.defaulted)
        }
    };
    let scan = scan(client, cursor.clone(), limit as usize).await?;
    let mut found = scan.found;
    let mut next = scan.next;
    let mut output = ListMeetingsOutput {
        meetings: Vec::new(),
        next_cursor: None,
        from_date_time: cursor.from.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        to_date_time: cursor.to.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        scan: ScanOut {
            scanned: scan.scanned,
            pages: scan.pages,
            complete: next.is_none(),
        },
        hint: None,
    };
    // Keep to the answer budget (text and structured content each): the cursor resumes at the
    // first meeting left out.
    let mut used = json_len(&output) + 1_000;
    let fit = found
        .iter()
        .take_while(|(m, _)| {
            used += 2 * json_len(m) + 64;
            used <= RESPONSE_BUDGET
        })
        .count();
    let mut notes = Vec::new();
    if fit < found.len() {
        next = Some(found[fit].1.clone());
        found.truncate(fit);
        notes.push(format!(
            "Only {fit} meetings fit in one answer; the cursor continues with the rest."
        ));
    }
    output.meetings = found.into_iter().map(|(m, _)| m).collect();
    output.next_cursor = next.as_ref().map(Cursor::encode);
    if scan.stopped_early {
        notes.push(format!(
            "Fathom has no search: this answer listed {} meetings on {} pages (its limit per answer) and stopped before the end of the range; call again with the cursor to scan on, or narrow the range (fromDate/toDate) or add participantEmail (filtered by Fathom, so fewer pages).",
            output.scan.scanned, output.scan.pages
        ));
    }
    if output.meetings.is_empty() && output.next_cursor.is_none() {
        notes.push(format!(
            "No meetings that started between {} and {} match. Widen the range (fromDate/toDate) or drop a filter; this API key sees only meetings its user recorded or that were shared with them.",
            output.from_date_time, output.to_date_time
        ));
    } else if defaulted {
        notes.push(format!(
            "No dates given: showing the last {DEFAULT_WINDOW_DAYS} days. Pass fromDate/toDate for another range."
        ));
    }
    output.hint = (!notes.is_empty()).then(|| notes.join(" "));
    let text = render(&output, &cursor);
    Ok(ToolOutput::new(text, &output))
}

struct Scan {
    /// Each meeting with the cursor that points at it (to resume there if it is cut).
    found: Vec<(MeetingOut, Cursor)>,
    next: Option<Cursor>,
    scanned: u64,
    pages: u64,
    stopped_early: bool,
}

async fn scan(client: &FathomClient, mut at: Cursor, limit: usize) -> Result<Scan, ToolError> {
    let mut out = Scan {
        found: Vec::new(),
        next: None,
        scanned: 0,
        pages: 0,
        stopped_early: false,
    };
    loop {
        if out.pages as usize == MAX_SCAN_PAGES {
            out.stopped_early = true;
            out.next = Some(at);
            break;
        }
        let page = client
            .list_meetings(&ListQuery {
                created_after: Some(at.from),
                created_before: Some(at.to + LONGEST_MEETING),
                invitees: at.participant.iter().cloned().collect(),
                cursor: at.fathom.clone(),
            })
            .await
            .map_err(|e| explain_stale_cursor(e, &at))?;
        out.pages += 1;
        let rest = page.meetings.get(at.offset..).unwrap_or_default();
        let mut stop_at = None;
        for (i, m) in rest.iter().enumerate() {
            let in_range = meeting::started(m).is_some_and(|s| s >= at.from && s < at.to);
            if !in_range || !at.title_matches(m.title.as_deref().or(m.meeting_title.as_deref())) {
                continue;
            }
            let mut here = at.clone();
            here.offset += i;
            out.found.push((
                MeetingOut::new(&meeting::header(m), MAX_LISTED_INVITEES),
                here,
            ));
            if out.found.len() == limit {
                stop_at = Some(i + 1);
                break;
            }
        }
        out.scanned += stop_at.unwrap_or(rest.len()) as u64;
        if let Some(end) = stop_at.filter(|&end| end < rest.len()) {
            at.offset += end;
            out.next = Some(at);
            break;
        }
        match page.next_cursor {
            Some(next) if at.fathom.as_ref() != Some(&next) => {
                at.fathom = Some(next);
                at.offset = 0;
                if stop_at.is_some() {
                    out.next = Some(at);
                    break;
                }
            }
            _ => break,
        }
    }
    Ok(out)
}

fn explain_stale_cursor(e: crate::fathom::FathomError, at: &Cursor) -> ToolError {
    match &e {
        crate::fathom::FathomError::Rejected {
            status: 400..=499, ..
        } if at.fathom.is_some() => ToolError::invalid(
            "cursor",
            format!(
                "{e} Fathom no longer accepts this page's cursor: start over without a cursor."
            ),
        ),
        _ => ToolError::Fathom(e),
    }
}

fn render(out: &ListMeetingsOutput, q: &Cursor) -> String {
    let mut filters = Vec::new();
    if let Some(query) = &q.query {
        filters.push(format!("title has \"{query}\""));
    }
    if let Some(p) = &q.participant {
        filters.push(format!("invited: {p}"));
    }
    let mut text = format!(
        "Fathom meetings that started {} – {}{} (newest first): {} shown.\n",
        out.from_date_time,
        out.to_date_time,
        if filters.is_empty() {
            String::new()
        } else {
            format!(", {}", filters.join(", "))
        },
        out.meetings.len()
    );
    for m in &out.meetings {
        text.push_str("- ");
        text.push_str(&m.line());
        text.push('\n');
    }
    text.push_str(&format!(
        "Scanned {} meetings on {} Fathom page{}{}.",
        out.scan.scanned,
        out.scan.pages,
        if out.scan.pages == 1 { "" } else { "s" },
        if out.scan.complete {
            ", to the end of the range"
        } else {
            ""
        }
    ));
    if let Some(c) = &out.next_cursor {
        text.push_str(&format!("\nMore: pass cursor \"{c}\"."));
    }
    if let Some(h) = &out.hint {
        text.push('\n');
        text.push_str(h);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_word_must_be_in_the_title_and_cursors_round_trip() {
        let c = Cursor {
            from: Utc::now(),
            to: Utc::now(),
            query: Some("Acme qbr".into()),
            participant: None,
            fathom: Some("abc".into()),
            offset: 3,
        };
        assert!(c.title_matches(Some("QBR with ACME Logistics")));
        assert!(!c.title_matches(Some("Acme discovery")));
        assert!(!c.title_matches(None));
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        assert!(Cursor::decode("nope").is_err());
    }
}
