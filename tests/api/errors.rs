//! Gong failing in the ways it can: each is an `isError` result an agent can act on, and the
//! server keeps serving.

use std::time::Duration;

use gong_mcp::demo::{Endpoint, Fault};
use serde_json::json;

use crate::helpers::*;

async fn list_error_text(app: &TestApp) -> String {
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(
        &client,
        "gong_list_calls",
        json!({"fromDate": "2026-01-01"}),
    )
    .await;
    assert!(
        is_error(&result),
        "expected a tool error, got {}",
        text(&result)
    );
    text(&result)
}

async fn still_serves(app: &TestApp) {
    app.gong.faults().clear();
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(&client, "gong_list_calls", json!({"limit": 1})).await;
    assert!(
        !is_error(&result),
        "server should keep serving: {}",
        text(&result)
    );
}

#[tokio::test]
async fn wrong_secret_is_an_authentication_error_with_the_fix() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, "wrong-secret").await;
    let result = call(&client, "gong_list_calls", json!({})).await;
    assert!(is_error(&result));
    let msg = text(&result);
    assert!(
        msg.starts_with("Authentication failed: check the access key and secret"),
        "{msg}"
    );
    assert!(!msg.contains("wrong-secret"));
    assert_eq!(app.gong.stats().unauthorized(), 1, "401 is not retried");
}

#[tokio::test]
async fn a_429_then_success_is_retried_transparently() {
    let app = spawn_app().await;
    app.gong.faults().push(
        Fault::TooManyRequests {
            retry_after_secs: 1,
        },
        1,
    );
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(&client, "gong_list_calls", json!({})).await;
    structured(&result);
    assert_eq!(app.gong.faults().fired(), 1, "Gong answered 429 once");
    assert_eq!(app.gong.stats().requests(A_KEY, Endpoint::ListCalls), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_deadline_fails_fast_with_when_to_retry() {
    let app = spawn_app().await;
    app.gong.faults().push(
        Fault::TooManyRequests {
            retry_after_secs: 3600,
        },
        1,
    );
    let started = std::time::Instant::now();
    let msg = list_error_text(&app).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "must not wait out an hour"
    );
    assert!(
        msg.contains("Gong's rate limit is exhausted; retry after 3600 s (about "),
        "{msg}"
    );
    assert!(msg.contains("UTC)"), "{msg}");
}

#[tokio::test]
async fn persistent_5xx_is_a_transient_error_after_bounded_retries() {
    let app = spawn_app().await;
    app.gong.faults().push(
        Fault::Status {
            status: 503,
            body: r#"{"requestId":"req-503","errors":["down"]}"#.into(),
            content_type: "application/json",
        },
        100,
    );
    let msg = list_error_text(&app).await;
    assert!(msg.contains("Gong is failing (HTTP 503)"), "{msg}");
    assert!(msg.contains("req-503"), "Gong's requestId is quoted: {msg}");
    let tries = app.gong.stats().requests(A_KEY, Endpoint::ListCalls);
    assert!(
        (2..=5).contains(&tries),
        "retried a bounded number of times: {tries}"
    );
    still_serves(&app).await;
}

#[tokio::test]
async fn a_single_500_is_retried() {
    let app = spawn_app().await;
    app.gong.faults().push(
        Fault::Status {
            status: 500,
            body: "{}".into(),
            content_type: "application/json",
        },
        1,
    );
    let client = app.client(A_KEY, A_SECRET).await;
    structured(&call(&client, "gong_list_calls", json!({})).await);
}

#[tokio::test]
async fn a_redirect_means_a_wrong_base_url_and_is_not_followed() {
    let app = spawn_app().await;
    app.gong.faults().push(
        Fault::Redirect {
            location: "https://us-4242.api.gong.io/v2/calls".into(),
            status: 302,
        },
        1,
    );
    let msg = list_error_text(&app).await;
    assert!(msg.contains("the base URL is wrong"), "{msg}");
    assert!(msg.contains("us-4242.api.gong.io"), "{msg}");
    assert!(msg.contains("X-Gong-Base-Url"), "{msg}");
    assert_eq!(app.gong.stats().requests(A_KEY, Endpoint::ListCalls), 1);
    still_serves(&app).await;
}

#[tokio::test]
async fn malformed_json_and_html_pages_are_clear_errors() {
    let app = spawn_app().await;
    app.gong.faults().push(Fault::InvalidJson, 1);
    let msg = list_error_text(&app).await;
    assert!(msg.contains("could not be read"), "{msg}");
    app.gong.faults().push(Fault::HtmlError { status: 400 }, 1);
    let msg = list_error_text(&app).await;
    assert!(msg.contains("non-JSON response"), "{msg}");
    assert!(!msg.contains("<html"), "{msg}");
    still_serves(&app).await;
}

#[tokio::test]
async fn a_broken_connection_is_retried_and_then_reported() {
    let app = spawn_app().await;
    app.gong.faults().push(Fault::ResetConnection, 1);
    let client = app.client(A_KEY, A_SECRET).await;
    structured(&call(&client, "gong_list_calls", json!({})).await);
    app.gong.faults().push(Fault::TruncatedBody, 100);
    let msg = list_error_text(&app).await;
    assert!(
        msg.contains("could not be read") || msg.contains("Could not reach Gong"),
        "{msg}"
    );
    still_serves(&app).await;
}

#[tokio::test]
async fn nulls_everywhere_and_unknown_fields_are_tolerated() {
    let app = spawn_app().await;
    let id = app.gong.workspace(A_KEY).unwrap().calls[3].id.clone();
    app.gong.faults().push(Fault::NullsEverywhere, 10);
    let client = app.client(A_KEY, A_SECRET).await;
    structured(&call(&client, "gong_list_calls", json!({})).await);
    structured(&call(&client, "gong_get_call_details", json!({"callId": id})).await);
    let result = call(&client, "gong_get_transcript", json!({"callId": id})).await;
    assert!(!is_error(&result), "{}", text(&result));
}

#[tokio::test]
async fn a_slow_gong_hits_the_tool_deadline() {
    let app = spawn_app_with(two_tenants(), &["--tool-timeout", "2"]).await;
    app.gong
        .faults()
        .push(Fault::Delay(Duration::from_secs(10)), 1);
    let started = std::time::Instant::now();
    let msg = list_error_text(&app).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(msg.contains("deadline of 2"), "{msg}");
    still_serves(&app).await;
}
