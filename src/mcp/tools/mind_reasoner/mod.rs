//! Mind Reasoner's eight core tools, with Mind Reasoner's own names and parameters (so prompts
//! and habits written for its hosted server work unchanged): each tool's definition, arguments
//! and handler side by side, one file per step of the workflow (minds, upload, snapshots,
//! simulate). Listed only when the request carries a Mind Reasoner API key.

mod minds;
mod output;
mod simulate;
mod snapshots;
mod upload;

pub use minds::{CreateMindOutput, MindsOutput};
pub use simulate::SimulateOutput;
pub use snapshots::{CreateSnapshotOutput, SnapshotStatusOutput};
pub use upload::{SignedUrlOutput, UploadOutput};

use rmcp::handler::server::common::schema_for_output;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, tool, tool_router};

use crate::mcp::GongMcp;

#[tool_router(router = mind_reasoner_tools, vis = "pub(crate)")]
impl GongMcp {
    #[tool(
        name = "get_all_minds",
        description = "List the Mind Reasoner minds of this account (a mind models one person: trained on their words, it can simulate how they would respond). One line each: name, email, mind id, default digital twin id, snapshots (training runs) and their status, and whether the mind is trained (has a completed snapshot, so simulate works). To find one person's mind, search_minds is shorter.",
        annotations(title = "List minds", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<MindsOutput>()
    )]
    async fn get_all_minds(
        &self,
        Parameters(args): Parameters<minds::GetAllMindsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.tool_timeout;
        self.run_mind_reasoner("get_all_minds", &ctx, budget, |client| async move {
            minds::get_all(&client, args).await
        })
        .await
    }

    #[tool(
        name = "search_minds",
        description = "Find minds by name, email or slug: case-insensitive partial match of `query` (e.g. \"ada\", \"@acme.com\"). Same lines as get_all_minds. Use it before create_mind to avoid creating a second mind for the same person.",
        annotations(title = "Search minds", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<MindsOutput>()
    )]
    async fn search_minds(
        &self,
        Parameters(args): Parameters<minds::SearchMindsArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.tool_timeout;
        self.run_mind_reasoner("search_minds", &ctx, budget, |client| async move {
            minds::search(&client, args).await
        })
        .await
    }

    #[tool(
        name = "create_mind",
        description = "Create a mind for one person (`name`, e.g. their full name). Returns the mind id and its default digital twin id: keep both (create_snapshot needs them). Each call creates a new mind, even with a name that exists: check with search_minds first. Next: get_signed_upload_url, upload_file_to_signed_url, create_snapshot.",
        annotations(title = "Create a mind", read_only_hint = false, destructive_hint = false, idempotent_hint = false, open_world_hint = true),
        output_schema = schema_for_output::<CreateMindOutput>()
    )]
    async fn create_mind(
        &self,
        Parameters(args): Parameters<minds::CreateMindArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.tool_timeout;
        self.run_mind_reasoner("create_mind", &ctx, budget, |client| async move {
            minds::create(&client, args).await
        })
        .await
    }

    #[tool(
        name = "get_signed_upload_url",
        description = "Get a URL to upload one training file (a transcript as WebVTT, or a PDF or DOCX) for a mind. Returns `signedUrl` (valid for 1 hour) and `artifactId` (create_snapshot needs it). Pass `fileName` with the right extension (e.g. \"call-2026-11-02.vtt\"): the URL's signature covers the matching content type. Next: upload_file_to_signed_url with that signedUrl.",
        annotations(title = "Get a signed upload URL", read_only_hint = false, destructive_hint = false, idempotent_hint = false, open_world_hint = true),
        output_schema = schema_for_output::<SignedUrlOutput>()
    )]
    async fn get_signed_upload_url(
        &self,
        Parameters(args): Parameters<upload::SignedUrlArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.tool_timeout;
        self.run_mind_reasoner("get_signed_upload_url", &ctx, budget, |client| async move {
            upload::signed_url(&client, args).await
        })
        .await
    }

    #[tool(
        name = "upload_file_to_signed_url",
        description = "Upload one training file to the `signedUrl` from get_signed_upload_url. The file comes as `content` (text, e.g. a WebVTT transcript starting with \"WEBVTT\") or `contentBase64` (PDF, DOCX); `filePath` (an absolute path on this machine) works only when this server runs locally over stdio. `contentType`: \"text/vtt\", \"application/pdf\" or \"application/vnd.openxmlformats-officedocument.wordprocessingml.document\", matching the fileName's extension. Only signed URLs on this server's allowed upload hosts are accepted. Next: create_snapshot with the artifactId.",
        annotations(title = "Upload a training file", read_only_hint = false, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<UploadOutput>()
    )]
    async fn upload_file_to_signed_url(
        &self,
        Parameters(args): Parameters<upload::UploadArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.tool_timeout;
        let local = self.stdio(&ctx);
        let max = self.upstreams.max_upload_bytes;
        self.run_mind_reasoner(
            "upload_file_to_signed_url",
            &ctx,
            budget,
            |client| async move { upload::upload(&client, args, local, max).await },
        )
        .await
    }

    #[tool(
        name = "create_snapshot",
        description = "Train a mind on an uploaded file: starts a snapshot of the mind's digital twin from `artifactId` (from get_signed_upload_url, after upload_file_to_signed_url). Training runs in the background (typically 5-15 minutes); returns the snapshot id. Next: get_snapshot_status with waitSeconds.",
        annotations(title = "Create a snapshot", read_only_hint = false, destructive_hint = false, idempotent_hint = false, open_world_hint = true),
        output_schema = schema_for_output::<CreateSnapshotOutput>()
    )]
    async fn create_snapshot(
        &self,
        Parameters(args): Parameters<snapshots::CreateSnapshotArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.tool_timeout;
        self.run_mind_reasoner("create_snapshot", &ctx, budget, |client| async move {
            snapshots::create(&client, args).await
        })
        .await
    }

    #[tool(
        name = "get_snapshot_status",
        description = "Training status of a snapshot: pending, processing, completed (the mind is ready: simulate) or failed (the file could not be used). `waitSeconds` (0-25) waits on the server until it is completed or failed, instead of polling; the answer says when to ask again.",
        annotations(title = "Get snapshot status", read_only_hint = true, destructive_hint = false, idempotent_hint = true, open_world_hint = true),
        output_schema = schema_for_output::<SnapshotStatusOutput>()
    )]
    async fn get_snapshot_status(
        &self,
        Parameters(args): Parameters<snapshots::SnapshotStatusArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.tool_timeout;
        let progress = crate::mcp::progress::Progress::from_request(&ctx);
        self.run_mind_reasoner("get_snapshot_status", &ctx, budget, |client| async move {
            snapshots::status(&client, args, budget, progress).await
        })
        .await
    }

    #[tool(
        name = "simulate",
        description = "Ask a trained mind how its person would respond to `message` (a question, a pitch, an email draft, a scenario). `model`: \"mind-reasoner-pro\" (default) or \"mind-reasoner-standard\"; `digitalTwinId` picks a twin other than the default. A simulation can take a minute or two. The mind needs a completed snapshot (get_snapshot_status).",
        annotations(title = "Simulate a response", read_only_hint = true, destructive_hint = false, idempotent_hint = false, open_world_hint = true),
        output_schema = schema_for_output::<SimulateOutput>()
    )]
    async fn simulate(
        &self,
        Parameters(args): Parameters<simulate::SimulateArgs>,
        ctx: RequestContext<RoleServer>,
    ) -> Result<CallToolResult, ErrorData> {
        let budget = self.upstreams.simulate_timeout;
        self.run_mind_reasoner("simulate", &ctx, budget, |client| async move {
            simulate::run(&client, args).await
        })
        .await
    }
}
