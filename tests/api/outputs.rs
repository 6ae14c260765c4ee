//! What agents read, snapshot-tested on the synthetic Gong at a fixed `now` (so its data is fixed):
//! a change to any tool's text must be a deliberate one.

use chrono::{TimeZone, Utc};
use gong_mcp::demo::DemoGongConfig;
use serde_json::json;

use crate::helpers::*;

async fn fixed_app() -> TestApp {
    spawn_app_with(
        DemoGongConfig {
            now: Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap(),
            ..two_tenants()
        },
        &[],
    )
    .await
}

#[tokio::test]
async fn list_calls_text() {
    let app = fixed_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let plain = call(
        &client,
        "gong_list_calls",
        json!({"fromDate": "2026-10-05", "toDate": "2026-10-06", "limit": 4}),
    )
    .await;
    insta::assert_snapshot!("list_calls_plain", text(&plain));
    let filtered = call(
        &client,
        "gong_list_calls",
        json!({"fromDate": "2026-10-01", "toDate": "2026-10-31", "scope": "External",
               "minDuration": 1200, "includeParticipants": true, "limit": 4}),
    )
    .await;
    insta::assert_snapshot!("list_calls_filtered", text(&filtered));
    insta::assert_json_snapshot!("list_calls_filtered_structured", structured(&filtered));
}

#[tokio::test]
async fn call_details_text() {
    let app = fixed_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let external = ws
        .calls
        .iter()
        .find(|c| c.scope == "External" && c.duration > 1800 && c.content.outline.is_some())
        .unwrap();
    let client = app.client(A_KEY, A_SECRET).await;
    let all = call(
        &client,
        "gong_get_call_details",
        json!({"callId": external.id, "include": "all"}),
    )
    .await;
    insta::assert_snapshot!("call_details_all_sections", text(&all));
    let ids: Vec<&str> = ws.calls[10..13].iter().map(|c| c.id.as_str()).collect();
    let three = call(&client, "gong_get_call_details", json!({"callIds": ids})).await;
    insta::assert_snapshot!("call_details_three_default", text(&three));
    insta::assert_json_snapshot!("call_details_three_structured", structured(&three));
}

#[tokio::test]
async fn transcript_text_vtt_and_json() {
    let app = fixed_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let c = ws
        .calls
        .iter()
        .find(|c| c.scope == "External" && c.duration > 1800)
        .unwrap();
    let client = app.client(A_KEY, A_SECRET).await;
    let page = call(
        &client,
        "gong_get_transcript",
        json!({"callId": c.id, "maxChars": 3000}),
    )
    .await;
    insta::assert_snapshot!("transcript_text_page", text(&page));
    insta::assert_json_snapshot!("transcript_text_page_structured", structured(&page));
    let vtt = call(
        &client,
        "gong_get_transcript",
        json!({"callId": c.id, "format": "vtt", "maxChars": 2500, "offset": 20}),
    )
    .await;
    insta::assert_snapshot!("transcript_vtt_page", text(&vtt));
    let external = c
        .parties
        .iter()
        .find(|p| p.affiliation == "External" && p.speaker_id.is_some())
        .and_then(|p| p.email_address.clone())
        .unwrap();
    let json_page = call(
        &client,
        "gong_get_transcript",
        json!({"callId": c.id, "format": "json", "maxChars": 2500, "speaker": external, "fromSeconds": 600}),
    )
    .await;
    insta::assert_json_snapshot!("transcript_json_page", structured(&json_page));
    let unknown = call(
        &client,
        "gong_get_transcript",
        json!({"callId": c.id, "speaker": "Pat"}),
    )
    .await;
    assert!(is_error(&unknown));
    insta::assert_snapshot!("transcript_unknown_speaker", text(&unknown));
}
