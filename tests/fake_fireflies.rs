//! The synthetic Fireflies held to shared/meetings/FATHOM-FIREFLIES.md, driven with plain
//! reqwest over loopback: auth, the query text parsed and validated, `transcripts` paging and
//! filters, `transcript(id:)`, GraphQL error codes, plan limits, faults.

use std::time::Duration;

use gong_mcp::fakes::fireflies::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

const KEY: &str = "ff-fake-test-key-Tt4";
const OTHER: &str = "ff-fake-other-key-Oo5";

const LIST: &str = "query L($limit: Int, $skip: Int, $fromDate: DateTime, $toDate: DateTime, $keyword: String, $scope: String, $participants: [String]) {
  transcripts(limit: $limit, skip: $skip, fromDate: $fromDate, toDate: $toDate, keyword: $keyword, scope: $scope, participants: $participants) { id title date }
}";

async fn spawn(per_minute: u32, per_day: u32) -> FakeFireflies {
    FakeFireflies::spawn(FakeFirefliesConfig {
        tenants: vec![
            FakeFfTenant::new(KEY, "Northwind Analytics", 7),
            FakeFfTenant::new(OTHER, "Initech Cloud", 8),
        ],
        requests_per_minute: per_minute,
        requests_per_day: per_day,
        ..FakeFirefliesConfig::default()
    })
    .await
    .expect("fake starts")
}

async fn post(ff: &FakeFireflies, key: &str, query: &str, variables: Value) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(ff.api_url())
        .bearer_auth(key)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("answers");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

fn ids(body: &Value) -> Vec<String> {
    body["data"]["transcripts"]
        .as_array()
        .expect("transcripts")
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("none")
}

#[tokio::test]
async fn a_request_needs_a_known_bearer_key() {
    let ff = spawn(0, 0).await;
    let (status, body) = post(&ff, "ff-not-a-key-Nn6", LIST, json!({})).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "auth_failed");
    let bare = reqwest::Client::new()
        .post(ff.api_url())
        .json(&json!({ "query": LIST }))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(ff.requests(KEY), 0);
}

#[tokio::test]
async fn transcripts_page_with_limit_and_skip_newest_first_and_cap_limit_at_50() {
    let ff = spawn(0, 0).await;
    let all: Vec<String> = ff.meetings(KEY).iter().map(|m| m.id.clone()).collect();
    assert!(all.len() > 60, "{}", all.len());
    let dates: Vec<_> = ff.meetings(KEY).iter().map(|m| m.started).collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let (_, first) = post(&ff, KEY, LIST, json!({ "limit": 50 })).await;
    assert_eq!(ids(&first), all[..50]);
    let (_, rest) = post(&ff, KEY, LIST, json!({ "limit": 50, "skip": 50 })).await;
    assert_eq!(ids(&rest), all[50..all.len().min(100)]);
    let (_, none) = post(&ff, KEY, LIST, json!({})).await;
    assert_eq!(ids(&none).len(), 50, "the default limit is 50");
    let (status, body) = post(&ff, KEY, LIST, json!({ "limit": 51 })).await;
    assert_eq!(status, StatusCode::OK, "an argument error is a field error");
    assert_eq!(code(&body), "invalid_arguments");
    assert!(body["data"]["transcripts"].is_null());
    // The other account's meetings are its own.
    let (_, other) = post(&ff, OTHER, LIST, json!({ "limit": 50 })).await;
    assert!(ids(&other).iter().all(|id| !all.contains(id)));
}

#[tokio::test]
async fn dates_keywords_by_scope_and_participants_filter() {
    let ff = spawn(0, 0).await;
    let meetings = ff.meetings(KEY);
    let (from, to) = (meetings[20].started, meetings[5].started);
    let (_, body) = post(
        &ff,
        KEY,
        LIST,
        json!({ "fromDate": from.to_rfc3339(), "toDate": to.to_rfc3339(), "limit": 50 }),
    )
    .await;
    let expected: Vec<String> = meetings
        .iter()
        .filter(|m| m.started >= from && m.started <= to)
        .map(|m| m.id.clone())
        .collect();
    assert_eq!(ids(&body), expected);
    let (_, bad) = post(&ff, KEY, LIST, json!({ "fromDate": "last tuesday" })).await;
    assert_eq!(code(&bad), "invalid_arguments");

    let word = meetings[1].sentences[2]
        .text
        .split_whitespace()
        .last()
        .unwrap();
    let word = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    for scope in ["title", "sentences", "all"] {
        let (_, body) = post(
            &ff,
            KEY,
            LIST,
            json!({ "keyword": word, "scope": scope, "limit": 50 }),
        )
        .await;
        let expected: Vec<String> = meetings
            .iter()
            .filter(|m| {
                let t = m.title.to_lowercase().contains(&word);
                let s = m
                    .sentences
                    .iter()
                    .any(|s| s.text.to_lowercase().contains(&word));
                match scope {
                    "title" => t,
                    "sentences" => s,
                    _ => t || s,
                }
            })
            .take(50)
            .map(|m| m.id.clone())
            .collect();
        assert_eq!(ids(&body), expected, "{word} in {scope}");
    }
    let (_, bad) = post(
        &ff,
        KEY,
        LIST,
        json!({ "keyword": "a", "scope": "everything" }),
    )
    .await;
    assert_eq!(code(&bad), "invalid_arguments");

    let email = meetings[3].attendees[0].1.clone();
    let (_, body) = post(
        &ff,
        KEY,
        LIST,
        json!({ "participants": [email], "limit": 50 }),
    )
    .await;
    let expected: Vec<String> = meetings
        .iter()
        .filter(|m| m.emails().any(|e| e == email.to_lowercase()))
        .take(50)
        .map(|m| m.id.clone())
        .collect();
    assert!(expected.contains(&meetings[3].id));
    assert_eq!(ids(&body), expected);
}

