//! Quota benchmark: how many Gong requests the seed workflows cost, how close to Gong's rate limit
//! the server paces a burst (without a 429), and the latency of a cached transcript call.
//!
//!     cargo bench --bench quota
//!
//! Runs the real server on loopback in front of the synthetic Gong, which enforces 3 requests in
//! any rolling second per tenant and counts every request. Prints a table; asserts nothing about
//! time (figures go in the README).

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use gong_mcp::config::{Cli, Command};
use gong_mcp::demo::{DemoGong, DemoGongConfig, DemoTenant, Endpoint};
use gong_mcp::fakes::mind_reasoner::{FakeMindReasoner, FakeMindReasonerConfig, FakeMrTenant};
use gong_mcp::startup::Application;
use serde_json::{Value, json};

const KEY: &str = "bench-key";
const SECRET: &str = "bench-secret";
/// A second company, cold, for the calls-to-minds workflows.
const KEY2: &str = "bench-key-2";
const SECRET2: &str = "bench-secret-2";
const MR_KEY: &str = "bench-mind-reasoner-key";

struct Bench {
    gong: DemoGong,
    _mind_reasoner: FakeMindReasoner,
    url: String,
    http: reqwest::Client,
    next_id: std::sync::atomic::AtomicU64,
}

impl Bench {
    async fn start() -> Arc<Self> {
        let gong = DemoGong::spawn(DemoGongConfig {
            tenants: vec![
                DemoTenant::new(KEY, SECRET, "Bench Co", 7),
                DemoTenant::new(KEY2, SECRET2, "Bench Two", 8),
            ],
            ..DemoGongConfig::default()
        })
        .await
        .expect("demo gong");
        let mind_reasoner = FakeMindReasoner::spawn(FakeMindReasonerConfig {
            tenants: vec![FakeMrTenant::new(MR_KEY, "Bench")],
            requests_per_second: 0,
            ..FakeMindReasonerConfig::default()
        })
        .await
        .expect("synthetic Mind Reasoner");
        let base = gong.base_url();
        let mr_base = mind_reasoner.base_url();
        let storage = mind_reasoner.storage_origin();
        let argv = [
            "gong-mcp",
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--gong-base-url",
            &base,
            "--tool-timeout",
            "60",
            "--mind-reasoner-base-url",
            &mr_base,
            "--allowed-upload-hosts",
            &storage,
        ];
        let Command::Serve(args) = Cli::try_parse_from(argv).unwrap().command else {
            unreachable!()
        };
        let app = Application::build(args).await.expect("app");
        let url = format!("http://{}/mcp", app.local_addr().unwrap());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        Arc::new(Self {
            gong,
            _mind_reasoner: mind_reasoner,
            url,
            http: reqwest::Client::builder()
                .tcp_nodelay(true)
                .build()
                .unwrap(),
            next_id: 1.into(),
        })
    }

    async fn call(&self, tool: &str, arguments: Value) -> Value {
        self.call_as((KEY, SECRET), tool, arguments).await
    }

    /// A tool call of the company with this key pair (and the Mind Reasoner key).
    async fn call_as(&self, (key, secret): (&str, &str), tool: &str, arguments: Value) -> Value {
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let body = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
                          "params": {"name": tool, "arguments": arguments}});
        let response: Value = self
            .http
            .post(&self.url)
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .header("x-gong-access-key", key)
            .header("x-gong-access-secret", secret)
            .header("x-mind-reasoner-api-key", MR_KEY)
            .json(&body)
            .send()
            .await
            .expect("server answers")
            .json()
            .await
            .expect("JSON-RPC response");
        let result = &response["result"];
        assert_eq!(result["isError"], false, "tool failed: {response}");
        result["structuredContent"].clone()
    }

    fn requests(&self) -> u64 {
        self.gong.stats().total_requests(KEY)
    }

    fn call_ids(&self) -> Vec<String> {
        let mut calls = self.gong.workspace(KEY).unwrap().calls.clone();
        calls.sort_by_key(|c| c.started);
        calls.into_iter().map(|c| c.id).collect()
    }
}

