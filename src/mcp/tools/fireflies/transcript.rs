//! `fireflies_get_transcript`: one meeting's words, rendered exactly as `gong_get_transcript`
//! (text, WebVTT or JSON; speaker and time filters; pages continued with `nextOffset`). One
//! Fireflies request brings the header and the words; it is cached, so further pages cost none.

use crate::fireflies::FirefliesClient;
use crate::fireflies::meeting::{check_id, convert};
use crate::mcp::args::FirefliesTranscriptArgs;
use crate::mcp::error::ToolError;
use crate::mcp::tools::ToolOutput;
use crate::mcp::tools::transcript::answer;
use crate::meetings::Source;

pub async fn run(
    client: &FirefliesClient,
    args: FirefliesTranscriptArgs,
) -> Result<ToolOutput, ToolError> {
    let (id, view) = args.into_parts();
    let id = id.trim().to_owned();
    check_id("transcriptId", &id)?;
    // Checked before spending a Fireflies request (`answer` checks it too).
    if let (Some(from), Some(to)) = (view.from_seconds, view.to_seconds)
        && to <= from
    {
        return Err(ToolError::invalid(
            "toSeconds",
            format!("toSeconds ({to}) must be greater than fromSeconds ({from})"),
        ));
    }
    let full = client.transcript(&id).await?;
    let (header, transcript) = convert(&full);
    if transcript.turns.is_empty() {
        return Err(ToolError::NotFound(format!(
            "Fireflies has no words for transcript {id} yet{}: a meeting is transcribed some minutes after it ends; try again later, or pick another meeting with fireflies_list_transcripts.",
            header
                .title
                .as_deref()
                .map(|t| format!(" (\"{t}\")"))
                .unwrap_or_default()
        )));
    }
    answer(Source::Fireflies, &id, Some(&header), &transcript, view)
}
