//! `gong_get_call_details`: participants, talk time, topics, trackers, Gong's summaries and CRM
//! context for up to 100 calls, from one `/v2/calls/extensive` request (less when cached), shaped
//! to fit one answer (see `render::details_fit`).

use super::super::args::{CallDetailsArgs, DEFAULT_SECTIONS, Section, validate_call_id};
use super::super::error::ToolError;
use super::super::render::details::{self, CallDetails};
use super::super::render::{details_fit, details_text};
use super::ToolOutput;
use crate::gong::{GongClient, MAX_CALL_IDS_PER_REQUEST};

pub use super::super::render::details::CallDetailsOutput;

pub async fn run(client: &GongClient, args: CallDetailsArgs) -> Result<ToolOutput, ToolError> {
    let sections: Vec<Section> = match args.include.as_deref() {
        None | Some([]) => DEFAULT_SECTIONS.to_vec(),
        Some(list) => list.to_vec(),
    };
    let ids = requested_ids(args)?;
    let found = client.calls_extensive(&ids).await?;
    let mut calls: Vec<CallDetails> = Vec::with_capacity(ids.len());
    let mut not_found = Vec::new();
    for id in &ids {
        match found.get(id) {
            Some(call) => calls.push(details::build(call, &sections)),
            None => not_found.push(id.clone()),
        }
    }
    let mut output = CallDetailsOutput {
        calls,
        not_found,
        not_shown: Vec::new(),
        sections,
        hint: None,
    };
    if output.calls.is_empty() {
        return Err(ToolError::NotFound(format!(
            "Gong has no call with the id(s) {}: use gong_list_calls to find call ids.",
            output.not_found.join(", ")
        )));
    }
    details_fit::fit(&mut output);
    Ok(ToolOutput::new(details_text::render(&output), &output))
}

fn requested_ids(args: CallDetailsArgs) -> Result<Vec<String>, ToolError> {
    let mut ids = match (args.call_id, args.call_ids) {
        (Some(_), Some(_)) => {
            return Err(ToolError::invalid(
                "callIds",
                "give either callId or callIds, not both",
            ));
        }
        (Some(id), None) => vec![id],
        (None, Some(ids)) => ids,
        (None, None) => {
            return Err(ToolError::invalid(
                "callId",
                "give callId (one call) or callIds (up to 100); find ids with gong_list_calls",
            ));
        }
    };
    if ids.is_empty() {
        return Err(ToolError::invalid(
            "callIds",
            "callIds is empty; give 1 to 100 call ids",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.len() > MAX_CALL_IDS_PER_REQUEST {
        return Err(ToolError::invalid(
            "callIds",
            format!(
                "{} call ids given; at most {MAX_CALL_IDS_PER_REQUEST} per call: split the list and call this tool once per 100 ids",
                ids.len()
            ),
        ));
    }
    for id in &ids {
        validate_call_id("callIds", id)?;
    }
    Ok(ids)
}
