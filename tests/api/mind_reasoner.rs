//! Mind Reasoner's eight tools through the real server and rmcp's client, against the synthetic
//! Mind Reasoner: visibility by key, the whole training chain, tenant isolation, the Bearer rule,
//! the upload allow-list, and every failure mode as a clear tool error.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use gong_mcp::fakes::mind_reasoner::{FakeMindReasonerConfig, MrEndpoint, MrFault};
use serde_json::{Value, json};
use sha2::Digest;

use crate::helpers::*;

const MR_TOOLS: [&str; 8] = [
    "create_mind",
    "create_snapshot",
    "get_all_minds",
    "get_signed_upload_url",
    "get_snapshot_status",
    "search_minds",
    "simulate",
    "upload_file_to_signed_url",
];

const VTT: &str = "WEBVTT\n\nNOTE call 1\n\n00:00:01.000 --> 00:00:04.000\n<v Ada Lovelace>Our onboarding takes six weeks and the pricing page confuses buyers.\n\n00:00:05.000 --> 00:00:09.000\n<v Ada Lovelace>We would pilot if integration with Salesforce is included.\n";

async fn mr_client(app: &TestApp, key: &str) -> McpClient {
    app.client_with(&[("x-mind-reasoner-api-key", key)]).await
}

/// create_mind → get_signed_upload_url → upload (content) → create_snapshot; returns
/// (mind id, twin id, snapshot id, artifact id).
async fn train(client: &McpClient, name: &str, vtt: &str) -> (String, String, String, String) {
    let created = structured(&call(client, "create_mind", json!({"name": name})).await);
    let mind = created["mindId"].as_str().unwrap().to_owned();
    let twin = created["digitalTwinId"].as_str().unwrap().to_owned();
    let signed = structured(
        &call(
            client,
            "get_signed_upload_url",
            json!({"mindId": mind, "fileName": "call.vtt"}),
        )
        .await,
    );
    let artifact = signed["artifactId"].as_str().unwrap().to_owned();
    let uploaded = structured(
        &call(
            client,
            "upload_file_to_signed_url",
            json!({"signedUrl": signed["signedUrl"], "contentType": "text/vtt", "content": vtt}),
        )
        .await,
    );
    assert_eq!(uploaded["uploadedBytes"], vtt.len());
    let snapshot = structured(
        &call(
            client,
            "create_snapshot",
            json!({"mindId": mind, "digitalTwinId": twin, "artifactId": artifact}),
        )
        .await,
    );
    let snapshot_id = snapshot["snapshotId"].as_str().unwrap().to_owned();
    (mind, twin, snapshot_id, artifact)
}

#[tokio::test]
async fn tools_are_listed_by_the_keys_a_request_carries() {
    let app = spawn_app().await;
    let gong_only = app.client(A_KEY, A_SECRET).await;
    let mr_only = mr_client(&app, MR_KEY_A).await;
    let both = app
        .client_with(&[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("X-Mind-Reasoner-Api-Key", MR_KEY_A),
        ])
        .await;
    let none = app.client_with(&[]).await;
    let names = tool_names(&gong_only).await;
    assert!(names.iter().all(|n| n.starts_with("gong_")), "{names:?}");
    assert_eq!(tool_names(&mr_only).await, MR_TOOLS);
    // The Gong tools, Mind Reasoner's, and create_mind_from_calls (which needs both).
    assert_eq!(tool_names(&both).await.len(), 4 + MR_TOOLS.len() + 1);
    assert!(tool_names(&none).await.is_empty());
    // Calling without a key names the header; nothing reaches Mind Reasoner.
    let result = call(&gong_only, "get_all_minds", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("X-Mind-Reasoner-Api-Key"),
        "{}",
        text(&result)
    );
    assert_eq!(app.mr.stats().total(), 0);
}

