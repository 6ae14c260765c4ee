//! `gong_list_calls` output: one line per call in text, a summary per call in structured content,
//! cut to the response budget (the cursor then continues with the calls left out).

use std::fmt::Write;

use schemars::JsonSchema;
use serde::Serialize;

use super::call_header::CallHeader;
use super::fmt::{clip, fmt_duration, fmt_started, one_line_clipped};
use super::{RESPONSE_BUDGET, json_len};
use crate::gong::meeting::company;
use crate::gong::types::{CallMeta, ExtensiveCall};

/// Participants per call in structured content, and names per side in text.
const MAX_PARTICIPANTS: usize = 10;
const MAX_NAMES_PER_SIDE: usize = 5;
/// Room for the first and last lines of the text.
const FRAME_RESERVE: usize = 2_000;

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListCallsOutput {
    /// The calls, oldest first.
    pub calls: Vec<CallSummary>,
    /// Calls in the whole date range, as Gong counts them (before filters).
    pub total_records: u64,
    /// Pass as `cursor` to get the next calls; absent when there are no more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    /// The range searched: from (inclusive) and to (exclusive), UTC.
    pub from_date_time: String,
    pub to_date_time: String,
    /// With filters: how many calls of the range this answer examined, and whether the scan
    /// reached the end of the range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<ScanOut>,
    /// What to try next, what was cut, or how the range was chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScanOut {
    /// Calls examined by this answer (from the cursor's position on).
    pub scanned: u64,
    /// False when the scan stopped at its per-answer limit before the end of the range:
    /// `nextCursor` continues it.
    pub complete: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallSummary {
    pub id: String,
    #[serde(flatten)]
    pub call: CallHeader,
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
    pub language: Option<String>,
    /// The Gong user id of the call's host.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_private: Option<bool>,
    /// With includeParticipants: the CRM account, else the external participants' email domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// With includeParticipants: up to 10 participants.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<ParticipantBrief>>,
    /// Participants beyond the 10 listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more_participants: Option<usize>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantBrief {
    /// Name, or email when Gong has no name.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Internal, External or Unknown.
    pub affiliation: String,
}

impl CallSummary {
    pub fn new(c: &CallMeta, extensive: Option<&ExtensiveCall>) -> Self {
        let text = |v: &Option<String>, max| v.as_deref().map(|s| one_line_clipped(s, max));
        let mut summary = Self {
            id: c.id.clone(),
            call: CallHeader::new(
                c.title.as_deref(),
                c.started.as_deref(),
                c.duration,
                c.url.as_deref(),
            ),
            direction: text(&c.direction, 20),
            scope: text(&c.scope, 20),
            system: text(&c.system, 40),
            language: text(&c.language, 10),
            primary_user_id: text(&c.primary_user_id, 30),
            workspace_id: text(&c.workspace_id, 30),
            is_private: c.is_private,
            company: None,
            participants: None,
            more_participants: None,
        };
        if let Some(ext) = extensive {
            let people: Vec<ParticipantBrief> = ext
                .parties
                .iter()
                .filter_map(|p| {
                    let name = p.name.as_ref().or(p.email_address.as_ref())?;
                    Some(ParticipantBrief {
                        name: one_line_clipped(name, 80),
                        email: text(&p.email_address, 100),
                        affiliation: text(&p.affiliation, 20).unwrap_or_else(|| "Unknown".into()),
                    })
                })
                .collect();
            summary.company = company(ext).map(|c| clip(&c, 100));
            summary.more_participants =
                (people.len() > MAX_PARTICIPANTS).then(|| people.len() - MAX_PARTICIPANTS);
            summary.participants = Some(people.into_iter().take(MAX_PARTICIPANTS).collect());
        }
        summary
    }
}

/// The text line of each call ("- 2026-10-27 13:49 UTC | 28m 10s | Title | id 7000… | External |
/// Conference | Zoom"), computed once: to fit the answer to its budget, then to render it.
pub fn call_lines<'a>(calls: impl IntoIterator<Item = &'a CallSummary>) -> Vec<String> {
    calls.into_iter().map(call_line).collect()
}

fn call_line(c: &CallSummary) -> String {
    let mut line = String::with_capacity(160);
    line.push_str("- ");
    match c.call.started.as_deref() {
        Some(started) => line.push_str(&fmt_started(started)),
        None => line.push('?'),
    }
    line.push_str(" | ");
    match c.call.duration_seconds {
        Some(seconds) => line.push_str(&fmt_duration(seconds)),
        None => line.push('?'),
    }
    let title = c.call.title.as_deref().unwrap_or("(untitled)");
    let _ = write!(line, " | {title} | id {}", c.id);
    for part in [&c.scope, &c.direction, &c.system].into_iter().flatten() {
        let _ = write!(line, " | {part}");
    }
    if let Some(people) = &c.participants {
        for side in ["External", "Internal"] {
            let mut names = people
                .iter()
                .filter(|p| p.affiliation == side)
                .map(|p| p.name.as_str());
            let Some(first) = names.next() else {
                continue;
            };
            let _ = write!(line, " | {side}: {first}");
            let mut count = 1;
            for name in names {
                if count < MAX_NAMES_PER_SIDE {
                    let _ = write!(line, ", {name}");
                }
                count += 1;
            }
            if count > MAX_NAMES_PER_SIDE {
                let _ = write!(line, " +{}", count - MAX_NAMES_PER_SIDE);
            }
            if side == "External"
                && let Some(company) = &c.company
            {
                let _ = write!(line, " ({company})");
            }
        }
        if let Some(more) = c.more_participants {
            let _ = write!(line, " | +{more} more participants");
        }
    }
    line.push('\n');
    line
}

/// How many of `calls` (with their `lines`) fit the response budget with `frame` (everything
/// but the calls).
pub fn calls_that_fit<'a>(
    calls: impl IntoIterator<Item = &'a CallSummary>,
    lines: &[String],
    frame: usize,
) -> usize {
    let mut used = frame + FRAME_RESERVE;
    for (i, (c, line)) in calls.into_iter().zip(lines).enumerate() {
        used += line.len() + json_len(c) + 1;
        if used > RESPONSE_BUDGET {
            return i;
        }
    }
    lines.len()
}

/// The text: a heading, one line per call (`lines`, one per call of `out`), then paging and hints.
pub fn render(out: &ListCallsOutput, lines: &[String], filters: Option<&str>) -> String {
    let mut text = String::with_capacity(512 + lines.iter().map(String::len).sum::<usize>());
    match (filters, &out.scan) {
        (Some(filters), Some(scan)) => {
            let _ = writeln!(
                text,
                "{} matching calls (filters: {filters}; scanned {} of the {} calls from {} to {}, oldest first):",
                out.calls.len(),
                scan.scanned,
                out.total_records,
                out.from_date_time,
                out.to_date_time
            );
        }
        _ => {
            let _ = writeln!(
                text,
                "{} of {} calls from {} to {} (oldest first):",
                out.calls.len(),
                out.total_records,
                out.from_date_time,
                out.to_date_time
            );
        }
    }
    for line in lines {
        text.push_str(line);
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
