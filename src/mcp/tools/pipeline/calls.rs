//! Which meetings a pipeline tool reads, and reading them, from any provider: the meetings of a
//! window (oldest first, with a cursor that never counts one twice) or the given ids; then each
//! one's participants and transcript, in chunks that ride the provider's batches (for Gong, 100
//! calls per extensive request, 10 transcripts per transcript request) and keep memory bounded.

use std::collections::HashSet;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::mcp::args::DateRange;
use crate::mcp::error::ToolError;
use crate::mcp::render::transcript::{self, Transcript};
use crate::meetings::{MeetingProvider, MeetingTranscript, WindowQuery};

/// Calls read per chunk: one extensive request and five transcript requests.
pub const CHUNK: usize = 50;

/// A call to read.
#[derive(Debug, Clone)]
pub struct CallRef {
    pub id: String,
    pub started: Option<DateTime<Utc>>,
}

/// The calls of one answer, and where the next answer continues (window scans only).
pub struct Selection {
    pub calls: Vec<CallRef>,
    pub next: Option<WindowCursor>,
    /// The window, when the calls come from one.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// A position in a window: the calls starting before `after`, or at `after` with an id in
/// `ids`, are done. Field names are short: the cursor carries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowCursor {
    #[serde(rename = "k")]
    pub kind: String,
    #[serde(rename = "f")]
    pub from: DateTime<Utc>,
    #[serde(rename = "t")]
    pub to: DateTime<Utc>,
    #[serde(rename = "a")]
    pub after: DateTime<Utc>,
    #[serde(rename = "i", default)]
    pub ids: Vec<String>,
}

impl WindowCursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// A cursor of this tool (`kind`), or a clear error.
    pub fn decode(raw: &str, kind: &str) -> Result<Self, ToolError> {
        URL_SAFE_NO_PAD
            .decode(raw.trim())
            .ok()
            .and_then(|b| serde_json::from_slice::<WindowCursor>(&b).ok())
            .filter(|c| c.kind == kind && c.from < c.to)
            .ok_or_else(|| {
                ToolError::invalid(
                    "cursor",
                    format!("cursor is not a {kind} cursor: pass back the nextCursor of the previous answer unchanged"),
                )
            })
    }
}

/// The given call ids (checked, deduplicated, at most `cap`).
pub fn from_ids(
    provider: &impl MeetingProvider,
    ids: &[String],
    cap: usize,
) -> Result<Selection, ToolError> {
    if ids.is_empty() {
        return Err(ToolError::invalid(
            "callIds",
            "callIds is empty: give at least one call id, or a date range instead",
        ));
    }
    if ids.len() > cap {
        return Err(ToolError::invalid(
            "callIds",
            format!(
                "at most {cap} call ids per call; got {}: split them, or give a date range (it continues by cursor)",
                ids.len()
            ),
        ));
    }
    let mut seen = HashSet::new();
    let mut calls = Vec::new();
    for id in ids {
        provider.check_id("callIds", id)?;
        if seen.insert(id.clone()) {
            calls.push(CallRef {
                id: id.clone(),
                started: None,
            });
        }
    }
    Ok(Selection {
        calls,
        next: None,
        window: None,
    })
}

/// Up to `cap` calls of the window from the cursor's position, oldest first, and a cursor for
/// the rest.
pub async fn from_window(
    provider: &impl MeetingProvider,
    range: DateRange,
    resume: Option<WindowCursor>,
    kind: &str,
    cap: usize,
) -> Result<Selection, ToolError> {
    let (from, to, after, done) = match resume {
        Some(c) => (
            c.from,
            c.to,
            Some(c.after),
            c.ids.into_iter().collect::<HashSet<_>>(),
        ),
        None => (range.from, range.to, None, HashSet::new()),
    };
    let mut query = WindowQuery {
        from: after.unwrap_or(from).max(from),
        to,
        cursor: None,
    };
    let mut calls: Vec<CallRef> = Vec::new();
    // One call more than the cap tells whether the window goes on.
    loop {
        let page = provider.list_window(&query).await?;
        for meta in &page.meetings {
            if meta.id.is_empty() || done.contains(&meta.id) {
                continue;
            }
            let started = meta
                .started
                .as_deref()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.with_timezone(&Utc));
            if after.is_some_and(|a| started.is_some_and(|s| s < a)) {
                continue;
            }
            calls.push(CallRef {
                id: meta.id.clone(),
                started,
            });
        }
        match &page.next_cursor {
            Some(next) if calls.len() <= cap && query.cursor.as_ref() != Some(next) => {
                query.cursor = Some(next.clone());
            }
            _ => break,
        }
    }
    calls.sort_by(|a, b| a.started.cmp(&b.started).then_with(|| a.id.cmp(&b.id)));
    let next = if calls.len() > cap {
        calls.truncate(cap);
        let last = calls.last().and_then(|c| c.started).unwrap_or(to);
        Some(WindowCursor {
            kind: kind.to_owned(),
            from,
            to,
            after: last,
            ids: calls
                .iter()
                .filter(|c| c.started == Some(last))
                .map(|c| c.id.clone())
                .chain(done.into_iter().filter(|_| after == Some(last)))
                .collect(),
        })
    } else {
        None
    };
    Ok(Selection {
        calls,
        next,
        window: Some((from, to)),
    })
}

/// One call, read: the transcript with named speakers (no
/// segments selected yet), and its company.
pub struct ReadCall {
    pub id: String,
    pub transcript: Option<Arc<MeetingTranscript>>,
    pub doc: Transcript,
    pub company: Option<String>,
}

impl ReadCall {
    pub fn title(&self) -> String {
        self.doc
            .call
            .title
            .clone()
            .unwrap_or_else(|| "untitled call".to_owned())
    }
}

/// Reads `calls` (headers and transcripts, concurrently; batched by the provider's client).
pub async fn read(
    provider: &impl MeetingProvider,
    calls: &[CallRef],
) -> Result<Vec<ReadCall>, ToolError> {
    let ids: Vec<String> = calls.iter().map(|c| c.id.clone()).collect();
    let (headers, transcripts) = futures::future::try_join(
        provider.headers(&ids),
        futures::future::try_join_all(ids.iter().map(|id| provider.transcript(id))),
    )
    .await?;
    let empty = MeetingTranscript::default();
    Ok(ids
        .into_iter()
        .zip(transcripts)
        .map(|(id, transcript)| {
            let header = headers.get(&id).cloned();
            let mut doc =
                transcript::build(transcript.as_deref().unwrap_or(&empty), header.as_deref());
            doc.call_id = id.clone();
            let company = header.as_ref().and_then(|h| h.company.clone());
            ReadCall {
                id,
                transcript,
                doc,
                company,
            }
        })
        .collect())
}
