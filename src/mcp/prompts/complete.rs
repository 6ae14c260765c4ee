//! `completion/complete` for prompt arguments and resource-template variables: fixed choices, or
//! values read from the caller's own tenant (recent call titles and ids, the emails of a call's
//! participants) with the request's own credentials, so no other tenant's values can appear.

use chrono::{DateTime, Utc};
use rmcp::model::CompletionContext;

use crate::gong::GongClient;
use crate::mcp::args::validate_call_id;
use crate::mcp::error::ToolError;
use crate::mcp::resources::recent;
use crate::meetings::Source;

/// At most this many values in one answer (the spec's limit is 100).
pub const MAX_VALUES: usize = 100;
/// Recent calls whose titles or ids are offered.
const RECENT_CALLS: usize = 100;
/// Calls whose participants are offered when the prompt names them by title.
const CALLS_BY_TITLE: usize = 20;

/// Where an argument's values come from.
#[derive(Debug, Clone, Copy)]
pub enum Completer {
    /// One of these (case-insensitive prefix match).
    Choices(&'static [&'static str]),
    /// Titles of the tenant's recent calls that contain the typed text.
    CallTitles,
    /// Ids of the tenant's recent calls that start with the typed text.
    CallIds,
    /// Emails (else names) of the participants of the call in the context's `callId` (or of the
    /// recent calls whose title contains the context's `query`).
    SpeakersOfCall,
}

/// The matching values, best first, and whether more matched than are returned.
pub async fn values(
    completer: Completer,
    source: Source,
    client: Option<&GongClient>,
    typed: &str,
    context: Option<&CompletionContext>,
    now: DateTime<Utc>,
) -> Result<(Vec<String>, usize), ToolError> {
    let typed = typed.trim().to_lowercase();
    let all: Vec<String> = match (completer, source, client) {
        (Completer::Choices(choices), _, _) => choices
            .iter()
            .filter(|c| c.to_lowercase().starts_with(&typed))
            .map(|c| (*c).to_owned())
            .collect(),
        // The other sources' values arrive with their providers.
        (_, Source::Fathom | Source::Fireflies, _) | (_, _, None) => Vec::new(),
        (Completer::CallTitles, Source::Gong, Some(client)) => {
            recent::newest(client, now, RECENT_CALLS)
                .await?
                .into_iter()
                .filter_map(|c| c.title)
                .filter(|t| t.to_lowercase().contains(&typed))
                .collect()
        }
        (Completer::CallIds, Source::Gong, Some(client)) => {
            recent::newest(client, now, RECENT_CALLS)
                .await?
                .into_iter()
                .map(|c| c.id)
                .filter(|id| id.starts_with(&typed))
                .collect()
        }
        (Completer::SpeakersOfCall, Source::Gong, Some(client)) => speakers(client, context, now)
            .await?
            .into_iter()
            .filter(|s| s.to_lowercase().contains(&typed))
            .collect(),
    };
    let mut seen = std::collections::HashSet::new();
    let mut unique: Vec<String> = all.into_iter().filter(|v| seen.insert(v.clone())).collect();
    let total = unique.len();
    unique.truncate(MAX_VALUES);
    Ok((unique, total))
}

/// The participants of the call the other arguments point at.
async fn speakers(
    client: &GongClient,
    context: Option<&CompletionContext>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, ToolError> {
    let arg = |name: &str| {
        context
            .and_then(|c| c.get_argument(name))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let ids: Vec<String> = match (arg("callId"), arg("query")) {
        (Some(id), _) if validate_call_id("callId", &id).is_ok() => vec![id],
        (Some(_), _) => return Ok(Vec::new()),
        (None, Some(query)) => {
            let query = query.to_lowercase();
            recent::newest(client, now, RECENT_CALLS)
                .await?
                .into_iter()
                .filter(|c| {
                    c.title
                        .as_deref()
                        .is_some_and(|t| t.to_lowercase().contains(&query))
                })
                .take(CALLS_BY_TITLE)
                .map(|c| c.id)
                .collect()
        }
        (None, None) => return Ok(Vec::new()),
    };
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let calls = client.calls_extensive(&ids).await?;
    Ok(ids
        .iter()
        .filter_map(|id| calls.get(id))
        .flat_map(|call| call.parties.iter())
        .filter_map(|p| p.email_address.clone().or_else(|| p.name.clone()))
        .collect())
}