#[tokio::test]
async fn the_whole_chain_trains_a_mind_that_then_simulates() {
    let app = spawn_app().await;
    let client = mr_client(&app, MR_KEY_A).await;
    let (mind, _twin, snapshot, artifact) = train(&client, "Ada Lovelace", VTT).await;
    // The bytes the synthetic Mind Reasoner stored are the bytes sent.
    let (stored, content_type) = app.mr.artifact(MR_KEY_A, &artifact).expect("stored");
    assert_eq!(stored, VTT.as_bytes());
    assert_eq!(content_type, "text/vtt");
    // waitSeconds waits on the server until training ends.
    let status = structured(
        &call(
            &client,
            "get_snapshot_status",
            json!({"mindId": mind, "snapshotId": snapshot, "waitSeconds": 10}),
        )
        .await,
    );
    assert_eq!(status["status"], "completed", "{status}");
    assert!(status["next"].as_str().unwrap().contains("simulate"));
    let sim = call(
        &client,
        "simulate",
        json!({"mindId": mind, "message": "Would a Salesforce integration change your mind?"}),
    )
    .await;
    let out = structured(&sim);
    assert_eq!(out["model"], "mind-reasoner-pro");
    let response = out["response"].as_str().unwrap();
    assert!(response.contains("Salesforce"), "{response}");
    assert!(text(&sim).contains(response));
    // The mind is listed as trained, and found by a partial, case-insensitive search.
    let found = structured(&call(&client, "search_minds", json!({"query": "lovel"})).await);
    let minds = found["minds"].as_array().unwrap();
    assert_eq!(minds.len(), 1, "{found}");
    assert_eq!(minds[0]["id"], mind.as_str());
    assert_eq!(minds[0]["trained"], true);
}

#[tokio::test]
async fn two_tenants_minds_never_mix() {
    let app = spawn_app().await;
    let a = mr_client(&app, MR_KEY_A).await;
    let b = mr_client(&app, MR_KEY_B).await;
    let created = structured(&call(&a, "create_mind", json!({"name": "Only In Northwind"})).await);
    let mind = created["mindId"].as_str().unwrap();
    let b_list = structured(&call(&b, "get_all_minds", json!({})).await);
    assert!(
        !b_list.to_string().contains("Only In Northwind"),
        "{b_list}"
    );
    let result = call(&b, "get_signed_upload_url", json!({"mindId": mind})).await;
    assert!(is_error(&result));
    assert!(text(&result).contains("found no mind"), "{}", text(&result));
    let a_list = structured(&call(&a, "search_minds", json!({"query": "only in"})).await);
    assert_eq!(a_list["total"], 1);
}

#[tokio::test]
async fn without_server_tokens_a_bearer_is_the_mind_reasoner_key_and_the_header_wins() {
    let app = spawn_app().await;
    let bearer = app
        .client_with(&[("authorization", &format!("Bearer {MR_KEY_B}"))])
        .await;
    assert_eq!(tool_names(&bearer).await, MR_TOOLS);
    call(&bearer, "create_mind", json!({"name": "Via Bearer"})).await;
    assert!(
        app.mr
            .minds(MR_KEY_B)
            .iter()
            .any(|m| m["name"] == "Via Bearer")
    );
    let both = app
        .client_with(&[
            ("authorization", &format!("Bearer {MR_KEY_B}")),
            ("x-mind-reasoner-api-key", MR_KEY_A),
        ])
        .await;
    call(&both, "create_mind", json!({"name": "Via Header"})).await;
    assert!(
        app.mr
            .minds(MR_KEY_A)
            .iter()
            .any(|m| m["name"] == "Via Header")
    );
    assert!(
        !app.mr
            .minds(MR_KEY_B)
            .iter()
            .any(|m| m["name"] == "Via Header")
    );
}

