//! `gong_get_transcript`: a call's transcript with real speaker names.
//!
//! Gong's transcript carries only speaker ids; names, emails and affiliations come from the call's
//! parties (`/v2/calls/extensive`). Both are fetched concurrently, two requests in all, and each is
//! cached per tenant, so a second look at the same call costs no Gong request.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::Serialize;

use super::super::args::{TranscriptArgs, validate_call_id};
use super::super::error::ToolError;
use super::{ToolOutput, fmt_clock, fmt_duration, fmt_started};
use crate::gong::GongClient;
use crate::gong::types::{CallTranscript, ExtensiveCall, Party};

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptOutput {
    pub call_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Everyone who spoke, most talk time first.
    pub speakers: Vec<Speaker>,
    /// The transcript, one entry per monologue, in order.
    pub monologues: Vec<MonologueOut>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Speaker {
    /// Gong's transcript speaker id.
    pub speaker_id: String,
    /// The party's name, or "Unknown speaker N" when Gong has no party for this speaker.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Internal, External or Unknown.
    pub affiliation: String,
    /// False when the speaker id matches none of the call's parties.
    pub identified: bool,
    /// Seconds of speech in this transcript.
    pub talk_seconds: u64,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MonologueOut {
    /// Index into `speakers`.
    pub speaker: usize,
    /// Seconds from the start of the call.
    pub start_seconds: f64,
    pub end_seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    pub text: String,
}

pub async fn run(client: &GongClient, args: TranscriptArgs) -> Result<ToolOutput, ToolError> {
    validate_call_id("callId", &args.call_id)?;
    let ids = [args.call_id.clone()];
    let (transcript, calls) = futures::future::try_join(
        client.transcript(&args.call_id),
        client.calls_extensive(&ids),
    )
    .await?;
    let Some(transcript) = transcript else {
        return Err(ToolError::NotFound(format!(
            "Gong has no transcript for call {}: check the id with gong_list_calls; very recent calls get their transcript only after Gong processes them, and calls without audio have none.",
            args.call_id
        )));
    };
    let output = build(&transcript, calls.get(&args.call_id).map(|c| c.as_ref()));
    Ok(ToolOutput::new(render(&output), &output))
}

pub fn build(transcript: &CallTranscript, call: Option<&ExtensiveCall>) -> TranscriptOutput {
    let parties: HashMap<&str, &Party> = call
        .map(|c| {
            c.parties
                .iter()
                .filter_map(|p| p.speaker_id.as_deref().map(|id| (id, p)))
                .collect()
        })
        .unwrap_or_default();
    let mut speakers: Vec<Speaker> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut monologues = Vec::with_capacity(transcript.transcript.len());
    let mut unknown = 0;
    for m in &transcript.transcript {
        if m.sentences.is_empty() {
            continue;
        }
        let speaker_id = m.speaker_id.clone().unwrap_or_else(|| "unknown".to_owned());
        let speaker = *index.entry(speaker_id.clone()).or_insert_with(|| {
            let party = parties.get(speaker_id.as_str());
            if party.is_none() {
                unknown += 1;
            }
            speakers.push(speaker_from(speaker_id, party.copied(), unknown));
            speakers.len() - 1
        });
        let start = m.sentences.iter().map(|s| s.start).min().unwrap_or(0);
        let end = m.sentences.iter().map(|s| s.end).max().unwrap_or(start);
        let spoken: u64 = m
            .sentences
            .iter()
            .map(|s| s.end.saturating_sub(s.start))
            .sum();
        speakers[speaker].talk_seconds += spoken;
        let mut text = String::new();
        for s in &m.sentences {
            let t = s.text.trim();
            if t.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(t);
        }
        monologues.push(MonologueOut {
            speaker,
            start_seconds: start as f64 / 1000.0,
            end_seconds: end as f64 / 1000.0,
            topic: m.topic.clone(),
            text,
        });
    }
    // talk_seconds accumulated milliseconds above.
    for s in &mut speakers {
        s.talk_seconds = (s.talk_seconds + 500) / 1000;
    }
    let meta = call.map(|c| &c.meta_data);
    TranscriptOutput {
        call_id: transcript.call_id.clone(),
        title: meta.and_then(|m| m.title.clone()),
        started: meta.and_then(|m| m.started.clone()),
        duration_seconds: meta.and_then(|m| m.duration).map(|d| d.round() as u64),
        url: meta.and_then(|m| m.url.clone()),
        speakers,
        monologues,
    }
}

fn speaker_from(speaker_id: String, party: Option<&Party>, unknown_no: usize) -> Speaker {
    match party {
        Some(p) => Speaker {
            name: p
                .name
                .clone()
                .or_else(|| p.email_address.clone())
                .unwrap_or_else(|| format!("Speaker {speaker_id}")),
            email: p.email_address.clone(),
            title: p.title.clone(),
            affiliation: p
                .affiliation
                .clone()
                .unwrap_or_else(|| "Unknown".to_owned()),
            identified: true,
            talk_seconds: 0,
            speaker_id,
        },
        None => Speaker {
            name: format!("Unknown speaker {unknown_no}"),
            email: None,
            title: None,
            affiliation: "Unknown".to_owned(),
            identified: false,
            talk_seconds: 0,
            speaker_id,
        },
    }
}

fn render(out: &TranscriptOutput) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(
        256 + out
            .monologues
            .iter()
            .map(|m| m.text.len() + 32)
            .sum::<usize>(),
    );
    let _ = writeln!(
        text,
        "Transcript of \"{}\" (call {}){}{}",
        out.title.as_deref().unwrap_or("untitled call"),
        out.call_id,
        out.started
            .as_deref()
            .map(|s| format!(", {}", fmt_started(s)))
            .unwrap_or_default(),
        out.duration_seconds
            .map(|d| format!(", {}", fmt_duration(d)))
            .unwrap_or_default(),
    );
    text.push_str("Speakers:\n");
    let mut order: Vec<&Speaker> = out.speakers.iter().collect();
    order.sort_by_key(|s| std::cmp::Reverse(s.talk_seconds));
    for s in order {
        let _ = write!(text, "- {}", s.name);
        if let Some(email) = &s.email {
            let _ = write!(text, " <{email}>");
        }
        if let Some(title) = &s.title {
            let _ = write!(text, ", {title}");
        }
        let _ = writeln!(
            text,
            " ({}; talked {})",
            s.affiliation,
            fmt_duration(s.talk_seconds)
        );
    }
    text.push('\n');
    for m in &out.monologues {
        let _ = writeln!(
            text,
            "[{}] {}: {}",
            fmt_clock(m.start_seconds),
            out.speakers[m.speaker].name,
            m.text
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_are_joined_through_parties_and_unknown_ones_are_kept() {
        let transcript: CallTranscript = serde_json::from_value(serde_json::json!({
            "callId": "1",
            "transcript": [
                {"speakerId": "s1", "topic": "Intro", "sentences": [{"start": 0, "end": 2000, "text": "Hi."}, {"start": 2000, "end": 4000, "text": "Thanks."}]},
                {"speakerId": "s9", "topic": null, "sentences": [{"start": 65000, "end": 70000, "text": "Who am I?"}]},
                {"speakerId": "s1", "sentences": [{"start": 3_700_000, "end": 3_701_000, "text": "Bye."}]}
            ]
        }))
        .unwrap();
        let call: ExtensiveCall = serde_json::from_value(serde_json::json!({
            "metaData": {"id": "1", "title": "Demo", "duration": 3701},
            "parties": [{"name": "Ann Lee", "emailAddress": "ann@acme.com", "speakerId": "s1", "affiliation": "External"},
                        {"name": "Silent Bob", "speakerId": null}]
        }))
        .unwrap();
        let out = build(&transcript, Some(&call));
        assert_eq!(out.speakers.len(), 2);
        assert_eq!(out.speakers[0].name, "Ann Lee");
        assert_eq!(out.speakers[0].email.as_deref(), Some("ann@acme.com"));
        assert_eq!(out.speakers[0].talk_seconds, 5);
        assert!(!out.speakers[1].identified);
        assert_eq!(out.speakers[1].name, "Unknown speaker 1");
        assert_eq!(out.monologues[0].text, "Hi. Thanks.");
        let text = render(&out);
        assert!(text.contains("[00:00] Ann Lee: Hi. Thanks."), "{text}");
        assert!(
            text.contains("[01:05] Unknown speaker 1: Who am I?"),
            "{text}"
        );
        assert!(text.contains("[1:01:40] Ann Lee: Bye."), "{text}");
    }
}
