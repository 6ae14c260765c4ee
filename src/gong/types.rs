//! Gong's wire format, read leniently.
//!
//! Gong documents that it may add fields without warning, sends `null` for empty fields, and
//! mixes string and numeric ids (`../shared/gong/API-NOTES.md` §2). Every struct here therefore
//! ignores unknown fields, treats `null` like a missing value, and accepts ids as strings or
//! numbers. Only the fields the tools use are modelled.

use serde::{Deserialize, Serialize};

use crate::upstream::lenient;

pub use crate::upstream::lenient::MAX_OFFSET_MS;

/// `records` of every paged Gong list response. `cursor` is present only when more remain.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Records {
    #[serde(deserialize_with = "lenient::lenient_u64")]
    pub total_records: u64,
    #[serde(deserialize_with = "lenient::lenient_u64")]
    pub current_page_size: u64,
    #[serde(deserialize_with = "lenient::lenient_u64")]
    pub current_page_number: u64,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub cursor: Option<String>,
}

/// `GET /v2/calls` response.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallsPage {
    pub records: Records,
    #[serde(deserialize_with = "lenient::objects")]
    pub calls: Vec<CallMeta>,
}

/// Gong's `CallBasicData`: the metadata of one call, the fields this server shows or filters on
/// (the others, such as `scheduled`, `media`, `purpose` and `meetingUrl`, are skipped unread).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallMeta {
    #[serde(deserialize_with = "lenient::id")]
    pub id: String,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub started: Option<String>,
    /// Seconds.
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub duration: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub primary_user_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub direction: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub system: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub scope: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub language: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub workspace_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_private: Option<bool>,
}

