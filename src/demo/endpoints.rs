//! Request validation, filtering and paging for each endpoint. Handlers return
//! the JSON body (without `requestId`) or an `ApiError`; `server.rs` turns
//! either into an HTTP response.

use std::collections::HashMap;

use axum::http::StatusCode;
use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Value, json};

use super::cursor::{self, Cursor, CursorError};
use super::model::{Call, Workspace};
use super::stats::{Endpoint, Stats};
use super::wire::{self, ContextLevel, Selector};

/// Gong's page size: fixed, not configurable.
pub const PAGE_SIZE: usize = 100;
pub(crate) const NO_CALLS: &str = "No calls found corresponding to the provided filters";
pub(crate) const JSON_PARSE: &str =
    "Json parse error, verify Json format matches the API description.";

#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub messages: Vec<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, msg: impl Into<String>) -> Self {
        ApiError {
            status,
            messages: vec![msg.into()],
        }
    }
    fn bad(msg: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, msg)
    }
    fn no_calls() -> Self {
        Self::new(StatusCode::NOT_FOUND, NO_CALLS)
    }
}

/// What a handler needs to know about the calling tenant.
pub(crate) struct TenantCtx<'a> {
    pub access_key: &'a str,
    /// Hash of the access key; cursors carry it instead of the key.
    pub tag: &'a str,
    pub workspace: &'a Workspace,
    pub stats: &'a Stats,
}

#[derive(Debug, Default)]
struct CallFilter {
    from: Option<DateTime<FixedOffset>>,
    to: Option<DateTime<FixedOffset>>,
    workspace_id: Option<String>,
    call_ids: Option<Vec<String>>,
    primary_user_ids: Option<Vec<String>>,
}

impl CallFilter {
    fn matches(&self, c: &Call) -> bool {
        self.from.is_none_or(|f| c.started >= f)
            && self.to.is_none_or(|t| c.started < t)
            && self
                .workspace_id
                .as_ref()
                .is_none_or(|w| *w == c.workspace_id)
            && self
                .primary_user_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(&c.primary_user_id))
    }

    /// The calls it selects, in start order; `callIds` picks known ids only.
    fn select<'a>(&self, ws: &'a Workspace) -> Vec<&'a Call> {
        match &self.call_ids {
            Some(ids) => {
                let mut calls: Vec<&Call> = ids
                    .iter()
                    .filter_map(|id| ws.call(id))
                    .filter(|c| self.matches(c))
                    .collect();
                calls.sort_by_key(|c| c.started);
                calls.dedup_by(|a, b| a.id == b.id);
                calls
            }
            None => ws.calls.iter().filter(|c| self.matches(c)).collect(),
        }
    }

    /// Canonical form for binding cursors to "the same request inputs".
    fn fingerprint(&self, endpoint: Endpoint) -> String {
        cursor::short_hash(&format!(
            "{endpoint}|{:?}|{:?}|{:?}|{:?}|{:?}",
            self.from.map(|d| d.timestamp_micros()),
            self.to.map(|d| d.timestamp_micros()),
            self.workspace_id,
            self.call_ids,
            self.primary_user_ids
        ))
    }
}

fn parse_date(field: &str, raw: &str) -> Result<DateTime<FixedOffset>, ApiError> {
    DateTime::parse_from_rfc3339(raw.trim()).map_err(|_| {
        let hint = if raw.contains(' ') { " (a '+' in a query string must be sent as %2B)" } else { "" };
        ApiError::bad(format!(
            "{field}: '{raw}' is not a valid ISO-8601 date-time such as 2018-02-18T02:30:00-07:00{hint}"
        ))
    })
}

fn check_range(f: &CallFilter) -> Result<(), ApiError> {
    if let (Some(from), Some(to)) = (f.from, f.to)
        && from >= to
    {
        return Err(ApiError::bad(
            "filter.fromDateTime: must be before toDateTime",
        ));
    }
    Ok(())
}

