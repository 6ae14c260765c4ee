//! `fireflies_search_transcripts`: Fireflies' own keyword search over titles, spoken sentences
//! or both, across every meeting the key can see (one Fireflies request).

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use super::lines::TranscriptLine;
use crate::fireflies::FirefliesClient;
use crate::fireflies::graphql::{ListVariables, MAX_PAGE, Scope};
use crate::fireflies::meeting::header;
use crate::mcp::args::{choice, named_string_arg, named_u64_arg};
use crate::mcp::error::ToolError;
use crate::mcp::tools::ToolOutput;

const DEFAULT_LIMIT: u64 = 10;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct SearchTranscriptsArgs {
    /// What to look for (a word or phrase, case-insensitive), as Fireflies matches it.
    #[serde(default, deserialize_with = "query_arg")]
    #[schemars(with = "String", example = &"pricing")]
    pub query: Option<String>,
    /// Where to look: "title", "sentences" (what was said) or "all" (default).
    #[serde(default, deserialize_with = "scope_arg")]
    #[schemars(with = "Option<SearchScope>", example = &"sentences")]
    pub scope: Option<Scope>,
    /// How many meetings, 1-50 (default 10), newest first.
    #[serde(default, deserialize_with = "limit_arg")]
    #[schemars(range(min = 1, max = 50), example = 10)]
    pub limit: Option<u64>,
}

/// Schema only.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SearchScope {
    Title,
    Sentences,
    All,
}

named_string_arg!(query_arg => "query");
named_u64_arg!(limit_arg => "limit");

fn scope_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Scope>, D::Error> {
    let Some(raw) = crate::mcp::args::opt_string("scope", d)? else {
        return Ok(None);
    };
    choice(
        "scope",
        raw.trim(),
        &[
            ("title", Scope::Title),
            ("sentences", Scope::Sentences),
            ("all", Scope::All),
        ],
    )
    .map(Some)
    .map_err(serde::de::Error::custom)
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchTranscriptsOutput {
    pub query: String,
    pub scope: String,
    /// Newest first.
    pub transcripts: Vec<TranscriptLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

pub async fn run(
    client: &FirefliesClient,
    args: SearchTranscriptsArgs,
) -> Result<ToolOutput, ToolError> {
    let query = args.query.as_deref().map(str::trim).unwrap_or_default();
    if query.is_empty() {
        return Err(ToolError::invalid(
            "query",
            "query is required: a word or phrase to look for",
        ));
    }
    if query.chars().count() > 200 {
        return Err(ToolError::invalid(
            "query",
            "query is at most 200 characters",
        ));
    }
    let limit = args.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_PAGE as u64).contains(&limit) {
        return Err(ToolError::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE}; got {limit}"),
        ));
    }
    let scope = args.scope.unwrap_or(Scope::All);
    let items = client
        .list(&ListVariables {
            keyword: Some(query.to_owned()),
            scope: Some(scope),
            limit: limit as u32,
            ..ListVariables::default()
        })
        .await?;
    let transcripts: Vec<TranscriptLine> = items
        .iter()
        .map(|i| TranscriptLine::from_header(&header(i)))
        .collect();
    let mut notes = Vec::new();
    if transcripts.len() as u64 == limit {
        notes.push(format!(
            "There may be more: raise limit (up to {MAX_PAGE}), or narrow by dates with fireflies_list_transcripts."
        ));
    }
    if scope != Scope::Title && !transcripts.is_empty() {
        notes.push(
            "To read where it was said: fireflies_get_transcript with the transcriptId.".to_owned(),
        );
    }
    let (used, allowance) = client.allowance();
    if allowance > 0 {
        notes.push(format!(
            "Fireflies requests today for this key: {used} of {allowance}."
        ));
    }
    let output = SearchTranscriptsOutput {
        query: query.to_owned(),
        scope: scope.as_str().to_owned(),
        transcripts,
        hint: (!notes.is_empty()).then(|| notes.join(" ")),
    };
    let mut text = format!(
        "{} Fireflies meeting(s) matching \"{}\" in {}, newest first:\n",
        output.transcripts.len(),
        output.query,
        match scope {
            Scope::Title => "titles",
            Scope::Sentences => "what was said",
            Scope::All => "titles and what was said",
        }
    );
    for line in &output.transcripts {
        text.push_str(&line.text());
        text.push('\n');
    }
    if let Some(h) = &output.hint {
        text.push_str(h);
        text.push('\n');
    }
    Ok(ToolOutput::new(text, &output))
}
