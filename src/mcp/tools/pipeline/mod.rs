//! From calls to minds on the server: who spoke across many calls (`gong_list_speakers`), and
//! one tool that trains a Mind Reasoner mind on one speaker's words (`create_mind_from_calls`),
//! with no transcript text passing through the agent. Long runs report MCP progress when the
//! client sends a progress token.

mod calls;
mod create_mind;
mod daily;
mod speakers;
mod spend;
mod training_file;

pub use create_mind::CreateMindFromCallsOutput;
pub use speakers::ListSpeakersOutput;

use chrono::SubsecRound;
use rmcp::handler::server::common::schema_for_output;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};

use crate::mcp::GongMcp;
use crate::mcp::error::ToolError;
use crate::mcp::progress::Progress;
use crate::mcp::tools::ToolOutput;
use crate::meetings::Source;

/// The `source` argument: which recorder's meetings to read.
fn parse_source(raw: Option<&str>) -> Result<Source, ToolError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(Source::Gong);
    };
    Source::ALL
        .into_iter()
        .find(|s| s.key().eq_ignore_ascii_case(raw))
        .ok_or_else(|| {
            ToolError::invalid(
                "source",
                format!(
                    "source must be \"gong\", \"fathom\" or \"fireflies\"; got '{}'",
                    crate::mcp::args::clip(raw, 40)
                ),
            )
        })
}

impl GongMcp {
    /// One speaker listing over `source`'s meetings.
    async fn list_speakers(
        &self,
        tool: &'static str,
        source: Source,
        args: speakers::ListSpeakersArgs,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let progress = Progress::from_request(&ctx);
        let budget = self.upstreams.tool_timeout;
        self.run_meetings(tool, &ctx, source, budget, |client| async move {
            let now = chrono::Utc::now().trunc_subsecs(0);
            speakers::run(&client, args, now, budget, progress).await
        })
        .await
    }
}

#[tool_router(router = speaker_tools, vis = "pub(crate)")]
impl GongMcp {
    #[tool(
        name = "gong_list_speakers",
        description = "Who spoke in the calls of a date window (default the last 30 days) or of given callIds, merged across calls by email (else name): one line each with email, title, Internal/External, company, calls they spoke in, talk time and words (counted from the transcripts, so external speakers are included), share of those calls' talk time, first and last call. Filters: `affiliation`, `minTalkSeconds` (e.g. 1200), `query`. One answer scans up to 300 calls and says which; a larger window continues with `cursor` (no call counted twice). Use it to pick whom to train a mind on (create_mind_from_calls).",
        annotations(title = "List speakers across calls", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<ListSpeakersOutput>()
    )]
    async fn gong_list_speakers(
        &self,
        Parameters(args): Parameters<speakers::ListSpeakersArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.list_speakers("gong_list_speakers", Source::Gong, args, ctx)
            .await
    }
}

#[tool_router(router = fathom_speaker_tools, vis = "pub(crate)")]
impl GongMcp {
    #[tool(
        name = "fathom_list_speakers",
        description = "Who spoke in the Fathom meetings of a date window (default the last 30 days) or of given callIds (Fathom meeting ids), merged across meetings by email (else the name Fathom shows): email, Internal/External, company, meetings, talk time and words counted from the transcripts, first and last meeting. Filters: `affiliation`, `minTalkSeconds`, `query`. One answer scans up to 300 meetings; a larger window continues with `cursor`. Use it to pick whom to train a mind on (create_mind_from_calls with source \"fathom\").",
        annotations(title = "List speakers across Fathom meetings", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<ListSpeakersOutput>()
    )]
    async fn fathom_list_speakers(
        &self,
        Parameters(args): Parameters<speakers::ListSpeakersArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.list_speakers("fathom_list_speakers", Source::Fathom, args, ctx)
            .await
    }
}

#[tool_router(router = fireflies_speaker_tools, vis = "pub(crate)")]
impl GongMcp {
    #[tool(
        name = "fireflies_list_speakers",
        description = "Who spoke in the Fireflies meetings of a date window (default the last 30 days) or of given callIds (Fireflies transcript ids), merged across meetings by email (else the name Fireflies shows): email, Internal/External, company, meetings, talk time and words counted from the transcripts, first and last meeting. Filters: `affiliation`, `minTalkSeconds`, `query`. One answer scans up to 300 meetings; a larger window continues with `cursor`. Each transcript read is a Fireflies request (plans may allow only 50 a day). Use it to pick whom to train a mind on (create_mind_from_calls with source \"fireflies\").",
        annotations(title = "List speakers across Fireflies meetings", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<ListSpeakersOutput>()
    )]
    async fn fireflies_list_speakers(
        &self,
        Parameters(args): Parameters<speakers::ListSpeakersArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.list_speakers("fireflies_list_speakers", Source::Fireflies, args, ctx)
            .await
    }
}

#[tool_router(router = pipeline_tools, vis = "pub(crate)")]
impl GongMcp {
    #[tool(
        name = "create_mind_from_calls",
        description = "Train a Mind Reasoner mind on one person's words from recorded calls, on the server: collects every segment `speaker` (email or name) said in `callIds` (at most 100) or in the calls of fromDate/toDate, from Gong (default) or, with `source`, Fathom or Fireflies; writes them as one WebVTT file (calls in date order, each with a NOTE naming it), uploads it and starts a snapshot on the mind's default digital twin. `mindId` trains an existing mind; `mindName` reuses the one mind with that name or creates it (default: the speaker's name). The answer has the mind, digital twin and snapshot ids, the calls used and those where the speaker said nothing, words and bytes uploaded, the provider requests spent, and whether the data is below Mind Reasoner's recommended 5,000 words; never the transcript text. Then: get_snapshot_status with waitSeconds, and simulate.",
        annotations(title = "Create a mind from calls", read_only_hint = false, destructive_hint = false, idempotent_hint = false, open_world_hint = true),
        output_schema = schema_for_output::<CreateMindFromCallsOutput>()
    )]
    async fn create_mind_from_calls(
        &self,
        Parameters(args): Parameters<create_mind::CreateMindFromCallsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let tool = "create_mind_from_calls";
        let progress = Progress::from_request(&ctx);
        let source = parse_source(args.source.as_deref());
        let budget = self.upstreams.pipeline_timeout;
        match source {
            // Refused before any client is made: the work never runs.
            Err(e) => {
                self.run(tool, &ctx, budget, Err::<(), _>(e), |()| {
                    std::future::pending::<Result<ToolOutput, ToolError>>()
                })
                .await
            }
            Ok(source) => {
                self.run_pipeline(tool, &ctx, source, |meetings, mr| async move {
                    let now = chrono::Utc::now().trunc_subsecs(0);
                    create_mind::run(&meetings, &mr, args, now, progress).await
                })
                .await
            }
        }
    }
}
