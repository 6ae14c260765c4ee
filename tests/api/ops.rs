//! Running it in production: metrics, request ids, bearer tokens, client rate limits, public-bind
//! safety, configuration printing, health checks and graceful shutdown of the real binary.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Parser;
use gong_mcp::config::{Cli, Command as Sub};
use gong_mcp::demo::{DemoGong, Fault};
use gong_mcp::startup::Application;
use serde_json::json;
use sha2::Digest;

use crate::helpers::*;

fn tokens_file(tokens: &[&str]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "gong-mcp-tokens-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    let body: String = tokens
        .iter()
        .map(|t| format!("{:x}\n", sha2::Sha256::digest(t.as_bytes())))
        .collect();
    std::fs::write(&path, body).unwrap();
    path
}

#[tokio::test]
async fn metrics_show_the_documented_series_and_never_a_secret() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let id = app.gong.workspace(A_KEY).unwrap().calls[0].id.clone();
    structured(&call(&client, "gong_list_calls", json!({})).await);
    structured(&call(&client, "gong_get_transcript", json!({"callId": id})).await);
    structured(&call(&client, "gong_get_transcript", json!({"callId": id})).await);
    let bad = app.client(A_KEY, "wrong-secret-xyz").await;
    assert!(is_error(&call(&bad, "gong_list_calls", json!({})).await));
    let body = reqwest::get(format!("http://{}/metrics", app.addr))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for series in [
        "mcp_tool_calls_total{",
        "mcp_tool_call_duration_seconds_bucket{",
        "mcp_tool_calls_in_flight",
        "gong_requests_total{",
        "gong_request_duration_seconds_bucket{",
        "gong_cache_lookups_total{",
        "gong_limiter_wait_seconds_bucket",
    ] {
        assert!(body.contains(series), "missing {series} in\n{body}");
    }
    assert!(
        body.contains(r#"tool="gong_get_transcript",outcome="ok""#),
        "{body}"
    );
    assert!(body.contains(r#"outcome="unauthorized""#), "{body}");
    for secret in [A_SECRET, A_KEY, "wrong-secret-xyz"] {
        assert!(!body.contains(secret), "metrics leak {secret}");
    }
}

#[tokio::test]
async fn request_ids_are_accepted_and_returned_or_minted() {
    let app = spawn_app().await;
    let response = app
        .post_raw(&[("x-request-id", "support-ticket-42")], initialize_body())
        .await;
    assert_eq!(response.headers()["x-request-id"], "support-ticket-42");
    let response = app.post_raw(&[], initialize_body()).await;
    let minted = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(minted.len(), 36, "a UUID: {minted}");
}

#[tokio::test]
async fn bearer_tokens_missing_invalid_and_valid() {
    let path = tokens_file(&["client-token-1", "client-token-2"]);
    let app = spawn_app_with(
        two_tenants(),
        &["--auth-tokens-file", path.to_str().unwrap()],
    )
    .await;
    let response = app.post_raw(&[], initialize_body()).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        r#"Bearer realm="gong-mcp""#
    );
    let response = app
        .post_raw(
            &[("authorization", "Bearer not-a-client-token-Tt6")],
            initialize_body(),
        )
        .await;
    assert_eq!(response.status(), 401);
    assert!(
        response.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    assert_eq!(app.gong.stats().total_requests(A_KEY), 0);
    let metrics = reqwest::get(format!("http://{}/metrics", app.addr))
        .await
        .unwrap();
    assert_eq!(
        metrics.status(),
        401,
        "metrics on the main port are protected too"
    );
    assert_eq!(
        reqwest::get(format!("http://{}/healthz", app.addr))
            .await
            .unwrap()
            .status(),
        200
    );
    let client = app
        .client_with(&[
            ("authorization", "Bearer client-token-2"),
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
        ])
        .await;
    structured(&call(&client, "gong_list_calls", json!({"limit": 1})).await);
    std::fs::remove_file(path).ok();
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after() {
    let app = spawn_app_with(two_tenants(), &["--max-rps-per-client", "2"]).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        let r = app.post_raw(&[], initialize_body()).await;
        if r.status() == 429 {
            assert!(r.headers().contains_key("retry-after"));
        }
        statuses.push(r.status().as_u16());
    }
    assert!(
        statuses.contains(&200) && statuses.contains(&429),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn metrics_can_move_to_a_private_port() {
    let gong = DemoGong::spawn(two_tenants()).await.unwrap();
    let base = gong.base_url();
    let argv = [
        "gong-mcp",
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--metrics-listen",
        "127.0.0.1:0",
        "--gong-base-url",
        &base,
    ];
    let Sub::Serve(args) = Cli::try_parse_from(argv).unwrap().command else {
        unreachable!()
    };
    let app = Application::build(args).await.unwrap();
    let (main, metrics) = (app.local_addr().unwrap(), app.metrics_addr().unwrap());
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    assert_eq!(
        reqwest::get(format!("http://{main}/metrics"))
            .await
            .unwrap()
            .status(),
        404
    );
    let r = reqwest::get(format!("http://{metrics}/metrics"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_public_bind_without_access_control_is_refused_unless_deliberate() {
    let parse = |extra: &[&str]| {
        let mut argv = vec!["gong-mcp", "serve", "--listen", "0.0.0.0:0"];
        argv.extend_from_slice(extra);
        let Sub::Serve(args) = Cli::try_parse_from(argv).unwrap().command else {
            unreachable!()
        };
        args
    };
    let err = Application::build(parse(&[])).await.err().expect("refused");
    assert!(
        err.to_string().contains("GONG_MCP_AUTH_TOKENS_FILE"),
        "{err}"
    );
    assert!(
        Application::build(parse(&["--allow-unauthenticated"]))
            .await
            .is_ok()
    );
    let path = tokens_file(&["public-bind-token-Pp7"]);
    assert!(
        Application::build(parse(&["--auth-tokens-file", path.to_str().unwrap()]))
            .await
            .is_ok()
    );
    std::fs::remove_file(path).ok();
}

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gong-mcp"));
    cmd.env_remove("GONG_ACCESS_KEY")
        .env_remove("GONG_ACCESS_SECRET")
        .env_remove("GONG_MCP_LISTEN");
    cmd
}

#[test]
fn print_config_redacts_secrets() {
    let out = bin()
        .args(["serve", "--print-config"])
        .env("GONG_ACCESS_KEY", "visible-key-id")
        .env("GONG_ACCESS_SECRET", "super-secret-value")
        .env("GONG_MCP_TENANT_KEY_SECRET", "fleet-key-value")
        .env("FATHOM_API_KEY", "fathom-print-config-Pp8")
        .env("FIREFLIES_API_KEY", "ff-print-config-key-Pp3")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let config: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(config["gong_access_secret"], "[redacted]");
    assert_eq!(config["fathom_api_key"], "[redacted]");
    assert_eq!(config["fireflies"]["api_key"], "[redacted]");
    assert_eq!(config["listen"], "127.0.0.1:8080");
    for secret in [
        "super-secret-value",
        "fleet-key-value",
        "visible-key-id",
        "fathom-print-config-Pp8",
        "ff-print-config-key-Pp3",
    ] {
        assert!(!text.contains(secret), "{text}");
    }
}

/// Starts `gong-mcp serve` and returns it with the address it logged.
fn start_binary(args: &[&str]) -> (Child, String) {
    let (child, addr, _) = start_binary_logged(args);
    (child, addr)
}

/// `start_binary`, also keeping every line the server logs.
fn start_binary_logged(args: &[&str]) -> (Child, String, Arc<Mutex<Vec<String>>>) {
    let mut child = bin()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", child_rust_log("info"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let logged = Arc::new(Mutex::new(Vec::new()));
    let addr = loop {
        let line = lines.next().expect("server logs its address").unwrap();
        append_to_test_log(&line);
        logged.lock().unwrap().push(line.clone());
        if let Some(rest) = line.split("address=").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining stderr so the child never blocks on a full pipe.
    let kept = Arc::clone(&logged);
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            append_to_test_log(&line);
            kept.lock().unwrap().push(line);
        }
    });
    (child, addr, logged)
}

/// Starts a `gong_list_calls` of tenant A on the server at `addr`, and returns once the
/// synthetic Gong holds its request (a scripted `Delay` fault fired): the call is in flight.
async fn call_in_flight(
    gong: &DemoGong,
    addr: &str,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                      "params": {"name": "gong_list_calls", "arguments": {"limit": 2}}});
    let request = tokio::spawn(
        reqwest::Client::new()
            .post(format!("http://{addr}/mcp"))
            .header("accept", "application/json, text/event-stream")
            .header("mcp-protocol-version", "2025-11-25")
            .header("x-gong-access-key", A_KEY)
            .header("x-gong-access-secret", A_SECRET)
            .json(&body)
            .send(),
    );
    for _ in 0..1000 {
        if gong.faults().fired() == 1 {
            return request;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the call never reached the synthetic Gong");
}

fn sigterm(child: &Child) {
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
}

/// After SIGTERM: polls `/readyz` until the server stops answering 200; returns what it got.
async fn readyz_after_shutdown_began(addr: &str) -> String {
    for _ in 0..500 {
        match reqwest::get(format!("http://{addr}/readyz")).await {
            Ok(r) if r.status() == 200 => {}
            Ok(r) => return format!("HTTP {}", r.status()),
            Err(e) if e.is_connect() => return "connection refused".into(),
            Err(e) => return format!("error: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("/readyz still answered 200 five seconds after SIGTERM");
}

#[tokio::test]
async fn healthcheck_exit_codes() {
    let gong = DemoGong::spawn(two_tenants()).await.unwrap();
    let (mut child, addr) = start_binary(&["--gong-base-url", &gong.base_url()]);
    let ok = bin()
        .args(["healthcheck", "--url", &format!("http://{addr}/healthz")])
        .status()
        .unwrap();
    assert!(ok.success());
    let down = bin()
        .args(["healthcheck", "--url", "http://127.0.0.1:1/healthz"])
        .status()
        .unwrap();
    assert_eq!(down.code(), Some(1));
    let not_found = bin()
        .args(["healthcheck", "--url", &format!("http://{addr}/nope")])
        .status()
        .unwrap();
    assert_eq!(not_found.code(), Some(1));
    child.kill().ok();
    child.wait().ok();
}

#[tokio::test]
async fn sigterm_stops_readiness_lets_a_call_in_flight_finish_then_exits_0() {
    let gong = DemoGong::spawn(two_tenants()).await.unwrap();
    gong.faults().push(Fault::Delay(Duration::from_secs(3)), 1);
    let (mut child, addr) = start_binary(&[
        "--gong-base-url",
        &gong.base_url(),
        "--allowed-gong-hosts",
        "http://127.0.0.1:*",
    ]);
    assert_eq!(
        reqwest::get(format!("http://{addr}/readyz"))
            .await
            .unwrap()
            .status(),
        200
    );
    let request = call_in_flight(&gong, &addr).await;
    sigterm(&child);
    // Shutdown began: no longer ready (the listener is closed, so a probe is refused), while
    // the call is still in flight.
    let probe = readyz_after_shutdown_began(&addr).await;
    assert!(!request.is_finished(), "the call ended before the probe");
    assert_eq!(probe, "connection refused");
    let response = request
        .await
        .unwrap()
        .expect("the in-flight call gets its answer");
    let v: serde_json::Value = response.json().await.unwrap();
    assert_eq!(v["result"]["isError"], false, "{v}");
    assert_eq!(
        v["result"]["structuredContent"]["calls"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test]
async fn a_call_still_running_when_the_shutdown_grace_ends_is_dropped_and_the_server_exits_0() {
    let gong = DemoGong::spawn(two_tenants()).await.unwrap();
    // Gong answers after a minute; the tool's deadline is later still.
    gong.faults().push(Fault::Delay(Duration::from_secs(60)), 1);
    let (mut child, addr, logged) = start_binary_logged(&[
        "--gong-base-url",
        &gong.base_url(),
        "--allowed-gong-hosts",
        "http://127.0.0.1:*",
        "--shutdown-grace",
        "1",
        "--tool-timeout",
        "90",
    ]);
    let request = call_in_flight(&gong, &addr).await;
    sigterm(&child);
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status:?}");
    // The call was cut off, not answered: the server said so, and the client got no result.
    let cut = logged
        .lock()
        .unwrap()
        .iter()
        .any(|l| l.contains("shutdown grace expired; dropping calls still in flight"));
    assert!(cut, "no 'shutdown grace expired' in the server's log");
    let answer = match request.await.unwrap() {
        Ok(response) => response.text().await.map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    assert!(
        answer.as_ref().is_err() || !answer.as_ref().unwrap().contains("\"result\""),
        "the dropped call was answered: {answer:?}"
    );
}
