//! The MCP server: tool registration, per-request tenant resolution, deadlines, cancellation, and
//! the tool list that depends on whether the request carries Gong credentials.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::SubsecRound;
use rmcp::handler::server::common::schema_for_output;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CacheScope, CallToolResult, CompleteRequestParams, CompleteResult, ContentBlock,
    GetPromptRequestParams, GetPromptResponse, Implementation, ListPromptsResult,
    ListResourceTemplatesResult, ListResourcesResult, ListToolsResult, PaginatedRequestParams,
    ProtocolVersion, ReadResourceRequestParams, ReadResourceResponse, ServerCapabilities,
    ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, tool, tool_handler, tool_router};

use super::args::{CallDetailsArgs, ListCallsArgs, TranscriptArgs};
use super::error::ToolError;
use super::tools::{self, ToolOutput};
use crate::fathom::{FathomClient, FathomKey, FathomService};
use crate::fireflies::{FirefliesClient, FirefliesKey, FirefliesService};
use crate::gong::{GongClient, GongCredentials, GongService};
use crate::mcp::meeting_client::MeetingClient;
use crate::meetings::Source;
use crate::mind_reasoner::{MindReasonerClient, MindReasonerKey, MindReasonerService};

/// The credentials of one HTTP request (put into the request's extensions by the credential
/// middleware), or of the stdio process: each provider's, where present.
#[derive(Clone, Debug, Default)]
pub struct RequestCredentials {
    pub gong: Option<Arc<GongCredentials>>,
    pub mind_reasoner: Option<Arc<MindReasonerKey>>,
    pub fathom: Option<Arc<FathomKey>>,
    pub fireflies: Option<Arc<FirefliesKey>>,
}

/// Where this server instance gets credentials when a request has no HTTP parts (stdio).
#[derive(Clone, Debug)]
pub enum Transport {
    Http,
    Stdio(RequestCredentials),
}

/// The upstream services and deadlines every tool call shares.
#[derive(Clone)]
pub struct Upstreams {
    pub gong: GongService,
    pub mind_reasoner: MindReasonerService,
    pub fathom: FathomService,
    pub fireflies: FirefliesService,
    pub tool_timeout: Duration,
    /// `simulate`'s own deadline: a simulation can take longer than a read.
    pub simulate_timeout: Duration,
    /// Largest file `upload_file_to_signed_url` reads from `filePath` (stdio).
    pub max_upload_bytes: usize,
    /// `create_mind_from_calls`' own deadline: it reads many calls and uploads.
    pub pipeline_timeout: Duration,
}

#[derive(Clone)]
pub struct GongMcp {
    pub(crate) upstreams: Upstreams,
    transport: Transport,
    /// Built once per process: rmcp's stateless HTTP transport makes a server per request, and
    /// rebuilding the router would regenerate every tool's JSON schema each time.
    routers: Arc<Routers>,
}

/// Every tool, and each provider's tools for the per-request list.
struct Routers {
    all: ToolRouter<GongMcp>,
    gong: Vec<Tool>,
    mind_reasoner: Vec<Tool>,
    /// Tools that need a Mind Reasoner key and any meeting provider's credentials.
    meetings_and_mind_reasoner: Vec<Tool>,
    fathom: Vec<Tool>,
    fireflies: Vec<Tool>,
}

const INSTRUCTIONS: &str = "Reads sales conversations from Gong, Fathom and Fireflies, and trains \
Mind Reasoner minds on a person's words. Only the tools of the providers whose credentials the \
request carries are listed. Gong: gong_list_calls (find calls by date range, title/participant \
query, scope, host, length; page with nextCursor) -> gong_get_call_details (up to 100 ids at once: \
participants, talk time, topics, trackers, Gong's brief, key points, CRM) -> gong_get_transcript \
(one call's words, speakers named; filter by speaker or time; page with nextOffset; text, WebVTT \
or JSON). Fathom (fathom_list_meetings, fathom_get_meeting_details, fathom_get_transcript) and \
Fireflies (fireflies_list_transcripts, fireflies_search_transcripts, fireflies_get_transcript) \
follow the same shape. Minds: *_list_speakers finds who spoke and for how long; \
create_mind_from_calls trains a mind on one speaker's words server-side (no transcript passes \
through you), get_snapshot_status says when it is ready, and simulate asks it questions. Every answer fits the 25k-token tool-result \
limit and says what was left out and how to get it. Over HTTP, send credentials in headers \
(X-Gong-Access-Key and X-Gong-Access-Secret, optionally X-Gong-Base-Url for your company's API \
host; X-Fathom-Api-Key; X-Fireflies-Api-Key; X-Mind-Reasoner-Api-Key); over stdio, set \
GONG_ACCESS_KEY and GONG_ACCESS_SECRET, FATHOM_API_KEY, FIREFLIES_API_KEY and \
MIND_REASONER_API_KEY.";

