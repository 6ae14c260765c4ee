//! Secret hygiene: no access secret (nor its `Authorization: Basic` form) in tool results, HTTP
//! error bodies and headers, `/metrics`, `Debug` output, or — checked by `scripts/test.sh` after
//! the whole suite ran with trace-level logs captured — any log line or panic message.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use gong_mcp::demo::{DEMO_ACCESS_KEY, DEMO_ACCESS_SECRET, Endpoint, Fault};
use gong_mcp::gong::{GongCredentials, TenantHasher};
use serde_json::json;

use crate::helpers::*;

/// Every (key, secret) pair the suites send anywhere: tests/api, tests/demo_gong.rs and the
/// library's unit tests. `every_credential_in_the_test_sources_is_scanned_for` finds the ones a
/// test adds and fails until they are listed here.
fn known_pairs() -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = [
        (A_KEY, A_SECRET),
        (B_KEY, B_SECRET),
        (DEMO_ACCESS_KEY, DEMO_ACCESS_SECRET),
        (A_KEY, "wrong-secret"),
        (A_KEY, "wrong-secret-xyz"),
        (A_KEY, "not-the-secret"),
        (ECHO_KEY, ECHO_SECRET),
        (HOSTILE_KEY, HOSTILE_SECRET),
        // tests/api/ops.rs: the default tenant of `--print-config`
        ("visible-key-id", "super-secret-value"),
        // tests/demo_gong.rs
        (DEMO_ACCESS_KEY, "wrong-secret"),
        (DEMO_ACCESS_KEY, "wrong-demo-secret-Ww1"),
        ("unknown-demo-key-Uu1", DEMO_ACCESS_SECRET),
        ("demo-tenant-key-a", "demo-tenant-secret-a-Sa1"),
        ("demo-tenant-key-b", "demo-tenant-secret-b-Sb2"),
        ("demo-tenant-key-b", "demo-tenant-secret-a-Sa1"),
        // the library's unit tests (src/gong/credentials.rs, src/http/credentials.rs)
        ("AKEY-123", "s3cr3t-value"),
        ("unit-key-1", "unit-secret-1-Uu1"),
        ("unit-key-1", "unit-secret-2-Uu2"),
        ("unit-key-2", "unit-secret-3-Uu3"),
        ("unit:key-3", "unit-secret-4-Uu4"),
        ("unit-key-4", "unit-secret-5-Uu5"),
        ("unit-default-key", "unit-default-secret-Dd1"),
    ]
    .iter()
    .map(|(k, s)| (k.to_string(), s.to_string()))
    .collect();
    // tests/api/faults.rs and tests/api/soak.rs
    pairs.extend((0..30).map(|i| {
        (
            format!("fault-row-{i:02}"),
            format!("fault-row-secret-{i:02}-Zz9"),
        )
    }));
    pairs.extend((0..50).map(|i| {
        (
            format!("soak-key-{i:02}"),
            format!("soak-secret-{i:02}-Qq7"),
        )
    }));
    pairs
}

