use std::process::ExitCode;

/// mimalloc: a request allocates and frees many small buffers (JSON, headers, strings); glibc's
/// malloc/free were a quarter of the server's CPU under load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use gong_mcp::config::{Cli, Command};
use gong_mcp::startup::{Application, shutdown_signal};
use gong_mcp::{healthcheck, stdio, telemetry};

/// mimalloc v3 option ids (`mi_option_e` in mimalloc.h, which libmimalloc-sys does not export
/// for v3).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Commit arena memory as it is used, and return freed memory to the OS after `PURGE_DELAY_MS`
/// (mimalloc's default is 1 s). Measured with `cargo bench --bench load` (README, Performance):
/// against 100 ms in one build on 2026-11-30, purging at once cost 29-48 page faults per call on
/// the 100-call page (100 ms: 1-11) for about the same peak with 256 calls in flight (87 against
/// 89 MiB); the delay keeps a busy server's freed pages for reuse and still returns them within
/// moments of going idle. The `MIMALLOC_ARENA_EAGER_COMMIT` and `MIMALLOC_PURGE_DELAY`
/// environment variables override these.
const PURGE_DELAY_MS: std::ffi::c_long = 100;

fn tune_allocator() {
    for (option, env, value) in [
        (
            MI_OPTION_ARENA_EAGER_COMMIT,
            "MIMALLOC_ARENA_EAGER_COMMIT",
            0,
        ),
        (
            MI_OPTION_PURGE_DELAY,
            "MIMALLOC_PURGE_DELAY",
            PURGE_DELAY_MS,
        ),
    ] {
        if std::env::var_os(env).is_none() {
            // SAFETY: a plain setter of a process-wide allocator option, called before any
            // thread starts.
            unsafe { libmimalloc_sys::mi_option_set(option, value) };
        }
    }
}

fn main() -> ExitCode {
    tune_allocator();
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(e) => {
            eprintln!("gong-mcp: starting the async runtime: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
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
