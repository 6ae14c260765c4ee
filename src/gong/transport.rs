//! One HTTP exchange with Gong, and the translation of its status, headers and body into an
//! outcome or a [`GongError`].

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, StatusCode, header};

use super::credentials::GongCredentials;
use super::error::GongError;
use super::service::GongShared;
use super::types::ErrorBody;
use crate::upstream::response::{
    BodyError, clip, describe_non_json, describe_reqwest, read_body, retry_after, root_cause,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    ListCalls,
    CallsExtensive,
    Transcript,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::ListCalls => "GET /v2/calls",
            Endpoint::CallsExtensive => "POST /v2/calls/extensive",
            Endpoint::Transcript => "POST /v2/calls/transcript",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Endpoint::ListCalls => "v2/calls",
            Endpoint::CallsExtensive => "v2/calls/extensive",
            Endpoint::Transcript => "v2/calls/transcript",
        }
    }
}

#[derive(Debug)]
pub(crate) enum Outcome {
    Body(Bytes),
    /// Gong's 404 "No calls found corresponding to the provided filters": an empty result.
    NoCalls,
}

pub(crate) enum SendError {
    /// The request did not finish within the time left.
    Timeout,
    Gong(GongError),
}

impl From<GongError> for SendError {
    fn from(e: GongError) -> Self {
        SendError::Gong(e)
    }
}

/// Sends one request. `input` is the query string (GET) or the JSON body (POST).
pub(crate) async fn send(
    shared: &GongShared,
    credentials: &GongCredentials,
    endpoint: Endpoint,
    input: &str,
    timeout: Duration,
) -> Result<Outcome, SendError> {
    let mut url = credentials
        .base_url()
        .join(endpoint.path())
        .map_err(|e| unreachable_error(credentials, e.to_string()))?;
    let request = match endpoint {
        Endpoint::ListCalls => {
            url.set_query((!input.is_empty()).then_some(input));
            shared.http.get(url)
        }
        Endpoint::CallsExtensive | Endpoint::Transcript => shared
            .http
            .post(url)
            .header(header::CONTENT_TYPE, "application/json")
            .body(input.to_owned()),
    };
    let started = std::time::Instant::now();
    let response = request
        .header(header::AUTHORIZATION, credentials.authorization().clone())
        .header(header::ACCEPT, "application/json")
        .timeout(timeout)
        .send()
        .await;
    let response = match response {
        Ok(r) => r,
        Err(e) if e.is_timeout() => {
            record(endpoint, "timeout", started);
            return Err(SendError::Timeout);
        }
        Err(e) => {
            record(endpoint, "error", started);
            // Only a failed connect says the host may be wrong; a connection that broke after
            // the request was sent (reset, closed by a proxy) is a transient failure.
            let error = if e.is_connect() {
                unreachable_error(credentials, describe_reqwest(&e))
            } else {
                GongError::Interrupted {
                    detail: root_cause(&e),
                }
            };
            return Err(error.into());
        }
    };
    let status = response.status();
    let headers = response.headers().clone();
    let body = read_body(response, shared.settings.max_response_bytes).await;
    record(endpoint, status.as_str(), started);
    let body = match body {
        Ok(b) => b,
        Err(BodyError::Timeout) => return Err(SendError::Timeout),
        Err(BodyError::TooLarge) => {
            return Err(GongError::Malformed {
                detail: format!(
                    "the response is larger than {} MiB",
                    shared.settings.max_response_bytes >> 20
                ),
                request_id: trace_id(&headers),
            }
            .into());
        }
        Err(BodyError::Cut(detail)) => {
            return Err(GongError::Malformed {
                detail: format!("the connection broke mid-response: {detail}"),
                request_id: trace_id(&headers),
            }
            .into());
        }
    };
    classify(status, &headers, body).map_err(|e| {
        // Gong's error strings and request ids are quoted to the agent and logged: a proxy or
        // Gong itself echoing the credentials must not carry them any further.
        let e = e.map_text(|text| credentials.redact(text));
        tracing::warn!(
            endpoint = endpoint.name(),
            status = status.as_u16(),
            gong_request_id = e.request_id().unwrap_or("-"),
            error = e.kind(),
            "Gong request failed"
        );
        if matches!(e, GongError::RateLimited { .. }) {
            metrics::counter!("gong_rate_limited_total", "endpoint" => endpoint.name())
                .increment(1);
        }
        SendError::Gong(e)
    })
}

