//! What a pipeline answer cost the provider it read, named by provider (`gongRequests`, …) so an
//! agent budgeting one company's quota reads the right number.

use schemars::JsonSchema;
use serde::Serialize;

use crate::meetings::{MeetingProvider, Source};

#[derive(Debug, Default, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(transform = crate::mcp::args::optional_not_nullable)]
pub struct Spend {
    /// Gong requests this answer cost (cached data costs none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gong_requests: Option<u32>,
    /// Fathom requests this answer cost (cached data costs none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fathom_requests: Option<u32>,
    /// Fireflies requests this answer cost (cached data costs none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fireflies_requests: Option<u32>,
}

impl Spend {
    /// The requests `provider`'s client has sent so far.
    pub fn of(provider: &impl MeetingProvider) -> Self {
        let n = Some(provider.requests_sent());
        match provider.source() {
            Source::Gong => Spend {
                gong_requests: n,
                ..Spend::default()
            },
            Source::Fathom => Spend {
                fathom_requests: n,
                ..Spend::default()
            },
            Source::Fireflies => Spend {
                fireflies_requests: n,
                ..Spend::default()
            },
        }
    }

    /// "12 Gong request(s)".
    pub fn describe(&self) -> String {
        let (n, name) = match (
            self.gong_requests,
            self.fathom_requests,
            self.fireflies_requests,
        ) {
            (Some(n), _, _) => (n, "Gong"),
            (_, Some(n), _) => (n, "Fathom"),
            (_, _, Some(n)) => (n, "Fireflies"),
            _ => (0, "upstream"),
        };
        format!("{n} {name} request(s)")
    }
}
