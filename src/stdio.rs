//! `gong-mcp stdio`: one local client over stdin/stdout, credentials from the environment (or,
//! with `--demo`, the built-in synthetic services).

use anyhow::Context;
use rmcp::ServiceExt;

use crate::config::StdioArgs;
use crate::mcp::{GongMcp, Transport};
use crate::mind_reasoner::MAX_SIGNED_UPLOAD_BYTES;
use crate::startup::{Demo, Providers};
use crate::upstream::TenantHasher;

pub async fn run(args: StdioArgs) -> anyhow::Result<()> {
    let demo = if args.demo {
        Some(Demo::spawn().await?)
    } else {
        None
    };
    let hasher = TenantHasher::random();
    let mut providers = Providers::new(&args.gong, &args.mind_reasoner, demo.as_ref(), &hasher)?
        .with_fireflies(&args.fireflies, demo.as_ref(), &hasher)?;
    providers.add_fathom(&args.fathom, &args.gong, demo.as_ref(), &hasher)?;
    if providers.defaults.gong.is_none() {
        tracing::warn!(
            "GONG_ACCESS_KEY and GONG_ACCESS_SECRET are not set: the Gong tools are hidden until they are"
        );
    }
    if providers.defaults.mind_reasoner.is_none() {
        tracing::warn!(
            "MIND_REASONER_API_KEY is not set: the Mind Reasoner tools are hidden until it is"
        );
    }
    if providers.defaults.fathom.is_none() {
        tracing::info!("FATHOM_API_KEY is not set: the Fathom tools are hidden");
    }
    // Over stdio a file is read from the local disk: the signed-URL path's limit applies.
    let upstreams = providers.upstreams(MAX_SIGNED_UPLOAD_BYTES)?;
    let server = GongMcp::new(upstreams, Transport::Stdio(providers.defaults.clone()));
    let running = server
        .serve(rmcp::transport::stdio())
        .await
        .context("starting MCP over stdio")?;
    let result = running.waiting().await.context("MCP stdio session");
    if let Some(demo) = demo {
        demo.shutdown().await;
    }
    result?;
    Ok(())
}
