//! Fireflies' GraphQL answers as this server reads them: lenient (a field of an unexpected shape
//! is empty, never a failed page) and only what the tools use.

use serde::Deserialize;

use crate::upstream::lenient;

/// A GraphQL answer: `data` and/or `errors`.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Envelope<T> {
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub data: Option<T>,
    #[serde(default, deserialize_with = "lenient::objects")]
    pub errors: Vec<GraphqlError>,
}

#[derive(Debug, Default, Deserialize)]
pub struct GraphqlError {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient::object_or_default")]
    pub extensions: Extensions,
}

#[derive(Debug, Default, Deserialize)]
pub struct Extensions {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub code: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub status: Option<f64>,
    #[serde(default, deserialize_with = "lenient::object_or_default")]
    pub metadata: Metadata,
}

#[derive(Debug, Default, Deserialize)]
pub struct Metadata {
    /// In Fireflies' example, the Unix time in milliseconds when a request is allowed again.
    #[serde(default, rename = "retryAfter", deserialize_with = "lenient::opt_f64")]
    pub retry_after: Option<f64>,
}

/// `data` of a `transcripts(...)` query.
#[derive(Debug, Default, Deserialize)]
pub struct TranscriptsData {
    #[serde(default, deserialize_with = "lenient::objects")]
    pub transcripts: Vec<TranscriptItem>,
}

/// `data` of a `transcript(id:)` query (`null` when there is none).
#[derive(Debug, Default, Deserialize)]
pub struct TranscriptData {
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub transcript: Option<FullTranscript>,
}

/// A meeting as `transcripts(...)` lists it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TranscriptItem {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    /// Start, in milliseconds since the Unix epoch (Fireflies' `date`).
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub date: Option<f64>,
    /// Start as an ISO string, when `date` is unreadable.
    #[serde(
        default,
        rename = "dateString",
        deserialize_with = "lenient::opt_string"
    )]
    pub date_string: Option<String>,
    /// Length; Fireflies reports minutes (see [`duration_seconds`]).
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub duration: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub organizer_email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub host_email: Option<String>,
    #[serde(default, deserialize_with = "lenient::strings")]
    pub participants: Vec<String>,
    #[serde(default, deserialize_with = "lenient::objects")]
    pub meeting_attendees: Vec<Attendee>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub transcript_url: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Attendee {
    #[serde(
        default,
        rename = "displayName",
        deserialize_with = "lenient::opt_string"
    )]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

/// One meeting with its words, from `transcript(id:)`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FullTranscript {
    #[serde(flatten)]
    pub item: TranscriptItem,
    #[serde(default, deserialize_with = "lenient::objects")]
    pub sentences: Vec<WireSentence>,
    #[serde(default, deserialize_with = "lenient::objects")]
    pub speakers: Vec<Speaker>,
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub summary: Option<Summary>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct WireSentence {
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub index: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub speaker_name: Option<String>,
    /// An integer in Fireflies' schema; read as text.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub speaker_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub text: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub raw_text: Option<String>,
    /// Seconds from the start of the meeting.
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub start_time: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub end_time: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Speaker {
    #[serde(default, deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Summary {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub overview: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub short_summary: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub action_items: Option<String>,
    #[serde(default, deserialize_with = "lenient::strings")]
    pub keywords: Vec<String>,
}

/// The longest meeting taken as real: anything longer is a unit mix-up or corruption.
const MAX_MINUTES: f64 = 24.0 * 60.0;

/// Seconds from Fireflies' `duration`. Fireflies documents minutes; a value longer than a day in
/// minutes cannot be a meeting, so it is read as seconds instead.
pub fn duration_seconds(duration: f64) -> Option<f64> {
    if !duration.is_finite() || duration < 0.0 {
        None
    } else if duration <= MAX_MINUTES {
        Some(duration * 60.0)
    } else if duration <= MAX_MINUTES * 60.0 {
        Some(duration)
    } else {
        None
    }
}

/// The start time from `date` (milliseconds; seconds if small) or `dateString`.
pub fn started(item: &TranscriptItem) -> Option<chrono::DateTime<chrono::Utc>> {
    let from_number = item
        .date
        .filter(|d| d.is_finite() && *d > 0.0)
        .and_then(|d| {
            // Below 1e11 a Unix time in milliseconds would be before 1973: it is seconds.
            let ms = if d < 1e11 { d * 1000.0 } else { d };
            chrono::DateTime::from_timestamp_millis(ms as i64)
        });
    from_number.or_else(|| {
        item.date_string
            .as_deref()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s.trim()).ok())
            .map(|d| d.with_timezone(&chrono::Utc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_shapes_decode_leniently() {
        let body = r#"{"data":{"transcripts":[{"id":"A1","title":null,"date":"1764000000000","duration":31.5,"participants":"ana@x.com","meeting_attendees":[{"displayName":"Ana","email":"ana@x.com"},7]},"junk",{"id":2,"date":1764000000,"dateString":"2025-11-24T16:00:00Z"}]}}"#;
        let env: Envelope<TranscriptsData> = serde_json::from_str(body).unwrap();
        let items = env.data.unwrap().transcripts;
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].participants, vec!["ana@x.com"]);
        assert_eq!(items[0].meeting_attendees.len(), 1);
        assert_eq!(items[1].id, "2");
        assert_eq!(started(&items[0]), started(&items[1]));
        assert_eq!(duration_seconds(31.5), Some(1890.0));
        assert_eq!(duration_seconds(5400.0), Some(5400.0));
        assert_eq!(duration_seconds(-1.0), None);
    }

    #[test]
    fn errors_carry_code_and_retry_after() {
        let body = r#"{"data":null,"errors":[{"message":"Too many requests","extensions":{"code":"too_many_requests","status":429,"metadata":{"retryAfter":1764000000000}}}]}"#;
        let env: Envelope<TranscriptsData> = serde_json::from_str(body).unwrap();
        assert!(env.data.is_none());
        let e = &env.errors[0];
        assert_eq!(e.extensions.code.as_deref(), Some("too_many_requests"));
        assert_eq!(e.extensions.metadata.retry_after, Some(1764000000000.0));
    }
}
