//! Hostile input: what a broken or malicious client can send, each answered with a clear error
//! (status and message asserted), and the server still serving afterwards without having
//! panicked. Runs against the real binary so a panic in any handler shows in its stderr.

use std::time::Duration;

use chrono::Utc;
use gong_mcp::demo::{DemoGong, Endpoint};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;
use crate::secrets::HOSTILE_SECRET;

use crate::secrets::HOSTILE_KEY as KEY;

struct Reply {
    status: u16,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

async fn post(
    url: &str,
    content_type: Option<&str>,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> Reply {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", "2025-11-25")
        .header("x-gong-access-key", KEY)
        .header("x-gong-access-secret", HOSTILE_SECRET);
    if let Some(ct) = content_type {
        req = req.header("content-type", ct);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.body(body).send().await.expect("the server answers");
    Reply {
        status: r.status().as_u16(),
        body: r.text().await.unwrap_or_default(),
    }
}

async fn post_json(url: &str, body: impl Into<reqwest::Body>) -> Reply {
    post(url, Some("application/json"), &[], body).await
}

/// Writes `request` as raw bytes (what reqwest refuses to send) and reads the answer until the
/// server closes the connection, for at most 5 s.
async fn raw(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    // The server may answer (and close) before reading everything: a failed write is fine.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_line(answer: &str) -> &str {
    answer
        .lines()
        .next()
        .unwrap_or("(connection closed without an answer)")
}

fn tool_call(name: &str, arguments: Value) -> String {
    json!({"jsonrpc": "2.0", "id": 7, "method": "tools/call",
           "params": {"name": name, "arguments": arguments}})
    .to_string()
}

/// The JSON-RPC error (code, message) of a 400 for a body that is not one JSON-RPC message.
fn rpc_error(reply: &Reply) -> (i64, String) {
    let v = reply.json();
    (
        v["error"]["code"].as_i64().unwrap_or(0),
        v["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// A tool result's `isError` text.
fn tool_error(reply: &Reply) -> String {
    let v = reply.json();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(v["result"]["isError"], true, "{}", reply.body);
    v["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn hostile_requests_get_clear_errors_and_the_server_keeps_serving() {
    let mut config = two_tenants();
    config
        .tenants
        .push(gong_mcp::demo::DemoTenant::new(KEY, HOSTILE_SECRET, "Hostile Co", 9).with_calls(30));
    let gong = DemoGong::spawn(config).await.unwrap();
    let mut server = spawn_server_process(&gong.base_url(), &[], child_rust_log("info,rmcp=warn"));
    let (url, addr) = (server.mcp_url(), server.addr);
    let call_id = gong.workspace(KEY).unwrap().calls[0].id.clone();
    let mut failures: Vec<String> = Vec::new();
    let mut check = |name: &str, ok: bool, got: &str| {
        if !ok {
            failures.push(format!("{name}: got {}", &got[..got.len().min(400)]));
        }
    };

    // ---- bodies that are not one JSON-RPC message: 400 with a JSON-RPC error -------------
    let parse_error = "Parse error: the body is not valid JSON (";
    let invalid_request =
        "Invalid Request: the body is JSON but not a single JSON-RPC 2.0 message (";
    let nested_100k = "[".repeat(100_000);
    let nested_in_args = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":"gong_list_calls","arguments":{{"fromDate":{}}}}}}}"#,
        "[".repeat(50_000)
    );
    let nested_objects = format!("{}1{}", r#"{"a":"#.repeat(20_000), "}".repeat(20_000));
    let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
    for (name, body, code, prefix) in [
        (
            "malformed JSON",
            "{not json".to_owned(),
            -32700,
            parse_error,
        ),
        ("empty body", String::new(), -32700, parse_error),
        (
            "truncated JSON",
            r#"{"jsonrpc":"2.0","id":1,"#.to_owned(),
            -32700,
            parse_error,
        ),
        ("100k nested arrays", nested_100k, -32700, parse_error),
        (
            "50k nested arrays inside arguments",
            nested_in_args,
            -32700,
            parse_error,
        ),
        ("20k nested objects", nested_objects, -32700, parse_error),
        (
            "JSON-RPC batch",
            format!("[{ping},{ping}]"),
            -32600,
            invalid_request,
        ),
        ("empty batch", "[]".to_owned(), -32600, invalid_request),
        (
            "JSON-RPC 1.0",
            r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#.to_owned(),
            -32600,
            invalid_request,
        ),
        (
            "object id",
            r#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#.to_owned(),
            -32600,
            invalid_request,
        ),
        ("a bare number", "42".to_owned(), -32600, invalid_request),
        ("null", "null".to_owned(), -32600, invalid_request),
    ] {
        let reply = post_json(&url, body).await;
        let (got_code, message) = rpc_error(&reply);
        check(
            name,
            reply.status == 400 && got_code == code && message.starts_with(prefix),
            &format!("{} {}", reply.status, reply.body),
        );
        if name.contains("nested") {
            check(name, message.contains("recursion limit exceeded"), &message);
        }
    }
    let reply = post_json(
        &url,
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\xff\xfe\"}".to_vec(),
    )
    .await;
    check(
        "invalid UTF-8",
        reply.status == 400 && rpc_error(&reply).0 == -32700,
        &reply.body,
    );

    // ---- wrong content types, accept headers, methods, sizes ------------------------------
    for (name, ct) in [
        ("text/plain", Some("text/plain")),
        ("form", Some("application/x-www-form-urlencoded")),
        ("no content type", None),
        ("json look-alike", Some("application/jsonx")),
    ] {
        let reply = post(&url, ct, &[], ping).await;
        check(
            name,
            reply.status == 415 && reply.body.contains("Content-Type must be application/json"),
            &format!("{} {}", reply.status, reply.body),
        );
    }
    let reply = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body(ping)
        .send()
        .await
        .unwrap();
    check("no Accept", reply.status() == 406, reply.status().as_str());
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        let r = reqwest::Client::new()
            .request(method.parse().unwrap(), &url)
            .header("accept", "application/json, text/event-stream")
            .send()
            .await
            .unwrap();
        check(method, r.status() == 405, r.status().as_str());
    }
    let padded = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"ping","params":{{"pad":"{}"}}}}"#,
        "x".repeat(2 << 20)
    );
    let reply = post_json(&url, padded).await;
    check(
        "2 MiB body",
        reply.status == 413 && reply.body.contains("exceeds 1048576 bytes"),
        &format!("{} {}", reply.status, reply.body),
    );
    // The same without Content-Length (chunked), so the limit cannot rely on the header.
    let mut chunked = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    .as_bytes()
    .to_vec();
    for _ in 0..40 {
        chunked.extend_from_slice(
            format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024)).as_bytes(),
        );
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = raw(addr, &chunked).await;
    check(
        "2.5 MiB chunked body",
        status_line(&answer).contains(" 413 "),
        status_line(&answer),
    );
    // A body shorter than its Content-Length, then the client stops writing: no hang.
    let short = format!(
        "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{ping}"
    );
    let started = std::time::Instant::now();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(short.as_bytes()).await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    check(
        "body shorter than Content-Length",
        started.elapsed() < Duration::from_secs(10),
        "the connection was left hanging",
    );

    // ---- headers: huge, CRLF-laden, non-ASCII, duplicated --------------------------------
    let head = |extra: &str| {
        format!(
            "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n{}",
            initialize_body().len(),
            initialize_body()
        )
    };
    for (name, extra, want) in [
        (
            "obs-fold continuation line in a credential",
            format!(
                "X-Gong-Access-Key: {KEY}\r\n folded\r\nX-Gong-Access-Secret: {HOSTILE_SECRET}\r\n"
            ),
            " 400 ",
        ),
        (
            "bare CR inside a header value",
            format!(
                "X-Gong-Access-Key: {KEY}\rX-Injected: 1\r\nX-Gong-Access-Secret: {HOSTILE_SECRET}\r\n"
            ),
            " 400 ",
        ),
        (
            "NUL inside a header value",
            format!("X-Gong-Access-Key: ab\0cd\r\nX-Gong-Access-Secret: {HOSTILE_SECRET}\r\n"),
            " 400 ",
        ),
        (
            "a 1 MiB header value",
            format!("X-Filler: {}\r\n", "a".repeat(1 << 20)),
            " 431 ",
        ),
        (
            "200 headers",
            (0..200).map(|i| format!("X-H{i}: v\r\n")).collect(),
            " 431 ",
        ),
    ] {
        let answer = raw(addr, head(&extra).as_bytes()).await;
        check(
            name,
            status_line(&answer).contains(want),
            status_line(&answer),
        );
    }
    // What header "injection" really is on the wire: one more header, which then meets the same
    // rules as any other (here: the Gong host allow-list).
    let answer = raw(
        addr,
        head(&format!("X-Gong-Access-Key: {KEY}\r\nX-Gong-Base-Url: https://evil.example.com\r\nX-Gong-Access-Secret: {HOSTILE_SECRET}\r\n")).as_bytes(),
    )
    .await;
    check(
        "a smuggled X-Gong-Base-Url",
        status_line(&answer).contains(" 400 ")
            && answer.contains("the Gong host 'evil.example.com' is not allowed"),
        &answer,
    );
    for (name, extra, message) in [
        (
            "non-ASCII secret",
            format!("X-Gong-Access-Key: {KEY}\r\nX-Gong-Access-Secret: s\u{e9}cret\r\n"),
            "the X-Gong-Access-Secret header must be sent once, as visible ASCII text",
        ),
        (
            "duplicated key header",
            format!(
                "X-Gong-Access-Key: {KEY}\r\nX-Gong-Access-Key: hostile-other-key\r\nX-Gong-Access-Secret: {HOSTILE_SECRET}\r\n"
            ),
            "the X-Gong-Access-Key header must be sent once, as visible ASCII text",
        ),
        (
            "colon in the key",
            format!("X-Gong-Access-Key: hostile:key\r\nX-Gong-Access-Secret: {HOSTILE_SECRET}\r\n"),
            "invalid Gong credentials: the Gong access key must not contain ':'",
        ),
    ] {
        let answer = raw(addr, head(&extra).as_bytes()).await;
        check(
            name,
            status_line(&answer).contains(" 400 ") && answer.contains(message),
            &answer,
        );
    }
    // Credentials far longer than any real key pair: refused before they are sent to Gong.
    let long = "k".repeat(16 * 1024);
    for (name, extra, message) in [
        (
            "a 16 KiB access key",
            format!("X-Gong-Access-Key: {long}\r\nX-Gong-Access-Secret: {HOSTILE_SECRET}\r\n"),
            "X-Gong-Access-Key is too long",
        ),
        (
            "a 16 KiB secret",
            format!("X-Gong-Access-Key: {KEY}\r\nX-Gong-Access-Secret: {long}\r\n"),
            "X-Gong-Access-Secret is too long",
        ),
    ] {
        let answer = raw(addr, head(&extra).as_bytes()).await;
        check(
            name,
            status_line(&answer).contains(" 400 ") && answer.contains(message),
            &answer[..answer.len().min(400)],
        );
    }

    // ---- tools and arguments --------------------------------------------------------------
    let reply = post_json(&url, tool_call("gong_delete_everything", json!({}))).await;
    check(
        "unknown tool",
        reply.json()["error"]["code"] == -32602
            && reply.json()["error"]["message"] == "tool not found",
        &reply.body,
    );
    let far_future = "9".repeat(10_000);
    for (name, tool, args, want) in [
        (
            "limit as a string",
            "gong_list_calls",
            json!({"limit": "ten"}),
            "failed to deserialize parameters: limit must be a whole number (0 or more), got \"ten\"",
        ),
        (
            "negative limit",
            "gong_list_calls",
            json!({"limit": -1}),
            "failed to deserialize parameters: limit must be a whole number (0 or more), got -1",
        ),
        (
            "fractional limit",
            "gong_list_calls",
            json!({"limit": 1.5}),
            "failed to deserialize parameters: limit must be a whole number (0 or more)",
        ),
        (
            "limit 0",
            "gong_list_calls",
            json!({"limit": 0}),
            "Invalid argument `limit`: limit must be between 1 and 100; got 0",
        ),
        (
            "limit 101",
            "gong_list_calls",
            json!({"limit": 101}),
            "Invalid argument `limit`: limit must be between 1 and 100; got 101",
        ),
        (
            "date as a number",
            "gong_list_calls",
            json!({"fromDate": 20240101}),
            "failed to deserialize parameters: fromDate must be a string, got a number",
        ),
        (
            "2024-13-45",
            "gong_list_calls",
            json!({"fromDate": "2024-13-45"}),
            "Invalid argument `fromDate`: fromDate '2024-13-45' is not a valid date; use an ISO-8601 date like 2026-10-01 or a date-time like 2026-10-01T09:00:00Z",
        ),
        (
            "year 99999",
            "gong_list_calls",
            json!({"toDate": "99999-01-01"}),
            "Invalid argument `toDate`: toDate '99999-01-01' is not a valid date",
        ),
        (
            "year 1999",
            "gong_list_calls",
            json!({"fromDate": "1999-12-31"}),
            "Invalid argument `fromDate`: fromDate '1999-12-31' is not a valid date (the year must be between 2000 and 2100)",
        ),
        (
            "offset +25:00",
            "gong_list_calls",
            json!({"fromDate": "2026-01-01T00:00:00+25:00"}),
            "Invalid argument `fromDate`: fromDate '2026-01-01T00:00:00+25:00' is not a valid date",
        ),
        (
            "a 10,000-digit date",
            "gong_list_calls",
            json!({"fromDate": far_future}),
            "Invalid argument `fromDate`: fromDate '9999999999999999999999999999999999999999' is not a valid date",
        ),
        (
            "reversed range",
            "gong_list_calls",
            json!({"fromDate": "2026-10-05", "toDate": "2026-10-01"}),
            "Invalid argument `fromDate`: fromDate (2026-10-05T00:00:00+00:00) must be before toDate (2026-10-02T00:00:00+00:00)",
        ),
        (
            "unknown argument",
            "gong_list_calls",
            json!({"since": "2026-01-01"}),
            "failed to deserialize parameters: unknown field `since`",
        ),
        (
            "garbage cursor",
            "gong_list_calls",
            json!({"cursor": "!!!not-a-cursor"}),
            "Invalid argument `cursor`: cursor is not one this tool returned",
        ),
        (
            "callId as a boolean",
            "gong_get_transcript",
            json!({"callId": true}),
            "failed to deserialize parameters: callId/callIds must be Gong call ids (strings of digits), got a boolean",
        ),
        (
            "path traversal as callId",
            "gong_get_transcript",
            json!({"callId": "../../v2/users"}),
            "Invalid argument `callId`: callId must be a Gong call id (up to 20 digits",
        ),
        (
            "21-digit callId",
            "gong_get_transcript",
            json!({"callId": "1".repeat(21)}),
            "Invalid argument `callId`: callId must be a Gong call id",
        ),
        (
            "missing callId",
            "gong_get_transcript",
            json!({}),
            "failed to deserialize parameters: missing field `callId`",
        ),
        (
            "callIds as a string",
            "gong_get_call_details",
            json!({"callIds": "1,2"}),
            "failed to deserialize parameters: callIds must be an array of call ids, got a string",
        ),
        (
            "101 callIds",
            "gong_get_call_details",
            json!({"callIds": (0..101).map(|i| i.to_string()).collect::<Vec<_>>()}),
            "Invalid argument `callIds`: 101 call ids given; at most 100 per call",
        ),
        (
            "empty callIds",
            "gong_get_call_details",
            json!({"callIds": []}),
            "Invalid argument `callIds`: callIds is empty",
        ),
        (
            "both callId and callIds",
            "gong_get_call_details",
            json!({"callId": "1", "callIds": ["2"]}),
            "Invalid argument `callIds`: give either callId or callIds, not both",
        ),
    ] {
        let reply = post_json(&url, tool_call(tool, args)).await;
        let msg = tool_error(&reply);
        check(name, msg.starts_with(want) && msg.len() < 600, &msg);
    }
    let requests_before = gong.stats().total_requests(KEY);
    // None of the invalid calls above reached Gong.
    check(
        "invalid arguments cost no Gong request",
        requests_before == 0,
        &requests_before.to_string(),
    );
    // Another tenant's cursor: an error, never that tenant's calls.
    let a_client = client_for(
        &url,
        &[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
        ],
    )
    .await;
    let from = (Utc::now() - chrono::Duration::days(90))
        .format("%Y-%m-%d")
        .to_string();
    let a_page = structured(
        &call(
            &a_client,
            "gong_list_calls",
            json!({"fromDate": from, "limit": 100}),
        )
        .await,
    );
    let a_cursor = a_page["nextCursor"]
        .as_str()
        .expect("tenant A has more than 100 calls");
    let reply = post_json(
        &url,
        tool_call("gong_list_calls", json!({"cursor": a_cursor, "limit": 100})),
    )
    .await;
    let v = reply.json();
    let ws = gong.workspace(KEY).unwrap();
    let own: Vec<&str> = ws.calls.iter().map(|c| c.id.as_str()).collect();
    let leaked = v["result"]["structuredContent"]["calls"]
        .as_array()
        .is_some_and(|calls| {
            calls
                .iter()
                .any(|c| !own.contains(&c["id"].as_str().unwrap_or_default()))
        });
    check(
        "another tenant's cursor",
        !leaked && v["result"]["isError"] == true,
        &reply.body,
    );
    assert_eq!(gong.stats().requests(KEY, Endpoint::ListCalls), 1);

    // ---- afterwards: still serving, never panicked -----------------------------------------
    let client = client_for(
        &url,
        &[
            ("x-gong-access-key", KEY),
            ("x-gong-access-secret", HOSTILE_SECRET),
        ],
    )
    .await;
    let out = structured(&call(&client, "gong_get_transcript", json!({"callId": call_id})).await);
    assert!(!out["speakers"].as_array().unwrap().is_empty());
    assert!(server.is_running(), "the server process died");
    assert_eq!(server.panics(), Vec::<String>::new(), "the server panicked");
    assert!(
        failures.is_empty(),
        "hostile input:\n{}",
        failures.join("\n")
    );
}
