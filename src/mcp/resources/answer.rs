//! What a resource says: the answer of the tool that shows the same thing, with that tool's
//! default arguments (and the page's `offset`), produced by the tool's own code.

use crate::mcp::args::{
    CallDetailsArgs, FathomTranscriptArgs, FirefliesTranscriptArgs, TranscriptArgs,
};
use crate::mcp::error::ToolError;
use crate::mcp::meeting_client::MeetingClient;
use crate::mcp::tools::{self, ToolOutput};

use super::uri::Kind;

/// The answer for meeting `id` of `client`'s recorder: its details tool's, or a page of its
/// transcript tool's.
pub async fn answer(
    client: &MeetingClient,
    kind: &Kind,
    id: String,
) -> Result<ToolOutput, ToolError> {
    match (client, kind) {
        (MeetingClient::Gong(c), Kind::Details) => {
            let args = CallDetailsArgs {
                call_id: Some(id),
                ..CallDetailsArgs::default()
            };
            tools::call_details::run(c, args).await
        }
        (MeetingClient::Gong(c), Kind::Transcript { offset }) => {
            let args = TranscriptArgs {
                call_id: id,
                offset: *offset,
                ..TranscriptArgs::default()
            };
            tools::transcript::run(c, args).await
        }
        (MeetingClient::Fathom(c), Kind::Details) => {
            let args = tools::fathom::MeetingDetailsArgs { meeting_id: id };
            tools::fathom::details::run(c, args).await
        }
        (MeetingClient::Fathom(c), Kind::Transcript { offset }) => {
            let args = FathomTranscriptArgs {
                meeting_id: id,
                offset: *offset,
                ..FathomTranscriptArgs::default()
            };
            tools::fathom::transcript::run(c, args).await
        }
        (MeetingClient::Fireflies(c), Kind::Transcript { offset }) => {
            let args = FirefliesTranscriptArgs {
                transcript_id: id,
                offset: *offset,
                ..FirefliesTranscriptArgs::default()
            };
            tools::fireflies::transcript::run(c, args).await
        }
        // `uri::parse` refuses these: Fireflies has no details tool.
        (MeetingClient::Fireflies(_), Kind::Details) => Err(ToolError::NotFound(
            "Fireflies has no details resource: read the meeting's …/transcript".to_owned(),
        )),
    }
}
