//! `fireflies_list_transcripts`: meetings in a date range (by start time), newest first as
//! Fireflies lists them, filtered by title words and a participant's email, with a cursor that
//! carries the whole query.
//!
//! Fireflies filters by dates and participants itself; for `query` it is sent the longest word
//! as a title keyword (so it narrows the pages) and every word is checked here. One answer makes
//! at most [`MAX_REQUESTS`] Fireflies requests: plans may allow only 50 a day.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::lines::TranscriptLine;
use crate::fireflies::FirefliesClient;
use crate::fireflies::graphql::{ListVariables, MAX_PAGE, Scope};
use crate::fireflies::meeting::header;
use crate::fireflies::types::started;
use crate::mcp::args::{DateRange, named_string_arg, named_u64_arg};
use crate::mcp::error::ToolError;
use crate::mcp::tools::ToolOutput;

const DEFAULT_LIMIT: u64 = 20;
/// Fireflies requests one answer may make.
pub const MAX_REQUESTS: usize = 3;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct ListTranscriptsArgs {
    /// Start of the range (the meeting's start), inclusive: an ISO-8601 date ("2026-10-01",
    /// that whole UTC day) or date-time. Omit both dates for the last 30 days.
    #[serde(default, deserialize_with = "from_date_arg")]
    #[schemars(example = &"2026-10-01")]
    pub from_date: Option<String>,
    /// End of the range: a date includes that whole day; a date-time is exclusive. Defaults to now.
    #[serde(default, deserialize_with = "to_date_arg")]
    #[schemars(example = &"2026-10-31")]
    pub to_date: Option<String>,
    /// Words that must all appear in the meeting's title (case-insensitive).
    #[serde(default, deserialize_with = "query_arg")]
    #[schemars(example = &"acme renewal")]
    pub query: Option<String>,
    /// Only meetings with this participant (an email).
    #[serde(default, deserialize_with = "participant_email_arg")]
    #[schemars(example = &"dana@acme.com")]
    pub participant_email: Option<String>,
    /// How many meetings, 1-50 (default 20).
    #[serde(default, deserialize_with = "limit_arg")]
    #[schemars(range(min = 1, max = 50), example = 20)]
    pub limit: Option<u64>,
    /// The `nextCursor` of a previous answer: pass it alone (it carries the dates and filters).
    #[serde(default, deserialize_with = "cursor_arg")]
    pub cursor: Option<String>,
}

named_string_arg!(
    from_date_arg => "fromDate",
    to_date_arg => "toDate",
    query_arg => "query",
    participant_email_arg => "participantEmail",
    cursor_arg => "cursor",
);
named_u64_arg!(limit_arg => "limit");

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ListTranscriptsOutput {
    /// Newest first.
    pub transcripts: Vec<TranscriptLine>,
    /// Pass back as `cursor` (alone) for more; absent when this was the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    pub from_date_time: String,
    pub to_date_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// Everything that defines the result set, and how far Fireflies' list was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Cursor {
    f: DateTime<Utc>,
    t: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<String>,
    s: u32,
}

impl Cursor {
    fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    fn decode(raw: &str) -> Result<Self, ToolError> {
        URL_SAFE_NO_PAD
            .decode(raw.trim())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                ToolError::invalid(
                    "cursor",
                    "cursor is not one this tool returned; pass the nextCursor of a previous fireflies_list_transcripts answer unchanged, or omit it to start over",
                )
            })
    }
}

fn words(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(str::to_lowercase)
        .filter(|w| !w.is_empty())
        .collect()
}