/// Other secrets the suites use: bearer tokens, fleet HMAC keys, credentials sent alone or
/// malformed (refused before any Gong request).
fn other_secrets() -> Vec<String> {
    let mut out: Vec<String> = [
        "client-token-1",
        "client-token-2",
        "not-a-client-token-Tt6",
        "public-bind-token-Pp7",
        "fleet-key-value",
        "unit-fleet-key-1",
        "unit-fleet-key-2",
        "unit-secret-6-Uu6",
        "unit-key-5",
        "hostile-other-key",
        "hostile:key",
        "has:colon",
        "s\u{e9}cret",
        MR_KEY_A,
        MR_KEY_B,
        FIREFLIES_KEY_A,
        FIREFLIES_KEY_B,
        "ff-wrong-key-Ww9",
        "ff-unit-key-Kk3",
        "ff-print-config-key-Pp3",
        // tests/api/fleet/ (HMAC keys and a Redis password)
        "fleet-test-tenant-hmac-key-0123456789",
        "fleet-config-test-hmac",
        "tenant-cap-test",
        "redis-Pw-9f3k",
        // tests/fake_fireflies.rs
        "ff-fake-test-key-Tt4",
        "ff-fake-other-key-Oo5",
        "ff-not-a-key-Nn6",
        gong_mcp::fakes::fireflies::DEMO_FIREFLIES_API_KEY,
        "mr-wrong-key-Zz0",
        "server-token-Tt9",
        "mr-unit-bearer-Bb4",
        "mr-unit-explicit-Ee4",
        "unit-server-token-Ss4",
        "unit-tenant-hmac-1",
        "unit-tenant-hmac-2",
        "has space-secret",
        "mr-live-123456",
        FATHOM_KEY_A,
        FATHOM_KEY_B,
        "fathom-wrong-key-Zz9",
        "fathom-unit-Kk9",
        "fathom-unit-key-Ff3",
        "two words-Ff3",
        "fathom-print-config-Pp8",
        // tests/fake_fathom.rs
        "fake-fathom-key-a-Aa3",
        "fake-fathom-key-b-Bb3",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Oversized credentials: src/http/credentials.rs, tests/api/hostile.rs
    out.push("s".repeat(2048));
    out.push("k".repeat(16 * 1024));
    out
}

/// Used by tests/api/hostile.rs.
pub const HOSTILE_KEY: &str = "hostile-key";
pub const HOSTILE_SECRET: &str = "hostile-secret-Hh5";
const ECHO_KEY: &str = "echo-key";
const ECHO_SECRET: &str = "echo-secret-Ee3";

/// Every string that must never appear: the secrets, and the Basic tokens made from them.
pub fn forbidden_strings() -> Vec<String> {
    let mut out = other_secrets();
    for (key, secret) in known_pairs() {
        out.push(STANDARD.encode(format!("{key}:{secret}")));
        out.push(secret);
    }
    out.sort();
    out.dedup();
    out
}

/// Logs must not carry the access keys either (README: neither key nor secret is ever logged).
fn forbidden_in_logs() -> Vec<String> {
    let mut out = forbidden_strings();
    out.extend(known_pairs().into_iter().map(|(key, _)| key));
    out.sort();
    out.dedup();
    out
}

/// The forbidden strings found in `haystack`.
pub fn leaks(haystack: &str) -> Vec<String> {
    find_any(&forbidden_strings(), haystack)
}

/// One pass over `haystack` for all `needles` (the captured log is hundreds of MB).
fn find_any(needles: &[String], haystack: &str) -> Vec<String> {
    let matcher = aho_corasick::AhoCorasick::new(needles).expect("valid patterns");
    let mut found: Vec<String> = matcher
        .find_overlapping_iter(haystack)
        .map(|m| needles[m.pattern().as_usize()].clone())
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_leak_scanner_finds_secrets_and_their_basic_form() {
    assert!(leaks("nothing here").is_empty());
    assert_eq!(
        leaks(&format!("x {A_SECRET} y")),
        vec![A_SECRET.to_string()]
    );
    let basic = format!(
        "authorization: Basic {}",
        STANDARD.encode(format!("{B_KEY}:{B_SECRET}"))
    );
    assert_eq!(leaks(&basic).len(), 1, "{basic}");
    assert!(!leaks("soak-secret-49-Qq7").is_empty());
}

/// Run by `scripts/test.sh` after the whole suite, with `GONG_MCP_TEST_LOG` naming the file the
/// suite (and every server process it started) logged into at TRACE.
#[test]
#[ignore = "run by scripts/test.sh after the suite, on its captured trace log"]
fn the_captured_trace_log_holds_no_secret() {
    let path = test_log_path().expect("GONG_MCP_TEST_LOG names the captured log");
    let log = std::fs::read_to_string(&path).expect("the captured log exists");
    // The capture really happened, at trace level, from the test process and child processes.
    assert!(
        log.lines().count() > 10_000,
        "suspiciously short log: {} lines",
        log.lines().count()
    );
    assert!(
        log.contains(" TRACE "),
        "no TRACE lines: not captured at trace level"
    );
    assert!(
        log.contains("listening"),
        "no line from a gong-mcp server process"
    );
    // Every test binary logged into it: the library's unit tests, the synthetic Gong's own
    // tests, and these.
    for source in [
        "gong-mcp library unit tests",
        "tests/demo_gong.rs",
        "tests/api",
    ] {
        assert!(
            log.contains(&format!("gong-mcp test log: capturing {source} (pid ")),
            "the logs of {source} were not captured"
        );
    }
    assert!(
        log.contains("tool call failed"),
        "no failing tool call logged"
    );
    let found = find_any(&forbidden_in_logs(), &log);
    let first_lines: Vec<&str> = log
        .lines()
        .filter(|l| found.iter().any(|s| l.contains(s.as_str())))
        .take(5)
        .collect();
    assert!(
        found.is_empty(),
        "secrets in the log {}: {found:?}\n{}",
        path.display(),
        first_lines.join("\n")
    );
    // No Authorization value of any kind, known secret or not.
    let basic = log
        .lines()
        .find(|l| l.contains("Basic ") && !l.contains("Basic [redacted]"));
    assert!(basic.is_none(), "a Basic token in the log: {basic:?}");
}

#[tokio::test]
async fn results_error_bodies_headers_and_metrics_never_echo_a_secret() {
    let app = spawn_app().await;
    let id = app.gong.workspace(A_KEY).unwrap().calls[0].id.clone();
    let mut seen = String::new();

    let good = app.client(A_KEY, A_SECRET).await;
    for (tool, args) in [
        ("gong_list_calls", json!({"limit": 3})),
        ("gong_get_call_details", json!({"callId": id})),
        ("gong_get_transcript", json!({"callId": id})),
        ("gong_list_calls", json!({"fromDate": "2024-13-45"})),
    ] {
        let r = call(&good, tool, args).await;
        seen.push_str(&serde_json::to_string(&r).unwrap());
    }
    // Gong refuses the secret: a 401 the agent reads.
    let wrong = app.client(A_KEY, "wrong-secret").await;
    let r = call(&wrong, "gong_list_calls", json!({})).await;
    assert!(
        text(&r).starts_with("Authentication failed"),
        "{}",
        text(&r)
    );
    seen.push_str(&serde_json::to_string(&r).unwrap());
    // Refused before any tool runs: each body and header set is read.
    for headers in [
        vec![("x-gong-access-secret", A_SECRET)],
        vec![
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("x-gong-base-url", "https://evil.example.com"),
        ],
        vec![
            ("x-gong-access-key", "has:colon"),
            ("x-gong-access-secret", A_SECRET),
        ],
    ] {
        let response = app.post_raw(&headers, initialize_body()).await;
        assert_eq!(response.status(), 400);
        seen.push_str(&format!("{:?}", response.headers()));
        seen.push_str(&response.text().await.unwrap());
    }
    seen.push_str(&metrics_text(app.addr).await);
    assert!(
        seen.contains("Authentication failed"),
        "the bodies were read"
    );
    assert_eq!(leaks(&seen), Vec::<String>::new(), "{seen}");
}

#[tokio::test]
async fn credentials_echoed_by_gong_or_a_proxy_are_redacted() {
    let mut config = two_tenants();
    config.tenants.push(gong_mcp::demo::DemoTenant::new(
        ECHO_KEY,
        ECHO_SECRET,
        "Echo Co",
        3,
    ));
    let app = spawn_app_with(config, &[]).await;
    let basic = STANDARD.encode(format!("{ECHO_KEY}:{ECHO_SECRET}"));
    // A plain-text proxy page that prints the request's headers.
    app.gong.faults().push_for(
        Some(ECHO_KEY),
        Some(Endpoint::ListCalls),
        Fault::Status {
            status: 400,
            body: format!("Bad request. Authorization: Basic {basic} X-Api-Secret: {ECHO_SECRET}"),
            content_type: "text/plain",
        },
        1,
    );
    // Gong quoting the secret in its own JSON error, with a request id that is the token.
    app.gong.faults().push_for(
        Some(ECHO_KEY),
        Some(Endpoint::CallsExtensive),
        Fault::Status {
            status: 403,
            body:
                json!({"requestId": basic, "errors": [format!("secret {ECHO_SECRET} not valid")]})
                    .to_string(),
            content_type: "application/json",
        },
        1,
    );
    let client = app.client(ECHO_KEY, ECHO_SECRET).await;
    let listed = text(&call(&client, "gong_list_calls", json!({})).await);
    assert!(
        listed.starts_with("Gong rejected the request (HTTP 400): Bad request. Authorization: Basic [redacted] X-Api-Secret: [redacted]"),
        "{listed}"
    );
    let id = app.gong.workspace(ECHO_KEY).unwrap().calls[0].id.clone();
    let details = text(&call(&client, "gong_get_call_details", json!({"callId": id})).await);
    assert!(
        details.starts_with("Gong refused access (HTTP 403) (Gong requestId [redacted])"),
        "{details}"
    );
    assert_eq!(leaks(&format!("{listed}\n{details}")), Vec::<String>::new());
}

#[tokio::test]
async fn a_redirect_is_never_followed_so_credentials_go_nowhere_else() {
    // Somewhere a redirect could send the request (and its Authorization header).
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let elsewhere_addr: SocketAddr = elsewhere.local_addr().unwrap();
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    let accept = tokio::spawn(async move {
        while elsewhere.accept().await.is_ok() {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    let app = spawn_app().await;
    for status in [301, 302, 307, 308] {
        app.gong.faults().push_for(
            Some(A_KEY),
            None,
            Fault::Redirect {
                location: format!("http://{elsewhere_addr}/v2/calls"),
                status,
            },
            1,
        );
        let client = app.client(A_KEY, A_SECRET).await;
        let msg = text(&call(&client, "gong_list_calls", json!({})).await);
        assert!(
            msg.starts_with(&format!(
                "Gong answered with a redirect (HTTP {status} to 127.0.0.1)"
            )),
            "{msg}"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a redirect was followed"
    );
    accept.abort();
}

#[test]
fn debug_output_of_credentials_and_configuration_is_redacted() {
    use clap::Parser;
    let creds = GongCredentials::new(
        url::Url::parse("https://us-1.api.gong.io").unwrap(),
        A_KEY,
        A_SECRET,
        &TenantHasher::with_key(b"fleet-key-value"),
    )
    .unwrap();
    let mind_reasoner = gong_mcp::mind_reasoner::MindReasonerKey::new(
        MR_KEY_A,
        "https://app.mindreasoner.com/api/public/v1",
        &TenantHasher::with_key(b"fleet-key-value"),
    )
    .unwrap();
    let fathom = gong_mcp::fathom::FathomKey::new(
        FATHOM_KEY_A,
        gong_mcp::fathom::DEFAULT_BASE_URL,
        &TenantHasher::with_key(b"fleet-key-value"),
    )
    .unwrap();
    let request = gong_mcp::mcp::RequestCredentials {
        gong: Some(Arc::new(creds)),
        mind_reasoner: Some(Arc::new(mind_reasoner)),
        fathom: Some(Arc::new(fathom)),
        fireflies: None,
    };
    let cli = gong_mcp::config::Cli::try_parse_from([
        "gong-mcp",
        "serve",
        "--gong-access-key",
        A_KEY,
        "--gong-access-secret",
        A_SECRET,
        "--tenant-key-secret",
        "fleet-key-value",
        "--mind-reasoner-api-key",
        MR_KEY_A,
        "--fathom-api-key",
        FATHOM_KEY_A,
    ])
    .unwrap();
    let shown = format!("{request:?}\n{request:#?}\n{cli:?}\n{cli:#?}");
    assert!(shown.contains("[redacted]"), "{shown}");
    assert_eq!(leaks(&shown), Vec::<String>::new(), "{shown}");
    assert!(!shown.contains(A_KEY), "the access key is shown: {shown}");
    assert!(
        !shown.contains(MR_KEY_A),
        "the Mind Reasoner key is shown: {shown}"
    );
}

/// The credential literals in the suites' sources, found by the shapes that carry one: HTTP Basic
/// auth, `DemoTenant::new`, `GongCredentials::new`, MCP clients with a secret, credential
/// headers, `GONG_*` environment variables, bearer tokens and token files, tenant-key HMAC keys.
fn credentials_in_sources() -> Vec<(String, String)> {
    let shapes = [
        r#"basic_auth\(\s*"([^"]+)",\s*Some\("([^"]+)"\)"#,
        r#"(?:get_as|post_as)\(\s*&g,\s*"([^"]+)",\s*"([^"]+)""#,
        r#"(?:get_as|post_as)\(\s*&g,\s*[A-Z_]+,\s*"([^"]+)""#,
        r#"(?:get_as|post_as)\(\s*&g,\s*"([^"]+)",\s*[A-Z_]+"#,
        r#"DemoTenant::new\(\s*"([^"]+)",\s*"([^"]+)""#,
        r#"GongCredentials::new\([^,]+,\s*"([^"]*)",\s*"([^"]+)""#,
        r#"\.client\(\s*[A-Z_]+,\s*"([^"]+)"\)"#,
        r#"both_eras\(\s*&app,\s*"([^"]+)"\)"#,
        r#"\(\s*"x-gong-access-(?:key|secret)",\s*"([^"]+)"\s*\)"#,
        r#"(?i)\.header\(\s*"x-gong-access-(?:key|secret)",\s*"([^"]+)"\)"#,
        r#"\.env\(\s*"GONG_(?:ACCESS_KEY|ACCESS_SECRET|MCP_TENANT_KEY_SECRET)",\s*"([^"]+)"\)"#,
        r#""Bearer ([A-Za-z0-9_.~+/-]+)""#,
        r#"tokens_file\(&\["([^"]+)"(?:,\s*"([^"]+)")?\]"#,
        r#"with_key\(b"([^"]+)"\)"#,
        r#"(?:FirefliesKey|FakeFfTenant)::new\(\s*"([^"]+)""#,
        r#"(?i)\(\s*"x-fireflies-api-key",\s*"([^"]+)"\s*\)"#,
        r#"X-Gong-Access-(?:Key|Secret): ([^\\{\s]+)\\r"#,
    ]
    .map(|p| regex::Regex::new(p).unwrap());
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![root.join("src"), root.join("tests")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.strip_prefix(root).unwrap().display().to_string();
        for shape in &shapes {
            for m in shape.captures_iter(&text) {
                for value in m.iter().skip(1).flatten() {
                    found.push((name.clone(), value.as_str().to_owned()));
                }
            }
        }
    }
    found
}

#[test]
fn every_credential_in_the_test_sources_is_scanned_for() {
    let scanned = forbidden_in_logs();
    let found = credentials_in_sources();
    // The scanner finds what it is meant to (one of each shape, at least).
    for known in [
        "wrong-demo-secret-Ww1",
        "demo-tenant-secret-a-Sa1",
        "unit-secret-3-Uu3",
        "not-the-secret",
        "wrong-secret-xyz",
        "not-a-client-token-Tt6",
        "client-token-1",
        "fleet-key-value",
        "unit-fleet-key-1",
        "hostile:key",
    ] {
        assert!(
            found.iter().any(|(_, v)| v == known),
            "the source scan no longer finds {known}"
        );
    }
    // Not credentials: realms, empty or malformed ids refused before use.
    let not_secrets = ["realm", ""];
    let missing: Vec<String> = found
        .iter()
        .filter(|(_, v)| !not_secrets.contains(&v.as_str()) && !scanned.contains(v))
        .map(|(file, v)| format!("{file}: {v:?}"))
        .collect();
    assert!(
        missing.is_empty(),
        "credentials the log scan does not look for (add them to known_pairs or other_secrets):\n{}",
        missing.join("\n")
    );
}
