//! The API listener: routing under `/external/v1`, `X-Api-Key` authentication, the per-key rate
//! limit, scripted faults, then the endpoint's work.
//!
//! Order: route (unknown path 404, wrong method 405, even without a key), authenticate (401),
//! count, scripted fault (wins over the limiter), rate limit (429), work. Every authenticated
//! answer carries `RateLimit-*`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::json;
use tokio::time::Instant;

use super::data::FakeMeeting;
use super::faults::{FathomEndpoint, FathomFault, FathomFaults, FathomStats};
use super::limits::RateLimiter;
use super::wire::{self, Include};
use crate::demo::conn::ConnHandle;

pub(crate) const BASE_PATH: &str = "/external/v1";

pub(crate) struct Tenant {
    pub api_key: String,
    /// Short tag cursors carry, so one tenant's cursor is refused for another.
    pub tag: String,
    /// Newest first.
    pub meetings: Vec<FakeMeeting>,
    pub by_id: HashMap<u64, usize>,
    pub limiter: RateLimiter,
}

pub(crate) struct AppState {
    pub tenants: HashMap<String, Tenant>,
    pub stats: FathomStats,
    pub faults: FathomFaults,
    pub page_size: usize,
}

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

enum Route {
    Found(FathomEndpoint, Option<String>),
    NotFound,
    MethodNotAllowed,
}

fn route(method: &Method, path: &str) -> Route {
    let Some(rest) = path
        .strip_prefix(BASE_PATH)
        .and_then(|r| r.strip_prefix('/'))
    else {
        return Route::NotFound;
    };
    let found = match rest.split('/').collect::<Vec<_>>().as_slice() {
        ["meetings"] => Route::Found(FathomEndpoint::ListMeetings, None),
        ["recordings", id, "transcript"] if !id.is_empty() => {
            Route::Found(FathomEndpoint::Transcript, Some((*id).to_owned()))
        }
        ["recordings", id, "summary"] if !id.is_empty() => {
            Route::Found(FathomEndpoint::Summary, Some((*id).to_owned()))
        }
        _ => Route::NotFound,
    };
    match found {
        Route::Found(..) if method != Method::GET => Route::MethodNotAllowed,
        other => other,
    }
}

fn authenticate<'a>(state: &'a AppState, headers: &HeaderMap) -> Option<&'a Tenant> {
    let key = headers.get("x-api-key")?.to_str().ok()?;
    state.tenants.get(key)
}

async fn handle(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    request: Request,
) -> Response {
    let (endpoint, id) = match route(request.method(), request.uri().path()) {
        Route::Found(e, id) => (e, id),
        Route::NotFound => return wire::error(StatusCode::NOT_FOUND, "Not found"),
        Route::MethodNotAllowed => {
            return wire::error(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed");
        }
    };
    let Some(tenant) = authenticate(&state, request.headers()) else {
        state.stats.count_unauthorized();
        return wire::unauthorized();
    };
    state.stats.count(&tenant.api_key, endpoint);
    let fault = state.faults.take(&tenant.api_key, endpoint);
    if let Some(FathomFault::Delay(d)) = &fault {
        tokio::time::sleep(*d).await;
    }
    let quota = tenant.limiter.admit(Instant::now());
    let answer = match fault {
        Some(FathomFault::ServerError) => {
            wire::error(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
        }
        Some(FathomFault::HtmlError { status }) => {
            wire::html_error(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY))
        }
        Some(FathomFault::TooManyRequests { retry_after_secs }) => {
            let mut q = quota;
            q.remaining = 0;
            q.reset_secs = retry_after_secs.max(1);
            return wire::with_quota(wire::too_many_requests(retry_after_secs), q);
        }
        Some(FathomFault::MalformedJson) => {
            wire::json_response_raw("{\"items\": [{\"recording_id\": 12, \"title\": ")
        }
        Some(FathomFault::WrongShape) => wire::json_response(
            StatusCode::OK,
            &json!({"items": {"oops": true}, "transcript": 7}),
        ),
        Some(FathomFault::ResetConnection) => {
            conn.kill();
            wire::error(StatusCode::INTERNAL_SERVER_ERROR, "reset")
        }
        Some(FathomFault::Delay(_)) | None if !quota.admitted => {
            wire::too_many_requests(quota.reset_secs)
        }
        Some(FathomFault::Delay(_)) | None => {
            let query = request.uri().query().unwrap_or_default();
            match endpoint {
                FathomEndpoint::ListMeetings => list(&state, tenant, query),
                FathomEndpoint::Transcript | FathomEndpoint::Summary => {
                    recording(tenant, endpoint, id.as_deref().unwrap_or_default())
                }
            }
        }
    };
    wire::with_quota(answer, quota)
}

fn recording(tenant: &Tenant, endpoint: FathomEndpoint, id: &str) -> Response {
    let meeting = id
        .parse::<u64>()
        .ok()
        .and_then(|id| tenant.by_id.get(&id))
        .and_then(|&i| tenant.meetings.get(i));
    let Some(m) = meeting else {
        return wire::error(StatusCode::NOT_FOUND, "Recording not found");
    };
    let body = match endpoint {
        FathomEndpoint::Summary => json!({ "summary": wire::summary(m) }),
        _ => json!({ "transcript": wire::transcript(&m.transcript) }),
    };
    wire::json_response(StatusCode::OK, &body)
}

/// The filters of one `GET /meetings`.
#[derive(Default)]
struct ListQuery {
    created_after: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
    invitees: Vec<String>,
    domains: Vec<String>,
    domains_type: Option<String>,
    recorded_by: Vec<String>,
    include: Include,
    cursor: Option<String>,
    /// Every filter input, for the cursor's check.
    fingerprint: Vec<(String, String)>,
}

fn parse(query: &str) -> Result<ListQuery, String> {
    let mut q = ListQuery::default();
    let flag = |name: &str, v: &str| match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("{name} must be true or false")),
    };
    let time = |name: &str, v: &str| {
        DateTime::parse_from_rfc3339(v)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| format!("{name} must be an ISO 8601 timestamp, e.g. 2025-01-01T00:00:00Z"))
    };
    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
        let (k, v) = (k.into_owned(), v.into_owned());
        match k.as_str() {
            "cursor" => {
                q.cursor = Some(v);
                continue;
            }
            "created_after" => q.created_after = Some(time(&k, &v)?),
            "created_before" => q.created_before = Some(time(&k, &v)?),
            "calendar_invitees[]" | "calendar_invitees" => q.invitees.push(v.to_lowercase()),
            "calendar_invitees_domains[]" | "calendar_invitees_domains" => {
                q.domains.push(v.to_lowercase())
            }
            "calendar_invitees_domains_type" => {
                if !["all", "only_internal", "one_or_more_external"].contains(&v.as_str()) {
                    return Err("calendar_invitees_domains_type must be all, only_internal or one_or_more_external".into());
                }
                q.domains_type = Some(v.clone());
            }
            "recorded_by[]" | "recorded_by" => q.recorded_by.push(v.to_lowercase()),
            "include_transcript" => q.include.transcript = flag(&k, &v)?,
            "include_summary" => q.include.summary = flag(&k, &v)?,
            "include_action_items" => q.include.action_items = flag(&k, &v)?,
            "include_crm_matches" => q.include.crm_matches = flag(&k, &v)?,
            _ => {}
        }
        if !k.starts_with("include_") {
            q.fingerprint.push((k, v));
        }
    }
    q.fingerprint.sort();
    Ok(q)
}

