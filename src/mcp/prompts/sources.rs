//! One row per recorder: which credentials make it visible, the exact tools (and their limits)
//! its prompts tell an agent to call, and the shape of its resource URIs. A provider joins the
//! prompts, resources and completions by adding its row here.

use crate::mcp::RequestCredentials;
use crate::mcp::error::ToolError;
use crate::meetings::Source;

/// A recorder's tools, as the prompts name them.
#[derive(Debug)]
pub struct SourceTools {
    pub source: Source,
    /// Whether a request carries this provider's credentials (its tools are then listed).
    pub present: fn(&RequestCredentials) -> bool,
    /// Lists meetings in a window (`fromDate`, `toDate`, `query`, `limit`, `cursor`).
    pub list: &'static str,
    /// The largest `limit` the listing takes.
    pub list_limit: u64,
    /// The listing's argument that adds participants, where it shows none without it.
    pub list_participants: Option<&'static str>,
    /// What the provider knows of a meeting beside its words, if it has such a tool.
    pub details: Option<DetailsTool>,
    /// One meeting's words (`{id_arg}`, `speaker`, `fromSeconds`, `offset`, …).
    pub transcript: &'static str,
    /// Who spoke across the meetings of a window or of `callIds`.
    pub speakers: &'static str,
    /// Finds the meetings where words were said (`query`, `scope: "sentences"`), if the
    /// provider has such a search.
    pub search: Option<&'static str>,
    /// "call" or "meeting": how the prompts' text names one.
    pub noun: &'static str,
    /// The resource URIs' collection: `gong://calls/{callId}` (scheme = `Source::key`,
    /// variable = `Source::id_arg`).
    pub collection: &'static str,
    /// Whether `id` has the shape of this provider's meeting ids (`name` is the argument).
    pub check_id: fn(&str, &str) -> Result<(), ToolError>,
    /// How many of the newest meetings `resources/list` and completions offer: each costs
    /// provider requests, and some providers allow few.
    pub recent: usize,
}

/// A provider's tool for a meeting's details.
#[derive(Debug)]
pub struct DetailsTool {
    pub tool: &'static str,
    /// Takes up to 100 ids (`callIds`, with `include`) rather than one (`{id_arg}`).
    pub batch: bool,
    /// What it shows, for descriptions.
    pub shows: &'static str,
}

/// `create_mind_from_calls` reads the meetings of any present source (its `source` argument).
pub const MIND_FROM_CALLS: &str = "create_mind_from_calls";
pub const SNAPSHOT_STATUS: &str = "get_snapshot_status";
pub const SIMULATE: &str = "simulate";

fn has_gong(c: &RequestCredentials) -> bool {
    c.gong.is_some()
}

fn has_fathom(c: &RequestCredentials) -> bool {
    c.fathom.is_some()
}

fn has_fireflies(c: &RequestCredentials) -> bool {
    c.fireflies.is_some()
}

/// Every recorder with prompts and resources, in the order they are listed.
pub const SOURCES: &[SourceTools] = &[
    SourceTools {
        source: Source::Gong,
        present: has_gong,
        list: "gong_list_calls",
        list_limit: 100,
        list_participants: Some("includeParticipants"),
        details: Some(DetailsTool {
            tool: "gong_get_call_details",
            batch: true,
            shows: "participants, talk time, topics, trackers, brief, key points, outcome, CRM",
        }),
        transcript: "gong_get_transcript",
        speakers: "gong_list_speakers",
        search: None,
        noun: "call",
        collection: "calls",
        check_id: crate::mcp::args::validate_call_id,
        recent: 100,
    },
    SourceTools {
        source: Source::Fathom,
        present: has_fathom,
        list: "fathom_list_meetings",
        list_limit: 100,
        list_participants: None,
        details: Some(DetailsTool {
            tool: "fathom_get_meeting_details",
            batch: false,
            shows: "participants, Fathom's summary, action items",
        }),
        transcript: "fathom_get_transcript",
        speakers: "fathom_list_speakers",
        search: None,
        noun: "meeting",
        collection: "meetings",
        check_id: crate::fathom::meeting::check_id,
        // Fathom lists 10 a page and allows 60 requests a minute.
        recent: 30,
    },
    SourceTools {
        source: Source::Fireflies,
        present: has_fireflies,
        list: "fireflies_list_transcripts",
        list_limit: 50,
        list_participants: None,
        details: None,
        transcript: "fireflies_get_transcript",
        speakers: "fireflies_list_speakers",
        search: Some("fireflies_search_transcripts"),
        noun: "meeting",
        collection: "transcripts",
        check_id: crate::fireflies::meeting::check_id,
        // One Fireflies request (50 a page); plans may allow 50 requests a day.
        recent: 50,
    },
];

impl SourceTools {
    /// The row of `source`.
    pub fn of(source: Source) -> &'static SourceTools {
        SOURCES
            .iter()
            .find(|s| s.source == source)
            .unwrap_or(&SOURCES[0])
    }

    /// Words written for Gong ("recent_calls", "Create a mind from a call") in this source's
    /// noun ("recent_meetings", "Create a mind from a meeting").
    pub fn words(&self, gong: &str) -> String {
        gong.replace("call", self.noun)
    }

    /// The name of a prompt family for this source: Gong's are the bare family names (the ones
    /// the README documents), the others are prefixed and say meeting (`fathom_recent_meetings`).
    pub fn prompt_name(&self, family: &str) -> String {
        match self.source {
            Source::Gong => family.to_owned(),
            other => format!("{}_{}", other.key(), self.words(family)),
        }
    }

    /// Every tool name of this source (for tests and for checking prompt texts).
    pub fn tools(&self) -> Vec<&'static str> {
        let mut all = vec![self.list, self.transcript, self.speakers];
        all.extend(self.details.as_ref().map(|d| d.tool));
        all.extend(self.search);
        all
    }

    /// The `source` argument `create_mind_from_calls` needs for this provider (none for Gong,
    /// its default).
    pub fn mind_source_arg(&self) -> Option<&'static str> {
        (self.source != Source::Gong).then(|| self.source.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_names_its_providers_own_tools() {
        for src in SOURCES {
            assert_eq!(src.list, src.source.list_tool());
            assert_eq!(src.transcript, src.source.transcript_tool());
            assert!(
                src.tools()
                    .iter()
                    .all(|t| t.starts_with(&format!("{}_", src.source.key())))
            );
            assert_eq!(SourceTools::of(src.source).source, src.source);
        }
        assert_eq!(
            SOURCES[1].prompt_name("recent_calls"),
            "fathom_recent_meetings"
        );
    }
}
