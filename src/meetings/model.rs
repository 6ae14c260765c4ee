//! Meetings as the tools see them, whoever recorded them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The service that recorded a meeting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    #[default]
    Gong,
    Fathom,
    Fireflies,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Gong, Source::Fathom, Source::Fireflies];

    /// "Gong", "Fathom", "Fireflies": for sentences.
    pub fn name(self) -> &'static str {
        match self {
            Source::Gong => "Gong",
            Source::Fathom => "Fathom",
            Source::Fireflies => "Fireflies",
        }
    }

    /// "gong", "fathom", "fireflies": the `source` argument and tool-name prefix.
    pub fn key(self) -> &'static str {
        match self {
            Source::Gong => "gong",
            Source::Fathom => "fathom",
            Source::Fireflies => "fireflies",
        }
    }

    /// The argument that names one meeting in this provider's tools.
    pub fn id_arg(self) -> &'static str {
        match self {
            Source::Gong => "callId",
            Source::Fathom => "meetingId",
            Source::Fireflies => "transcriptId",
        }
    }

    /// The tool that reads one meeting's transcript (named in next-page hints).
    pub fn transcript_tool(self) -> &'static str {
        match self {
            Source::Gong => "gong_get_transcript",
            Source::Fathom => "fathom_get_transcript",
            Source::Fireflies => "fireflies_get_transcript",
        }
    }

    /// The tool that shows a meeting's metadata without its words.
    pub fn metadata_tool(self) -> &'static str {
        match self {
            Source::Gong => "gong_get_call_details",
            Source::Fathom => "fathom_get_meeting_details",
            Source::Fireflies => "fireflies_list_transcripts",
        }
    }

    /// The tool that lists this provider's meetings (where ids come from).
    pub fn list_tool(self) -> &'static str {
        match self {
            Source::Gong => "gong_list_calls",
            Source::Fathom => "fathom_list_meetings",
            Source::Fireflies => "fireflies_list_transcripts",
        }
    }
}

/// Whether a participant works for the company that recorded the meeting.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Affiliation {
    Internal,
    External,
    #[default]
    Unknown,
}

impl Affiliation {
    pub fn as_str(self) -> &'static str {
        match self {
            Affiliation::Internal => "Internal",
            Affiliation::External => "External",
            Affiliation::Unknown => "Unknown",
        }
    }

    /// From a provider's label ("Internal", "external", …); anything else is Unknown.
    pub fn parse(label: Option<&str>) -> Self {
        match label.map(str::trim) {
            Some(l) if l.eq_ignore_ascii_case("internal") => Affiliation::Internal,
            Some(l) if l.eq_ignore_ascii_case("external") => Affiliation::External,
            _ => Affiliation::Unknown,
        }
    }
}

/// Someone invited to or present in a meeting.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Participant {
    pub name: Option<String>,
    pub email: Option<String>,
    /// Job title, where the provider knows it.
    pub title: Option<String>,
    pub affiliation: Affiliation,
    /// The participant's company, where the provider knows it (CRM account, email domain, …).
    pub company: Option<String>,
    /// The id this participant's voice has in the transcript (`Turn::speaker_id`), when the
    /// provider links the two.
    pub speaker_id: Option<String>,
}

/// What is known of a meeting without its words: the one call-metadata type.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingHeader {
    pub source: Source,
    /// The provider's id, as its tools take it.
    pub id: String,
    pub title: Option<String>,
    /// Start time, RFC 3339 as the provider reports it.
    pub started: Option<String>,
    pub duration_seconds: Option<f64>,
    /// Where a person opens the recording.
    pub url: Option<String>,
    /// Who the meeting was with: the CRM account, else the external participants' email domains.
    pub company: Option<String>,
    pub participants: Vec<Participant>,
}

impl MeetingHeader {
    pub fn new(source: Source, id: impl Into<String>) -> Self {
        Self {
            source,
            id: id.into(),
            title: None,
            started: None,
            duration_seconds: None,
            url: None,
            company: None,
            participants: Vec::new(),
        }
    }
}

/// A meeting's words: turns in the order spoken.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingTranscript {
    pub meeting_id: String,
    pub turns: Vec<Turn>,
}

/// One stretch of one voice (a Gong monologue, a Fathom entry, a Fireflies sentence). Consecutive
/// turns of one voice are merged by the renderer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Turn {
    /// The voice: turns with the same id are one speaker; a participant with this
    /// `speaker_id` names it. `None`: a voice the provider could not tell apart.
    pub speaker_id: Option<String>,
    /// The name the provider shows for this voice, used when no participant has the
    /// `speaker_id` ("Unknown speaker N" when it has none either).
    pub speaker_name: Option<String>,
    /// The provider's topic label for this stretch (Gong), if any.
    pub topic: Option<String>,
    pub sentences: Vec<Sentence>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// Milliseconds from the start of the meeting.
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
}
