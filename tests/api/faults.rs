//! The fault matrix: every way Gong (or a proxy, or the network) can fail, each row with the
//! exact tool error an agent sees, how many Gong requests it cost, and proof that nothing keeps
//! running afterwards and the server keeps serving.
//!
//! The server runs as its own process (the real binary) so its `/metrics` in-flight gauge counts
//! only this test's calls; each row has its own tenant on the synthetic Gong, so all rows run
//! concurrently and their faults (scripted per tenant and endpoint) never cross.

use std::ops::RangeInclusive;
use std::time::Duration;

use chrono::Utc;
use gong_mcp::demo::{DemoGong, DemoGongConfig, DemoTenant, Endpoint, Fault};
use serde_json::{Value, json};

use crate::helpers::*;

/// Tool deadline of the server under test: longer than any row's retries, shorter than `Delay`.
const DEADLINE_SECS: u64 = 6;

enum Expect {
    /// The whole message, exactly.
    Exact(String),
    /// The message starts with this (the rest varies: a random request id, a clock time).
    Prefix(&'static str),
    /// The fault is absorbed: a normal answer.
    Success,
}

struct Row {
    name: &'static str,
    tool: &'static str,
    /// Where the fault is scripted; also the endpoint whose requests are counted.
    endpoint: Endpoint,
    fault: Fault,
    times: usize,
    expect: Expect,
    /// Requests the row's tool call sends to `endpoint` (first try plus retries).
    gong_requests: RangeInclusive<u64>,
}

fn json_status(status: u16, request_id: &str) -> Fault {
    Fault::Status {
        status,
        body: json!({"requestId": request_id, "errors": ["Internal error"]}).to_string(),
        content_type: "application/json; charset=utf-8",
    }
}

fn upstream(status: u16, request_id: &str) -> Expect {
    Expect::Exact(format!(
        "Gong is failing (HTTP {status}) (Gong requestId {request_id}); this is usually transient: retry in a minute."
    ))
}

/// Persistent faults are scripted more times than the server may ever retry.
const ALWAYS: usize = 100;
/// 1 try + at most 4 retries, fewer if the deadline comes first.
const RETRIED: RangeInclusive<u64> = 2..=5;

fn matrix() -> Vec<Row> {
    use Endpoint::{CallsExtensive, CallsTranscript, ListCalls};
    let list = "gong_list_calls";
    vec![
        Row {
            name: "500",
            tool: list,
            endpoint: ListCalls,
            fault: json_status(500, "req-500"),
            times: ALWAYS,
            expect: upstream(500, "req-500"),
            gong_requests: RETRIED,
        },
        Row {
            name: "502",
            tool: list,
            endpoint: ListCalls,
            fault: json_status(502, "req-502"),
            times: ALWAYS,
            expect: upstream(502, "req-502"),
            gong_requests: RETRIED,
        },
        Row {
            name: "503",
            tool: list,
            endpoint: ListCalls,
            fault: json_status(503, "req-503"),
            times: ALWAYS,
            expect: upstream(503, "req-503"),
            gong_requests: RETRIED,
        },
        Row {
            name: "504",
            tool: list,
            endpoint: ListCalls,
            fault: json_status(504, "req-504"),
            times: ALWAYS,
            expect: upstream(504, "req-504"),
            gong_requests: RETRIED,
        },
        Row {
            name: "a single 500 is retried away",
            tool: list,
            endpoint: ListCalls,
            fault: json_status(500, "req-once"),
            times: 1,
            expect: Expect::Success,
            gong_requests: 2..=2,
        },
        Row {
            name: "slow past the deadline",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::Delay(Duration::from_secs(60)),
            times: 1,
            expect: Expect::Exact(format!(
                "This tool call did not finish within its deadline of {DEADLINE_SECS} s; retry, or ask for less (a narrower date range, fewer call ids)."
            )),
            gong_requests: 1..=1,
        },
        Row {
            name: "connection reset",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::ResetConnection,
            times: ALWAYS,
            expect: Expect::Exact(
                "Gong closed the connection before answering (connection closed before message completed); this is usually transient: retry.".into(),
            ),
            gong_requests: RETRIED,
        },
        Row {
            name: "body cut mid-JSON",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::TruncatedBody,
            times: ALWAYS,
            expect: Expect::Prefix(
                "Gong sent a response that could not be read (the connection broke mid-response",
            ),
            gong_requests: RETRIED,
        },
        Row {
            name: "HTML error page (502 from a proxy)",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::HtmlError { status: 502 },
            times: ALWAYS,
            expect: Expect::Exact(
                "Gong is failing (HTTP 502); this is usually transient: retry in a minute.".into(),
            ),
            gong_requests: RETRIED,
        },
        Row {
            name: "HTML error page (400 from a proxy)",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::HtmlError { status: 400 },
            times: 1,
            expect: Expect::Prefix(
                "Gong rejected the request (HTTP 400): a non-JSON response (text/html, ",
            ),
            gong_requests: 1..=1,
        },
        Row {
            name: "200 with invalid JSON",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::InvalidJson,
            times: 1,
            expect: Expect::Prefix(
                "Gong sent a response that could not be read (invalid JSON: EOF while parsing",
            ),
            gong_requests: 1..=1,
        },
        Row {
            name: "redirect",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::Redirect {
                location: "https://us-4242.api.gong.io/v2/calls".into(),
                status: 302,
            },
            times: 1,
            expect: Expect::Exact(
                "Gong answered with a redirect (HTTP 302 to us-4242.api.gong.io): the base URL is wrong for this account. Set X-Gong-Base-Url (or GONG_BASE_URL) to your company's API host, e.g. https://us-12345.api.gong.io (Gong: Admin center > Settings > Ecosystem > API).".into(),
            ),
            gong_requests: 1..=1,
        },
        Row {
            name: "401 with a non-JSON body",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::Status {
                status: 401,
                body: "Unauthorized".into(),
                content_type: "text/plain",
            },
            times: 1,
            expect: Expect::Prefix(
                "Authentication failed: check the access key and secret (a new key pair is needed if the secret was lost). Gong answered HTTP 401 (Gong requestId ",
            ),
            gong_requests: 1..=1,
        },
        Row {
            name: "429 storm with Retry-After: 1 outlasting the retries",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::TooManyRequests {
                retry_after_secs: 1,
            },
            times: ALWAYS,
            expect: Expect::Prefix(
                "Rate limit exceeded: Gong's rate limit is exhausted; retry after 1 s (about ",
            ),
            gong_requests: RETRIED,
        },
        Row {
            name: "429 storm with Retry-After: 1 that ends",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::TooManyRequests {
                retry_after_secs: 1,
            },
            times: 3,
            expect: Expect::Success,
            gong_requests: 4..=4,
        },
        Row {
            name: "429 with Retry-After: 86400",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::TooManyRequests {
                retry_after_secs: 86_400,
            },
            times: 1,
            expect: Expect::Prefix(
                "Rate limit exceeded: Gong's rate limit is exhausted; retry after 86400 s (about ",
            ),
            gong_requests: 1..=1,
        },
        Row {
            name: "unknown extra fields and nulls everywhere (call list)",
            tool: list,
            endpoint: ListCalls,
            fault: Fault::NullsEverywhere,
            times: ALWAYS,
            expect: Expect::Success,
            gong_requests: 1..=1,
        },
        Row {
            name: "unknown extra fields and nulls everywhere (call details)",
            tool: "gong_get_call_details",
            endpoint: CallsExtensive,
            fault: Fault::NullsEverywhere,
            times: ALWAYS,
            expect: Expect::Success,
            gong_requests: 1..=1,
        },
        Row {
            name: "unknown extra fields and nulls everywhere (transcript)",
            tool: "gong_get_transcript",
            endpoint: CallsTranscript,
            fault: Fault::NullsEverywhere,
            times: ALWAYS,
            expect: Expect::Success,
            gong_requests: 1..=1,
        },
        Row {
            name: "503 on the transcript while the parties answer",
            tool: "gong_get_transcript",
            endpoint: CallsTranscript,
            fault: json_status(503, "req-503t"),
            times: ALWAYS,
            expect: upstream(503, "req-503t"),
            gong_requests: RETRIED,
        },
        Row {
            name: "invalid JSON from the call details endpoint",
            tool: "gong_get_call_details",
            endpoint: CallsExtensive,
            fault: Fault::InvalidJson,
            times: 1,
            expect: Expect::Prefix(
                "Gong sent a response that could not be read (invalid JSON: EOF while parsing",
            ),
            gong_requests: 1..=1,
        },
    ]
}

fn key(i: usize) -> String {
    format!("fault-row-{i:02}")
}

fn secret(i: usize) -> String {
    format!("fault-row-secret-{i:02}-Zz9")
}

fn args_for(tool: &str, call_id: &str) -> Value {
    let from = (Utc::now() - chrono::Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    match tool {
        "gong_list_calls" => json!({"fromDate": from, "limit": 5}),
        _ => json!({"callId": call_id}),
    }
}

/// A call that must succeed afterwards, on an endpoint the row's fault does not touch.
fn healthy_tool_after(row: &Row) -> &'static str {
    if row.endpoint == Endpoint::ListCalls {
        "gong_get_call_details"
    } else {
        "gong_list_calls"
    }
}

struct Outcome {
    message: Option<String>,
    requests_when_returned: u64,
    total_when_returned: u64,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_gong_failure_is_a_precise_tool_error_and_leaves_nothing_running() {
    let rows = matrix();
    let mut tenants: Vec<DemoTenant> = (0..rows.len())
        .map(|i| DemoTenant::new(key(i), secret(i), format!("Fault Co {i}"), 100 + i as u64))
        .map(|t| t.with_calls(30))
        .collect();
    tenants.push(DemoTenant::new(A_KEY, A_SECRET, "Northwind Analytics", 1).with_calls(30));
    init_test_log();
    let gong = DemoGong::spawn(DemoGongConfig {
        tenants,
        ..DemoGongConfig::default()
    })
    .await
    .unwrap();
    let server = spawn_server_process(
        &gong.base_url(),
        &["--tool-timeout", &DEADLINE_SECS.to_string()],
        child_rust_log("info,rmcp=warn"),
    );
    let url = server.mcp_url();
    let call_id = gong.workspace(A_KEY).unwrap().calls[0].id.clone();
    for (i, row) in rows.iter().enumerate() {
        gong.faults().push_for(
            Some(&key(i)),
            Some(row.endpoint),
            row.fault.clone(),
            row.times,
        );
    }

    // 1. Every row at once, each on its own tenant.
    let outcomes = futures::future::join_all(rows.iter().enumerate().map(|(i, row)| {
        let (url, gong, call_id) = (&url, &gong, &call_id);
        async move {
            let (k, s) = (key(i), secret(i));
            let client = client_for(
                url,
                &[("x-gong-access-key", &k), ("x-gong-access-secret", &s)],
            )
            .await;
            let result = call(&client, row.tool, args_for(row.tool, call_id)).await;
            let outcome = Outcome {
                message: is_error(&result).then(|| text(&result)),
                requests_when_returned: gong.stats().requests(&k, row.endpoint),
                total_when_returned: gong.stats().total_requests(&k),
            };
            if !is_error(&result) {
                check_success(row, &result, gong, &k);
            }
            outcome
        }
    }))
    .await;

    let mut failures = Vec::new();
    for (row, outcome) in rows.iter().zip(&outcomes) {
        let got = outcome.message.as_deref();
        let ok = match (&row.expect, got) {
            (Expect::Exact(want), Some(got)) => got == want,
            (Expect::Prefix(want), Some(got)) => got.starts_with(want),
            (Expect::Success, None) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{}: got {:?}",
                row.name,
                got.unwrap_or("a normal answer")
            ));
        }
        if !row.gong_requests.contains(&outcome.requests_when_returned) {
            failures.push(format!(
                "{}: {} Gong requests, expected {:?}",
                row.name, outcome.requests_when_returned, row.gong_requests
            ));
        }
        if let Some(msg) = got {
            for leak in ["<html", "<body", "northwind", "fault-row-secret"] {
                if msg.to_lowercase().contains(leak) {
                    failures.push(format!("{}: the message echoes {leak:?}: {msg}", row.name));
                }
            }
        }
    }