/// `POST /v2/calls/extensive` response.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExtensivePage {
    pub records: Records,
    #[serde(deserialize_with = "lenient::objects")]
    pub calls: Vec<ExtensiveCall>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExtensiveCall {
    pub meta_data: CallMeta,
    #[serde(deserialize_with = "lenient::objects")]
    pub context: Vec<CrmContext>,
    #[serde(deserialize_with = "lenient::objects")]
    pub parties: Vec<Party>,
    #[serde(deserialize_with = "lenient::object_or_default")]
    pub content: Content,
    #[serde(deserialize_with = "lenient::object_or_default")]
    pub interaction: Interaction,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CrmContext {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub system: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub objects: Vec<CrmObject>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CrmObject {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub object_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub object_id: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub fields: Vec<CrmField>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CrmField {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Any JSON type in Gong's spec.
    pub value: serde_json::Value,
}

/// A participant of a call. `speaker_id` is set only for parties who spoke; it is the join key
/// for transcript monologues.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Party {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub email_address: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub user_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub speaker_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub affiliation: Option<String>,
    #[serde(deserialize_with = "lenient::strings")]
    pub methods: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Content {
    #[serde(deserialize_with = "lenient::objects")]
    pub structure: Vec<NamedDuration>,
    #[serde(deserialize_with = "lenient::objects")]
    pub topics: Vec<NamedDuration>,
    #[serde(deserialize_with = "lenient::objects")]
    pub trackers: Vec<Tracker>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub brief: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub outline: Vec<OutlineSection>,
    #[serde(deserialize_with = "lenient::objects")]
    pub highlights: Vec<Highlight>,
    #[serde(deserialize_with = "lenient::opt_object")]
    pub call_outcome: Option<CallOutcome>,
    #[serde(deserialize_with = "lenient::objects")]
    pub key_points: Vec<TextItem>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NamedDuration {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    /// Seconds.
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub duration: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Tracker {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub count: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_string", rename = "type")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub phrases: Vec<TrackerPhrase>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TrackerPhrase {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub phrase: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub count: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OutlineSection {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub section: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub start_time: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub duration: Option<f64>,
    #[serde(deserialize_with = "lenient::objects")]
    pub items: Vec<TextItem>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Highlight {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub items: Vec<TextItem>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TextItem {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CallOutcome {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub category: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Interaction {
    #[serde(deserialize_with = "lenient::objects")]
    pub speakers: Vec<SpeakerTalkTime>,
    #[serde(deserialize_with = "lenient::objects")]
    pub interaction_stats: Vec<NamedValue>,
    #[serde(deserialize_with = "lenient::opt_object")]
    pub questions: Option<Questions>,
}

/// `interaction.speakers[]`: `id` is the **party** id, not the transcript speaker id.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SpeakerTalkTime {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub user_id: Option<String>,
    /// Seconds.
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub talk_time: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct NamedValue {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub value: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Questions {
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub company_count: Option<f64>,
    #[serde(deserialize_with = "lenient::opt_f64")]
    pub non_company_count: Option<f64>,
}

/// `POST /v2/calls/transcript` response.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TranscriptPage {
    pub records: Records,
    #[serde(deserialize_with = "lenient::objects")]
    pub call_transcripts: Vec<CallTranscript>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallTranscript {
    #[serde(deserialize_with = "lenient::id")]
    pub call_id: String,
    #[serde(deserialize_with = "lenient::objects")]
    pub transcript: Vec<Monologue>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Monologue {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub speaker_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub topic: Option<String>,
    #[serde(deserialize_with = "lenient::objects")]
    pub sentences: Vec<Sentence>,
}

/// `start`/`end` are milliseconds from the start of the call (unlike every other Gong time).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct Sentence {
    #[serde(deserialize_with = "lenient::millis")]
    pub start: u64,
    #[serde(deserialize_with = "lenient::millis")]
    pub end: u64,
    #[serde(deserialize_with = "lenient::string_or_empty")]
    pub text: String,
}

/// Gong's error body: `{"requestId": "...", "errors": ["..."]}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ErrorBody {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub request_id: Option<String>,
    #[serde(deserialize_with = "lenient::strings")]
    pub errors: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_numbers_nulls_and_unknown_fields_are_accepted() {
        let page: ExtensivePage = serde_json::from_str(
            r#"{"requestId":"r","records":{"totalRecords":"2","currentPageSize":2,"currentPageNumber":0,"cursor":null},
                "calls":[{"metaData":{"id":7782342274025937895,"title":null,"duration":460.0,"brandNew":{"x":1}},
                          "parties":null,"content":null,"interaction":{"speakers":[{"id":12,"talkTime":"31.5"}]}},
                         {"metaData":{"id":"17","isPrivate":false},"parties":[{"speakerId":99,"name":"A"},"garbage"]}]}"#,
        )
        .unwrap();
        assert_eq!(page.records.total_records, 2);
        assert_eq!(page.records.cursor, None);
        assert_eq!(page.calls[0].meta_data.id, "7782342274025937895");
        assert_eq!(page.calls[0].meta_data.title, None);
        assert_eq!(page.calls[0].meta_data.duration, Some(460.0));
        assert!(page.calls[0].parties.is_empty());
        assert_eq!(page.calls[0].interaction.speakers[0].talk_time, Some(31.5));
        assert_eq!(page.calls[1].parties.len(), 1);
        assert_eq!(page.calls[1].parties[0].speaker_id.as_deref(), Some("99"));
        assert_eq!(page.calls[1].meta_data.is_private, Some(false));
    }

    #[test]
    fn transcript_times_stay_milliseconds_and_null_speaker_is_kept() {
        let page: TranscriptPage = serde_json::from_str(
            r#"{"callTranscripts":[{"callId":"1","transcript":[{"speakerId":null,"topic":null,
                "sentences":[{"start":460230,"end":462343,"text":"No wait."}]}]}]}"#,
        )
        .unwrap();
        let m = &page.call_transcripts[0].transcript[0];
        assert_eq!(m.speaker_id, None);
        assert_eq!(m.sentences[0].start, 460_230);
        assert_eq!(m.sentences[0].text, "No wait.");
    }

    #[test]
    fn absurd_sentence_times_are_clamped_so_sums_cannot_overflow() {
        // Found by fuzz/fuzz_targets/transcript_build.rs: u64::MAX-sized times overflowed the
        // per-speaker talk time sum.
        let page: TranscriptPage = serde_json::from_str(
            r#"{"callTranscripts":[{"callId":"1","transcript":[{"speakerId":"1",
                "sentences":[{"start":-5,"end":1.5e80,"text":"a"},{"start":"0","end":1e30,"text":"b"}]}]}]}"#,
        )
        .unwrap();
        let s = &page.call_transcripts[0].transcript[0].sentences;
        assert_eq!((s[0].start, s[0].end), (0, lenient::MAX_OFFSET_MS));
        assert_eq!(s[1].end, lenient::MAX_OFFSET_MS);
        let total: u64 = s.iter().map(|s| s.end - s.start).sum();
        assert_eq!(total, 2 * lenient::MAX_OFFSET_MS);
    }
}
