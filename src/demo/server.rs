//! The HTTP front: routing, authentication, rate limiting, fault injection and
//! Gong's response conventions (`x-traceid` = `requestId`, JSON error bodies).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use futures::StreamExt as _;
use rand::Rng as _;
use serde_json::{Value, json};
use tokio::time::Instant;

use super::conn::ConnHandle;
use super::endpoints::{self, ApiError, TenantCtx};
use super::faults::{Fault, Faults};
use super::model::Workspace;
use super::rate_limit::{Decision, RateLimiter};
use super::stats::{Endpoint, Stats};
use super::wire;

/// Content types as recorded from Gong: 200s and errors differ slightly.
const JSON_OK: &str = "application/json;charset=UTF-8";
const JSON_ERROR: &str = "application/json; charset=utf-8";
/// POST bodies larger than this are refused (Gong's filters are small).
const MAX_BODY: usize = 1 << 20;

pub(crate) struct Tenant {
    pub access_key: String,
    pub access_secret: String,
    pub tag: String,
    pub workspace: Arc<Workspace>,
    pub limiter: RateLimiter,
}

pub(crate) struct AppState {
    pub tenants: HashMap<String, Tenant>,
    pub stats: Stats,
    pub faults: Faults,
}

pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// 19 lowercase base-36 characters, like Gong's request ids.
fn request_id() -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    (0..19)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

enum Route<'a> {
    Found(Endpoint, Option<&'a str>),
    NotFound,
    MethodNotAllowed(&'static str),
}

fn route<'a>(method: &Method, path: &'a str) -> Route<'a> {
    let path = path.strip_suffix('/').unwrap_or(path);
    let (endpoint_for, allow): (Option<Endpoint>, &'static str) = match path {
        "/v2/calls" => {
            let e = match *method {
                Method::GET => Some(Endpoint::ListCalls),
                Method::POST => Some(Endpoint::CreateCall),
                _ => None,
            };
            (e, "GET, POST")
        }
        "/v2/calls/extensive" => (
            (*method == Method::POST).then_some(Endpoint::CallsExtensive),
            "POST",
        ),
        "/v2/calls/transcript" => (
            (*method == Method::POST).then_some(Endpoint::CallsTranscript),
            "POST",
        ),
        "/v2/users" => (
            (*method == Method::GET).then_some(Endpoint::ListUsers),
            "GET",
        ),
        "/v2/workspaces" => (
            (*method == Method::GET).then_some(Endpoint::Workspaces),
            "GET",
        ),
        _ => {
            let by_id = |prefix: &str, e: Endpoint| {
                path.strip_prefix(prefix)
                    .filter(|id| !id.is_empty() && !id.contains('/'))
                    .map(|id| (e, id))
            };
            let Some((e, id)) = by_id("/v2/calls/", Endpoint::GetCall)
                .or_else(|| by_id("/v2/users/", Endpoint::GetUser))
            else {
                return Route::NotFound;
            };
            return if *method == Method::GET {
                Route::Found(e, Some(id))
            } else {
                Route::MethodNotAllowed("GET")
            };
        }
    };
    match endpoint_for {
        Some(e) => Route::Found(e, None),
        None => Route::MethodNotAllowed(allow),
    }
}

fn base_response(
    status: StatusCode,
    rid: &str,
    content_type: &str,
    body: impl Into<Body>,
) -> Response {
    let mut res = Response::new(body.into());
    *res.status_mut() = status;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(rid) {
        h.insert("x-traceid", v);
    }
    h.insert(
        "x-gong-service-version",
        HeaderValue::from_static("PublicApiServer:demo"),
    );
    res
}

fn json_ok(rid: &str, mut body: Value) -> Response {
    if let Some(obj) = body.as_object_mut() {
        obj.insert("requestId".into(), Value::String(rid.to_string()));
    }
    base_response(StatusCode::OK, rid, JSON_OK, body.to_string())
}

fn json_error(status: StatusCode, rid: &str, messages: &[String]) -> Response {
    base_response(
        status,
        rid,
        JSON_ERROR,
        json!({"requestId": rid, "errors": messages}).to_string(),
    )
}

