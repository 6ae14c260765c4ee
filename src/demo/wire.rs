//! JSON shapes exactly as Gong's API v2 sends them (field names from Gong's
//! OpenAPI spec). Empty optional fields are `null`, except on parties, where
//! Gong's own sample omits `userId`/`speakerId` for parties without them.

use chrono::{DateTime, FixedOffset, Offset, Utc};
use serde_json::{Map, Value, json};

use super::model::*;

/// ISO-8601 in the given offset; `Z` for UTC (as Java prints it), microseconds
/// only when the instant has a sub-second part.
pub(crate) fn timestamp(at: DateTime<Utc>, offset_secs: i32) -> String {
    let offset = FixedOffset::east_opt(offset_secs).unwrap_or(Utc.fix());
    let local = at.with_timezone(&offset);
    let base = if at.timestamp_subsec_nanos() == 0 {
        local.format("%Y-%m-%dT%H:%M:%S").to_string()
    } else {
        local.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
    };
    if offset_secs == 0 {
        format!("{base}Z")
    } else {
        format!("{base}{}", local.format("%:z"))
    }
}

/// Millisecond precision, as user `created` timestamps have.
pub(crate) fn timestamp_millis(at: DateTime<Utc>, offset_secs: i32) -> String {
    let offset = FixedOffset::east_opt(offset_secs).unwrap_or(Utc.fix());
    let local = at.with_timezone(&offset);
    let base = local.format("%Y-%m-%dT%H:%M:%S%.3f").to_string();
    if offset_secs == 0 {
        format!("{base}Z")
    } else {
        format!("{base}{}", local.format("%:z"))
    }
}

/// `records` block; `cursor` only while more pages remain.
pub(crate) fn records(
    total: usize,
    page_size: usize,
    page_number: u32,
    cursor: Option<String>,
) -> Value {
    let mut r = json!({
        "totalRecords": total,
        "currentPageSize": page_size,
        "currentPageNumber": page_number,
    });
    if let (Some(c), Some(obj)) = (cursor, r.as_object_mut()) {
        obj.insert("cursor".into(), Value::String(c));
    }
    r
}

/// `CallBasicData`.
pub(crate) fn call_meta(c: &Call) -> Value {
    json!({
        "id": c.id,
        "url": c.url,
        "title": c.title,
        "scheduled": timestamp(c.scheduled, c.utc_offset_secs),
        "started": timestamp(c.started, c.utc_offset_secs),
        "duration": c.duration,
        "primaryUserId": c.primary_user_id,
        "direction": c.direction,
        "system": c.system,
        "scope": c.scope,
        "media": c.media,
        "language": c.language,
        "workspaceId": c.workspace_id,
        "sdrDisposition": c.sdr_disposition,
        "clientUniqueId": c.client_unique_id,
        "customData": c.custom_data,
        "purpose": c.purpose,
        "meetingUrl": c.meeting_url,
        "isPrivate": c.is_private,
        "calendarEventId": c.calendar_event_id,
    })
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum ContextLevel {
    #[default]
    None,
    Basic,
    Extended,
}

/// What `contentSelector` asked for.
#[derive(Clone, Debug, Default)]
pub(crate) struct Selector {
    pub context: ContextLevel,
    pub parties: bool,
    pub structure: bool,
    pub topics: bool,
    pub trackers: bool,
    pub tracker_occurrences: bool,
    pub brief: bool,
    pub outline: bool,
    pub highlights: bool,
    pub call_outcome: bool,
    pub key_points: bool,
    pub speakers: bool,
    pub video: bool,
    pub person_interaction_stats: bool,
    pub questions: bool,
    pub public_comments: bool,
    pub media: bool,
}

fn crm_object(o: &CrmObject, level: ContextLevel) -> Value {
    let fields: Vec<Value> = if level == ContextLevel::Extended {
        o.fields
            .iter()
            .map(|(n, v)| json!({"name": n, "value": v}))
            .collect()
    } else {
        Vec::new()
    };
    json!({"objectType": o.object_type, "objectId": o.object_id, "fields": fields, "timing": "Now"})
}

fn party(p: &Party, level: ContextLevel) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(p.id));
    m.insert("emailAddress".into(), json!(p.email_address));
    m.insert("name".into(), json!(p.name));
    m.insert("title".into(), json!(p.title));
    if let Some(u) = &p.user_id {
        m.insert("userId".into(), json!(u));
    }
    if let Some(s) = &p.speaker_id {
        m.insert("speakerId".into(), json!(s));
    }
    if level != ContextLevel::None {
        let ctx: Vec<Value> = p
            .context
            .iter()
            .map(|o| json!({"system": "Salesforce", "objects": [crm_object(o, level)]}))
            .collect();
        m.insert("context".into(), Value::Array(ctx));
    }
    m.insert("affiliation".into(), json!(p.affiliation));
    m.insert("phoneNumber".into(), json!(p.phone_number));
    m.insert("methods".into(), json!(p.methods));
    Value::Object(m)
}

