//! `bulk_mind_creation { fromDate?, toDate?, minTalkMinutes?, affiliation? }`: the speakers of a
//! window, then one Mind Reasoner mind each.

use chrono::{DateTime, Utc};
use rmcp::ErrorData;
use serde_json::json;

use super::PromptSpec;
use super::args::{ArgSpec, PromptArgs, json_args, window_args, window_words};
use super::complete::Completer;
use super::sources::{MIND_FROM_CALLS, SNAPSHOT_STATUS, SourceTools};

const DEFAULT_MINUTES: u64 = 20;
pub const AFFILIATIONS: &[&str] = &["External", "Internal", "Unknown"];

pub const SPEC: PromptSpec = PromptSpec {
    family: "bulk_mind_creation",
    title: "Create minds in bulk",
    needs_mind_reasoner: true,
    description,
    args,
    render,
};

fn args(_src: &SourceTools) -> Vec<ArgSpec> {
    let mut args = window_args().to_vec();
    args.push(ArgSpec::new(
        "minTalkMinutes",
        "Only speakers with at least this many minutes of talk in the window, 0 to 600 (default 20).",
    ));
    args.push(
        ArgSpec::new(
            "affiliation",
            "Only External speakers (customers), Internal (colleagues) or Unknown (default: all).",
        )
        .completed_by(Completer::Choices(AFFILIATIONS)),
    );
    args
}

fn description(src: &SourceTools) -> String {
    format!(
        "Find who spoke most in my {} {}s of a window and train one Mind Reasoner mind per speaker.",
        src.source.name(),
        src.noun
    )
}

fn render(src: &SourceTools, args: &PromptArgs, now: DateTime<Utc>) -> Result<String, ErrorData> {
    let (from, to) = args.window(now)?;
    let minutes = args.number("minTalkMinutes", 0..=600, DEFAULT_MINUTES)?;
    let affiliation = args.choice("affiliation", AFFILIATIONS)?;
    let noun = src.noun;
    let who = affiliation
        .map(|a| format!("{} ", a.to_lowercase()))
        .unwrap_or_default();
    let speakers = src.speakers;
    let find = format!(
        "1. Call {speakers} with {}. While the answer has a nextCursor, call {speakers} again with {{\"cursor\": \"<nextCursor>\"}} and the same fromDate/toDate.\n",
        json_args(&[
            ("fromDate", json!(from)),
            ("toDate", json!(to)),
            ("minTalkSeconds", json!(minutes * 60)),
            ("affiliation", json!(affiliation)),
            ("limit", json!(100)),
        ])
    );
    let mind_args = json_args(&[
        ("speaker", json!("<email>")),
        ("fromDate", json!(from)),
        ("toDate", json!(to)),
        ("source", json!(src.mind_source_arg())),
    ]);
    Ok(format!(
        "Create one Mind Reasoner mind for each {who}speaker with at least {minutes} minutes of talk in my {source} {noun}s {window}.\n\n\
         {find}\
         2. Show me the speakers (name, email, {noun}s, talk time) and wait for me to confirm or trim the list before creating anything.\n\
         3. For each confirmed speaker, one at a time, call {MIND_FROM_CALLS} with {mind_args}, using the speaker's email (a name can match two people). Without a mindName it trains the mind named after the speaker, creating it if needed.\n\
         4. For each snapshot, call {SNAPSHOT_STATUS} with {{\"mindId\": \"<mindId>\", \"snapshotId\": \"<snapshotId>\", \"waitSeconds\": 25}} until it is completed or failed.\n\
         5. Report a table: speaker, mind name and id, words used (flag those under 5,000), snapshot status, and any speaker that failed with the error.",
        source = src.source.name(),
        window = window_words(from, to),
    ))
}