fn too_many(rid: &str, retry_after_secs: u64) -> Response {
    let mut res = json_error(
        StatusCode::TOO_MANY_REQUESTS,
        rid,
        &["API request limit exceeded".into()],
    );
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(retry_after_secs.max(1)),
    );
    res
}

fn authenticate<'a>(state: &'a AppState, headers: &HeaderMap) -> Option<&'a Tenant> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(token.trim()).ok()?;
    let decoded = String::from_utf8(decoded).ok()?;
    let (key, secret) = decoded.split_once(':')?;
    let tenant = state.tenants.get(key)?;
    (tenant.access_secret == secret).then_some(tenant)
}

async fn handle(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    req: Request,
) -> Response {
    let rid = request_id();
    let (parts, body) = req.into_parts();
    let (endpoint, path_id) = match route(&parts.method, parts.uri.path()) {
        Route::Found(e, id) => (e, id.map(str::to_string)),
        Route::NotFound => {
            let msg = format!("No endpoint {} {}", parts.method, parts.uri.path());
            return json_error(StatusCode::NOT_FOUND, &rid, &[msg]);
        }
        Route::MethodNotAllowed(allow) => {
            let msg = format!("Request method '{}' is not supported", parts.method);
            let mut res = json_error(StatusCode::METHOD_NOT_ALLOWED, &rid, &[msg]);
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
            return res;
        }
    };
    let Some(tenant) = authenticate(&state, &parts.headers) else {
        state.stats.record_unauthorized();
        return json_error(
            StatusCode::UNAUTHORIZED,
            &rid,
            &["Access denied: invalid or missing credentials".into()],
        );
    };

    let now = Instant::now();
    state
        .stats
        .record_request(&tenant.access_key, endpoint, now);
    let decision = tenant.limiter.check(now, Utc::now());

    let mut nulls = false;
    if let Some(fault) = state.faults.take(&tenant.access_key, endpoint) {
        match fault {
            Fault::Delay(d) => tokio::time::sleep(d).await,
            Fault::NullsEverywhere => nulls = true,
            other => return fault_response(other, &rid, &conn),
        }
    }
    if let Decision::Reject { retry_after_secs } = decision {
        state.stats.record_rate_limited(&tenant.access_key);
        return too_many(&rid, retry_after_secs);
    }

    match answer(&state, tenant, endpoint, path_id.as_deref(), &parts, body).await {
        Ok(mut v) => {
            if nulls {
                wire::nulls_everywhere(&mut v);
            }
            json_ok(&rid, v)
        }
        Err(ApiError { status, messages }) => json_error(status, &rid, &messages),
    }
}

/// The endpoint's own work, once the request is authenticated and admitted.
async fn answer(
    state: &AppState,
    tenant: &Tenant,
    endpoint: Endpoint,
    path_id: Option<&str>,
    parts: &axum::http::request::Parts,
    body: Body,
) -> Result<Value, ApiError> {
    let body = match endpoint {
        Endpoint::CallsExtensive | Endpoint::CallsTranscript | Endpoint::CreateCall => {
            axum::body::to_bytes(body, MAX_BODY).await.map_err(|_| {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large")
            })?
        }
        _ => Bytes::new(),
    };
    let Query(query) = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "Malformed query string"))?;
    let ctx = TenantCtx {
        access_key: &tenant.access_key,
        tag: &tenant.tag,
        workspace: &tenant.workspace,
        stats: &state.stats,
    };
    let id = path_id.unwrap_or_default();
    match endpoint {
        Endpoint::ListCalls => endpoints::list_calls(&ctx, &query),
        Endpoint::GetCall => endpoints::get_call(&ctx, id),
        Endpoint::CreateCall => Err(endpoints::create_call()),
        Endpoint::CallsExtensive => endpoints::calls_extensive(&ctx, &body),
        Endpoint::CallsTranscript => endpoints::calls_transcript(&ctx, &body),
        Endpoint::ListUsers => endpoints::list_users(&ctx, &query),
        Endpoint::GetUser => endpoints::get_user(&ctx, id),
        Endpoint::Workspaces => Ok(endpoints::workspaces(&ctx)),
    }
}

