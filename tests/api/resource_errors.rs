//! Resource errors and isolation: unknown and malformed URIs are clear errors carrying the URI,
//! another tenant's call is out of reach, and 2026-07-28 clients get private caching hints and
//! not-found as -32602.

use rmcp::ServiceError;
use rmcp::model::{ErrorCode, ReadResourceResult};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::resources::{gong, read, text_and_meta};

fn read_error(result: Result<ReadResourceResult, ServiceError>) -> rmcp::ErrorData {
    match result {
        Err(ServiceError::McpError(e)) => e,
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_and_malformed_uris_are_clear_errors_carrying_the_uri() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let a = app.client_with(&gong(A_KEY, A_SECRET)).await;
    let not_found = ErrorCode::RESOURCE_NOT_FOUND;
    let a_call = &ws.calls[0].id;
    let cases = [
        (
            "test://nonexistent",
            not_found,
            "not a resource of this server",
        ),
        (
            "gong://calls/1234567890123456789",
            not_found,
            "Gong has no call",
        ),
        (
            "gong://calls/1234567890123456789/transcript",
            not_found,
            "no transcript",
        ),
        (
            "gong://calls/abc",
            ErrorCode::INVALID_PARAMS,
            "callId must be a Gong call id",
        ),
        (
            "gong://deals/1",
            ErrorCode::INVALID_PARAMS,
            "expected gong://calls/{callId}",
        ),
        (
            &format!("gong://calls/{a_call}/transcript?offset=99999"),
            ErrorCode::INVALID_PARAMS,
            "past the end",
        ),
    ];
    for (uri, code, needle) in cases {
        let err = read_error(read(&a, uri).await);
        assert_eq!(err.code, code, "{uri}: {}", err.message);
        assert!(err.message.contains(needle), "{uri}: {}", err.message);
        assert_eq!(err.data, Some(json!({"uri": uri})), "{uri}");
    }
    // Tenant B cannot read tenant A's call: the URI resolves with B's own credentials, so the
    // same id is B's own call (the synthetic tenants number their calls alike), or not found.
    let ws_b = app.gong.workspace(B_KEY).unwrap();
    let b = app.client_with(&gong(B_KEY, B_SECRET)).await;
    let shared = ws
        .calls
        .iter()
        .find(|c| ws_b.call(&c.id).is_some_and(|other| other.title != c.title))
        .expect("a call id both tenants have, with different titles");
    let uri = format!("gong://calls/{}", shared.id);
    let (page, _) = text_and_meta(&read(&b, &uri).await.unwrap(), &uri);
    assert!(
        page.contains(&ws_b.call(&shared.id).unwrap().title),
        "{page}"
    );
    assert!(!page.contains(&shared.title), "{page}");
    if let Some(only_a) = ws.calls.iter().find(|c| ws_b.call(&c.id).is_none()) {
        let uri = format!("gong://calls/{}", only_a.id);
        let err = read_error(read(&b, &uri).await);
        assert_eq!(err.code, not_found);
        assert!(!err.message.contains(&only_a.title));
    }
    // No credentials at all: nothing to read.
    let none = app.client_with(&[]).await;
    let err = read_error(read(&none, &uri).await);
    assert_eq!(err.code, not_found);
    assert!(
        err.message.contains("needs Gong credentials"),
        "{}",
        err.message
    );
}

/// One raw 2026-07-28 request (the SDK client hides the caching hints).
async fn modern_raw(app: &TestApp, method: &str, params: Value) -> Value {
    let mut params = params;
    params["_meta"] = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "0"},
        "io.modelcontextprotocol/clientCapabilities": {}
    });
    let body = json!({"jsonrpc": "2.0", "id": 3, "method": method, "params": params});
    let mut headers = vec![
        ("mcp-protocol-version", "2026-07-28"),
        ("mcp-method", method),
        ("x-gong-access-key", A_KEY),
        ("x-gong-access-secret", A_SECRET),
    ];
    let name = params["uri"].as_str().map(str::to_owned);
    if let Some(name) = &name {
        headers.push(("mcp-name", name));
    }
    let response = app.post_raw(&headers, body.to_string()).await;
    response.json().await.unwrap()
}

