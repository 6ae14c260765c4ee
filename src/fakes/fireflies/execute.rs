//! Running a validated query over one tenant's meetings: variables bound and type-checked,
//! `transcripts(...)` filtered and paged like Fireflies (newest first, `limit` at most 50,
//! `skip`), `transcript(id:)` answered or `object_not_found`, and every object written with just
//! the fields the query selected.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value as Json, json};

use super::data::Meeting;
use super::graphql::{Field, Operation, Value};

/// A GraphQL error with its `extensions.code`.
#[derive(Debug, Clone, PartialEq)]
pub struct GqlError {
    pub code: &'static str,
    pub message: String,
}

fn err(code: &'static str, message: impl Into<String>) -> GqlError {
    GqlError {
        code,
        message: message.into(),
    }
}

/// Binds the request's variables to the operation's definitions (defaults, required ones,
/// scalar types).
pub fn bind_variables(
    op: &Operation,
    given: &Map<String, Json>,
) -> Result<HashMap<String, Json>, GqlError> {
    let mut out = HashMap::new();
    for def in &op.variables {
        let value = match given.get(&def.name) {
            Some(v) => v.clone(),
            None => match &def.default {
                Some(d) => constant(d),
                None => Json::Null,
            },
        };
        if value.is_null() && def.type_name.ends_with('!') {
            return Err(err(
                "BAD_USER_INPUT",
                format!(
                    "Variable \"${}\" of required type \"{}\" was not provided.",
                    def.name, def.type_name
                ),
            ));
        }
        check_type(&def.name, &def.type_name, &value)?;
        out.insert(def.name.clone(), value);
    }
    Ok(out)
}

fn check_type(name: &str, type_name: &str, value: &Json) -> Result<(), GqlError> {
    if value.is_null() {
        return Ok(());
    }
    let bare = type_name.trim_end_matches('!');
    if let Some(inner) = bare.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return match value {
            Json::Array(items) => items.iter().try_for_each(|i| check_type(name, inner, i)),
            single => check_type(name, inner, single),
        };
    }
    let ok = match bare {
        "Int" => value.as_i64().is_some(),
        "Float" => value.is_number(),
        "Boolean" => value.is_boolean(),
        "String" | "DateTime" | "ID" => value.is_string(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(err(
            "BAD_USER_INPUT",
            format!("Variable \"${name}\" got invalid value {value}; {bare} cannot represent it."),
        ))
    }
}

fn constant(v: &Value) -> Json {
    match v {
        Value::Int(n) => json!(n),
        Value::Float(f) => json!(f),
        Value::String(s) | Value::Enum(s) => json!(s),
        Value::Boolean(b) => json!(b),
        Value::List(items) => Json::Array(items.iter().map(constant).collect()),
        Value::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), constant(v)))
                .collect(),
        ),
        Value::Null | Value::Variable(_) => Json::Null,
    }
}

fn resolve(v: &Value, vars: &HashMap<String, Json>) -> Json {
    match v {
        Value::Variable(name) => vars.get(name).cloned().unwrap_or(Json::Null),
        Value::List(items) => Json::Array(items.iter().map(|i| resolve(i, vars)).collect()),
        other => constant(other),
    }
}

/// One root field's answer (its data, or the error that made it `null`).
pub fn root_field(
    field: &Field,
    vars: &HashMap<String, Json>,
    meetings: &[Arc<Meeting>],
) -> Result<Json, GqlError> {
    let args: HashMap<&str, Json> = field
        .arguments
        .iter()
        .map(|(k, v)| (k.as_str(), resolve(v, vars)))
        .filter(|(_, v)| !v.is_null())
        .collect();
    match field.name.as_str() {
        "__typename" => Ok(json!("Query")),
        "transcript" => {
            let id = args
                .get("id")
                .and_then(Json::as_str)
                .ok_or_else(|| err("args_required", "Argument \"id\" is required"))?;
            let meeting = meetings
                .iter()
                .find(|m| m.id == id)
                .ok_or_else(|| err("object_not_found", "Transcript not found"))?;
            Ok(write(meeting, &field.selections))
        }
        _ => {
            let found = list(&args, meetings)?;
            Ok(Json::Array(
                found.iter().map(|m| write(m, &field.selections)).collect(),
            ))
        }
    }
}

fn string_arg<'a>(args: &'a HashMap<&str, Json>, name: &str) -> Result<Option<&'a str>, GqlError> {
    match args.get(name) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s)),
        Some(other) => Err(err(
            "invalid_arguments",
            format!("{name} must be a string, got {other}"),
        )),
    }
}

fn strings_arg(args: &HashMap<&str, Json>, name: &str) -> Vec<String> {
    match args.get(name) {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(Json::as_str)
            .map(|s| s.trim().to_ascii_lowercase())
            .collect(),
        Some(Json::String(s)) => vec![s.trim().to_ascii_lowercase()],
        _ => Vec::new(),
    }
}

fn date_arg(args: &HashMap<&str, Json>, name: &str) -> Result<Option<DateTime<Utc>>, GqlError> {
    string_arg(args, name)?
        .map(|s| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| {
                    err(
                        "invalid_arguments",
                        format!("{name} must be an ISO 8601 date-time (e.g. 2024-01-31T00:00:00.000Z), got \"{s}\""),
                    )
                })
        })
        .transpose()
}