fn occurrences(list: &[Occurrence]) -> Value {
    list.iter()
        .map(|o| json!({"startTime": o.start_time, "speakerId": o.speaker_id}))
        .collect()
}

fn tracker(t: &Tracker, with_occurrences: bool) -> Value {
    let phrases: Vec<Value> = t
        .phrases
        .iter()
        .map(|p| {
            let mut v = json!({"count": p.count, "phrase": p.phrase});
            if with_occurrences && let Some(obj) = v.as_object_mut() {
                obj.insert("occurrences".into(), occurrences(&p.occurrences));
            }
            v
        })
        .collect();
    let mut v =
        json!({"id": t.id, "name": t.name, "count": t.count, "type": t.kind, "phrases": phrases});
    if with_occurrences && let Some(obj) = v.as_object_mut() {
        obj.insert("occurrences".into(), occurrences(&t.occurrences));
    }
    v
}

fn content(c: &Content, s: &Selector) -> Option<Value> {
    let mut m = Map::new();
    if s.structure {
        m.insert(
            "structure".into(),
            c.structure
                .iter()
                .map(|(n, d)| json!({"name": n, "duration": d}))
                .collect(),
        );
    }
    if s.trackers {
        m.insert(
            "trackers".into(),
            c.trackers
                .iter()
                .map(|t| tracker(t, s.tracker_occurrences))
                .collect(),
        );
    }
    if s.topics {
        m.insert(
            "topics".into(),
            c.topics
                .iter()
                .map(|(n, d)| json!({"name": n, "duration": d}))
                .collect(),
        );
    }
    if s.brief {
        m.insert("brief".into(), json!(c.brief));
    }
    if s.outline {
        let v = c.outline.as_ref().map(|o| {
            o.iter()
                .map(|sec| {
                    json!({
                        "section": sec.section,
                        "startTime": sec.start_time,
                        "duration": sec.duration,
                        "items": sec.items.iter().map(|(t, at)| json!({"text": t, "startTime": at})).collect::<Vec<_>>(),
                    })
                })
                .collect::<Vec<_>>()
        });
        m.insert("outline".into(), json!(v));
    }
    if s.highlights {
        let v = c.highlights.as_ref().map(|h| {
            h.iter()
                .map(|sec| {
                    json!({
                        "title": sec.title,
                        "items": sec.items.iter().map(|(t, at)| json!({"text": t, "startTimes": at})).collect::<Vec<_>>(),
                    })
                })
                .collect::<Vec<_>>()
        });
        m.insert("highlights".into(), json!(v));
    }
    if s.call_outcome {
        let v = c
            .call_outcome
            .as_ref()
            .map(|o| json!({"id": o.id, "category": o.category, "name": o.name}));
        m.insert("callOutcome".into(), json!(v));
    }
    if s.key_points {
        let v = c
            .key_points
            .as_ref()
            .map(|k| k.iter().map(|t| json!({"text": t})).collect::<Vec<_>>());
        m.insert("keyPoints".into(), json!(v));
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

fn interaction(i: &Interaction, talk_times: &[f64], s: &Selector) -> Option<Value> {
    let mut m = Map::new();
    if s.speakers {
        let v: Vec<Value> = i
            .speakers
            .iter()
            .zip(talk_times)
            .map(|(sp, talk)| json!({"id": sp.id, "userId": sp.user_id, "talkTime": talk}))
            .collect();
        m.insert("speakers".into(), Value::Array(v));
    }
    if s.person_interaction_stats {
        m.insert(
            "interactionStats".into(),
            i.stats
                .iter()
                .map(|(n, v)| json!({"name": n, "value": v}))
                .collect(),
        );
    }
    if s.video {
        m.insert(
            "video".into(),
            i.video
                .iter()
                .map(|(n, d)| json!({"name": n, "duration": d}))
                .collect(),
        );
    }
    if s.questions {
        m.insert(
            "questions".into(),
            json!({"companyCount": i.questions_company, "nonCompanyCount": i.questions_non_company}),
        );
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// One `CallData` of `/v2/calls/extensive`; blocks appear only when selected.
/// `ws`: the call's workspace, for the speakers' talk time (from the transcript).
pub(crate) fn call_extensive(ws: &Workspace, c: &Call, s: &Selector) -> Value {
    let mut m = Map::new();
    m.insert("metaData".into(), call_meta(c));
    if s.context != ContextLevel::None {
        let ctx: Vec<Value> = if c.context.is_empty() {
            Vec::new()
        } else {
            let objects: Vec<Value> = c.context.iter().map(|o| crm_object(o, s.context)).collect();
            vec![json!({"system": "Salesforce", "objects": objects})]
        };
        m.insert("context".into(), Value::Array(ctx));
    }
    if s.parties {
        m.insert(
            "parties".into(),
            c.parties.iter().map(|p| party(p, s.context)).collect(),
        );
    }
    if let Some(v) = content(&c.content, s) {
        m.insert("content".into(), v);
    }
    let talk_times = if s.speakers { ws.talk_times(c) } else { &[] };
    if let Some(v) = interaction(&c.interaction, talk_times, s) {
        m.insert("interaction".into(), v);
    }
    if s.public_comments {
        let comments: Vec<Value> = c
            .public_comments
            .iter()
            .map(|k| {
                json!({
                    "id": k.id,
                    "audioStartTime": k.audio_start_time,
                    "audioEndTime": k.audio_end_time,
                    "commenterUserId": k.commenter_user_id,
                    "comment": k.comment,
                    "posted": timestamp(k.posted, c.utc_offset_secs),
                    "inReplyTo": k.in_reply_to,
                    "duringCall": k.during_call,
                })
            })
            .collect();
        m.insert("collaboration".into(), json!({"publicComments": comments}));
    }
    if s.media {
        m.insert(
            "media".into(),
            json!({"audioUrl": c.media_urls.audio_url, "videoUrl": c.media_urls.video_url}),
        );
    }
    Value::Object(m)
}

pub(crate) fn transcript(call_id: &str, monologues: &[Monologue]) -> Value {
    let t: Vec<Value> = monologues
        .iter()
        .map(|m| {
            json!({
                "speakerId": m.speaker_id,
                "topic": m.topic,
                "sentences": m.sentences.iter().map(|s| json!({"start": s.start, "end": s.end, "text": s.text})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"callId": call_id, "transcript": t})
}

/// `UserMetadata`, including the `conferencingProviders: null` real Gong adds.
pub(crate) fn user(u: &User) -> Value {
    json!({
        "id": u.id,
        "emailAddress": u.email,
        "created": timestamp_millis(u.created, u.zone.offset_secs(u.created)),
        "active": u.active,
        "emailAliases": [],
        "trustedEmailAddress": null,
        "firstName": u.first_name,
        "lastName": u.last_name,
        "title": u.title,
        "phoneNumber": u.phone_number,
        "extension": null,
        "personalMeetingUrls": [],
        "settings": {
            "webConferencesRecorded": u.active,
            "preventWebConferenceRecording": false,
            "telephonyCallsImported": matches!(u.role, Role::SalesDevelopment),
            "emailsImported": false,
            "preventEmailImport": false,
            "nonRecordedMeetingsImported": false,
            "gongConnectEnabled": false,
        },
        "managerId": u.manager_id,
        "meetingConsentPageUrl": null,
        "conferencingProviders": null,
        "spokenLanguages": [{"language": "en-US", "primary": true}],
    })
}

/// Keys `Fault::NullsEverywhere` leaves alone: ids and the structure a
/// client needs to walk the response at all.
const KEEP: &[&str] = &[
    "requestId",
    "records",
    "totalRecords",
    "currentPageSize",
    "currentPageNumber",
    "cursor",
    "calls",
    "callTranscripts",
    "callId",
    "transcript",
    "sentences",
    "start",
    "end",
    "text",
    "metaData",
    "id",
    "users",
    "workspaces",
    "call",
    "user",
];

/// Nulls every optional field and adds fields no client knows (Gong may add
/// fields without warning).
pub(crate) fn nulls_everywhere(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, child) in m.iter_mut() {
                if KEEP.contains(&k.as_str()) {
                    nulls_everywhere(child);
                } else {
                    *child = Value::Null;
                }
            }
            m.insert(
                "futureField".into(),
                json!({"added": "by a newer Gong", "n": 1}),
            );
            m.insert("x_demoUnknown".into(), json!([1, "two", null]));
        }
        Value::Array(items) => items.iter_mut().for_each(nulls_everywhere),
        _ => {}
    }
}
