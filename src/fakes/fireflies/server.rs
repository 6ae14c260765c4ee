//! The HTTP side of the synthetic Fireflies: `POST /graphql` only (other paths 404, other methods
//! 405), `Authorization: Bearer <key>`, scripted faults, plan limits, then the query.
//!
//! Status codes as a GraphQL server answers: a query that cannot be parsed or validated is HTTP
//! 400 with `errors` and no `data`; a field that fails is HTTP 200 with `data.<field>: null` and
//! an error naming its `path` and `extensions.code`. An unknown key is HTTP 401 with code
//! `auth_failed`. The per-minute limit answers HTTP 429 and the daily one HTTP 200, both as
//! `too_many_requests` with `extensions.metadata.retryAfter` (Unix ms): clients must read the
//! code, not the status.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Map, Value as Json, json};

use super::execute::{GqlError, bind_variables, root_field};
use super::faults::FfFault;
use super::graphql::parse;
use super::limits::Refusal;
use super::schema::validate;
use super::{AppState, Tenant};

pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/graphql", post(graphql))
        .with_state(state)
}

fn json_response(status: StatusCode, body: Json) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

fn errors(status: StatusCode, list: Vec<(String, String, Option<Json>)>) -> Response {
    let errors: Vec<Json> = list
        .into_iter()
        .map(|(message, code, metadata)| {
            let mut ext = json!({ "code": code, "status": status.as_u16() });
            if let Some(m) = metadata {
                ext["metadata"] = m;
            }
            json!({ "message": message, "extensions": ext })
        })
        .collect();
    json_response(status, json!({ "data": null, "errors": errors }))
}

fn too_many(status: StatusCode, retry_at_ms: i64, what: &str) -> Response {
    errors(
        status,
        vec![(
            format!("Too many requests. {what}"),
            "too_many_requests".to_owned(),
            Some(json!({ "retryAfter": retry_at_ms })),
        )],
    )
}

fn tenant<'a>(state: &'a AppState, headers: &HeaderMap) -> Option<&'a Tenant> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let key = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?
        .trim();
    state.tenants.iter().find(|t| t.api_key == key)
}

async fn graphql(State(state): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(tenant) = tenant(&state, &headers) else {
        return errors(
            StatusCode::UNAUTHORIZED,
            vec![(
                "Invalid API key: send Authorization: Bearer <your Fireflies API key>".into(),
                "auth_failed".to_owned(),
                None,
            )],
        );
    };
    tenant.requests.fetch_add(1, Ordering::SeqCst);
    if let Some(fault) = state.faults.next() {
        match fault {
            FfFault::Status(status) => {
                return (
                    StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><body><h1>Bad gateway</h1></body></html>",
                )
                    .into_response();
            }
            FfFault::Malformed => {
                return (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    "{\"data\": {\"transcripts\": [tru",
                )
                    .into_response();
            }
            FfFault::Delay(d) => tokio::time::sleep(d).await,
            FfFault::RateLimited { wait, status } => {
                let at = chrono::Utc::now().timestamp_millis() + wait.as_millis() as i64;
                return too_many(
                    StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                    at,
                    "Please retry later.",
                );
            }
            FfFault::Code { code, message } => {
                return errors(StatusCode::OK, vec![(message, code, None)]);
            }
        }
    }
    match tenant.limits.admit() {
        Ok(()) => {}
        Err(Refusal::PerMinute { retry_at_ms }) => {
            return too_many(
                StatusCode::TOO_MANY_REQUESTS,
                retry_at_ms,
                "This API key is limited to its plan's requests per minute.",
            );
        }
        Err(Refusal::Daily { retry_at_ms }) => {
            return too_many(
                StatusCode::OK,
                retry_at_ms,
                "This API key has used its plan's requests for today.",
            );
        }
    }
    tenant.admitted.fetch_add(1, Ordering::SeqCst);
    answer(tenant, &body)
}

fn bad_request(message: String, code: &str) -> Response {
    errors(
        StatusCode::BAD_REQUEST,
        vec![(message, code.to_owned(), None)],
    )
}

fn answer(tenant: &Tenant, body: &[u8]) -> Response {
    let request: Map<String, Json> = match serde_json::from_slice(body) {
        Ok(Json::Object(m)) => m,
        _ => {
            return bad_request(
                "POST body must be a JSON object with `query` (and optional `variables`)".into(),
                "BAD_REQUEST",
            );
        }
    };
    let Some(query) = request.get("query").and_then(Json::as_str) else {
        return bad_request(
            "GraphQL operations must contain a non-empty `query`.".into(),
            "BAD_REQUEST",
        );
    };
    let variables = match request.get("variables") {
        None | Some(Json::Null) => Map::new(),
        Some(Json::Object(v)) => v.clone(),
        Some(_) => {
            return bad_request("`variables` must be a JSON object".into(), "BAD_REQUEST");
        }
    };
    let op = match parse(query) {
        Ok(op) => op,
        Err(e) => return bad_request(e, "GRAPHQL_PARSE_FAILED"),
    };
    let invalid = validate(&op);
    if !invalid.is_empty() {
        return errors(
            StatusCode::BAD_REQUEST,
            invalid
                .into_iter()
                .map(|m| (m, "GRAPHQL_VALIDATION_FAILED".to_owned(), None))
                .collect(),
        );
    }
    let vars = match bind_variables(&op, &variables) {
        Ok(v) => v,
        Err(GqlError { code, message }) => return bad_request(message, code),
    };
    let mut data = Map::new();
    let mut field_errors = Vec::new();
    for field in &op.selections {
        let key = field.response_key().to_owned();
        match root_field(field, &vars, &tenant.meetings) {
            Ok(v) => {
                data.insert(key, v);
            }
            Err(GqlError { code, message }) => {
                field_errors.push(json!({
                    "message": message,
                    "path": [key.clone()],
                    "extensions": { "code": code },
                }));
                data.insert(key, Json::Null);
            }
        }
    }
    let mut out = json!({ "data": data });
    if !field_errors.is_empty() {
        out["errors"] = Json::Array(field_errors);
    }
    json_response(StatusCode::OK, out)
}
