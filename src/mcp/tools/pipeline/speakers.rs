//! `gong_list_speakers`: who spoke in the calls of a window (or of given calls), merged across
//! calls by email (else name), with talk time and words counted from the transcripts (Gong's
//! own stats omit external speakers).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Duration;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::calls::{self, CHUNK, ReadCall, Selection, WindowCursor};
use super::spend::Spend;
use crate::mcp::args::{DateRange, opt_id_strings};
use crate::mcp::error::ToolError;
use crate::mcp::meeting_client::MeetingClient;
use crate::mcp::progress::Progress;
use crate::mcp::render::fmt::{fmt_duration, fmt_started};
use crate::mcp::render::transcript::voice;
use crate::mcp::tools::ToolOutput;
use crate::meetings::MeetingProvider;

/// Calls one answer scans at most (a busy month of a team); the cursor continues.
pub const MAX_CALLS_PER_ANSWER: usize = 300;
const DEFAULT_LIMIT: u64 = 50;
const MAX_LIMIT: u64 = 100;
const KIND: &str = "speakers";

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct ListSpeakersArgs {
    /// Start of the window (ISO-8601 date or date-time; a bare date is that whole UTC day).
    /// Default: 30 days before toDate (or now).
    #[serde(default)]
    #[schemars(example = &"2026-10-01")]
    pub from_date: Option<String>,
    /// End of the window (exclusive; a bare date includes that day). Default: now.
    #[serde(default)]
    pub to_date: Option<String>,
    /// Instead of a window: these calls (at most 300 ids, from gong_list_calls).
    #[serde(default, deserialize_with = "opt_id_strings")]
    #[schemars(with = "Option<Vec<String>>")]
    pub call_ids: Option<Vec<String>>,
    /// Only "Internal", "External" or "Unknown" speakers.
    #[serde(default)]
    pub affiliation: Option<String>,
    /// Only speakers with at least this much talk time in the scanned calls, in seconds (e.g.
    /// 1200 for 20 minutes).
    #[serde(default)]
    pub min_talk_seconds: Option<u64>,
    /// Only speakers whose name, email, title or company contains every word of this.
    #[serde(default)]
    pub query: Option<String>,
    /// Speakers shown, most talk first: default 50, at most 100.
    #[serde(default)]
    pub limit: Option<u64>,
    /// The previous answer's nextCursor: continues the window with the calls not yet counted.
    #[serde(default)]
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SpeakerOut {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Internal, External or Unknown.
    pub affiliation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Scanned calls in which they said at least one sentence.
    pub calls: u64,
    /// The sum of their sentences' durations.
    pub talk_seconds: u64,
    pub words: u64,
    /// Their share of the talk time of the calls they spoke in, in percent.
    pub talk_share_percent: u64,
    pub first_call: CallMention,
    pub last_call: CallMention,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallMention {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    pub title: String,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListSpeakersOutput {
    pub speakers: Vec<SpeakerOut>,
    /// Speakers matching the filters, including those beyond `limit`.
    pub matching: usize,
    /// Calls whose transcripts these totals cover.
    pub calls_scanned: usize,
    /// Of those, calls without a transcript.
    pub calls_without_transcript: usize,
    /// The scanned calls' ids, oldest first: no call is counted in two answers.
    pub call_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_to: Option<String>,
    /// Speaker ids Gong could not match to a participant, and their talk.
    pub unknown_speakers: UnknownSpeakers,
    #[serde(flatten)]
    pub spend: Spend,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnknownSpeakers {
    pub speaker_ids: u64,
    pub calls: u64,
    pub talk_seconds: u64,
}

struct Agg {
    name: String,
    email: Option<String>,
    title: Option<String>,
    affiliation: String,
    company: Option<String>,
    calls: u64,
    talk_ms: u64,
    words: u64,
    calls_talk_ms: u64,
    first: CallMention,
    last: CallMention,
}

pub async fn run(
    client: &MeetingClient,
    args: ListSpeakersArgs,
    now: DateTime<Utc>,
    budget: Duration,
    progress: Progress,
) -> Result<ToolOutput, ToolError> {
    let affiliation = args
        .affiliation
        .as_deref()
        .map(|a| {
            crate::mcp::args::choice(
                "affiliation",
                a,
                &[
                    ("Internal", "Internal"),
                    ("External", "External"),
                    ("Unknown", "Unknown"),
                ],
            )
            .map_err(|e| ToolError::invalid("affiliation", e))
        })
        .transpose()?;
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ToolError::invalid(
            "limit",
            format!("limit must be 1-{MAX_LIMIT}"),
        ));
    }
    super::daily::refuse_over_budget(client).await?;
    let selection = select(client, &args, now).await?;
    let started = tokio::time::Instant::now();
    let total = selection.calls.len();
    let mut aggs: HashMap<String, Agg> = HashMap::new();
    let mut unknown = UnknownSpeakers::default();
    let mut scanned: Vec<String> = Vec::new();
    let mut without_transcript = 0;
    let mut next = selection.next.clone();
    for (n, chunk) in selection.calls.chunks(CHUNK).enumerate() {
        // Leave time to answer: past 70% of the deadline, the rest continues by cursor.
        if n > 0 && started.elapsed() > budget.mul_f64(0.7) {
            if let Some((from, to)) = selection.window {
                next = Some(resume_at(&selection, scanned.len(), from, to));
            }
            break;
        }
        for call in calls::read(client, chunk).await? {
            if call.transcript.is_none() {
                without_transcript += 1;
            }
            add_call(&mut aggs, &mut unknown, &call);
            scanned.push(call.id);
        }
        progress
            .report(
                scanned.len() as u64,
                Some(total as u64),
                format!("read {} of {total} calls", scanned.len()),
            )
            .await;
    }
    let query_words: Vec<String> = args
        .query
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut matching: Vec<Agg> = aggs
        .into_values()
        .filter(|a| affiliation.is_none_or(|want| a.affiliation == want))
        .filter(|a| {
            args.min_talk_seconds
                .is_none_or(|min| a.talk_ms / 1000 >= min)
        })
        .filter(|a| {
            let hay = format!(
                "{} {} {} {}",
                a.name,
                a.email.as_deref().unwrap_or_default(),
                a.title.as_deref().unwrap_or_default(),
                a.company.as_deref().unwrap_or_default()
            )
            .to_lowercase();
            query_words.iter().all(|w| hay.contains(w))
        })
        .collect();
    matching.sort_by(|a, b| b.talk_ms.cmp(&a.talk_ms).then_with(|| a.name.cmp(&b.name)));
    let count = matching.len();
    let speakers: Vec<SpeakerOut> = matching.into_iter().take(limit as usize).map(out).collect();
    let output = ListSpeakersOutput {
        matching: count,
        calls_scanned: scanned.len(),
        calls_without_transcript: without_transcript,
        window_from: selection.window.map(|w| w.0.to_rfc3339()),
        window_to: selection.window.map(|w| w.1.to_rfc3339()),
        unknown_speakers: unknown,
        spend: Spend::of(client),
        next_cursor: next.as_ref().map(WindowCursor::encode),
        call_ids: scanned,
        speakers,
    };
    let spend = super::daily::spend_line(client).await;
    Ok(ToolOutput::new(render(&output) + &spend, &output))
}

async fn select(
    client: &impl MeetingProvider,
    args: &ListSpeakersArgs,
    now: DateTime<Utc>,
) -> Result<Selection, ToolError> {
    if let Some(ids) = &args.call_ids {
        if args.cursor.is_some() || args.from_date.is_some() || args.to_date.is_some() {
            return Err(ToolError::invalid(
                "callIds",
                "give callIds, or a window (fromDate/toDate, cursor), not both",
            ));
        }
        return calls::from_ids(client, ids, MAX_CALLS_PER_ANSWER);
    }
    let resume = args
        .cursor
        .as_deref()
        .map(|c| WindowCursor::decode(c, KIND))
        .transpose()?;
    let range = DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
    calls::from_window(client, range, resume, KIND, MAX_CALLS_PER_ANSWER).await
}

/// A cursor after the first `done` calls of the selection (when the deadline cut the answer
/// short).
fn resume_at(
    selection: &Selection,
    done: usize,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> WindowCursor {
    let counted = &selection.calls[..done];
    let after = counted.last().and_then(|c| c.started).unwrap_or(from);
    WindowCursor {
        kind: KIND.to_owned(),
        from,
        to,
        after,
        ids: counted
            .iter()
            .filter(|c| c.started == Some(after))
            .map(|c| c.id.clone())
            .collect(),
    }
}

fn add_call(aggs: &mut HashMap<String, Agg>, unknown: &mut UnknownSpeakers, call: &ReadCall) {
    let Some(transcript) = &call.transcript else {
        return;
    };
    // Words per speaker id in this call.
    let mut words: HashMap<&str, u64> = HashMap::new();
    for m in &transcript.turns {
        let id = voice(m);
        let n: u64 = m
            .sentences
            .iter()
            .map(|s| s.text.split_whitespace().count() as u64)
            .sum();
        *words.entry(id).or_default() += n;
    }
    let call_talk = call.doc.total_talk_ms();
    let mention = CallMention {
        id: call.id.clone(),
        started: call.doc.call.started.clone(),
        title: call.title(),
    };
    let mut had_unknown = false;
    for s in &call.doc.speakers {
        let spoke = transcript.turns.iter().any(|m| {
            voice(m) == s.speaker_id && m.sentences.iter().any(|x| !x.text.trim().is_empty())
        });
        if !spoke {
            continue;
        }
        if s.anonymous {
            unknown.speaker_ids += 1;
            unknown.talk_seconds += s.talk_ms / 1000;
            had_unknown = true;
            continue;
        }
        let key = match &s.email {
            Some(e) => format!("e:{}", e.to_lowercase()),
            None => format!("n:{}", s.name.to_lowercase()),
        };
        let company = if s.affiliation == "External" {
            call.company.clone()
        } else {
            s.email
                .as_deref()
                .and_then(|e| e.rsplit_once('@'))
                .map(|(_, d)| d.to_owned())
        };
        let agg = aggs.entry(key).or_insert_with(|| Agg {
            name: s.name.clone(),
            email: s.email.clone(),
            title: s.title.clone(),
            affiliation: s.affiliation.to_owned(),
            company: company.clone(),
            calls: 0,
            talk_ms: 0,
            words: 0,
            calls_talk_ms: 0,
            first: mention.clone(),
            last: mention.clone(),
        });
        agg.calls += 1;
        agg.talk_ms = agg.talk_ms.saturating_add(s.talk_ms);
        agg.words += words.get(s.speaker_id.as_str()).copied().unwrap_or(0);
        agg.calls_talk_ms = agg.calls_talk_ms.saturating_add(call_talk);
        if agg.title.is_none() {
            agg.title = s.title.clone();
        }
        if agg.company.is_none() {
            agg.company = company;
        }
        if mention.started < agg.first.started {
            agg.first = mention.clone();
        }
        if mention.started >= agg.last.started {
            agg.last = mention.clone();
        }
    }
    if had_unknown {
        unknown.calls += 1;
    }
}

fn out(a: Agg) -> SpeakerOut {
    SpeakerOut {
        talk_share_percent: (a.talk_ms.saturating_mul(100) + a.calls_talk_ms / 2)
            / a.calls_talk_ms.max(1),
        name: a.name,
        email: a.email,
        title: a.title,
        affiliation: a.affiliation,
        company: a.company,
        calls: a.calls,
        talk_seconds: a.talk_ms / 1000,
        words: a.words,
        first_call: a.first,
        last_call: a.last,
    }
}

fn mention(m: &CallMention) -> String {
    let date = m
        .started
        .as_deref()
        .map(fmt_started)
        .map(|d| d.chars().take(10).collect::<String>());
    format!("{} (call {})", date.unwrap_or_else(|| "?".into()), m.id)
}

fn render(o: &ListSpeakersOutput) -> String {
    let mut t = String::with_capacity(256 + o.speakers.len() * 220);
    let _ = write!(
        t,
        "{} speaker(s) in {} call(s)",
        o.matching, o.calls_scanned
    );
    if let (Some(f), Some(to)) = (&o.window_from, &o.window_to) {
        let _ = write!(t, " from {f} to {to}");
    }
    let _ = writeln!(
        t,
        "; {}. Talk time and words are counted from the transcripts.",
        o.spend.describe()
    );
    if o.calls_without_transcript > 0 {
        let _ = writeln!(
            t,
            "{} call(s) had no transcript.",
            o.calls_without_transcript
        );
    }
    for s in &o.speakers {
        let _ = write!(t, "- {}", s.name);
        if let Some(e) = &s.email {
            let _ = write!(t, " <{e}>");
        }
        if let Some(title) = &s.title {
            let _ = write!(t, ", {title}");
        }
        let _ = write!(t, ", {}", s.affiliation);
        if let Some(c) = &s.company {
            let _ = write!(t, " ({c})");
        }
        let _ = writeln!(
            t,
            ": {} call(s), {} talk ({}% of those calls), {} words; first {}, last {}",
            s.calls,
            fmt_duration(s.talk_seconds),
            s.talk_share_percent,
            s.words,
            mention(&s.first_call),
            mention(&s.last_call)
        );
    }
    if o.matching > o.speakers.len() {
        let _ = writeln!(
            t,
            "… and {} more speaker(s) not shown: raise limit (at most {MAX_LIMIT}) or filter (affiliation, minTalkSeconds, query).",
            o.matching - o.speakers.len()
        );
    }
    if o.unknown_speakers.speaker_ids > 0 {
        let _ = writeln!(
            t,
            "Unknown speakers (not matched to a participant): {} in {} call(s), {} talk.",
            o.unknown_speakers.speaker_ids,
            o.unknown_speakers.calls,
            fmt_duration(o.unknown_speakers.talk_seconds)
        );
    }
    if let Some(c) = &o.next_cursor {
        let _ = writeln!(
            t,
            "These totals cover the {} call(s) above only; more calls in the window: call gong_list_speakers again with cursor \"{c}\" (totals of the next calls, none counted twice).",
            o.calls_scanned
        );
    }
    t.trim_end().to_owned()
}
