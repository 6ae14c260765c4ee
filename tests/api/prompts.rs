//! MCP prompts: listed by the credentials a request carries, rendered with and without their
//! optional arguments, naming only tools the caller can see; bad arguments are clear errors.

use std::collections::BTreeSet;

use rmcp::ServiceError;
use rmcp::model::{ErrorCode, GetPromptRequestParams, GetPromptResult};
use serde_json::{Value, json};

use crate::helpers::*;

const GONG_PROMPTS: [&str; 2] = ["analyze_call_patterns", "recent_calls"];
const MIND_PROMPTS: [&str; 2] = ["bulk_mind_creation", "create_mind_from_call"];

pub fn gong_a() -> Vec<(&'static str, &'static str)> {
    vec![
        ("x-gong-access-key", A_KEY),
        ("x-gong-access-secret", A_SECRET),
    ]
}

pub fn gong_and_mind_a() -> Vec<(&'static str, &'static str)> {
    let mut h = gong_a();
    h.push(("x-mind-reasoner-api-key", MR_KEY_A));
    h
}

pub fn gong_and_mind_b() -> Vec<(&'static str, &'static str)> {
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

async fn tool_set(client: &McpClient) -> BTreeSet<String> {
    tool_names(client).await.into_iter().collect()
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
    let all_tools = tool_set(&app.client_with(&gong_and_mind_a()).await).await;
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
        let visible = tool_set(&client).await;
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

/// Each JSON argument object a prompt text gives a tool, when it has no placeholder to fill:
/// `(tool, arguments)`.
fn concrete_calls(text: &str, all: &BTreeSet<String>) -> Vec<(String, Value)> {
    let re = regex::Regex::new(r"\b([a-z]+_[a-z_]+) (?:with )?\{").unwrap();
    re.captures_iter(text)
        .filter(|c| all.contains(&c[1]))
        .filter_map(|c| {
            let start = c.get(0).unwrap().end() - 1;
            let args = serde_json::Deserializer::from_str(&text[start..])
                .into_iter::<Value>()
                .next()?
                .ok()?;
            (!args.to_string().contains('<')).then(|| (c[1].to_owned(), args))
        })
        .collect()
}

#[tokio::test]
async fn fathom_and_fireflies_prompts_are_listed_by_their_own_key() {
    let app = spawn_app().await;
    for r in &crate::resources::RECORDERS[1..] {
        let alone = app.client_with(r.a).await;
        let with = |names: &[&str]| -> Vec<String> {
            let mut v: Vec<String> = names.iter().map(|n| format!("{}_{n}", r.key)).collect();
            v.sort();
            v
        };
        assert_eq!(
            prompt_names(&alone).await,
            with(&["analyze_meeting_patterns", "recent_meetings"]),
            "{}",
            r.key
        );
        let mut headers = r.a.to_vec();
        headers.push(("x-mind-reasoner-api-key", MR_KEY_A));
        let minds = app.client_with(&headers).await;
        assert_eq!(
            prompt_names(&minds).await,
            with(&[
                "analyze_meeting_patterns",
                "bulk_mind_creation",
                "create_mind_from_meeting",
                "recent_meetings"
            ]),
            "{}",
            r.key
        );
        // Arguments a provider cannot honour are not offered; the id is the provider's own.
        for p in minds.list_all_prompts().await.unwrap() {
            let args: Vec<String> = p
                .arguments
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.name)
                .collect();
            assert!(!args.contains(&"scope".to_owned()), "{}: {args:?}", p.name);
            assert!(!args.contains(&"callId".to_owned()), "{}: {args:?}", p.name);
            if p.name.ends_with("create_mind_from_meeting") {
                assert!(args.contains(&r.id_arg.to_owned()), "{args:?}");
            }
        }
    }
    // Every recorder and Mind Reasoner: four prompts each.
    let mut all: Vec<(&str, &str)> = vec![("x-mind-reasoner-api-key", MR_KEY_A)];
    for r in crate::resources::RECORDERS {
        all.extend(r.a);
    }
    assert_eq!(prompt_names(&app.client_with(&all).await).await.len(), 12);
}

#[tokio::test]
async fn every_recorders_prompts_name_its_own_tools_with_arguments_those_tools_accept() {
    let app = spawn_app().await;
    let mut everything: Vec<(&str, &str)> = vec![("x-mind-reasoner-api-key", MR_KEY_A)];
    for r in crate::resources::RECORDERS {
        everything.extend(r.a);
    }
    let all_tools = tool_set(&app.client_with(&everything).await).await;
    let shared = ["create_mind_from_calls", "get_snapshot_status", "simulate"];
    for r in crate::resources::RECORDERS {
        let mut headers = r.a.to_vec();
        headers.push(("x-mind-reasoner-api-key", MR_KEY_A));
        let client = app.client_with(&headers).await;
        let visible = tool_set(&client).await;
        let id = r.newest(&app)[0].1.clone();
        // Fireflies' prompt checks the speaker with its transcript tool: one who spoke.
        let speaker = match r.key {
            "fireflies" => app
                .fireflies
                .meetings(FIREFLIES_KEY_A)
                .iter()
                .find(|m| m.id == id)
                .unwrap()
                .sentences[0]
                .speaker_name
                .clone(),
            _ => "pat@example.com".to_owned(),
        };
        let cases = [
            ("recent_calls", json!({}), json!({"days": "14"})),
            (
                "analyze_call_patterns",
                json!({}),
                json!({"fromDate": "2026-09-01", "toDate": "2026-10-01", "query": "renewal"}),
            ),
            (
                "create_mind_from_call",
                json!({"query": "renewal", "speaker": "pat@example.com"}),
                json!({r.id_arg: id, "speaker": speaker}),
            ),
            (
                "bulk_mind_creation",
                json!({}),
                json!({"fromDate": "2026-09-01", "toDate": "2026-10-01", "minTalkMinutes": "30", "affiliation": "External"}),
            ),
        ];
        for (family, minimal, full) in cases {
            let name = match r.key {
                "gong" => family.to_owned(),
                key => format!("{key}_{}", family.replace("call", "meeting")),
            };
            for args in [minimal, full] {
                let result = get_prompt(&client, &name, args.clone())
                    .await
                    .unwrap_or_else(|e| panic!("{name} {args}: {e}"));
                let text = prompt_text(&result);
                let named = tools_named(&text, &all_tools);
                assert!(
                    named.iter().any(|t| t.starts_with(&format!("{}_", r.key))),
                    "{name} {args} names no {} tool:\n{text}",
                    r.key
                );
                for t in &named {
                    assert!(
                        visible.contains(t)
                            && (t.starts_with(&format!("{}_", r.key))
                                || shared.contains(&t.as_str())),
                        "{name} names {t}, not one of this caller's {} tools:\n{text}",
                        r.key
                    );
                }
                if family == "analyze_call_patterns" && r.key == "fireflies" {
                    assert!(text.contains("fireflies_search_transcripts"), "{text}");
                }
                if family == "create_mind_from_call" && r.key != "gong" {
                    assert!(
                        text.contains(&format!("\"source\":\"{}\"", r.key)),
                        "{text}"
                    );
                }
                // What the text tells the agent to send, the tool accepts.
                for (tool, tool_args) in concrete_calls(&text, &all_tools) {
                    if shared.contains(&tool.as_str()) {
                        continue;
                    }
                    let Value::Object(map) = tool_args.clone() else {
                        panic!("{tool_args}")
                    };
                    let result = client
                        .call_tool(
                            rmcp::model::CallToolRequestParams::new(tool.clone())
                                .with_arguments(map),
                        )
                        .await
                        .unwrap_or_else(|e| panic!("{name}: {tool} {tool_args} refused: {e}"));
                    // Refused arguments fail; a provider's rate limit on a wide scan is no
                    // fault of the text.
                    let answer = crate::helpers::text(&result);
                    assert!(
                        !(is_error(&result)
                            && (answer.contains("Invalid argument")
                                || answer.contains("deserialize"))),
                        "{name}: {tool} {tool_args}: {answer}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn fathom_and_fireflies_prompt_arguments_are_checked_as_their_tools_check_them() {
    let app = spawn_app().await;
    let [_, fathom, fireflies] = crate::resources::RECORDERS;
    for (r, name, args, needle) in [
        (
            fathom,
            "fathom_recent_meetings",
            json!({"scope": "External"}),
            "has no argument `scope`; its arguments: days",
        ),
        (
            fathom,
            "fathom_create_mind_from_meeting",
            json!({"meetingId": "abc", "speaker": "x"}),
            "must be a Fathom meeting id",
        ),
        (
            fathom,
            "fathom_create_mind_from_meeting",
            json!({"speaker": "x"}),
            "give meetingId",
        ),
        (
            fireflies,
            "fireflies_create_mind_from_meeting",
            json!({"transcriptId": "no such id", "speaker": "x"}),
            "must be a Fireflies transcript id",
        ),
        (
            fireflies,
            "fireflies_create_mind_from_meeting",
            json!({"callId": "1", "speaker": "x"}),
            "has no argument `callId`",
        ),
        (
            fireflies,
            "create_mind_from_call",
            json!({"callId": "1", "speaker": "x"}),
            "Unknown prompt `create_mind_from_call`",
        ),
    ] {
        let mut headers = r.a.to_vec();
        headers.push(("x-mind-reasoner-api-key", MR_KEY_A));
        let client = app.client_with(&headers).await;
        let err = mcp_error(get_prompt(&client, name, args.clone()).await);
        assert_eq!(err.code, ErrorCode::INVALID_PARAMS, "{name} {args}");
        assert!(
            err.message.contains(needle),
            "{name} {args}: {}",
            err.message
        );
    }
}
