//! `fathom_get_meeting_details`: one meeting's participants, Fathom's summary and its action
//! items. The header comes from the cache of earlier listings or, as Fathom has no meeting by
//! id, from a bounded listing (newest first); the summary is one request.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::output::MeetingOut;
use crate::fathom::meeting::{self, MAX_FIND_PAGES};
use crate::fathom::types::parse_timestamp;
use crate::fathom::{FathomClient, FathomError};
use crate::mcp::error::ToolError;
use crate::mcp::render::fmt::{clip, fmt_clock, one_line};
use crate::mcp::render::{RESPONSE_BUDGET, json_len};
use crate::mcp::tools::ToolOutput;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MeetingDetailsArgs {
    /// The Fathom meeting id (its recording id, as fathom_list_meetings returns it).
    #[serde(deserialize_with = "super::meeting_id")]
    #[schemars(with = "String", example = &"123456789")]
    pub meeting_id: String,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeetingDetailsOutput {
    pub meeting: MeetingOut,
    /// Fathom's summary (Markdown), when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub action_items: Vec<ActionItemOut>,
    /// How the meeting was found (Fathom has no lookup by id), and anything cut to fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionItemOut {
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// Seconds into the recording where it was said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completed: Option<bool>,
}

pub async fn run(client: &FathomClient, args: MeetingDetailsArgs) -> Result<ToolOutput, ToolError> {
    let id = super::validate_meeting_id(&args.meeting_id)?;
    let ids = [id.clone()];
    let ((found, scan), summary) =
        futures::future::try_join(meeting::find(client, &ids, MAX_FIND_PAGES), async {
            match client.summary(&id).await {
                Err(FathomError::NotFound(_)) => Ok(None),
                other => other.map(Some),
            }
        })
        .await?;
    let Some(m) = found.get(&id) else {
        let scanned = scan.map(|s| s.describe()).unwrap_or_default();
        return Err(ToolError::NotFound(match summary {
            None => format!(
                "Fathom has no recording {id} for this API key ({scanned}). Check the id with fathom_list_meetings."
            ),
            Some(_) => format!(
                "Meeting {id} exists but is older than what one answer lists: {scanned}. Run fathom_list_meetings over the meeting's dates first (its listing is remembered), then ask again."
            ),
        }));
    };
    let mut out = MeetingDetailsOutput {
        meeting: MeetingOut::new(&meeting::header(m), usize::MAX),
        summary: summary
            .flatten()
            .and_then(|s| s.markdown_formatted)
            .or_else(|| m.default_summary.as_ref()?.markdown_formatted.clone()),
        action_items: m
            .action_items
            .iter()
            .filter(|a| !a.description.trim().is_empty())
            .map(|a| ActionItemOut {
                description: one_line(&a.description),
                assignee: a
                    .assignee
                    .as_ref()
                    .and_then(|p| p.name.clone().or_else(|| p.email.clone())),
                at_seconds: a.recording_timestamp.as_deref().and_then(parse_timestamp),
                completed: a.completed,
            })
            .collect(),
        note: scan.map(|s| format!("{}.", s.describe())),
    };
    fit(&mut out);
    let text = render(&out);
    Ok(ToolOutput::new(text, &out))
}

/// Within the answer budget (text and structured content carry the same facts, so each gets
/// half): a long summary is clipped, then participants and action items are cut.
fn fit(out: &mut MeetingDetailsOutput) {
    let budget = RESPONSE_BUDGET / 2 - 2_000;
    let mut cut = Vec::new();
    let total = json_len(out);
    if total > budget
        && let Some(s) = &mut out.summary
    {
        let room = budget.saturating_sub(total - s.len()).max(2_000);
        if s.len() > room {
            *s = clip(s, room);
            cut.push("the summary was clipped");
        }
    }
    while json_len(out) > budget && out.meeting.participants.len() > 20 {
        out.meeting.participants.pop();
        out.meeting.more_participants += 1;
    }
    while json_len(out) > budget && out.action_items.len() > 10 {
        out.action_items.pop();
        if !cut.contains(&"action items were cut") {
            cut.push("action items were cut");
        }
    }
    if out.meeting.more_participants > 0 {
        cut.push("participants were cut");
    }
    if !cut.is_empty() {
        let note = format!("To fit one answer, {}.", cut.join(", "));
        out.note = Some(match out.note.take() {
            Some(n) => format!("{n} {note}"),
            None => note,
        });
    }
}

fn render(out: &MeetingDetailsOutput) -> String {
    let m = &out.meeting;
    let mut text = format!(
        "Fathom meeting: {}\n",
        m.line().split(" · with ").next().unwrap_or_default()
    );
    if let Some(url) = &m.url {
        text.push_str(&format!("Recording: {url}\n"));
    }
    text.push_str(&format!(
        "Participants ({}):\n",
        m.participants.len() + m.more_participants
    ));
    for p in &m.participants {
        let email = p
            .email
            .as_deref()
            .map(|e| format!(" <{e}>"))
            .unwrap_or_default();
        text.push_str(&format!("- {}{email}, {}\n", p.short(), p.affiliation));
    }
    if m.more_participants > 0 {
        text.push_str(&format!("- … and {} more\n", m.more_participants));
    }
    match &out.summary {
        Some(s) => text.push_str(&format!("Summary:\n{}\n", s.trim())),
        None => text.push_str("Summary: Fathom has none for this meeting.\n"),
    }
    if out.action_items.is_empty() {
        text.push_str("Action items: none.\n");
    } else {
        text.push_str("Action items:\n");
        for a in &out.action_items {
            let at = a
                .at_seconds
                .map(|s| format!("[{}] ", fmt_clock(s)))
                .unwrap_or_default();
            let who = a
                .assignee
                .as_deref()
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            let done = if a.completed == Some(true) {
                " [done]"
            } else {
                ""
            };
            text.push_str(&format!("- {at}{}{who}{done}\n", a.description));
        }
    }
    if let Some(n) = &out.note {
        text.push_str(n);
        text.push('\n');
    }
    text.push_str(&format!(
        "The words: fathom_get_transcript with meetingId \"{}\".",
        m.meeting_id
    ));
    text
}
