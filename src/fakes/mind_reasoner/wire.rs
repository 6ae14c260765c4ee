//! Response conventions of the API: JSON bodies as `application/json`, every
//! error as `{error, message, code, details}`, timestamps as JavaScript's
//! `Date.toISOString()` prints them (millisecond precision, `Z`).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

pub(crate) const JSON: &str = "application/json";

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A failed request: status, message and machine-readable code.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub details: Value,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
            details: Value::Null,
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    pub(crate) fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body is too large (limit {limit} bytes)"),
        )
    }

    pub(crate) fn into_response(self) -> Response {
        let body = json!({
            "error": self.status.canonical_reason().unwrap_or("Error"),
            "message": self.message,
            "code": code_for(self.status),
            "details": self.details,
        });
        respond(self.status, JSON, body.to_string())
    }
}

/// The `code` field for each status the fake sends.
fn code_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "VALIDATION_ERROR",
        401 => "UNAUTHORIZED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        413 => "PAYLOAD_TOO_LARGE",
        429 => "RATE_LIMITED",
        _ => "INTERNAL_ERROR",
    }
}

pub(crate) fn respond(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    let mut res = Response::new(body.into());
    *res.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    res
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    respond(status, JSON, body.to_string())
}

pub(crate) fn unauthorized() -> Response {
    ApiError::new(StatusCode::UNAUTHORIZED, "Invalid or missing API key").into_response()
}

pub(crate) fn server_error() -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "An unexpected error occurred",
    )
    .into_response()
}

/// 429 with `Retry-After` and `details.retryAfter`.
pub(crate) fn too_many_requests(retry_after_secs: u64) -> Response {
    let secs = retry_after_secs.max(1);
    let mut err = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("Rate limit exceeded, retry after {secs} seconds"),
    );
    err.details = json!({ "retryAfter": secs });
    let mut res = err.into_response();
    res.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    res
}

const HTML_PAGE: &str = "<!DOCTYPE html>\n<html>\n<head><title>{s} {r}</title></head>\n<body>\n<center><h1>{s} {r}</h1></center>\n<hr><center>cloudflare</center>\n</body>\n</html>\n";

/// An error page as a CDN in front of the service serves it.
pub(crate) fn html_error(status: StatusCode) -> Response {
    let page = HTML_PAGE
        .replace("{s}", status.as_str())
        .replace("{r}", status.canonical_reason().unwrap_or("Error"));
    respond(status, "text/html; charset=UTF-8", page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_like_javascript() {
        let at = Utc.with_ymd_and_hms(2026, 11, 29, 8, 5, 1).unwrap();
        assert_eq!(timestamp(at), "2026-11-29T08:05:01.000Z");
    }

    #[test]
    fn error_codes() {
        assert_eq!(code_for(StatusCode::UNAUTHORIZED), "UNAUTHORIZED");
        assert_eq!(code_for(StatusCode::TOO_MANY_REQUESTS), "RATE_LIMITED");
        assert_eq!(code_for(StatusCode::BAD_GATEWAY), "INTERNAL_ERROR");
    }
}
