//! The JSON the synthetic Fathom answers with, in the shapes of Fathom's public API
//! (`/external/v1`): meeting items, transcript entries, summaries and errors.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

use super::data::{FakeEntry, FakeInvitee, FakeMeeting};
use super::limits::Quota;

/// What a list request asks to embed in each item.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Include {
    pub transcript: bool,
    pub summary: bool,
    pub action_items: bool,
    pub crm_matches: bool,
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn invitee(i: &FakeInvitee) -> Value {
    json!({
        "name": i.name,
        "matched_speaker_display_name": null,
        "email": i.email,
        "email_domain": i.domain(),
        "is_external": i.is_external,
    })
}

pub(crate) fn transcript(entries: &[FakeEntry]) -> Value {
    entries
        .iter()
        .map(|e| {
            json!({
                "speaker": {
                    "display_name": e.display_name,
                    "matched_calendar_invitee_email": e.matched_email,
                },
                "text": e.text,
                "timestamp": FakeMeeting::timestamp(e.seconds),
            })
        })
        .collect()
}

pub(crate) fn summary(m: &FakeMeeting) -> Value {
    json!({ "template_name": "general", "markdown_formatted": m.summary_markdown })
}

fn domains_type(m: &FakeMeeting) -> &'static str {
    if m.calendar_invitees.iter().any(|i| i.is_external) {
        "one_or_more_external"
    } else {
        "only_internal"
    }
}

pub(crate) fn meeting(m: &FakeMeeting, include: Include) -> Value {
    let mut v = json!({
        "title": m.title,
        "meeting_title": m.meeting_title,
        "recording_id": m.recording_id,
        "url": m.url,
        "share_url": m.share_url,
        "created_at": time(m.created_at),
        "scheduled_start_time": time(m.scheduled_start_time),
        "scheduled_end_time": time(m.scheduled_end_time),
        "recording_start_time": time(m.recording_start_time),
        "recording_end_time": time(m.recording_end_time),
        "calendar_invitees_domains_type": domains_type(m),
        "transcript_language": "en",
        "calendar_invitees": m.calendar_invitees.iter().map(invitee).collect::<Vec<_>>(),
        "recorded_by": {
            "name": m.recorded_by.name,
            "email": m.recorded_by.email,
            "email_domain": m.recorded_by.domain(),
            "team": "Sales",
        },
    });
    if include.transcript {
        v["transcript"] = transcript(&m.transcript);
    }
    if include.summary {
        v["default_summary"] = summary(m);
    }
    if include.action_items {
        v["action_items"] = m
            .action_items
            .iter()
            .map(|a| {
                json!({
                    "description": a.description,
                    "user_generated": false,
                    "completed": false,
                    "recording_timestamp": FakeMeeting::timestamp(a.seconds),
                    "recording_playback_url": format!("{}?timestamp={}", m.url, a.seconds),
                    "assignee": { "name": a.assignee.name, "email": a.assignee.email, "team": null },
                })
            })
            .collect();
    }
    if include.crm_matches {
        v["crm_matches"] = Value::Null;
    }
    v
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    res
}

pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "message": message }))
}

pub(crate) fn unauthorized() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "Unauthorized: invalid or missing API key (X-Api-Key)",
    )
}

pub(crate) fn html_error(status: StatusCode) -> Response {
    let mut res = (
        status,
        format!(
            "<html><head><title>{0}</title></head><body><h1>{0}</h1></body></html>",
            status
        ),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    res
}

/// `RateLimit-*` on an answer (not when unlimited).
pub(crate) fn with_quota(mut res: Response, q: Quota) -> Response {
    if q.limit > 0 {
        let h = res.headers_mut();
        h.insert("ratelimit-limit", HeaderValue::from(q.limit));
        h.insert("ratelimit-remaining", HeaderValue::from(q.remaining));
        h.insert("ratelimit-reset", HeaderValue::from(q.reset_secs));
    }
    res
}

pub(crate) fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut res = error(
        StatusCode::TOO_MANY_REQUESTS,
        "Rate limit exceeded: 60 requests per minute",
    );
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(retry_after_secs.max(1)),
    );
    res
}

/// A 200 whose body is not JSON at all (a cut or corrupted answer).
pub(crate) fn json_response_raw(body: &'static str) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    res
}
