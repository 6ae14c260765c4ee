//! The structured content of `gong_get_transcript` (its output schema).

use schemars::JsonSchema;
use serde::Serialize;

use super::call_header::CallHeader;
use crate::mcp::args::TranscriptFormat;

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptOutput {
    /// The meeting's id, as the provider's tools take it.
    pub call_id: String,
    #[serde(flatten)]
    pub call: CallHeader,
    /// Everyone heard in the call (up to 30), most talk time first.
    pub speakers: Vec<SpeakerOut>,
    /// Speakers beyond the 30 listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub more_speakers: usize,
    /// Where Gong's topic labels change: use `startSeconds` as `fromSeconds` to jump there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<TopicOut>,
    /// The speaker and time filters applied, when any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterOut>,
    pub format: TranscriptFormat,
    pub page: PageOut,
    /// format "json" only: this page's turns, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub turns: Option<Vec<TurnOut>>,
    /// What to try when nothing matched, or how the answer was shaped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SpeakerOut {
    /// The participant's name, or "Unknown speaker N" when Gong has no participant for this
    /// voice.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Internal, External or Unknown.
    pub affiliation: String,
    /// False when the voice matches none of the call's participants.
    pub identified: bool,
    /// Seconds of speech in the whole transcript.
    pub talk_seconds: u64,
    /// Share of all speech in the transcript, 0-100.
    pub talk_percent: f64,
    /// Gong's transcript speaker id.
    pub speaker_id: String,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TopicOut {
    pub name: String,
    pub start_seconds: u64,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FilterOut {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub speakers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_seconds: Option<f64>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageOut {
    /// The offset this page starts at (a segment index).
    pub offset: usize,
    /// Pass as `offset` (with the same speaker/fromSeconds/toSeconds) for the next page; absent
    /// on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<usize>,
    /// Segments on this page. A segment is one speaker's uninterrupted turn (long turns are
    /// split about every 1,000 characters).
    pub segments: usize,
    /// Segments in the whole (filtered) transcript.
    pub total_segments: usize,
    /// The page size limit applied, in characters.
    pub max_chars: usize,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TurnOut {
    /// A name from `speakers`.
    pub speaker: String,
    /// Seconds from the start of the call, to the millisecond.
    pub start: f64,
    pub end: f64,
    pub text: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
