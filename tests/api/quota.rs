//! Gong's quota spent like money: pacing per tenant, coalescing, per-tenant caching, cancellation.

use std::time::Duration;

use gong_mcp::demo::{Endpoint, Fault};
use serde_json::json;

use crate::helpers::*;

fn call_ids(app: &TestApp, key: &str, n: usize) -> Vec<String> {
    app.gong
        .workspace(key)
        .unwrap()
        .calls
        .iter()
        .take(n)
        .map(|c| c.id.clone())
        .collect()
}

#[tokio::test]
async fn twelve_concurrent_calls_of_one_tenant_all_succeed_without_a_429() {
    let app = spawn_app().await;
    let client = std::sync::Arc::new(app.client(A_KEY, A_SECRET).await);
    let mut tasks = Vec::new();
    for (i, id) in call_ids(&app, A_KEY, 12).into_iter().enumerate() {
        let client = client.clone();
        let tool = if i % 2 == 0 {
            "gong_get_transcript"
        } else {
            "gong_get_call_details"
        };
        tasks.push(tokio::spawn(async move {
            call(&client, tool, json!({"callId": id})).await
        }));
    }
    for t in tasks {
        let result = t.await.unwrap();
        assert!(!is_error(&result), "{}", text(&result));
    }
    let stats = app.gong.stats();
    assert_eq!(stats.rate_limited(A_KEY), 0, "no 429 from Gong");
    assert!(
        stats.max_requests_in_any_second(A_KEY) <= 3,
        "{}",
        stats.max_requests_in_any_second(A_KEY)
    );
    // What it cost: the 6 transcripts and the parties of their calls, and the 6 details, ride in
    // batches. The first batch of each endpoint leaves at once with the ids it has; the rest
    // wait for the next slot together: 2 transcript requests, 2 or 3 for call data (the
    // transcripts' parties may join the details' batch).
    let (transcript, extensive) = (
        stats.requests(A_KEY, Endpoint::CallsTranscript),
        stats.requests(A_KEY, Endpoint::CallsExtensive),
    );
    assert_eq!(stats.total_requests(A_KEY), transcript + extensive);
    assert!(
        (1..=2).contains(&transcript),
        "{transcript} transcript requests"
    );
    assert!(
        (1..=3).contains(&extensive),
        "{extensive} call data requests"
    );
    assert_eq!(
        stats
            .call_ids_lens(A_KEY, Endpoint::CallsTranscript)
            .iter()
            .sum::<usize>(),
        6,
        "each transcript asked for once"
    );
    assert_eq!(
        stats
            .call_ids_lens(A_KEY, Endpoint::CallsExtensive)
            .iter()
            .sum::<usize>(),
        12,
        "each call's data asked for once"
    );
}

/// Twelve different date windows: twelve Gong requests nothing can merge, from concurrent calls.
fn twelve_unmergeable_lists<'a>(
    client: &'a McpClient,
) -> impl std::future::Future<Output = Vec<rmcp::model::CallToolResult>> + 'a {
    futures::future::join_all((1..=12).map(move |day| {
        let date = (chrono::Utc::now() - chrono::Duration::days(day))
            .format("%Y-%m-%d")
            .to_string();
        call(
            client,
            "gong_list_calls",
            json!({"fromDate": date, "toDate": date}),
        )
    }))
}

#[tokio::test]
async fn twelve_unmergeable_requests_are_paced_at_the_rate_and_never_over_it() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let results = twelve_unmergeable_lists(&client).await;
    assert!(results.iter().all(|r| !is_error(r)));
    let stats = app.gong.stats();
    assert_eq!(stats.requests(A_KEY, Endpoint::ListCalls), 12);
    assert_eq!(stats.total_requests(A_KEY), 12);
    assert_eq!(stats.rate_limited(A_KEY), 0, "no 429 from Gong");
    // At the rate: some rolling second holds 3 of them (unpaced, all 12 would arrive at once
    // and 9 be refused; paced too slowly, no second would hold 3).
    assert_eq!(stats.max_requests_in_any_second(A_KEY), 3);
}

