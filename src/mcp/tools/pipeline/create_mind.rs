//! `create_mind_from_calls`: one speaker's words from Gong calls, collected on the server and
//! trained into a Mind Reasoner mind; no transcript text passes through the agent.
//!
//! Order of work, so a failure leaves as little as possible and says what it left: read Gong
//! first (nothing is created if the speaker said nothing), then find or create the mind, then
//! send each file as a snapshot. Files go by the direct multipart upload (the path the notes
//! found reliable; signed-URL PUTs have failed on signature mismatches), at most 4 MB each.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

use super::calls::{self, CHUNK, ReadCall};
use super::spend::Spend;
use super::training_file::{self, CallWords};
use crate::mcp::args::{DateRange, opt_id_strings};
use crate::mcp::error::ToolError;
use crate::mcp::meeting_client::MeetingClient;
use crate::mcp::progress::Progress;
use crate::mcp::render::transcript::{Filter, Segment};
use crate::mcp::tools::ToolOutput;
use crate::meetings::{MeetingHeader, MeetingProvider, Source};
use crate::mind_reasoner::types::Mind;
use crate::mind_reasoner::{MAX_DIRECT_UPLOAD_BYTES, MindReasonerClient, SnapshotSource};

/// Calls of a window looked at (their parties: one Gong request per 100).
pub const MAX_SCANNED: usize = 500;
/// Calls one invocation reads the transcript of at most (calls the speaker took part in): bounds
/// its run time and the Gong quota it spends.
pub const MAX_CALLS: usize = 100;
/// Mind Reasoner's recommendation: "30-50 conversations or 5,000+ words".
pub const RECOMMENDED_WORDS: u64 = 5_000;
/// Room for the multipart envelope under the 4 MB limit.
const FILE_LIMIT: usize = MAX_DIRECT_UPLOAD_BYTES - 64 * 1024;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct CreateMindFromCallsArgs {
    /// Whose words train the mind: a name or email, matched in each call as gong_get_transcript's
    /// `speaker` filter matches it (an email is the safest).
    #[schemars(example = &"sofia.mendoza@piedpiper.io")]
    pub speaker: String,
    /// The calls to read (at most 100), e.g. from gong_list_calls. Or give a window instead.
    #[serde(default, deserialize_with = "opt_id_strings")]
    #[schemars(with = "Option<Vec<String>>")]
    pub call_ids: Option<Vec<String>>,
    /// Start of the window of calls (default: 30 days before toDate or now).
    #[serde(default)]
    pub from_date: Option<String>,
    /// End of the window (exclusive; a bare date includes that day). Default: now.
    #[serde(default)]
    pub to_date: Option<String>,
    /// Train this existing mind (adds a snapshot).
    #[serde(default)]
    pub mind_id: Option<String>,
    /// Train the mind with this name: reused if exactly one mind has it (trimmed,
    /// case-insensitive), else created. Default: the speaker's name as the recorder knows it.
    #[serde(default)]
    pub mind_name: Option<String>,
    /// Where the calls come from: "gong" (default), "fathom" or "fireflies"; `callIds` are then
    /// that provider's ids (Fathom meeting ids, Fireflies transcript ids).
    #[serde(default)]
    #[schemars(example = &"fathom")]
    pub source: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateMindFromCallsOutput {
    pub mind_id: String,
    pub digital_twin_id: String,
    pub mind_name: String,
    /// "created", "reused" (by name) or "given" (mindId).
    pub mind: String,
    /// One snapshot per uploaded file; get_snapshot_status takes mindId and each snapshotId.
    pub snapshots: Vec<SnapshotOut>,
    pub calls_used: Vec<CallOut>,
    /// Calls they took part in but said nothing (at most 100 listed).
    pub calls_without_speaker: Vec<CallOut>,
    pub segments: usize,
    pub words: u64,
    pub file_bytes: usize,
    /// Calls whose parties were looked at (the window, or callIds).
    pub calls_scanned: usize,
    #[serde(flatten)]
    pub spend: Spend,
    /// Set when the training data is below Mind Reasoner's recommendation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub below_recommended: Option<String>,
    /// Where another invocation continues, when this one left calls of the window unread
    /// (more than 500 calls, or more than 100 with the speaker).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continue_from_date: Option<String>,
    pub next: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotOut {
    pub snapshot_id: String,
    pub file_bytes: usize,
    pub call_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallOut {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<u64>,
}

/// The speaker's words in one call.
struct Found {
    call: CallOut,
    name: String,
    segments: Vec<Segment>,
}

pub async fn run(
    gong: &MeetingClient,
    mr: &MindReasonerClient,
    args: CreateMindFromCallsArgs,
    now: DateTime<Utc>,
    progress: Progress,
) -> Result<ToolOutput, ToolError> {
    let speaker = args.speaker.trim().to_owned();
    if speaker.is_empty() || speaker.chars().count() > 200 {
        return Err(ToolError::invalid(
            "speaker",
            "speaker must be a name or email (1-200 characters), e.g. \"sofia.mendoza@piedpiper.io\"",
        ));
    }
    if args.mind_id.is_some() && args.mind_name.is_some() {
        return Err(ToolError::invalid(
            "mindId",
            "give mindId (an existing mind) or mindName (find or create by name), not both",
        ));
    }
    super::daily::refuse_over_budget(gong).await?;
    // 1. Gong: the calls, then the speaker's words in each.
    let selection = match &args.call_ids {
        Some(ids) => {
            if args.from_date.is_some() || args.to_date.is_some() {
                return Err(ToolError::invalid(
                    "callIds",
                    "give callIds or a window (fromDate/toDate), not both",
                ));
            }
            calls::from_ids(gong, ids, MAX_CALLS)?
        }
        None => {
            let range =
                DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
            calls::from_window(gong, range, None, "mind", MAX_SCANNED).await?
        }
    };
    // Parties first (100 calls per request): transcripts only of calls the speaker took part in.
    let scanned = selection.calls.len();
    let all_ids: Vec<String> = selection.calls.iter().map(|c| c.id.clone()).collect();
    let source = gong.source().name();
    let parties = gong.headers(&all_ids).await.map_err(|e| {
        partial(
            &format!("Reading the participants of {scanned} call(s) from {source} failed: {e}"),
            "Nothing was created in Mind Reasoner.",
        )
    })?;
    let (present, absent): (Vec<_>, Vec<_>) = selection.calls.iter().cloned().partition(|c| {
        parties
            .get(&c.id)
            .is_some_and(|call| takes_part(call, &speaker))
    });
    let mut seen_speakers: Vec<(String, Option<String>)> = Vec::new();
    for call in parties.values() {
        for p in &call.participants {
            let name = p.name.clone().unwrap_or_default();
            if !name.is_empty()
                && !seen_speakers
                    .iter()
                    .any(|(n, e)| *n == name && *e == p.email)
            {
                seen_speakers.push((name, p.email.clone()));
            }
        }
    }
    let more_than_cap = present.len() > MAX_CALLS;
    let present: Vec<_> = present.into_iter().take(MAX_CALLS).collect();
    let total = present.len();
    let mut found: Vec<Found> = Vec::new();
    let mut silent: Vec<CallOut> = Vec::new();
    let mut read = 0;
    for chunk in present.chunks(CHUNK) {
        let chunk_calls = calls::read(gong, chunk).await.map_err(|e| {
            partial(
                &format!(
                    "Reading the calls from {source} failed after {read} of {total} calls: {e}"
                ),
                "Nothing was created in Mind Reasoner.",
            )
        })?;
        for call in chunk_calls {
            match words_of(&call, &speaker)? {
                Some(f) => found.push(f),
                None => silent.push(call_out(&call, None)),
            }
            read += 1;
        }
        progress
            .report(
                read as u64,
                Some(total as u64),
                format!("read {read} of {total} calls"),
            )
            .await;
    }
    if found.is_empty() {
        return Err(ToolError::NotFound(no_such_speaker(
            &speaker,
            scanned,
            total,
            &seen_speakers,
        )));
    }
    let _ = absent;
    // Calls in date order; calls without a start time last.
    found.sort_by(|a, b| {
        (a.call.started.is_none(), &a.call.started)
            .cmp(&(b.call.started.is_none(), &b.call.started))
    });
    let display_name = found[0].name.clone();
    let words: u64 = found.iter().map(|f| f.call.words.unwrap_or(0)).sum();
    let segments: usize = found.iter().map(|f| f.segments.len()).sum();
    let parts: Vec<CallWords<'_>> = found
        .iter()
        .map(|f| CallWords {
            id: &f.call.id,
            title: &f.call.title,
            started: f.call.started.as_deref(),
            speaker: &f.name,
            segments: &f.segments,
        })
        .collect();
    let files = training_file::render(&parts, FILE_LIMIT);
    let spend = Spend::of(gong);
    let read_note = format!(
        "Looked at {scanned} call(s) in {source}, read the {total} the speaker took part in ({}); they spoke in {}.",
        spend.describe(),
        found.len()
    );

    // 2. Mind Reasoner: the mind.
    let (mind, how) = resolve_mind(mr, &args, &display_name).await.map_err(|e| {
        partial(
            &format!("{read_note} Then finding or creating the mind failed: {e}"),
            "No snapshot was created.",
        )
    })?;
    let twin = mind.default_twin().map(|t| t.id.clone()).ok_or_else(|| {
        ToolError::NotFound(format!(
            "{read_note} Mind {} has no digital twin to train; get_all_minds shows it.",
            mind.id
        ))
    })?;
    let mind_name = mind.name.clone().unwrap_or_else(|| display_name.clone());

    // 3. One snapshot per file.
    let mut snapshots: Vec<SnapshotOut> = Vec::new();
    let file_count = files.len();
    for (n, file) in files.into_iter().enumerate() {
        let size = file.text.len();
        let source = SnapshotSource::File {
            file_name: format!("{}-{}.vtt", slug(&mind_name), n + 1),
            content_type: "text/vtt".to_owned(),
            bytes: Bytes::from(file.text.into_bytes()),
        };
        let created = mr.create_snapshot(&mind.id, Some(&twin), &source).await.map_err(|e| {
            let done = match snapshots.len() {
                0 => String::new(),
                k => format!(" {k} of {file_count} file(s) were uploaded and are training (snapshots {}).", ids(&snapshots)),
            };
            partial(
                &format!("{read_note} Mind {} ({how}, digital twin {twin}).{done} Uploading file {} of {file_count} ({size} bytes) failed: {e}", mind.id, n + 1),
                &format!("Retry with mindId \"{}\" (not mindName), so no second mind is made.", mind.id),
            )
        })?;
        snapshots.push(SnapshotOut {
            snapshot_id: created.mind_assessment_id,
            file_bytes: size,
            call_ids: file.call_ids,
        });
        progress
            .report(
                (n + 1) as u64,
                Some(file_count as u64),
                format!("uploaded file {} of {file_count}", n + 1),
            )
            .await;
    }
    let file_bytes = snapshots.iter().map(|s| s.file_bytes).sum();
    let below = (words < RECOMMENDED_WORDS).then(|| {
        format!(
            "{words} words from {} call(s) is below Mind Reasoner's recommendation (5,000+ words or 30-50 conversations): about {} more words would help. Run this tool again with mindId \"{}\" and more calls (a wider window or other callIds) to add a snapshot.",
            found.len(),
            RECOMMENDED_WORDS - words,
            mind.id
        )
    });
    let output = CreateMindFromCallsOutput {
        mind_id: mind.id.clone(),
        digital_twin_id: twin.clone(),
        mind_name,
        mind: how.to_owned(),
        snapshots,
        calls_used: found.iter().map(|f| f.call.clone()).collect(),
        calls_without_speaker: silent,
        segments,
        words,
        file_bytes,
        spend: Spend::of(gong),
        below_recommended: below,
        // Gong's start times are whole seconds: the next call starts at least a second later.
        continue_from_date: continue_from(&selection, &present, more_than_cap),
        calls_scanned: scanned,
        next: format!(
            "Training takes minutes (typically 5-15). Call get_snapshot_status {{\"mindId\": \"{}\", \"snapshotId\": …, \"waitSeconds\": 25}} for each snapshot; when completed, simulate {{\"mindId\": \"{}\", \"message\": …}}.",
            mind.id, mind.id
        ),
    };
    let spend = super::daily::spend_line(gong).await;
    Ok(ToolOutput::new(render(&output) + &spend, &output))
}

/// The speaker's segments in one call; `None` if they said nothing there.
fn words_of(call: &ReadCall, speaker: &str) -> Result<Option<Found>, ToolError> {
    let Some(transcript) = &call.transcript else {
        return Ok(None);
    };
    let indices = match call.doc.resolve_speakers(&[speaker.to_owned()]) {
        Ok(i) => i,
        Err(e) if e.starts_with("no speaker") => return Ok(None),
        Err(e) => return Err(ToolError::invalid("speaker", e)),
    };
    let mut doc = call.doc.clone();
    doc.select(
        transcript,
        &Filter {
            speakers: Some(indices.clone()),
            from_ms: 0,
            to_ms: None,
        },
    );
    if doc.segments.is_empty() {
        return Ok(None);
    }
    let words = doc
        .segments
        .iter()
        .map(|s| s.text.split_whitespace().count() as u64)
        .sum();
    let name = doc.speakers[indices[0]].name.clone();
    Ok(Some(Found {
        call: call_out(call, Some((doc.segments.len(), words))),
        name,
        segments: doc.segments,
    }))
}

/// Whether one of the call's parties is the speaker: their email or name, or (as the
/// transcript filter accepts) a unique first name or start of a name.
fn takes_part(call: &MeetingHeader, speaker: &str) -> bool {
    if call.source != Source::Gong {
        // Only Gong links every voice to a participant; elsewhere a speaker may be uninvited.
        return true;
    }
    let wanted = speaker.to_lowercase();
    call.participants.iter().any(|p| {
        let name = p.name.as_deref().unwrap_or_default().to_lowercase();
        p.email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(speaker))
            || name == wanted
            || (!name.is_empty()
                && (name.starts_with(&wanted) || name.split(' ').any(|part| part == wanted)))
    })
}

/// The fromDate another invocation continues at: after the last call read (Gong's start times
/// are whole seconds, so the next call starts at least a second later).
fn continue_from(
    selection: &calls::Selection,
    read: &[calls::CallRef],
    more_than_cap: bool,
) -> Option<String> {
    if !more_than_cap && selection.next.is_none() {
        return None;
    }
    let last = if more_than_cap {
        read.last().and_then(|c| c.started)
    } else {
        selection.next.as_ref().map(|c| c.after)
    }?;
    Some((last + chrono::Duration::seconds(1)).to_rfc3339())
}

fn call_out(call: &ReadCall, counts: Option<(usize, u64)>) -> CallOut {
    CallOut {
        id: call.id.clone(),
        title: call.title(),
        started: call.doc.call.started.clone(),
        segments: counts.map(|c| c.0),
        words: counts.map(|c| c.1),
    }
}

/// The mind to train: the given id (checked to exist for this key), the one mind named so, or a
/// new one. Returns it with how it was found.
async fn resolve_mind(
    mr: &MindReasonerClient,
    args: &CreateMindFromCallsArgs,
    speaker_name: &str,
) -> Result<(Mind, &'static str), ToolError> {
    let minds = mr.list_minds().await?;
    if let Some(id) = args.mind_id.as_deref().map(str::trim) {
        return minds
            .into_iter()
            .find(|m| m.id == id)
            .map(|m| (m, "given"))
            .ok_or_else(|| ToolError::NotFound(format!("Mind Reasoner has no mind {id} for this API key: check it with get_all_minds or search_minds.")));
    }
    let name = args
        .mind_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(speaker_name);
    let same: Vec<&Mind> = minds
        .iter()
        .filter(|m| {
            m.name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
        })
        .collect();
    match same.as_slice() {
        [] => Ok((mr.create_mind(name).await?, "created")),
        [one] => Ok(((*one).clone(), "reused")),
        many => Err(ToolError::invalid(
            "mindName",
            format!(
                "{} minds are named '{name}' ({}): pass the one to train as mindId",
                many.len(),
                many.iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

fn no_such_speaker(
    speaker: &str,
    scanned: usize,
    present: usize,
    seen: &[(String, Option<String>)],
) -> String {
    let tokens: Vec<String> = speaker
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| t.len() >= 3)
        .map(str::to_owned)
        .collect();
    let close: Vec<String> = seen
        .iter()
        .filter(|(n, e)| {
            let hay = format!(
                "{} {}",
                n.to_lowercase(),
                e.as_deref().unwrap_or_default().to_lowercase()
            );
            tokens.iter().any(|t| hay.contains(t.as_str()))
        })
        .take(10)
        .map(|(n, e)| match e {
            Some(e) => format!("{n} <{e}>"),
            None => n.clone(),
        })
        .collect();
    let hint = if close.is_empty() {
        "No speaker's name or email is close.".to_owned()
    } else {
        format!("Close matches: {}.", close.join(", "))
    };
    format!(
        "No speaker '{speaker}' said anything in the {scanned} call(s) looked at (they took part in {present}). {hint} gong_list_speakers lists who spoke; nothing was created in Mind Reasoner."
    )
}

fn partial(what: &str, then: &str) -> ToolError {
    ToolError::Pipeline(format!("{what} {then}"))
}

fn ids(snapshots: &[SnapshotOut]) -> String {
    snapshots
        .iter()
        .map(|s| s.snapshot_id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "transcript".to_owned()
    } else {
        s.chars().take(60).collect()
    }
}

fn render(o: &CreateMindFromCallsOutput) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Mind '{}' ({}): mind id {}, digital twin {}.",
        o.mind_name, o.mind, o.mind_id, o.digital_twin_id
    );
    let _ = writeln!(
        t,
        "Uploaded {} segment(s), {} words ({} bytes of WebVTT) from {} call(s) as {} snapshot(s): {}.",
        o.segments,
        o.words,
        o.file_bytes,
        o.calls_used.len(),
        o.snapshots.len(),
        ids(&o.snapshots)
    );
    let _ = writeln!(t, "Calls used:");
    for c in &o.calls_used {
        let _ = writeln!(
            t,
            "- {} | {} | id {} | {} segment(s), {} words",
            c.started.as_deref().unwrap_or("?"),
            c.title,
            c.id,
            c.segments.unwrap_or(0),
            c.words.unwrap_or(0)
        );
    }
    if !o.calls_without_speaker.is_empty() {
        let _ = writeln!(t, "Calls they took part in but said nothing:");
        for c in o.calls_without_speaker.iter().take(10) {
            let _ = writeln!(t, "- {} | id {}", c.title, c.id);
        }
        if o.calls_without_speaker.len() > 10 {
            let _ = writeln!(
                t,
                "- … and {} more (in structuredContent)",
                o.calls_without_speaker.len() - 10
            );
        }
    }
    let _ = writeln!(
        t,
        "Looked at {} call(s); {}.",
        o.calls_scanned,
        o.spend.describe()
    );
    if let Some(b) = &o.below_recommended {
        let _ = writeln!(t, "{b}");
    }
    if let Some(from) = &o.continue_from_date {
        let _ = writeln!(
            t,
            "More calls are left in the window (this call reads at most {MAX_SCANNED} calls, {MAX_CALLS} with the speaker). Continue with mindId \"{}\" and fromDate \"{from}\".",
            o.mind_id
        );
    }
    let _ = write!(t, "Next: {}", o.next);
    t
}
