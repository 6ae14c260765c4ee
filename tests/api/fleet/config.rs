//! Fleet mode's configuration: the Redis URL's password never shows, and replicas that could
//! not agree on tenant keys are refused.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::harness::Replica;

const URL_WITH_PASSWORD: &str = "rediss://app-user:redis-Pw-9f3k@127.0.0.1:1/0";

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gong-mcp"));
    cmd.env_remove("GONG_ACCESS_KEY")
        .env_remove("GONG_ACCESS_SECRET")
        .env_remove("GONG_MCP_LISTEN");
    cmd
}

#[test]
fn rediss_with_a_password_is_redacted_in_print_config() {
    let out = bin()
        .args(["serve", "--print-config"])
        .env("GONG_MCP_REDIS_URL", URL_WITH_PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let config: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        config["fleet"]["redis_url"],
        "rediss://[redacted]@127.0.0.1:1/0"
    );
    assert!(
        !text.contains("redis-Pw-9f3k") && !text.contains("app-user"),
        "{text}"
    );
}

#[test]
fn rediss_with_a_password_is_redacted_in_the_logs() {
    // Nothing listens on port 1: the server starts in fallback and says so, with the URL.
    let mut child = bin()
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("GONG_MCP_REDIS_URL", URL_WITH_PASSWORD)
        .env("GONG_MCP_TENANT_KEY_SECRET", "fleet-config-test-hmac")
        .env("RUST_LOG", "debug")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    let found = loop {
        let Some(Ok(line)) = lines.next() else {
            break None;
        };
        seen.push(line.clone());
        if line.contains("fleet mode") {
            break Some(line);
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    let line = found.unwrap_or_else(|| panic!("no fleet-mode line in {seen:#?}"));
    assert!(line.contains("rediss://[redacted]@127.0.0.1:1/0"), "{line}");
    for l in &seen {
        assert!(
            !l.contains("redis-Pw-9f3k") && !l.contains("app-user"),
            "{l}"
        );
    }
}

#[tokio::test]
async fn fleet_mode_with_a_random_tenant_key_is_refused() {
    let err = Replica::try_spawn(
        "http://127.0.0.1:9",
        &["--redis-url", "redis://127.0.0.1:1"],
    )
    .await
    .err()
    .expect("refused");
    assert!(
        err.to_string().contains("GONG_MCP_TENANT_KEY_SECRET"),
        "{err}"
    );
}
