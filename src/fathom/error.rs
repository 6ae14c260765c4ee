//! Everything that can go wrong talking to Fathom, phrased for the agent that has to act on it.
//! Never contains the API key.

use std::time::Duration;

use chrono::Utc;

#[derive(Debug, Clone, thiserror::Error)]
pub enum FathomError {
    #[error(
        "Fathom did not accept the API key (HTTP 401): check the Fathom API key (the X-Fathom-Api-Key header, or FATHOM_API_KEY over stdio); keys are created in Fathom under Settings > API Access."
    )]
    Unauthorized,
    #[error(
        "Fathom refused access (HTTP 403){}: this API key may not read this meeting (a key sees the meetings its user recorded or that were shared with them or their team).",
        crate::upstream::response::detail_suffix(.message)
    )]
    Forbidden { message: Option<String> },
    /// 404, with what was looked for.
    #[error("{0}")]
    NotFound(String),
    #[error("Fathom rejected the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("{}", rate_limit_message(*.retry_after))]
    RateLimited { retry_after: Duration },
    #[error("Fathom is failing (HTTP {status}); this is usually transient: retry in a minute.")]
    Upstream { status: u16 },
    #[error(
        "This tool call did not finish within its deadline of {} s (Fathom answered too slowly); retry, or ask for less (a narrower date range).",
        .0.as_secs()
    )]
    Timeout(Duration),
    #[error(
        "Could not reach {host}: {detail}. Check FATHOM_BASE_URL (or the network), then retry."
    )]
    Unreachable { host: String, detail: String },
    #[error(
        "Fathom closed the connection before answering ({detail}); this is usually transient: retry."
    )]
    Interrupted { detail: String },
    #[error(
        "Fathom answered with a redirect (HTTP {status}); redirects are not followed: check FATHOM_BASE_URL (the API root, e.g. https://api.fathom.ai/external/v1)."
    )]
    Redirect { status: u16 },
    #[error(
        "Fathom sent a response that could not be read ({detail}); this is usually transient: retry."
    )]
    Malformed { detail: String },
}

impl FathomError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::Rejected { .. } => "rejected",
            Self::RateLimited { .. } => "rate_limited",
            Self::Upstream { .. } => "upstream",
            Self::Timeout(_) => "timeout",
            Self::Unreachable { .. } => "unreachable",
            Self::Interrupted { .. } => "interrupted",
            Self::Redirect { .. } => "redirect",
            Self::Malformed { .. } => "malformed",
        }
    }
}

crate::upstream::exchange::upstream_error!(FathomError);

fn rate_limit_message(retry_after: Duration) -> String {
    let secs = retry_after.as_secs().max(1);
    let at = Utc::now() + chrono::Duration::seconds(secs as i64);
    format!(
        "Rate limit reached: Fathom allows 60 requests a minute per API key and asks to wait; retry after {secs} s (about {} UTC). Nothing was changed; answers already read are cached, so asking again costs fewer requests.",
        at.format("%H:%M:%S")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_limit_names_the_wait_and_the_time() {
        let text = FathomError::RateLimited {
            retry_after: Duration::from_secs(90),
        }
        .to_string();
        assert!(text.contains("retry after 90 s (about "), "{text}");
        assert!(text.contains("UTC"), "{text}");
    }
}
