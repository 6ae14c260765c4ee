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
        assert_eq!(tool_names(&client).await, TOOLS);
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

/// The server's instructions (read by agents at `initialize`) name only tools that exist, and
/// every provider's credentials header, so an agent is not sent looking for a tool or a header
/// that is not there.
#[tokio::test]
async fn the_instructions_name_real_tools_and_every_credentials_header() {
    let app = spawn_app().await;
    let client = app
        .client_with(&[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("x-mind-reasoner-api-key", MR_KEY_A),
            ("x-fathom-api-key", FATHOM_KEY_A),
            ("x-fireflies-api-key", FIREFLIES_KEY_A),
        ])
        .await;
    let tools = tool_names(&client).await;
    let info = client.peer_info().expect("server info");
    let instructions = info.instructions.clone().expect("instructions");
    let named = regex::Regex::new(r"\b[a-z]+_[a-z_]*[a-z]\b").unwrap();
    let mut checked = 0;
    for name in named.find_iter(&instructions).map(|m| m.as_str()) {
        if name.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue;
        }
        assert!(
            tools.iter().any(|t| t == name),
            "the instructions name `{name}`, which is not a tool: {instructions}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked} tool names in: {instructions}");
    for header in [
        "X-Gong-Access-Key",
        "X-Gong-Access-Secret",
        "X-Fathom-Api-Key",
        "X-Fireflies-Api-Key",
        "X-Mind-Reasoner-Api-Key",
    ] {
        assert!(instructions.contains(header), "{header}: {instructions}");
    }
}