pub async fn run(
    client: &FirefliesClient,
    args: ListTranscriptsArgs,
    now: DateTime<Utc>,
) -> Result<ToolOutput, ToolError> {
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_PAGE as u64).contains(&limit) {
        return Err(ToolError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE}; got {limit}"),
        ));
    }
    let cursor = match &args.cursor {
        Some(raw) => {
            let c = Cursor::decode(raw)?;
            let differs = |given: &Option<String>, kept: &Option<String>| {
                given
                    .as_ref()
                    .is_some_and(|g| Some(g.trim()) != kept.as_deref())
            };
            if args.from_date.is_some()
                || args.to_date.is_some()
                || differs(&args.query, &c.q)
                || differs(&args.participant_email, &c.p)
            {
                return Err(ToolError::invalid(
                    "cursor",
                    "pass the cursor alone: it carries the dates and filters of the query it continues",
                ));
            }
            c
        }
        None => {
            let range =
                DateRange::resolve(args.from_date.as_deref(), args.to_date.as_deref(), now)?;
            let clean = |s: &Option<String>| {
                s.as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            if let Some(q) = clean(&args.query)
                && q.chars().count() > 200
            {
                return Err(ToolError::invalid(
                    "query",
                    "query is at most 200 characters",
                ));
            }
            Cursor {
                f: range.from,
                t: range.to,
                q: clean(&args.query),
                p: clean(&args.participant_email),
                s: 0,
            }
        }
    };
    let wanted = cursor.q.as_deref().map(words).unwrap_or_default();
    let keyword = wanted.iter().max_by_key(|w| w.len()).cloned();
    let mut found = Vec::new();
    let mut skip = cursor.s;
    let mut exhausted = false;
    let mut requests = 0;
    while found.len() < limit as usize && requests < MAX_REQUESTS {
        let page = if wanted.is_empty() {
            (limit as u32 - found.len() as u32).min(MAX_PAGE)
        } else {
            MAX_PAGE
        };
        let variables = ListVariables {
            keyword: keyword.clone(),
            scope: keyword.as_ref().map(|_| Scope::Title),
            from_date: Some(cursor.f.to_rfc3339_opts(SecondsFormat::Millis, true)),
            // Fireflies' toDate includes its instant; ours is exclusive.
            to_date: Some(
                (cursor.t - chrono::Duration::milliseconds(1))
                    .to_rfc3339_opts(SecondsFormat::Millis, true),
            ),
            limit: page,
            skip,
            participants: cursor.p.clone().map(|p| vec![p]),
        };
        let items = client.list(&variables).await?;
        requests += 1;
        let got = items.len() as u32;
        for (i, item) in items.iter().enumerate() {
            let title = item.title.as_deref().unwrap_or_default().to_lowercase();
            let inside = started(item).is_none_or(|t| t >= cursor.f && t < cursor.t);
            if inside && wanted.iter().all(|w| title.contains(w.as_str())) {
                found.push(TranscriptLine::from_header(&header(item)));
                if found.len() == limit as usize {
                    skip += i as u32 + 1;
                    break;
                }
            }
            if i + 1 == items.len() {
                skip += got;
            }
        }
        if got < page {
            exhausted = true;
            break;
        }
    }
    let next = (!exhausted).then(|| {
        Cursor {
            s: skip,
            ..cursor.clone()
        }
        .encode()
    });
    let mut notes = Vec::new();
    if found.is_empty() && next.is_some() {
        notes.push(format!(
            "No match among the {} meetings read ({MAX_REQUESTS} Fireflies requests); the cursor reads on.",
            skip - cursor.s
        ));
    }
    let (used, allowance) = client.allowance();
    if allowance > 0 {
        notes.push(format!(
            "Fireflies requests today for this key: {used} of {allowance}."
        ));
    }
    let output = ListTranscriptsOutput {
        transcripts: found,
        next_cursor: next,
        from_date_time: cursor.f.to_rfc3339_opts(SecondsFormat::Secs, true),
        to_date_time: cursor.t.to_rfc3339_opts(SecondsFormat::Secs, true),
        hint: (!notes.is_empty()).then(|| notes.join(" ")),
    };
    let mut text = format!(
        "{} Fireflies meeting(s) from {} to {}{}{}, newest first:\n",
        output.transcripts.len(),
        output.from_date_time,
        output.to_date_time,
        cursor
            .q
            .as_deref()
            .map(|q| format!(", title with every word of \"{q}\""))
            .unwrap_or_default(),
        cursor
            .p
            .as_deref()
            .map(|p| format!(", with {p}"))
            .unwrap_or_default(),
    );
    for line in &output.transcripts {
        text.push_str(&line.text());
        text.push('\n');
    }
    if let Some(c) = &output.next_cursor {
        text.push_str(&format!("More: pass cursor \"{c}\".\n"));
    }
    if let Some(h) = &output.hint {
        text.push_str(h);
        text.push('\n');
    }
    Ok(ToolOutput::new(text, &output))
}