    // 2. Nothing keeps running: no call in flight, and no Gong request after a call returned
    //    (longer than the largest retry backoff).
    assert_eq!(
        wait_in_flight_zero(server.addr).await,
        0.0,
        "mcp_tool_calls_in_flight is back to 0"
    );
    tokio::time::sleep(Duration::from_millis(4500)).await;
    for (i, (row, outcome)) in rows.iter().zip(&outcomes).enumerate() {
        let now = gong.stats().total_requests(&key(i));
        if now != outcome.total_when_returned {
            failures.push(format!(
                "{}: {} Gong requests arrived after the tool call returned",
                row.name,
                now - outcome.total_when_returned
            ));
        }
    }

    // 3. The server keeps serving: every row's tenant (on an endpoint its fault does not touch;
    //    the 86400 s tenant honours Gong's wait instead), and a tenant that saw no fault.
    let after = futures::future::join_all(rows.iter().enumerate().map(|(i, row)| {
        let (url, gong, call_id) = (&url, &gong, &call_id);
        async move {
            let (k, s) = (key(i), secret(i));
            let client = client_for(
                url,
                &[("x-gong-access-key", &k), ("x-gong-access-secret", &s)],
            )
            .await;
            let tool = healthy_tool_after(row);
            let before = gong.stats().total_requests(&k);
            let result = call(&client, tool, args_for(tool, call_id)).await;
            let sent = gong.stats().total_requests(&k) - before;
            (row, result, sent)
        }
    }))
    .await;
    for (row, result, sent) in after {
        if matches!(
            row.fault,
            Fault::TooManyRequests {
                retry_after_secs: 86_400
            }
        ) {
            let msg = text(&result);
            if !(is_error(&result)
                && msg.starts_with(
                    "Rate limit exceeded: Gong's rate limit is exhausted; retry after 86",
                )
                && sent == 0)
            {
                failures.push(format!(
                    "{}: the next call must wait out Retry-After without asking Gong; got {msg:?} after {sent} requests",
                    row.name
                ));
            }
        } else if is_error(&result) {
            failures.push(format!(
                "{}: the server no longer serves this tenant: {}",
                row.name,
                text(&result)
            ));
        }
    }
    let healthy = client_for(
        &url,
        &[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
        ],
    )
    .await;
    structured(
        &call(
            &healthy,
            "gong_list_calls",
            args_for("gong_list_calls", &call_id),
        )
        .await,
    );
    assert_eq!(wait_in_flight_zero(server.addr).await, 0.0);

    assert!(
        failures.is_empty(),
        "fault matrix:\n{}",
        failures.join("\n")
    );
}

/// Absorbed faults must still give the tenant's real data.
fn check_success(row: &Row, result: &rmcp::model::CallToolResult, gong: &DemoGong, key: &str) {
    let out = structured(result);
    let ws = gong.workspace(key).unwrap();
    match row.tool {
        "gong_list_calls" => {
            let calls = out["calls"].as_array().expect("calls");
            assert_eq!(calls.len(), 5, "{}: {out}", row.name);
            for c in calls {
                let id = c["id"].as_str().unwrap();
                assert!(ws.call(id).is_some(), "{}: unknown id {id}", row.name);
            }
        }
        "gong_get_call_details" => {
            assert_eq!(
                out["calls"].as_array().map(Vec::len),
                Some(1),
                "{}",
                row.name
            );
        }
        _ => {
            assert!(
                !out["speakers"].as_array().expect("speakers").is_empty(),
                "{}",
                row.name
            );
        }
    }
}
