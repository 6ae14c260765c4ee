//! `analyze_call_patterns { fromDate?, toDate?, query? }`: the details of the matching calls in
//! batches, then patterns in talk time, topics, trackers and outcomes.

use chrono::{DateTime, Utc};
use rmcp::ErrorData;
use serde_json::json;

use super::PromptSpec;
use super::args::{ArgSpec, PromptArgs, json_args, window_words};
use super::complete::Completer;
use super::sources::SourceTools;

pub const SPEC: PromptSpec = PromptSpec {
    family: "analyze_call_patterns",
    title: "Analyze call patterns",
    needs_mind_reasoner: false,
    description,
    args: &[
        ArgSpec {
            name: "fromDate",
            description: "Start of the window, ISO-8601 (e.g. 2026-10-01). Default: 30 days before toDate or now.",
            required: false,
        },
        ArgSpec {
            name: "toDate",
            description: "End of the window (a bare date includes that day). Default: now.",
            required: false,
        },
        ArgSpec {
            name: "query",
            description: "Only calls whose title contains every word of this (e.g. a customer or product name).",
            required: false,
        },
    ],
    render,
    completions: &[("query", Completer::CallTitles)],
};

fn description(src: &SourceTools) -> String {
    format!(
        "Analyse patterns across my {} {}s in a window: talk time, topics, trackers and outcomes, with evidence.",
        src.source.name(),
        src.noun
    )
}

fn render(src: &SourceTools, args: &PromptArgs, now: DateTime<Utc>) -> Result<String, ErrorData> {
    let (from, to) = args.window(now)?;
    let query = args.get("query");
    let noun = src.noun;
    let list_args = json_args(&[
        ("fromDate", json!(from)),
        ("toDate", json!(to)),
        ("query", json!(query)),
        ("limit", json!(100)),
    ]);
    let matching = query
        .map(|q| format!(" whose title matches \"{q}\""))
        .unwrap_or_default();
    let mut text = format!(
        "Analyse the patterns across my {source} {noun}s {window}{matching}.\n\n\
         1. Find the {noun}s: call {list} with {list_args}. While the answer has a nextCursor, call {list} again with only {{\"cursor\": \"<nextCursor>\"}}. Keep every id.\n",
        source = src.source.name(),
        window = window_words(from, to),
        list = src.list,
    );
    match src.details {
        Some(details) => text.push_str(&format!(
            "2. Read them in batches: call {details} with {{\"callIds\": [<up to 100 ids>], \"include\": [\"participants\", \"talkTime\", \"topics\", \"trackers\", \"outcome\"]}}, once per batch of 100 ids, until every {noun} is read. If an answer says it shortened a {noun}, ask for that {noun} alone.\n"
        )),
        None => text.push_str(&format!(
            "2. Read each {noun} with {} {{\"{}\": \"<id>\"}}.\n",
            src.transcript,
            src.source.id_arg()
        )),
    }
    text.push_str(&format!(
        "3. Report the patterns, each with numbers and the {noun} titles as evidence:\n\
         - talk time: the internal/external share, who dominates, {noun}s where the customer barely spoke;\n\
         - topics: the most frequent, and how much time they take;\n\
         - trackers: the most mentioned and in which {noun}s;\n\
         - outcomes: how {noun}s end, and what the successful ones have in common.\n\n\
         Quote the words only where a pattern needs it: {transcript} with {{\"{id}\": \"<id>\", \"fromSeconds\": <topic start>}}. \
         If no {noun} matches, say so and suggest a wider window or another query.",
        transcript = src.transcript,
        id = src.source.id_arg(),
    ));
    Ok(text)
}
