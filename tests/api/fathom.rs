//! The Fathom tools through the real server, against the synthetic Fathom: listing, paging and
//! filters exact against its data; transcripts with speakers named; details; failures as clear
//! `isError` results; visibility by header; the quota each answer spends.

use std::time::Duration;

use chrono::{DateTime, Utc};
use gong_mcp::fakes::fathom::{FakeMeeting, FathomEndpoint, FathomFault};
use serde_json::{Value, json};

use crate::helpers::*;

const FATHOM_TOOLS: [&str; 4] = [
    "fathom_get_meeting_details",
    "fathom_get_transcript",
    "fathom_list_meetings",
    "fathom_list_speakers",
];

async fn fathom_client(app: &TestApp, key: &str) -> McpClient {
    app.client_with(&[("x-fathom-api-key", key)]).await
}

fn started(m: &FakeMeeting) -> DateTime<Utc> {
    m.recording_start_time
}

/// Every page of a listing, following `nextCursor`; the meeting ids in order and the answers.
async fn list_all(client: &McpClient, mut args: Value) -> (Vec<String>, Vec<Value>) {
    let mut ids = Vec::new();
    let mut answers = Vec::new();
    for _ in 0..30 {
        let out = structured(&call(client, "fathom_list_meetings", args.clone()).await);
        ids.extend(
            out["meetings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["meetingId"].as_str().unwrap().to_owned()),
        );
        let next = out["nextCursor"].as_str().map(str::to_owned);
        answers.push(out);
        match next {
            Some(c) => args = json!({ "cursor": c, "limit": args["limit"] }),
            None => return (ids, answers),
        }
    }
    panic!("the listing never ended");
}

#[tokio::test]
async fn fathom_tools_are_listed_only_with_a_fathom_key() {
    let app = spawn_app().await;
    let names = |tools: Vec<rmcp::model::Tool>| {
        let mut n: Vec<String> = tools.into_iter().map(|t| t.name.to_string()).collect();
        n.sort();
        n
    };
    let fathom_only = fathom_client(&app, FATHOM_KEY_A).await;
    assert_eq!(
        names(fathom_only.list_all_tools().await.unwrap()),
        FATHOM_TOOLS
    );
    let modern = app
        .modern_client(&[("X-Fathom-Api-Key", FATHOM_KEY_A)])
        .await;
    assert_eq!(names(modern.list_all_tools().await.unwrap()), FATHOM_TOOLS);
    let gong_only = app.client(A_KEY, A_SECRET).await;
    let listed = names(gong_only.list_all_tools().await.unwrap());
    assert!(
        listed.iter().all(|n| !n.starts_with("fathom_")),
        "{listed:?}"
    );
    let both = app
        .client_with(&[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("x-fathom-api-key", FATHOM_KEY_A),
        ])
        .await;
    let listed = names(both.list_all_tools().await.unwrap());
    assert!(
        listed.contains(&"gong_list_calls".to_owned())
            && listed.contains(&"fathom_list_meetings".to_owned())
    );

    let none = app.client_with(&[]).await;
    let result = call(&none, "fathom_list_meetings", json!({})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("X-Fathom-Api-Key"),
        "{}",
        text(&result)
    );
    assert_eq!(app.fathom.stats().requests(FATHOM_KEY_A), 0);
}

#[tokio::test]
async fn a_date_range_lists_exactly_the_meetings_that_started_in_it_across_pages() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    let now = Utc::now();
    let from = (now - chrono::Duration::days(25)).date_naive();
    let to = (now - chrono::Duration::days(10)).date_naive();
    let (lo, hi) = (
        from.and_hms_opt(0, 0, 0).unwrap().and_utc(),
        to.succ_opt()
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc(),
    );
    let truth = app.fathom.meetings(FATHOM_KEY_A);
    let expected: Vec<String> = truth
        .iter()
        .filter(|m| started(m) >= lo && started(m) < hi)
        .map(|m| m.recording_id.to_string())
        .collect();
    assert!(
        expected.len() > 7,
        "the window holds several pages: {}",
        expected.len()
    );
    let (ids, answers) = list_all(
        &client,
        json!({"fromDate": from.to_string(), "toDate": to.to_string(), "limit": 7}),
    )
    .await;
    assert_eq!(ids, expected);
    assert!(answers.len() >= 2);
    // The first meeting's line: its title, start, length and invitees, as Fathom has them.
    let first = &answers[0]["meetings"][0];
    let m = truth
        .iter()
        .find(|m| m.recording_id.to_string() == ids[0])
        .unwrap();
    assert_eq!(first["title"], m.title);
    assert_eq!(
        first["durationSeconds"],
        (m.recording_end_time - m.recording_start_time).num_seconds()
    );
    let emails: Vec<&str> = first["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["email"].as_str())
        .collect();
    for invitee in m.calendar_invitees.iter().take(8) {
        assert!(
            emails.contains(&invitee.email.to_lowercase().as_str()),
            "{emails:?}"
        );
    }
    let external = first["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["affiliation"] == "External");
    if let Some(p) = external {
        let domain = p["email"].as_str().unwrap().split('@').nth(1).unwrap();
        assert_eq!(p["company"], domain);
    }
    assert!(
        answers
            .iter()
            .all(|a| a["scan"]["pages"].as_u64().unwrap() >= 1)
    );
}

#[tokio::test]
async fn title_words_and_invitee_filters_match_the_synthetic_data() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    let now = Utc::now();
    let lo = now - chrono::Duration::days(30);
    let truth: Vec<&FakeMeeting> = app
        .fathom
        .meetings(FATHOM_KEY_A)
        .iter()
        .filter(|m| started(m) >= lo && started(m) < now)
        .collect();
    // An external invitee who met more than once.
    let email = truth
        .iter()
        .flat_map(|m| m.calendar_invitees.iter().filter(|i| i.is_external))
        .map(|i| i.email.clone())
        .find(|e| truth.iter().filter(|m| m.invited(e)).count() >= 2)
        .expect("a customer contact met twice");
    let expected: Vec<String> = truth
        .iter()
        .filter(|m| m.invited(&email))
        .map(|m| m.recording_id.to_string())
        .collect();
    let (ids, _) = list_all(&client, json!({"participantEmail": email, "limit": 100})).await;
    assert_eq!(ids, expected, "{email}");

    let word = truth[0]
        .title
        .split_whitespace()
        .next()
        .unwrap()
        .to_uppercase();
    let expected: Vec<String> = truth
        .iter()
        .filter(|m| m.title.to_lowercase().contains(&word.to_lowercase()))
        .map(|m| m.recording_id.to_string())
        .collect();
    let (ids, _) = list_all(&client, json!({"query": word, "limit": 100})).await;
    assert_eq!(ids, expected, "{word}");
}

#[tokio::test]
async fn a_scan_that_finds_nothing_says_what_it_read_and_the_cursor_reads_on() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    let from = (Utc::now() - chrono::Duration::days(60))
        .date_naive()
        .to_string();
    let result = call(
        &client,
        "fathom_list_meetings",
        json!({"fromDate": from, "query": "no-such-title-word"}),
    )
    .await;
    let out = structured(&result);
    assert_eq!(out["meetings"].as_array().unwrap().len(), 0);
    assert_eq!(out["scan"]["pages"], 5);
    assert_eq!(out["scan"]["scanned"], 50);
    assert_eq!(out["scan"]["complete"], false);
    let said = text(&result);
    assert!(said.contains("listed 50 meetings on 5 pages"), "{said}");
    assert!(said.contains("narrow the range"), "{said}");
    assert_eq!(
        app.fathom
            .stats()
            .requests_to(FATHOM_KEY_A, FathomEndpoint::ListMeetings),
        5
    );
    let cursor = out["nextCursor"].as_str().unwrap();
    let out = structured(&call(&client, "fathom_list_meetings", json!({"cursor": cursor})).await);
    let total = app.fathom.meetings(FATHOM_KEY_A).len() as u64;
    assert_eq!(
        out["scan"]["scanned"].as_u64().unwrap() + 50,
        total.min(100)
    );
}