#[tokio::main]
async fn main() {
    let bench = Bench::start().await;
    let ids = bench.call_ids();
    println!(
        "gong-mcp quota benchmark (synthetic Gong: 3 requests per rolling second per tenant)\n"
    );
    println!("{:<58} {:>14}", "workflow", "Gong requests");

    // 1. List the last 150 calls (2 tool calls of 100 + 50) and get details of all 150.
    let before = bench.requests();
    let first = bench
        .call(
            "gong_list_calls",
            json!({"fromDate": "2020-01-01", "limit": 100}),
        )
        .await;
    let second = bench
        .call(
            "gong_list_calls",
            json!({"cursor": first["nextCursor"], "limit": 50}),
        )
        .await;
    let listed: Vec<String> = first["calls"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["calls"].as_array().unwrap())
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let details = futures::future::join_all(
        listed
            .chunks(100)
            .map(|chunk| bench.call("gong_get_call_details", json!({"callIds": chunk}))),
    )
    .await;
    let detailed: usize = details
        .iter()
        .map(|d| d["calls"].as_array().unwrap().len())
        .sum();
    println!(
        "{:<58} {:>14}",
        format!("list 150 calls + details of {detailed} calls"),
        bench.requests() - before
    );

    // 2. Transcripts of 20 of those calls: their parties are already cached by the details.
    let before = bench.requests();
    let twenty: Vec<&String> = listed.iter().take(20).collect();
    futures::future::join_all(
        twenty
            .iter()
            .map(|id| bench.call("gong_get_transcript", json!({"callId": id}))),
    )
    .await;
    println!(
        "{:<58} {:>14}",
        "transcripts of 20 calls (after their details)",
        bench.requests() - before
    );

    // 3. Transcripts of 20 calls nobody looked at yet.
    let before = bench.requests();
    let cold: Vec<&String> = ids.iter().skip(200).take(20).collect();
    assert!(
        !listed.contains(cold[0]),
        "cold calls must not have been listed"
    );
    futures::future::join_all(
        cold.iter()
            .map(|id| bench.call("gong_get_transcript", json!({"callId": id}))),
    )
    .await;
    println!(
        "{:<58} {:>14}",
        "transcripts of 20 calls (cold)",
        bench.requests() - before
    );

    // 4. The same 20 again: all cached.
    let before = bench.requests();
    futures::future::join_all(
        cold.iter()
            .map(|id| bench.call("gong_get_transcript", json!({"callId": id}))),
    )
    .await;
    println!(
        "{:<58} {:>14}",
        "the same 20 transcripts again",
        bench.requests() - before
    );

    // 5. Fan-out: 30 concurrent detail calls of one id each (as agents do "for each call").
    let before = bench.requests();
    let fan: Vec<&String> = ids.iter().skip(240).take(30).collect();
    futures::future::join_all(
        fan.iter()
            .map(|id| bench.call("gong_get_call_details", json!({"callId": id}))),
    )
    .await;
    println!(
        "{:<58} {:>14}",
        "30 concurrent detail calls of one id each (cold)",
        bench.requests() - before
    );

    // From calls to minds, on a second company whose cache is cold.
    let two = (KEY2, SECRET2);
    let cost = |before: u64| bench.gong.stats().total_requests(KEY2) - before;
    let mut ids2 = bench.gong.workspace(KEY2).unwrap().calls.clone();
    ids2.sort_by_key(|c| c.started);
    let ids2: Vec<String> = ids2.into_iter().map(|c| c.id).collect();
    let before = bench.gong.stats().total_requests(KEY2);
    let speakers = bench
        .call_as(
            two,
            "gong_list_speakers",
            json!({"callIds": &ids2[..100], "affiliation": "External"}),
        )
        .await;
    println!(
        "{:<58} {:>14}",
        "gong_list_speakers over 100 calls (cold)",
        cost(before)
    );
    let busiest = speakers["speakers"][0]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = bench.gong.stats().total_requests(KEY2);
    let mind = bench
        .call_as(
            two,
            "create_mind_from_calls",
            json!({"speaker": busiest, "callIds": &ids2[..100]}),
        )
        .await;
    println!(
        "{:<58} {:>14}",
        format!(
            "create_mind_from_calls, same 100 calls ({} used)",
            mind["callsUsed"].as_array().unwrap().len()
        ),
        cost(before)
    );
    let before = bench.gong.stats().total_requests(KEY2);
    let mind = bench
        .call_as(
            two,
            "create_mind_from_calls",
            json!({"speaker": busiest, "callIds": &ids2[100..200]}),
        )
        .await;
    println!(
        "{:<58} {:>14}",
        format!(
            "create_mind_from_calls, 100 cold calls ({} with the speaker)",
            mind["callsUsed"].as_array().unwrap().len()
                + mind["callsWithoutSpeaker"].as_array().unwrap().len()
        ),
        cost(before)
    );

    // 6. Pacing: 30 list calls over 30 different days at once (30 requests nothing can merge).
    let before = bench.requests();
    let limited_before = bench.gong.stats().rate_limited(KEY);
    let started = Instant::now();
    futures::future::join_all((1..=30).map(|day| {
        let date = (chrono::Utc::now() - chrono::Duration::days(day))
            .format("%Y-%m-%d")
            .to_string();
        bench.call("gong_list_calls", json!({"fromDate": date, "toDate": date}))
    }))
    .await;
    let elapsed = started.elapsed();
    let sent = bench.requests() - before;
    // n requests evenly paced span (n - 1) intervals.
    let rate = (sent.saturating_sub(1)) as f64 / elapsed.as_secs_f64();
    println!(
        "\npacing: {sent} unmergeable Gong requests in {:.2} s = {:.2} req/s = {:.2} of the 3 req/s limit; 429s: {}; peak in any second: {}",
        elapsed.as_secs_f64(),
        rate,
        rate / 3.0,
        bench.gong.stats().rate_limited(KEY) - limited_before,
        bench.gong.stats().max_requests_in_any_second(KEY),
    );
    println!(
        "Gong requests by endpoint: list {}, extensive {}, transcript {}",
        bench.gong.stats().requests(KEY, Endpoint::ListCalls),
        bench.gong.stats().requests(KEY, Endpoint::CallsExtensive),
        bench.gong.stats().requests(KEY, Endpoint::CallsTranscript),
    );

    // 7. Latency of a cached transcript call (round trip over loopback, keep-alive, sequential).
    // The longest call: the largest transcript to serve from the cache.
    let ws = bench.gong.workspace(KEY).unwrap();
    let id = ws
        .calls
        .iter()
        .max_by_key(|c| c.duration)
        .unwrap()
        .id
        .clone();
    for _ in 0..200 {
        bench
            .call("gong_get_transcript", json!({"callId": id}))
            .await;
    }
    let mut samples = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let t = Instant::now();
        bench
            .call("gong_get_transcript", json!({"callId": id}))
            .await;
        samples.push(t.elapsed());
    }
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    println!(
        "\ncached transcript call ({} sentences), round trip incl. client: p50 {:?}, p90 {:?}, p99 {:?} (n = {})",
        ws.transcript(&id)
            .unwrap()
            .iter()
            .map(|m| m.sentences.len())
            .sum::<usize>(),
        round(pct(0.50)),
        round(pct(0.90)),
        round(pct(0.99)),
        samples.len()
    );
}

fn round(d: Duration) -> Duration {
    Duration::from_micros(d.as_micros() as u64)
}
