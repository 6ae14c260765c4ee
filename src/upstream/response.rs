//! Reading an upstream's HTTP answer defensively: bounded bodies, `Retry-After`, and transport
//! failures described by their cause (never by a URL, which may carry a signature).

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, header};

pub enum BodyError {
    Timeout,
    TooLarge,
    Cut(String),
}

/// The whole body, refusing more than `max` bytes (before reading, when the length is announced).
pub async fn read_body(mut response: reqwest::Response, max: usize) -> Result<Bytes, BodyError> {
    if response.content_length().is_some_and(|n| n > max as u64) {
        return Err(BodyError::TooLarge);
    }
    let mut buf = BytesMut::with_capacity(
        response
            .content_length()
            .map_or(16 * 1024, |n| n as usize)
            .min(max),
    );
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if buf.len() + chunk.len() > max {
                    return Err(BodyError::TooLarge);
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(buf.freeze()),
            Err(e) if e.is_timeout() => return Err(BodyError::Timeout),
            Err(e) => return Err(BodyError::Cut(describe_reqwest(&e))),
        }
    }
}

/// `Retry-After` in seconds or as an HTTP date, at least 1 s and at most a week; `None` when
/// absent or unreadable.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs.clamp(1, 7 * 24 * 3600)));
    }
    chrono::DateTime::parse_from_rfc2822(value)
        .ok()
        .and_then(|at| {
            (at.with_timezone(&chrono::Utc) - chrono::Utc::now())
                .to_std()
                .ok()
        })
        .map(|d| d.max(Duration::from_secs(1)))
}

/// At most `max_chars` of upstream text, without control characters, trimmed.
pub fn clip(s: &str, max_chars: usize) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control())
        .take(max_chars)
        .collect();
    clean.trim().to_owned()
}

/// `": message"` after an error's first words, or nothing when the upstream said nothing.
pub fn detail_suffix(message: &Option<String>) -> String {
    match message {
        Some(m) if !m.is_empty() => format!(": {m}"),
        _ => String::new(),
    }
}

/// Non-JSON error bodies (proxy HTML pages, plain text) are described, not echoed.
pub fn describe_non_json(headers: &HeaderMap, body: &[u8]) -> String {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type");
    if body.is_empty() {
        "empty response body".to_owned()
    } else if content_type.starts_with("text/plain") {
        clip(&String::from_utf8_lossy(body), 200)
    } else {
        format!(
            "a non-JSON response ({}, {} bytes)",
            clip(content_type, 60),
            body.len()
        )
    }
}

/// The innermost cause (e.g. "connection closed before message completed"), clipped.
pub fn root_cause(e: &reqwest::Error) -> String {
    deepest_cause(e).unwrap_or_else(|| "no details".to_owned())
}

/// reqwest's `Display` includes the URL; the cause chain says what actually went wrong.
pub fn describe_reqwest(e: &reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "response body could not be read"
    } else if e.is_request() {
        "request failed"
    } else {
        "HTTP error"
    };
    match deepest_cause(e) {
        Some(d) => format!("{kind} ({d})"),
        None => kind.to_owned(),
    }
}

fn deepest_cause(e: &reqwest::Error) -> Option<String> {
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(e);
    let mut deepest = None;
    while let Some(s) = source {
        deepest = Some(s.to_string());
        source = s.source();
    }
    deepest.map(|d| clip(&d, 160))
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
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "3600")])),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(retry_after(&HeaderMap::new()), None);
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
        let later = (chrono::Utc::now() + chrono::Duration::seconds(120)).to_rfc2822();
        let d = retry_after(&headers(&[("retry-after", &later)])).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{d:?}"
        );
    }
}
