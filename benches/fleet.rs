//! Fleet benchmark: the latency fleet mode (`--redis-url`) adds to a tool call, cached and
//! uncached, and what one tenant's state costs in memory.
//!
//!     cargo bench --bench fleet
//!
//! Needs `redis-server` on the PATH (started here on a free loopback port, persistence off).
//! Two servers on loopback in front of one synthetic Gong without a rate limit, unpaced
//! (`--gong-rps 0`, so no wait for a slot is measured, only the work): one in-process, one in
//! fleet mode, where every uncached Gong request first takes a slot from the GCRA script and
//! looks in Redis's shared cache. Calls alternate between the two servers, sequentially; the
//! table gives p50 and p90 per tool call and the difference. Asserts nothing about time.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use gong_mcp::config::{Cli, Command as Sub};
use gong_mcp::demo::{DemoGong, DemoGongConfig, DemoTenant};
use gong_mcp::gong::{GongCredentials, GongService, GongSettings, TenantHasher};
use gong_mcp::startup::Application;
use serde_json::{Value, json};

const KEY: &str = "fleet-bench-key";
const SECRET: &str = "fleet-bench-secret";
const CALLS: usize = 400;

struct Redis(Child, u16);

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_redis() -> Redis {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server on the PATH (apt-get install -y redis-server)");
    let redis = Redis(child, port);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return redis;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("redis-server did not start");
}

async fn server(gong: &str, extra: &[&str]) -> String {
    let mut argv = vec![
        "gong-mcp",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--gong-base-url",
        gong,
        "--allowed-gong-hosts",
        "http://127.0.0.1:*",
        "--gong-rps",
        "0",
    ];
    argv.extend_from_slice(extra);
    let Sub::Serve(args) = Cli::try_parse_from(argv).unwrap().command else {
        unreachable!()
    };
    let app = Application::build(args).await.expect("app");
    let url = format!("http://{}/mcp", app.local_addr().unwrap());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    url
}

async fn call(http: &reqwest::Client, url: &str, tool: &str, arguments: Value) -> Duration {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": tool, "arguments": arguments}});
    let started = Instant::now();
    let response: Value = http
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .header("x-gong-access-key", KEY)
        .header("x-gong-access-secret", SECRET)
        .json(&body)
        .send()
        .await
        .expect("server answers")
        .json()
        .await
        .expect("JSON-RPC response");
    let took = started.elapsed();
    assert_eq!(response["result"]["isError"], false, "{response}");
    took
}

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    times[((times.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0
}

/// Resident memory of this process, bytes.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn tenant_cost() -> (u64, f64) {
    let n = 50_000u64;
    let service = GongService::new(GongSettings {
        max_tenants: n,
        ..GongSettings::default()
    })
    .unwrap();
    let hasher = TenantHasher::with_key(b"fleet-bench");
    let base = url::Url::parse("https://api.gong.io").unwrap();
    let creds: Vec<Arc<GongCredentials>> = (0..n)
        .map(|i| {
            Arc::new(
                GongCredentials::new(base.clone(), &format!("k{i}"), &format!("s{i}"), &hasher)
                    .unwrap(),
            )
        })
        .collect();
    let before = rss();
    for c in &creds {
        drop(service.client(Arc::clone(c), Duration::from_secs(1)));
    }
    let held = service.tenants_held();
    (
        held,
        (rss().saturating_sub(before)) as f64 / held.max(1) as f64,
    )
}

#[tokio::main]
async fn main() {
    let redis = start_redis();
    let gong = DemoGong::spawn(DemoGongConfig {
        tenants: vec![DemoTenant::new(KEY, SECRET, "Fleet Bench", 11).with_calls(2 * CALLS + 10)],
        requests_per_second: 0,
        ..DemoGongConfig::default()
    })
    .await
    .expect("demo gong");
    let redis_url = format!("redis://127.0.0.1:{}", redis.1);
    let alone = server(&gong.base_url(), &[]).await;
    let fleet = server(
        &gong.base_url(),
        &[
            "--redis-url",
            &redis_url,
            "--tenant-key-secret",
            "fleet-bench-hmac",
        ],
    )
    .await;
    let http = reqwest::Client::builder()
        .tcp_nodelay(true)
        .build()
        .unwrap();
    let ids: Vec<String> = gong
        .workspace(KEY)
        .unwrap()
        .calls
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let args = |id: &str| json!({"callIds": [id]});
    // Warm both (connections, first tenant state).
    for url in [&alone, &fleet] {
        call(&http, url, "gong_get_call_details", args(&ids[0])).await;
    }
    let (mut a_cold, mut f_cold, mut a_hot, mut f_hot) = (vec![], vec![], vec![], vec![]);
    for i in 0..CALLS {
        // Uncached: a call id neither server has seen (the fleet's Redis has not either).
        let (a_id, f_id) = (&ids[1 + 2 * i], &ids[2 + 2 * i]);
        a_cold.push(call(&http, &alone, "gong_get_call_details", args(a_id)).await);
        f_cold.push(call(&http, &fleet, "gong_get_call_details", args(f_id)).await);
        // Cached: the same id again.
        a_hot.push(call(&http, &alone, "gong_get_call_details", args(a_id)).await);
        f_hot.push(call(&http, &fleet, "gong_get_call_details", args(f_id)).await);
    }
    println!(
        "gong-mcp fleet benchmark: {CALLS} sequential gong_get_call_details per row, loopback\n"
    );
    println!(
        "{:<34} {:>9} {:>9} {:>9} {:>9}",
        "", "p50 ms", "p90 ms", "+p50 ms", "+p90 ms"
    );
    for (name, alone, fleet) in [
        ("uncached", &mut a_cold, &mut f_cold),
        ("cached", &mut a_hot, &mut f_hot),
    ] {
        let (a50, a90) = (percentile(alone, 0.5), percentile(alone, 0.9));
        let (f50, f90) = (percentile(fleet, 0.5), percentile(fleet, 0.9));
        println!(
            "{:<34} {a50:>9.3} {a90:>9.3}",
            format!("{name}, in-process")
        );
        println!(
            "{:<34} {f50:>9.3} {f90:>9.3} {:>+9.3} {:>+9.3}",
            format!("{name}, fleet (Redis)"),
            f50 - a50,
            f90 - a90
        );
    }
    let (held, per_tenant) = tenant_cost();
    println!(
        "\ntenant state: {held} tenants held, ~{per_tenant:.0} bytes resident each (system allocator)"
    );
}
