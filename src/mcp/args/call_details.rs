//! `gong_get_call_details` arguments: which calls, and which sections of each.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::{choice, opt_id_string, opt_id_strings, opt_strings};

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = super::optional_not_nullable)]
pub struct CallDetailsArgs {
    /// One Gong call id. Give this or `callIds`.
    #[serde(default, deserialize_with = "opt_id_string")]
    #[schemars(with = "Option<String>", example = &"7782342274025937895")]
    pub call_id: Option<String>,
    /// Up to 100 call ids, fetched together in one Gong request.
    #[serde(default, deserialize_with = "opt_id_strings")]
    #[schemars(with = "Option<Vec<String>>", example = &["7782342274025937895", "7782342274025937896"])]
    pub call_ids: Option<Vec<String>>,
    /// Sections to show for each call (the call's title, date, duration and kind always come).
    /// Default: participants, talkTime, topics, trackers, brief, keyPoints, highlights,
    /// outcome, crm. Also available: outline (Gong's timed summary of each part), structure
    /// (agenda sections with durations), stats (Gong's interaction stats); "all" for every one.
    /// Ask for fewer sections to fit more calls in full.
    #[serde(default, deserialize_with = "include_arg")]
    #[schemars(with = "Option<Vec<SectionOrAll>>", example = &["talkTime", "brief"])]
    pub include: Option<Vec<Section>>,
}

/// A section of a call's details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Section {
    Participants,
    TalkTime,
    Topics,
    Trackers,
    Brief,
    KeyPoints,
    Highlights,
    Outcome,
    Crm,
    Outline,
    Structure,
    Stats,
}

/// What `include` defaults to: everything but the long or niche sections.
pub const DEFAULT_SECTIONS: [Section; 9] = [
    Section::Participants,
    Section::TalkTime,
    Section::Topics,
    Section::Trackers,
    Section::Brief,
    Section::KeyPoints,
    Section::Highlights,
    Section::Outcome,
    Section::Crm,
];

impl Section {
    pub const ALL: [Section; 12] = [
        Section::Participants,
        Section::TalkTime,
        Section::Topics,
        Section::Trackers,
        Section::Brief,
        Section::KeyPoints,
        Section::Highlights,
        Section::Outcome,
        Section::Crm,
        Section::Outline,
        Section::Structure,
        Section::Stats,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Participants => "participants",
            Section::TalkTime => "talkTime",
            Section::Topics => "topics",
            Section::Trackers => "trackers",
            Section::Brief => "brief",
            Section::KeyPoints => "keyPoints",
            Section::Highlights => "highlights",
            Section::Outcome => "outcome",
            Section::Crm => "crm",
            Section::Outline => "outline",
            Section::Structure => "structure",
            Section::Stats => "stats",
        }
    }
}

/// The schema of one `include` entry: a section name or "all".
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // Schema only: `include_arg` parses the value.
enum SectionOrAll {
    Participants,
    TalkTime,
    Topics,
    Trackers,
    Brief,
    KeyPoints,
    Highlights,
    Outcome,
    Crm,
    Outline,
    Structure,
    Stats,
    All,
}

fn include_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Section>>, D::Error> {
    let Some(names) = opt_strings("include", d)? else {
        return Ok(None);
    };
    let mut options: Vec<(&str, Option<Section>)> =
        Section::ALL.iter().map(|s| (s.name(), Some(*s))).collect();
    options.push(("all", None));
    let mut sections = Vec::new();
    for name in &names {
        match choice("include", name, &options).map_err(serde::de::Error::custom)? {
            Some(s) if !sections.contains(&s) => sections.push(s),
            Some(_) => {}
            None => return Ok(Some(Section::ALL.to_vec())),
        }
    }
    Ok(Some(sections))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn include_takes_names_any_case_and_all() {
        let a: CallDetailsArgs =
            serde_json::from_str(r#"{"callId": "1", "include": ["TalkTime", "brief", "brief"]}"#)
                .unwrap();
        assert_eq!(a.include.unwrap(), vec![Section::TalkTime, Section::Brief]);
        let a: CallDetailsArgs =
            serde_json::from_str(r#"{"callId": "1", "include": "all"}"#).unwrap();
        assert_eq!(a.include.unwrap().len(), Section::ALL.len());
        let err = serde_json::from_str::<CallDetailsArgs>(r#"{"callId": "1", "include": ["x"]}"#)
            .unwrap_err();
        assert!(err.to_string().contains("\"talkTime\""), "{err}");
    }
}
