//! Load benchmark: the real `gong-mcp` binary in its own process, driven over kept-alive HTTP
//! connections by many tenants at several concurrency levels, in front of an upstream "Gong" that
//! answers instantly (or after 150 ms) with a fixed page.
//!
//!     cargo bench --bench load            # all scenarios, about a minute
//!     LOAD_SECS=5 cargo bench --bench load   # longer runs per level
//!
//! Every answer is checked to be a real tool result (not an error). Server CPU and memory are
//! read from /proc for the server process only; the load generator and the upstream run in this
//! process, on the same 2 cores.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::{get, post};
use bytes::Bytes;
use serde_json::{Value, json};

const TENANTS: usize = 64;

#[derive(Clone, Copy)]
struct Upstream {
    calls_per_page: usize,
    delay: Duration,
}

/// A fixed Gong: `GET /v2/calls` returns the same page; `POST /v2/calls/extensive` one call.
async fn start_upstream(spec: Upstream) -> SocketAddr {
    let page = Bytes::from(calls_page(spec.calls_per_page).to_string());
    let extensive = Bytes::from(extensive_page().to_string());
    let delay = spec.delay;
    let json = |b: Bytes| {
        (
            [(http::header::CONTENT_TYPE, "application/json;charset=UTF-8")],
            b,
        )
    };
    let app = Router::new()
        .route(
            "/v2/calls",
            get(move || {
                let page = page.clone();
                async move {
                    // sleep(ZERO) would still wait for the next 1 ms timer tick.
                    if !delay.is_zero() {
                        tokio::time::sleep(delay).await;
                    }
                    json(page)
                }
            }),
        )
        .route(
            "/v2/calls/extensive",
            post(move || {
                let extensive = extensive.clone();
                async move { json(extensive) }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Like Gong's own front end, answer small responses without Nagle delays.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

fn calls_page(n: usize) -> Value {
    let calls: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("{}", 7_782_342_274_025_937_000u64 + i as u64),
                "url": format!("https://app.gong.io/call?id={}", 7_782_342_274_025_937_000u64 + i as u64),
                "title": format!("Acme Logistics <> Northwind | Discovery call {i}"),
                "scheduled": "2026-11-03T14:00:00-08:00",
                "started": "2026-11-03T14:03:37.041977-08:00",
                "duration": 1800 + i,
                "primaryUserId": "234599484848423",
                "direction": "Conference", "system": "Zoom", "scope": "External", "media": "Video",
                "language": "eng", "workspaceId": "623457276584334", "sdrDisposition": null,
                "clientUniqueId": null, "customData": null, "purpose": null,
                "meetingUrl": "https://zoom.us/j/123", "isPrivate": false, "calendarEventId": null
            })
        })
        .collect();
    json!({"requestId": "bench", "records": {"totalRecords": n, "currentPageSize": n, "currentPageNumber": 0}, "calls": calls})
}

fn extensive_page() -> Value {
    let parties: Vec<Value> = (0..6)
        .map(|i| json!({"id": format!("p{i}"), "name": format!("Person {i}"), "emailAddress": format!("p{i}@acme.com"),
                        "title": "Director", "speakerId": format!("s{i}"), "affiliation": if i < 3 {"Internal"} else {"External"},
                        "methods": ["Attendee"]}))
        .collect();
    json!({"requestId": "bench", "records": {"totalRecords": 1, "currentPageSize": 1, "currentPageNumber": 0},
        "calls": [{"metaData": calls_page(1)["calls"][0],
        "parties": parties,
        "content": {"topics": [{"name": "Pricing", "duration": 300}, {"name": "Security", "duration": 420}],
                    "trackers": [{"name": "Competitors", "count": 3, "phrases": [{"phrase": "Globex", "count": 3}]}],
                    "brief": "Acme wants to consolidate reporting; pricing and security discussed.",
                    "keyPoints": [{"text": "Budget approved"}], "callOutcome": {"name": "Meeting booked"}},
        "interaction": {"speakers": [{"id": "p0", "talkTime": 600}, {"id": "p1", "talkTime": 300}],
                        "interactionStats": [{"name": "Talk Ratio", "value": 0.55}]}}]})
}

