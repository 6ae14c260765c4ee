//! MCP prompts: the everyday workflows as ready-made commands. Each family (one file each:
//! definition, arguments, text) exists once per recorder present in the request's credentials
//! (`sources::SOURCES`), and its text names the exact tools and arguments of that recorder, so
//! an agent follows it without guessing and never meets a tool it cannot see.

mod analyze_call_patterns;
mod args;
mod bulk_mind_creation;
pub mod complete;
mod create_mind_from_call;
mod recent_calls;
pub mod sources;

use chrono::{DateTime, SubsecRound, Utc};
use rmcp::model::{
    CompleteRequestParams, CompleteResult, CompletionInfo, GetPromptRequestParams, GetPromptResult,
    Prompt, PromptMessage, Reference, Role,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer};

use args::ArgSpec;
pub use args::PromptArgs;
use sources::{SOURCES, SourceTools};

use crate::mcp::meeting_client::MeetingClient;
use crate::mcp::{GongMcp, RequestCredentials};

/// One prompt family: its definition, its arguments, and how its text is written.
pub struct PromptSpec {
    /// The prompt's name for Gong (`SourceTools::prompt_name` for the others).
    pub family: &'static str,
    /// Its title for Gong (`SourceTools::words` for the others).
    pub title: &'static str,
    /// Also needs a Mind Reasoner key (it trains minds).
    pub needs_mind_reasoner: bool,
    pub description: fn(&SourceTools) -> String,
    /// Its arguments for this source: only those the source's tools can honour, the meeting id
    /// named as the source's tools name it, each with where its completions come from.
    pub args: fn(&SourceTools) -> Vec<ArgSpec>,
    pub render: fn(&SourceTools, &PromptArgs, DateTime<Utc>) -> Result<String, ErrorData>,
}

/// Every family, in the order `prompts/list` shows them.
pub const FAMILIES: &[&PromptSpec] = &[
    &recent_calls::SPEC,
    &analyze_call_patterns::SPEC,
    &create_mind_from_call::SPEC,
    &bulk_mind_creation::SPEC,
];

/// The prompts these credentials see: each family for each recorder present; the mind ones
/// only with a Mind Reasoner key too.
pub fn visible(creds: &RequestCredentials) -> Vec<(&'static SourceTools, &'static PromptSpec)> {
    SOURCES
        .iter()
        .filter(|src| (src.present)(creds))
        .flat_map(|src| FAMILIES.iter().map(move |spec| (src, *spec)))
        .filter(|(_, spec)| !spec.needs_mind_reasoner || creds.mind_reasoner.is_some())
        .collect()
}

fn definition(src: &SourceTools, spec: &PromptSpec) -> Prompt {
    let arguments = (spec.args)(src).iter().map(ArgSpec::to_argument).collect();
    Prompt::new(
        src.prompt_name(spec.family),
        Some((spec.description)(src)),
        Some(arguments),
    )
    .with_title(format!("{} ({})", src.words(spec.title), src.source.name()))
}

pub fn list(creds: &RequestCredentials) -> Vec<Prompt> {
    visible(creds)
        .into_iter()
        .map(|(src, spec)| definition(src, spec))
        .collect()
}

fn find(
    creds: &RequestCredentials,
    name: &str,
) -> Result<(&'static SourceTools, &'static PromptSpec), ErrorData> {
    let visible = visible(creds);
    if let Some(found) = visible
        .iter()
        .find(|(src, spec)| src.prompt_name(spec.family) == name)
    {
        return Ok(*found);
    }
    let names: Vec<String> = visible
        .iter()
        .map(|(src, spec)| src.prompt_name(spec.family))
        .collect();
    let known = if names.is_empty() {
        "this request has none: prompts are listed for the credentials it carries (Gong, Fathom or Fireflies credentials; a Mind Reasoner key too for the mind prompts)".to_owned()
    } else {
        format!("this request's prompts are {}", names.join(", "))
    };
    Err(ErrorData::invalid_params(
        format!(
            "Unknown prompt `{}`: {known}.",
            crate::mcp::args::clip(name, 60)
        ),
        None,
    ))
}

/// `prompts/get`: the prompt's text for these arguments, as one user message.
pub fn get(
    creds: &RequestCredentials,
    request: &GetPromptRequestParams,
    now: DateTime<Utc>,
) -> Result<GetPromptResult, ErrorData> {
    let (src, spec) = find(creds, &request.name)?;
    let args = PromptArgs::parse(&request.name, request.arguments.as_ref(), &(spec.args)(src))?;
    let text = (spec.render)(src, &args, now)?;
    Ok(
        GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)])
            .with_description((spec.description)(src)),
    )
}

impl GongMcp {
    pub(crate) fn prompt_list(&self, ctx: &RequestContext<RoleServer>) -> Vec<Prompt> {
        list(&self.credentials(ctx))
    }

    pub(crate) fn prompt_get(
        &self,
        request: &GetPromptRequestParams,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<GetPromptResult, ErrorData> {
        get(&self.credentials(ctx), request, Utc::now().trunc_subsecs(0))
    }

    /// `completion/complete` for a prompt argument or a resource-template variable.
    pub(crate) async fn complete_argument(
        &self,
        request: CompleteRequestParams,
        ctx: &RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        let creds = self.credentials(ctx);
        let argument = &request.argument;
        let (src, completer) = match &request.r#ref {
            Reference::Prompt(p) => {
                let (src, spec) = find(&creds, &p.name)?;
                let args = (spec.args)(src);
                let Some(arg) = args.iter().find(|a| a.name == argument.name) else {
                    return Err(ErrorData::invalid_params(
                        format!(
                            "Prompt {} has no argument `{}`",
                            p.name,
                            crate::mcp::args::clip(&argument.name, 40)
                        ),
                        None,
                    ));
                };
                (src, arg.complete)
            }
            Reference::Resource(r) => {
                crate::mcp::resources::template_completer(&creds, &r.uri, &argument.name)?
            }
            _ => {
                return Err(ErrorData::invalid_params(
                    "completion/complete: ref must be a ref/prompt or a ref/resource",
                    None,
                ));
            }
        };
        let Some(completer) = completer else {
            return Ok(CompleteResult::new(CompletionInfo::default()));
        };
        // Only the request's own tenant is ever asked.
        let budget = self.upstreams.tool_timeout;
        let client = MeetingClient::for_source(src.source, &self.upstreams, &creds, budget);
        let now = Utc::now().trunc_subsecs(0);
        let work = complete::values(
            completer,
            src,
            client.as_ref(),
            &argument.value,
            request.context.as_ref(),
            now,
        );
        let (values, total) = match tokio::time::timeout(budget, work).await {
            Ok(Ok(found)) => found,
            Ok(Err(e)) => {
                tracing::info!(error = e.kind(), "completion failed");
                return Err(ErrorData::internal_error(e.to_string(), None));
            }
            Err(_) => {
                return Err(ErrorData::internal_error(
                    "completion did not finish within its deadline; type more to narrow it",
                    None,
                ));
            }
        };
        let more = total > values.len();
        let info = CompletionInfo::with_pagination(values, Some(total as u32), more)
            .map_err(|e| ErrorData::internal_error(e, None))?;
        Ok(CompleteResult::new(info))
    }
}
