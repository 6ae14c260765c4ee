//! Tool arguments: their JSON schemas (what agents read) and their validation (what agents get
//! back when they get it wrong: a message naming the argument and showing a valid example).
//!
//! serde's own type errors do not name the field, so every argument has a small deserializer
//! here whose message does; rmcp passes the message on as an `isError` result.

mod call_details;
mod dates;
mod list_calls;
mod transcript;

pub use call_details::{CallDetailsArgs, DEFAULT_SECTIONS, Section};
pub use dates::{DEFAULT_WINDOW_DAYS, DateRange, RangeEnd, parse_date_arg};
pub use list_calls::{Direction, ListCallsArgs, Scope};
pub use transcript::{
    FathomTranscriptArgs, FirefliesTranscriptArgs, TranscriptArgs, TranscriptFormat, TranscriptView,
};

use serde::{Deserialize, Deserializer};

use super::error::ToolError;

/// Gong ids are digit strings of up to 20 digits; agents may also send them as JSON numbers.
pub fn validate_call_id(name: &str, id: &str) -> Result<(), ToolError> {
    if !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ToolError::invalid(
            name,
            format!(
                "{name} must be a Gong call id (up to 20 digits, as gong_list_calls returns it), e.g. \"7782342274025937895\"; got '{}'",
                clip(id, 40)
            ),
        ))
    }
}

/// At most `max` characters of an agent's input, for quoting it back in an error.
pub(crate) fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Optional string arguments whose type errors name the argument.
macro_rules! named_string_arg {
    ($($fn_name:ident => $arg:literal),* $(,)?) => {$(
        pub(crate) fn $fn_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
            $crate::mcp::args::opt_string($arg, d)
        }
    )*};
}
pub(crate) use named_string_arg;

/// Optional whole non-negative numbers whose type errors name the argument.
macro_rules! named_u64_arg {
    ($($fn_name:ident => $arg:literal),* $(,)?) => {$(
        pub(crate) fn $fn_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
            $crate::mcp::args::opt_u64($arg, d)
        }
    )*};
}
pub(crate) use named_u64_arg;

pub(crate) fn opt_string<'de, D: Deserializer<'de>>(
    name: &str,
    d: D,
) -> Result<Option<String>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s)),
        other => Err(serde::de::Error::custom(format!(
            "{name} must be a string, got {}",
            json_kind(&other)
        ))),
    }
}

pub(crate) fn opt_u64<'de, D: Deserializer<'de>>(
    name: &str,
    d: D,
) -> Result<Option<u64>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) if n.is_u64() => Ok(n.as_u64()),
        // 60.0 is a whole number too; agents send floats for seconds.
        serde_json::Value::Number(n)
            if n.as_f64()
                .is_some_and(|f| f >= 0.0 && f.fract() == 0.0 && f < 1e15) =>
        {
            Ok(n.as_f64().map(|f| f as u64))
        }
        // "120" from agents that quote every value.
        serde_json::Value::String(s) if s.trim().parse::<u64>().is_ok() => {
            Ok(s.trim().parse::<u64>().ok())
        }
        other => Err(serde::de::Error::custom(format!(
            "{name} must be a whole number (0 or more), got {}",
            shown(&other)
        ))),
    }
}

/// Optional seconds (fractions allowed), non-negative and finite.
pub(crate) fn opt_seconds<'de, D: Deserializer<'de>>(
    name: &str,
    d: D,
) -> Result<Option<f64>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    let parsed = match &value {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match parsed {
        Some(f) if f.is_finite() && f >= 0.0 => Ok(Some(f)),
        _ => Err(serde::de::Error::custom(format!(
            "{name} must be a number of seconds from the start of the call (0 or more), e.g. 300 for 5:00; got {}",
            json_kind(&value)
        ))),
    }
}

pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(
    name: &str,
    d: D,
) -> Result<Option<bool>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Bool(b) => Ok(Some(b)),
        serde_json::Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        serde_json::Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        other => Err(serde::de::Error::custom(format!(
            "{name} must be true or false, got {}",
            json_kind(&other)
        ))),
    }
}

/// One string or an array of strings (agents send either for "one or several").
pub(crate) fn opt_strings<'de, D: Deserializer<'de>>(
    name: &str,
    d: D,
) -> Result<Option<Vec<String>>, D::Error> {
    let wrong = |v: &serde_json::Value| {
        serde::de::Error::custom(format!(
            "{name} must be a string or an array of strings, got {}",
            json_kind(v)
        ))
    };
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(vec![s])),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Ok(s),
                other => Err(wrong(&other)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(wrong(&other)),
    }
}

