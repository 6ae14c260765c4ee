//! A Fathom meeting as the tools show it: one line of text, and the same facts as structured
//! content.

use schemars::JsonSchema;
use serde::Serialize;

use crate::mcp::render::fmt::{fmt_duration, fmt_started, one_line};
use crate::meetings::{Affiliation, MeetingHeader};

/// Invitees per meeting in a listing (details shows them all).
pub const MAX_LISTED_INVITEES: usize = 8;

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeetingOut {
    /// What fathom_get_transcript and fathom_get_meeting_details take (Fathom's recording id).
    pub meeting_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// When the recording started, ISO-8601 UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    /// Where a person opens the recording in Fathom.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Calendar invitees (and the recorder).
    pub participants: Vec<ParticipantOut>,
    /// Invitees left out of this listing (fathom_get_meeting_details shows every one).
    #[serde(skip_serializing_if = "is_zero")]
    pub more_participants: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// "Internal", "External" or "Unknown" (Fathom's `is_external`).
    pub affiliation: String,
    /// An external participant's company, from their email domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
}

impl MeetingOut {
    pub fn new(h: &MeetingHeader, max_participants: usize) -> Self {
        let participants: Vec<ParticipantOut> = h
            .participants
            .iter()
            .take(max_participants)
            .map(|p| ParticipantOut {
                name: p.name.clone(),
                email: p.email.clone(),
                affiliation: p.affiliation.as_str().to_owned(),
                company: p.company.clone(),
            })
            .collect();
        Self {
            meeting_id: h.id.clone(),
            title: h.title.as_deref().map(one_line),
            started: h.started.clone(),
            duration_seconds: h.duration_seconds.map(|d| d.round() as u64),
            url: h.url.clone(),
            more_participants: h.participants.len() - participants.len(),
            participants,
        }
    }

    /// `2026-11-03 14:03 UTC · 32m 10s · Title · meetingId 123 · with A, B (acme.com)`.
    pub fn line(&self) -> String {
        let mut parts = vec![
            self.started
                .as_deref()
                .map_or("start unknown".to_owned(), fmt_started),
            self.duration_seconds
                .map_or("length unknown".to_owned(), fmt_duration),
            self.title
                .clone()
                .unwrap_or_else(|| "(untitled)".to_owned()),
            format!("meetingId {}", self.meeting_id),
        ];
        let names: Vec<String> = self
            .participants
            .iter()
            .map(ParticipantOut::short)
            .collect();
        if !names.is_empty() {
            let more = match self.more_participants {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            parts.push(format!("with {}{more}", names.join(", ")));
        }
        parts.join(" · ")
    }
}

impl ParticipantOut {
    /// "Ava Patel", or "Liam Chen (external, acme.com)".
    pub fn short(&self) -> String {
        let name = self
            .name
            .clone()
            .or_else(|| self.email.clone())
            .unwrap_or_else(|| "someone".to_owned());
        match (self.affiliation.as_str(), &self.company) {
            (a, Some(c)) if a == Affiliation::External.as_str() => {
                format!("{name} (external, {c})")
            }
            (a, None) if a == Affiliation::External.as_str() => format!("{name} (external)"),
            _ => name,
        }
    }
}
