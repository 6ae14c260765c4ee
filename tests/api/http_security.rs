//! What is refused before any tool runs: bad credential headers, disallowed Gong hosts, foreign
//! Origins and Hosts, malformed JSON-RPC, oversized bodies.

use gong_mcp::demo::{DemoGong, DemoGongConfig, DemoTenant, Endpoint};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn half_a_credential_pair_is_a_clear_400() {
    let app = spawn_app().await;
    for headers in [
        [("x-gong-access-key", A_KEY)],
        [("x-gong-access-secret", A_SECRET)],
    ] {
        let response = app.post_raw(&headers, initialize_body()).await;
        assert_eq!(response.status(), 400);
        let body = response.text().await.unwrap();
        assert!(body.contains("send both Gong credential headers"), "{body}");
        assert!(!body.contains(A_SECRET));
    }
}

#[tokio::test]
async fn a_disallowed_gong_base_url_is_refused() {
    let app = spawn_app().await;
    let response = app
        .post_raw(
            &[
                ("x-gong-access-key", A_KEY),
                ("x-gong-access-secret", A_SECRET),
                ("x-gong-base-url", "https://evil.example.com"),
            ],
            initialize_body(),
        )
        .await;
    assert_eq!(response.status(), 400);
    let body = response.text().await.unwrap();
    assert!(body.contains("is not allowed"), "{body}");
    assert_eq!(app.gong.stats().total_requests(A_KEY), 0);
}

#[tokio::test]
async fn an_allowed_gong_base_url_is_used() {
    let app = spawn_app().await;
    // A second Gong (allowed by `--allowed-gong-hosts http://127.0.0.1:*`) where the same key pair
    // opens another company's workspace: only the header can send the call there.
    let other = DemoGong::spawn(DemoGongConfig {
        tenants: vec![DemoTenant::new(A_KEY, A_SECRET, "Globex Logistics", 77)],
        ..DemoGongConfig::default()
    })
    .await
    .expect("second demo gong starts");
    let base = other.base_url();
    assert_ne!(base, app.gong.base_url());
    let client = app
        .client_with(&[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("x-gong-base-url", &base),
        ])
        .await;
    let out = structured(&call(&client, "gong_list_calls", json!({"limit": 5})).await);
    assert_eq!(other.stats().requests(A_KEY, Endpoint::ListCalls), 1);
    assert_eq!(
        app.gong.stats().total_requests(A_KEY),
        0,
        "the server's own Gong got a request"
    );
    let (theirs, ours) = (
        other.workspace(A_KEY).unwrap(),
        app.gong.workspace(A_KEY).unwrap(),
    );
    let calls = out["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 5);
    for c in calls {
        let id = c["id"].as_str().unwrap();
        let title = c["title"].as_str().unwrap();
        assert_eq!(
            title,
            theirs.call(id).expect("a call of the second Gong").title
        );
        assert!(
            ours.call(id).is_none_or(|mine| mine.title != title),
            "{title} is a call of the server's own Gong"
        );
    }
}

#[tokio::test]
async fn a_foreign_origin_gets_403_and_a_local_one_is_served() {
    let app = spawn_app().await;
    let response = app
        .post_raw(&[("origin", "https://evil.example.com")], initialize_body())
        .await;
    assert_eq!(response.status(), 403);
    let local = format!("http://localhost:{}", app.addr.port());
    let response = app.post_raw(&[("origin", &local)], initialize_body()).await;
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_foreign_host_header_gets_403() {
    let app = spawn_app().await;
    let response = app
        .post_raw(&[("host", "evil.example.com")], initialize_body())
        .await;
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn malformed_json_rpc_and_oversized_bodies_are_refused_and_the_server_keeps_serving() {
    let app = spawn_app().await;
    let response = app.post_raw(&[], "{not json".into()).await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let response = app.post_raw(&[], format!("{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{{\"pad\":\"{}\"}}}}", "x".repeat(2 * 1024 * 1024))).await;
    assert_eq!(response.status(), 413);
    let client = app.client(A_KEY, A_SECRET).await;
    assert_eq!(client.list_all_tools().await.unwrap().len(), 4);
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    let base = format!("http://127.0.0.1:{}", app.addr.port());
    assert_eq!(
        reqwest::get(format!("{base}/healthz"))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        reqwest::get(format!("{base}/readyz"))
            .await
            .unwrap()
            .status(),
        200
    );
    app.shutdown().await;
}