fn record(endpoint: Endpoint, status: &str, started: std::time::Instant) {
    metrics::counter!("gong_requests_total", "endpoint" => endpoint.name(), "status" => status.to_owned())
        .increment(1);
    metrics::histogram!("gong_request_duration_seconds", "endpoint" => endpoint.name())
        .record(started.elapsed().as_secs_f64());
}

fn classify(status: StatusCode, headers: &HeaderMap, body: Bytes) -> Result<Outcome, GongError> {
    if status.is_success() {
        return Ok(Outcome::Body(body));
    }
    let parsed: Option<ErrorBody> = serde_json::from_slice(&body).ok();
    let request_id = parsed
        .as_ref()
        .and_then(|b| b.request_id.clone())
        .or_else(|| trace_id(headers));
    let errors = match &parsed {
        Some(b) => b.errors.iter().map(|e| clip(e, 300)).collect(),
        None => vec![describe_non_json(headers, &body)],
    };
    Err(match status.as_u16() {
        300..=399 => GongError::Redirect {
            status: status.as_u16(),
            location: headers
                .get(header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| url::Url::parse(l).ok())
                .and_then(|u| u.host_str().map(str::to_owned)),
        },
        401 => GongError::Unauthorized {
            status: 401,
            request_id,
        },
        403 => GongError::Forbidden { request_id },
        404 if errors.iter().any(|e| e.contains("No calls found")) => return Ok(Outcome::NoCalls),
        429 => GongError::RateLimited {
            retry_after: retry_after(headers).unwrap_or(Duration::from_secs(1)),
        },
        500..=599 => GongError::Upstream {
            status: status.as_u16(),
            request_id,
        },
        code => GongError::Rejected {
            status: code,
            errors,
            request_id,
        },
    })
}

fn trace_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-traceid")
        .and_then(|v| v.to_str().ok())
        .map(|v| clip(v, 64))
}

fn unreachable_error(credentials: &GongCredentials, detail: String) -> GongError {
    GongError::Unreachable {
        host: credentials
            .base_url()
            .host_str()
            .unwrap_or("the configured host")
            .to_owned(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn no_calls_404_is_an_empty_result_but_other_404s_are_errors() {
        let body = Bytes::from_static(
            br#"{"requestId":"r1","errors":["No calls found corresponding to the provided filters"]}"#,
        );
        assert!(matches!(
            classify(StatusCode::NOT_FOUND, &HeaderMap::new(), body),
            Ok(Outcome::NoCalls)
        ));
        let body = Bytes::from_static(br#"{"requestId":"r2","errors":["Not Found"]}"#);
        let err = classify(StatusCode::NOT_FOUND, &HeaderMap::new(), body).unwrap_err();
        assert!(matches!(err, GongError::Rejected { status: 404, .. }));
        assert_eq!(err.request_id(), Some("r2"));
    }

    #[test]
    fn html_error_pages_are_described_not_echoed() {
        let body = Bytes::from_static(
            b"<html><body><h1>502 Bad Gateway</h1><script>x</script></body></html>",
        );
        let err = classify(
            StatusCode::BAD_REQUEST,
            &headers(&[("content-type", "text/html"), ("x-traceid", "t-9")]),
            body,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a non-JSON response (text/html"), "{text}");
        assert!(!text.contains("<script>"), "{text}");
        assert_eq!(err.request_id(), Some("t-9"));
    }

    #[test]
    fn redirect_names_only_the_target_host() {
        let err = classify(
            StatusCode::MOVED_PERMANENTLY,
            &headers(&[("location", "https://us-7.api.gong.io/v2/calls?x=secret")]),
            Bytes::new(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("to us-7.api.gong.io"), "{text}");
        assert!(!text.contains("secret"));
    }
}
