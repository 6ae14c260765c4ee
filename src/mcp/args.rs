//! Tool arguments: their JSON schemas (what agents read) and their validation (what agents get
//! back when they get it wrong: a message naming the argument and showing a valid example).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

use super::error::ToolError;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListCallsArgs {
    /// Start of the range, inclusive. An ISO-8601 date ("2026-10-01", meaning that whole day
    /// in UTC) or date-time ("2026-10-01T09:00:00Z", "2026-10-01T09:00:00-07:00"). Omit both
    /// dates for the last 30 days.
    #[serde(default, deserialize_with = "from_date_arg")]
    pub from_date: Option<String>,
    /// End of the range. A date includes that whole day ("2026-10-31" = up to the end of Oct 31,
    /// UTC); a date-time is exclusive. Defaults to now.
    #[serde(default, deserialize_with = "to_date_arg")]
    pub to_date: Option<String>,
    /// How many calls to return, 1-100 (default 20).
    #[serde(default, deserialize_with = "limit_arg")]
    #[schemars(range(min = 1, max = 100))]
    pub limit: Option<u32>,
    /// The `nextCursor` of a previous answer, to get the next calls of the same query (pass the
    /// same dates, or none).
    #[serde(default, deserialize_with = "cursor_arg")]
    pub cursor: Option<String>,
    /// Only calls of this Gong workspace (its numeric id, e.g. "623457276584334").
    #[serde(default, deserialize_with = "workspace_id_arg")]
    pub workspace_id: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TranscriptArgs {
    /// The Gong call id (digits, as `gong_list_calls` returns it), e.g. "7782342274025937895".
    #[serde(deserialize_with = "id_string")]
    #[schemars(with = "String")]
    pub call_id: String,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallDetailsArgs {
    /// One Gong call id, e.g. "7782342274025937895". Give this or `callIds`.
    #[serde(default, deserialize_with = "opt_id_string")]
    #[schemars(with = "Option<String>")]
    pub call_id: Option<String>,
    /// Up to 100 call ids, fetched together in one Gong request, e.g. ["7782342274025937895",
    /// "7782342274025937896"].
    #[serde(default, deserialize_with = "opt_id_strings")]
    #[schemars(with = "Option<Vec<String>>")]
    pub call_ids: Option<Vec<String>>,
}

/// A resolved date range for Gong: `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// True when the caller gave no dates and the default window applies.
    pub defaulted: bool,
}

pub const DEFAULT_WINDOW_DAYS: i64 = 30;

/// Which end of a range a date argument is: a bare date means the start or the end of that day.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    Start,
    End,
}

impl DateRange {
    pub fn resolve(
        from: Option<&str>,
        to: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, ToolError> {
        let from_at = from
            .map(|s| parse_date_arg("fromDate", s, RangeEnd::Start))
            .transpose()?;
        let to_at = to
            .map(|s| parse_date_arg("toDate", s, RangeEnd::End))
            .transpose()?;
        let window = chrono::Duration::days(DEFAULT_WINDOW_DAYS);
        let (from, to) = match (from_at, to_at) {
            (Some(f), Some(t)) => (f, t),
            (Some(f), None) => (f, now.max(f + chrono::Duration::seconds(1))),
            (None, Some(t)) => (t - window, t),
            (None, None) => (now - window, now),
        };
        if from >= to {
            return Err(ToolError::invalid(
                "fromDate",
                format!(
                    "fromDate ({}) must be before toDate ({}); toDate as a date includes that whole day",
                    from.to_rfc3339(),
                    to.to_rfc3339()
                ),
            ));
        }
        Ok(Self {
            from,
            to,
            defaulted: from_at.is_none() && to_at.is_none(),
        })
    }
}

/// Parses an ISO-8601 date or date-time argument. A date-time without an offset is UTC.
pub fn parse_date_arg(name: &str, raw: &str, end: RangeEnd) -> Result<DateTime<Utc>, ToolError> {
    let s = raw.trim();
    let invalid = |why: &str| {
        ToolError::invalid(
            name,
            format!(
                "{name} '{}' is not a valid date{why}; use an ISO-8601 date like 2026-10-01 or a date-time like 2026-10-01T09:00:00Z",
                s.chars().take(40).collect::<String>()
            ),
        )
    };
    let parsed = if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        dt.with_timezone(&Utc)
    } else if let Ok(naive) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        Utc.from_utc_datetime(&naive)
    } else if let Ok(naive) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M") {
        Utc.from_utc_datetime(&naive)
    } else if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let day = match end {
            RangeEnd::Start => date,
            RangeEnd::End => date.succ_opt().ok_or_else(|| invalid(""))?,
        };
        Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).ok_or_else(|| invalid(""))?)
    } else {
        return Err(invalid(""));
    };
    // Gong started in 2015; far-future years are typos (year 99999) and overflow Gong's parser.
    if !(2000..=2100).contains(&parsed.year()) {
        return Err(invalid(" (the year must be between 2000 and 2100)"));
    }
    Ok(parsed)
}

