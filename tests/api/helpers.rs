//! `spawn_app()`: the real server on a random port, in front of the synthetic Gong, driven by
//! rmcp's own MCP client over HTTP with real headers.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use clap::Parser;
use gong_mcp::config::{Cli, Command};
use gong_mcp::demo::{DemoGong, DemoGongConfig, DemoTenant};
use gong_mcp::fakes::fathom::{FakeFathom, FakeFathomConfig, FakeFathomTenant};
use gong_mcp::fakes::fireflies::{FakeFfTenant, FakeFireflies, FakeFirefliesConfig};
use gong_mcp::fakes::mind_reasoner::{FakeMindReasoner, FakeMindReasonerConfig, FakeMrTenant};
use gong_mcp::startup::Application;
use http::{HeaderName, HeaderValue};
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig, ProtocolVersion};
use rmcp::service::{ClientLifecycleMode, ClientServiceExt, RoleClient, RunningService};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub const A_KEY: &str = "northwind-key";
pub const A_SECRET: &str = "northwind-secret-Aa1";
pub const B_KEY: &str = "initech-key";
pub const B_SECRET: &str = "initech-secret-Bb2";
/// Mind Reasoner API keys of the two test tenants.
pub const MR_KEY_A: &str = "mr-northwind-key-Mm7";
pub const MR_KEY_B: &str = "mr-initech-key-Nn8";
/// Fathom API keys of the two test tenants (the same people as Gong's `A_KEY` and `B_KEY`).
pub const FATHOM_KEY_A: &str = "fathom-northwind-key-Ff5";
pub const FATHOM_KEY_B: &str = "fathom-initech-key-Gg6";
/// Fireflies API keys of the two test tenants (the same companies as the Gong tenants).
pub const FIREFLIES_KEY_A: &str = "ff-northwind-key-Ff1";
pub const FIREFLIES_KEY_B: &str = "ff-initech-key-Ff2";

pub type McpClient = RunningService<RoleClient, ClientConfig>;

