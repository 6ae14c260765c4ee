//! One line per Fireflies meeting, shared by the list and search answers: what a person needs to
//! pick a meeting, and the `transcriptId` the other tools take. Bounded per line, so a full page
//! of 50 stays far inside the response budget.

use schemars::JsonSchema;
use serde::Serialize;

use crate::mcp::render::fmt::{clip, fmt_duration, fmt_started, one_line};
use crate::meetings::{Affiliation, MeetingHeader};

/// Participants shown per meeting, at most.
const MAX_PARTICIPANTS: usize = 8;

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptLine {
    /// Pass to fireflies_get_transcript as `transcriptId`.
    pub transcript_id: String,
    pub title: Option<String>,
    /// Start, RFC 3339 (UTC).
    pub started: Option<String>,
    pub duration_seconds: Option<u64>,
    /// Who the meeting was with: the external participants' email domains.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Participants ("Name <email>", or the email), internal first; at most 8.
    pub participants: Vec<String>,
    /// How many participants were left out of `participants`.
    #[serde(skip_serializing_if = "is_zero")]
    pub more_participants: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl TranscriptLine {
    pub fn from_header(h: &MeetingHeader) -> Self {
        let mut people: Vec<_> = h.participants.iter().collect();
        people.sort_by_key(|p| match p.affiliation {
            Affiliation::Internal => 0,
            Affiliation::External => 1,
            Affiliation::Unknown => 2,
        });
        let shown: Vec<String> = people
            .iter()
            .take(MAX_PARTICIPANTS)
            .map(|p| match (&p.name, &p.email) {
                (Some(n), Some(e)) => clip(&one_line(&format!("{n} <{e}>")), 120),
                (Some(n), None) => clip(&one_line(n), 80),
                (None, Some(e)) => clip(&one_line(e), 100),
                (None, None) => "unnamed".to_owned(),
            })
            .collect();
        Self {
            transcript_id: h.id.clone(),
            title: h.title.as_deref().map(|t| clip(&one_line(t), 200)),
            started: h.started.clone(),
            duration_seconds: h.duration_seconds.map(|s| s.round() as u64),
            company: h.company.as_deref().map(|c| clip(c, 120)),
            more_participants: people.len().saturating_sub(MAX_PARTICIPANTS),
            participants: shown,
        }
    }

    /// `2026-11-02 14:00 UTC · 32m 10s · Title · transcriptId X · with …`
    pub fn text(&self) -> String {
        let mut line = format!(
            "{} · {} · {} · transcriptId {}",
            self.started
                .as_deref()
                .map_or_else(|| "date unknown".to_owned(), fmt_started),
            self.duration_seconds
                .map_or_else(|| "length unknown".to_owned(), fmt_duration),
            self.title.as_deref().unwrap_or("(untitled)"),
            self.transcript_id,
        );
        if let Some(c) = &self.company {
            line.push_str(&format!(" · {c}"));
        }
        if !self.participants.is_empty() {
            line.push_str(&format!(" · with {}", self.participants.join(", ")));
            if self.more_participants > 0 {
                line.push_str(&format!(" and {} more", self.more_participants));
            }
        }
        line
    }
}
