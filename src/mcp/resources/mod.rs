//! MCP resources: each call's details and transcript as a resource a client can attach.
//! Templates `gong://calls/{callId}` and `gong://calls/{callId}/transcript` (`?offset=N`
//! continues a long one), `resources/list` of the tenant's newest calls, one row of
//! `prompts::sources::SOURCES` per recorder. A URI names no tenant: every read resolves with the
//! request's own credentials, so another tenant's call is out of reach by construction.

mod list;
mod read;
pub mod recent;
pub mod uri;

use rmcp::ErrorData;
use rmcp::model::ResourceTemplate;

use crate::mcp::RequestCredentials;
use crate::mcp::prompts::complete::Completer;
use crate::mcp::prompts::sources::{SOURCES, SourceTools};
use crate::meetings::Source;

pub const MIME_TEXT: &str = "text/plain";

fn present(creds: &RequestCredentials) -> impl Iterator<Item = &'static SourceTools> + '_ {
    SOURCES.iter().filter(move |s| (s.present)(creds))
}

/// The URI templates these credentials can read.
pub fn templates(creds: &RequestCredentials) -> Vec<ResourceTemplate> {
    present(creds)
        .flat_map(|src| {
            let name = src.source.name();
            let key = src.source.key();
            let id = src.source.id_arg();
            let base = format!("{key}://{}/{{{id}}}", src.collection);
            [
                ResourceTemplate::new(base.clone(), format!("{key}_{}_details", src.noun))
                    .with_title(format!("{name} {} details", src.noun))
                    .with_description(format!(
                        "One {name} {noun}'s details as {details} returns them: participants, talk time, topics, trackers, brief, key points, outcome, CRM.",
                        noun = src.noun,
                        details = src.details.unwrap_or(src.transcript),
                    ))
                    .with_mime_type(MIME_TEXT),
                ResourceTemplate::new(format!("{base}/transcript"), format!("{key}_{}_transcript", src.noun))
                    .with_title(format!("{name} {} transcript", src.noun))
                    .with_description(format!(
                        "One {name} {noun}'s transcript as {transcript} returns it (text, speakers named), in pages of up to 40,000 characters; a page that is not the last ends with the URI of the next (…/transcript?offset=N).",
                        noun = src.noun,
                        transcript = src.transcript,
                    ))
                    .with_mime_type(MIME_TEXT),
            ]
        })
        .collect()
}

/// Where the values of a template variable come from (`completion/complete` with a
/// `ref/resource`): the tenant's recent call ids for `{callId}`.
pub fn template_completer(
    creds: &RequestCredentials,
    template: &str,
    variable: &str,
) -> Result<(Source, Option<Completer>), ErrorData> {
    let known = templates(creds);
    let Some(src) = present(creds)
        .find(|s| template.starts_with(&format!("{}://{}/", s.source.key(), s.collection)))
    else {
        return Err(unknown_template(template, &known));
    };
    if !known.iter().any(|t| t.uri_template == template) {
        return Err(unknown_template(template, &known));
    }
    if variable != src.source.id_arg() {
        return Err(ErrorData::invalid_params(
            format!(
                "Template {template} has no variable `{}`; it has `{}`",
                crate::mcp::args::clip(variable, 40),
                src.source.id_arg()
            ),
            None,
        ));
    }
    Ok((src.source, Some(Completer::CallIds)))
}

fn unknown_template(template: &str, known: &[ResourceTemplate]) -> ErrorData {
    let names: Vec<&str> = known.iter().map(|t| t.uri_template.as_str()).collect();
    ErrorData::invalid_params(
        format!(
            "Unknown resource template '{}'; this request's templates: {}",
            crate::mcp::args::clip(template, 200),
            if names.is_empty() {
                "none (send Gong credentials)".to_owned()
            } else {
                names.join(", ")
            }
        ),
        None,
    )
}