fn int_arg(args: &HashMap<&str, Json>, name: &str, default: i64) -> Result<i64, GqlError> {
    match args.get(name) {
        None => Ok(default),
        Some(v) => v.as_i64().ok_or_else(|| {
            err(
                "invalid_arguments",
                format!("{name} must be an integer, got {v}"),
            )
        }),
    }
}

fn list(
    args: &HashMap<&str, Json>,
    meetings: &[Arc<Meeting>],
) -> Result<Vec<Arc<Meeting>>, GqlError> {
    let limit = int_arg(args, "limit", 50)?;
    if !(1..=50).contains(&limit) {
        return Err(err(
            "invalid_arguments",
            format!("limit must be between 1 and 50, got {limit}"),
        ));
    }
    let skip = int_arg(args, "skip", 0)?;
    if skip < 0 {
        return Err(err("invalid_arguments", "skip must not be negative"));
    }
    let from = date_arg(args, "fromDate")?;
    let to = date_arg(args, "toDate")?;
    let keyword = string_arg(args, "keyword")?.map(str::to_lowercase);
    let scope = match args.get("scope").and_then(Json::as_str) {
        None => "title",
        Some(s @ ("title" | "sentences" | "all")) => s,
        Some(other) => {
            return Err(err(
                "invalid_arguments",
                format!("scope must be one of title, sentences, all; got \"{other}\""),
            ));
        }
    };
    let title = string_arg(args, "title")?.map(str::to_lowercase);
    let mut participants = strings_arg(args, "participants");
    participants.extend(strings_arg(args, "participant_email"));
    let mut organizers = strings_arg(args, "organizers");
    organizers.extend(strings_arg(args, "organizer_email"));
    organizers.extend(strings_arg(args, "host_email"));
    Ok(meetings
        .iter()
        .filter(|m| from.is_none_or(|f| m.started >= f) && to.is_none_or(|t| m.started <= t))
        .filter(|m| {
            keyword.as_deref().is_none_or(|k| {
                let in_title = m.title.to_lowercase().contains(k);
                let in_words = || {
                    m.sentences
                        .iter()
                        .any(|s| s.text.to_lowercase().contains(k))
                };
                match scope {
                    "title" => in_title,
                    "sentences" => in_words(),
                    _ => in_title || in_words(),
                }
            })
        })
        .filter(|m| {
            title
                .as_deref()
                .is_none_or(|t| m.title.to_lowercase().contains(t))
        })
        .filter(|m| participants.is_empty() || m.emails().any(|e| participants.contains(&e)))
        .filter(|m| {
            organizers.is_empty() || organizers.contains(&m.organizer_email.to_ascii_lowercase())
        })
        .skip(skip as usize)
        .take(limit as usize)
        .cloned()
        .collect())
}

fn select(selections: &[Field], typename: &str, value: impl Fn(&str, &[Field]) -> Json) -> Json {
    let mut obj = Map::new();
    for f in selections {
        let v = if f.name == "__typename" {
            json!(typename)
        } else {
            value(&f.name, &f.selections)
        };
        obj.insert(f.response_key().to_owned(), v);
    }
    Json::Object(obj)
}

fn write(m: &Meeting, selections: &[Field]) -> Json {
    select(selections, "Transcript", |name, sub| match name {
        "meeting_attendees" => Json::Array(
            m.attendees
                .iter()
                .map(|(n, e)| {
                    select(sub, "MeetingAttendee", |f, _| match f {
                        "displayName" | "name" => json!(n),
                        "email" => json!(e),
                        _ => Json::Null,
                    })
                })
                .collect(),
        ),
        "speakers" => Json::Array(
            m.speakers
                .iter()
                .map(|(id, n)| {
                    select(sub, "Speaker", |f, _| match f {
                        "id" => json!(id),
                        _ => json!(n),
                    })
                })
                .collect(),
        ),
        "sentences" => Json::Array(
            m.sentences
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    select(sub, "Sentence", |f, _| match f {
                        "index" => json!(i),
                        "speaker_name" => json!(s.speaker_name),
                        "speaker_id" => json!(s.speaker_id),
                        "text" | "raw_text" => json!(s.text),
                        "start_time" => json!(s.start),
                        _ => json!(s.end),
                    })
                })
                .collect(),
        ),
        "summary" => select(sub, "Summary", |f, _| match f {
            "keywords" => json!(m.keywords),
            "overview" | "short_summary" | "gist" => json!(format!(
                "{}: {} spoke about {}.",
                m.title,
                m.speakers
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                m.keywords.join(", ")
            )),
            _ => Json::Null,
        }),
        "analytics" => select(sub, "Analytics", |_, sub| {
            Json::Array(
                m.speakers
                    .iter()
                    .map(|(id, n)| {
                        let mine = m.sentences.iter().filter(|s| s.speaker_id == *id);
                        let secs: f64 = mine.clone().map(|s| s.end - s.start).sum();
                        let words: usize = mine.map(|s| s.text.split_whitespace().count()).sum();
                        select(sub, "SpeakerAnalytics", |f, _| match f {
                            "speaker_id" => json!(id),
                            "name" => json!(n),
                            "duration" => json!((secs * 10.0).round() / 10.0),
                            "word_count" => json!(words),
                            _ => Json::Null,
                        })
                    })
                    .collect(),
            )
        }),
        scalar => m.scalar(scalar).unwrap_or(Json::Null),
    })
}
