//! What a provider adapter offers the provider-neutral tools (speakers, minds from meetings).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::model::{MeetingHeader, MeetingTranscript, Source};
use crate::mcp::error::ToolError;

/// One page of a window's meetings, oldest first.
#[derive(Debug, Clone)]
pub struct WindowQuery {
    /// Meetings starting at or after this…
    pub from: DateTime<Utc>,
    /// …and before this.
    pub to: DateTime<Utc>,
    /// The provider's own cursor from the previous page.
    pub cursor: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingPage {
    /// Headers (participants where the listing carries them), oldest first.
    pub meetings: Vec<Arc<MeetingHeader>>,
    /// The provider's cursor for the next page of the same window; `None` on the last.
    pub next_cursor: Option<String>,
}

/// A recorder's meetings for one tenant (one per request, built from its credentials). Errors are
/// tool errors that name the provider and say what to do.
pub trait MeetingProvider: Send + Sync {
    fn source(&self) -> Source;

    /// One page of the meetings in a window.
    fn list_window(
        &self,
        query: &WindowQuery,
    ) -> impl Future<Output = Result<MeetingPage, ToolError>> + Send;

    /// Whether `id` has the shape of this provider's meeting ids; `Err` says what one looks like.
    fn check_id(&self, name: &str, id: &str) -> Result<(), ToolError>;

    /// Requests this client has sent to the provider so far (cached answers cost none).
    fn requests_sent(&self) -> u32;

    /// Headers (with participants) of these meetings; ids the provider does not know are absent.
    fn headers(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<HashMap<String, Arc<MeetingHeader>>, ToolError>> + Send;

    /// One meeting's transcript; `None` when the provider has none for it.
    fn transcript(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<Option<Arc<MeetingTranscript>>, ToolError>> + Send;
}
