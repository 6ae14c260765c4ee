//! Gong's quota spent like money: pacing per tenant, coalescing, per-tenant caching, cancellation.

use std::time::{Duration, Instant};

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
}

#[tokio::test]
async fn two_tenants_at_full_rate_do_not_slow_each_other() {
    let app = spawn_app().await;
    // Twelve different date windows: twelve Gong requests that cannot be merged.
    let run = |key: &'static str, secret: &'static str| {
        let app = &app;
        async move {
            let client = app.client(key, secret).await;
            let started = Instant::now();
            let results = futures::future::join_all((1..=12).map(|day| {
                let from = (chrono::Utc::now() - chrono::Duration::days(day))
                    .format("%Y-%m-%d")
                    .to_string();
                call(
                    &client,
                    "gong_list_calls",
                    json!({"fromDate": from, "toDate": from}),
                )
            }))
            .await;
            assert!(results.iter().all(|r| !is_error(r)));
            started.elapsed()
        }
    };
    let (ta, tb) = tokio::join!(run(A_KEY, A_SECRET), run(B_KEY, B_SECRET));
    // 12 requests at 3/s take about 3.7 s; sharing one budget would take about 7.5 s. The bound
    // sits between the two with room for a loaded CI machine.
    for (t, key) in [(ta, A_KEY), (tb, B_KEY)] {
        assert_eq!(app.gong.stats().total_requests(key), 12);
        assert_eq!(app.gong.stats().rate_limited(key), 0);
        assert!(t < Duration::from_millis(6000), "tenant {key} took {t:?}");
    }
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