impl GongMcp {
    pub fn new(upstreams: Upstreams, transport: Transport) -> Self {
        Self {
            upstreams,
            transport,
            routers: Self::shared_routers(),
        }
    }
}

#[tool_router(router = gong_tools)]
impl GongMcp {
    #[tool(
        name = "gong_list_calls",
        description = "Find Gong calls: calls in a date range, oldest first, one line each (start, duration, title, id, scope, direction, system; with includeParticipants also who took part and the company). Start here to get call ids for gong_get_call_details and gong_get_transcript. Filters: `query` (every word must appear in the title, or with includeParticipants: true in participant names, emails or the company), `scope` (\"External\" = calls with customers), `direction`, `primaryUserEmail` (the host), `minDuration` (seconds). Dates are ISO-8601 (a bare date is that whole UTC day); with none, the last 30 days. Paging: up to `limit` calls per answer (default 20, max 100); pass `nextCursor` back as `cursor`, alone (it carries the dates and filters). With filters one answer scans at most 1,000 calls (500 with participants) and says when it stopped early; the cursor continues the scan.",
        annotations(title = "List Gong calls", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<tools::list_calls::ListCallsOutput>()
    )]
    async fn gong_list_calls(
        &self,
        Parameters(args): Parameters<ListCallsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_gong("gong_list_calls", &ctx, |client| async move {
            // Whole seconds: readable ranges, and equal queries within a second share a cache entry.
            let now = chrono::Utc::now().trunc_subsecs(0);
            tools::list_calls::run(&client, args, now).await
        })
        .await
    }

    #[tool(
        name = "gong_get_transcript",
        description = "Read what was said on one call. Text: a header (title, date, duration; speakers with email, title, internal/external and talk time; where topics start), then one line per speaker turn, `[mm:ss] Name: words`. Narrow it with `speaker` (name or email, one or several) and `fromSeconds`/`toSeconds` (a topic's start time jumps to it). Long calls come in pages of at most `maxChars` (default 40000): pass `nextOffset` back as `offset` with the same speaker/fromSeconds/toSeconds to read on; nothing is lost or repeated. `format`: \"text\" (default), \"vtt\" (WebVTT with <v Name> voice tags, for caption and training tools) or \"json\" (turns with start/end seconds). For talk time, topics and Gong's summary without the words, gong_get_call_details is cheaper.",
        annotations(title = "Get a call transcript", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<tools::transcript::TranscriptOutput>()
    )]
    async fn gong_get_transcript(
        &self,
        Parameters(args): Parameters<TranscriptArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_gong("gong_get_transcript", &ctx, |client| async move {
            tools::transcript::run(&client, args).await
        })
        .await
    }

    #[tool(
        name = "gong_get_call_details",
        description = "Summaries and analytics of one call (`callId`) or up to 100 (`callIds`, one Gong request): participants (internal/external, who spoke), talk time per speaker (seconds and percent of the call, most first), topics with durations, trackers with counts and phrases, Gong's brief, key points, highlights, call outcome, CRM account and opportunity; `include` picks sections (also outline, structure, stats). The answer stays under the tool-result limit: with many calls, sections are shortened and each call says what was cut (ask for that call alone, or fewer sections, to see it whole). Get ids from gong_list_calls; for the words, gong_get_transcript.",
        annotations(title = "Get call details", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<tools::call_details::CallDetailsOutput>()
    )]
    async fn gong_get_call_details(
        &self,
        Parameters(args): Parameters<CallDetailsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run_gong("gong_get_call_details", &ctx, |client| async move {
            tools::call_details::run(&client, args).await
        })
        .await
    }
}