#[tokio::test]
async fn one_transcript_has_sentences_in_seconds_speakers_and_only_the_selected_fields() {
    let ff = spawn(0, 0).await;
    let m = ff.meetings(KEY)[0].clone();
    let query = "query T($id: String!) { transcript(id: $id) { id title duration speakers { id name } sentences { index speaker_id speaker_name text start_time end_time } meeting_attendees { displayName email } } }";
    let (status, body) = post(&ff, KEY, query, json!({ "id": m.id })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let t = &body["data"]["transcript"];
    assert_eq!(t["id"], m.id.as_str());
    assert!(t.get("date").is_none(), "unselected fields are absent");
    assert_eq!(t["sentences"].as_array().unwrap().len(), m.sentences.len());
    let s0 = &t["sentences"][0];
    assert_eq!(s0["speaker_name"], m.sentences[0].speaker_name.as_str());
    assert_eq!(s0["start_time"].as_f64().unwrap(), m.sentences[0].start);
    assert!(s0["end_time"].as_f64().unwrap() > s0["start_time"].as_f64().unwrap());
    assert!((t["duration"].as_f64().unwrap() - m.duration_minutes).abs() < 0.01);
    let (status, body) = post(&ff, KEY, query, json!({ "id": "01UNKNOWN" })).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(code(&body), "object_not_found");
    assert_eq!(body["errors"][0]["path"][0], "transcript");
    assert!(body["data"]["transcript"].is_null());
    // Another account cannot read it.
    let (_, body) = post(&ff, OTHER, query, json!({ "id": m.id })).await;
    assert_eq!(code(&body), "object_not_found");
    let (status, body) = post(&ff, KEY, query, json!({})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("$id"),
        "{body}"
    );
}

#[tokio::test]
async fn unknown_fields_arguments_and_bad_syntax_are_graphql_errors() {
    let ff = spawn(0, 0).await;
    for (query, wanted) in [
        (
            "{ transcripts { id secret_field } }",
            "Cannot query field \"secret_field\" on type \"Transcript\".",
        ),
        (
            "{ transcripts(sort: 1) { id } }",
            "Unknown argument \"sort\"",
        ),
        (
            "{ transcripts(limit: $n) { id } }",
            "Variable \"$n\" is not defined.",
        ),
        (
            "{ users { email } }",
            "Cannot query field \"users\" on type \"Query\".",
        ),
        ("{ transcripts { id ", "Syntax Error"),
        (
            "mutation { deleteTranscript(id: \"x\") { id } }",
            "mutation",
        ),
    ] {
        let (status, body) = post(&ff, KEY, query, json!({})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(wanted), "{query}: {body}");
        assert!(body.get("data").is_none_or(Value::is_null));
    }
}

#[tokio::test]
async fn plan_limits_answer_too_many_requests_with_when_to_retry() {
    let ff = spawn(2, 0).await;
    for _ in 0..2 {
        assert_eq!(post(&ff, KEY, LIST, json!({})).await.0, StatusCode::OK);
    }
    let now_ms = chrono::Utc::now().timestamp_millis();
    let (status, body) = post(&ff, KEY, LIST, json!({})).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(code(&body), "too_many_requests");
    let at = body["errors"][0]["extensions"]["metadata"]["retryAfter"]
        .as_i64()
        .unwrap();
    assert!(
        at > now_ms + 50_000 && at <= now_ms + 61_000,
        "{at} vs {now_ms}"
    );
    // Another key has its own window.
    assert_eq!(post(&ff, OTHER, LIST, json!({})).await.0, StatusCode::OK);

    let daily = spawn(0, 1).await;
    assert_eq!(post(&daily, KEY, LIST, json!({})).await.0, StatusCode::OK);
    let (status, body) = post(&daily, KEY, LIST, json!({})).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the daily refusal comes with HTTP 200"
    );
    assert_eq!(code(&body), "too_many_requests");
    let at = body["errors"][0]["extensions"]["metadata"]["retryAfter"]
        .as_i64()
        .unwrap();
    let midnight = (chrono::Utc::now().date_naive() + chrono::Days::new(1))
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    assert_eq!(at, midnight);
    assert_eq!(daily.requests(KEY), 2, "refusals are counted as requests");
}

#[tokio::test]
async fn scripted_faults_answer_in_order() {
    let ff = spawn(0, 0).await;
    ff.faults().push(FfFault::Status(502));
    ff.faults().push(FfFault::Malformed);
    ff.faults().push(FfFault::Delay(Duration::from_millis(300)));
    let (status, _) = post(&ff, KEY, LIST, json!({})).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let raw = reqwest::Client::new()
        .post(ff.api_url())
        .bearer_auth(KEY)
        .json(&json!({ "query": LIST }))
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&raw.text().await.unwrap()).is_err());
    let (status, body) = post(&ff, KEY, LIST, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&body).len(), 50);
    assert_eq!(ff.requests(KEY), 3);
}

#[tokio::test]
async fn only_post_graphql_is_served() {
    let ff = spawn(0, 0).await;
    let url = ff.api_url();
    let client = reqwest::Client::new();
    assert_eq!(
        client.get(&url).send().await.unwrap().status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
    let other = url.replace("/graphql", "/v2/graphql");
    assert_eq!(
        client
            .post(other)
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
}
