use std::collections::HashSet;

use chrono::{Duration, SecondsFormat, Utc};
use serde_json::{Value, json};

use crate::helpers::*;

fn ids(v: &Value) -> Vec<String> {
    v["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

fn ninety_days() -> Value {
    json!({"fromDate": (Utc::now() - Duration::days(90)).format("%Y-%m-%d").to_string(), "limit": 100})
}

#[tokio::test]
async fn paging_with_next_cursor_returns_every_call_exactly_once() {
    let app = spawn_app().await;
    let truth: HashSet<String> = app
        .gong
        .workspace(A_KEY)
        .unwrap()
        .calls
        .iter()
        .map(|c| c.id.clone())
        .collect();
    assert!(
        truth.len() >= 250,
        "the synthetic workspace must have 250+ calls"
    );
    let client = app.client(A_KEY, A_SECRET).await;
    let mut seen = Vec::new();
    let mut args = ninety_days();
    let mut pages = 0;
    loop {
        let out = structured(&call(&client, "gong_list_calls", args.clone()).await);
        pages += 1;
        assert_eq!(out["totalRecords"].as_u64().unwrap() as usize, truth.len());
        seen.extend(ids(&out));
        match out.get("nextCursor").and_then(Value::as_str) {
            Some(cursor) => args = json!({"cursor": cursor, "limit": 100}),
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    let unique: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a call was returned twice");
    assert_eq!(unique, truth);
}

#[tokio::test]
async fn small_pages_cross_gong_page_boundaries_without_loss() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let mut args = json!({"fromDate": (Utc::now() - Duration::days(90)).format("%Y-%m-%d").to_string(), "limit": 37});
    let mut seen = Vec::new();
    while seen.len() < 150 {
        let out = structured(&call(&client, "gong_list_calls", args.clone()).await);
        let page = ids(&out);
        assert_eq!(page.len(), 37);
        seen.extend(page);
        args = json!({"cursor": out["nextCursor"].as_str().expect("more calls"), "limit": 37});
    }
    let ws = app.gong.workspace(A_KEY).unwrap();
    let mut truth: Vec<_> = ws.calls.iter().collect();
    truth.sort_by_key(|c| c.started);
    let truth: Vec<String> = truth
        .iter()
        .take(seen.len())
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(seen, truth, "calls come in Gong's order, none skipped");
}

#[tokio::test]
async fn a_date_filter_returns_exactly_the_calls_in_range() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let from = Utc::now() - Duration::days(20);
    let to = Utc::now() - Duration::days(10);
    let expected: HashSet<String> = ws
        .calls
        .iter()
        .filter(|c| c.started >= from && c.started < to)
        .map(|c| c.id.clone())
        .collect();
    assert!(!expected.is_empty());
    let client = app.client(A_KEY, A_SECRET).await;
    let out = structured(
        &call(
            &client,
            "gong_list_calls",
            json!({
                "fromDate": from.to_rfc3339_opts(SecondsFormat::Secs, true),
                "toDate": to.to_rfc3339_opts(SecondsFormat::Secs, true),
                "limit": 100
            }),
        )
        .await,
    );
    let got: HashSet<String> = ids(&out).into_iter().collect();
    assert_eq!(got, expected);
    assert!(out.get("nextCursor").is_none());
}

#[tokio::test]
async fn two_tenants_in_parallel_each_see_only_their_own_calls() {
    let app = spawn_app().await;
    let (a, b) = (
        app.client(A_KEY, A_SECRET).await,
        app.client(B_KEY, B_SECRET).await,
    );
    let (ra, rb) = tokio::join!(
        call(&a, "gong_list_calls", ninety_days()),
        call(&b, "gong_list_calls", ninety_days())
    );
    for (result, key) in [(ra, A_KEY), (rb, B_KEY)] {
        let out = structured(&result);
        let ws = app.gong.workspace(key).unwrap();
        for c in out["calls"].as_array().unwrap() {
            let truth = ws.call(c["id"].as_str().unwrap()).expect("own call id");
            assert_eq!(
                c["title"].as_str().unwrap(),
                truth.title,
                "tenant {key} saw another tenant's call"
            );
        }
    }
    // Same ids on both tenants, different calls: the isolation above is meaningful.
    let (wa, wb) = (
        app.gong.workspace(A_KEY).unwrap(),
        app.gong.workspace(B_KEY).unwrap(),
    );
    assert_eq!(wa.calls[0].id, wb.calls[0].id);
    assert_ne!(wa.calls[0].title, wb.calls[0].title);
}

#[tokio::test]
async fn an_empty_range_is_an_empty_list_with_a_hint_not_an_error() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(
        &client,
        "gong_list_calls",
        json!({"fromDate": "2021-01-01", "toDate": "2021-01-31"}),
    )
    .await;
    let out = structured(&result);
    assert_eq!(out["calls"].as_array().unwrap().len(), 0);
    assert_eq!(out["totalRecords"], 0);
    assert!(out["hint"].as_str().unwrap().contains("Widen the range"));
    assert!(text(&result).contains("No calls between"));
}

#[tokio::test]
async fn omitting_both_dates_lists_the_last_30_days_and_says_so() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let out = structured(&call(&client, "gong_list_calls", json!({})).await);
    let ws = app.gong.workspace(A_KEY).unwrap();
    let cutoff = Utc::now() - Duration::days(30);
    let expected = ws.calls.iter().filter(|c| c.started >= cutoff).count();
    assert_eq!(out["totalRecords"].as_u64().unwrap() as usize, expected);
    assert_eq!(out["calls"].as_array().unwrap().len(), 20.min(expected));
    assert!(out["hint"].as_str().unwrap().contains("last 30 days"));
}

#[tokio::test]
async fn bad_arguments_are_tool_errors_naming_the_argument() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    for (args, needle) in [
        (json!({"fromDate": "2024-13-45"}), "fromDate"),
        (json!({"toDate": "99999-01-01"}), "toDate"),
        (
            json!({"fromDate": "2026-10-05", "toDate": "2026-10-01"}),
            "must be before",
        ),
        (json!({"limit": 0}), "limit"),
        (json!({"limit": 500}), "limit"),
        (json!({"limit": "ten"}), "limit"),
        (json!({"cursor": "not-a-cursor"}), "cursor"),
        (json!({"fromDate": 20240101}), "fromDate"),
        (json!({"bogus": 1}), "bogus"),
    ] {
        let result = call(&client, "gong_list_calls", args.clone()).await;
        assert!(is_error(&result), "{args} should fail");
        assert!(text(&result).contains(needle), "{args}: {}", text(&result));
    }
    assert_eq!(
        app.gong.stats().total_requests(A_KEY),
        0,
        "invalid input must not reach Gong"
    );
}
