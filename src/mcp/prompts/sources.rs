//! One row per recorder: which credentials make it visible, the exact tool names its prompts
//! tell an agent to call, and the shape of its resource URIs. A provider joins the prompts by adding its row here (and, where its
//! tools take other arguments, a branch in the prompt that builds them).

use crate::mcp::RequestCredentials;
use crate::meetings::Source;

/// A recorder's tools, as the prompts name them.
#[derive(Debug)]
pub struct SourceTools {
    pub source: Source,
    /// Whether a request carries this provider's credentials (its tools are then listed).
    pub present: fn(&RequestCredentials) -> bool,
    /// Lists meetings in a window (`fromDate`, `toDate`, `query`, `limit`, `cursor`).
    pub list: &'static str,
    /// Summaries and analytics of up to 100 meetings at once (`callIds`), if the provider has it.
    pub details: Option<&'static str>,
    /// One meeting's words.
    pub transcript: &'static str,
    /// Who spoke across the meetings of a window, if the provider has it.
    pub speakers: Option<&'static str>,
    /// Whether `create_mind_from_calls` reads this provider's meetings (its `source`
    /// argument): the mind prompts are offered for this source only then.
    pub minds: bool,
    /// "call" or "meeting": how the prompts' text names one.
    pub noun: &'static str,
    /// The resource URIs' collection: `gong://calls/{callId}` (scheme = `Source::key`,
    /// variable = `Source::id_arg`).
    pub collection: &'static str,
}

/// `create_mind_from_calls` reads the meetings of any present source (its `source` argument).
pub const MIND_FROM_CALLS: &str = "create_mind_from_calls";
pub const SNAPSHOT_STATUS: &str = "get_snapshot_status";
pub const SIMULATE: &str = "simulate";

fn has_gong(c: &RequestCredentials) -> bool {
    c.gong.is_some()
}

/// Every recorder with prompts. Fathom and Fireflies join as rows once their tools exist.
pub const SOURCES: &[SourceTools] = &[SourceTools {
    source: Source::Gong,
    present: has_gong,
    list: "gong_list_calls",
    details: Some("gong_get_call_details"),
    transcript: "gong_get_transcript",
    speakers: Some("gong_list_speakers"),
    minds: true,
    noun: "call",
    collection: "calls",
}];

impl SourceTools {
    /// The name of a prompt family for this source: Gong's are the bare family names (the ones
    /// the README documents), the others are prefixed (`fathom_recent_calls`).
    pub fn prompt_name(&self, family: &str) -> String {
        match self.source {
            Source::Gong => family.to_owned(),
            other => format!("{}_{family}", other.key()),
        }
    }

    /// Every tool name of this source (for tests and for checking prompt texts).
    pub fn tools(&self) -> Vec<&'static str> {
        let mut all = vec![self.list, self.transcript];
        all.extend(self.details);
        all.extend(self.speakers);
        all
    }

    /// The `source` argument `create_mind_from_calls` needs for this provider (none for Gong,
    /// its default).
    pub fn mind_source_arg(&self) -> Option<&'static str> {
        (self.source != Source::Gong).then(|| self.source.key())
    }
}
