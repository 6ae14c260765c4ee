//! Logging to stderr (stdout belongs to the MCP stdio transport): human text by default, JSON
//! for pipelines, filtered by `RUST_LOG` (default `info,rmcp=warn`: rmcp logs every stateless request at info).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,rmcp=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    // A subscriber already set (tests) is fine.
    let _ = result;
}

/// For the test suites: when `GONG_MCP_TEST_LOG` names a file, every event of this process at
/// TRACE, and every panic message, is appended to it (`scripts/test.sh` scans the file for
/// secrets). The first line names `source`, so the scan can tell that each test binary was
/// captured. Once per process; a no-op without the variable. Never panics (it may run before
/// `main`, from a test binary's constructor).
#[doc(hidden)]
pub fn capture_test_log(source: &str) {
    use std::io::Write;
    use std::sync::{Mutex, OnceLock};
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let Some(path) = std::env::var_os("GONG_MCP_TEST_LOG").filter(|p| !p.is_empty()) else {
            return;
        };
        let open = || {
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
        };
        let (Ok(mut marker), Ok(log), Ok(panics)) = (open(), open(), open()) else {
            return;
        };
        let _ = writeln!(
            marker,
            "gong-mcp test log: capturing {source} (pid {}) at TRACE",
            std::process::id()
        );
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(Mutex::new(log))
            .try_init();
        let panics = Mutex::new(panics);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Ok(mut f) = panics.lock() {
                let _ = writeln!(f, "PANIC in test process: {info}");
            }
            previous(info);
        }));
    });
}