impl ListQuery {
    fn keeps(&self, m: &FakeMeeting) -> bool {
        let domain_of = |e: &str| e.rsplit('@').next().unwrap_or_default().to_lowercase();
        self.created_after.is_none_or(|t| m.created_at >= t)
            && self.created_before.is_none_or(|t| m.created_at < t)
            && (self.invitees.is_empty() || self.invitees.iter().any(|e| m.invited(e)))
            && (self.domains.is_empty()
                || m.calendar_invitees
                    .iter()
                    .any(|i| self.domains.contains(&domain_of(&i.email))))
            && (self.recorded_by.is_empty()
                || self
                    .recorded_by
                    .contains(&m.recorded_by.email.to_lowercase()))
            && match self.domains_type.as_deref() {
                Some("only_internal") => m.calendar_invitees.iter().all(|i| !i.is_external),
                Some("one_or_more_external") => m.calendar_invitees.iter().any(|i| i.is_external),
                _ => true,
            }
    }

    fn hash(&self) -> u64 {
        // FNV-1a over the filter inputs.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (k, v) in &self.fingerprint {
            for b in k.bytes().chain([0]).chain(v.bytes()).chain([1]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x100_0000_01b3);
            }
        }
        h
    }
}

fn list(state: &AppState, tenant: &Tenant, raw: &str) -> Response {
    let q = match parse(raw) {
        Ok(q) => q,
        Err(message) => return wire::error(StatusCode::BAD_REQUEST, &message),
    };
    let offset = match &q.cursor {
        None => 0,
        Some(c) => match decode_cursor(c, &tenant.tag, q.hash()) {
            Some(o) => o,
            None => {
                return wire::error(
                    StatusCode::BAD_REQUEST,
                    "Invalid cursor: pass next_cursor unchanged, with the same filters",
                );
            }
        },
    };
    let matching: Vec<&FakeMeeting> = tenant.meetings.iter().filter(|m| q.keeps(m)).collect();
    let page: Vec<serde_json::Value> = matching
        .iter()
        .skip(offset)
        .take(state.page_size)
        .map(|m| wire::meeting(m, q.include))
        .collect();
    let end = offset + page.len();
    let next = (end < matching.len()).then(|| encode_cursor(&tenant.tag, q.hash(), end));
    wire::json_response(
        StatusCode::OK,
        &json!({ "limit": state.page_size, "next_cursor": next, "items": page }),
    )
}

fn encode_cursor(tag: &str, hash: u64, offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("{tag}.{hash:x}.{offset}"))
}

fn decode_cursor(raw: &str, tag: &str, hash: u64) -> Option<usize> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(raw).ok()?).ok()?;
    let mut parts = text.split('.');
    let (t, h, o) = (parts.next()?, parts.next()?, parts.next()?);
    (t == tag && h == format!("{hash:x}")).then_some(())?;
    o.parse().ok()
}
