use serde_json::json;

use crate::helpers::*;

const TOOLS: [&str; 4] = [
    "gong_get_call_details",
    "gong_get_transcript",
    "gong_list_calls",
    "gong_list_speakers",
];

#[tokio::test]
async fn tools_are_listed_only_with_credentials_for_both_protocol_eras() {
    let app = spawn_app().await;
    for client in [
        app.client(A_KEY, A_SECRET).await,
        app.modern_client(&[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
        ])
        .await,
    ] {
        let mut names: Vec<String> = client
            .list_all_tools()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name.to_string())
            .collect();
        names.sort();
        assert_eq!(names, TOOLS);
        let info = client.peer_info().expect("server info");
        let server = info.server_info.clone().expect("server names itself");
        assert_eq!(server.name, "gong-mcp");
        assert_eq!(server.version, env!("CARGO_PKG_VERSION"));
    }
    for client in [app.client_with(&[]).await, app.modern_client(&[]).await] {
        assert!(client.list_all_tools().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn calling_a_gong_tool_without_credentials_names_both_headers() {
    let app = spawn_app().await;
    let client = app.client_with(&[]).await;
    let result = call(&client, "gong_list_calls", json!({})).await;
    assert!(is_error(&result));
    let msg = text(&result);
    assert!(msg.contains("Gong tools are not available"), "{msg}");
    assert!(
        msg.contains("X-Gong-Access-Key") && msg.contains("X-Gong-Access-Secret"),
        "{msg}"
    );
    assert_eq!(app.gong.stats().total_requests(A_KEY), 0);
}

#[tokio::test]
async fn a_2026_client_is_told_the_tool_list_is_private() {
    let app = spawn_app().await;
    let body = json!({
        "jsonrpc": "2.0", "id": 7, "method": "tools/list",
        "params": {"_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "0"},
            "io.modelcontextprotocol/clientCapabilities": {}
        }}
    });
    let response = app
        .post_raw(
            &[
                ("mcp-protocol-version", "2026-07-28"),
                ("mcp-method", "tools/list"),
                ("x-gong-access-key", A_KEY),
                ("x-gong-access-secret", A_SECRET),
            ],
            body.to_string(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let v: serde_json::Value = response.json().await.unwrap();
    assert_eq!(v["result"]["cacheScope"], "private", "{v}");
    assert_eq!(v["result"]["tools"].as_array().unwrap().len(), 4, "{v}");
}

#[tokio::test]
async fn server_discover_reports_our_own_name() {
    let app = spawn_app().await;
    let body = json!({
        "jsonrpc": "2.0", "id": 1, "method": "server/discover",
        "params": {"_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "0"},
            "io.modelcontextprotocol/clientCapabilities": {}
        }}
    });
    let response = app
        .post_raw(
            &[
                ("mcp-protocol-version", "2026-07-28"),
                ("mcp-method", "server/discover"),
            ],
            body.to_string(),
        )
        .await;
    assert_eq!(response.status(), 200);
    let v: serde_json::Value = response.json().await.unwrap();
    let versions = v["result"]["supportedVersions"].to_string();
    assert!(
        versions.contains("2025-11-25") && versions.contains("2026-07-28"),
        "{v}"
    );
    assert_eq!(
        v["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "gong-mcp",
        "{v}"
    );
}
