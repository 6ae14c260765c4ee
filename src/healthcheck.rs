//! `gong-mcp healthcheck`: the container health probe, so images need no curl.

use std::process::ExitCode;
use std::time::Duration;

use crate::config::HealthcheckArgs;

pub async fn run(args: HealthcheckArgs) -> ExitCode {
    let url = args.url.unwrap_or_else(default_url);
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()
    {
        Ok(c) => c,
        Err(_) => return ExitCode::FAILURE,
    };
    match client.get(&url).send().await {
        Ok(r) if r.status().is_success() => ExitCode::SUCCESS,
        Ok(r) => {
            eprintln!("unhealthy: {url} answered {}", r.status());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("unhealthy: {url}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `/healthz` on loopback, on the port of GONG_MCP_LISTEN (8080 when unset).
fn default_url() -> String {
    let port = std::env::var("GONG_MCP_LISTEN")
        .ok()
        .and_then(|l| l.parse::<std::net::SocketAddr>().ok())
        .map_or(8080, |a| a.port());
    format!("http://127.0.0.1:{port}/healthz")
}
