//! `analyze_call_patterns { fromDate?, toDate?, query? }`: the matching calls, their talk time
//! and details, then patterns in talk time, topics, trackers (Gong) and outcomes.

use chrono::{DateTime, Utc};
use rmcp::ErrorData;
use serde_json::json;

use super::PromptSpec;
use super::args::{ArgSpec, PromptArgs, list_args, window_args, window_words};
use super::complete::Completer;
use super::sources::SourceTools;

pub const SPEC: PromptSpec = PromptSpec {
    family: "analyze_call_patterns",
    title: "Analyze call patterns",
    needs_mind_reasoner: false,
    description,
    args,
    render,
};

fn args(src: &SourceTools) -> Vec<ArgSpec> {
    let mut args = window_args().to_vec();
    args.push(
        ArgSpec::new(
            "query",
            format!(
                "Only {}s whose title contains every word of this (e.g. a customer or product name).",
                src.noun
            ),
        )
        .completed_by(Completer::MeetingTitles),
    );
    args
}

/// What the analysis covers: trackers are Gong's.
fn aspects(src: &SourceTools) -> &'static str {
    match &src.details {
        Some(d) if d.batch => "talk time, topics, trackers and outcomes",
        _ => "talk time, topics and outcomes",
    }
}

fn description(src: &SourceTools) -> String {
    format!(
        "Analyse patterns across my {} {}s in a window: {}, with evidence.",
        src.source.name(),
        src.noun,
        aspects(src)
    )
}

fn render(src: &SourceTools, args: &PromptArgs, now: DateTime<Utc>) -> Result<String, ErrorData> {
    let (from, to) = args.window(now)?;
    let query = args.get("query");
    let noun = src.noun;
    let id = src.source.id_arg();
    let list_args = list_args(
        src,
        &[
            ("fromDate", json!(from)),
            ("toDate", json!(to)),
            ("query", json!(query)),
        ],
        false,
    );
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
    match &src.details {
        Some(d) if d.batch => text.push_str(&format!(
            "2. Read them in batches: call {} with {{\"callIds\": [<up to 100 ids>], \"include\": [\"participants\", \"talkTime\", \"topics\", \"trackers\", \"outcome\"]}}, once per batch of 100 ids, until every {noun} is read. If an answer says it shortened a {noun}, ask for that {noun} alone.\n",
            d.tool
        )),
        details => {
            text.push_str(&format!(
                "2. Talk time: call {} with {{\"callIds\": [<the ids from step 1, at most 300>]}}: who spoke, for how long, and their share, across these {noun}s.\n",
                src.speakers
            ));
            text.push_str(&match details {
                Some(d) => format!(
                    "   Then call {} with {{\"{id}\": \"<id>\"}} for each {noun}: its summary and action items.\n",
                    d.tool
                ),
                None => format!(
                    "   Then read each {noun} with {} {{\"{id}\": \"<id>\"}} (or the ones that matter most, if there are many).\n",
                    src.transcript
                ),
            });
            if let Some(search) = src.search {
                text.push_str(&format!(
                    "   To see in which {noun}s a topic comes up without reading them all: {search} {{\"query\": \"<topic>\", \"scope\": \"sentences\"}}.\n"
                ));
            }
        }
    }
    text.push_str(&format!(
        "3. Report the patterns, each with numbers and the {noun} titles as evidence:\n\
         - talk time: the internal/external share, who dominates, {noun}s where the customer barely spoke;\n\
         - topics: the most frequent, and how much time they take;\n"
    ));
    if src.details.as_ref().is_some_and(|d| d.batch) {
        text.push_str(&format!(
            "- trackers: the most mentioned and in which {noun}s;\n"
        ));
    }
    text.push_str(&format!(
        "- outcomes: how {noun}s end, and what the successful ones have in common.\n\n\
         Quote the words only where a pattern needs it: {transcript} with {{\"{id}\": \"<id>\", \"fromSeconds\": <where it starts>}}. \
         If no {noun} matches, say so and suggest a wider window or another query.",
        transcript = src.transcript,
    ));
    Ok(text)
}