/// Pages `items` (all of them match); 404 is the caller's business.
fn paginate<T>(
    t: &TenantCtx<'_>,
    fingerprint: &str,
    raw_cursor: Option<&str>,
    items: &[T],
) -> Result<(std::ops::Range<usize>, Value), ApiError> {
    let now = Utc::now().timestamp();
    let (offset, page, expires) = match raw_cursor.filter(|c| !c.is_empty()) {
        None => (0, 0, now + cursor::LIFETIME_SECS),
        Some(raw) => match cursor::decode(raw, t.tag, fingerprint, now) {
            Ok(c) => (c.o, c.p, c.e),
            Err(CursorError::Expired) => return Err(ApiError::bad("cursor has expired")),
            Err(CursorError::Mismatch) => {
                return Err(ApiError::bad(
                    "cursor does not match the request: all other inputs must remain the same",
                ));
            }
            Err(CursorError::Invalid) => return Err(ApiError::bad("cursor: invalid value")),
        },
    };
    let start = offset.min(items.len());
    let end = (start + PAGE_SIZE).min(items.len());
    let next = (end < items.len()).then(|| {
        cursor::encode(&Cursor {
            t: t.tag.to_string(),
            f: fingerprint.to_string(),
            o: end,
            p: page + 1,
            e: expires,
        })
    });
    Ok((
        start..end,
        wire::records(items.len(), end - start, page, next),
    ))
}

// ---- GET endpoints -------------------------------------------------------

pub(crate) fn list_calls(
    t: &TenantCtx<'_>,
    query: &HashMap<String, String>,
) -> Result<Value, ApiError> {
    let date = |k: &str| query.get(k).map(|v| parse_date(k, v)).transpose();
    let filter = CallFilter {
        from: date("fromDateTime")?,
        to: date("toDateTime")?,
        workspace_id: query.get("workspaceId").filter(|w| !w.is_empty()).cloned(),
        ..CallFilter::default()
    };
    check_range(&filter)?;
    let calls = filter.select(t.workspace);
    let fp = filter.fingerprint(Endpoint::ListCalls);
    let (range, records) = paginate(t, &fp, query.get("cursor").map(String::as_str), &calls)?;
    if range.is_empty() {
        return Err(ApiError::no_calls());
    }
    let page: Vec<Value> = calls[range].iter().map(|c| wire::call_meta(c)).collect();
    Ok(json!({"records": records, "calls": page}))
}

pub(crate) fn get_call(t: &TenantCtx<'_>, id: &str) -> Result<Value, ApiError> {
    match t.workspace.call(id) {
        Some(c) => Ok(json!({"call": wire::call_meta(c)})),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Call ID {id} was not found"),
        )),
    }
}

pub(crate) fn list_users(
    t: &TenantCtx<'_>,
    query: &HashMap<String, String>,
) -> Result<Value, ApiError> {
    let users = &t.workspace.users;
    let (range, records) = paginate(
        t,
        &cursor::short_hash("GET /v2/users"),
        query.get("cursor").map(String::as_str),
        users,
    )?;
    let page: Vec<Value> = users[range].iter().map(wire::user).collect();
    Ok(json!({"records": records, "users": page}))
}

pub(crate) fn get_user(t: &TenantCtx<'_>, id: &str) -> Result<Value, ApiError> {
    match t.workspace.user(id) {
        Some(u) => Ok(json!({"user": wire::user(u)})),
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("User ID {id} was not found"),
        )),
    }
}

pub(crate) fn workspaces(t: &TenantCtx<'_>) -> Value {
    let ws = t.workspace;
    json!({"workspaces": [{"id": ws.id, "name": ws.name, "description": ws.description}]})
}

/// `POST /v2/calls` creates a call in Gong; a list-style body fails validation there.
pub(crate) fn create_call() -> ApiError {
    ApiError {
        status: StatusCode::BAD_REQUEST,
        messages: vec![
            "actualStart: must not be null".into(),
            "clientUniqueId: must not be null".into(),
            "parties: must not be empty".into(),
            "primaryUser: must not be null".into(),
        ],
    }
}

// ---- POST endpoints ------------------------------------------------------

fn json_error() -> ApiError {
    ApiError::bad(JSON_PARSE)
}

/// Ids may come as strings or numbers; anything else is a JSON mapping error.
fn id_list(v: Option<&Value>) -> Result<Option<Vec<String>>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s)
                    if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Ok(s.clone())
                }
                Value::Number(n) if n.is_u64() => Ok(n.to_string()),
                _ => Err(json_error()),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(json_error()),
    }
}

fn opt_str<'a>(
    obj: &'a serde_json::Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, ApiError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(json_error()),
    }
}

struct PostRequest {
    cursor: Option<String>,
    filter: CallFilter,
    body: Value,
}