#[tokio::test]
async fn transcripts_name_matched_speakers_and_keep_unmatched_display_names() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    let truth = app.fathom.meetings(FATHOM_KEY_A);
    let m = truth
        .iter()
        .find(|m| {
            m.transcript.iter().any(|e| e.matched_email.is_none())
                && m.transcript.iter().any(|e| e.matched_email.is_some())
        })
        .expect("a meeting with an unmatched voice");
    let unmatched = &m
        .transcript
        .iter()
        .find(|e| e.matched_email.is_none())
        .unwrap()
        .display_name;
    let matched = m
        .transcript
        .iter()
        .find(|e| e.matched_email.is_some())
        .unwrap();
    let id = m.recording_id.to_string();
    let out = structured(
        &call(
            &client,
            "fathom_get_transcript",
            json!({"meetingId": id, "format": "json"}),
        )
        .await,
    );
    let speakers: Vec<&str> = out["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert!(speakers.contains(&unmatched.as_str()), "{speakers:?}");
    assert!(
        speakers.contains(&matched.display_name.as_str()),
        "{speakers:?}"
    );

    let result = call(
        &client,
        "fathom_get_transcript",
        json!({"meetingId": id, "speaker": matched.matched_email}),
    )
    .await;
    let said = text(&result);
    assert!(!is_error(&result), "{said}");
    let first_words: String = matched
        .text
        .split_whitespace()
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        said.contains(&format!("{}: {first_words}", matched.display_name)),
        "{said}"
    );
    assert!(
        !said.contains(&format!("{unmatched}:")),
        "filtered to one speaker: {said}"
    );
    // The words were read once: the second page of the same meeting costs no request.
    assert_eq!(
        app.fathom
            .stats()
            .requests_to(FATHOM_KEY_A, FathomEndpoint::Transcript),
        1
    );
}

