//! `gong_get_call_details`: participants, talk time, topics, trackers, structure and Gong's
//! summaries for up to 100 calls, from one `/v2/calls/extensive` request (less when cached).

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::super::args::{CallDetailsArgs, validate_call_id};
use super::super::error::ToolError;
use super::{ToolOutput, fmt_duration, fmt_started};
use crate::gong::types::{CrmObject, ExtensiveCall, Party};
use crate::gong::{GongClient, MAX_CALL_IDS_PER_REQUEST};

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallDetailsOutput {
    /// One entry per call found, in the order asked.
    pub calls: Vec<CallDetails>,
    /// Ids Gong does not know (or these credentials cannot see).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_found: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallDetails {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    pub participants: Vec<Participant>,
    /// Talk time per speaker, most first, as Gong reports it.
    pub talk_time: Vec<TalkTime>,
    /// Set when Gong reports talk time for fewer people than spoke (it omits external
    /// speakers): gong_get_transcript has everyone's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub talk_time_note: Option<String>,
    pub topics: Vec<Named>,
    /// The call's structure (agenda sections) with durations.
    pub structure: Vec<Named>,
    pub trackers: Vec<TrackerOut>,
    /// Gong's interaction statistics, e.g. "Talk Ratio", "Longest Monologue", "Interactivity".
    pub interaction_stats: Vec<Stat>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub key_points: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_outcome: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_account: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crm_opportunity: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
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

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TalkTime {
    pub name: String,
    pub seconds: u64,
    /// Share of the call's duration, 0-100.
    pub percent: f64,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Named {
    pub name: String,
    pub duration_seconds: u64,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrackerOut {
    pub name: String,
    pub count: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phrases: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct Stat {
    pub name: String,
    pub value: f64,
}

pub async fn run(client: &GongClient, args: CallDetailsArgs) -> Result<ToolOutput, ToolError> {
    let ids = requested_ids(args)?;
    let found = client.calls_extensive(&ids).await?;
    let mut output = CallDetailsOutput {
        calls: Vec::with_capacity(ids.len()),
        not_found: Vec::new(),
    };
    for id in &ids {
        match found.get(id) {
            Some(call) => output.calls.push(build(call)),
            None => output.not_found.push(id.clone()),
        }
    }
    if output.calls.is_empty() {
        return Err(ToolError::NotFound(format!(
            "Gong has no call with the id(s) {}: use gong_list_calls to find call ids.",
            output.not_found.join(", ")
        )));
    }
    Ok(ToolOutput::new(render(&output), &output))
}

fn requested_ids(args: CallDetailsArgs) -> Result<Vec<String>, ToolError> {
    let mut ids = match (args.call_id, args.call_ids) {
        (Some(_), Some(_)) => {
            return Err(ToolError::invalid(
                "callIds",
                "give either callId or callIds, not both",
            ));
        }
        (Some(id), None) => vec![id],
        (None, Some(ids)) => ids,
        (None, None) => {
            return Err(ToolError::invalid(
                "callId",
                "give callId (one call) or callIds (up to 100); find ids with gong_list_calls",
            ));
        }
    };
    if ids.is_empty() {
        return Err(ToolError::invalid(
            "callIds",
            "callIds is empty; give 1 to 100 call ids",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.len() > MAX_CALL_IDS_PER_REQUEST {
        return Err(ToolError::invalid(
            "callIds",
            format!(
                "{} call ids given; at most {MAX_CALL_IDS_PER_REQUEST} per call: split the list and call this tool once per 100 ids",
                ids.len()
            ),
        ));
    }
    for id in &ids {
        validate_call_id("callIds", id)?;
    }
    Ok(ids)
}

fn build(call: &ExtensiveCall) -> CallDetails {
    let m = &call.meta_data;
    let parties_by_id: HashMap<&str, &Party> = call
        .parties
        .iter()
        .filter_map(|p| p.id.as_deref().map(|id| (id, p)))
        .collect();
    // Percent of the call's duration: well-defined even when Gong leaves speakers out.
    let basis = m.duration.filter(|d| *d > 0.0).unwrap_or_else(|| {
        call.interaction
            .speakers
            .iter()
            .filter_map(|s| s.talk_time)
            .sum()
    });
    let mut talk_time: Vec<TalkTime> = call
        .interaction
        .speakers
        .iter()
        .filter_map(|s| {
            let seconds = s.talk_time?;
            let party = s.id.as_deref().and_then(|id| parties_by_id.get(id));
            let name = party
                .and_then(|p| p.name.clone().or_else(|| p.email_address.clone()))
                .unwrap_or_else(|| {
                    format!("Unknown participant {}", s.id.as_deref().unwrap_or("?"))
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
    talk_time.sort_by_key(|t| std::cmp::Reverse(t.seconds));
    let spoke = call
        .parties
        .iter()
        .filter(|p| p.speaker_id.is_some())
        .count();
    let talk_time_note = (spoke > talk_time.len()).then(|| {
        format!(
            "Gong reports talk time for {} of the {spoke} people who spoke (it omits external speakers); gong_get_transcript gives everyone's.",
            talk_time.len()
        )
    });
    let participants = call
        .parties
        .iter()
        .map(|p| Participant {
            name: p.name.clone(),
            email: p.email_address.clone(),
            title: p.title.clone(),
            affiliation: p
                .affiliation
                .clone()
                .unwrap_or_else(|| "Unknown".to_owned()),
            spoke: p.speaker_id.is_some(),
        })
        .collect();
    let named = |items: &[crate::gong::types::NamedDuration]| {
        items
            .iter()
            .filter_map(|n| {
                Some(Named {
                    name: n.name.clone()?,
                    duration_seconds: n.duration.unwrap_or(0.0).round() as u64,
                })
            })
            .collect()
    };
    let content = &call.content;
    CallDetails {
        id: m.id.clone(),
        title: m.title.clone(),
        started: m.started.clone(),
        duration_seconds: m.duration.map(|d| d.round() as u64),
        url: m.url.clone(),
        direction: m.direction.clone(),
        scope: m.scope.clone(),
        system: m.system.clone(),
        participants,
        talk_time,
        talk_time_note,
        topics: named(&content.topics),
        structure: named(&content.structure),
        trackers: content
            .trackers
            .iter()
            .filter_map(|t| {
                Some(TrackerOut {
                    name: t.name.clone()?,
                    count: t.count.unwrap_or(0.0).round() as u64,
                    phrases: t.phrases.iter().filter_map(|p| p.phrase.clone()).collect(),
                })
            })
            .collect(),
        interaction_stats: call
            .interaction
            .interaction_stats
            .iter()
            .filter_map(|s| {
                Some(Stat {
                    name: s.name.clone()?,
                    value: s.value?,
                })
            })
            .collect(),
        brief: content.brief.clone(),
        key_points: content
            .key_points
            .iter()
            .filter_map(|k| k.text.clone())
            .collect(),
        call_outcome: content.call_outcome.as_ref().and_then(|o| o.name.clone()),
        crm_account: crm_name(call, "Account"),
        crm_opportunity: crm_name(call, "Opportunity"),
    }
}

/// The `Name` field of the first CRM object of this type linked to the call.
fn crm_name(call: &ExtensiveCall, object_type: &str) -> Option<String> {
    call.context
        .iter()
        .flat_map(|c| c.objects.iter())
        .filter(|o: &&CrmObject| o.object_type.as_deref() == Some(object_type))
        .flat_map(|o| o.fields.iter())
        .find(|f| f.name.as_deref() == Some("Name"))
        .and_then(|f| f.value.as_str().map(str::to_owned))
}

fn render(out: &CallDetailsOutput) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    for c in &out.calls {
        let _ = writeln!(
            text,
            "## {} (call {})\n{} | {} | {}",
            c.title.as_deref().unwrap_or("untitled call"),
            c.id,
            c.started
                .as_deref()
                .map(fmt_started)
                .unwrap_or_else(|| "?".into()),
            c.duration_seconds
                .map(fmt_duration)
                .unwrap_or_else(|| "?".into()),
            [&c.scope, &c.direction, &c.system]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" | ")
        );
        if let Some(url) = &c.url {
            let _ = writeln!(text, "{url}");
        }
        if c.crm_account.is_some() || c.crm_opportunity.is_some() {
            let _ = writeln!(
                text,
                "CRM: account {}, opportunity {}",
                c.crm_account.as_deref().unwrap_or("-"),
                c.crm_opportunity.as_deref().unwrap_or("-")
            );
        }
        text.push_str("Participants:\n");
        for p in &c.participants {
            let _ = write!(text, "- {}", p.name.as_deref().unwrap_or("(no name)"));
            if let Some(e) = &p.email {
                let _ = write!(text, " <{e}>");
            }
            if let Some(t) = &p.title {
                let _ = write!(text, ", {t}");
            }
            let _ = writeln!(
                text,
                " ({}{})",
                p.affiliation,
                if p.spoke { "" } else { ", did not speak" }
            );
        }
        if !c.talk_time.is_empty() {
            text.push_str("Talk time:\n");
            for t in &c.talk_time {
                let _ = writeln!(
                    text,
                    "- {}: {} ({}% of the call)",
                    t.name,
                    fmt_duration(t.seconds),
                    t.percent
                );
            }
        }
        if let Some(note) = &c.talk_time_note {
            let _ = writeln!(text, "({note})");
        }
        let list = |items: &[Named]| {
            items
                .iter()
                .map(|n| format!("{} ({})", n.name, fmt_duration(n.duration_seconds)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !c.topics.is_empty() {
            let _ = writeln!(text, "Topics: {}", list(&c.topics));
        }
        if !c.structure.is_empty() {
            let _ = writeln!(text, "Structure: {}", list(&c.structure));
        }
        if !c.trackers.is_empty() {
            let trackers: Vec<String> = c
                .trackers
                .iter()
                .map(|t| {
                    if t.phrases.is_empty() {
                        format!("{} x{}", t.name, t.count)
                    } else {
                        format!("{} x{} ({})", t.name, t.count, t.phrases.join(", "))
                    }
                })
                .collect();
            let _ = writeln!(text, "Trackers: {}", trackers.join("; "));
        }
        if !c.interaction_stats.is_empty() {
            let stats: Vec<String> = c
                .interaction_stats
                .iter()
                .map(|s| format!("{} {}", s.name, (s.value * 100.0).round() / 100.0))
                .collect();
            let _ = writeln!(text, "Interaction: {}", stats.join(", "));
        }
        if let Some(outcome) = &c.call_outcome {
            let _ = writeln!(text, "Outcome: {outcome}");
        }
        if let Some(brief) = &c.brief {
            let _ = writeln!(text, "Brief: {brief}");
        }
        if !c.key_points.is_empty() {
            text.push_str("Key points:\n");
            for k in &c.key_points {
                let _ = writeln!(text, "- {k}");
            }
        }
        text.push('\n');
    }
    if !out.not_found.is_empty() {
        let _ = writeln!(text, "Not found: {}", out.not_found.join(", "));
    }
    text
}
