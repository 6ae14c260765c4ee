//! One HTTP exchange with Mind Reasoner's API or with the storage behind a signed URL, and the
//! translation of its status and body into an answer or a [`MindReasonerError`].

use std::time::Duration;

use bytes::Bytes;

use super::error::MindReasonerError;
use super::types::ErrorBody;
use crate::upstream::exchange::{self, Metered};
use crate::upstream::response::{clip, describe_non_json, retry_after};

/// Largest answer read from Mind Reasoner (a list of many minds with their snapshots).
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    ListMinds,
    CreateMind,
    SignedUrl,
    Upload,
    CreateSnapshot,
    SnapshotStatus,
    Simulate,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::ListMinds => "GET /minds",
            Endpoint::CreateMind => "POST /minds",
            Endpoint::SignedUrl => "GET /minds/{id}/signed-url",
            Endpoint::Upload => "PUT signed-url",
            Endpoint::CreateSnapshot => "POST /minds/{id}/snapshots",
            Endpoint::SnapshotStatus => "GET /minds/{id}/snapshots/{id}/status",
            Endpoint::Simulate => "POST /simulate",
        }
    }
}

pub use crate::upstream::exchange::Answer;
/// A request failed before a whole answer arrived.
pub type SendError = exchange::SendError<MindReasonerError>;

/// Sends one built request (auth already attached, or deliberately none) within `timeout`.
pub async fn send(
    request: reqwest::RequestBuilder,
    endpoint: Endpoint,
    host: &str,
    timeout: Duration,
) -> Result<Answer, SendError> {
    let metered = Metered {
        requests_total: "mind_reasoner_requests_total",
        duration_seconds: "mind_reasoner_request_duration_seconds",
        label: "endpoint",
        value: endpoint.name(),
    };
    exchange::send(request, metered, host, MAX_RESPONSE_BYTES, timeout).await
}

/// An API answer: its body on success, else the error it means. `not_found` is the message for
/// a 404 (the caller knows which id it sent).
pub fn classify_api(answer: Answer, not_found: &str) -> Result<Bytes, MindReasonerError> {
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
        300..=399 => MindReasonerError::Redirect {
            status: status.as_u16(),
        },
        401 => MindReasonerError::Unauthorized,
        403 => MindReasonerError::Forbidden { message },
        404 => MindReasonerError::NotFound(not_found.to_owned()),
        413 => MindReasonerError::TooLarge { message },
        429 => {
            let from_body = parsed
                .as_ref()
                .and_then(ErrorBody::retry_after_secs)
                .filter(|s| s.is_finite() && *s > 0.0)
                .map(|s| Duration::from_secs_f64(s.min(7.0 * 24.0 * 3600.0)));
            MindReasonerError::RateLimited {
                retry_after: retry_after(&headers)
                    .or(from_body)
                    .unwrap_or(Duration::from_secs(1)),
            }
        }
        500..=599 => MindReasonerError::Upstream {
            status: status.as_u16(),
        },
        code => MindReasonerError::Rejected {
            status: code,
            message: message.unwrap_or_else(|| "no details given".to_owned()),
        },
    })
}

/// The storage's answer to a signed-URL PUT (Google Cloud Storage: XML error bodies).
pub fn classify_upload(answer: Answer) -> Result<(), MindReasonerError> {
    let Answer {
        status,
        headers,
        body,
    } = answer;
    if status.is_success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&body);
    let code = xml_element(&text, "Code");
    let advice = match code.as_deref() {
        Some("SignatureDoesNotMatch") => "the signed URL's signature does not match this upload. Its signature covers the content type: upload with the contentType that matches the fileName given to get_signed_upload_url (e.g. transcript.vtt with text/vtt), and use the URL exactly as returned.".to_owned(),
        Some("ExpiredToken") => EXPIRED.to_owned(),
        Some("AccessDenied") if text.contains("xpired") => EXPIRED.to_owned(),
        Some("EntityTooLarge") => "the file is larger than the storage accepts.".to_owned(),
        _ => match xml_element(&text, "Message") {
            Some(m) => clip(&m, 300),
            None => describe_non_json(&headers, &body),
        },
    };
    Err(match status.as_u16() {
        429 => MindReasonerError::RateLimited {
            retry_after: retry_after(&headers).unwrap_or(Duration::from_secs(1)),
        },
        500..=599 => MindReasonerError::Upstream {
            status: status.as_u16(),
        },
        s => MindReasonerError::UploadRefused {
            status: s,
            code: code.map(|c| clip(&c, 60)),
            advice,
        },
    })
}

const EXPIRED: &str = "the signed URL has expired (they are valid for 1 hour): get a new one with get_signed_upload_url.";

fn xml_element(text: &str, name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&format!("</{name}>"))? + start;
    Some(text[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, StatusCode};

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
    fn api_errors_become_messages_an_agent_can_act_on() {
        let e = classify_api(
            answer(
                400,
                &[],
                r#"{"error":"Bad Request","message":"name is required","code":"VALIDATION"}"#,
            ),
            "nf",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Mind Reasoner rejected the request (HTTP 400): name is required"
        );
        let e = classify_api(answer(404, &[], "{}"), "no mind m1").unwrap_err();
        assert_eq!(e.to_string(), "no mind m1");
        let e = classify_api(answer(429, &[], r#"{"details":{"retryAfter":7}}"#), "").unwrap_err();
        assert!(
            matches!(e, MindReasonerError::RateLimited { retry_after } if retry_after == Duration::from_secs(7))
        );
        let e = classify_api(answer(429, &[("retry-after", "2")], "{}"), "").unwrap_err();
        assert!(
            matches!(e, MindReasonerError::RateLimited { retry_after } if retry_after == Duration::from_secs(2))
        );
        let e = classify_api(
            answer(502, &[("content-type", "text/html")], "<html>x</html>"),
            "",
        )
        .unwrap_err();
        assert!(matches!(e, MindReasonerError::Upstream { status: 502 }));
        let e = classify_api(
            answer(422, &[("content-type", "text/html")], "<script>"),
            "",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("a non-JSON response (text/html"),
            "{e}"
        );
    }

    #[test]
    fn storage_refusals_name_the_fix() {
        let body = "<?xml version='1.0' encoding='UTF-8'?><Error><Code>SignatureDoesNotMatch</Code><Message>x</Message></Error>";
        let e = classify_upload(answer(403, &[], body)).unwrap_err();
        assert!(e.to_string().contains("content type"), "{e}");
        let body = "<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>";
        let e = classify_upload(answer(400, &[], body)).unwrap_err();
        assert!(e.to_string().contains("get_signed_upload_url"), "{e}");
        assert!(classify_upload(answer(200, &[], "")).is_ok());
    }
}
