//! The Fireflies tools through the real server, driven by rmcp's client, in front of the
//! synthetic Fireflies: listing, paging and filters exact against its data; search scopes;
//! failures (401, rate limits as GraphQL error codes, 5xx, malformed bodies, timeouts, the daily
//! allowance) as clear tool errors; visibility by header.

use std::time::Duration;

use chrono::{Duration as Days, Utc};
use gong_mcp::fakes::fireflies::{FakeFirefliesConfig, FfFault, Meeting};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::secrets::leaks;

const FF_TOOLS: [&str; 4] = [
    "fireflies_get_transcript",
    "fireflies_list_speakers",
    "fireflies_list_transcripts",
    "fireflies_search_transcripts",
];

async fn ff_client(app: &TestApp, key: &str) -> McpClient {
    app.client_with(&[("X-Fireflies-Api-Key", key)]).await
}

fn ids(result: &Value) -> Vec<String> {
    result["transcripts"]
        .as_array()
        .expect("transcripts")
        .iter()
        .map(|t| t["transcriptId"].as_str().unwrap().to_owned())
        .collect()
}

/// Every meeting of the window [from, to), newest first: the ground truth.
fn in_window(
    meetings: &[std::sync::Arc<Meeting>],
    from: chrono::DateTime<Utc>,
    to: chrono::DateTime<Utc>,
) -> Vec<std::sync::Arc<Meeting>> {
    meetings
        .iter()
        .filter(|m| m.started >= from && m.started < to)
        .cloned()
        .collect()
}

/// Pages through a listing to its end; returns every id in order.
async fn list_all(client: &McpClient, first: Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut result = structured(&call(client, "fireflies_list_transcripts", first).await);
    loop {
        out.extend(ids(&result));
        let Some(cursor) = result["nextCursor"].as_str().map(str::to_owned) else {
            return out;
        };
        result = structured(
            &call(
                client,
                "fireflies_list_transcripts",
                json!({ "cursor": cursor, "limit": 7 }),
            )
            .await,
        );
    }
}

async fn ff_tool_names(client: &McpClient) -> Vec<String> {
    let mut names = tool_names(client).await;
    names.retain(|n| n.starts_with("fireflies_"));
    names
}

#[tokio::test]
async fn tools_are_listed_only_with_a_fireflies_key_sent_in_any_case() {
    let app = spawn_app().await;
    let with = app
        .client_with(&[("x-fireflies-api-key", FIREFLIES_KEY_A)])
        .await;
    assert_eq!(ff_tool_names(&with).await, FF_TOOLS);
    let upper = ff_client(&app, FIREFLIES_KEY_A).await;
    assert_eq!(ff_tool_names(&upper).await, FF_TOOLS);
    let without = app.client(A_KEY, A_SECRET).await;
    assert!(ff_tool_names(&without).await.is_empty());
    let result = call(&without, "fireflies_list_transcripts", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("X-Fireflies-Api-Key"),
        "{}",
        text(&result)
    );
    assert_eq!(app.fireflies.requests(FIREFLIES_KEY_A), 0);
}

#[tokio::test]
async fn the_default_listing_is_the_last_30_days_newest_first_and_pages_to_the_end() {
    let app = spawn_app().await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    let before = Utc::now();
    let first = structured(&call(&client, "fireflies_list_transcripts", json!({})).await);
    let truth = in_window(
        &app.fireflies.meetings(FIREFLIES_KEY_A),
        before - Days::days(30),
        before,
    );
    assert!(truth.len() > 20, "the demo has {} meetings", truth.len());
    let expected: Vec<String> = truth.iter().map(|m| m.id.clone()).collect();
    assert_eq!(ids(&first), expected[..20]);
    let line = &first["transcripts"][0];
    assert_eq!(line["title"], truth[0].title.as_str());
    assert_eq!(
        line["durationSeconds"],
        (truth[0].duration_minutes * 60.0).round() as u64
    );
    let all = list_all(&client, json!({ "limit": 9 })).await;
    assert_eq!(all, expected);
    // Tenant B sees its own meetings only.
    let b = ff_client(&app, FIREFLIES_KEY_B).await;
    let b_ids = ids(&structured(
        &call(&b, "fireflies_list_transcripts", json!({ "limit": 50 })).await,
    ));
    assert!(b_ids.iter().all(|id| !expected.contains(id)));
}