#[tokio::test]
async fn with_server_tokens_the_bearer_is_this_servers_and_never_reaches_mind_reasoner() {
    let token = "server-token-Tt9";
    let dir = std::env::temp_dir().join(format!("gong-mcp-mr-tokens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tokens");
    std::fs::write(
        &file,
        format!("{:x}\n", sha2::Sha256::digest(token.as_bytes())),
    )
    .unwrap();
    let app = spawn_app_with(
        two_tenants(),
        &["--auth-tokens-file", file.to_str().unwrap()],
    )
    .await;
    let client = app
        .client_with(&[("authorization", &format!("Bearer {token}"))])
        .await;
    assert!(
        tool_names(&client).await.is_empty(),
        "the token is no Mind Reasoner key"
    );
    let result = call(&client, "get_all_minds", json!({})).await;
    assert!(is_error(&result));
    assert_eq!(app.mr.stats().total(), 0, "nothing reached Mind Reasoner");
    let with_key = app
        .client_with(&[
            ("authorization", &format!("Bearer {token}")),
            ("x-mind-reasoner-api-key", MR_KEY_A),
        ])
        .await;
    let minds = call(&with_key, "get_all_minds", json!({})).await;
    assert!(!is_error(&minds), "{}", text(&minds));
    let _ = std::fs::remove_dir_all(dir);
}

/// A TCP listener that counts the connections made to it.
async fn canary() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((_socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    (format!("http://{addr}"), hits)
}

#[tokio::test]
async fn uploads_go_only_to_allowed_hosts_and_nothing_is_sent_otherwise() {
    let app = spawn_app().await;
    let client = mr_client(&app, MR_KEY_A).await;
    let (canary_origin, hits) = canary().await;
    for url in [
        format!("{canary_origin}/bucket/object.vtt?X-Goog-Signature=abc"),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        format!(
            "{}/x.vtt",
            app.mr
                .storage_origin()
                .replace("http://", "http://user:pw@")
        ),
        "file:///etc/passwd".to_owned(),
    ] {
        let result = call(
            &client,
            "upload_file_to_signed_url",
            json!({"signedUrl": url, "contentType": "text/vtt", "content": VTT}),
        )
        .await;
        assert!(is_error(&result), "{url}");
        assert!(
            text(&result).contains("Refused to upload"),
            "{}",
            text(&result)
        );
        assert!(text(&result).contains("nothing was sent"));
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the canary saw a connection"
    );
    assert_eq!(app.mr.stats().requests(None, MrEndpoint::StorageUpload), 0);
}

#[tokio::test]
async fn bad_files_are_refused_before_any_byte_is_sent() {
    let app = spawn_app_with(two_tenants(), &["--max-body-bytes", "200000"]).await;
    let client = mr_client(&app, MR_KEY_A).await;
    let mind = structured(&call(&client, "create_mind", json!({"name": "Files"})).await)["mindId"]
        .as_str()
        .unwrap()
        .to_owned();
    let signed = structured(
        &call(
            &client,
            "get_signed_upload_url",
            json!({"mindId": mind, "fileName": "a.vtt"}),
        )
        .await,
    );
    let url = signed["signedUrl"].clone();
    let cases = [
        (
            json!({"signedUrl": url, "contentType": "text/vtt", "filePath": "/etc/hostname"}),
            "filePath works only",
        ),
        (
            json!({"signedUrl": url, "contentType": "text/plain", "content": VTT}),
            "contentType must be one of",
        ),
        (
            json!({"signedUrl": url, "contentType": "text/vtt", "content": "just words"}),
            "WEBVTT",
        ),
        (
            json!({"signedUrl": url, "contentType": "text/vtt", "content": ""}),
            "empty",
        ),
        (
            json!({"signedUrl": url, "contentType": "application/pdf", "content": "%PDF-1.4"}),
            "contentBase64",
        ),
        (
            json!({"signedUrl": url, "contentType": "text/vtt"}),
            "exactly one of",
        ),
        (
            json!({"signedUrl": url, "contentType": "application/pdf", "contentBase64": "***"}),
            "not valid base64",
        ),
    ];
    for (args, expected) in cases {
        let result = call(&client, "upload_file_to_signed_url", args.clone()).await;
        assert!(is_error(&result), "{expected}");
        assert!(
            text(&result).contains(expected),
            "{expected}: {}",
            text(&result)
        );
    }
    // Over HTTP a file larger than the body limit never arrives: HTTP 413 before any tool runs.
    let big = format!("WEBVTT\n\n{}", "x".repeat(250_000));
    let oversized = client
        .call_tool(
            rmcp::model::CallToolRequestParams::new("upload_file_to_signed_url").with_arguments(
                json!({"signedUrl": url, "contentType": "text/vtt", "content": big})
                    .as_object()
                    .unwrap()
                    .clone(),
            ),
        )
        .await;
    assert!(oversized.is_err(), "the oversized body was accepted");
    assert_eq!(app.mr.stats().requests(None, MrEndpoint::StorageUpload), 0);
}

#[tokio::test]
async fn a_tampered_or_mistyped_signed_url_is_refused_by_the_storage_with_the_fix() {
    let app = spawn_app().await;
    let client = mr_client(&app, MR_KEY_A).await;
    let mind = structured(&call(&client, "create_mind", json!({"name": "Sig"})).await)["mindId"]
        .as_str()
        .unwrap()
        .to_owned();
    let signed = structured(
        &call(
            &client,
            "get_signed_upload_url",
            json!({"mindId": mind, "fileName": "a.vtt"}),
        )
        .await,
    );
    let url = signed["signedUrl"].as_str().unwrap();
    let tampered = url.replace("X-Goog-Signature=", "X-Goog-Signature=00");
    let result = call(
        &client,
        "upload_file_to_signed_url",
        json!({"signedUrl": tampered, "contentType": "text/vtt", "content": VTT}),
    )
    .await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("SignatureDoesNotMatch"),
        "{}",
        text(&result)
    );
    // The key never travels to the storage.
    assert_eq!(app.mr.stats().storage_requests_with_authorization(), 0);
}

fn assert_error_contains(result: &rmcp::model::CallToolResult, parts: &[&str]) {
    assert!(is_error(result), "expected an error: {}", text(result));
    for part in parts {
        assert!(
            text(result).contains(part),
            "missing {part:?} in: {}",
            text(result)
        );
    }
}

#[tokio::test]
async fn mind_reasoner_failures_are_clear_tool_errors() {
    let app = spawn_app().await;
    let client = mr_client(&app, MR_KEY_A).await;
    let faults = app.mr.faults();

    // 401: the key is wrong.
    let wrong = mr_client(&app, "mr-wrong-key-Zz0").await;
    let result = call(&wrong, "get_all_minds", json!({})).await;
    assert_error_contains(&result, &["HTTP 401", "check the Mind Reasoner API key"]);

    // 400 with Mind Reasoner's own message.
    let result = call(
        &client,
        "simulate",
        json!({"mindId": "nope", "message": "hi", "model": "mind-reasoner-ultra"}),
    )
    .await;
    assert_error_contains(&result, &["model must be one of"]);
    faults.push(
        Some(MrEndpoint::CreateMind),
        MrFault::Status {
            status: 400,
            body: r#"{"error":"Bad Request","message":"name contains forbidden words","code":"VALIDATION","details":null}"#.into(),
            content_type: "application/json",
        },
        1,
    );
    let result = call(&client, "create_mind", json!({"name": "x"})).await;
    assert_error_contains(&result, &["HTTP 400", "name contains forbidden words"]);

    // 404: an unknown snapshot.
    let result = call(
        &client,
        "get_snapshot_status",
        json!({"mindId": "m-x", "snapshotId": "s-x"}),
    )
    .await;
    assert_error_contains(&result, &["found no", "s-x"]);

    // 413.
    faults.push(
        Some(MrEndpoint::SignedUrl),
        MrFault::Status {
            status: 413,
            body: r#"{"error":"Payload Too Large","message":"too big","code":"TOO_LARGE","details":null}"#.into(),
            content_type: "application/json",
        },
        1,
    );
    let minds = app.mr.minds(MR_KEY_A);
    let some_mind = minds[0]["id"].as_str().unwrap().to_owned();
    let result = call(
        &client,
        "get_signed_upload_url",
        json!({"mindId": some_mind}),
    )
    .await;
    assert_error_contains(&result, &["HTTP 413"]);

    // 429 within the deadline: waited for and retried, the answer arrives.
    faults.push(
        Some(MrEndpoint::ListMinds),
        MrFault::TooManyRequests {
            retry_after_secs: 1,
        },
        1,
    );
    let result = call(&client, "get_all_minds", json!({})).await;
    assert!(!is_error(&result), "{}", text(&result));
    // 429 beyond the deadline: a quick error with the time, and the whole tenant (only that
    // one) holds its requests until then.
    let other = mr_client(&app, MR_KEY_B).await;
    faults.push_for(
        Some(MR_KEY_B),
        Some(MrEndpoint::ListMinds),
        MrFault::TooManyRequests {
            retry_after_secs: 3600,
        },
        1,
    );
    let result = call(&other, "get_all_minds", json!({})).await;
    assert_error_contains(&result, &["Rate limit exceeded", "retry after 3600 s"]);
    let held = call(&other, "search_minds", json!({"query": "a"})).await;
    assert_error_contains(&held, &["Rate limit exceeded", "retry after 3"]);
    let requests_of_b = app
        .mr
        .stats()
        .requests(Some(MR_KEY_B), MrEndpoint::ListMinds);
    assert_eq!(requests_of_b, 1, "the held request was not sent");

    // A 5xx on a read is retried.
    faults.push(Some(MrEndpoint::ListMinds), MrFault::ServerError, 1);
    let result = call(&client, "get_all_minds", json!({})).await;
    assert!(!is_error(&result), "{}", text(&result));

    // A 5xx on a create is not retried: the answer says it may have happened and how to check,
    // and exactly one mind exists (the fake created it before failing).
    let before = app.mr.minds(MR_KEY_A).len();
    faults.push(Some(MrEndpoint::CreateMind), MrFault::AfterEffect500, 1);
    let result = call(&client, "create_mind", json!({"name": "Maybe Made"})).await;
    assert_error_contains(
        &result,
        &["may or may not have happened", "search_minds", "Maybe Made"],
    );
    let after = app.mr.minds(MR_KEY_A);
    assert_eq!(after.len(), before + 1, "one mind, not a retried duplicate");

    // An unreadable answer and a proxy's HTML page are described, never echoed.
    faults.push(Some(MrEndpoint::ListMinds), MrFault::InvalidJson, 5);
    let result = call(&client, "get_all_minds", json!({})).await;
    assert_error_contains(&result, &["could not be read"]);
    faults.clear();
    faults.push(
        Some(MrEndpoint::SignedUrl),
        MrFault::HtmlError { status: 418 },
        1,
    );
    let result = call(
        &client,
        "get_signed_upload_url",
        json!({"mindId": some_mind}),
    )
    .await;
    assert_error_contains(&result, &["HTTP 418", "non-JSON response"]);
    assert!(!text(&result).contains('<'), "{}", text(&result));
    assert!(
        faults.fired() >= 8,
        "the scripted faults fired: {}",
        faults.fired()
    );
}

#[tokio::test]
async fn a_slow_mind_reasoner_is_a_deadline_error_and_a_slow_create_is_uncertain() {
    let app = spawn_app_with(two_tenants(), &["--tool-timeout", "2"]).await;
    let client = mr_client(&app, MR_KEY_A).await;
    app.mr.faults().push(
        Some(MrEndpoint::ListMinds),
        MrFault::Delay(Duration::from_secs(5)),
        1,
    );
    let result = call(&client, "get_all_minds", json!({})).await;
    assert_error_contains(&result, &["deadline of 2 s"]);
    app.mr.faults().push(
        Some(MrEndpoint::CreateMind),
        MrFault::Delay(Duration::from_secs(5)),
        1,
    );
    let result = call(&client, "create_mind", json!({"name": "Slow"})).await;
    assert!(is_error(&result));
    let msg = text(&result);
    assert!(
        msg.contains("may or may not have happened") || msg.contains("deadline of 2 s"),
        "{msg}"
    );
}

#[tokio::test]
async fn a_failed_training_says_what_to_do() {
    let app = spawn_app().await;
    let client = mr_client(&app, MR_KEY_A).await;
    // A header and no cue: valid enough to upload, not to train on.
    let (mind, _, snapshot, _) = train(&client, "Empty Talker", "WEBVTT\n\n").await;
    let status = structured(
        &call(
            &client,
            "get_snapshot_status",
            json!({"mindId": mind, "snapshotId": snapshot, "waitSeconds": 10}),
        )
        .await,
    );
    assert_eq!(status["status"], "failed", "{status}");
    assert!(status["next"].as_str().unwrap().contains("Upload a valid"));
    let sim = call(
        &client,
        "simulate",
        json!({"mindId": mind, "message": "hello?"}),
    )
    .await;
    assert_error_contains(&sim, &["HTTP 400"]);
}

#[tokio::test]
async fn snapshot_status_without_wait_answers_at_once_with_when_to_ask_again() {
    let app = spawn_app_full(
        two_tenants(),
        FakeMindReasonerConfig {
            snapshot_step: Duration::from_secs(600),
            ..two_mind_reasoner_tenants()
        },
        &[],
    )
    .await;
    let client = mr_client(&app, MR_KEY_A).await;
    let (mind, _, snapshot, _) = train(&client, "Slow Learner", VTT).await;
    let status: Value = structured(
        &call(
            &client,
            "get_snapshot_status",
            json!({"mindId": mind, "snapshotId": snapshot}),
        )
        .await,
    );
    assert_eq!(status["status"], "pending");
    assert_eq!(status["waitedSeconds"], 0);
    assert_eq!(status["pollAgainInSeconds"], 30);
    let bad = call(
        &client,
        "get_snapshot_status",
        json!({"mindId": mind, "snapshotId": snapshot, "waitSeconds": 26}),
    )
    .await;
    assert_error_contains(&bad, &["waitSeconds must be 0-25"]);
}

#[tokio::test]
async fn mind_reasoner_tool_definitions_are_stable() {
    let app = spawn_app().await;
    let client = mr_client(&app, MR_KEY_A).await;
    let mut tools = client.list_all_tools().await.unwrap();
    tools.sort_by(|a, b| a.name.cmp(&b.name));
    for tool in tools {
        let annotations = tool.annotations.clone().expect("annotations");
        assert_eq!(annotations.open_world_hint, Some(true));
        assert!(
            tool.output_schema.is_some(),
            "{} has an output schema",
            tool.name
        );
        insta::assert_json_snapshot!(format!("mind_reasoner_{}", tool.name), tool);
    }
}

#[tokio::test]
async fn metrics_never_carry_the_key() {
    let app = spawn_app().await;
    let client = mr_client(&app, MR_KEY_A).await;
    call(&client, "get_all_minds", json!({})).await;
    let metrics = metrics_text(app.addr).await;
    assert!(
        metrics.contains("mind_reasoner_requests_total"),
        "{metrics}"
    );
    assert!(!metrics.contains(MR_KEY_A));
}
