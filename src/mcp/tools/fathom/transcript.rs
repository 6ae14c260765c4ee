//! `fathom_get_transcript`: one meeting's words via `GET /recordings/{id}/transcript` (cached),
//! rendered like every provider's (`crate::mcp::tools::transcript::answer`). The header (title,
//! participants) comes from earlier listings, or from one page of the newest meetings: Fathom
//! has no meeting by id, and the words are readable without it.

use crate::fathom::FathomClient;
use crate::fathom::meeting;
use crate::mcp::args::FathomTranscriptArgs;
use crate::mcp::error::ToolError;
use crate::mcp::tools::ToolOutput;
use crate::mcp::tools::transcript::{answer, window};
use crate::meetings::Source;

/// Pages listed to find a transcript's header when no listing has shown it yet.
const HEADER_PAGES: usize = 1;

pub async fn run(
    client: &FathomClient,
    args: FathomTranscriptArgs,
) -> Result<ToolOutput, ToolError> {
    let (id, view) = args.into_parts();
    let id = super::validate_meeting_id(&id)?;
    // The time window is checked before asking Fathom anything.
    window(&view)?;
    let ids = [id.clone()];
    let (entries, (found, _)) = futures::future::try_join(
        client.transcript(&id),
        meeting::find(client, &ids, HEADER_PAGES),
    )
    .await?;
    let m = found.get(&id);
    let header = m.map(|m| meeting::header(m));
    let transcript =
        meeting::transcript(&id, &entries, m.and_then(|m| meeting::duration_seconds(m)));
    if transcript.turns.is_empty() {
        return Err(ToolError::NotFound(format!(
            "Fathom's transcript of meeting {id} is empty: the recording may have no speech, or Fathom may still be processing it (try again in a few minutes)."
        )));
    }
    answer(Source::Fathom, &id, header.as_ref(), &transcript, view)
}
