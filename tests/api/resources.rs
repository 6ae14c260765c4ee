//! MCP resources: listed by credentials, the tenant's newest calls paged by cursor, reads equal
//! to the tools' answers, transcript pages by `?offset=` with every sentence once.

use chrono::{Duration, Utc};
use gong_mcp::demo::Workspace;
use rmcp::ServiceError;
use rmcp::model::{
    ErrorCode, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResult,
    ResourceContents,
};
use serde_json::{Value, json};

use crate::helpers::*;

pub fn gong(key: &'static str, secret: &'static str) -> [(&'static str, &'static str); 2] {
    [("x-gong-access-key", key), ("x-gong-access-secret", secret)]
}

pub async fn read(client: &McpClient, uri: &str) -> Result<ReadResourceResult, ServiceError> {
    client
        .read_resource(ReadResourceRequestParams::new(uri))
        .await
}

/// The one text content of a read, and its `_meta`.
pub fn text_and_meta(result: &ReadResourceResult, uri: &str) -> (String, Option<Value>) {
    assert_eq!(result.contents.len(), 1, "{result:?}");
    match &result.contents[0] {
        ResourceContents::TextResourceContents {
            uri: got,
            mime_type,
            text,
            meta,
        } => {
            assert_eq!(got, uri);
            assert_eq!(mime_type.as_deref(), Some("text/plain"));
            (
                text.clone(),
                meta.as_ref()
                    .map(|m| serde_json::to_value(m).unwrap_or_default()),
            )
        }
        other => panic!("expected text contents, got {other:?}"),
    }
}

/// Tenant A's calls of the last 30 days, newest first (what `resources/list` must list).
pub fn newest_ids(ws: &Workspace) -> Vec<String> {
    let now = Utc::now();
    let mut calls: Vec<_> = ws
        .calls
        .iter()
        .filter(|c| c.started > now - Duration::days(30) && c.started < now)
        .collect();
    calls.sort_by_key(|c| std::cmp::Reverse(c.started));
    calls.into_iter().map(|c| c.id.clone()).collect()
}

#[tokio::test]
async fn resources_follow_the_credentials_and_list_the_newest_calls_by_cursor() {
    let app = spawn_app().await;
    let none = app.client_with(&[]).await;
    assert!(none.list_all_resources().await.unwrap().is_empty());
    assert!(none.list_all_resource_templates().await.unwrap().is_empty());
    let mr_only = app
        .client_with(&[("x-mind-reasoner-api-key", MR_KEY_A)])
        .await;
    assert!(
        mr_only
            .list_all_resource_templates()
            .await
            .unwrap()
            .is_empty()
    );

    let a = app.client_with(&gong(A_KEY, A_SECRET)).await;
    let templates: Vec<String> = a
        .list_all_resource_templates()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.uri_template)
        .collect();
    assert_eq!(
        templates,
        ["gong://calls/{callId}", "gong://calls/{callId}/transcript"]
    );

    // Page by page: 25 each, newest first, at most 100, every call once.
    let ws = app.gong.workspace(A_KEY).unwrap();
    let mut listed = Vec::new();
    let mut cursor = None;
    loop {
        let page = a
            .list_resources(Some(PaginatedRequestParams::default().with_cursor(cursor)))
            .await
            .unwrap();
        assert!(page.resources.len() <= 25);
        for r in &page.resources {
            let id = r.uri.strip_prefix("gong://calls/").expect("a call URI");
            let call = ws.call(id).expect("a call of tenant A");
            assert_eq!(r.name, call.title);
            let about = r.description.clone().unwrap_or_default();
            assert!(
                about.contains(&format!("gong://calls/{id}/transcript")),
                "{about}"
            );
            listed.push(id.to_owned());
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(listed.len() < 200, "paging does not end");
    }
    let truth = newest_ids(&ws);
    assert!(
        truth.len() > 25,
        "the workspace has more than one page of recent calls"
    );
    assert_eq!(listed, truth.into_iter().take(100).collect::<Vec<_>>());

    // Tenant B lists its own calls only (the synthetic tenants number their calls alike, so
    // the titles tell them apart).
    let b = app.client_with(&gong(B_KEY, B_SECRET)).await;
    let first_b = b.list_resources(None).await.unwrap();
    let ws_b = app.gong.workspace(B_KEY).unwrap();
    let listed_b: Vec<String> = first_b
        .resources
        .iter()
        .map(|r| r.uri.strip_prefix("gong://calls/").unwrap().to_owned())
        .collect();
    assert_eq!(
        listed_b,
        newest_ids(&ws_b).into_iter().take(25).collect::<Vec<_>>()
    );
    for r in &first_b.resources {
        let id = r.uri.strip_prefix("gong://calls/").unwrap();
        assert_eq!(r.name, ws_b.call(id).unwrap().title);
    }

    // A cursor this server did not issue is refused.
    let err = a
        .list_resources(Some(
            PaginatedRequestParams::default().with_cursor(Some("not-a-cursor".into())),
        ))
        .await
        .unwrap_err();
    let ServiceError::McpError(err) = err else {
        panic!("{err:?}")
    };
    assert_eq!(err.code, ErrorCode::INVALID_PARAMS);
    assert!(err.message.contains("Invalid cursor"), "{}", err.message);
}

