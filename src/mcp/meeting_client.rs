//! One tenant's client for whichever recorder a provider-neutral tool reads (`source`): the
//! speaker listings and `create_mind_from_calls` take any of them through this one type.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::fathom::FathomClient;
use crate::fireflies::FirefliesClient;
use crate::gong::GongClient;
use crate::mcp::RequestCredentials;
use crate::mcp::error::ToolError;
use crate::mcp::server::Upstreams;
use crate::meetings::{
    MeetingHeader, MeetingPage, MeetingProvider, MeetingTranscript, Source, WindowQuery,
};

pub enum MeetingClient {
    Gong(GongClient),
    Fathom(FathomClient),
    Fireflies(FirefliesClient),
}

impl MeetingClient {
    /// The tenant's client for `source`, if the request carries that provider's credentials.
    pub fn for_source(
        source: Source,
        upstreams: &Upstreams,
        credentials: &RequestCredentials,
        budget: Duration,
    ) -> Option<Self> {
        match source {
            Source::Gong => credentials
                .gong
                .clone()
                .map(|c| MeetingClient::Gong(upstreams.gong.client(c, budget))),
            Source::Fathom => credentials
                .fathom
                .clone()
                .map(|k| MeetingClient::Fathom(upstreams.fathom.client(k, budget))),
            Source::Fireflies => credentials
                .fireflies
                .clone()
                .map(|k| MeetingClient::Fireflies(upstreams.fireflies.client(k, budget))),
        }
    }

    /// What a request lacks to use `source`: for errors.
    pub fn credentials_hint(source: Source, stdio: bool) -> &'static str {
        match (source, stdio) {
            (Source::Gong, false) => {
                "Gong credentials (the X-Gong-Access-Key and X-Gong-Access-Secret headers)"
            }
            (Source::Gong, true) => "Gong credentials (GONG_ACCESS_KEY and GONG_ACCESS_SECRET)",
            (Source::Fathom, false) => "a Fathom API key (the X-Fathom-Api-Key header)",
            (Source::Fathom, true) => "a Fathom API key (FATHOM_API_KEY)",
            (Source::Fireflies, false) => "a Fireflies API key (the X-Fireflies-Api-Key header)",
            (Source::Fireflies, true) => "a Fireflies API key (FIREFLIES_API_KEY)",
        }
    }
}

/// Each call goes to the provider's own adapter.
macro_rules! each {
    ($self:ident, $c:ident => $e:expr) => {
        match $self {
            MeetingClient::Gong($c) => $e,
            MeetingClient::Fathom($c) => $e,
            MeetingClient::Fireflies($c) => $e,
        }
    };
}

impl MeetingProvider for MeetingClient {
    fn source(&self) -> Source {
        each!(self, c => c.source())
    }

    fn check_id(&self, name: &str, id: &str) -> Result<(), ToolError> {
        each!(self, c => c.check_id(name, id))
    }

    fn requests_sent(&self) -> u32 {
        each!(self, c => MeetingProvider::requests_sent(c))
    }

    async fn list_window(&self, query: &WindowQuery) -> Result<MeetingPage, ToolError> {
        each!(self, c => c.list_window(query).await)
    }

    async fn headers(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, Arc<MeetingHeader>>, ToolError> {
        each!(self, c => c.headers(ids).await)
    }

    async fn transcript(&self, id: &str) -> Result<Option<Arc<MeetingTranscript>>, ToolError> {
        each!(self, c => MeetingProvider::transcript(c, id).await)
    }
}
