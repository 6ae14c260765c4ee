//! MCP resources: each meeting's details and transcript as a resource a client can attach, for
//! every recorder present in the request's credentials (one row of `prompts::sources::SOURCES`
//! each). Templates `gong://calls/{callId}` and `gong://calls/{callId}/transcript` (`?offset=N`
//! continues a long one), `fathom://meetings/{meetingId}[/transcript]`,
//! `fireflies://transcripts/{transcriptId}/transcript` (Fireflies has no details tool), and
//! `resources/list` of the tenant's newest meetings. A URI names no tenant: every read resolves
//! with the request's own credentials, so another tenant's meeting is out of reach by
//! construction.

mod answer;
mod list;
mod read;
pub mod recent;
pub mod uri;

use rmcp::ErrorData;
use rmcp::model::ResourceTemplate;

use crate::mcp::RequestCredentials;
use crate::mcp::prompts::complete::Completer;
use crate::mcp::prompts::sources::{SOURCES, SourceTools};

pub const MIME_TEXT: &str = "text/plain";

fn present(creds: &RequestCredentials) -> impl Iterator<Item = &'static SourceTools> + '_ {
    SOURCES.iter().filter(move |s| (s.present)(creds))
}

/// The URI templates these credentials can read: each present recorder's transcripts, and its
/// meetings' details where it has a details tool.
pub fn templates(creds: &RequestCredentials) -> Vec<ResourceTemplate> {
    present(creds)
        .flat_map(|src| {
            let name = src.source.name();
            let key = src.source.key();
            let noun = src.noun;
            let base = details_template(src);
            let details = src.details.as_ref().map(|d| {
                ResourceTemplate::new(base.clone(), format!("{key}_{noun}_details"))
                    .with_title(format!("{name} {noun} details"))
                    .with_description(format!(
                        "One {name} {noun}'s details as {} returns them: {}.",
                        d.tool, d.shows
                    ))
                    .with_mime_type(MIME_TEXT)
            });
            let transcript = ResourceTemplate::new(format!("{base}/transcript"), format!("{key}_{noun}_transcript"))
                .with_title(format!("{name} {noun} transcript"))
                .with_description(format!(
                    "One {name} {noun}'s transcript as {transcript} returns it (text, speakers named), in pages of up to 40,000 characters; a page that is not the last ends with the URI of the next (…/transcript?offset=N).",
                    transcript = src.transcript,
                ))
                .with_mime_type(MIME_TEXT);
            details.into_iter().chain([transcript])
        })
        .collect()
}

/// `gong://calls/{callId}`: the template of one meeting (its details, where the provider has
/// them; the prefix of its transcript's).
fn details_template(src: &SourceTools) -> String {
    format!(
        "{}://{}/{{{}}}",
        src.source.key(),
        src.collection,
        src.source.id_arg()
    )
}

/// Where the values of a template variable come from (`completion/complete` with a
/// `ref/resource`): the tenant's recent meeting ids for the id variable.
pub fn template_completer(
    creds: &RequestCredentials,
    template: &str,
    variable: &str,
) -> Result<(&'static SourceTools, Option<Completer>), ErrorData> {
    let known = templates(creds);
    let Some(src) = present(creds).find(|s| template.starts_with(&details_template(s))) else {
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
    Ok((src, Some(Completer::MeetingIds)))
}

fn unknown_template(template: &str, known: &[ResourceTemplate]) -> ErrorData {
    let names: Vec<&str> = known.iter().map(|t| t.uri_template.as_str()).collect();
    ErrorData::invalid_params(
        format!(
            "Unknown resource template '{}'; this request's templates: {}",
            crate::mcp::args::clip(template, 200),
            if names.is_empty() {
                "none (send Gong, Fathom or Fireflies credentials)".to_owned()
            } else {
                names.join(", ")
            }
        ),
        None,
    )
}
