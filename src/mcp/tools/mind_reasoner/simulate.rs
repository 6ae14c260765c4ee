//! `simulate`: how a trained mind's person would respond to a message.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::snapshots::required_id;
use crate::mcp::error::ToolError;
use crate::mcp::tools::ToolOutput;
use crate::mind_reasoner::{MindReasonerClient, SimulateRequest};

const MODELS: [&str; 2] = ["mind-reasoner-pro", "mind-reasoner-standard"];
const MAX_MESSAGE_CHARS: usize = 10_000;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct SimulateArgs {
    /// The trained mind's id (from create_mind, get_all_minds or search_minds).
    pub mind_id: String,
    /// What the person is asked or shown: a question, a pitch, an email draft, a scenario (at
    /// most 10,000 characters).
    #[schemars(example = &"We can cut your onboarding time in half. Interested in a pilot?")]
    pub message: String,
    /// A twin other than the mind's default one.
    #[serde(default)]
    pub digital_twin_id: Option<String>,
    /// "mind-reasoner-pro" (default) or "mind-reasoner-standard".
    #[serde(default)]
    pub model: Option<String>,
    /// Start the simulation and return at once (Mind Reasoner then answers with an id only).
    #[serde(default)]
    pub run_in_background: Option<bool>,
}

#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SimulateOutput {
    pub mind_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digital_twin_id: Option<String>,
    pub model: String,
    /// The simulated response (or Mind Reasoner's note for a background run).
    pub response: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulation_id: Option<String>,
}

pub async fn run(client: &MindReasonerClient, args: SimulateArgs) -> Result<ToolOutput, ToolError> {
    let mind_id = required_id("mindId", &args.mind_id)?.to_owned();
    let twin = args
        .digital_twin_id
        .as_deref()
        .map(|t| required_id("digitalTwinId", t).map(str::to_owned))
        .transpose()?;
    let message = args.message.trim();
    if message.is_empty() || message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ToolError::invalid(
            "message",
            format!(
                "message must be 1-{MAX_MESSAGE_CHARS} characters: what the person is asked or shown"
            ),
        ));
    }
    let model = match args.model.as_deref().map(str::trim) {
        None | Some("") => MODELS[0].to_owned(),
        Some(m) => MODELS
            .iter()
            .find(|known| known.eq_ignore_ascii_case(m))
            .map(|known| (*known).to_owned())
            .ok_or_else(|| {
                ToolError::invalid(
                    "model",
                    format!(
                        "model must be one of {}; got '{}'",
                        MODELS.join(", "),
                        crate::mcp::args::clip(m, 60)
                    ),
                )
            })?,
    };
    let request = SimulateRequest {
        mind_id: mind_id.clone(),
        message: message.to_owned(),
        digital_twin_id: twin.clone(),
        model: model.clone(),
        run_in_background: args.run_in_background,
    };
    let simulation = client.simulate(&request).await?;
    let response = simulation.message.unwrap_or_default();
    let text = match &simulation.simulation_id {
        Some(id) if args.run_in_background == Some(true) => {
            format!(
                "Simulation {id} started in the background for mind {mind_id} ({model}). {response}"
            )
        }
        _ => format!("Simulated response of mind {mind_id} ({model}):\n{response}"),
    };
    let output = SimulateOutput {
        mind_id,
        digital_twin_id: twin,
        model,
        response,
        simulation_id: simulation.simulation_id,
    };
    Ok(ToolOutput::new(text, &output))
}
