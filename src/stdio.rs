//! `gong-mcp stdio`: one local client over stdin/stdout, credentials from the environment.

use std::sync::Arc;

use anyhow::Context;
use rmcp::ServiceExt;

use crate::config::StdioArgs;
use crate::gong::base_url::parse_base_url;
use crate::gong::{GongService, TenantHasher};
use crate::mcp::{GongMcp, Transport};
use crate::startup::default_credentials;

pub async fn run(args: StdioArgs) -> anyhow::Result<()> {
    let base_url = parse_base_url(&args.gong.gong_base_url).context("GONG_BASE_URL")?;
    let credentials = default_credentials(&args.gong, &base_url, &TenantHasher::random())?;
    if credentials.is_none() {
        tracing::warn!(
            "GONG_ACCESS_KEY and GONG_ACCESS_SECRET are not set: the Gong tools are hidden until they are"
        );
    }
    let gong = GongService::new(args.gong.settings())?;
    let server = GongMcp::new(
        gong,
        args.gong.tool_timeout(),
        Transport::Stdio(credentials.map(Arc::new)),
    );
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .context("starting MCP over stdio")?;
    running.waiting().await.context("MCP stdio session")?;
    Ok(())
}