#[tokio::test]
async fn details_after_a_listing_cost_one_request_and_show_summary_and_action_items() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    let listed = structured(&call(&client, "fathom_list_meetings", json!({"limit": 3})).await);
    let id = listed["meetings"][2]["meetingId"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = app.fathom.stats().requests(FATHOM_KEY_A);
    let result = call(
        &client,
        "fathom_get_meeting_details",
        json!({"meetingId": id}),
    )
    .await;
    let out = structured(&result);
    assert_eq!(
        app.fathom.stats().requests(FATHOM_KEY_A),
        before + 1,
        "the summary only"
    );
    let m = app
        .fathom
        .meetings(FATHOM_KEY_A)
        .iter()
        .find(|m| m.recording_id.to_string() == id)
        .unwrap();
    assert_eq!(out["summary"], m.summary_markdown);
    let items: Vec<&str> = out["actionItems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["description"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = m
        .action_items
        .iter()
        .map(|a| a.description.as_str())
        .collect();
    assert_eq!(items, expected);
    assert_eq!(
        out["meeting"]["participants"].as_array().unwrap().len(),
        m.calendar_invitees.len()
    );
    assert!(text(&result).contains("Action items:"), "{}", text(&result));

    // Another key does not see it.
    let other = fathom_client(&app, FATHOM_KEY_B).await;
    let result = call(
        &other,
        "fathom_get_meeting_details",
        json!({"meetingId": id}),
    )
    .await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("Fathom has no recording"),
        "{}",
        text(&result)
    );
}

#[tokio::test]
async fn a_wrong_key_is_a_clear_error_naming_the_header() {
    let app = spawn_app().await;
    let client = fathom_client(&app, "fathom-wrong-key-Zz9").await;
    let result = call(&client, "fathom_list_meetings", json!({})).await;
    assert!(is_error(&result));
    let said = text(&result);
    assert!(
        said.contains("HTTP 401") && said.contains("X-Fathom-Api-Key"),
        "{said}"
    );
    assert_eq!(app.fathom.stats().unauthorized(), 1, "not retried");
}