#[tokio::test]
async fn two_tenants_at_full_rate_do_not_slow_each_other() {
    let app = spawn_app().await;
    let (a, b) = (
        app.client(A_KEY, A_SECRET).await,
        app.client(B_KEY, B_SECRET).await,
    );
    let (ra, rb) = tokio::join!(twelve_unmergeable_lists(&a), twelve_unmergeable_lists(&b));
    let stats = app.gong.stats();
    for (results, key) in [(ra, A_KEY), (rb, B_KEY)] {
        assert!(results.iter().all(|r| !is_error(r)));
        assert_eq!(stats.total_requests(key), 12);
        assert_eq!(stats.rate_limited(key), 0);
        assert_eq!(stats.max_requests_in_any_second(key), 3, "tenant {key}");
    }
    // Both at full rate at the same time: 3 of each in one second. With one budget shared by
    // the two, no second would ever hold more than 3 requests in all.
    assert_eq!(stats.max_requests_in_any_second_all_tenants(), 6);
}

#[tokio::test]
async fn concurrent_calls_for_different_ids_share_batched_requests() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let ids = call_ids(&app, A_KEY, 30);
    let results = futures::future::join_all(
        ids.iter()
            .map(|id| call(&client, "gong_get_call_details", json!({"callId": id}))),
    )
    .await;
    for (result, id) in results.iter().zip(&ids) {
        let out = structured(result);
        assert_eq!(
            out["calls"][0]["id"].as_str().unwrap(),
            id,
            "each caller gets its own call"
        );
    }
    let extensive = app.gong.stats().requests(A_KEY, Endpoint::CallsExtensive);
    assert!(
        extensive <= 3,
        "30 concurrent detail calls cost {extensive} Gong requests"
    );
    assert_eq!(
        app.gong
            .stats()
            .call_ids_lens(A_KEY, Endpoint::CallsExtensive)
            .iter()
            .sum::<usize>(),
        30,
        "no id requested twice"
    );
}

#[tokio::test]
async fn concurrent_identical_calls_make_one_gong_request() {
    let app = spawn_app().await;
    let id = call_ids(&app, A_KEY, 1).remove(0);
    let client = app.client(A_KEY, A_SECRET).await;
    let results = futures::future::join_all(
        (0..5).map(|_| call(&client, "gong_get_transcript", json!({"callId": id}))),
    )
    .await;
    assert!(results.iter().all(|r| !is_error(r)));
    assert_eq!(
        app.gong.stats().requests(A_KEY, Endpoint::CallsTranscript),
        1
    );
    assert_eq!(
        app.gong.stats().requests(A_KEY, Endpoint::CallsExtensive),
        1
    );
}

#[tokio::test]
async fn tenant_b_never_reads_tenant_a_s_cached_transcript() {
    let app = spawn_app().await;
    let id = call_ids(&app, A_KEY, 1).remove(0);
    assert!(
        app.gong.workspace(B_KEY).unwrap().call(&id).is_some(),
        "same id on both tenants"
    );
    let a = app.client(A_KEY, A_SECRET).await;
    let b = app.client(B_KEY, B_SECRET).await;
    let ta = structured(&call(&a, "gong_get_transcript", json!({"callId": id})).await);
    let tb = structured(&call(&b, "gong_get_transcript", json!({"callId": id})).await);
    assert_eq!(
        app.gong.stats().requests(B_KEY, Endpoint::CallsTranscript),
        1,
        "B went to Gong"
    );
    assert_eq!(
        tb["title"].as_str().unwrap(),
        app.gong.workspace(B_KEY).unwrap().call(&id).unwrap().title
    );
    assert_ne!(ta["title"], tb["title"]);
    // Same key, other secret (same tenant key? no: other credentials) is another cache too.
    let wrong = app.client(A_KEY, "not-the-secret").await;
    assert!(is_error(
        &call(&wrong, "gong_get_transcript", json!({"callId": id})).await
    ));
}

#[tokio::test]
async fn a_cancelled_call_stops_its_gong_work() {
    let app = spawn_app().await;
    // Gong asks to retry after 2 s; the server would send the retry then, unless cancelled.
    app.gong.faults().push(
        Fault::TooManyRequests {
            retry_after_secs: 2,
        },
        1,
    );
    let body = json!({
        "jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "gong_list_calls", "arguments": {}}
    });
    let request = app.post_raw(
        &[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("mcp-protocol-version", "2025-11-25"),
        ],
        body.to_string(),
    );
    // The client gives up (closes the connection) while the call waits to retry.
    assert!(
        tokio::time::timeout(Duration::from_millis(500), request)
            .await
            .is_err()
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(app.gong.faults().fired(), 1, "Gong answered 429 once");
    assert_eq!(
        app.gong.stats().requests(A_KEY, Endpoint::ListCalls),
        1,
        "the cancelled call must not retry"
    );
}