impl GongMcp {
    fn shared_routers() -> Arc<Routers> {
        static ROUTERS: std::sync::OnceLock<Arc<Routers>> = std::sync::OnceLock::new();
        Arc::clone(ROUTERS.get_or_init(|| {
            let mut gong = Self::gong_tools();
            gong.merge(Self::speaker_tools());
            let mind_reasoner = Self::mind_reasoner_tools();
            let both = Self::pipeline_tools();
            let mut fathom = Self::fathom_tools();
            fathom.merge(Self::fathom_speaker_tools());
            let mut fireflies = Self::fireflies_tools();
            fireflies.merge(Self::fireflies_speaker_tools());
            let lists = (gong.list_all(), mind_reasoner.list_all(), both.list_all());
            let fathom_list = fathom.list_all();
            let fireflies_list = fireflies.list_all();
            let mut all = gong;
            all.merge(mind_reasoner);
            all.merge(both);
            all.merge(fathom);
            all.merge(fireflies);
            Arc::new(Routers {
                all,
                gong: lists.0,
                mind_reasoner: lists.1,
                meetings_and_mind_reasoner: lists.2,
                fathom: fathom_list,
                fireflies: fireflies_list,
            })
        }))
    }

    /// The credentials of this request (HTTP) or of this process (stdio).
    pub(crate) fn credentials(&self, ctx: &RequestContext<RoleServer>) -> RequestCredentials {
        if let Some(parts) = ctx.extensions.get::<http::request::Parts>() {
            return parts
                .extensions
                .get::<RequestCredentials>()
                .cloned()
                .unwrap_or_default();
        }
        match &self.transport {
            Transport::Stdio(creds) => creds.clone(),
            Transport::Http => RequestCredentials::default(),
        }
    }

    pub(crate) fn stdio(&self, ctx: &RequestContext<RoleServer>) -> bool {
        ctx.extensions.get::<http::request::Parts>().is_none()
            && matches!(self.transport, Transport::Stdio(_))
    }

    /// A Gong tool call: the tenant's Gong client, within the tool deadline.
    pub(crate) async fn run_gong<F, Fut>(
        &self,
        tool: &'static str,
        ctx: &RequestContext<RoleServer>,
        work: F,
    ) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(GongClient) -> Fut,
        Fut: Future<Output = Result<ToolOutput, ToolError>>,
    {
        let budget = self.upstreams.tool_timeout;
        let client = match self.credentials(ctx).gong {
            Some(creds) => Ok(self.upstreams.gong.client(creds, budget)),
            None if self.stdio(ctx) => Err(ToolError::MissingStdioCredentials),
            None => Err(ToolError::MissingHttpCredentials),
        };
        self.run(tool, ctx, budget, client, work).await
    }

    /// A Mind Reasoner tool call within `budget`.
    pub(crate) async fn run_mind_reasoner<F, Fut>(
        &self,
        tool: &'static str,
        ctx: &RequestContext<RoleServer>,
        budget: Duration,
        work: F,
    ) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(MindReasonerClient) -> Fut,
        Fut: Future<Output = Result<ToolOutput, ToolError>>,
    {
        let client = match self.credentials(ctx).mind_reasoner {
            Some(key) => Ok(self.upstreams.mind_reasoner.client(key, budget)),
            None if self.stdio(ctx) => Err(ToolError::MissingMindReasonerKeyStdio),
            None => Err(ToolError::MissingMindReasonerKeyHttp),
        };
        self.run(tool, ctx, budget, client, work).await
    }

    /// A Fathom tool call: the tenant's Fathom client, within the tool deadline.
    pub(crate) async fn run_fathom<F, Fut>(
        &self,
        tool: &'static str,
        ctx: &RequestContext<RoleServer>,
        work: F,
    ) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(FathomClient) -> Fut,
        Fut: Future<Output = Result<ToolOutput, ToolError>>,
    {
        let budget = self.upstreams.tool_timeout;
        let client = match self.credentials(ctx).fathom {
            Some(key) => Ok(self.upstreams.fathom.client(key, budget)),
            None if self.stdio(ctx) => Err(ToolError::MissingFathomKeyStdio),
            None => Err(ToolError::MissingFathomKeyHttp),
        };
        self.run(tool, ctx, budget, client, work).await
    }

    /// A Fireflies tool call: the tenant's Fireflies client, within the tool deadline.
    pub(crate) async fn run_fireflies<F, Fut>(
        &self,
        tool: &'static str,
        ctx: &RequestContext<RoleServer>,
        work: F,
    ) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(FirefliesClient) -> Fut,
        Fut: Future<Output = Result<ToolOutput, ToolError>>,
    {
        let budget = self.upstreams.tool_timeout;
        let client = match self.credentials(ctx).fireflies {
            Some(key) => Ok(self.upstreams.fireflies.client(key, budget)),
            None if self.stdio(ctx) => Err(ToolError::MissingFirefliesKeyStdio),
            None => Err(ToolError::MissingFirefliesKeyHttp),
        };
        self.run(tool, ctx, budget, client, work).await
    }

