//! The tools in both protocol eras: a 2025-11-25 client (initialize handshake) and a 2026-07-28
//! client (stateless, `server/discover`) get the same answers and the same errors.

use rmcp::model::ProtocolVersion;
use serde_json::{Value, json};

use crate::helpers::*;

/// (era, client) for tenant A in each era, the era checked on the client's side.
async fn both_eras(app: &TestApp, secret: &str) -> Vec<(ProtocolVersion, McpClient)> {
    let headers = [
        ("x-gong-access-key", A_KEY),
        ("x-gong-access-secret", secret),
    ];
    let eras = vec![
        (
            ProtocolVersion::V_2025_11_25,
            app.client_with(&headers).await,
        ),
        (
            ProtocolVersion::V_2026_07_28,
            app.modern_client(&headers).await,
        ),
    ];
    for (era, client) in &eras {
        let info = client.peer_info().expect("server info");
        assert_eq!(&info.protocol_version, era, "negotiated era");
    }
    eras
}

#[tokio::test]
async fn list_details_and_transcript_answer_the_same_in_both_eras() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let longest = ws.calls.iter().max_by_key(|c| c.duration).unwrap();
    let requests = [
        (
            "gong_list_calls",
            json!({"fromDate": "2020-01-01", "toDate": "2099-12-31", "limit": 7}),
        ),
        (
            "gong_get_call_details",
            json!({"callIds": [&ws.calls[0].id, &ws.calls[1].id], "include": "all"}),
        ),
        (
            "gong_get_transcript",
            json!({"callId": longest.id, "format": "json", "maxChars": 5000}),
        ),
    ];
    let mut answers: Vec<Vec<Value>> = Vec::new();
    for (era, client) in both_eras(&app, A_SECRET).await {
        let mut outs = Vec::new();
        for (tool, args) in &requests {
            let result = call(&client, tool, args.clone()).await;
            let out = structured(&result);
            assert!(!text(&result).is_empty(), "{era:?} {tool}: no text");
            outs.push(out);
        }
        // Each answer is this tenant's truth.
        let listed: Vec<&str> = outs[0]["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        let truth: Vec<&str> = ws.calls.iter().take(7).map(|c| c.id.as_str()).collect();
        assert_eq!(listed, truth, "{era:?}: list");
        let titles: Vec<&str> = outs[1]["calls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles,
            [ws.calls[0].title.as_str(), ws.calls[1].title.as_str()],
            "{era:?}: details"
        );
        let first = ws.transcript(&longest.id).unwrap()[0].sentences[0]
            .text
            .clone();
        let turn = outs[2]["turns"][0]["text"].as_str().unwrap();
        assert!(turn.starts_with(&first), "{era:?}: transcript {turn:?}");
        answers.push(outs);
    }
    for ((tool, _), (old, new)) in requests.iter().zip(answers[0].iter().zip(&answers[1])) {
        assert!(old == new, "{tool}: the two eras got different answers");
    }
    // Both eras reached Gong the same way: the second era's calls came from the cache.
    let stats = app.gong.stats();
    assert_eq!(
        stats.requests(A_KEY, gong_mcp::demo::Endpoint::ListCalls),
        1
    );
}

#[tokio::test]
async fn tool_errors_are_the_same_in_both_eras() {
    let app = spawn_app().await;
    let mut seen: Vec<Vec<String>> = Vec::new();
    for (era, client) in both_eras(&app, A_SECRET).await {
        let mut messages = Vec::new();
        for (tool, args, needle) in [
            ("gong_list_calls", json!({"limit": 0}), "limit"),
            (
                "gong_get_transcript",
                json!({"callId": "1234"}),
                "no transcript for call 1234",
            ),
            (
                "gong_get_call_details",
                json!({"callIds": ["1"], "include": "nope"}),
                "include",
            ),
        ] {
            let result = call(&client, tool, args.clone()).await;
            assert!(is_error(&result), "{era:?} {tool} {args}");
            let msg = text(&result);
            assert!(msg.contains(needle), "{era:?} {tool}: {msg}");
            messages.push(msg);
        }
        seen.push(messages);
    }
    assert_eq!(seen[0], seen[1]);
    // Gong refusing the credentials, in both eras.
    for (era, client) in both_eras(&app, "wrong-secret").await {
        let result = call(&client, "gong_list_calls", json!({})).await;
        assert!(is_error(&result), "{era:?}");
        assert!(
            text(&result).starts_with("Authentication failed: check the access key and secret"),
            "{era:?}: {}",
            text(&result)
        );
    }
}
