//! The HTTP surface: `/mcp` (stateless streamable HTTP, behind access control and the credential
//! middleware), `/metrics` (here, or on a private port), `/healthz` (the process serves) and
//! `/readyz` (ready for traffic; not while shutting down).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use http::StatusCode;
use rmcp::transport::streamable_http_server::session::never::NeverSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio_util::sync::CancellationToken;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::TraceLayer;

use super::access::{self, AccessPolicy};
use super::credentials::{self, CredentialPolicy};
use super::headers::{REQUEST_ID, SENSITIVE};
use crate::mcp::{GongMcp, Transport, Upstreams};

pub struct RouterConfig {
    pub allowed_hosts: Vec<String>,
    pub allowed_origins: Vec<String>,
    pub max_body_bytes: usize,
    /// Serve `/metrics` on this router (else on a separate listener).
    pub metrics_here: bool,
}

/// Flipped when shutdown begins, so load balancers stop sending new work.
#[derive(Clone, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    pub fn set_ready(&self, ready: bool) {
        self.0.store(ready, Ordering::Relaxed);
    }
}

pub fn build(
    config: RouterConfig,
    upstreams: Upstreams,
    credentials: Arc<CredentialPolicy>,
    access: AccessPolicy,
    readiness: Readiness,
    shutdown: CancellationToken,
) -> Router {
    let mcp_config = StreamableHttpServerConfig::default()
        // Stateless: any replica answers any request; no sticky sessions behind a load balancer.
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_allowed_hosts(config.allowed_hosts)
        .with_allowed_origins(config.allowed_origins)
        .enforce_origin_validation()
        .with_max_request_body_bytes(config.max_body_bytes)
        .with_cancellation_token(shutdown);
    let mcp = StreamableHttpService::new(
        move || Ok(GongMcp::new(upstreams.clone(), Transport::Http)),
        Arc::new(NeverSessionManager::default()),
        mcp_config,
    );
    let mut protected = Router::new()
        .nest_service("/mcp", mcp)
        .layer(axum::middleware::map_response(unreadable_body_is_400))
        .layer(axum::middleware::from_fn_with_state(
            credentials,
            credentials::middleware,
        ));
    if config.metrics_here {
        protected = protected.merge(metrics_router());
    }
    let protected = protected.layer(axum::middleware::from_fn_with_state(
        access,
        access::middleware,
    ));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready).with_state(readiness))
        .merge(protected)
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
                let request_id = req
                    .headers()
                    .get(&REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!(
                    "http",
                    method = %req.method(),
                    path = %req.uri().path(),
                    request_id = %request_id,
                    tenant = tracing::field::Empty
                )
            }),
        )
        // Accept the caller's X-Request-Id (or mint one) and return it.
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(SetSensitiveRequestHeadersLayer::new(SENSITIVE))
}

/// rmcp answers a body it cannot decode with `415 Unsupported Media Type` and a plain-text
/// serde message, even when the content type was right. JSON-RPC over HTTP (and MCP) expects
/// `400 Bad Request` with a JSON-RPC error: -32700 for text that is not JSON, -32600 for JSON that
/// is not one JSON-RPC message (a batch, a wrong `jsonrpc` version, an object `id`).
async fn unreadable_body_is_400(response: axum::response::Response) -> axum::response::Response {
    const PREFIX: &str = "fail to deserialize request body ";
    if response.status() != StatusCode::UNSUPPORTED_MEDIA_TYPE {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(b) => b,
        Err(_) => return axum::response::Response::from_parts(parts, axum::body::Body::empty()),
    };
    let text = String::from_utf8_lossy(&bytes);
    let Some(detail) = text.strip_prefix(PREFIX) else {
        return axum::response::Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let not_a_message = detail.starts_with("unrecognized JSON-RPC message")
        || detail.starts_with("data did not match");
    let (code, message) = if not_a_message {
        (
            -32600,
            format!(
                "Invalid Request: the body is JSON but not a single JSON-RPC 2.0 message ({detail}); batches (arrays) are not supported"
            ),
        )
    } else {
        (
            -32700,
            format!("Parse error: the body is not valid JSON ({detail})"),
        )
    };
    metrics::counter!("http_requests_rejected_total", "reason" => "unreadable_body").increment(1);
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message }
    });
    (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

/// `/metrics` (Prometheus text), also served alone on `--metrics-listen`.
pub fn metrics_router() -> Router {
    Router::new().route(
        "/metrics",
        get(|| async {
            (
                [(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                crate::observability::render(),
            )
        }),
    )
}

async fn ready(State(readiness): State<Readiness>) -> (StatusCode, &'static str) {
    if readiness.0.load(Ordering::Relaxed) {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}
