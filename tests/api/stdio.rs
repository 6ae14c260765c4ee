//! `gong-mcp stdio` as a local client runs it: the real binary, credentials from the environment.

use gong_mcp::demo::DemoGong;
use rmcp::ServiceExt;
use rmcp::model::ClientConfig;
use rmcp::transport::TokioChildProcess;
use serde_json::json;
use tokio::process::Command;

use crate::helpers::*;

async fn stdio_client(gong: &DemoGong, creds: Option<(&str, &str)>) -> McpClient {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gong-mcp"));
    cmd.arg("stdio")
        .env("GONG_BASE_URL", gong.base_url())
        .env_remove("GONG_ACCESS_KEY")
        .env_remove("GONG_ACCESS_SECRET")
        .env("RUST_LOG", child_rust_log("warn"));
    if let Some((k, s)) = creds {
        cmd.env("GONG_ACCESS_KEY", k).env("GONG_ACCESS_SECRET", s);
    }
    // stderr (logs) goes to the suite's trace log when it is captured.
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
async fn stdio_lists_and_calls_tools_with_credentials_from_the_environment() {
    let gong = DemoGong::spawn(two_tenants()).await.unwrap();
    let client = stdio_client(&gong, Some((A_KEY, A_SECRET))).await;
    assert_eq!(client.list_all_tools().await.unwrap().len(), 3);
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
