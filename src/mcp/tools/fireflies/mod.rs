//! Fireflies' tools: find meetings (by date, title words, participant), search Fireflies'
//! keyword index, and read one meeting's transcript rendered like Gong's. Each tool's
//! definition, arguments and handler side by side; listed only when the request carries a
//! Fireflies API key.

mod lines;
pub mod list;
pub mod search;
pub mod transcript;

pub use lines::TranscriptLine;
pub use list::ListTranscriptsOutput;
pub use search::SearchTranscriptsOutput;

use chrono::SubsecRound;
use rmcp::handler::server::common::schema_for_output;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};

use crate::mcp::GongMcp;

#[tool_router(router = fireflies_tools, vis = "pub(crate)")]
impl GongMcp {
    #[tool(
        name = "fireflies_list_transcripts",
        description = "Find Fireflies meetings: meetings that started in a date range, newest first, one line each (start, length, title, transcriptId, company, participants). Start here to get the transcriptId that fireflies_get_transcript takes. Filters: `query` (every word must appear in the title), `participantEmail` (a participant). Dates are ISO-8601 (a bare date is that whole UTC day); with none, the last 30 days. Up to `limit` meetings (default 20, max 50); pass `nextCursor` back as `cursor`, alone. Fireflies plans may allow only 50 requests a day: one answer makes at most 3.",
        annotations(title = "List Fireflies meetings", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<ListTranscriptsOutput>()
    )]
    async fn fireflies_list_transcripts(
        &self,
        Parameters(args): Parameters<list::ListTranscriptsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_fireflies("fireflies_list_transcripts", &ctx, |client| async move {
            let now = chrono::Utc::now().trunc_subsecs(0);
            list::run(&client, args, now).await
        })
        .await
    }

    #[tool(
        name = "fireflies_get_transcript",
        description = "Read what was said in one Fireflies meeting (`transcriptId` from fireflies_list_transcripts or fireflies_search_transcripts). Text: a header (title, date, length; speakers with email and internal/external), then one line per speaker turn, `[mm:ss] Name: words`. Narrow it with `speaker` (name or email, one or several) and `fromSeconds`/`toSeconds`. Long meetings come in pages of at most `maxChars` (default 40000): pass `nextOffset` back as `offset` with the same speaker/fromSeconds/toSeconds to read on. `format`: \"text\" (default), \"vtt\" (WebVTT with <v Name> voice tags) or \"json\". One Fireflies request; further pages are served from cache.",
        annotations(title = "Get a Fireflies transcript", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<crate::mcp::tools::transcript::TranscriptOutput>()
    )]
    async fn fireflies_get_transcript(
        &self,
        Parameters(args): Parameters<crate::mcp::args::FirefliesTranscriptArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_fireflies("fireflies_get_transcript", &ctx, |client| async move {
            transcript::run(&client, args).await
        })
        .await
    }

    #[tool(
        name = "fireflies_search_transcripts",
        description = "Search Fireflies meetings for a word or phrase (`query`) in titles, in what was said (`scope: \"sentences\"`) or both (`\"all\"`, default), across all meetings this key can see; newest first, up to `limit` (default 10, max 50), one line each with the transcriptId for fireflies_get_transcript. One Fireflies request.",
        annotations(title = "Search Fireflies meetings", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<SearchTranscriptsOutput>()
    )]
    async fn fireflies_search_transcripts(
        &self,
        Parameters(args): Parameters<search::SearchTranscriptsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_fireflies("fireflies_search_transcripts", &ctx, |client| async move {
            search::run(&client, args).await
        })
        .await
    }
}
