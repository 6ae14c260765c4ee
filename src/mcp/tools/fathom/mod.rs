//! Fathom's three tools: each tool's definition, arguments and handler side by side. Listed
//! only when the request carries a Fathom API key (`X-Fathom-Api-Key`, or FATHOM_API_KEY).
//!
//! Fathom has no meeting-by-id and no search: meetings are found by listing newest first with
//! date and invitee filters, in bounded scans whose answers say what they read; what was seen is
//! cached per tenant, so the usual flow (list, then details or transcript) costs no extra scan.

pub(crate) mod details;
mod list;
mod output;
pub(crate) mod transcript;

pub use details::{MeetingDetailsArgs, MeetingDetailsOutput};
pub use list::{ListMeetingsArgs, ListMeetingsOutput};
pub use output::MeetingOut;

use chrono::SubsecRound;
use rmcp::handler::server::common::schema_for_output;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};
use serde::Deserialize;

use crate::mcp::GongMcp;
use crate::mcp::args::FathomTranscriptArgs;
use crate::mcp::error::ToolError;
use crate::mcp::tools::transcript::TranscriptOutput;

/// A meeting id: Fathom's recording ids are whole numbers; sent as a string or a number.
pub(crate) fn meeting_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s.trim().to_owned()),
        serde_json::Value::Number(n) if n.is_u64() => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "meetingId must be a Fathom meeting id (a string of digits, as fathom_list_meetings returns it), got {}",
            crate::mcp::args::json_kind(&other)
        ))),
    }
}

pub(crate) fn validate_meeting_id(id: &str) -> Result<String, ToolError> {
    let id = id.trim();
    crate::fathom::meeting::check_id("meetingId", id)?;
    Ok(id.to_owned())
}

#[tool_router(router = fathom_tools, vis = "pub(crate)")]
impl GongMcp {
    #[tool(
        name = "fathom_list_meetings",
        description = "Find Fathom meetings: those that started in a date range, newest first, one line each (start, length, title, meetingId, invitees with external ones' company). Start here to get the meetingId that fathom_get_transcript and fathom_get_meeting_details take. Filters: `query` (every word must appear in the title), `participantEmail` (a calendar invitee; filtered by Fathom, so cheap). Dates are ISO-8601 (a bare date is that whole UTC day); with none, the last 30 days. Fathom has no search: one answer reads at most 5 pages of 10 meetings (Fathom allows 60 requests a minute per key), says what it scanned, and `nextCursor` (pass it back alone as `cursor`) continues the query. Up to `limit` meetings per answer (default 20, max 100).",
        annotations(title = "List Fathom meetings", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<ListMeetingsOutput>()
    )]
    async fn fathom_list_meetings(
        &self,
        Parameters(args): Parameters<ListMeetingsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_fathom("fathom_list_meetings", &ctx, |client| async move {
            let now = chrono::Utc::now().trunc_subsecs(0);
            list::run(&client, args, now).await
        })
        .await
    }

    #[tool(
        name = "fathom_get_transcript",
        description = "Read what was said in one Fathom meeting (`meetingId` from fathom_list_meetings). Text: a header (title, date, length, participants), then one line per speaker turn, `[mm:ss] Name: words`; speakers Fathom matched to an invitee are named and linked to their email, others keep the name Fathom shows. Narrow it with `speaker` (name or email) and `fromSeconds`/`toSeconds`. Long meetings come in pages of at most `maxChars` (default 40000): pass `nextOffset` back as `offset` with the same filters. `format`: \"text\" (default), \"vtt\" (WebVTT with <v Name> voice tags, for training tools) or \"json\". Fathom gives each turn's start only: a turn ends where the next begins.",
        annotations(title = "Get a Fathom transcript", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<TranscriptOutput>()
    )]
    async fn fathom_get_transcript(
        &self,
        Parameters(args): Parameters<FathomTranscriptArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_fathom("fathom_get_transcript", &ctx, |client| async move {
            transcript::run(&client, args).await
        })
        .await
    }

    #[tool(
        name = "fathom_get_meeting_details",
        description = "One Fathom meeting's participants (invitees: name, email, internal/external, company from the email domain), Fathom's summary and its action items (with assignee and when they were said). Takes the `meetingId` from fathom_list_meetings; a meeting listed earlier is found at once, any other by listing the newest meetings (at most 5 pages: Fathom has no lookup by id). For the words, fathom_get_transcript.",
        annotations(title = "Get Fathom meeting details", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<MeetingDetailsOutput>()
    )]
    async fn fathom_get_meeting_details(
        &self,
        Parameters(args): Parameters<MeetingDetailsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_fathom("fathom_get_meeting_details", &ctx, |client| async move {
            details::run(&client, args).await
        })
        .await
    }
}
