//! Transcript tools: one meeting's words with real speaker names, filtered and paged, the same
//! for every provider. `gong_get_transcript` is here; the other providers fetch their meeting and
//! call `answer`.
//!
//! Gong's transcript carries only speaker ids; names, emails and affiliations come from the call's
//! parties (`/v2/calls/extensive`). Both are fetched concurrently, two requests in all, and each is
//! cached per tenant, so reading further pages of the same call costs no Gong request.

use crate::gong::{GongClient, meeting};
use crate::mcp::args::{TranscriptArgs, TranscriptView, validate_call_id};
use crate::mcp::error::ToolError;
use crate::mcp::render::transcript::{self, Filter};
use crate::mcp::render::transcript_page::{FilterOut, PageRequest, render_page};
use crate::mcp::tools::ToolOutput;
use crate::meetings::{MeetingHeader, MeetingTranscript, Source};

pub use crate::mcp::render::transcript_page::TranscriptOutput;

pub async fn run(client: &GongClient, args: TranscriptArgs) -> Result<ToolOutput, ToolError> {
    let (call_id, view) = args.into_parts();
    validate_call_id("callId", &call_id)?;
    window(&view)?;
    let ids = [call_id.clone()];
    let (transcript, calls) =
        futures::future::try_join(client.transcript(&call_id), client.calls_extensive(&ids))
            .await?;
    let Some(transcript) = transcript else {
        return Err(ToolError::NotFound(format!(
            "Gong has no transcript for call {call_id}: check the id with gong_list_calls; very recent calls get their transcript only after Gong processes them, and calls without audio have none."
        )));
    };
    let header = calls.get(&call_id).map(|c| meeting::header(c));
    answer(
        Source::Gong,
        &call_id,
        header.as_ref(),
        &meeting::transcript(&transcript),
        view,
    )
}

/// The answer of a transcript tool for one meeting: named speakers, the view's filters, one page
/// in the format asked for, and the arguments for the next page.
pub fn answer(
    source: Source,
    id: &str,
    header: Option<&MeetingHeader>,
    transcript: &MeetingTranscript,
    view: TranscriptView,
) -> Result<ToolOutput, ToolError> {
    let (from_ms, to_ms) = window(&view)?;
    let mut doc = transcript::build(transcript, header);
    doc.call_id = id.to_owned();
    let speakers = view
        .speaker
        .as_deref()
        .map(|wanted| doc.resolve_speakers(wanted))
        .transpose()
        .map_err(|e| ToolError::invalid("speaker", e))?;
    let filter = Filter {
        speakers: speakers.clone(),
        from_ms,
        to_ms,
    };
    doc.select(transcript, &filter);
    let req = PageRequest {
        source,
        offset: usize::try_from(view.offset.unwrap_or(0)).unwrap_or(usize::MAX),
        max_chars: view.max_chars,
        format: view.format.unwrap_or_default(),
        filter: (!filter.is_everything()).then(|| FilterOut {
            speakers: speakers
                .unwrap_or_default()
                .iter()
                .filter_map(|&i| doc.speakers.get(i).map(|s| s.name.clone()))
                .collect(),
            from_seconds: view.from_seconds,
            to_seconds: view.to_seconds,
        }),
    };
    let (text, output) = render_page(&doc, &req).map_err(|e| {
        ToolError::invalid(
            "offset",
            format!(
                "offset {} is past the end: with these filters the transcript has {} segments. Use the nextOffset of the previous answer, or 0 to start over.",
                req.offset, e.total_segments
            ),
        )
    })?;
    Ok(ToolOutput::new(text, &output))
}

/// The time window in milliseconds, checked before asking the provider anything.
pub(crate) fn window(view: &TranscriptView) -> Result<(u64, Option<u64>), ToolError> {
    let ms = |s: f64| (s * 1000.0).round().min(u64::MAX as f64) as u64;
    let from = view.from_seconds.map(ms).unwrap_or(0);
    let to = view.to_seconds.map(ms);
    if let Some(to) = to
        && to <= from
    {
        return Err(ToolError::invalid(
            "toSeconds",
            format!(
                "toSeconds ({}) must be greater than fromSeconds ({}); e.g. fromSeconds 300, toSeconds 900 for [05:00]-[15:00]",
                view.to_seconds.unwrap_or(0.0),
                view.from_seconds.unwrap_or(0.0)
            ),
        ));
    }
    Ok((from, to))
}
