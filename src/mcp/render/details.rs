//! `gong_get_call_details` output: per call, the sections asked for, built from Gong's extensive
//! data. `details_fit` shortens them to a size; `details_text` renders them.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::call_header::CallHeader;
use super::fmt::{clip, one_line};
use crate::gong::meeting::crm_name;
use crate::gong::types::{ExtensiveCall, NamedDuration, Party};
use crate::mcp::args::Section;

/// Sanity bounds for any call, however large Gong's data: list lengths and text sizes.
pub const MAX_ITEMS: usize = 50;
pub const MAX_TEXT: usize = 2_000;

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallDetailsOutput {
    /// One entry per call found, in the order asked.
    pub calls: Vec<CallDetails>,
    /// Ids Gong does not know (or these credentials cannot see).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_found: Vec<String>,
    /// Ids found but left out to keep the answer within budget: ask for them again.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_shown: Vec<String>,
    /// The sections shown for each call.
    pub sections: Vec<Section>,
    /// What was shortened to fit, and how to see it whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallDetails {
    pub id: String,
    #[serde(flatten)]
    pub call: CallHeader,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Everyone on the call, internal first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participants: Option<Vec<Participant>>,
    /// Talk time per speaker as Gong reports it, most first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub talk_time: Option<Vec<TalkTime>>,
    /// Set when Gong reports talk time for fewer people than spoke (it omits external
    /// speakers): gong_get_transcript has everyone's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub talk_time_note: Option<String>,
    /// Topics discussed, longest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topics: Option<Vec<Named>>,
    /// Tracker hits, most first, with the phrases heard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trackers: Option<Vec<TrackerOut>>,
    /// Gong's summary of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_points: Option<Vec<String>>,
    /// Gong's highlights, e.g. "Next steps", with their items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub highlights: Option<Vec<HighlightOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_opportunity: Option<String>,
    /// Gong's outline: the call's parts with their start, length and summary items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outline: Option<Vec<OutlineOut>>,
    /// The agenda sections with durations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structure: Option<Vec<Named>>,
    /// Gong's interaction statistics, e.g. "Talk Ratio", "Longest Monologue", "Interactivity".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction_stats: Option<Vec<Stat>>,
    /// What was shortened to fit the answer (e.g. "keyPoints: 3 of 8").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cut: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Internal, External or Unknown.
    pub affiliation: String,
    /// Whether this participant spoke on the call.
    pub spoke: bool,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TalkTime {
    pub name: String,
    pub seconds: u64,
    /// Share of the call's duration, 0-100.
    pub percent: f64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    pub name: String,
    pub duration_seconds: u64,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrackerOut {
    pub name: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct HighlightOut {
    pub title: String,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct OutlineOut {
    pub section: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Stat {
    pub name: String,
    pub value: f64,
}

fn text(v: &Option<String>, max: usize) -> Option<String> {
    v.as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty())
        .map(|s| clip(&s, max))
}

fn secs(v: Option<f64>) -> Option<u64> {
    v.filter(|d| *d >= 0.0).map(|d| d.round() as u64)
}

/// Every section asked for, complete up to the sanity bounds.
pub fn build(call: &ExtensiveCall, sections: &[Section]) -> CallDetails {
    let m = &call.meta_data;
    let want = |s: Section| sections.contains(&s);
    let content = &call.content;
    let mut d = CallDetails {
        id: m.id.clone(),
        call: CallHeader::new(
            m.title.as_deref(),
            m.started.as_deref(),
            m.duration,
            m.url.as_deref(),
        ),
        direction: text(&m.direction, 20),
        scope: text(&m.scope, 20),
        system: text(&m.system, 40),
        ..CallDetails::default()
    };
    if want(Section::Participants) {
        let mut people: Vec<Participant> = call
            .parties
            .iter()
            .map(|p| Participant {
                name: text(&p.name, 80),
                email: text(&p.email_address, 100),
                title: text(&p.title, 80),
                affiliation: text(&p.affiliation, 20).unwrap_or_else(|| "Unknown".to_owned()),
                spoke: p.speaker_id.is_some(),
            })
            .collect();
        // Internal, then External, then the rest; Gong's order within each.
        people.sort_by_key(|p| match p.affiliation.as_str() {
            "Internal" => 0,
            "External" => 1,
            _ => 2,
        });
        people.truncate(MAX_ITEMS);
        d.participants = Some(people);
    }
    if want(Section::TalkTime) {
        let (talk, note) = talk_time(call);
        d.talk_time = Some(talk);
        d.talk_time_note = note;
    }
    if want(Section::Topics) {
        d.topics = Some(named(&content.topics, true));
    }
    if want(Section::Structure) {
        d.structure = Some(named(&content.structure, false));
    }
    if want(Section::Trackers) {
        let mut trackers: Vec<TrackerOut> = content
            .trackers
            .iter()
            .filter_map(|t| {
                Some(TrackerOut {
                    name: text(&t.name, 80)?,
                    count: secs(t.count).unwrap_or(0),
                    phrases: t
                        .phrases
                        .iter()
                        .filter_map(|p| text(&p.phrase, 80))
                        .take(MAX_ITEMS)
                        .collect(),
                })
            })
            .filter(|t| t.count > 0)
            .collect();
        trackers.sort_by_key(|t| std::cmp::Reverse(t.count));
        trackers.truncate(MAX_ITEMS);
        d.trackers = Some(trackers);
    }
    if want(Section::Brief) {
        d.brief = text(&content.brief, MAX_TEXT);
    }
    if want(Section::KeyPoints) {
        d.key_points = Some(
            content
                .key_points
                .iter()
                .filter_map(|k| text(&k.text, MAX_TEXT / 4))
                .take(MAX_ITEMS)
                .collect(),
        );
    }
    if want(Section::Highlights) {
        d.highlights = Some(
            content
                .highlights
                .iter()
                .filter_map(|h| {
                    let items: Vec<String> = h
                        .items
                        .iter()
                        .filter_map(|i| text(&i.text, MAX_TEXT / 4))
                        .take(MAX_ITEMS)
                        .collect();
                    (!items.is_empty()).then(|| HighlightOut {
                        title: text(&h.title, 80).unwrap_or_else(|| "Highlights".to_owned()),
                        items,
                    })
                })
                .take(MAX_ITEMS)
                .collect(),
        );
    }
    if want(Section::Outcome) {
        d.call_outcome = content
            .call_outcome
            .as_ref()
            .and_then(|o| text(&o.name, 80));
    }
    if want(Section::Crm) {
        d.crm_account = crm_name(call, "Account").map(|s| clip(&s, 120));
        d.crm_opportunity = crm_name(call, "Opportunity").map(|s| clip(&s, 120));
    }
    if want(Section::Outline) {
        d.outline = Some(
            content
                .outline
                .iter()
                .filter_map(|o| {
                    Some(OutlineOut {
                        section: text(&o.section, 120)?,
                        start_seconds: secs(o.start_time),
                        duration_seconds: secs(o.duration),
                        items: o
                            .items
                            .iter()
                            .filter_map(|i| text(&i.text, MAX_TEXT / 4))
                            .take(MAX_ITEMS)
                            .collect(),
                    })
                })
                .take(MAX_ITEMS)
                .collect(),
        );
    }
    if want(Section::Stats) {
        d.interaction_stats = Some(
            call.interaction
                .interaction_stats
                .iter()
                .filter_map(|s| {
                    Some(Stat {
                        name: text(&s.name, 60)?,
                        value: (s.value? * 100.0).round() / 100.0,
                    })
                })
                .take(MAX_ITEMS)
                .collect(),
        );
    }
    d
}

/// Gong's talk time per speaker (party), most first, as seconds and percent of the call.
fn talk_time(call: &ExtensiveCall) -> (Vec<TalkTime>, Option<String>) {
    let parties_by_id: HashMap<&str, &Party> = call
        .parties
        .iter()
        .filter_map(|p| p.id.as_deref().map(|id| (id, p)))
        .collect();
    // Percent of the call's duration: well-defined even when Gong leaves speakers out.
    let basis = call
        .meta_data
        .duration
        .filter(|d| *d > 0.0)
        .unwrap_or_else(|| {
            call.interaction
                .speakers
                .iter()
                .filter_map(|s| s.talk_time)
                .sum()
        });
    let mut talk: Vec<TalkTime> = call
        .interaction
        .speakers
        .iter()
        .filter_map(|s| {
            let seconds = s.talk_time.filter(|t| *t >= 0.0)?;
            let party = s.id.as_deref().and_then(|id| parties_by_id.get(id));
            let name = party
                .and_then(|p| text(&p.name, 80).or_else(|| text(&p.email_address, 100)))
                .unwrap_or_else(|| {
                    format!(
                        "Unknown participant {}",
                        clip(s.id.as_deref().unwrap_or("?"), 24)
                    )
                });
            Some(TalkTime {
                name,
                seconds: seconds.round() as u64,
                percent: if basis > 0.0 {
                    (seconds / basis * 1000.0).round() / 10.0
                } else {
                    0.0
                },
            })
        })
        .collect();
    talk.sort_by_key(|t| std::cmp::Reverse(t.seconds));
    talk.truncate(MAX_ITEMS);
    let spoke = call
        .parties
        .iter()
        .filter(|p| p.speaker_id.is_some())
        .count();
    let note = (spoke > talk.len()).then(|| {
        format!(
            "Gong reports talk time for {} of the {spoke} people who spoke (it omits external speakers); gong_get_transcript gives everyone's.",
            talk.len()
        )
    });
    (talk, note)
}

fn named(items: &[NamedDuration], by_length: bool) -> Vec<Named> {
    let mut out: Vec<Named> = items
        .iter()
        .filter_map(|n| {
            Some(Named {
                name: text(&n.name, 80)?,
                duration_seconds: secs(n.duration).unwrap_or(0),
            })
        })
        .filter(|n| !by_length || n.duration_seconds > 0)
        .collect();
    if by_length {
        out.sort_by_key(|n| std::cmp::Reverse(n.duration_seconds));
    }
    out.truncate(MAX_ITEMS);
    out
}
