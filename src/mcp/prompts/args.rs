//! Prompt arguments: MCP sends them as strings (clients often send "" for a field left blank).
//! Each is checked here and a bad one is an `invalid_params` error naming the argument, the
//! accepted values and an example.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rmcp::ErrorData;
use rmcp::model::{JsonObject, PromptArgument};

use super::complete::Completer;
use super::sources::SourceTools;
use crate::mcp::args::{DateRange, clip};

/// One argument a prompt accepts: name, description, whether required, and where the values
/// `completion/complete` offers for it come from.
#[derive(Debug, Clone)]
pub struct ArgSpec {
    pub name: &'static str,
    pub description: String,
    pub required: bool,
    pub complete: Option<Completer>,
}

impl ArgSpec {
    /// An optional argument without completions.
    pub fn new(name: &'static str, description: impl Into<String>) -> Self {
        Self {
            name,
            description: description.into(),
            required: false,
            complete: None,
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn completed_by(mut self, completer: Completer) -> Self {
        self.complete = Some(completer);
        self
    }

    pub fn to_argument(&self) -> PromptArgument {
        PromptArgument::new(self.name)
            .with_description(self.description.clone())
            .with_required(self.required)
    }
}

/// `fromDate` and `toDate`, as every window prompt takes them.
pub fn window_args() -> [ArgSpec; 2] {
    [
        ArgSpec::new(
            "fromDate",
            "Start of the window, ISO-8601 (e.g. 2026-10-01). Default: 30 days before toDate or now.",
        ),
        ArgSpec::new(
            "toDate",
            "End of the window (a bare date includes that day). Default: now.",
        ),
    ]
}

/// A prompt's arguments after the generic checks: known names, strings, blanks dropped.
#[derive(Debug, Default)]
pub struct PromptArgs {
    values: BTreeMap<String, String>,
}

pub fn invalid(name: &str, message: impl std::fmt::Display) -> ErrorData {
    ErrorData::invalid_params(format!("Invalid argument `{name}`: {message}"), None)
}

impl PromptArgs {
    /// Checks the names (only `specs`'), the value types (strings; numbers and booleans are
    /// taken as their text) and that required ones are present.
    pub fn parse(
        prompt: &str,
        raw: Option<&JsonObject>,
        specs: &[ArgSpec],
    ) -> Result<Self, ErrorData> {
        let mut values = BTreeMap::new();
        for (name, value) in raw.into_iter().flatten() {
            if !specs.iter().any(|s| s.name == name) {
                let known: Vec<&str> = specs.iter().map(|s| s.name).collect();
                return Err(ErrorData::invalid_params(
                    format!(
                        "Prompt {prompt} has no argument `{}`; its arguments: {}",
                        clip(name, 40),
                        known.join(", ")
                    ),
                    None,
                ));
            }
            let text = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.trim().to_owned(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return Err(invalid(name, "must be a string")),
            };
            if !text.is_empty() {
                values.insert(name.clone(), text);
            }
        }
        for spec in specs.iter().filter(|s| s.required) {
            if !values.contains_key(spec.name) {
                return Err(invalid(
                    spec.name,
                    format!("is required: {}", spec.description),
                ));
            }
        }
        Ok(Self { values })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A whole number in `range`, or `default` when absent.
    pub fn number(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<u64>,
        default: u64,
    ) -> Result<u64, ErrorData> {
        let Some(raw) = self.get(name) else {
            return Ok(default);
        };
        match raw.parse::<u64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(invalid(
                name,
                format!(
                    "must be a whole number from {} to {}, e.g. {default}; got '{}'",
                    range.start(),
                    range.end(),
                    clip(raw, 40)
                ),
            )),
        }
    }

    /// One of `choices` (case-insensitive), spelled as in `choices`.
    pub fn choice(
        &self,
        name: &str,
        choices: &[&'static str],
    ) -> Result<Option<&'static str>, ErrorData> {
        let Some(raw) = self.get(name) else {
            return Ok(None);
        };
        choices
            .iter()
            .find(|c| c.eq_ignore_ascii_case(raw))
            .map(|c| Some(*c))
            .ok_or_else(|| {
                invalid(
                    name,
                    format!(
                        "must be one of {}; got '{}'",
                        choices.join(", "),
                        clip(raw, 40)
                    ),
                )
            })
    }

    /// `fromDate`/`toDate` as given, after checking they parse and are in order.
    pub fn window(&self, now: DateTime<Utc>) -> Result<(Option<&str>, Option<&str>), ErrorData> {
        let (from, to) = (self.get("fromDate"), self.get("toDate"));
        DateRange::resolve(from, to, now)
            .map_err(|e| ErrorData::invalid_params(e.to_string(), None))?;
        Ok((from, to))
    }

    /// The source's meeting id (its `id_arg`: `callId`, `meetingId`, `transcriptId`), if given.
    pub fn meeting_id(&self, src: &SourceTools) -> Result<Option<&str>, ErrorData> {
        let name = src.source.id_arg();
        let Some(id) = self.get(name) else {
            return Ok(None);
        };
        (src.check_id)(name, id).map_err(|e| ErrorData::invalid_params(e.to_string(), None))?;
        Ok(Some(id))
    }
}

/// Tool arguments as compact JSON, exactly as the agent should send them.
pub fn json_args(pairs: &[(&str, serde_json::Value)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// The arguments of `src`'s listing: `pairs`, then (with `participants`) the flag that adds
/// participants where the listing needs one, and the largest `limit` it takes.
pub fn list_args(
    src: &SourceTools,
    pairs: &[(&str, serde_json::Value)],
    participants: bool,
) -> String {
    let mut all = pairs.to_vec();
    if let (true, Some(flag)) = (participants, src.list_participants) {
        all.push((flag, serde_json::Value::Bool(true)));
    }
    all.push(("limit", src.list_limit.into()));
    json_args(&all)
}

/// "between 2026-11-01 and 2026-11-29", "since 2026-11-01", … for the prompt's text.
pub fn window_words(from: Option<&str>, to: Option<&str>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("from {f} to {t}"),
        (Some(f), None) => format!("since {f}"),
        (None, Some(t)) => format!("in the 30 days before {t}"),
        (None, None) => "of the last 30 days".to_owned(),
    }
}
