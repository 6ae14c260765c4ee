//! MCP prompts: listed by the credentials a request carries, rendered with and without their
//! optional arguments, naming only tools the caller can see; bad arguments are clear errors;
//! completions come from the caller's own tenant.

use std::collections::{BTreeSet, HashMap};

use rmcp::ServiceError;
use rmcp::model::{CompletionContext, ErrorCode, GetPromptRequestParams, GetPromptResult};
use serde_json::{Value, json};

use crate::helpers::*;

const GONG_PROMPTS: [&str; 2] = ["analyze_call_patterns", "recent_calls"];
const MIND_PROMPTS: [&str; 2] = ["bulk_mind_creation", "create_mind_from_call"];

fn gong_a() -> Vec<(&'static str, &'static str)> {
    vec![
        ("x-gong-access-key", A_KEY),
        ("x-gong-access-secret", A_SECRET),
    ]
}

fn gong_and_mind_a() -> Vec<(&'static str, &'static str)> {
    let mut h = gong_a();
    h.push(("x-mind-reasoner-api-key", MR_KEY_A));
    h
}

fn gong_and_mind_b() -> Vec<(&'static str, &'static str)> {
    vec![
        ("x-gong-access-key", B_KEY),
        ("x-gong-access-secret", B_SECRET),
        ("x-mind-reasoner-api-key", MR_KEY_B),
    ]
}

async fn prompt_names(client: &McpClient) -> Vec<String> {
    let mut names: Vec<String> = client
        .list_all_prompts()
        .await
        .expect("prompts/list answers")
        .into_iter()
        .map(|p| p.name)
        .collect();
    names.sort();
    names
}

pub async fn get_prompt(
    client: &McpClient,
    name: &str,
    args: Value,
) -> Result<GetPromptResult, ServiceError> {
    let Value::Object(map) = args else {
        panic!("arguments must be an object")
    };
    let mut params = GetPromptRequestParams::new(name);
    params.arguments = Some(map);
    client.get_prompt(params).await
}

fn prompt_text(result: &GetPromptResult) -> String {
    assert_eq!(result.messages.len(), 1, "{result:?}");
    result.messages[0]
        .content
        .as_text()
        .map(|t| t.text.clone())
        .expect("a text message")
}

fn mcp_error(result: Result<GetPromptResult, ServiceError>) -> rmcp::ErrorData {
    match result {
        Err(ServiceError::McpError(e)) => e,
        other => panic!("expected a JSON-RPC error, got {other:?}"),
    }
}

/// The tool names (of `all`) a text mentions as whole words.
fn tools_named(text: &str, all: &BTreeSet<String>) -> BTreeSet<String> {
    all.iter()
        .filter(|name| {
            regex::Regex::new(&format!(r"\b{}\b", regex::escape(name)))
                .unwrap()
                .is_match(text)
        })
        .cloned()
        .collect()
}

async fn tool_names(client: &McpClient) -> BTreeSet<String> {
    client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.name.to_string())
        .collect()
}

#[tokio::test]
async fn prompts_are_listed_by_the_credentials_of_each_request_in_both_eras() {
    let app = spawn_app().await;
    let mr_only = [("x-mind-reasoner-api-key", MR_KEY_A)];
    for modern in [false, true] {
        let connect = |headers: Vec<(&'static str, &'static str)>| {
            let app = &app;
            async move {
                if modern {
                    app.modern_client(&headers).await
                } else {
                    app.client_with(&headers).await
                }
            }
        };
        let gong = connect(gong_a()).await;
        assert_eq!(prompt_names(&gong).await, GONG_PROMPTS, "modern: {modern}");
        let both = connect(gong_and_mind_a()).await;
        let mut all: Vec<&str> = GONG_PROMPTS.iter().chain(&MIND_PROMPTS).copied().collect();
        all.sort();
        assert_eq!(prompt_names(&both).await, all, "modern: {modern}");
        assert!(
            prompt_names(&connect(mr_only.to_vec()).await)
                .await
                .is_empty()
        );
        assert!(prompt_names(&connect(Vec::new()).await).await.is_empty());

        // Every prompt and every argument says what it is for.
        for p in both.list_all_prompts().await.unwrap() {
            assert!(
                p.description.as_deref().is_some_and(|d| d.len() > 20),
                "{p:?}"
            );
            assert!(p.title.is_some(), "{p:?}");
            for a in p.arguments.clone().unwrap_or_default() {
                assert!(
                    a.description.as_deref().is_some_and(|d| d.len() > 10),
                    "{p:?}"
                );
            }
        }
        let info = both.peer_info().expect("server info");
        let caps = &info.capabilities;
        assert!(caps.prompts.is_some() && caps.resources.is_some() && caps.completions.is_some());
    }
}

