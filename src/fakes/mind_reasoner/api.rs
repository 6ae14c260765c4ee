//! The API listener: routing under `/api/public/v1`, bearer authentication,
//! the rate limiter and scripted faults, then the endpoint's own work.
//!
//! Order: route (unknown path 404, wrong method 405, even without a key),
//! authenticate (401), count, rate-limit (the request counts even when
//! refused), scripted fault (wins over the limiter), body size (413), work.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use tokio::time::Instant;

use crate::demo::conn::ConnHandle;
use crate::fakes::mind_reasoner::fault_response::{Side, after_effect, fault_response};
use crate::fakes::mind_reasoner::faults::MrFault;
use crate::fakes::mind_reasoner::state::{AppState, Tenant};
use crate::fakes::mind_reasoner::stats::MrEndpoint;
use crate::fakes::mind_reasoner::wire::{self, ApiError};
use crate::fakes::mind_reasoner::{minds, simulate, snapshots};

pub(crate) const BASE_PATH: &str = "/api/public/v1";
/// Room for multipart framing and the other fields beside a `file` at the limit.
pub(crate) const BODY_SLACK: usize = 64 * 1024;

pub(crate) fn router(state: Arc<AppState>) -> Router {
    let limit = state.max_direct_upload_bytes + BODY_SLACK;
    Router::new()
        .fallback(handle)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

#[derive(Debug, PartialEq, Eq)]
enum Route {
    /// The endpoint and the ids in its path (mind id, snapshot id).
    Found(MrEndpoint, Vec<String>),
    NotFound,
    MethodNotAllowed(&'static str),
}

fn route(method: &Method, path: &str) -> Route {
    let Some(rest) = path
        .strip_prefix(BASE_PATH)
        .and_then(|r| r.strip_prefix('/'))
    else {
        return Route::NotFound;
    };
    let segs: Vec<&str> = rest.split('/').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Route::NotFound; // trailing or doubled slash: no redirect
    }
    let only = |m: Method, e: MrEndpoint, allow: &'static str, ids: &[&str]| {
        if *method == m {
            Route::Found(e, ids.iter().map(|s| s.to_string()).collect())
        } else {
            Route::MethodNotAllowed(allow)
        }
    };
    match segs.as_slice() {
        ["minds"] => match *method {
            Method::GET => Route::Found(MrEndpoint::ListMinds, vec![]),
            Method::POST => Route::Found(MrEndpoint::CreateMind, vec![]),
            _ => Route::MethodNotAllowed("GET, POST"),
        },
        ["minds", id, "signed-url"] => only(Method::GET, MrEndpoint::SignedUrl, "GET", &[id]),
        ["minds", id, "snapshots"] => only(Method::POST, MrEndpoint::CreateSnapshot, "POST", &[id]),
        ["minds", id, "snapshots", sid, "status"] => {
            only(Method::GET, MrEndpoint::SnapshotStatus, "GET", &[id, sid])
        }
        ["simulate"] => only(Method::POST, MrEndpoint::Simulate, "POST", &[]),
        _ => Route::NotFound,
    }
}

fn authenticate<'a>(state: &'a AppState, headers: &HeaderMap) -> Option<&'a Tenant> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    state.tenants.get(token.trim())
}

async fn handle(
    State(state): State<Arc<AppState>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    req: Request,
) -> Response {
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    state.stats.record_arrival(user_agent);
    let (endpoint, ids) = match route(req.method(), req.uri().path()) {
        Route::Found(e, ids) => (e, ids),
        Route::NotFound => {
            let msg = format!("No route for {} {}", req.method(), req.uri().path());
            return ApiError::not_found(msg).into_response();
        }
        Route::MethodNotAllowed(allow) => {
            let msg = format!("Method {} is not allowed here", req.method());
            let mut res = ApiError::new(StatusCode::METHOD_NOT_ALLOWED, msg).into_response();
            res.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allow));
            return res;
        }
    };
    let Some(tenant) = authenticate(&state, req.headers()) else {
        state.stats.record_unauthorized();
        return wire::unauthorized();
    };
    state.stats.record_request(&tenant.api_key, endpoint);
    let admitted = tenant.limiter.admit(Instant::now());

    let mut after = false;
    match state.faults.take(&tenant.api_key, endpoint) {
        None => {}
        Some(MrFault::Delay(d)) => tokio::time::sleep(d).await,
        Some(MrFault::AfterEffect500) => after = true,
        Some(fault) => return fault_response(fault, Side::Api, &conn),
    }
    if !admitted {
        state.stats.record_rate_limited();
        return wire::too_many_requests(1);
    }

    let result = answer(&state, tenant, endpoint, &ids, req).await;
    if after {
        return after_effect(Side::Api);
    }
    match result {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

async fn answer(
    state: &AppState,
    tenant: &Tenant,
    endpoint: MrEndpoint,
    ids: &[String],
    req: Request,
) -> Result<Response, ApiError> {
    let id = |i: usize| ids.get(i).map(String::as_str).unwrap_or_default();
    match endpoint {
        MrEndpoint::ListMinds => Ok(minds::list(state, tenant)),
        MrEndpoint::CreateMind => {
            minds::create(state, tenant, &read_body(state, req.into_body()).await?)
        }
        MrEndpoint::SignedUrl => snapshots::signed_url(state, tenant, id(0), req.uri()),
        MrEndpoint::CreateSnapshot => snapshots::create(state, tenant, id(0), req).await,
        MrEndpoint::SnapshotStatus => snapshots::status(state, tenant, id(0), id(1)),
        MrEndpoint::Simulate => {
            simulate::simulate(state, tenant, &read_body(state, req.into_body()).await?)
        }
        // Served by the storage listener.
        MrEndpoint::StorageUpload => Err(ApiError::not_found("No such endpoint")),
    }
}

/// The whole body, or 413 beyond `max_direct_upload_bytes` + 64 KiB.
pub(crate) async fn read_body(state: &AppState, body: Body) -> Result<Bytes, ApiError> {
    let limit = state.max_direct_upload_bytes + BODY_SLACK;
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::too_large(limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(e: MrEndpoint, ids: &[&str]) -> Route {
        Route::Found(e, ids.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn routes() {
        let r = |m: Method, p: &str| route(&m, &format!("{BASE_PATH}{p}"));
        assert_eq!(r(Method::GET, "/minds"), found(MrEndpoint::ListMinds, &[]));
        assert_eq!(
            r(Method::POST, "/minds"),
            found(MrEndpoint::CreateMind, &[])
        );
        assert_eq!(
            r(Method::DELETE, "/minds"),
            Route::MethodNotAllowed("GET, POST")
        );
        assert_eq!(
            r(Method::GET, "/minds/m1/signed-url"),
            found(MrEndpoint::SignedUrl, &["m1"])
        );
        assert_eq!(
            r(Method::POST, "/minds/m1/snapshots"),
            found(MrEndpoint::CreateSnapshot, &["m1"])
        );
        assert_eq!(
            r(Method::GET, "/minds/m1/snapshots/s1/status"),
            found(MrEndpoint::SnapshotStatus, &["m1", "s1"])
        );
        assert_eq!(r(Method::GET, "/simulate"), Route::MethodNotAllowed("POST"));
        assert_eq!(r(Method::GET, "/minds/"), Route::NotFound);
        assert_eq!(r(Method::GET, "/minds/m1"), Route::NotFound);
        assert_eq!(route(&Method::GET, "/minds"), Route::NotFound);
        assert_eq!(route(&Method::GET, "/api/public/v1"), Route::NotFound);
    }
}
