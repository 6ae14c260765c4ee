//! `spawn_app()`: the real server on a random port, in front of the synthetic Gong, driven by
//! rmcp's own MCP client over HTTP with real headers.

use std::collections::HashMap;
use std::net::SocketAddr;

use clap::Parser;
use gong_mcp::config::{Cli, Command};
use gong_mcp::demo::{DemoGong, DemoGongConfig, DemoTenant};
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

pub type McpClient = RunningService<RoleClient, ClientConfig>;

pub struct TestApp {
    pub addr: SocketAddr,
    pub gong: DemoGong,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

pub fn two_tenants() -> DemoGongConfig {
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

/// Starts the synthetic Gong and the server (port 0) with extra `serve` flags.
pub async fn spawn_app_with(gong_config: DemoGongConfig, extra_args: &[&str]) -> TestApp {
    let gong = DemoGong::spawn(gong_config)
        .await
        .expect("demo gong starts");
    let base = gong.base_url();
    let mut argv = vec![
        "gong-mcp",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--gong-base-url",
        &base,
        "--allowed-gong-hosts",
        "http://127.0.0.1:*",
    ];
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