#[tokio::test]
async fn a_mind_prompt_is_unknown_to_a_request_without_a_mind_reasoner_key() {
    let app = spawn_app().await;
    let gong = app.client_with(&gong_a()).await;
    let err = mcp_error(
        get_prompt(
            &gong,
            "create_mind_from_call",
            json!({"callId": "1", "speaker": "a@b.c"}),
        )
        .await,
    );
    assert_eq!(err.code, ErrorCode::INVALID_PARAMS);
    assert!(
        err.message
            .contains("Unknown prompt `create_mind_from_call`")
            && err.message.contains("recent_calls"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn each_prompt_renders_with_and_without_optional_arguments_naming_only_visible_tools() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let call = &ws.calls[0];
    let all_tools = tool_names(&app.client_with(&gong_and_mind_a()).await).await;
    let cases: &[(&str, Value, Value, &[&str])] = &[
        (
            "recent_calls",
            json!({}),
            json!({"days": "14", "scope": "external"}),
            &["\"scope\":\"External\"", "last 14 days"],
        ),
        (
            "analyze_call_patterns",
            json!({}),
            json!({"fromDate": "2026-09-01", "toDate": "2026-10-01", "query": "renewal"}),
            &[
                "\"fromDate\":\"2026-09-01\"",
                "\"toDate\":\"2026-10-01\"",
                "\"query\":\"renewal\"",
            ],
        ),
        (
            "create_mind_from_call",
            json!({"query": "renewal", "speaker": "pat@example.com"}),
            json!({"callId": call.id, "speaker": "pat@example.com"}),
            &[
                &format!("\"callIds\":[\"{}\"]", call.id),
                "\"speaker\":\"pat@example.com\"",
            ],
        ),
        (
            "bulk_mind_creation",
            json!({}),
            json!({"fromDate": "2026-09-01", "toDate": "2026-10-01", "minTalkMinutes": "30", "affiliation": "INTERNAL"}),
            &[
                "\"minTalkSeconds\":1800",
                "\"affiliation\":\"Internal\"",
                "\"fromDate\":\"2026-09-01\"",
            ],
        ),
    ];
    for (headers, expect_visible) in [(gong_a(), 2), (gong_and_mind_a(), 4)] {
        let client = app.client_with(&headers).await;
        let visible = tool_names(&client).await;
        let mut rendered = 0;
        for (name, minimal, full, needles) in cases {
            let listed = prompt_names(&client).await;
            if !listed.iter().any(|n| n == name) {
                continue;
            }
            for (args, needles) in [(minimal, &[][..]), (full, *needles)] {
                let result = get_prompt(&client, name, args.clone())
                    .await
                    .unwrap_or_else(|e| panic!("{name} {args}: {e}"));
                let text = prompt_text(&result);
                let named = tools_named(&text, &all_tools);
                assert!(
                    named.iter().any(|t| t.starts_with("gong_")),
                    "{name} {args} names no Gong tool:\n{text}"
                );
                let hidden: Vec<&String> = named.difference(&visible).collect();
                assert!(
                    hidden.is_empty(),
                    "{name} names tools this caller cannot see: {hidden:?}\n{text}"
                );
                for needle in needles {
                    assert!(
                        text.contains(needle),
                        "{name} {args}: no {needle} in\n{text}"
                    );
                }
            }
            rendered += 1;
        }
        assert_eq!(rendered, expect_visible);
    }
    // The mind prompts lead to create_mind_from_calls.
    let both = app.client_with(&gong_and_mind_a()).await;
    let text = prompt_text(
        &get_prompt(&both, "bulk_mind_creation", json!({}))
            .await
            .unwrap(),
    );
    for tool in [
        "gong_list_speakers",
        "create_mind_from_calls",
        "get_snapshot_status",
    ] {
        assert!(tools_named(&text, &all_tools).contains(tool), "{text}");
    }
}

#[tokio::test]
async fn bad_prompt_arguments_are_clear_errors() {
    let app = spawn_app().await;
    let client = app.client_with(&gong_and_mind_a()).await;
    for (name, args, needle) in [
        (
            "recent_calls",
            json!({"days": "0"}),
            "`days`: must be a whole number from 1 to 90",
        ),
        ("recent_calls", json!({"days": "a week"}), "got 'a week'"),
        (
            "recent_calls",
            json!({"scope": "Partners"}),
            "`scope`: must be one of External, Internal, Unknown",
        ),
        (
            "recent_calls",
            json!({"limit": "5"}),
            "has no argument `limit`; its arguments: days, scope",
        ),
        (
            "analyze_call_patterns",
            json!({"fromDate": "last spring"}),
            "fromDate",
        ),
        (
            "analyze_call_patterns",
            json!({"fromDate": "2026-10-02", "toDate": "2026-10-01"}),
            "must be before toDate",
        ),
        (
            "create_mind_from_call",
            json!({"callId": "1"}),
            "`speaker`: is required",
        ),
        (
            "create_mind_from_call",
            json!({"speaker": "pat@example.com"}),
            "give callId",
        ),
        (
            "create_mind_from_call",
            json!({"callId": "abc", "speaker": "x"}),
            "must be a Gong call id",
        ),
        (
            "bulk_mind_creation",
            json!({"minTalkMinutes": "-5"}),
            "`minTalkMinutes`",
        ),
        (
            "bulk_mind_creation",
            json!({"affiliation": "Friends"}),
            "`affiliation`: must be one of",
        ),
        (
            "no_such_prompt",
            json!({}),
            "Unknown prompt `no_such_prompt`",
        ),
    ] {
        let err = mcp_error(get_prompt(&client, name, args.clone()).await);
        assert_eq!(err.code, ErrorCode::INVALID_PARAMS, "{name} {args}");
        assert!(
            err.message.contains(needle),
            "{name} {args}: {}",
            err.message
        );
    }
}

#[tokio::test]
async fn completions_come_from_the_callers_own_tenant() {
    let app = spawn_app().await;
    let ws_a = app.gong.workspace(A_KEY).unwrap();
    let ws_b = app.gong.workspace(B_KEY).unwrap();
    let a = app.client_with(&gong_and_mind_a()).await;
    let b = app.client_with(&gong_and_mind_b()).await;

    // speaker: the emails of the call's participants, narrowed by what was typed.
    let call = ws_a
        .calls
        .iter()
        .find(|c| {
            c.parties
                .iter()
                .filter(|p| p.email_address.is_some())
                .count()
                >= 2
        })
        .unwrap();
    let emails: Vec<String> = call
        .parties
        .iter()
        .filter_map(|p| p.email_address.clone())
        .collect();
    let context = |id: &str| {
        Some(CompletionContext::with_arguments(HashMap::from([(
            "callId".to_owned(),
            id.to_owned(),
        )])))
    };
    let all = a
        .complete_prompt_argument("create_mind_from_call", "speaker", "", context(&call.id))
        .await
        .unwrap();
    let got: BTreeSet<&String> = all.values.iter().collect();
    let want: BTreeSet<&String> = emails.iter().collect();
    assert_eq!(got, want);
    let typed: String = emails[0].chars().take(3).collect();
    let narrowed = a
        .complete_prompt_argument(
            "create_mind_from_call",
            "speaker",
            &typed,
            context(&call.id),
        )
        .await
        .unwrap();
    assert!(narrowed.values.contains(&emails[0]), "{narrowed:?}");
    assert!(
        narrowed
            .values
            .iter()
            .all(|v| v.to_lowercase().contains(&typed.to_lowercase()))
    );
    // Tenant B names A's call id: it resolves in B's own Gong (the synthetic tenants number
    // their calls alike), so B gets its own call's people and none of A's.
    let other = b
        .complete_prompt_argument("create_mind_from_call", "speaker", "", context(&call.id))
        .await
        .unwrap();
    let b_emails: BTreeSet<String> = ws_b
        .call(&call.id)
        .map(|c| {
            c.parties
                .iter()
                .filter_map(|p| p.email_address.clone())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        other.values.iter().cloned().collect::<BTreeSet<_>>(),
        b_emails
    );
    assert!(
        other.values.iter().all(|v| !emails.contains(v)),
        "{other:?}"
    );

    // query: titles of the tenant's recent calls.
    let titles_a: BTreeSet<&str> = ws_a.calls.iter().map(|c| c.title.as_str()).collect();
    let titles_b: BTreeSet<&str> = ws_b.calls.iter().map(|c| c.title.as_str()).collect();
    let only_b: BTreeSet<&str> = titles_b.difference(&titles_a).copied().collect();
    assert!(!only_b.is_empty());
    let titles = a
        .complete_prompt_argument("analyze_call_patterns", "query", "", None)
        .await
        .unwrap();
    assert!(!titles.values.is_empty());
    assert!(titles.values.len() <= 100);
    for t in &titles.values {
        assert!(
            titles_a.contains(t.as_str()),
            "{t} is not a title of tenant A"
        );
        assert!(!only_b.contains(t.as_str()), "{t} is tenant B's");
    }
    let word = titles.values[0]
        .split_whitespace()
        .next()
        .unwrap()
        .to_lowercase();
    let narrowed = a
        .complete_prompt_argument("analyze_call_patterns", "query", &word, None)
        .await
        .unwrap();
    assert!(
        narrowed
            .values
            .iter()
            .all(|t| t.to_lowercase().contains(&word))
    );
    assert!(narrowed.values.contains(&titles.values[0]));

    // Fixed choices need no Gong request.
    let scope = a
        .complete_prompt_argument("recent_calls", "scope", "ex", None)
        .await
        .unwrap();
    assert_eq!(scope.values, ["External"]);

    // The {callId} of a resource template: the tenant's own recent call ids.
    let ids = a
        .complete_resource_argument("gong://calls/{callId}", "callId", "", None)
        .await
        .unwrap();
    let recent_a = crate::resources::newest_ids(&ws_a);
    assert_eq!(
        ids.values,
        recent_a.into_iter().take(100).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn completing_an_argument_of_an_unknown_prompt_is_an_error() {
    let app = spawn_app().await;
    let client = app.client_with(&gong_a()).await;
    let err = client
        .complete_prompt_argument("test_prompt_with_arguments", "arg1", "te", None)
        .await
        .unwrap_err();
    let ServiceError::McpError(err) = err else {
        panic!("{err:?}")
    };
    assert_eq!(err.code, ErrorCode::INVALID_PARAMS);
    assert!(err.message.contains("Unknown prompt"), "{}", err.message);
}