pub struct TestApp {
    pub addr: SocketAddr,
    pub gong: DemoGong,
    /// The synthetic Mind Reasoner behind the server (tenants `MR_KEY_A`, `MR_KEY_B`).
    pub mr: FakeMindReasoner,
    /// The synthetic Fathom behind the server (tenants `FATHOM_KEY_A`, `FATHOM_KEY_B`).
    pub fathom: FakeFathom,
    /// The synthetic Fireflies behind the server (tenants `FIREFLIES_KEY_A`, `FIREFLIES_KEY_B`).
    pub fireflies: FakeFireflies,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub fn two_tenants() -> DemoGongConfig {
    init_test_log();
    DemoGongConfig {
        tenants: vec![
            DemoTenant::new(A_KEY, A_SECRET, "Northwind Analytics", 1),
            DemoTenant::new(B_KEY, B_SECRET, "Initech Cloud", 2),
        ],
        ..DemoGongConfig::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(two_tenants(), &[]).await
}

/// The synthetic Mind Reasoner's two tenants, training fast (snapshots complete in ~0.4 s).
pub fn two_mind_reasoner_tenants() -> FakeMindReasonerConfig {
    FakeMindReasonerConfig {
        tenants: vec![
            FakeMrTenant {
                api_key: MR_KEY_A.into(),
                label: "Northwind".into(),
            },
            FakeMrTenant {
                api_key: MR_KEY_B.into(),
                label: "Initech".into(),
            },
        ],
        snapshot_step: Duration::from_millis(200),
        ..FakeMindReasonerConfig::default()
    }
}

/// The synthetic Fathom's two tenants: the people of Gong's tenants A and B, other meetings.
pub fn two_fathom_tenants() -> FakeFathomConfig {
    let mut b = FakeFathomTenant::new(FATHOM_KEY_B, 2, 2002);
    b.company = "Initech Cloud".into();
    FakeFathomConfig {
        tenants: vec![FakeFathomTenant::new(FATHOM_KEY_A, 1, 1001), b],
        ..FakeFathomConfig::default()
    }
}

/// Starts the synthetic Gong and the server (port 0) with extra `serve` flags.
pub async fn spawn_app_with(gong_config: DemoGongConfig, extra_args: &[&str]) -> TestApp {
    spawn_app_full(gong_config, two_mind_reasoner_tenants(), extra_args).await
}

/// The synthetic Fireflies' two tenants, without plan limits (tests that need them set them).
pub fn two_fireflies_tenants() -> FakeFirefliesConfig {
    FakeFirefliesConfig {
        tenants: vec![
            FakeFfTenant::new(FIREFLIES_KEY_A, "Northwind Analytics", 1),
            FakeFfTenant::new(FIREFLIES_KEY_B, "Initech Cloud", 2),
        ],
        requests_per_minute: 0,
        ..FakeFirefliesConfig::default()
    }
}

/// Starts both synthetic services and the server in front of them. Uploads are allowed to the
/// synthetic storage's origin only.
pub async fn spawn_app_full(
    gong_config: DemoGongConfig,
    mr_config: FakeMindReasonerConfig,
    extra_args: &[&str],
) -> TestApp {
    spawn_app_all(
        gong_config,
        mr_config,
        two_fireflies_tenants(),
        two_fathom_tenants(),
        extra_args,
    )
    .await
}

/// `spawn_app_full` with a synthetic Fathom of this configuration.
pub async fn spawn_app_fathom(
    gong_config: DemoGongConfig,
    mr_config: FakeMindReasonerConfig,
    fathom_config: FakeFathomConfig,
    extra_args: &[&str],
) -> TestApp {
    spawn_app_all(
        gong_config,
        mr_config,
        two_fireflies_tenants(),
        fathom_config,
        extra_args,
    )
    .await
}

/// The server in front of a synthetic Fireflies configured by the test.
pub async fn spawn_app_fireflies(ff_config: FakeFirefliesConfig, extra_args: &[&str]) -> TestApp {
    spawn_app_all(
        two_tenants(),
        two_mind_reasoner_tenants(),
        ff_config,
        two_fathom_tenants(),
        extra_args,
    )
    .await
}

/// Starts the synthetic services and the server in front of them.
pub async fn spawn_app_all(
    gong_config: DemoGongConfig,
    mr_config: FakeMindReasonerConfig,
    ff_config: FakeFirefliesConfig,
    fathom_config: FakeFathomConfig,
    extra_args: &[&str],
) -> TestApp {
    init_test_log();
    let fireflies = FakeFireflies::spawn(ff_config)
        .await
        .expect("synthetic Fireflies starts");
    let ff_url = fireflies.api_url();
    let gong = DemoGong::spawn(gong_config)
        .await
        .expect("demo gong starts");
    let mr = FakeMindReasoner::spawn(mr_config)
        .await
        .expect("synthetic Mind Reasoner starts");
    let fathom = FakeFathom::spawn(fathom_config)
        .await
        .expect("synthetic Fathom starts");
    let fathom_base = fathom.base_url();
    let base = gong.base_url();
    let mr_base = mr.base_url();
    let storage = mr.storage_origin();
    let mut argv = vec![
        "gong-mcp",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--gong-base-url",
        &base,
        "--allowed-gong-hosts",
        "http://127.0.0.1:*",
        "--mind-reasoner-base-url",
        &mr_base,
        "--allowed-upload-hosts",
        &storage,
        "--fathom-base-url",
        &fathom_base,
        "--fireflies-api-url",
        &ff_url,
    ];
    // Unpaced unless a test sets the pace: the synthetic services enforce their limits either way.
    if !extra_args.contains(&"--fathom-rps") {
        argv.extend_from_slice(&["--fathom-rps", "0"]);
    }
    if !extra_args.contains(&"--fireflies-requests-per-minute") {
        argv.extend_from_slice(&["--fireflies-requests-per-minute", "0"]);
    }
    argv.extend_from_slice(extra_args);
    let Command::Serve(args) = Cli::try_parse_from(argv).expect("valid flags").command else {
        panic!("serve expected");
    };
    let app = Application::build(args).await.expect("app builds");
    let addr = app.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        gong,
        mr,
        fathom,
        fireflies,
        shutdown: Some(tx),
        server: Some(server),
    }
}

impl TestApp {
    pub fn mcp_url(&self) -> String {
        format!("http://127.0.0.1:{}/mcp", self.addr.port())
    }