#[tokio::test]
async fn dates_title_words_and_participants_filter_exactly() {
    let app = spawn_app().await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    let meetings = app.fireflies.meetings(FIREFLIES_KEY_A);
    // Bare dates: fromDate's whole day through toDate's whole day (UTC).
    let day = meetings[10].started.date_naive();
    let from = day - Days::days(6);
    let start = from.and_hms_opt(0, 0, 0).unwrap().and_utc();
    let end = (day + Days::days(1))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let expected: Vec<String> = in_window(&meetings, start, end)
        .iter()
        .map(|m| m.id.clone())
        .collect();
    assert!(!expected.is_empty());
    let got = list_all(
        &client,
        json!({ "fromDate": from.to_string(), "toDate": day.to_string(), "limit": 4 }),
    )
    .await;
    assert_eq!(got, expected);

    // Every word of the query in the title, in any order and case.
    let all_time = json!({ "fromDate": "2000-01-01", "limit": 50 });
    let title = &meetings[3].title;
    let words: Vec<&str> = title
        .split_whitespace()
        .filter(|w| w.len() > 3)
        .take(2)
        .collect();
    let query = words
        .iter()
        .rev()
        .map(|w| w.to_uppercase())
        .collect::<Vec<_>>()
        .join(" ");
    let mut args = all_time.clone();
    args["query"] = json!(query);
    let expected: Vec<String> = meetings
        .iter()
        .filter(|m| {
            let t = m.title.to_lowercase();
            words.iter().all(|w| t.contains(&w.to_lowercase()))
        })
        .map(|m| m.id.clone())
        .collect();
    assert!(expected.contains(&meetings[3].id));
    assert_eq!(list_all(&client, args).await, expected);

    // A participant (the second address of Fireflies' comma-joined first entry).
    let email = meetings[5].participants[0]
        .split(',')
        .nth(1)
        .expect("two addresses")
        .trim()
        .to_owned();
    let mut args = all_time.clone();
    args["participantEmail"] = json!(email);
    let expected: Vec<String> = meetings
        .iter()
        .filter(|m| m.emails().any(|e| e == email.to_lowercase()))
        .map(|m| m.id.clone())
        .collect();
    assert!(expected.contains(&meetings[5].id));
    assert_eq!(list_all(&client, args).await, expected);
}

#[tokio::test]
async fn search_looks_in_titles_sentences_or_both() {
    let app = spawn_app().await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    let meetings = app.fireflies.meetings(FIREFLIES_KEY_A);
    let spoken = meetings[2].sentences[3]
        .text
        .split_whitespace()
        .max_by_key(|w| w.len())
        .unwrap()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let title_word = meetings[0]
        .title
        .split_whitespace()
        .next()
        .unwrap()
        .to_lowercase();
    for (query, scope) in [
        (spoken.as_str(), "sentences"),
        (title_word.as_str(), "title"),
        (spoken.as_str(), "all"),
    ] {
        let result = structured(
            &call(
                &client,
                "fireflies_search_transcripts",
                json!({ "query": query, "scope": scope, "limit": 50 }),
            )
            .await,
        );
        let expected: Vec<String> = meetings
            .iter()
            .filter(|m| {
                let in_title = m.title.to_lowercase().contains(query);
                let said = m
                    .sentences
                    .iter()
                    .any(|s| s.text.to_lowercase().contains(query));
                match scope {
                    "title" => in_title,
                    "sentences" => said,
                    _ => in_title || said,
                }
            })
            .take(50)
            .map(|m| m.id.clone())
            .collect();
        assert!(!expected.is_empty(), "{query} {scope}");
        assert_eq!(ids(&result), expected, "{query} in {scope}");
        assert_eq!(result["scope"], scope);
    }
    let bad = client
        .call_tool(
            CallToolRequestParams::new("fireflies_search_transcripts").with_arguments(
                json!({ "query": "x", "scope": "everywhere" })
                    .as_object()
                    .cloned()
                    .unwrap(),
            ),
        )
        .await;
    let refused = match bad {
        Err(e) => e.to_string(),
        Ok(r) if is_error(&r) => text(&r),
        Ok(r) => panic!("accepted: {}", text(&r)),
    };
    assert!(refused.contains("scope"), "{refused}");
}

