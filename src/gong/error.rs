//! Everything that can go wrong talking to Gong, phrased for the agent that has to act on it.
//!
//! `Display` is what the tool result shows: what happened, and what to do about it. It never
//! contains credentials: only statuses, Gong's own error strings, hosts and Gong's `requestId`
//! (which support tickets quote).

use std::time::Duration;

use chrono::Utc;

use crate::upstream::{Failure, RetryError};

#[derive(Debug, Clone, thiserror::Error)]
pub enum GongError {
    #[error(
        "Authentication failed: check the access key and secret (a new key pair is needed if the secret was lost). Gong answered HTTP {status}{}.",
        request_id_suffix(.request_id)
    )]
    Unauthorized {
        status: u16,
        request_id: Option<String>,
    },
    #[error(
        "Gong refused access (HTTP 403){}: check the access key and secret, and that the key has the API scopes for calls, extensive call data and transcripts (a new key pair is needed if the secret was lost).",
        request_id_suffix(.request_id)
    )]
    Forbidden { request_id: Option<String> },
    #[error("{}", rate_limit_message(*.retry_after))]
    RateLimited { retry_after: Duration },
    #[error(
        "Gong is failing (HTTP {status}){}; this is usually transient: retry in a minute.",
        request_id_suffix(.request_id)
    )]
    Upstream {
        status: u16,
        request_id: Option<String>,
    },
    /// Worded exactly like the tool layer's own deadline error: which of the two timers fires
    /// first is a race, and the agent must read the same message either way.
    #[error(
        "This tool call did not finish within its deadline of {} s; retry, or ask for less (a narrower date range, fewer call ids).",
        .0.as_secs()
    )]
    Timeout(Duration),
    #[error(
        "Could not reach Gong at {host}: {detail}. Check the base URL (X-Gong-Base-Url header or GONG_BASE_URL), then retry."
    )]
    Unreachable { host: String, detail: String },
    /// The request reached Gong (or a proxy in front of it) but the connection broke before a
    /// response arrived: the base URL is fine, the network or Gong is not.
    #[error(
        "Gong closed the connection before answering ({detail}); this is usually transient: retry."
    )]
    Interrupted { detail: String },
    #[error(
        "Gong answered with a redirect (HTTP {status}{}): the base URL is wrong for this account. Set X-Gong-Base-Url (or GONG_BASE_URL) to your company's API host, e.g. https://us-12345.api.gong.io (Gong: Admin center > Settings > Ecosystem > API).",
        location_suffix(.location)
    )]
    Redirect {
        status: u16,
        location: Option<String>,
    },
    #[error("Gong rejected the request (HTTP {status}): {}{}", join_errors(.errors), request_id_suffix(.request_id))]
    Rejected {
        status: u16,
        errors: Vec<String>,
        request_id: Option<String>,
    },
    #[error(
        "Gong sent a response that could not be read ({detail}){}; this is usually transient: retry.",
        request_id_suffix(.request_id)
    )]
    Malformed {
        detail: String,
        request_id: Option<String>,
    },
}

impl GongError {
    /// Applies `f` to every piece of text that came from the response (Gong's error strings,
    /// request ids, details), e.g. to redact echoed credentials.
    pub fn map_text(self, f: impl Fn(&str) -> String) -> Self {
        let opt = |o: Option<String>| o.map(|s| f(&s));
        match self {
            GongError::Unauthorized { status, request_id } => GongError::Unauthorized {
                status,
                request_id: opt(request_id),
            },
            GongError::Forbidden { request_id } => GongError::Forbidden {
                request_id: opt(request_id),
            },
            GongError::Upstream { status, request_id } => GongError::Upstream {
                status,
                request_id: opt(request_id),
            },
            GongError::Rejected {
                status,
                errors,
                request_id,
            } => GongError::Rejected {
                status,
                errors: errors.iter().map(|e| f(e)).collect(),
                request_id: opt(request_id),
            },
            GongError::Malformed { detail, request_id } => GongError::Malformed {
                detail: f(&detail),
                request_id: opt(request_id),
            },
            GongError::Redirect { status, location } => GongError::Redirect {
                status,
                location: opt(location),
            },
            other @ (GongError::RateLimited { .. }
            | GongError::Timeout(_)
            | GongError::Unreachable { .. }
            | GongError::Interrupted { .. }) => other,
        }
    }

    /// Gong's `requestId`, when the failure came with one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            GongError::Unauthorized { request_id, .. }
            | GongError::Forbidden { request_id }
            | GongError::Upstream { request_id, .. }
            | GongError::Rejected { request_id, .. }
            | GongError::Malformed { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// A short, bounded label for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            GongError::Unauthorized { .. } => "unauthorized",
            GongError::Forbidden { .. } => "forbidden",
            GongError::RateLimited { .. } => "rate_limited",
            GongError::Upstream { .. } => "upstream",
            GongError::Timeout(_) => "timeout",
            GongError::Unreachable { .. } => "unreachable",
            GongError::Interrupted { .. } => "interrupted",
            GongError::Redirect { .. } => "redirect",
            GongError::Rejected { .. } => "rejected",
            GongError::Malformed { .. } => "malformed",
        }
    }
}

impl RetryError for GongError {
    /// Every Gong request the tools make is a read, so whatever may have reached Gong is
    /// retried too.
    fn failure(&self) -> Failure {
        match self {
            GongError::RateLimited { retry_after } => Failure::RateLimited(*retry_after),
            GongError::Unreachable { .. } => Failure::NotSent,
            GongError::Upstream { .. }
            | GongError::Interrupted { .. }
            | GongError::Malformed { .. } => Failure::Transient,
            _ => Failure::Final,
        }
    }

    fn kind(&self) -> &'static str {
        GongError::kind(self)
    }

    fn no_slot(wait: Duration) -> Self {
        GongError::RateLimited { retry_after: wait }
    }

    fn deadline(budget: Duration) -> Self {
        GongError::Timeout(budget)
    }
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    match request_id {
        Some(id) => format!(" (Gong requestId {id})"),
        None => String::new(),
    }
}

fn location_suffix(location: &Option<String>) -> String {
    match location {
        Some(host) => format!(" to {host}"),
        None => String::new(),
    }
}

fn join_errors(errors: &[String]) -> String {
    if errors.is_empty() {
        "no details given".to_owned()
    } else {
        errors.join("; ")
    }
}

fn rate_limit_message(retry_after: Duration) -> String {
    let secs = retry_after.as_secs().max(1);
    let at = Utc::now() + chrono::Duration::seconds(secs as i64);
    format!(
        "Rate limit exceeded: Gong's rate limit is exhausted; retry after {secs} s (about {} UTC). Gong allows 3 requests per second and 10,000 per day per company.",
        at.format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_tell_the_agent_what_to_do() {
        let e = GongError::Unauthorized {
            status: 401,
            request_id: Some("abc".into()),
        };
        assert!(e.to_string().starts_with(
            "Authentication failed: check the access key and secret (a new key pair is needed if the secret was lost)"
        ));
        assert!(e.to_string().contains("requestId abc"));
        let e = GongError::RateLimited {
            retry_after: Duration::from_secs(3600),
        };
        let text = e.to_string();
        assert!(
            text.contains("Gong's rate limit is exhausted; retry after 3600 s (about "),
            "{text}"
        );
        assert!(text.contains(" UTC)"));
    }
}