const NGINX_PAGE: &str = "<html>\r\n<head><title>{s} {r}</title></head>\r\n<body>\r\n<center><h1>{s} {r}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

fn fault_response(fault: Fault, rid: &str, conn: &ConnHandle) -> Response {
    let status_of = |s: u16| StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match fault {
        Fault::Status {
            status,
            body,
            content_type,
        } => base_response(status_of(status), rid, content_type, body),
        Fault::TooManyRequests { retry_after_secs } => too_many(rid, retry_after_secs),
        Fault::Redirect { location, status } => {
            let mut res = base_response(status_of(status), rid, "text/html", "");
            if let Ok(v) = HeaderValue::from_str(&location) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        Fault::InvalidJson => {
            let body = format!(
                "{{\"requestId\":\"{rid}\",\"records\":{{\"totalRecords\":1,\"currentPageSize\":1,\"currentPageNumber\":0}},\"calls\":[{{\"metaData\":{{\"id\":\"7000"
            );
            base_response(StatusCode::OK, rid, JSON_OK, body)
        }
        Fault::TruncatedBody => truncated(rid),
        Fault::ResetConnection => {
            conn.kill();
            base_response(StatusCode::INTERNAL_SERVER_ERROR, rid, JSON_ERROR, "")
        }
        Fault::HtmlError { status } => {
            let s = status_of(status);
            let page = NGINX_PAGE
                .replace("{s}", s.as_str())
                .replace("{r}", s.canonical_reason().unwrap_or("Error"));
            let mut res = base_response(s, rid, "text/html", page);
            // A proxy page: no Gong trace id.
            res.headers_mut().remove("x-traceid");
            res.headers_mut().remove("x-gong-service-version");
            res
        }
        // Handled before dispatch.
        Fault::Delay(_) | Fault::NullsEverywhere => {
            json_error(StatusCode::INTERNAL_SERVER_ERROR, rid, &[])
        }
    }
}

/// Sends half of a JSON body under a `Content-Length` for all of it, then
/// fails the stream, which makes hyper abort the connection.
fn truncated(rid: &str) -> Response {
    let calls: Vec<Value> = (0..20)
        .map(|i| json!({"id": super::data::call_id_for_index(i), "title": "Truncated call", "duration": 600}))
        .collect();
    let full = json!({"requestId": rid, "records": {"totalRecords": 20, "currentPageSize": 20, "currentPageNumber": 0}, "calls": calls})
        .to_string()
        .into_bytes();
    let half = Bytes::from(full[..full.len() / 2].to_vec());
    let stream = futures::stream::iter([Ok::<Bytes, std::io::Error>(half)]).chain(
        futures::stream::once(async {
            // Let hyper flush the first half before the failure tears the connection down.
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "demo fault: truncated body",
            ))
        }),
    );
    let mut res = base_response(StatusCode::OK, rid, JSON_OK, Body::from_stream(stream));
    res.headers_mut()
        .insert(header::CONTENT_LENGTH, HeaderValue::from(full.len()));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert!(matches!(
            route(&Method::GET, "/v2/calls"),
            Route::Found(Endpoint::ListCalls, None)
        ));
        assert!(matches!(
            route(&Method::GET, "/v2/calls/123"),
            Route::Found(Endpoint::GetCall, Some("123"))
        ));
        assert!(matches!(
            route(&Method::POST, "/v2/calls/extensive"),
            Route::Found(Endpoint::CallsExtensive, None)
        ));
        assert!(matches!(
            route(&Method::GET, "/v2/calls/extensive"),
            Route::MethodNotAllowed("POST")
        ));
        assert!(matches!(
            route(&Method::DELETE, "/v2/calls"),
            Route::MethodNotAllowed(_)
        ));
        assert!(matches!(
            route(&Method::GET, "/v2/nothing"),
            Route::NotFound
        ));
        assert!(matches!(route(&Method::GET, "/"), Route::NotFound));
    }
}
