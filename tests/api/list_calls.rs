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
        let calls = out["calls"].as_array().unwrap();
        assert_eq!(calls.len(), 100, "a full page for tenant {key}");
        for c in calls {
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
async fn the_workspace_id_filter_reaches_gong() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let (own, other) = (
        app.gong.workspace(A_KEY).unwrap(),
        app.gong.workspace(B_KEY).unwrap(),
    );
    assert_ne!(own.id, other.id);
    let range = ninety_days();
    let with = |id: &str| {
        let mut args = range.clone();
        args["workspaceId"] = json!(id);
        args
    };
    // The tenant's own workspace: every call, as without the filter.
    let all = structured(&call(&client, "gong_list_calls", range.clone()).await);
    let mine = structured(&call(&client, "gong_list_calls", with(&own.id)).await);
    assert_eq!(
        mine["totalRecords"].as_u64().unwrap() as usize,
        own.calls.len()
    );
    assert_eq!(ids(&mine), ids(&all));
    // A workspace it has no calls in: Gong finds none.
    let result = call(&client, "gong_list_calls", with(&other.id)).await;
    let none = structured(&result);
    assert_eq!(none["totalRecords"], 0, "{none}");
    assert!(none["calls"].as_array().unwrap().is_empty());
    assert!(
        text(&result).contains("check workspaceId"),
        "{}",
        text(&result)
    );
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

/// Every call of a query, following nextCursor (the cursor alone, as the tool asks).
async fn list_all(client: &McpClient, first: Value) -> (Vec<String>, Vec<Value>) {
    let mut ids_seen = Vec::new();
    let mut answers = Vec::new();
    let mut args = first;
    loop {
        let result = call(client, "gong_list_calls", args.clone()).await;
        let out = structured(&result);
        assert!(
            text(&result).len() + out.to_string().len() <= 80_000,
            "answer over budget"
        );
        ids_seen.extend(ids(&out));
        let next = out
            .get("nextCursor")
            .and_then(Value::as_str)
            .map(str::to_owned);
        answers.push(out);
        match next {
            Some(cursor) => args = json!({"cursor": cursor, "limit": args["limit"]}),
            None => return (ids_seen, answers),
        }
        assert!(answers.len() < 50, "paging does not end");
    }
}

fn since_90_days() -> String {
    (Utc::now() - Duration::days(90))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn metadata_filters_return_exactly_the_matching_calls_across_pages() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let expected: Vec<String> = ws
        .calls
        .iter()
        .filter(|c| c.scope == "External" && c.direction == "Conference" && c.duration >= 1800)
        .map(|c| c.id.clone())
        .collect();
    assert!(expected.len() > 25, "enough matches to page");
    let client = app.client(A_KEY, A_SECRET).await;
    let (got, answers) = list_all(
        &client,
        json!({"fromDate": since_90_days(), "scope": "external", "direction": "CONFERENCE",
               "minDuration": 1800, "limit": 25}),
    )
    .await;
    assert_eq!(got, expected, "every match once, in order");
    assert!(answers.len() >= 2);
    assert!(
        answers
            .iter()
            .all(|a| a["scan"]["scanned"].as_u64().unwrap() > 0)
    );
    // Metadata filters cost no extra Gong requests: only the call list, a page per 100 calls.
    assert_eq!(
        app.gong
            .stats()
            .requests(A_KEY, gong_mcp::demo::Endpoint::CallsExtensive),
        0
    );
}

#[tokio::test]
async fn query_matches_titles_and_with_participants_names_emails_and_companies() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let client = app.client(A_KEY, A_SECRET).await;
    let company = &ws.companies[0].name;
    let word = company.split_whitespace().next().unwrap().to_uppercase();
    let by_title: Vec<String> = ws
        .calls
        .iter()
        .filter(|c| c.title.to_lowercase().contains(&word.to_lowercase()))
        .map(|c| c.id.clone())
        .collect();
    assert!(!by_title.is_empty(), "{word} is in some titles");
    let (got, _) = list_all(
        &client,
        json!({"fromDate": since_90_days(), "query": word, "limit": 100}),
    )
    .await;
    assert_eq!(got, by_title);

    // A contact's last name appears in no title but in the participants.
    let contact = ws.companies[0].contacts[0].last_name.clone();
    let by_people: Vec<String> = ws
        .calls
        .iter()
        .filter(|c| {
            c.title.to_lowercase().contains(&contact.to_lowercase())
                || c.parties.iter().any(|p| {
                    [&p.name, &p.email_address, &p.title]
                        .into_iter()
                        .flatten()
                        .any(|v| v.to_lowercase().contains(&contact.to_lowercase()))
                })
                || c.company.is_some_and(|i| {
                    ws.companies[i]
                        .name
                        .to_lowercase()
                        .contains(&contact.to_lowercase())
                })
        })
        .map(|c| c.id.clone())
        .collect();
    assert!(!by_people.is_empty());
    let (got, answers) = list_all(
        &client,
        json!({"fromDate": since_90_days(), "query": contact, "includeParticipants": true, "limit": 100}),
    )
    .await;
    assert_eq!(got, by_people);
    let first = &answers[0]["calls"][0];
    assert!(
        first["participants"]
            .as_array()
            .is_some_and(|p| !p.is_empty()),
        "{first}"
    );
}

