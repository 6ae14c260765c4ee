//! `GET /minds` and `POST /minds`.
//!
//! Creating answers 201 in the shape of Mind Reasoner's MCP tool page,
//! `{mind, digitalTwin}` (the v1 reference's bare mind is the other shape the
//! notes allow). The name is trimmed and must be 1 to 200 characters; the same
//! name twice makes a second mind (with slug `name-2`), as nothing in the docs
//! forbids it. The body must be JSON (its `Content-Type` is not checked).

use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Value, json};

use crate::fakes::mind_reasoner::state::{AppState, Tenant};
use crate::fakes::mind_reasoner::wire::{ApiError, json_response};

pub(crate) const MAX_NAME_CHARS: usize = 200;

pub(crate) fn list(state: &AppState, tenant: &Tenant) -> Response {
    let minds = tenant.data().minds_json(state.clock());
    json_response(StatusCode::OK, &json!({ "minds": minds }))
}

/// The request body as a JSON object, or 400.
pub(crate) fn json_object(body: &[u8]) -> Result<serde_json::Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object")),
        Err(e) => Err(ApiError::bad_request(format!(
            "Request body is not valid JSON: {e}"
        ))),
    }
}

pub(crate) fn create(state: &AppState, tenant: &Tenant, body: &[u8]) -> Result<Response, ApiError> {
    let obj = json_object(body)?;
    let name = match obj.get("name") {
        Some(Value::String(s)) => s.trim(),
        Some(Value::Null) | None => return Err(ApiError::bad_request("name is required")),
        Some(_) => return Err(ApiError::bad_request("name must be a string")),
    };
    let len = name.chars().count();
    if len == 0 {
        return Err(ApiError::bad_request("name must not be empty"));
    }
    if len > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(format!(
            "name must be at most {MAX_NAME_CHARS} characters (got {len})"
        )));
    }
    let mut data = tenant.data();
    let mind = data.create_mind(name, None, Utc::now());
    let twin = &mind.twins[0];
    let twin_json = json!({
        "id": twin.id,
        "name": twin.name,
        "isDefault": twin.is_default,
        "mindId": mind.id,
    });
    let mind_json = data.mind_json(data.minds.last().expect("just created"), state.clock());
    Ok(json_response(
        StatusCode::CREATED,
        &json!({ "mind": mind_json, "digitalTwin": twin_json }),
    ))
}
