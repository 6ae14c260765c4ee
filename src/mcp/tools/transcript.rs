//! `gong_get_transcript`: a call's transcript with real speaker names, filtered and paged.
//!
//! Gong's transcript carries only speaker ids; names, emails and affiliations come from the call's
//! parties (`/v2/calls/extensive`). Both are fetched concurrently, two requests in all, and each is
//! cached per tenant, so reading further pages of the same call costs no Gong request.

use super::super::args::{TranscriptArgs, validate_call_id};
use super::super::error::ToolError;
use super::super::render::transcript::{self, Filter};
use super::super::render::transcript_page::{FilterOut, PageRequest, render_page};
use super::ToolOutput;
use crate::gong::GongClient;

pub use super::super::render::transcript_page::TranscriptOutput;

pub async fn run(client: &GongClient, args: TranscriptArgs) -> Result<ToolOutput, ToolError> {
    validate_call_id("callId", &args.call_id)?;
    let (from_ms, to_ms) = window(&args)?;
    let ids = [args.call_id.clone()];
    let (transcript, calls) = futures::future::try_join(
        client.transcript(&args.call_id),
        client.calls_extensive(&ids),
    )
    .await?;
    let Some(transcript) = transcript else {
        return Err(ToolError::NotFound(format!(
            "Gong has no transcript for call {}: check the id with gong_list_calls; very recent calls get their transcript only after Gong processes them, and calls without audio have none.",
            args.call_id
        )));
    };
    let mut doc = transcript::build(&transcript, calls.get(&args.call_id).map(|c| c.as_ref()));
    let speakers = args
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
    doc.select(&transcript, &filter);
    let req = PageRequest {
        offset: usize::try_from(args.offset.unwrap_or(0)).unwrap_or(usize::MAX),
        max_chars: args.max_chars,
        format: args.format.unwrap_or_default(),
        filter: (!filter.is_everything()).then(|| FilterOut {
            speakers: speakers
                .unwrap_or_default()
                .iter()
                .filter_map(|&i| doc.speakers.get(i).map(|s| s.name.clone()))
                .collect(),
            from_seconds: args.from_seconds,
            to_seconds: args.to_seconds,
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

/// The time window in milliseconds, checked before asking Gong anything.
fn window(args: &TranscriptArgs) -> Result<(u64, Option<u64>), ToolError> {
    let ms = |s: f64| (s * 1000.0).round().min(u64::MAX as f64) as u64;
    let from = args.from_seconds.map(ms).unwrap_or(0);
    let to = args.to_seconds.map(ms);
    if let Some(to) = to
        && to <= from
    {
        return Err(ToolError::invalid(
            "toSeconds",
            format!(
                "toSeconds ({}) must be greater than fromSeconds ({}); e.g. fromSeconds 300, toSeconds 900 for [05:00]-[15:00]",
                args.to_seconds.unwrap_or(0.0),
                args.from_seconds.unwrap_or(0.0)
            ),
        ));
    }
    Ok((from, to))
}