#[tokio::test]
async fn a_wrong_key_5xx_and_malformed_answers_are_clear_tool_errors() {
    let app = spawn_app().await;
    let wrong = ff_client(&app, "ff-wrong-key-Ww9").await;
    let result = call(&wrong, "fireflies_list_transcripts", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("Fireflies did not accept the API key"),
        "{}",
        text(&result)
    );
    assert!(leaks(&text(&result)).is_empty(), "{}", text(&result));
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    for _ in 0..5 {
        app.fireflies.faults().push(FfFault::Status(503));
    }
    let result = call(&client, "fireflies_list_transcripts", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("Fireflies is failing (HTTP 503)"),
        "{}",
        text(&result)
    );
    assert_eq!(
        app.fireflies.requests(FIREFLIES_KEY_A),
        5,
        "retried 4 times"
    );
    for _ in 0..5 {
        app.fireflies.faults().push(FfFault::Malformed);
    }
    let result = call(&client, "fireflies_list_transcripts", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("could not be read"),
        "{}",
        text(&result)
    );
    // One transient failure is retried away.
    app.fireflies.faults().push(FfFault::Status(502));
    let result = call(&client, "fireflies_list_transcripts", json!({})).await;
    assert!(!is_error(&result), "{}", text(&result));
    let code = FfFault::Code {
        code: "paid_required".into(),
        message: "This API requires the Business plan".into(),
    };
    app.fireflies.faults().push(code);
    let result = call(
        &client,
        "fireflies_search_transcripts",
        json!({ "query": "a" }),
    )
    .await;
    assert!(is_error(&result));
    assert!(text(&result).contains("Business plan"), "{}", text(&result));
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out_and_a_long_one_fails_at_once_with_the_time() {
    let app = spawn_app().await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    app.fireflies.faults().push(FfFault::RateLimited {
        wait: Duration::from_secs(1),
        status: 200,
    });
    let result = call(&client, "fireflies_list_transcripts", json!({})).await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(app.fireflies.requests(FIREFLIES_KEY_A), 2);

    let b = ff_client(&app, FIREFLIES_KEY_B).await;
    app.fireflies.faults().push(FfFault::RateLimited {
        wait: Duration::from_secs(7200),
        status: 429,
    });
    let result = call(&b, "fireflies_list_transcripts", json!({})).await;
    assert!(is_error(&result));
    let msg = text(&result);
    assert!(msg.contains("rate limit is reached"), "{msg}");
    assert!(msg.contains("allows requests again in 7"), "{msg}");
    assert!(msg.contains(" UTC)"), "{msg}");
    assert_eq!(app.fireflies.requests(FIREFLIES_KEY_B), 1, "not retried");
    // The tenant is held: the next call fails without asking Fireflies.
    let again = call(&b, "fireflies_search_transcripts", json!({ "query": "a" })).await;
    assert!(is_error(&again));
    assert_eq!(app.fireflies.requests(FIREFLIES_KEY_B), 1);
}

#[tokio::test]
async fn a_slow_answer_ends_at_the_deadline_with_a_clear_error() {
    let app = spawn_app_with(two_tenants(), &["--tool-timeout", "2"]).await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    app.fireflies
        .faults()
        .push(FfFault::Delay(Duration::from_secs(6)));
    let result = call(&client, "fireflies_list_transcripts", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("did not finish within its deadline of 2 s"),
        "{}",
        text(&result)
    );
}

#[tokio::test]
async fn the_daily_allowance_refuses_before_sending_and_says_so() {
    let app = spawn_app_fireflies(
        FakeFirefliesConfig {
            requests_per_day: 50,
            ..two_fireflies_tenants()
        },
        &["--fireflies-daily-requests", "2"],
    )
    .await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    for _ in 0..2 {
        let ok = call(
            &client,
            "fireflies_search_transcripts",
            json!({ "query": "a" }),
        )
        .await;
        assert!(!is_error(&ok), "{}", text(&ok));
    }
    assert!(
        text(
            &call(
                &client,
                "fireflies_search_transcripts",
                json!({ "query": "a" })
            )
            .await
        )
        .contains("2 of 2 requests today")
    );
    assert_eq!(app.fireflies.requests(FIREFLIES_KEY_A), 2);
    // Another tenant has its own allowance.
    let b = ff_client(&app, FIREFLIES_KEY_B).await;
    let ok = call(&b, "fireflies_list_transcripts", json!({})).await;
    assert!(!is_error(&ok), "{}", text(&ok));
}

#[tokio::test]
async fn fireflies_own_daily_limit_fails_fast_until_midnight() {
    let app = spawn_app_fireflies(
        FakeFirefliesConfig {
            requests_per_day: 1,
            ..two_fireflies_tenants()
        },
        &[],
    )
    .await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    let ok = call(&client, "fireflies_list_transcripts", json!({})).await;
    assert!(!is_error(&ok), "{}", text(&ok));
    let refused = call(&client, "fireflies_list_transcripts", json!({})).await;
    assert!(is_error(&refused));
    let midnight = (Utc::now() + Days::days(1))
        .format("%Y-%m-%d 00:00")
        .to_string();
    let msg = text(&refused);
    assert!(msg.contains("rate limit is reached"), "{msg}");
    assert!(msg.contains(&midnight), "{msg}");
    assert_eq!(app.fireflies.requests(FIREFLIES_KEY_A), 2);
}

#[tokio::test]
async fn a_transcript_names_its_speakers_carries_the_title_and_pages_from_cache() {
    let app = spawn_app().await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    let meetings = app.fireflies.meetings(FIREFLIES_KEY_A);
    let m = meetings
        .iter()
        .find(|m| m.sentences.len() > 40 && m.speakers.len() >= 2)
        .expect("a long meeting");
    let result = call(
        &client,
        "fireflies_get_transcript",
        json!({ "transcriptId": m.id, "maxChars": 2000 }),
    )
    .await;
    let page = structured(&result);
    let body = text(&result);
    assert!(body.contains(&m.title), "{body}");
    let first = &m.sentences[0];
    assert!(
        body.contains(&format!("{}: ", first.speaker_name)),
        "{} not named: {body}",
        first.speaker_name
    );
    assert!(body.contains(first.text.split_whitespace().next().unwrap()));
    // A voice no attendee has keeps the name Fireflies gave it.
    if let Some(guest) = meetings.iter().find_map(|g| {
        g.speakers
            .iter()
            .find(|(_, n)| !g.attendees.iter().any(|(a, _)| a == n))
            .map(|(_, n)| (g.id.clone(), n.clone()))
    }) {
        let whole = call(
            &client,
            "fireflies_get_transcript",
            json!({ "transcriptId": guest.0, "speaker": guest.1 }),
        )
        .await;
        assert!(
            text(&whole).contains(&format!("{}: ", guest.1)),
            "{}",
            text(&whole)
        );
    } else {
        panic!("the synthetic data has a voice without an attendee");
    }
    let next = page["page"]["nextOffset"]
        .as_u64()
        .expect("a long meeting has pages");
    let sent = app.fireflies.requests(FIREFLIES_KEY_A);
    assert!((1..=2).contains(&sent), "{sent}");
    let vtt = call(
        &client,
        "fireflies_get_transcript",
        json!({ "transcriptId": m.id, "offset": next, "format": "vtt" }),
    )
    .await;
    assert!(!is_error(&vtt), "{}", text(&vtt));
    assert!(text(&vtt).starts_with("WEBVTT"), "{}", text(&vtt));
    assert!(text(&vtt).contains("<v "), "{}", text(&vtt));
    assert_eq!(
        app.fireflies.requests(FIREFLIES_KEY_A),
        sent,
        "served from cache"
    );
    // One speaker's words only.
    let who = &m.speakers[1].1;
    let theirs = structured(
        &call(
            &client,
            "fireflies_get_transcript",
            json!({ "transcriptId": m.id, "speaker": who, "format": "json" }),
        )
        .await,
    );
    let turns = theirs["turns"].as_array().expect("json turns");
    assert!(!turns.is_empty());
    assert!(
        turns.iter().all(|t| t["speaker"] == who.as_str()),
        "{theirs}"
    );
    // An id Fireflies does not know.
    let missing = call(
        &client,
        "fireflies_get_transcript",
        json!({ "transcriptId": "01NOSUCHMEETING0000000000" }),
    )
    .await;
    assert!(is_error(&missing));
    assert!(
        text(&missing).contains("no transcript with id '01NOSUCHMEETING0000000000'"),
        "{}",
        text(&missing)
    );
    // Another tenant cannot read it.
    let b = ff_client(&app, FIREFLIES_KEY_B).await;
    let other = call(
        &b,
        "fireflies_get_transcript",
        json!({ "transcriptId": m.id }),
    )
    .await;
    assert!(is_error(&other));
}

#[tokio::test]
async fn full_pages_fit_the_response_budget() {
    let app = spawn_app().await;
    let client = ff_client(&app, FIREFLIES_KEY_A).await;
    for (tool, args) in [
        (
            "fireflies_list_transcripts",
            json!({ "fromDate": "2000-01-01", "limit": 50 }),
        ),
        (
            "fireflies_search_transcripts",
            json!({ "query": "a", "scope": "all", "limit": 50 }),
        ),
    ] {
        let result = call(&client, tool, args).await;
        let size = text(&result).len() + structured(&result).to_string().len();
        assert_eq!(ids(&structured(&result)).len(), 50, "{tool}");
        assert!(size < 80_000, "{tool}: {size} bytes");
    }
}