/// A case-insensitive choice among fixed names; the error lists them.
pub(crate) fn choice<T: Copy>(name: &str, raw: &str, options: &[(&str, T)]) -> Result<T, String> {
    let wanted = raw.trim();
    options
        .iter()
        .find(|(label, _)| label.eq_ignore_ascii_case(wanted))
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let names: Vec<String> = options.iter().map(|(l, _)| format!("\"{l}\"")).collect();
            format!(
                "{name} must be one of {}; got \"{}\"",
                names.join(", "),
                clip(wanted, 40)
            )
        })
}

pub(crate) fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s.trim().to_owned()),
        // Above 2^53 a JavaScript client has already rounded the id (7000000150315102909 arrives
        // as 7000000150315103000): answering for a neighbouring id would be worse than refusing.
        serde_json::Value::Number(n) if n.as_u64().is_some_and(|n| n <= 1 << 53) => {
            Ok(n.to_string())
        }
        serde_json::Value::Number(n) if n.is_u64() => Err(serde::de::Error::custom(format!(
            "call id {n} was sent as a JSON number; ids this large lose their last digits in JavaScript clients, so send call ids as strings, e.g. \"{n}\""
        ))),
        other => Err(serde::de::Error::custom(format!(
            "callId/callIds must be Gong call ids (strings of digits), got {}",
            json_kind(&other)
        ))),
    }
}

pub(crate) fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        v => id_string(v).map(Some).map_err(serde::de::Error::custom),
    }
}

pub(crate) fn opt_id_strings<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<String>>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|v| id_string(v).map_err(serde::de::Error::custom))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(serde::de::Error::custom(format!(
            "callIds must be an array of call ids, got {}",
            json_kind(&other)
        ))),
    }
}

/// A short rendering of a bad argument value for error messages.
fn shown(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => format!("\"{}\"", s.chars().take(20).collect::<String>()),
        other => json_kind(other).to_owned(),
    }
}

pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Optional arguments are simply not required: their schemas say `"type": "string"`, not
/// `["string", "null"]` with `"default": null`. Some clients and model APIs accept only one
/// type per property (the MCP Inspector flags the union as a portability problem); null is still
/// accepted on the wire.
pub(crate) fn optional_not_nullable(schema: &mut schemars::Schema) {
    let Some(props) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) else {
        return;
    };
    for prop in props.values_mut() {
        let Some(prop) = prop.as_object_mut() else {
            continue;
        };
        if prop.get("default").is_some_and(|d| d.is_null()) {
            prop.remove("default");
        }
        if let Some(serde_json::Value::Array(types)) = prop.get("type") {
            let kept: Vec<serde_json::Value> =
                types.iter().filter(|t| *t != "null").cloned().collect();
            if kept.len() == 1 {
                prop.insert("type".into(), kept[0].clone());
            } else {
                prop.insert("type".into(), serde_json::Value::Array(kept));
            }
        }
        // `Option<Enum>` / `Option<Vec<..>>` come out as anyOf [{..}, {"type": "null"}].
        if let Some(serde_json::Value::Array(any_of)) = prop.get("anyOf") {
            let kept: Vec<serde_json::Value> = any_of
                .iter()
                .filter(|s| s.get("type").is_none_or(|t| t != "null"))
                .cloned()
                .collect();
            if kept.len() == 1 {
                prop.remove("anyOf");
                if let serde_json::Value::Object(inner) = &kept[0] {
                    for (k, v) in inner {
                        prop.entry(k.clone()).or_insert_with(|| v.clone());
                    }
                }
            } else {
                prop.insert("anyOf".into(), serde_json::Value::Array(kept));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_ids_accept_safe_numbers_and_refuse_rounded_ones_and_garbage() {
        let a: TranscriptArgs = serde_json::from_str(r#"{"callId": 9007199254740992}"#).unwrap();
        assert_eq!(a.call_id, "9007199254740992");
        let err = serde_json::from_str::<TranscriptArgs>(r#"{"callId": 7000000150315103000}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("send call ids as strings"), "{err}");
        assert!(serde_json::from_str::<TranscriptArgs>(r#"{"callId": true}"#).is_err());
        assert!(serde_json::from_str::<TranscriptArgs>(r#"{"callId": "1", "x": 1}"#).is_err());
        assert!(validate_call_id("callId", "12a").is_err());
        assert!(validate_call_id("callId", &"9".repeat(21)).is_err());
        assert!(validate_call_id("callId", "7782342274025937895").is_ok());
        let d: CallDetailsArgs = serde_json::from_str(r#"{"callIds": ["1", 2]}"#).unwrap();
        assert_eq!(d.call_ids.unwrap(), vec!["1", "2"]);
    }

    #[test]
    fn choices_are_case_insensitive_and_errors_list_them() {
        let opts = [("text", 1), ("vtt", 2)];
        assert_eq!(choice("format", " VTT ", &opts), Ok(2));
        let err = choice("format", "xml", &opts).unwrap_err();
        assert!(err.contains("\"text\", \"vtt\""), "{err}");
    }
}