    pub async fn client(&self, key: &str, secret: &str) -> McpClient {
        self.client_with(&[("x-gong-access-key", key), ("x-gong-access-secret", secret)])
            .await
    }

    /// A 2026-07-28 (stateless, `server/discover`) client.
    pub async fn modern_client(&self, headers: &[(&str, &str)]) -> McpClient {
        self.client_lifecycle(
            headers,
            ClientLifecycleMode::Discover {
                preferred_versions: vec![ProtocolVersion::V_2026_07_28],
            },
        )
        .await
    }

    /// A 2025-11-25 client (initialize handshake).
    pub async fn client_with(&self, headers: &[(&str, &str)]) -> McpClient {
        self.client_lifecycle(headers, ClientLifecycleMode::Initialize)
            .await
    }

    async fn client_lifecycle(
        &self,
        headers: &[(&str, &str)],
        mode: ClientLifecycleMode,
    ) -> McpClient {
        let custom: HashMap<HeaderName, HeaderValue> = headers
            .iter()
            .map(|(k, v)| {
                (
                    HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect();
        let transport = StreamableHttpClientTransport::from_config(
            StreamableHttpClientTransportConfig::with_uri(self.mcp_url()).custom_headers(custom),
        );
        ClientConfig::default()
            .serve_with_lifecycle(transport, mode)
            .await
            .expect("MCP client connects")
    }

    /// Raw JSON-RPC POST for what an SDK client will not send.
    pub async fn post_raw(&self, headers: &[(&str, &str)], body: String) -> reqwest::Response {
        let mut req = reqwest::Client::new()
            .post(self.mcp_url())
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        req.body(body).send().await.expect("server answers")
    }

    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

pub async fn call(client: &McpClient, tool: &str, args: Value) -> CallToolResult {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(map))
        .await
        .expect("tools/call gets a result")
}

/// The text of a result's first content block.
pub fn text(result: &CallToolResult) -> String {
    result
        .content
        .first()
        .and_then(|c| c.as_text())
        .map(|t| t.text.clone())
        .unwrap_or_default()
}

pub fn structured(result: &CallToolResult) -> Value {
    assert_eq!(
        result.is_error,
        Some(false),
        "tool failed: {}",
        text(result)
    );
    result
        .structured_content
        .clone()
        .expect("structuredContent")
}

pub fn is_error(result: &CallToolResult) -> bool {
    result.is_error == Some(true)
}

pub fn initialize_body() -> String {
    json!({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"0"}}}).to_string()
}

// ---- trace-level log capture (secret hygiene) -------------------------------------------------

/// The file every test process and child process logs into at TRACE, when `GONG_MCP_TEST_LOG`
/// names one (`scripts/test.sh` does, then checks it for secrets).
pub fn test_log_path() -> Option<std::path::PathBuf> {
    std::env::var_os("GONG_MCP_TEST_LOG")
        .filter(|p| !p.is_empty())
        .map(Into::into)
}

fn open_test_log() -> Option<File> {
    let path = test_log_path()?;
    Some(
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display())),
    )
}

/// Installs (once per test process) a TRACE subscriber writing to the test log, and a panic hook
/// that records every panic message there too. A no-op without `GONG_MCP_TEST_LOG`.
pub fn init_test_log() {
    gong_mcp::telemetry::capture_test_log("tests/api");
}

/// Appends one line (e.g. a child process's stderr line) to the test log, if there is one.
pub fn append_to_test_log(line: &str) {
    static FILE: OnceLock<Option<Mutex<File>>> = OnceLock::new();
    if let Some(file) = FILE.get_or_init(|| open_test_log().map(Mutex::new)) {
        let mut f = file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(f, "{line}");
    }
}

