//! One HTTP exchange with Fireflies' GraphQL endpoint, and the translation of its status and body
//! into data or a [`FirefliesError`]. Fireflies reports most failures as GraphQL `errors[]` with
//! an `extensions.code`, with HTTP 200 as often as not: the code decides, then the status.

use std::time::Duration;

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::error::FirefliesError;
use super::types::{Envelope, GraphqlError};
use crate::upstream::exchange::{self, Metered};
use crate::upstream::response::{clip, describe_non_json, retry_after};

/// Largest answer read from Fireflies (a long meeting's sentences are a few MB).
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;
/// When Fireflies says "too many requests" without saying until when.
const DEFAULT_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);
const MAX_WAIT: Duration = Duration::from_secs(7 * 24 * 3600);

pub use crate::upstream::exchange::Answer;
/// A request failed before a whole answer arrived.
pub type SendError = exchange::SendError<FirefliesError>;

/// Sends one built request (auth attached) within `timeout`.
pub async fn send(
    request: reqwest::RequestBuilder,
    operation: &'static str,
    host: &str,
    timeout: Duration,
) -> Result<Answer, SendError> {
    let metered = Metered {
        requests_total: "fireflies_requests_total",
        duration_seconds: "fireflies_request_duration_seconds",
        label: "operation",
        value: operation,
    };
    exchange::send(request, metered, host, MAX_RESPONSE_BYTES, timeout).await
}

/// The answer's `data`, or the error it means. `not_found` is the message for
/// `object_not_found` (the caller knows which id it sent); `redact` removes the key from
/// upstream text.
pub fn classify<T: DeserializeOwned>(
    answer: Answer,
    not_found: &str,
    redact: &dyn Fn(&str) -> String,
) -> Result<T, FirefliesError> {
    let Answer {
        status,
        headers,
        body,
    } = answer;
    if status.is_redirection() {
        return Err(FirefliesError::Redirect {
            status: status.as_u16(),
        });
    }
    let parsed: Result<Envelope<T>, _> = serde_json::from_slice(&body);
    let envelope = match parsed {
        Ok(e) => e,
        Err(e) => {
            return Err(match status.as_u16() {
                401 => FirefliesError::Unauthorized { message: None },
                429 => FirefliesError::RateLimited {
                    retry_after: retry_after(&headers).unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
                },
                500..=599 => FirefliesError::Upstream {
                    status: status.as_u16(),
                },
                _ if status.is_success() && looks_like_json(&headers) => {
                    FirefliesError::Malformed {
                        detail: format!("invalid JSON: {}", clip(&e.to_string(), 120)),
                    }
                }
                _ => FirefliesError::Malformed {
                    detail: format!(
                        "HTTP {}, {}",
                        status.as_u16(),
                        describe_non_json(&headers, &body)
                    ),
                },
            });
        }
    };
    if let Some(error) = envelope.errors.first() {
        return Err(from_graphql(error, status, &headers, not_found, redact));
    }
    match status.as_u16() {
        401 => return Err(FirefliesError::Unauthorized { message: None }),
        429 => {
            return Err(FirefliesError::RateLimited {
                retry_after: retry_after(&headers).unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
            });
        }
        s @ 500..=599 => return Err(FirefliesError::Upstream { status: s }),
        _ => {}
    }
    envelope.data.ok_or_else(|| FirefliesError::Malformed {
        detail: "the answer has neither data nor errors".to_owned(),
    })
}

fn looks_like_json(headers: &HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"))
}

fn from_graphql(
    error: &GraphqlError,
    status: StatusCode,
    headers: &HeaderMap,
    not_found: &str,
    redact: &dyn Fn(&str) -> String,
) -> FirefliesError {
    let message = error.message.as_deref().map(|m| clip(&redact(m), 300));
    let code = error
        .extensions
        .code
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match code.as_str() {
        "too_many_requests" => FirefliesError::RateLimited {
            retry_after: error
                .extensions
                .metadata
                .retry_after
                .and_then(wait_from_retry_after)
                .or_else(|| retry_after(headers))
                .unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
        },
        "paid_required" | "require_elevated_privilege" => FirefliesError::PaidRequired { message },
        "forbidden" => FirefliesError::Forbidden { message },
        "auth_failed" | "unauthenticated" | "invalid_api_key" | "unauthorized" => {
            FirefliesError::Unauthorized { message }
        }
        "object_not_found" | "not_found" => FirefliesError::NotFound(not_found.to_owned()),
        _ if status == StatusCode::UNAUTHORIZED => FirefliesError::Unauthorized { message },
        _ if status == StatusCode::TOO_MANY_REQUESTS => FirefliesError::RateLimited {
            retry_after: retry_after(headers).unwrap_or(DEFAULT_RATE_LIMIT_WAIT),
        },
        _ if status.is_server_error() || code == "internal_server_error" => {
            FirefliesError::Upstream {
                status: if status.is_server_error() {
                    status.as_u16()
                } else {
                    500
                },
            }
        }
        _ => FirefliesError::Rejected {
            code: if code.is_empty() {
                "no code".to_owned()
            } else {
                clip(&code, 60)
            },
            message: message.unwrap_or_else(|| "no details given".to_owned()),
        },
    }
}