#[tokio::test]
async fn a_call_resource_reads_exactly_as_gong_get_call_details_answers() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let client = app.client_with(&gong(A_KEY, A_SECRET)).await;
    for call in ws.calls.iter().take(3) {
        let uri = format!("gong://calls/{}", call.id);
        let result = read(&client, &uri).await.unwrap();
        let (resource_text, _) = text_and_meta(&result, &uri);
        let tool = call_tool_ok(&client, "gong_get_call_details", json!({"callId": call.id})).await;
        assert_eq!(resource_text, tool);
        assert!(resource_text.contains(&call.title));
    }
}

async fn call_tool_ok(client: &McpClient, tool: &str, args: Value) -> String {
    let result = call(client, tool, args).await;
    assert!(!is_error(&result), "{}", text(&result));
    text(&result)
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The words of the `[mm:ss] Name: words` lines of a text page.
fn turn_words(page: &str) -> String {
    page.lines()
        .filter(|l| l.starts_with('['))
        .filter_map(|l| {
            l.split_once("] ")
                .and_then(|(_, rest)| rest.split_once(": "))
        })
        .map(|(_, words)| no_space(words))
        .collect()
}

#[tokio::test]
async fn a_transcript_resource_pages_by_offset_as_the_tool_does_with_every_sentence_once() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let longest = ws.calls.iter().max_by_key(|c| c.duration).unwrap();
    let client = app.client_with(&gong(A_KEY, A_SECRET)).await;

    let mut uri = format!("gong://calls/{}/transcript", longest.id);
    let mut offset: Option<u64> = None;
    let mut words = String::new();
    let mut pages = 0;
    loop {
        let result = read(&client, &uri).await.unwrap();
        let (page, meta) = text_and_meta(&result, &uri);
        let mut args = json!({"callId": longest.id});
        if let Some(n) = offset {
            args["offset"] = json!(n);
        }
        let tool = call(&client, "gong_get_transcript", args).await;
        let next = structured(&tool)["page"]["nextOffset"].as_u64();
        let tool_text = text(&tool);
        pages += 1;
        words.push_str(&turn_words(&tool_text));
        match next {
            Some(n) => {
                let next_uri = format!("gong://calls/{}/transcript?offset={n}", longest.id);
                assert_eq!(
                    page,
                    format!("{tool_text}\n\nNext page of this transcript: {next_uri}")
                );
                let meta = meta.expect("a page with a next one has _meta");
                assert_eq!(meta["nextUri"], json!(next_uri));
                assert_eq!(meta["nextOffset"], json!(n));
                uri = next_uri;
                offset = Some(n);
            }
            None => {
                assert_eq!(page, tool_text);
                assert!(meta.is_none());
                break;
            }
        }
        assert!(pages < 100, "paging does not end");
    }
    assert!(pages >= 2, "the longest call takes more than one page");
    let truth: String = ws
        .transcript(&longest.id)
        .unwrap()
        .iter()
        .flat_map(|m| m.sentences.iter().map(|s| no_space(&s.text)))
        .collect();
    assert_eq!(words, truth, "every sentence once, in order");
}