fn parse_post(t: &TenantCtx<'_>, endpoint: Endpoint, body: &[u8]) -> Result<PostRequest, ApiError> {
    let body: Value = serde_json::from_slice(body).map_err(|_| json_error())?;
    let obj = body.as_object().ok_or_else(json_error)?;
    let Some(Value::Object(f)) = obj.get("filter") else {
        return Err(json_error());
    };
    let cursor = opt_str(obj, "cursor")?.map(str::to_string);
    let workspace_id = match f.get("workspaceId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => return Err(json_error()),
    };
    let call_ids = id_list(f.get("callIds"))?;
    if let Some(ids) = &call_ids {
        t.stats.record_call_ids(t.access_key, endpoint, ids.len());
        if ids.is_empty() {
            return Err(ApiError::bad("filter.callIds: must not be empty"));
        }
    }
    let primary_user_ids = if endpoint == Endpoint::CallsExtensive {
        id_list(f.get("primaryUserIds"))?
    } else {
        None
    };
    let filter = CallFilter {
        from: opt_str(f, "fromDateTime")?
            .map(|s| parse_date("filter.fromDateTime", s))
            .transpose()?,
        to: opt_str(f, "toDateTime")?
            .map(|s| parse_date("filter.toDateTime", s))
            .transpose()?,
        workspace_id,
        call_ids,
        primary_user_ids: primary_user_ids.filter(|ids| !ids.is_empty()),
    };
    check_range(&filter)?;
    Ok(PostRequest {
        cursor,
        filter,
        body,
    })
}

fn flag(v: Option<&Value>, key: &str) -> bool {
    v.and_then(|v| v.get(key))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

fn selector(body: &Value) -> Result<Selector, ApiError> {
    let Some(sel) = body.get("contentSelector").filter(|v| !v.is_null()) else {
        return Ok(Selector::default());
    };
    let context = match sel.get("context") {
        None | Some(Value::Null) => ContextLevel::None,
        Some(Value::String(s)) if s == "None" => ContextLevel::None,
        Some(Value::String(s)) if s == "Basic" => ContextLevel::Basic,
        Some(Value::String(s)) if s == "Extended" => ContextLevel::Extended,
        Some(_) => return Err(json_error()),
    };
    let exposed = sel.get("exposedFields");
    let content = exposed.and_then(|e| e.get("content"));
    let interaction = exposed.and_then(|e| e.get("interaction"));
    let collaboration = exposed.and_then(|e| e.get("collaboration"));
    let trackers = flag(content, "trackers");
    Ok(Selector {
        context,
        parties: flag(exposed, "parties"),
        media: flag(exposed, "media"),
        structure: flag(content, "structure"),
        topics: flag(content, "topics"),
        trackers,
        // Occurrences only come with trackers, per Gong's spec.
        tracker_occurrences: trackers && flag(content, "trackerOccurrences"),
        brief: flag(content, "brief"),
        outline: flag(content, "outline"),
        highlights: flag(content, "highlights"),
        call_outcome: flag(content, "callOutcome"),
        key_points: flag(content, "keyPoints"),
        speakers: flag(interaction, "speakers"),
        video: flag(interaction, "video"),
        person_interaction_stats: flag(interaction, "personInteractionStats"),
        questions: flag(interaction, "questions"),
        public_comments: flag(collaboration, "publicComments"),
    })
}

pub(crate) fn calls_extensive(t: &TenantCtx<'_>, body: &[u8]) -> Result<Value, ApiError> {
    let req = parse_post(t, Endpoint::CallsExtensive, body)?;
    let sel = selector(&req.body)?;
    let calls = req.filter.select(t.workspace);
    let fp = req.filter.fingerprint(Endpoint::CallsExtensive);
    let (range, records) = paginate(t, &fp, req.cursor.as_deref(), &calls)?;
    if range.is_empty() {
        return Err(ApiError::no_calls());
    }
    let page: Vec<Value> = calls[range]
        .iter()
        .map(|c| wire::call_extensive(t.workspace, c, &sel))
        .collect();
    Ok(json!({"records": records, "calls": page}))
}

pub(crate) fn calls_transcript(t: &TenantCtx<'_>, body: &[u8]) -> Result<Value, ApiError> {
    let req = parse_post(t, Endpoint::CallsTranscript, body)?;
    let calls = req.filter.select(t.workspace);
    let fp = req.filter.fingerprint(Endpoint::CallsTranscript);
    let (range, records) = paginate(t, &fp, req.cursor.as_deref(), &calls)?;
    if range.is_empty() {
        return Err(ApiError::no_calls());
    }
    let page: Vec<Value> = calls[range]
        .iter()
        .map(|c| wire::transcript(&c.id, &super::transcript::generate(t.workspace, c)))
        .collect();
    Ok(json!({"records": records, "callTranscripts": page}))
}