/// `extensions.metadata.retryAfter`, read leniently: Fireflies' documentation and clients read it
/// as the Unix time in milliseconds when a request is allowed again; a Unix time in seconds is
/// accepted too, and a small number (below 10^9) is a delay in seconds. A time in the past means
/// "now" (one second). At most a week.
pub fn wait_from_retry_after(value: f64) -> Option<Duration> {
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    let now_ms = chrono::Utc::now().timestamp_millis() as f64;
    let wait_ms = if value >= 1e12 {
        value - now_ms
    } else if value >= 1e9 {
        value * 1000.0 - now_ms
    } else {
        value * 1000.0
    };
    let wait = Duration::from_millis(wait_ms.max(1000.0).min(MAX_WAIT.as_millis() as f64) as u64);
    Some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fireflies::types::TranscriptsData;
    use bytes::Bytes;

    fn answer(status: u16, body: &str) -> Answer {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::from(body.to_owned()),
        }
    }

    fn run(status: u16, body: &str) -> Result<TranscriptsData, FirefliesError> {
        classify(answer(status, body), "no such transcript", &|s| {
            s.to_owned()
        })
    }

    #[test]
    fn graphql_error_codes_decide_even_with_http_200() {
        let in_an_hour = chrono::Utc::now().timestamp_millis() + 3_600_000;
        let body = format!(
            r#"{{"errors":[{{"message":"Too many requests","extensions":{{"code":"too_many_requests","metadata":{{"retryAfter":{in_an_hour}}}}}}}]}}"#
        );
        match run(200, &body) {
            Err(FirefliesError::RateLimited { retry_after }) => assert!(
                retry_after > Duration::from_secs(3590) && retry_after <= Duration::from_secs(3600),
                "{retry_after:?}"
            ),
            other => panic!("{other:?}"),
        }
        let nf = r#"{"data":null,"errors":[{"message":"Object not found","extensions":{"code":"object_not_found"}}]}"#;
        assert_eq!(run(200, nf).unwrap_err().to_string(), "no such transcript");
        let paid = r#"{"errors":[{"message":"This feature requires the Business plan","extensions":{"code":"paid_required"}}]}"#;
        let text = run(200, paid).unwrap_err().to_string();
        assert!(text.contains("Business plan"), "{text}");
        let args = r#"{"errors":[{"message":"limit must be at most 50","extensions":{"code":"args_required"}}]}"#;
        assert!(matches!(
            run(400, args),
            Err(FirefliesError::Rejected { .. })
        ));
        assert!(matches!(
            run(200, r#"{"data":{"transcripts":[]}}"#),
            Ok(TranscriptsData { .. })
        ));
    }

    #[test]
    fn statuses_and_bodies_without_graphql_errors() {
        assert!(matches!(
            run(401, "nope"),
            Err(FirefliesError::Unauthorized { .. })
        ));
        assert!(matches!(
            run(503, "<html>"),
            Err(FirefliesError::Upstream { status: 503 })
        ));
        assert!(matches!(
            run(200, "{\"data\": [tru"),
            Err(FirefliesError::Malformed { .. })
        ));
        assert!(matches!(
            run(200, "{}"),
            Err(FirefliesError::Malformed { .. })
        ));
    }

    #[test]
    fn retry_after_is_read_as_a_time_or_a_delay() {
        let now_ms = chrono::Utc::now().timestamp_millis() as f64;
        let w = wait_from_retry_after(now_ms + 5000.0).unwrap();
        assert!(
            w > Duration::from_secs(3) && w <= Duration::from_secs(5),
            "{w:?}"
        );
        let w = wait_from_retry_after(now_ms / 1000.0 + 120.0).unwrap();
        assert!(
            w > Duration::from_secs(118) && w <= Duration::from_secs(120),
            "{w:?}"
        );
        assert_eq!(wait_from_retry_after(3.0), Some(Duration::from_secs(3)));
        assert_eq!(
            wait_from_retry_after(now_ms - 1e6),
            Some(Duration::from_secs(1))
        );
        assert_eq!(wait_from_retry_after(f64::NAN), None);
    }
}