/// `RUST_LOG` for child processes: everything when the suite captures logs.
pub fn child_rust_log(default: &'static str) -> &'static str {
    if test_log_path().is_some() {
        "trace"
    } else {
        default
    }
}

/// Where a child process's stderr goes: appended to the test log, or discarded.
pub fn child_stderr() -> Stdio {
    match open_test_log() {
        Some(f) => Stdio::from(f),
        None => Stdio::null(),
    }
}

// ---- the real binary, for what must be measured in a process of its own ---------------------

/// `gong-mcp serve` as a child process on 127.0.0.1:0 in front of `gong_base_url`: its
/// `/metrics` (in-flight gauge) and its memory are its own, not shared with parallel tests.
pub struct ServerProcess {
    pub child: Child,
    pub addr: SocketAddr,
    /// Lines of the child's stderr that report a panic.
    panics: std::sync::Arc<Mutex<Vec<String>>>,
}

/// `rust_log` must include `info` for `gong_mcp`: the listening address is read from that log line.
pub fn spawn_server_process(
    gong_base_url: &str,
    extra_args: &[&str],
    rust_log: &'static str,
) -> ServerProcess {
    init_test_log();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gong-mcp"))
        .args(["serve", "--listen", "127.0.0.1:0", "--gong-base-url"])
        .arg(gong_base_url)
        .args(["--allowed-gong-hosts", "http://127.0.0.1:*"])
        .args(extra_args)
        .env_remove("GONG_ACCESS_KEY")
        .env_remove("GONG_ACCESS_SECRET")
        .env_remove("GONG_MCP_LISTEN")
        .env("RUST_LOG", rust_log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("gong-mcp serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("the server logs its address (at info) before exiting")
            .expect("stderr is readable");
        append_to_test_log(&line);
        if let Some(rest) = line.split("address=").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .parse()
                .expect("a socket address");
        }
    };
    // Keep draining stderr (into the test log) so the child never blocks on a full pipe.
    let panics = std::sync::Arc::new(Mutex::new(Vec::new()));
    let seen = std::sync::Arc::clone(&panics);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if line.contains("panicked") {
                seen.lock().unwrap().push(line.clone());
            }
            append_to_test_log(&line);
        }
    });
    ServerProcess {
        child,
        addr,
        panics,
    }
}

impl ServerProcess {
    pub fn mcp_url(&self) -> String {
        format!("http://{}/mcp", self.addr)
    }

    /// Panic reports the child printed so far (a panicking handler does not stop the server,
    /// so "still serving" alone would not show it).
    pub fn panics(&self) -> Vec<String> {
        self.panics.lock().unwrap().clone()
    }

    /// Still running (not crashed)?
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The child's resident memory, from /proc (Linux), in KiB.
    pub fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("/proc/PID/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An MCP client (2025-11-25) for any server URL.
pub async fn client_for(url: &str, headers: &[(&str, &str)]) -> McpClient {
    let custom: HashMap<HeaderName, HeaderValue> = headers
        .iter()
        .map(|(k, v)| {
            (
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            )
        })
        .collect();
    let transport = StreamableHttpClientTransport::from_config(
        StreamableHttpClientTransportConfig::with_uri(url.to_owned()).custom_headers(custom),
    );
    ClientConfig::default()
        .serve_with_lifecycle(transport, ClientLifecycleMode::Initialize)
        .await
        .expect("MCP client connects")
}

/// `GET /metrics` of the server at `addr`.
pub async fn metrics_text(addr: SocketAddr) -> String {
    reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("metrics answer")
        .text()
        .await
        .unwrap()
}

/// The value of an unlabelled series (a gauge like `mcp_tool_calls_in_flight`).
pub fn metric_value(metrics: &str, name: &str) -> Option<f64> {
    metrics.lines().find_map(|l| {
        let rest = l.strip_prefix(name)?.strip_prefix(' ')?;
        rest.trim().parse().ok()
    })
}

/// Waits (bounded) until the server reports no tool call in flight; returns the last value. A
/// `/metrics` without the gauge fails: absence is not zero.
pub async fn wait_in_flight_zero(addr: SocketAddr) -> f64 {
    let mut last = f64::NAN;
    for _ in 0..50 {
        let metrics = metrics_text(addr).await;
        last = metric_value(&metrics, "mcp_tool_calls_in_flight")
            .unwrap_or_else(|| panic!("no mcp_tool_calls_in_flight gauge in /metrics:\n{metrics}"));
        if last == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

/// The names of the tools this client is shown, sorted.
pub async fn tool_names(client: &McpClient) -> Vec<String> {
    let mut names: Vec<String> = client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect();
    names.sort();
    names
}