#[tokio::test]
async fn per_caller_lists_and_reads_are_private_for_2026_clients_and_not_found_is_invalid_params() {
    let app = spawn_app().await;
    for method in ["prompts/list", "resources/list", "resources/templates/list"] {
        let v = modern_raw(&app, method, json!({})).await;
        assert_eq!(v["result"]["cacheScope"], "private", "{method}: {v}");
        assert_eq!(v["result"]["ttlMs"], 0, "{method}: {v}");
    }
    let ws = app.gong.workspace(A_KEY).unwrap();
    let uri = format!("gong://calls/{}", ws.calls[0].id);
    let v = modern_raw(&app, "resources/read", json!({"uri": uri})).await;
    assert_eq!(v["result"]["cacheScope"], "private", "{v}");
    let v = modern_raw(&app, "resources/read", json!({"uri": "test://nothing"})).await;
    assert_eq!(v["error"]["code"], -32602, "{v}");
    assert_eq!(v["error"]["data"]["uri"], "test://nothing", "{v}");
}

#[tokio::test]
async fn fathom_and_fireflies_uris_are_checked_and_resolve_with_the_callers_own_key() {
    let app = spawn_app().await;
    let [_, fathom, fireflies] = crate::resources::RECORDERS;
    let invalid = ErrorCode::INVALID_PARAMS;
    let not_found = ErrorCode::RESOURCE_NOT_FOUND;
    for (r, uri, code, needle) in [
        (
            fathom,
            "fathom://meetings/abc",
            invalid,
            "must be a Fathom meeting id",
        ),
        (
            fathom,
            "fathom://calls/1",
            invalid,
            "expected fathom://meetings/{meetingId}",
        ),
        (
            fathom,
            "fathom://meetings/987654321",
            not_found,
            "no recording 987654321",
        ),
        (
            fathom,
            "fathom://meetings/987654321/transcript",
            not_found,
            "987654321",
        ),
        (
            fireflies,
            "fireflies://transcripts/01NOSUCHMEETING",
            invalid,
            "expected fireflies://transcripts/{transcriptId}/transcript",
        ),
        (
            fireflies,
            "fireflies://transcripts/no$such/transcript",
            invalid,
            "must be a Fireflies transcript id",
        ),
        (
            fireflies,
            "fireflies://transcripts/01NOSUCHMEETING/transcript",
            not_found,
            "no transcript with id",
        ),
    ] {
        let client = app.client_with(r.a).await;
        let err = read_error(read(&client, uri).await);
        assert_eq!(err.code, code, "{uri}: {}", err.message);
        assert!(err.message.contains(needle), "{uri}: {}", err.message);
        assert_eq!(err.data, Some(json!({"uri": uri})), "{uri}");
    }
    for r in [fathom, fireflies] {
        let m = &r.newest(&app)[0];
        let uri = format!("{}{}/transcript", r.base, m.1);
        // Without the provider's key (with Gong's): nothing to read.
        let gong_only = app.client_with(&gong(A_KEY, A_SECRET)).await;
        let err = read_error(read(&gong_only, &uri).await);
        assert_eq!(err.code, not_found, "{uri}");
        let name = if r.key == "fathom" {
            "Fathom"
        } else {
            "Fireflies"
        };
        assert!(
            err.message.contains(&format!("needs {name} credentials")),
            "{}",
            err.message
        );
        // Tenant B's key reads tenant B's meetings only: A's id is not found.
        let b = app.client_with(r.b).await;
        let err = read_error(read(&b, &uri).await);
        assert_eq!(err.code, not_found, "{uri}: {}", err.message);
        assert!(!err.message.contains(&m.2), "{}", err.message);
    }
}