    /// A provider-neutral tool call that reads `source`'s meetings, within `budget`.
    pub(crate) async fn run_meetings<F, Fut>(
        &self,
        tool: &'static str,
        ctx: &RequestContext<RoleServer>,
        source: Source,
        budget: Duration,
        work: F,
    ) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(MeetingClient) -> Fut,
        Fut: Future<Output = Result<ToolOutput, ToolError>>,
    {
        let creds = self.credentials(ctx);
        let client =
            MeetingClient::for_source(source, &self.upstreams, &creds, budget).ok_or_else(|| {
                ToolError::MissingPipelineCredentials(format!(
                    "{tool} reads {} meetings; this request lacks {}.",
                    source.name(),
                    MeetingClient::credentials_hint(source, self.stdio(ctx))
                ))
            });
        self.run(tool, ctx, budget, client, work).await
    }

    /// A tool call that reads `source`'s meetings and writes to Mind Reasoner, within the
    /// pipeline deadline.
    pub(crate) async fn run_pipeline<F, Fut>(
        &self,
        tool: &'static str,
        ctx: &RequestContext<RoleServer>,
        source: Source,
        work: F,
    ) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(MeetingClient, MindReasonerClient) -> Fut,
        Fut: Future<Output = Result<ToolOutput, ToolError>>,
    {
        let budget = self.upstreams.pipeline_timeout;
        let creds = self.credentials(ctx);
        let stdio = self.stdio(ctx);
        let meetings = MeetingClient::for_source(source, &self.upstreams, &creds, budget);
        let clients = match (meetings, creds.mind_reasoner) {
            (Some(g), Some(m)) => Ok((g, self.upstreams.mind_reasoner.client(m, budget))),
            (g, m) => {
                let mut missing = Vec::new();
                if g.is_none() {
                    missing.push(MeetingClient::credentials_hint(source, stdio));
                }
                if m.is_none() {
                    missing.push(if stdio {
                        "a Mind Reasoner API key (MIND_REASONER_API_KEY)"
                    } else {
                        "a Mind Reasoner API key (the X-Mind-Reasoner-Api-Key header)"
                    });
                }
                Err(ToolError::MissingPipelineCredentials(format!(
                    "{tool} with source \"{}\" needs {} and a Mind Reasoner API key; this request lacks {}.",
                    source.key(),
                    MeetingClient::credentials_hint(source, stdio),
                    missing.join(" and ")
                )))
            }
        };
        self.run(tool, ctx, budget, clients, |(g, m)| work(g, m))
            .await
    }

    /// Runs one tool call with its client within `budget`. Every failure an agent can act on
    /// becomes an `isError` result; a call cancelled by the client stops at once (dropping its
    /// upstream requests).
    pub(crate) async fn run<C, F, Fut>(
        &self,
        tool: &'static str,
        ctx: &RequestContext<RoleServer>,
        budget: Duration,
        client: Result<C, ToolError>,
        work: F,
    ) -> Result<CallToolResult, ErrorData>
    where
        F: FnOnce(C) -> Fut,
        Fut: Future<Output = Result<ToolOutput, ToolError>>,
    {
        let started = Instant::now();
        metrics::gauge!("mcp_tool_calls_in_flight").increment(1.0);
        let _in_flight = InFlight;
        let outcome = match client {
            Err(e) => Err(e),
            Ok(client) => {
                let deadline = tokio::time::timeout(budget, work(client));
                tokio::select! {
                    _ = ctx.ct.cancelled() => {
                        tracing::info!(tool, "tool call cancelled by the client");
                        metrics::counter!("mcp_tool_calls_total", "tool" => tool, "outcome" => "cancelled").increment(1);
                        return Err(ErrorData::internal_error("request cancelled", None));
                    }
                    result = deadline => {
                        result.unwrap_or(Err(ToolError::Deadline(budget.as_secs())))
                    }
                }
            }
        };
        let elapsed = started.elapsed();
        let outcome_label = match &outcome {
            Ok(_) => "ok",
            Err(e) => e.kind(),
        };
        metrics::counter!("mcp_tool_calls_total", "tool" => tool, "outcome" => outcome_label)
            .increment(1);
        metrics::histogram!("mcp_tool_call_duration_seconds", "tool" => tool, "outcome" => outcome_label)
            .record(elapsed.as_secs_f64());
        match outcome {
            Ok(output) => {
                tracing::debug!(
                    tool,
                    elapsed_ms = elapsed.as_millis() as u64,
                    "tool call done"
                );
                Ok(output.into_result())
            }
            Err(e) => {
                tracing::info!(
                    tool,
                    error = e.kind(),
                    gong_request_id = gong_request_id(&e),
                    "tool call failed"
                );
                Ok(CallToolResult::error(vec![ContentBlock::text(
                    e.to_string(),
                )]))
            }
        }
    }
}

