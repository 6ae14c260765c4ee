//! One HTTP exchange with Fathom, and the translation of its status, `RateLimit-*` headers and
//! body into an answer or a [`FathomError`].

use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;

use super::error::FathomError;
use super::types::ErrorBody;
use crate::upstream::exchange::{self, Metered};
use crate::upstream::response::{clip, describe_non_json, retry_after};

/// Largest answer read from Fathom (a page of meetings with embedded transcripts).
pub const MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;
/// Longest wait `RateLimit-Reset` may ask for (its window is a minute; more is noise).
const MAX_RESET: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ListMeetings,
    Transcript,
    Summary,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::ListMeetings => "GET /meetings",
            Endpoint::Transcript => "GET /recordings/{id}/transcript",
            Endpoint::Summary => "GET /recordings/{id}/summary",
        }
    }
}

pub use crate::upstream::exchange::Answer;
/// A request failed before a whole answer arrived.
pub type SendError = exchange::SendError<FathomError>;

/// Sends one built request (key attached) within `timeout`.
pub async fn send(
    request: reqwest::RequestBuilder,
    endpoint: Endpoint,
    host: &str,
    timeout: Duration,
) -> Result<Answer, SendError> {
    let metered = Metered {
        requests_total: "fathom_requests_total",
        duration_seconds: "fathom_request_duration_seconds",
        label: "endpoint",
        value: endpoint.name(),
    };
    exchange::send(request, metered, host, MAX_RESPONSE_BYTES, timeout).await
}

/// `RateLimit-Reset` (seconds until a request is allowed again) when `RateLimit-Remaining` says
/// the quota is spent: the tenant's next request must wait that long.
pub fn quota_spent(headers: &HeaderMap) -> Option<Duration> {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|n| n.is_finite() && *n >= 0.0)
    };
    (number("ratelimit-remaining")? < 1.0).then(|| reset(headers))?
}

fn reset(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get("ratelimit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|n| n.is_finite() && *n > 0.0)
        .map(|s| Duration::from_secs_f64(s).min(MAX_RESET))
}

/// An answer's body on success, else the error it means. `not_found` is the message for a 404.
pub fn classify(answer: Answer, not_found: &str) -> Result<Bytes, FathomError> {
    let Answer {
        status,
        headers,
        body,
    } = answer;
    if status.is_success() {
        return Ok(body);
    }
    let parsed: Option<ErrorBody> = serde_json::from_slice(&body).ok();
    let message = match &parsed {
        Some(b) => b.text().map(|t| clip(t, 300)),
        None => Some(describe_non_json(&headers, &body)),
    };
    Err(match status.as_u16() {
        300..=399 => FathomError::Redirect {
            status: status.as_u16(),
        },
        401 => FathomError::Unauthorized,
        403 => FathomError::Forbidden { message },
        404 => FathomError::NotFound(not_found.to_owned()),
        429 => FathomError::RateLimited {
            retry_after: retry_after(&headers)
                .or_else(|| reset(&headers))
                .unwrap_or(Duration::from_secs(1)),
        },
        500..=599 => FathomError::Upstream {
            status: status.as_u16(),
        },
        code => FathomError::Rejected {
            status: code,
            message: message.unwrap_or_else(|| "no details given".to_owned()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    fn answer(status: u16, headers: &[(&'static str, &str)], body: &str) -> Answer {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(*k, v.parse().unwrap());
        }
        Answer {
            status: StatusCode::from_u16(status).unwrap(),
            headers: h,
            body: Bytes::from(body.to_owned()),
        }
    }

    #[test]
    fn statuses_become_errors_an_agent_can_act_on() {
        let e = classify(answer(401, &[], r#"{"message":"Unauthorized"}"#), "nf").unwrap_err();
        assert!(matches!(e, FathomError::Unauthorized));
        let e = classify(answer(404, &[], "{}"), "no meeting 7").unwrap_err();
        assert_eq!(e.to_string(), "no meeting 7");
        let e = classify(answer(429, &[("ratelimit-reset", "17")], "{}"), "").unwrap_err();
        assert!(
            matches!(e, FathomError::RateLimited { retry_after } if retry_after == Duration::from_secs(17))
        );
        let e = classify(
            answer(
                429,
                &[("retry-after", "3"), ("ratelimit-reset", "17")],
                "{}",
            ),
            "",
        )
        .unwrap_err();
        assert!(
            matches!(e, FathomError::RateLimited { retry_after } if retry_after == Duration::from_secs(3))
        );
        let e = classify(answer(503, &[("content-type", "text/html")], "<html>"), "").unwrap_err();
        assert!(matches!(e, FathomError::Upstream { status: 503 }));
        let e = classify(answer(400, &[], r#"{"message":"bad cursor"}"#), "").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Fathom rejected the request (HTTP 400): bad cursor"
        );
    }

    #[test]
    fn a_spent_quota_says_how_long_to_wait() {
        let h = |r: &str, s: &str| {
            let mut h = HeaderMap::new();
            h.insert("ratelimit-remaining", r.parse().unwrap());
            h.insert("ratelimit-reset", s.parse().unwrap());
            h
        };
        assert_eq!(quota_spent(&h("0", "12")), Some(Duration::from_secs(12)));
        assert_eq!(quota_spent(&h("5", "12")), None);
        assert_eq!(quota_spent(&HeaderMap::new()), None);
    }
}
