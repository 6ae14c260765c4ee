//! `completion/complete` for prompt arguments and resource-template variables: fixed choices, or
//! values read from the caller's own tenant (recent meeting titles and ids, the emails of a
//! meeting's participants) with the request's own credentials, so no other tenant's values can
//! appear.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rmcp::model::CompletionContext;

use super::sources::SourceTools;
use crate::mcp::error::ToolError;
use crate::mcp::meeting_client::MeetingClient;
use crate::mcp::resources::recent;
use crate::meetings::{MeetingHeader, MeetingProvider};

/// At most this many values in one answer (the spec's limit is 100).
pub const MAX_VALUES: usize = 100;
/// Meetings whose participants are offered when the prompt names them by title.
const MEETINGS_BY_TITLE: usize = 20;

/// Where an argument's values come from.
#[derive(Debug, Clone, Copy)]
pub enum Completer {
    /// One of these (case-insensitive prefix match).
    Choices(&'static [&'static str]),
    /// Titles of the tenant's recent meetings that contain the typed text.
    MeetingTitles,
    /// Ids of the tenant's recent meetings that start with the typed text.
    MeetingIds,
    /// Emails (else names) of the participants of the meeting in the context's id argument
    /// (`callId`, `meetingId`, `transcriptId`), or of the recent meetings whose title contains
    /// the context's `query`.
    SpeakersOfMeeting,
}

/// The matching values, best first, and how many matched. `client` is the request's own
/// client for `src` (none without its credentials: then only fixed choices complete).
pub async fn values(
    completer: Completer,
    src: &SourceTools,
    client: Option<&MeetingClient>,
    typed: &str,
    context: Option<&CompletionContext>,
    now: DateTime<Utc>,
) -> Result<(Vec<String>, usize), ToolError> {
    let typed = typed.trim().to_lowercase();
    let all: Vec<String> = match (completer, client) {
        (Completer::Choices(choices), _) => choices
            .iter()
            .filter(|c| c.to_lowercase().starts_with(&typed))
            .map(|c| (*c).to_owned())
            .collect(),
        (_, None) => Vec::new(),
        (Completer::MeetingTitles, Some(client)) => recent::newest(client, now, src.recent)
            .await?
            .iter()
            .filter_map(|m| m.title.clone())
            .filter(|t| t.to_lowercase().contains(&typed))
            .collect(),
        (Completer::MeetingIds, Some(client)) => recent::newest(client, now, src.recent)
            .await?
            .iter()
            .map(|m| m.id.clone())
            .filter(|id| id.to_lowercase().starts_with(&typed))
            .collect(),
        (Completer::SpeakersOfMeeting, Some(client)) => speakers(client, src, context, now)
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

/// The participants of the meeting the other arguments point at.
async fn speakers(
    client: &MeetingClient,
    src: &SourceTools,
    context: Option<&CompletionContext>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, ToolError> {
    let arg = |name: &str| {
        context
            .and_then(|c| c.get_argument(name))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let id_arg = src.source.id_arg();
    let meetings: Vec<Arc<MeetingHeader>> = match (arg(id_arg), arg("query")) {
        (Some(id), _) if client.check_id(id_arg, &id).is_ok() => client
            .headers(std::slice::from_ref(&id))
            .await?
            .remove(&id)
            .into_iter()
            .collect(),
        (Some(_), _) => return Ok(Vec::new()),
        (None, Some(query)) => {
            let query = query.to_lowercase();
            let listed: Vec<Arc<MeetingHeader>> = recent::newest(client, now, src.recent)
                .await?
                .into_iter()
                .filter(|m| {
                    m.title
                        .as_deref()
                        .is_some_and(|t| t.to_lowercase().contains(&query))
                })
                .take(MEETINGS_BY_TITLE)
                .collect();
            with_participants(client, listed).await?
        }
        (None, None) => return Ok(Vec::new()),
    };
    Ok(meetings
        .iter()
        .flat_map(|m| m.participants.iter())
        .filter_map(|p| p.email.clone().or_else(|| p.name.clone()))
        .collect())
}

/// Listed meetings with their participants: those the listing showed without (Gong's) are
/// asked for, in one request.
async fn with_participants(
    client: &MeetingClient,
    listed: Vec<Arc<MeetingHeader>>,
) -> Result<Vec<Arc<MeetingHeader>>, ToolError> {
    let missing: Vec<String> = listed
        .iter()
        .filter(|m| m.participants.is_empty())
        .map(|m| m.id.clone())
        .collect();
    if missing.is_empty() {
        return Ok(listed);
    }
    let mut found = client.headers(&missing).await?;
    Ok(listed
        .into_iter()
        .map(|m| found.remove(&m.id).unwrap_or(m))
        .collect())
}
