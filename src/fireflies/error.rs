//! Everything that can go wrong talking to Fireflies, phrased for the agent that has to act on
//! it. Fireflies answers GraphQL: most failures arrive as `errors[]` with an `extensions.code`,
//! often with HTTP 200, so the code (not the status) decides. Never contains the API key.

use std::time::Duration;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, thiserror::Error)]
pub enum FirefliesError {
    #[error(
        "Fireflies did not accept the API key (HTTP 401{}): check the Fireflies API key (the X-Fireflies-Api-Key header, or FIREFLIES_API_KEY over stdio); Fireflies shows it under Integrations > Fireflies API. Nothing was read.",
        crate::upstream::response::detail_suffix(.message)
    )]
    Unauthorized { message: Option<String> },
    #[error(
        "Fireflies refused access{}: this API key may not read it (only meetings the key's user attended, organised or that were shared with their team are visible).",
        crate::upstream::response::detail_suffix(.message)
    )]
    Forbidden { message: Option<String> },
    #[error(
        "Fireflies refused: this needs a paid Fireflies plan{}. Nothing was read; upgrade the plan, or use a key of an account on that plan.",
        crate::upstream::response::detail_suffix(.message)
    )]
    PaidRequired { message: Option<String> },
    /// `object_not_found`, with what was looked for (the client knows which id it sent).
    #[error("{0}")]
    NotFound(String),
    /// `args_required`, `invalid_arguments`, a validation error: the request was wrong.
    #[error("Fireflies rejected the request ({code}): {message}")]
    Rejected { code: String, message: String },
    #[error("{}", rate_limit_message(*.retry_after))]
    RateLimited { retry_after: Duration },
    /// This server's own count of the tenant's requests today reached the configured allowance.
    #[error(
        "This server's daily Fireflies allowance for this API key is spent: {used} of {limit} requests today (UTC). Nothing was sent; it renews at {} UTC (midnight). The operator sets the allowance with --fireflies-daily-requests (FIREFLIES_DAILY_REQUESTS) to match the Fireflies plan (Free and Pro allow 50 requests a day).",
        .resets.format("%Y-%m-%d %H:%M")
    )]
    DailyAllowance {
        used: u64,
        limit: u64,
        resets: DateTime<Utc>,
    },
    #[error("Fireflies is failing (HTTP {status}); this is usually transient: retry in a minute.")]
    Upstream { status: u16 },
    #[error(
        "This tool call did not finish within its deadline of {} s while waiting for Fireflies; retry (ask for fewer transcripts if it keeps happening).",
        .0.as_secs()
    )]
    Timeout(Duration),
    #[error(
        "Could not reach {host}: {detail}. Check FIREFLIES_API_URL (or the network), then retry."
    )]
    Unreachable { host: String, detail: String },
    #[error(
        "Fireflies closed the connection before answering ({detail}); this is usually transient: retry."
    )]
    Interrupted { detail: String },
    #[error(
        "Fireflies answered with a redirect (HTTP {status}); redirects are not followed: check FIREFLIES_API_URL (the full GraphQL URL, e.g. https://api.fireflies.ai/graphql)."
    )]
    Redirect { status: u16 },
    #[error(
        "Fireflies sent a response that could not be read ({detail}); this is usually transient: retry."
    )]
    Malformed { detail: String },
}

impl FirefliesError {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Unauthorized { .. } => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::PaidRequired { .. } => "paid_required",
            Self::NotFound(_) => "not_found",
            Self::Rejected { .. } => "rejected",
            Self::RateLimited { .. } => "rate_limited",
            Self::DailyAllowance { .. } => "daily_allowance",
            Self::Upstream { .. } => "upstream",
            Self::Timeout(_) => "timeout",
            Self::Unreachable { .. } => "unreachable",
            Self::Interrupted { .. } => "interrupted",
            Self::Redirect { .. } => "redirect",
            Self::Malformed { .. } => "malformed",
        }
    }
}

crate::upstream::exchange::upstream_error!(FirefliesError);

fn rate_limit_message(retry_after: Duration) -> String {
    // Rounded up: the time said is never before the time Fireflies gave.
    let secs = retry_after.as_millis().div_ceil(1000).max(1) as u64;
    let at = Utc::now() + chrono::Duration::seconds(secs as i64);
    format!(
        "Fireflies' rate limit is reached for this API key: it allows requests again in {secs} s (at {} UTC). Nothing more was read; retry after that time. Fireflies' Free and Pro plans allow 50 requests a day, Business and Enterprise 60 a minute.",
        at.format("%Y-%m-%d %H:%M:%S")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::{Failure, RetryError};

    #[test]
    fn rate_limits_say_when_and_only_refusals_and_transients_are_retried() {
        let e = FirefliesError::RateLimited {
            retry_after: Duration::from_secs(7200),
        };
        let text = e.to_string();
        assert!(text.contains("in 7200 s"), "{text}");
        assert!(text.contains(" UTC)"), "{text}");
        assert_eq!(e.failure(), Failure::RateLimited(Duration::from_secs(7200)));
        assert_eq!(
            FirefliesError::Upstream { status: 502 }.failure(),
            Failure::Transient
        );
        assert_eq!(
            FirefliesError::NotFound("x".into()).failure(),
            Failure::Final
        );
    }
}
