//! `gong-mcp stdio` as a local client runs it: the real binary, credentials from the environment.

use gong_mcp::demo::DemoGong;
use rmcp::ServiceExt;
use rmcp::model::ClientConfig;
use rmcp::transport::TokioChildProcess;
use serde_json::json;
use tokio::process::Command;

use crate::helpers::*;

async fn stdio_client(gong: &DemoGong, creds: Option<(&str, &str)>) -> McpClient {
    stdio_with(|cmd| {
        cmd.env("GONG_BASE_URL", gong.base_url());
        if let Some((k, s)) = creds {
            cmd.env("GONG_ACCESS_KEY", k).env("GONG_ACCESS_SECRET", s);
        }
    })
    .await
}

#[tokio::test]
async fn stdio_lists_and_calls_tools_with_credentials_from_the_environment() {
    let gong = DemoGong::spawn(two_tenants()).await.unwrap();
    let client = stdio_client(&gong, Some((A_KEY, A_SECRET))).await;
    assert_eq!(client.list_all_tools().await.unwrap().len(), 4);
    let result = call(&client, "gong_list_calls", json!({"limit": 3})).await;
    assert_eq!(structured(&result)["calls"].as_array().unwrap().len(), 3);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn stdio_without_credentials_hides_tools_and_names_the_env_vars() {
    let gong = DemoGong::spawn(two_tenants()).await.unwrap();
    let client = stdio_client(&gong, None).await;
    assert!(client.list_all_tools().await.unwrap().is_empty());
    let result = call(&client, "gong_list_calls", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("GONG_ACCESS_KEY and GONG_ACCESS_SECRET"),
        "{}",
        text(&result)
    );
    client.cancel().await.unwrap();
}

/// `gong-mcp stdio` with no credentials in its environment but what `configure` sets; its
/// stderr (logs) goes to the suite's trace log when it is captured.
async fn stdio_with(configure: impl FnOnce(&mut Command)) -> McpClient {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gong-mcp"));
    cmd.arg("stdio")
        .env_remove("GONG_ACCESS_KEY")
        .env_remove("GONG_ACCESS_SECRET")
        .env_remove("MIND_REASONER_API_KEY")
        .env("RUST_LOG", child_rust_log("warn"));
    configure(&mut cmd);
    let (transport, _) = TokioChildProcess::builder(cmd)
        .stderr(child_stderr())
        .spawn()
        .expect("spawn gong-mcp stdio");
    ClientConfig::default()
        .serve(transport)
        .await
        .expect("stdio client connects")
}

#[tokio::test]
async fn stdio_trains_a_mind_from_a_local_file_and_refuses_one_too_large() {
    let mr = gong_mcp::fakes::mind_reasoner::FakeMindReasoner::spawn(two_mind_reasoner_tenants())
        .await
        .unwrap();
    let client = stdio_with(|cmd| {
        cmd.env("MIND_REASONER_API_KEY", MR_KEY_A)
            .env("MIND_REASONER_BASE_URL", mr.base_url())
            .env("MIND_REASONER_ALLOWED_UPLOAD_HOSTS", mr.storage_origin());
    })
    .await;
    assert_eq!(
        client.list_all_tools().await.unwrap().len(),
        8,
        "Mind Reasoner tools only"
    );
    let dir = std::env::temp_dir().join(format!("gong-mcp-stdio-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let vtt = dir.join("call.vtt");
    std::fs::write(
        &vtt,
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ada>Pricing is our blocker.\n",
    )
    .unwrap();
    let mind = structured(&call(&client, "create_mind", json!({"name": "Local Ada"})).await);
    let signed = structured(
        &call(
            &client,
            "get_signed_upload_url",
            json!({"mindId": mind["mindId"], "fileName": "call.vtt"}),
        )
        .await,
    );
    let uploaded = call(
        &client,
        "upload_file_to_signed_url",
        json!({"signedUrl": signed["signedUrl"], "contentType": "text/vtt", "filePath": vtt}),
    )
    .await;
    assert_eq!(
        structured(&uploaded)["uploadedBytes"],
        std::fs::metadata(&vtt).unwrap().len()
    );
    let artifact = signed["artifactId"].as_str().unwrap();
    assert!(mr.artifact(MR_KEY_A, artifact).is_some());
    // Larger than the signed-URL limit (50 MB): refused from its size, before reading or sending.
    let big = dir.join("big.vtt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(51 * 1024 * 1024)
        .unwrap();
    let result = call(
        &client,
        "upload_file_to_signed_url",
        json!({"signedUrl": signed["signedUrl"], "contentType": "text/vtt", "filePath": big}),
    )
    .await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("at most 52428800 bytes"),
        "{}",
        text(&result)
    );
    let relative = call(
        &client,
        "upload_file_to_signed_url",
        json!({"signedUrl": signed["signedUrl"], "contentType": "text/vtt", "filePath": "call.vtt"}),
    )
    .await;
    assert!(
        text(&relative).contains("absolute path"),
        "{}",
        text(&relative)
    );
    client.cancel().await.unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn stdio_demo_serves_every_tool_with_no_account() {
    let client = stdio_with(|cmd| {
        cmd.arg("--demo");
    })
    .await;
    // 4 Gong, 8 Mind Reasoner, create_mind_from_calls, 4 Fathom and 4 Fireflies tools.
    assert_eq!(client.list_all_tools().await.unwrap().len(), 21);
    let meetings = call(&client, "fireflies_list_transcripts", json!({"limit": 2})).await;
    assert_eq!(
        structured(&meetings)["transcripts"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let calls = call(&client, "gong_list_calls", json!({"limit": 2})).await;
    assert_eq!(structured(&calls)["calls"].as_array().unwrap().len(), 2);
    let minds = structured(&call(&client, "get_all_minds", json!({})).await);
    assert!(minds["total"].as_u64().unwrap() >= 1, "{minds}");
    client.cancel().await.unwrap();
}
