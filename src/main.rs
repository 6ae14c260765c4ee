use std::process::ExitCode;

/// mimalloc: a request allocates and frees many small buffers (JSON, headers, strings); glibc's
/// malloc/free were a quarter of the server's CPU under load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use gong_mcp::config::{Cli, Command};
use gong_mcp::startup::{Application, shutdown_signal};
use gong_mcp::{healthcheck, stdio, telemetry};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Stdio(args) => stdio::run(args).await,
        Command::Healthcheck(args) => return healthcheck::run(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("gong-mcp: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: gong_mcp::config::ServeArgs) -> anyhow::Result<()> {
    if args.print_config {
        println!("{}", serde_json::to_string_pretty(&args.redacted())?);
        return Ok(());
    }
    let app = Application::build(args).await?;
    tracing::info!(address = %app.local_addr()?, "serving MCP at /mcp");
    app.run_until_stopped(shutdown_signal()).await?;
    Ok(())
}
