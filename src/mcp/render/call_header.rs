//! What every answer says of one meeting before its own content: the one output type for call
//! metadata, flattened into the list, details and transcript outputs after their id field.

use schemars::JsonSchema;
use serde::Serialize;

use super::fmt::{clip, one_line};
use crate::meetings::MeetingHeader;

#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallHeader {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Start time, ISO-8601 as the provider reports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    /// Where a person opens the recording.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl CallHeader {
    /// Provider values made safe to show: one line each, bounded; a negative duration is none.
    pub fn new(
        title: Option<&str>,
        started: Option<&str>,
        duration_seconds: Option<f64>,
        url: Option<&str>,
    ) -> Self {
        let text = |v: Option<&str>, max| v.map(|s| clip(&one_line(s), max));
        Self {
            title: text(title, 200),
            started: text(started, 40),
            duration_seconds: duration_seconds
                .filter(|d| *d >= 0.0)
                .map(|d| d.round() as u64),
            url: text(url, 200),
        }
    }

    pub fn of(h: &MeetingHeader) -> Self {
        Self::new(
            h.title.as_deref(),
            h.started.as_deref(),
            h.duration_seconds,
            h.url.as_deref(),
        )
    }
}
