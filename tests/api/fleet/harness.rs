//! A real `redis-server` on loopback (free port, no persistence) and replicas of the real server
//! sharing it, in front of one synthetic Gong. A missing `redis-server` fails the test loudly:
//! `.ci/run` installs it.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use clap::Parser;
use gong_mcp::config::{Cli, Command as Sub};
use gong_mcp::demo::{DemoGong, DemoGongConfig};
use gong_mcp::startup::Application;
use http::{HeaderName, HeaderValue};
use rmcp::model::ClientConfig;
use rmcp::service::{ClientLifecycleMode, ClientServiceExt};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use tokio::sync::oneshot;

use crate::helpers::{McpClient, init_test_log, two_tenants};

/// The fleet's shared HMAC key (replicas must agree on tenant keys).
pub const FLEET_SECRET: &str = "fleet-test-tenant-hmac-key-0123456789";

pub struct RedisServer {
    child: Option<Child>,
    pub port: u16,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// One PING over a raw socket: true on `+PONG`.
fn pings(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(
        &SocketAddr::from(([127, 0, 0, 1], port)),
        Duration::from_millis(200),
    ) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 16];
    s.write_all(b"PING\r\n").is_ok()
        && s.read(&mut buf)
            .is_ok_and(|n| buf[..n].starts_with(b"+PONG"))
}

impl RedisServer {
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    /// Starts redis-server on `port` (persistence off) and waits until it answers.
    pub fn start_on(port: u16) -> Self {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start redis-server ({e}): the fleet tests need a real Redis; install it (apt-get install -y redis-server), as .ci/run does")
            });
        let server = Self {
            child: Some(child),
            port,
        };
        for _ in 0..100 {
            if pings(port) {
                return server;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("redis-server on port {port} did not answer PING within 5 s");
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The keys matching `pattern`.
    pub fn keys(&self, pattern: &str) -> Vec<String> {
        let client = redis::Client::open(self.url()).expect("redis url");
        let mut conn = client.get_connection().expect("redis connection");
        redis::cmd("KEYS")
            .arg(pattern)
            .query::<Vec<String>>(&mut conn)
            .expect("KEYS")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One replica: the real server (port 0) in this process, with its own state.
pub struct Replica {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Replica {
    pub async fn spawn(gong_base: &str, extra: &[&str]) -> Self {
        Self::try_spawn(gong_base, extra)
            .await
            .expect("replica builds")
    }

    pub async fn try_spawn(gong_base: &str, extra: &[&str]) -> anyhow::Result<Self> {
        init_test_log();
        let mut argv = vec![
            "gong-mcp",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--gong-base-url",
            gong_base,
            "--allowed-gong-hosts",
            "http://127.0.0.1:*",
        ];
        argv.extend_from_slice(extra);
        let Sub::Serve(args) = Cli::try_parse_from(argv)?.command else {
            anyhow::bail!("serve expected");
        };
        let app = Application::build(args).await?;
        let addr = app.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(app.run_until_stopped(async move {
            let _ = rx.await;
        }));
        Ok(Self {
            addr,
            shutdown: Some(tx),
            server: Some(server),
        })
    }

    pub async fn client(&self, key: &str, secret: &str) -> McpClient {
        self.client_with(&[("x-gong-access-key", key), ("x-gong-access-secret", secret)])
            .await
    }

    /// A client sending these credential headers (e.g. `x-fathom-api-key`).
    pub async fn client_with(&self, headers: &[(&'static str, &str)]) -> McpClient {
        let headers: HashMap<HeaderName, HeaderValue> = headers
            .iter()
            .map(|(k, v)| {
                (
                    HeaderName::from_static(k),
                    HeaderValue::from_str(v).unwrap(),
                )
            })
            .collect();
        let url = format!("http://127.0.0.1:{}/mcp", self.addr.port());
        let transport = StreamableHttpClientTransport::from_config(
            StreamableHttpClientTransportConfig::with_uri(url).custom_headers(headers),
        );
        ClientConfig::default()
            .serve_with_lifecycle(transport, ClientLifecycleMode::Initialize)
            .await
            .expect("MCP client connects")
    }

    pub async fn ready(&self) -> bool {
        let url = format!("http://127.0.0.1:{}/readyz", self.addr.port());
        reqwest::get(url)
            .await
            .is_ok_and(|r| r.status().is_success())
    }
}

impl Drop for Replica {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}

/// One synthetic Gong (two tenants, Gong's 3 requests/s), one Redis, `n` replicas sharing it.
pub struct Fleet {
    pub gong: DemoGong,
    pub redis: RedisServer,
    pub replicas: Vec<Replica>,
}

impl Fleet {
    pub async fn start(n: usize) -> Self {
        Self::start_with(two_tenants(), n, &[]).await
    }

    pub async fn start_with(config: DemoGongConfig, n: usize, extra: &[&str]) -> Self {
        let redis = RedisServer::start();
        let gong = DemoGong::spawn(config).await.expect("demo gong starts");
        let (url, size) = (redis.url(), n.to_string());
        let mut args = vec![
            "--redis-url",
            &url,
            "--tenant-key-secret",
            FLEET_SECRET,
            "--fleet-size",
            &size,
        ];
        args.extend_from_slice(extra);
        let mut replicas = Vec::new();
        for _ in 0..n {
            replicas.push(Replica::spawn(&gong.base_url(), &args).await);
        }
        Self {
            gong,
            redis,
            replicas,
        }
    }
}

/// Requests per second over the request log: (n - 1) / (last - first).
pub fn rate_of(arrivals: &[tokio::time::Instant]) -> f64 {
    match (arrivals.first(), arrivals.last()) {
        (Some(first), Some(last)) if arrivals.len() > 1 && last > first => {
            (arrivals.len() - 1) as f64 / (*last - *first).as_secs_f64()
        }
        _ => 0.0,
    }
}