#[derive(serde::Deserialize)]
struct Answer {
    id: u64,
    result: AnswerResult,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnswerResult {
    is_error: bool,
    structured_content: Option<serde::de::IgnoredAny>,
}

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(upstream: SocketAddr, extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gong-mcp"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--gong-base-url",
                &format!("http://{upstream}"),
                "--gong-rps",
                "0",
            ])
            .args(extra)
            .env("RUST_LOG", "warn,gong_mcp=info")
            .env_remove("GONG_ACCESS_KEY")
            .env_remove("GONG_ACCESS_SECRET")
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gong-mcp");
        let stderr = child.stderr.take().unwrap();
        let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stderr));
        let addr = loop {
            let line = lines.next().expect("server logs its address").unwrap();
            if let Some(rest) = line.split("address=").nth(1) {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Self { child, addr }
    }

    fn proc_status(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find(|l| l.starts_with(field))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// Resident memory now, in KiB.
    fn rss_kib(&self) -> u64 {
        self.proc_status("VmRSS:")
    }

    /// CPU time (user, system) and page faults (minor + major) so far.
    fn usage(&self) -> Usage {
        read_usage(&format!("/proc/{}/stat", self.child.id()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// CPU time and page faults from a /proc `stat` file (a process's or a thread's).
fn read_usage(path: &str) -> Usage {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    let after_comm = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    // Field n of a stat file (1-based, man 5 proc) is index n - 3 after "(comm)".
    let field = |n: usize| {
        fields
            .get(n - 3)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let hz = 100; // USER_HZ on Linux
    Usage {
        user: Duration::from_millis(field(14) * 1000 / hz),
        system: Duration::from_millis(field(15) * 1000 / hz),
        faults: field(10) + field(12),
    }
}

#[derive(Clone, Copy)]
struct Usage {
    user: Duration,
    system: Duration,
    faults: u64,
}

impl std::ops::Sub for Usage {
    type Output = Usage;
    fn sub(self, before: Usage) -> Usage {
        Usage {
            user: self.user.saturating_sub(before.user),
            system: self.system.saturating_sub(before.system),
            faults: self.faults.saturating_sub(before.faults),
        }
    }
}

struct Level {
    calls: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
    usage: Usage,
    peak_rss_kib: u64,
}

async fn drive(
    server: &Server,
    tool: &'static str,
    args: Value,
    concurrency: usize,
    secs: Duration,
) -> Level {
    let url = format!("http://{}/mcp", server.addr);
    let http = reqwest::Client::builder()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let next_id = Arc::new(AtomicU64::new(1));
    let peak = Arc::new(AtomicU64::new(server.rss_kib()));
    let stop = Instant::now() + secs;
    let usage_before = server.usage();
    let started = Instant::now();
    let sampler = {
        let peak = Arc::clone(&peak);
        let pid = server.child.id();
        tokio::spawn(async move {
            loop {
                let status =
                    std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                if let Some(kib) = status
                    .lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse().ok())
                {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let workers = (0..concurrency).map(|w| {
        let (http, url, args, next_id) = (
            http.clone(),
            url.clone(),
            args.clone(),
            Arc::clone(&next_id),
        );
        tokio::spawn(async move {
            let tenant = w % TENANTS;
            let (key, secret) = (
                format!("bench-key-{tenant}"),
                format!("bench-secret-{tenant}"),
            );
            let mut latencies = Vec::new();
            while Instant::now() < stop {
                let id = next_id.fetch_add(1, Ordering::Relaxed);
                let body = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
                                  "params": {"name": tool, "arguments": args}});
                let t = Instant::now();
                let response = http
                    .post(&url)
                    .header("accept", "application/json, text/event-stream")
                    .header("content-type", "application/json")
                    .header("mcp-protocol-version", "2025-11-25")
                    .header("x-gong-access-key", &key)
                    .header("x-gong-access-secret", &secret)
                    .body(body.to_string())
                    .send()
                    .await
                    .expect("server answers");
                let bytes = response.bytes().await.expect("body");
                latencies.push(t.elapsed());
                // Only what proves a real answer to this request is decoded; the rest is skipped.
                let answer: Answer = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                    panic!(
                        "not a tool result ({e}): {}",
                        String::from_utf8_lossy(&bytes)
                    )
                });
                assert_eq!(answer.id, id, "answer to this request");
                assert!(
                    !answer.result.is_error,
                    "a real result, not an error: {}",
                    String::from_utf8_lossy(&bytes)
                );
                assert!(answer.result.structured_content.is_some());
            }
            latencies
        })
    });
    let mut latencies = Vec::new();
    for w in futures::future::join_all(workers).await {
        latencies.extend(w.unwrap());
    }
    let elapsed = started.elapsed();
    sampler.abort();
    latencies.sort();
    Level {
        calls: latencies.len() as u64,
        elapsed,
        latencies,
        usage: server.usage() - usage_before,
        peak_rss_kib: peak.load(Ordering::Relaxed),
    }
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len().saturating_sub(1))]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn row(name: &str, concurrency: usize, level: &Level) {
    let per_call = |d: Duration| d.as_secs_f64() * 1000.0 / level.calls.max(1) as f64;
    let u = level.usage;
    println!(
        "{:<34} {:>5} {:>10.0} {:>8} {:>8} {:>8} {:>11.3} {:>7.0}% {:>7.1} {:>9.1} {:>12.1}",
        name,
        concurrency,
        level.calls as f64 / level.elapsed.as_secs_f64(),
        ms(pct(&level.latencies, 0.5)),
        ms(pct(&level.latencies, 0.9)),
        ms(pct(&level.latencies, 0.99)),
        per_call(u.user + u.system),
        u.system.as_secs_f64() * 100.0 / (u.user + u.system).as_secs_f64().max(1e-9),
        u.faults as f64 / level.calls.max(1) as f64,
        level.peak_rss_kib as f64 / 1024.0,
        level.peak_rss_kib as f64 / 1024.0 / concurrency as f64,
    );
}

/// The reference measured in the same run on the same machine: CPU to decode the upstream page
/// into `serde_json::Value` and encode it again, single-threaded in this process, per page. The
/// server's CPU per call divided by this says how many "plain JSON passes" a call costs, a figure
/// that stays comparable when the machine is faster, slower or busier than last time.
fn serde_reference_ms(calls_per_page: usize) -> f64 {
    let page = calls_page(calls_per_page).to_string().into_bytes();
    let rounds = 400;
    let mut out = 0usize;
    let cpu = || {
        let u = read_usage("/proc/thread-self/stat");
        u.user + u.system
    };
    let wall = Instant::now();
    let before = cpu();
    for _ in 0..rounds {
        let v: Value = serde_json::from_slice(&page).expect("page");
        out += serde_json::to_vec(&v).expect("encode").len();
    }
    let spent = cpu() - before;
    std::hint::black_box(out);
    // CPU time counts in 10 ms ticks: fall back to wall time when the run was too short.
    let total_ms = if spent >= Duration::from_millis(200) {
        spent.as_secs_f64() * 1000.0
    } else {
        wall.elapsed().as_secs_f64() * 1000.0
    };
    total_ms / rounds as f64
}

#[tokio::main]
async fn main() {
    let secs = Duration::from_secs(
        std::env::var("LOAD_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2),
    );
    let levels = [1, 16, 64, 256];
    println!(
        "gong-mcp load benchmark: {TENANTS} tenants, {} s per level, kept-alive HTTP/1.1, {} cores",
        secs.as_secs(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let reference = [(100, serde_reference_ms(100)), (10, serde_reference_ms(10))];
    for (n, r) in reference {
        println!(
            "reference (same run): serde_json decode + encode of the {n}-call upstream page: {r:.3} ms CPU"
        );
    }
    println!(
        "{:<34} {:>5} {:>10} {:>8} {:>8} {:>8} {:>11} {:>8} {:>7} {:>9} {:>12}",
        "scenario",
        "conc",
        "calls/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "CPU ms/call",
        "sys",
        "faults",
        "peak MiB",
        "MiB/in-flight"
    );

    let fast100 = start_upstream(Upstream {
        calls_per_page: 100,
        delay: Duration::ZERO,
    })
    .await;
    let fast10 = start_upstream(Upstream {
        calls_per_page: 10,
        delay: Duration::ZERO,
    })
    .await;
    let slow100 = start_upstream(Upstream {
        calls_per_page: 100,
        delay: Duration::from_millis(150),
    })
    .await;

    // LOAD_ONLY=<substring> runs only the scenarios whose name contains it.
    let only = std::env::var("LOAD_ONLY").unwrap_or_default();
    let wanted = |name: &str| name.contains(only.as_str());

    // The call list is cached for 10 s by default; with the cache off every call goes upstream.
    for (name, upstream, limit) in [
        ("list_calls limit=100, 100-call page", fast100, 100),
        ("list_calls limit=10, 10-call page", fast10, 10),
    ] {
        if !wanted(name) {
            continue;
        }
        let server = Server::start(upstream, &["--cache-mb", "0"]);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let idle = server.rss_kib();
        println!("  (idle RSS {:.1} MiB)", idle as f64 / 1024.0);
        for c in levels {
            let level = drive(&server, "gong_list_calls", json!({"limit": limit}), c, secs).await;
            row(name, c, &level);
        }
    }

    if wanted("call_details, cached call") {
        let server = Server::start(fast100, &[]);
        for c in levels {
            let level = drive(
                &server,
                "gong_get_call_details",
                json!({"callId": "7782342274025937000"}),
                c,
                secs,
            )
            .await;
            row("call_details, cached call", c, &level);
        }
        drop(server);
    }

    if !wanted("list_calls, 150 ms upstream") {
        return;
    }
    let server = Server::start(slow100, &["--cache-mb", "0"]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let idle = server.rss_kib();
    for c in [64, 256] {
        let level = drive(
            &server,
            "gong_list_calls",
            json!({"limit": 100}),
            c,
            secs.max(Duration::from_secs(3)),
        )
        .await;
        row("list_calls, 150 ms upstream", c, &level);
    }
    println!(
        "  (idle RSS {:.1} MiB before the 150 ms runs)",
        idle as f64 / 1024.0
    );
}
