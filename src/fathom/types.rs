//! Fathom's wire types, decoded leniently: a field of an unexpected shape (a number for a
//! string, `null` for a list) is absent rather than a failed page; only a body whose frame is
//! wrong (no `items` list, no `transcript` list) is malformed.

use serde::Deserialize;

use crate::upstream::lenient;

/// `GET /meetings`: `{items, next_cursor, limit}`.
#[derive(Debug, Deserialize)]
pub struct MeetingsPage {
    pub items: Vec<Item<Meeting>>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub next_cursor: Option<String>,
}

/// One list item: the value, or `None` when it was not an object.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Item<T: for<'a> Deserialize<'a>>(
    #[serde(deserialize_with = "lenient::opt_object")] pub Option<T>,
);

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Meeting {
    /// Fathom's `recording_id` (a number on the wire), as the tools' `meetingId`.
    #[serde(default, deserialize_with = "lenient::id")]
    pub recording_id: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub meeting_title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub share_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scheduled_start_time: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub scheduled_end_time: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub recording_start_time: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub recording_end_time: Option<String>,
    #[serde(default, deserialize_with = "lenient::objects")]
    pub calendar_invitees: Vec<Invitee>,
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub recorded_by: Option<Person>,
    /// Present with `include_transcript=true`.
    #[serde(default, deserialize_with = "lenient::objects")]
    pub transcript: Vec<Entry>,
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub default_summary: Option<Summary>,
    #[serde(default, deserialize_with = "lenient::objects")]
    pub action_items: Vec<ActionItem>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Invitee {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub is_external: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Person {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub team: Option<String>,
}

/// One transcript entry: a speaker's turn.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Entry {
    #[serde(default, deserialize_with = "lenient::object_or_default")]
    pub speaker: Speaker,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub text: String,
    /// `HH:MM:SS` from the start of the recording.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub timestamp: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Speaker {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub matched_calendar_invitee_email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Summary {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub template_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub markdown_formatted: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionItem {
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    pub description: String,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub completed: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub recording_timestamp: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub assignee: Option<Person>,
}

/// `GET /recordings/{id}/transcript`.
#[derive(Debug, Deserialize)]
pub struct TranscriptBody {
    pub transcript: Vec<Item<Entry>>,
}

/// `GET /recordings/{id}/summary`.
#[derive(Debug, Deserialize)]
pub struct SummaryBody {
    #[serde(default, deserialize_with = "lenient::opt_object")]
    pub summary: Option<Summary>,
}

/// An error body: `{message}` or `{error}`, whichever Fathom sends.
#[derive(Debug, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
}

impl ErrorBody {
    pub fn text(&self) -> Option<&str> {
        self.message.as_deref().or(self.error.as_deref())
    }
}

/// Seconds from `HH:MM:SS`, `MM:SS` or plain seconds; `None` when unreadable.
pub fn parse_timestamp(raw: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let parts: Vec<&str> = raw.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    for (i, part) in parts.iter().enumerate() {
        let value: f64 = part.trim().parse().ok()?;
        if !value.is_finite() || value < 0.0 {
            return None;
        }
        // Only the last part may carry a fraction.
        let whole = if i + 1 == parts.len() {
            value.floor()
        } else {
            value
        };
        total = total.checked_mul(60)?.checked_add(whole as u64)?;
    }
    Some(total.min(crate::upstream::lenient::MAX_OFFSET_MS / 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_in_every_shape_fathom_may_send() {
        assert_eq!(parse_timestamp("00:05:32"), Some(332));
        assert_eq!(parse_timestamp("1:02:03"), Some(3723));
        assert_eq!(parse_timestamp("05:32"), Some(332));
        assert_eq!(parse_timestamp("42"), Some(42));
        assert_eq!(parse_timestamp("soon"), None);
        assert_eq!(parse_timestamp("-1:00"), None);
    }

    #[test]
    fn odd_fields_are_absent_but_a_wrong_frame_is_an_error() {
        let page: MeetingsPage = serde_json::from_str(
            r#"{"items":[{"recording_id":123,"title":7,"calendar_invitees":null,"transcript":{"x":1}},"junk"],"next_cursor":null,"limit":10}"#,
        )
        .unwrap();
        assert_eq!(page.items.len(), 2);
        let m = page.items[0].0.as_ref().unwrap();
        assert_eq!(m.recording_id, "123");
        assert_eq!(m.title.as_deref(), Some("7"));
        assert!(m.calendar_invitees.is_empty() && m.transcript.is_empty());
        assert!(page.items[1].0.is_none());
        assert!(serde_json::from_str::<MeetingsPage>(r#"{"items":{"oops":true}}"#).is_err());
        assert!(serde_json::from_str::<TranscriptBody>(r#"{"transcript":7}"#).is_err());
    }
}