/// Decrements the in-flight gauge however the call ends (done, failed, cancelled).
struct InFlight;

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!("mcp_tool_calls_in_flight").decrement(1.0);
    }
}

fn gong_request_id(e: &ToolError) -> &str {
    match e {
        ToolError::Gong(g) => g.request_id().unwrap_or("-"),
        _ => "-",
    }
}

#[tool_handler(router = self.routers.all)]
impl ServerHandler for GongMcp {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_completions()
            .enable_prompts()
            .enable_resources()
            .enable_tools()
            .build();
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new(
                env!("CARGO_PKG_NAME"),
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(INSTRUCTIONS.to_owned())
    }

    /// A provider's tools are listed only when this request (or the stdio environment) has its
    /// credentials. The list therefore differs per caller: 2026-07-28 clients are told it is
    /// private, so no shared cache serves one tenant's list to another.
    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let credentials = self.credentials(&ctx);
        let mut tools = Vec::new();
        if credentials.gong.is_some() {
            tools.extend(self.routers.gong.iter().cloned());
        }
        if credentials.mind_reasoner.is_some() {
            tools.extend(self.routers.mind_reasoner.iter().cloned());
        }
        let meetings = credentials.gong.is_some()
            || credentials.fathom.is_some()
            || credentials.fireflies.is_some();
        if meetings && credentials.mind_reasoner.is_some() {
            tools.extend(self.routers.meetings_and_mind_reasoner.iter().cloned());
        }
        if credentials.fathom.is_some() {
            tools.extend(self.routers.fathom.iter().cloned());
        }
        if credentials.fireflies.is_some() {
            tools.extend(self.routers.fireflies.iter().cloned());
        }
        let mut result = ListToolsResult::with_all_items(tools);
        if ctx
            .protocol_version()
            .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28)
        {
            result = result.with_ttl_ms(0).with_cache_scope(CacheScope::Private);
        }
        Ok(result)
    }

    /// Prompts, resources and their lists follow the credentials like the tools do.
    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, ErrorData> {
        let result = ListPromptsResult::with_all_items(self.prompt_list(&ctx));
        Ok(private_for_2026(&ctx, result, |r, t, s| {
            r.ttl_ms = Some(t);
            r.cache_scope = Some(s);
        }))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, ErrorData> {
        self.prompt_get(&request, &ctx).map(GetPromptResponse::from)
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, ErrorData> {
        self.complete_argument(request, &ctx).await
    }

    async fn list_resources(
        &self,
        request: Option<PaginatedRequestParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let result = self.resource_list(request, &ctx).await?;
        Ok(private_for_2026(&ctx, result, |r, t, s| {
            r.ttl_ms = Some(t);
            r.cache_scope = Some(s);
        }))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let templates = crate::mcp::resources::templates(&self.credentials(&ctx));
        let result = ListResourceTemplatesResult::with_all_items(templates);
        Ok(private_for_2026(&ctx, result, |r, t, s| {
            r.ttl_ms = Some(t);
            r.cache_scope = Some(s);
        }))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        self.resource_read(&request, &ctx)
            .await
            .map(ReadResourceResponse::from)
    }
}

/// A per-caller list, told to 2026-07-28 clients as `ttlMs: 0, cacheScope: private`.
fn private_for_2026<T>(
    ctx: &RequestContext<RoleServer>,
    mut result: T,
    set: impl FnOnce(&mut T, u64, CacheScope),
) -> T {
    if ctx
        .protocol_version()
        .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28)
    {
        set(&mut result, 0, CacheScope::Private);
    }
    result
}
