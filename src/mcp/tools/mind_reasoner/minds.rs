//! `get_all_minds`, `search_minds`, `create_mind`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::output::MindOut;
use crate::mcp::error::ToolError;
use crate::mcp::tools::ToolOutput;
use crate::mind_reasoner::MindReasonerClient;
use crate::mind_reasoner::types::Mind;

/// Minds per answer: a line is about 200 characters, so this stays far below the tool-result
/// limit; a larger account is narrowed with search_minds.
const MAX_MINDS_SHOWN: usize = 100;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetAllMindsArgs {}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SearchMindsArgs {
    /// Part of a name, email or slug (case-insensitive), e.g. "ada" or "@acme.com".
    #[schemars(example = &"ada")]
    pub query: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateMindArgs {
    /// The person's name, e.g. "Ada Lovelace" (1-200 characters).
    #[schemars(example = &"Ada Lovelace")]
    pub name: String,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MindsOutput {
    pub minds: Vec<MindOut>,
    /// Minds that matched (all of them for get_all_minds), including any not shown.
    pub total: usize,
    /// How many matching minds this answer leaves out (narrow with search_minds).
    pub not_shown: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateMindOutput {
    pub mind_id: String,
    /// The mind's default digital twin: create_snapshot needs it.
    pub digital_twin_id: String,
    pub mind: MindOut,
}

pub async fn get_all(
    client: &MindReasonerClient,
    _args: GetAllMindsArgs,
) -> Result<ToolOutput, ToolError> {
    let minds = client.list_minds().await?;
    Ok(listing(&minds.iter().collect::<Vec<_>>(), None))
}

pub async fn search(
    client: &MindReasonerClient,
    args: SearchMindsArgs,
) -> Result<ToolOutput, ToolError> {
    let query = args.query.trim().to_lowercase();
    if query.is_empty() || query.chars().count() > 200 {
        return Err(ToolError::invalid(
            "query",
            "query must be 1-200 characters: part of a name, email or slug, e.g. \"ada\"",
        ));
    }
    // Mind Reasoner's search endpoint is not documented; the list holds every mind, so the
    // match is done here, on exactly the fields the tool promises.
    let minds = client.list_minds().await?;
    let found: Vec<&Mind> = minds
        .iter()
        .filter(|m| {
            [&m.name, &m.email, &m.slug]
                .into_iter()
                .flatten()
                .any(|field| field.to_lowercase().contains(&query))
        })
        .collect();
    Ok(listing(&found, Some(args.query.trim().to_owned())))
}

fn listing(minds: &[&Mind], query: Option<String>) -> ToolOutput {
    let shown: Vec<MindOut> = minds
        .iter()
        .take(MAX_MINDS_SHOWN)
        .map(|m| MindOut::from_wire(m))
        .collect();
    let not_shown = minds.len() - shown.len();
    let mut text = match &query {
        Some(q) if minds.is_empty() => {
            format!("No mind matches '{q}' (by name, email or slug). create_mind creates one.")
        }
        Some(q) => format!("{} mind(s) match '{q}':\n", minds.len()),
        None if minds.is_empty() => {
            "This account has no minds yet. create_mind creates one.".to_owned()
        }
        None => format!("{} mind(s):\n", minds.len()),
    };
    for mind in &shown {
        text.push_str(&mind.line());
        text.push('\n');
    }
    if not_shown > 0 {
        text.push_str(&format!(
            "… and {not_shown} more not shown: narrow with search_minds.\n"
        ));
    }
    let output = MindsOutput {
        total: minds.len(),
        not_shown,
        minds: shown,
        query,
    };
    ToolOutput::new(text.trim_end().to_owned(), &output)
}

pub async fn create(
    client: &MindReasonerClient,
    args: CreateMindArgs,
) -> Result<ToolOutput, ToolError> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ToolError::invalid(
            "name",
            "name must be 1-200 printable characters, e.g. \"Ada Lovelace\"",
        ));
    }
    let mind = client.create_mind(name).await?;
    let out = MindOut::from_wire(&mind);
    let Some(twin) = out.default_digital_twin_id.clone() else {
        return Err(ToolError::NotFound(format!(
            "Mind Reasoner created the mind '{name}' (mind id {}) but named no digital twin; get_all_minds shows its twins.",
            mind.id
        )));
    };
    let text = format!(
        "Created the mind '{name}': mind id {}, default digital twin {twin}.\nNext: get_signed_upload_url {{\"mindId\": \"{}\", \"fileName\": \"transcript.vtt\"}}, then upload_file_to_signed_url, then create_snapshot with this mind id and digital twin id.",
        mind.id, mind.id
    );
    let output = CreateMindOutput {
        mind_id: mind.id.clone(),
        digital_twin_id: twin,
        mind: out,
    };
    Ok(ToolOutput::new(text, &output))
}
