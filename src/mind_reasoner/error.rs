//! Everything that can go wrong talking to Mind Reasoner (and to the storage behind its signed
//! upload URLs), phrased for the agent that has to act on it. Never contains the API key.

use std::time::Duration;

use chrono::Utc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum MindReasonerError {
    #[error(
        "Mind Reasoner did not accept the API key (HTTP 401): check the Mind Reasoner API key (the X-Mind-Reasoner-Api-Key header, or MIND_REASONER_API_KEY over stdio)."
    )]
    Unauthorized,
    #[error(
        "Mind Reasoner refused access (HTTP 403){}: check that the API key belongs to the organization that owns this mind.",
        crate::upstream::response::detail_suffix(.message)
    )]
    Forbidden { message: Option<String> },
    /// 404, with what was looked for (the client knows which id it sent).
    #[error("{0}")]
    NotFound(String),
    #[error("Mind Reasoner rejected the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error(
        "Mind Reasoner refused the file as too large (HTTP 413){}. Files up to 4 MB are safe for a direct upload; split larger transcripts into several files and snapshots.",
        crate::upstream::response::detail_suffix(.message)
    )]
    TooLarge { message: Option<String> },
    #[error("{}", rate_limit_message(*.retry_after))]
    RateLimited { retry_after: Duration },
    #[error(
        "Mind Reasoner is failing (HTTP {status}); this is usually transient: retry in a minute."
    )]
    Upstream { status: u16 },
    #[error(
        "This tool call did not finish within its deadline of {} s; retry (a long simulation may need a larger --simulate-timeout).",
        .0.as_secs()
    )]
    Timeout(Duration),
    #[error(
        "Could not reach {host}: {detail}. Check MIND_REASONER_BASE_URL (or the network), then retry."
    )]
    Unreachable { host: String, detail: String },
    #[error(
        "Mind Reasoner closed the connection before answering ({detail}); this is usually transient: retry."
    )]
    Interrupted { detail: String },
    #[error(
        "Mind Reasoner answered with a redirect (HTTP {status}); redirects are not followed: check MIND_REASONER_BASE_URL."
    )]
    Redirect { status: u16 },
    #[error(
        "Mind Reasoner sent a response that could not be read ({detail}); this is usually transient: retry."
    )]
    Malformed { detail: String },
    /// A request that creates something failed in a way that does not say whether it happened.
    #[error(
        "{action} may or may not have happened: {cause} Before you retry, {check}, so a retry does not create a duplicate."
    )]
    Uncertain {
        action: String,
        check: String,
        cause: Box<MindReasonerError>,
    },
    /// The signed URL's host is not on `--allowed-upload-hosts`: nothing was sent.
    #[error(
        "Refused to upload to '{host}': this server uploads only to signed URLs on allowed hosts ({allowed}). Use the signedUrl that get_signed_upload_url returned, unchanged; nothing was sent."
    )]
    UploadHostNotAllowed { host: String, allowed: String },
    /// The storage behind the signed URL refused the upload.
    #[error("The upload was refused (HTTP {status}{}): {advice}", code_suffix(.code))]
    UploadRefused {
        status: u16,
        code: Option<String>,
        advice: String,
    },
}

impl MindReasonerError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Rejected { .. } => "rejected",
            Self::TooLarge { .. } => "too_large",
            Self::RateLimited { .. } => "rate_limited",
            Self::Upstream { .. } => "upstream",
            Self::Timeout(_) => "timeout",
            Self::Unreachable { .. } => "unreachable",
            Self::Interrupted { .. } => "interrupted",
            Self::Redirect { .. } => "redirect",
            Self::Malformed { .. } => "malformed",
            Self::Uncertain { .. } => "uncertain",
            Self::UploadHostNotAllowed { .. } => "upload_host_not_allowed",
            Self::UploadRefused { .. } => "upload_refused",
        }
    }

    /// For a request that creates something: a failure after which it may have happened becomes
    /// [`MindReasonerError::Uncertain`], saying how to check; anything else is returned as is.
    pub fn uncertain_unless_refused(self, action: &str, check: &str) -> Self {
        match self {
            Self::Upstream { .. }
            | Self::Timeout(_)
            | Self::Interrupted { .. }
            | Self::Malformed { .. } => Self::Uncertain {
                action: action.to_owned(),
                check: check.to_owned(),
                cause: Box::new(self),
            },
            other => other,
        }
    }
}

crate::upstream::exchange::upstream_error!(MindReasonerError);

fn code_suffix(code: &Option<String>) -> String {
    match code {
        Some(c) => format!(", {c}"),
        None => String::new(),
    }
}

fn rate_limit_message(retry_after: Duration) -> String {
    let secs = retry_after.as_secs().max(1);
    let at = Utc::now() + chrono::Duration::seconds(secs as i64);
    format!(
        "Rate limit exceeded: Mind Reasoner asks to wait; retry after {secs} s (about {} UTC).",
        at.format("%H:%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_that_may_have_happened_says_how_to_check() {
        let e = MindReasonerError::Upstream { status: 502 }.uncertain_unless_refused(
            "Creating the mind 'Ada'",
            "call search_minds with query 'Ada'",
        );
        let text = e.to_string();
        assert!(
            text.starts_with("Creating the mind 'Ada' may or may not have happened: Mind Reasoner is failing (HTTP 502)"),
            "{text}"
        );
        assert!(text.contains("search_minds"), "{text}");
        // A refusal is certain: nothing happened, the error stays as it is.
        let refused = MindReasonerError::RateLimited {
            retry_after: Duration::from_secs(3),
        }
        .uncertain_unless_refused("x", "y");
        assert!(matches!(refused, MindReasonerError::RateLimited { .. }));
    }
}