#[tokio::test]
async fn a_long_rate_limit_wait_fails_fast_with_the_wait_and_the_time() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    app.fathom.faults().push(
        None,
        FathomFault::TooManyRequests {
            retry_after_secs: 600,
        },
        1,
    );
    let started = std::time::Instant::now();
    let result = call(&client, "fathom_list_meetings", json!({})).await;
    assert!(is_error(&result));
    let said = text(&result);
    assert!(
        said.contains("retry after 600 s (about ") && said.contains("UTC"),
        "{said}"
    );
    assert!(started.elapsed() < Duration::from_secs(10), "failed fast");
}

#[tokio::test]
async fn a_short_rate_limit_wait_is_waited_out() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    app.fathom.faults().push(
        Some(FathomEndpoint::ListMeetings),
        FathomFault::TooManyRequests {
            retry_after_secs: 1,
        },
        1,
    );
    let result = call(&client, "fathom_list_meetings", json!({"limit": 1})).await;
    assert!(!is_error(&result), "{}", text(&result));
    assert_eq!(
        app.fathom
            .stats()
            .requests_to(FATHOM_KEY_A, FathomEndpoint::ListMeetings),
        2
    );
}

#[tokio::test]
async fn server_errors_and_unreadable_bodies_are_retried_then_clear_errors() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    // One transient failure of each kind is retried away.
    for fault in [FathomFault::ServerError, FathomFault::MalformedJson] {
        app.fathom.faults().push(None, fault, 1);
        let result = call(&client, "fathom_list_meetings", json!({"limit": 1})).await;
        assert!(!is_error(&result), "{}", text(&result));
    }
    let cases = [
        (FathomFault::ServerError, "Fathom is failing (HTTP 500)"),
        (
            FathomFault::HtmlError { status: 502 },
            "Fathom is failing (HTTP 502)",
        ),
        (FathomFault::MalformedJson, "could not be read"),
        (FathomFault::WrongShape, "could not be read"),
    ];
    for (fault, expected) in cases {
        app.fathom.faults().push(None, fault.clone(), 10);
        let result = call(&client, "fathom_list_meetings", json!({"limit": 1})).await;
        assert!(is_error(&result), "{fault:?}");
        assert!(
            text(&result).contains(expected),
            "{fault:?}: {}",
            text(&result)
        );
        app.fathom.faults().clear();
    }
}

#[tokio::test]
async fn a_fathom_slower_than_the_deadline_is_a_timeout_error() {
    let app = spawn_app_with(two_tenants(), &["--tool-timeout", "2"]).await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    app.fathom
        .faults()
        .push(None, FathomFault::Delay(Duration::from_secs(5)), 1);
    let result = call(&client, "fathom_list_meetings", json!({})).await;
    assert!(is_error(&result));
    let said = text(&result);
    assert!(said.contains("deadline of 2 s"), "{said}");
}

#[tokio::test]
async fn bad_arguments_name_the_argument() {
    let app = spawn_app().await;
    let client = fathom_client(&app, FATHOM_KEY_A).await;
    for (args, name) in [
        (json!({"meetingId": "abc"}), "meetingId"),
        (
            json!({"meetingId": "123", "toSeconds": 1, "fromSeconds": 5}),
            "toSeconds",
        ),
    ] {
        let result = call(&client, "fathom_get_transcript", args).await;
        assert!(is_error(&result));
        assert!(text(&result).contains(name), "{}", text(&result));
    }
    let result = call(
        &client,
        "fathom_list_meetings",
        json!({"cursor": "garbage"}),
    )
    .await;
    assert!(text(&result).contains("cursor"), "{}", text(&result));
    let result = call(
        &client,
        "fathom_list_meetings",
        json!({"participantEmail": "nobody"}),
    )
    .await;
    assert!(
        text(&result).contains("participantEmail"),
        "{}",
        text(&result)
    );
    assert_eq!(app.fathom.stats().requests(FATHOM_KEY_A), 0);
}