#[tokio::test]
async fn participants_and_companies_are_listed_and_cost_one_request_per_100_calls() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let client = app.client(A_KEY, A_SECRET).await;
    let (got, answers) = list_all(
        &client,
        json!({"fromDate": since_90_days(), "includeParticipants": true, "limit": 100}),
    )
    .await;
    let truth: Vec<String> = ws.calls.iter().map(|c| c.id.clone()).collect();
    assert_eq!(
        got, truth,
        "budget cuts defer calls to the next page, never drop them"
    );
    let stats = app.gong.stats();
    let pages = stats.requests(A_KEY, gong_mcp::demo::Endpoint::ListCalls);
    let extensive = stats.requests(A_KEY, gong_mcp::demo::Endpoint::CallsExtensive);
    assert!(
        extensive <= pages,
        "{extensive} extensive requests for {pages} pages"
    );
    assert!(
        stats
            .call_ids_lens(A_KEY, gong_mcp::demo::Endpoint::CallsExtensive)
            .iter()
            .all(|n| *n <= 100)
    );
    // A call with a CRM account shows it as the company, beside its external participants.
    let with_account = answers
        .iter()
        .flat_map(|a| a["calls"].as_array().unwrap().iter())
        .find(|c| {
            let truth = ws.call(c["id"].as_str().unwrap()).unwrap();
            truth.company.is_some() && !truth.context.is_empty()
        })
        .unwrap();
    let truth = ws.call(with_account["id"].as_str().unwrap()).unwrap();
    assert_eq!(
        with_account["company"].as_str(),
        Some(ws.companies[truth.company.unwrap()].name.as_str())
    );
}

#[tokio::test]
async fn primary_user_email_lists_the_calls_that_user_hosted() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let host = ws.user(&ws.calls[3].primary_user_id).unwrap();
    let expected: Vec<String> = ws
        .calls
        .iter()
        .filter(|c| c.primary_user_id == host.id)
        .map(|c| c.id.clone())
        .collect();
    let client = app.client(A_KEY, A_SECRET).await;
    let (got, _) = list_all(
        &client,
        json!({"fromDate": since_90_days(), "primaryUserEmail": host.email.to_uppercase(), "limit": 10}),
    )
    .await;
    assert_eq!(got, expected);
}

#[tokio::test]
async fn a_long_scan_stops_at_its_limit_says_so_and_the_cursor_continues_it() {
    use gong_mcp::demo::{DemoGongConfig, DemoTenant};
    let app = spawn_app_with(
        DemoGongConfig {
            tenants: vec![
                DemoTenant::new(A_KEY, A_SECRET, "Northwind Analytics", 1).with_calls(1150),
            ],
            requests_per_second: 0,
            ..DemoGongConfig::default()
        },
        &["--gong-rps", "0"],
    )
    .await;
    let client = app.client(A_KEY, A_SECRET).await;
    let first = call(
        &client,
        "gong_list_calls",
        json!({"fromDate": since_90_days(), "query": "no call is called this"}),
    )
    .await;
    let out = structured(&first);
    assert_eq!(out["calls"].as_array().unwrap().len(), 0);
    assert_eq!(out["scan"]["complete"], false);
    assert_eq!(out["scan"]["scanned"], 1000);
    assert!(
        text(&first).contains("The scan stopped after 1000 calls"),
        "{}",
        text(&first)
    );
    let cursor = out["nextCursor"].as_str().expect("a cursor to go on");
    let rest = structured(&call(&client, "gong_list_calls", json!({"cursor": cursor})).await);
    assert_eq!(rest["scan"]["scanned"], 150);
    assert_eq!(rest["scan"]["complete"], true);
    assert!(rest.get("nextCursor").is_none());
}

#[tokio::test]
async fn no_match_says_what_to_try_and_a_cursor_refuses_other_filters() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(&client, "gong_list_calls", json!({"query": "zzz-no-such"})).await;
    let out = structured(&result);
    let hint = out["hint"].as_str().unwrap();
    assert!(hint.contains("includeParticipants"), "{hint}");
    assert!(hint.contains("Widen the range"), "{hint}");
    let page = structured(
        &call(
            &client,
            "gong_list_calls",
            json!({"scope": "External", "limit": 2}),
        )
        .await,
    );
    let cursor = page["nextCursor"].as_str().unwrap();
    let result = call(
        &client,
        "gong_list_calls",
        json!({"cursor": cursor, "scope": "Internal"}),
    )
    .await;
    assert!(is_error(&result));
    assert!(text(&result).contains("scope"), "{}", text(&result));
    let same = call(
        &client,
        "gong_list_calls",
        json!({"cursor": cursor, "scope": "external"}),
    )
    .await;
    assert!(!is_error(&same), "{}", text(&same));
}
