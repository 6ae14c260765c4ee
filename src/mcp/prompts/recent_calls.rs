//! `recent_calls { days?, scope? }` (`scope` for Gong only): list and summarise the calls of the
//! last few days.

use chrono::{DateTime, Utc};
use rmcp::ErrorData;
use serde_json::json;

use super::PromptSpec;
use super::args::{ArgSpec, PromptArgs, list_args};
use super::complete::Completer;
use super::sources::SourceTools;
use crate::meetings::Source;

const DEFAULT_DAYS: u64 = 7;
pub const SCOPES: &[&str] = &["External", "Internal", "Unknown"];

pub const SPEC: PromptSpec = PromptSpec {
    family: "recent_calls",
    title: "Recent calls",
    needs_mind_reasoner: false,
    description,
    args,
    render,
};

fn args(src: &SourceTools) -> Vec<ArgSpec> {
    let mut args = vec![
        ArgSpec::new("days", "How many days back to look, 1 to 90 (default 7).")
            .completed_by(Completer::Choices(&["1", "7", "14", "30"])),
    ];
    // Only Gong's listing filters by scope.
    if src.source == Source::Gong {
        args.push(
            ArgSpec::new(
                "scope",
                "Only External calls (with customers), Internal or Unknown ones (default: all).",
            )
            .completed_by(Completer::Choices(SCOPES)),
        );
    }
    args
}

fn description(src: &SourceTools) -> String {
    format!(
        "List and summarise my {} {}s of the last few days: who, what, outcome, follow-ups.",
        src.source.name(),
        src.noun
    )
}

fn render(src: &SourceTools, args: &PromptArgs, now: DateTime<Utc>) -> Result<String, ErrorData> {
    let days = args.number("days", 1..=90, DEFAULT_DAYS)?;
    let scope = args.choice("scope", SCOPES)?;
    let from = (now - chrono::Duration::days(days as i64))
        .date_naive()
        .to_string();
    let noun = src.noun;
    let which = scope.map(|s| format!(" {s}")).unwrap_or_default();
    let list_args = list_args(
        src,
        &[("fromDate", json!(from)), ("scope", json!(scope))],
        true,
    );
    let mut text = format!(
        "Summarise my{which} {source} {noun}s of the last {days} days (since {from}).\n\n\
         1. Call {list} with {list_args}. While the answer has a nextCursor, call {list} again with only {{\"cursor\": \"<nextCursor>\"}}.\n",
        source = src.source.name(),
        list = src.list,
    );
    text.push_str(&match &src.details {
        Some(d) if d.batch => format!(
            "2. Call {} with {{\"callIds\": [<up to 100 ids from step 1>], \"include\": [\"participants\", \"brief\", \"keyPoints\", \"outcome\"]}}, once per 100 {noun}s.\n",
            d.tool
        ),
        Some(d) => format!(
            "2. For each {noun}, call {} with {{\"{}\": \"<id>\"}} for its summary and action items.\n",
            d.tool,
            src.source.id_arg()
        ),
        None => format!(
            "2. For a {noun} whose gist is unclear from its title, read it with {} {{\"{}\": \"<id>\"}}.\n",
            src.transcript,
            src.source.id_arg()
        ),
    });
    text.push_str(&format!(
        "3. Answer with one line per {noun}, newest first: date, title, who took part (company), outcome and a one-sentence gist. Then the themes that recur and the follow-ups that stand out.\n\n\
         Use only facts from these answers. If there are no {noun}s in the window, say so and suggest a longer `days`."
    ));
    Ok(text)
}