/// Gong ids are digit strings of up to 20 digits; agents may also send them as JSON numbers.
pub fn validate_call_id(name: &str, id: &str) -> Result<(), ToolError> {
    if !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(ToolError::invalid(
            name,
            format!(
                "{name} must be a Gong call id (up to 20 digits, as gong_list_calls returns it), e.g. \"7782342274025937895\"; got '{}'",
                id.chars().take(40).collect::<String>()
            ),
        ))
    }
}

/// Optional string arguments whose type errors name the argument (serde's own do not).
macro_rules! named_string_arg {
    ($($fn_name:ident => $arg:literal),* $(,)?) => {$(
        fn $fn_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
            match serde_json::Value::deserialize(d)? {
                serde_json::Value::Null => Ok(None),
                serde_json::Value::String(s) => Ok(Some(s)),
                other => Err(serde::de::Error::custom(format!(
                    "{} must be a string, got {}", $arg, json_kind(&other)
                ))),
            }
        }
    )*};
}

named_string_arg!(
    from_date_arg => "fromDate",
    to_date_arg => "toDate",
    cursor_arg => "cursor",
    workspace_id_arg => "workspaceId",
);

fn limit_arg<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) if n.as_u64().is_some_and(|n| n <= u32::MAX as u64) => {
            Ok(n.as_u64().map(|n| n as u32))
        }
        other => Err(serde::de::Error::custom(format!(
            "limit must be a whole number from 1 to 100, got {}",
            json_kind(&other)
        ))),
    }
}

fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s.trim().to_owned()),
        serde_json::Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "callId/callIds must be Gong call ids (strings of digits), got {}",
            json_kind(&other)
        ))),
    }
}

fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        v => id_string(v).map(Some).map_err(serde::de::Error::custom),
    }
}

fn opt_id_strings<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
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

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number that is not a whole non-negative integer",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap()
    }

    #[test]
    fn bare_dates_cover_whole_utc_days() {
        let r = DateRange::resolve(Some("2026-10-01"), Some("2026-10-31"), now()).unwrap();
        assert_eq!(r.from, Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap());
        assert_eq!(r.to, Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap());
        let one_day = DateRange::resolve(Some("2026-10-05"), Some("2026-10-05"), now()).unwrap();
        assert_eq!(one_day.to - one_day.from, chrono::Duration::days(1));
    }

    #[test]
    fn date_times_keep_their_offset_and_default_to_utc() {
        let r = DateRange::resolve(
            Some("2026-10-01T09:00:00-07:00"),
            Some("2026-10-02T00:00:00"),
            now(),
        )
        .unwrap();
        assert_eq!(r.from, Utc.with_ymd_and_hms(2026, 10, 1, 16, 0, 0).unwrap());
        assert_eq!(r.to, Utc.with_ymd_and_hms(2026, 10, 2, 0, 0, 0).unwrap());
    }

    #[test]
    fn omitted_dates_mean_the_last_30_days() {
        let r = DateRange::resolve(None, None, now()).unwrap();
        assert!(r.defaulted);
        assert_eq!(r.to, now());
        assert_eq!(r.from, now() - chrono::Duration::days(30));
    }

    #[test]
    fn impossible_dates_name_the_argument() {
        for bad in [
            "2024-13-45",
            "99999-01-01",
            "1899-01-01",
            "yesterday",
            "2024-02-30",
            "",
        ] {
            let err = DateRange::resolve(Some(bad), None, now()).unwrap_err();
            assert!(err.to_string().contains("fromDate"), "{bad}: {err}");
        }
        let err = DateRange::resolve(None, Some("2026-02-30"), now()).unwrap_err();
        assert!(err.to_string().contains("toDate"));
        let err = DateRange::resolve(Some("2026-10-05"), Some("2026-10-01"), now()).unwrap_err();
        assert!(err.to_string().contains("must be before"), "{err}");
    }

    #[test]
    fn call_ids_accept_numbers_and_refuse_garbage() {
        let a: TranscriptArgs = serde_json::from_str(r#"{"callId": 7782342274025937895}"#).unwrap();
        assert_eq!(a.call_id, "7782342274025937895");
        assert!(serde_json::from_str::<TranscriptArgs>(r#"{"callId": true}"#).is_err());
        assert!(serde_json::from_str::<TranscriptArgs>(r#"{"callId": "1", "x": 1}"#).is_err());
        assert!(validate_call_id("callId", "12a").is_err());
        assert!(validate_call_id("callId", &"9".repeat(21)).is_err());
        assert!(validate_call_id("callId", "7782342274025937895").is_ok());
        let d: CallDetailsArgs = serde_json::from_str(r#"{"callIds": ["1", 2]}"#).unwrap();
        assert_eq!(d.call_ids.unwrap(), vec!["1", "2"]);
    }
}
