//! The synthetic Fathom held to shared/meetings/FATHOM-FIREFLIES.md, driven with plain reqwest
//! over loopback: auth, cursor paging, filters, embedded content, the per-key limit and its
//! headers, tenant isolation, scripted faults, and the people it shares with the Gong demo.

use std::collections::HashSet;
use std::time::Duration;

use gong_mcp::demo::{DEMO_ACCESS_KEY, DemoGong, DemoGongConfig};
use gong_mcp::fakes::fathom::*;
use reqwest::StatusCode;
use serde_json::Value;

const KEY_A: &str = "fake-fathom-key-a-Aa3";
const KEY_B: &str = "fake-fathom-key-b-Bb3";

async fn spawn(requests_per_minute: u32) -> FakeFathom {
    FakeFathom::spawn(FakeFathomConfig {
        tenants: vec![
            FakeFathomTenant::new(KEY_A, 1, 1001),
            FakeFathomTenant::new(KEY_B, 2, 2002),
        ],
        requests_per_minute,
        ..FakeFathomConfig::default()
    })
    .await
    .expect("the synthetic Fathom starts")
}

async fn get(f: &FakeFathom, key: Option<&str>, path_and_query: &str) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(format!("{}{path_and_query}", f.base_url()));
    if let Some(k) = key {
        req = req.header("X-Api-Key", k);
    }
    req.send().await.expect("the fake answers")
}

async fn json(f: &FakeFathom, key: &str, path_and_query: &str) -> Value {
    let res = get(f, Some(key), path_and_query).await;
    assert_eq!(res.status(), StatusCode::OK, "{path_and_query}");
    res.json().await.unwrap()
}

/// Every page of `/meetings?{query}`: the recording ids in order.
async fn all_ids(f: &FakeFathom, key: &str, query: &str) -> Vec<u64> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if query.is_empty() { "" } else { "&" };
        let q = match &cursor {
            Some(c) => format!("/meetings?{query}{sep}cursor={c}"),
            None => format!("/meetings?{query}"),
        };
        let page = json(f, key, &q).await;
        assert!(page["items"].as_array().unwrap().len() <= 10);
        assert_eq!(page["limit"], 10);
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["recording_id"].as_u64().unwrap()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn the_api_key_is_required_and_sees_only_its_meetings() {
    let f = spawn(0).await;
    let res = get(&f, None, "/meetings").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let body: Value = res.json().await.unwrap();
    assert!(
        body["message"].as_str().unwrap().contains("API key"),
        "{body}"
    );
    let res = get(&f, Some("not-a-key"), "/meetings").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(f.stats().unauthorized(), 2);
    // Routing before auth.
    assert_eq!(get(&f, None, "/nope").await.status(), StatusCode::NOT_FOUND);
    // Another key's recording is unknown.
    let b_id = f.meetings(KEY_B)[0].recording_id;
    let res = get(&f, Some(KEY_A), &format!("/recordings/{b_id}/transcript")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let a: HashSet<u64> = f.meetings(KEY_A).iter().map(|m| m.recording_id).collect();
    assert!(
        f.meetings(KEY_B)
            .iter()
            .all(|m| !a.contains(&m.recording_id))
    );
}

#[tokio::test]
async fn cursor_paging_lists_every_meeting_newest_first_once() {
    let f = spawn(0).await;
    let truth: Vec<u64> = f.meetings(KEY_A).iter().map(|m| m.recording_id).collect();
    assert!(truth.len() > 30, "{}", truth.len());
    assert_eq!(all_ids(&f, KEY_A, "").await, truth);
    let created: Vec<_> = f.meetings(KEY_A).iter().map(|m| m.created_at).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    // A cursor belongs to its query and its key.
    let page = json(&f, KEY_A, "/meetings").await;
    let c = page["next_cursor"].as_str().unwrap();
    let res = get(
        &f,
        Some(KEY_A),
        &format!("/meetings?calendar_invitees[]=x@y.com&cursor={c}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = get(&f, Some(KEY_B), &format!("/meetings?cursor={c}")).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn created_and_invitee_filters_select_exactly() {
    let f = spawn(0).await;
    let truth = f.meetings(KEY_A);
    let (after, before) = (truth[25].created_at, truth[5].created_at);
    let fmt = |t: chrono::DateTime<chrono::Utc>| {
        t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .replace('+', "%2B")
    };
    let ids = all_ids(
        &f,
        KEY_A,
        &format!(
            "created_after={}&created_before={}",
            fmt(after),
            fmt(before)
        ),
    )
    .await;
    let expected: Vec<u64> = truth
        .iter()
        .filter(|m| m.created_at >= after && m.created_at < before)
        .map(|m| m.recording_id)
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(ids.len(), 20);

    let contact = truth
        .iter()
        .flat_map(|m| &m.calendar_invitees)
        .find(|i| i.is_external)
        .unwrap()
        .clone();
    let ids = all_ids(&f, KEY_A, &format!("calendar_invitees[]={}", contact.email)).await;
    let expected: Vec<u64> = truth
        .iter()
        .filter(|m| m.invited(&contact.email))
        .map(|m| m.recording_id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids, expected);
    let ids = all_ids(
        &f,
        KEY_A,
        &format!("calendar_invitees_domains[]={}", contact.domain()),
    )
    .await;
    let expected: Vec<u64> = truth
        .iter()
        .filter(|m| {
            m.calendar_invitees
                .iter()
                .any(|i| i.domain() == contact.domain())
        })
        .map(|m| m.recording_id)
        .collect();
    assert_eq!(ids, expected);
    let res = get(&f, Some(KEY_A), "/meetings?created_after=yesterday").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = get(&f, Some(KEY_A), "/meetings?include_transcript=yes").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn content_is_embedded_only_when_asked_and_matches_the_recording_endpoints() {
    let f = spawn(0).await;
    let plain = json(&f, KEY_A, "/meetings").await;
    let item = &plain["items"][0];
    assert!(item.get("transcript").is_none() && item.get("default_summary").is_none());
    for field in [
        "title",
        "url",
        "share_url",
        "recording_start_time",
        "calendar_invitees",
        "recorded_by",
    ] {
        assert!(!item[field].is_null(), "{field}: {item}");
    }
    let full = json(
        &f,
        KEY_A,
        "/meetings?include_transcript=true&include_summary=true&include_action_items=true",
    )
    .await;
    let item = &full["items"][0];
    let id = item["recording_id"].as_u64().unwrap();
    let transcript = json(&f, KEY_A, &format!("/recordings/{id}/transcript")).await;
    assert_eq!(item["transcript"], transcript["transcript"]);
    let entry = &transcript["transcript"][0];
    assert!(entry["speaker"]["display_name"].is_string());
    let ts = entry["timestamp"].as_str().unwrap();
    assert_eq!(ts.len(), 8, "HH:MM:SS: {ts}");
    let summary = json(&f, KEY_A, &format!("/recordings/{id}/summary")).await;
    assert_eq!(item["default_summary"], summary["summary"]);
    assert!(!item["action_items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn sixty_a_minute_with_ratelimit_headers_then_429() {
    let f = spawn(3).await;
    for remaining in [2, 1, 0] {
        let res = get(&f, Some(KEY_A), "/meetings").await;
        assert_eq!(res.status(), StatusCode::OK);
        let h = res.headers();
        assert_eq!(h["ratelimit-limit"], "3");
        assert_eq!(h["ratelimit-remaining"], remaining.to_string().as_str());
    }
    let res = get(&f, Some(KEY_A), "/meetings").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let reset: u64 = res.headers()["ratelimit-reset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((55..=60).contains(&reset), "{reset}");
    assert_eq!(res.headers()["retry-after"], reset.to_string().as_str());
    // Per key: the other tenant is untouched.
    assert_eq!(
        get(&f, Some(KEY_B), "/meetings").await.status(),
        StatusCode::OK
    );
    assert_eq!(f.stats().requests(KEY_A), 4);
    assert_eq!(
        f.stats().requests_to(KEY_B, FathomEndpoint::ListMeetings),
        1
    );
}

#[tokio::test]
async fn scripted_faults_fire_in_order_for_their_key_and_endpoint() {
    let f = spawn(0).await;
    f.faults().push_for(
        Some(KEY_A),
        Some(FathomEndpoint::ListMeetings),
        FathomFault::ServerError,
        1,
    );
    f.faults().push(None, FathomFault::MalformedJson, 1);
    f.faults().push(
        None,
        FathomFault::TooManyRequests {
            retry_after_secs: 9,
        },
        1,
    );
    f.faults()
        .push(None, FathomFault::Delay(Duration::from_millis(300)), 1);
    // KEY_B skips the entry for KEY_A and takes the next one: a 200 that is not JSON.
    let res = get(&f, Some(KEY_B), "/meetings").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&res.text().await.unwrap()).is_err());
    let res = get(&f, Some(KEY_A), "/meetings").await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let res = get(&f, Some(KEY_A), "/meetings").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.headers()["retry-after"], "9");
    let started = std::time::Instant::now();
    let res = get(&f, Some(KEY_A), "/meetings").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(f.faults().pending(), 0);
}

#[tokio::test]
async fn the_demo_fathom_meets_the_demo_gong_workspace_people() {
    let fathom = FakeFathom::spawn(FakeFathomConfig::default())
        .await
        .unwrap();
    let gong = DemoGong::spawn(DemoGongConfig::default()).await.unwrap();
    let ws = gong.workspace(DEMO_ACCESS_KEY).unwrap();
    let gong_contacts: HashSet<String> = ws
        .companies
        .iter()
        .flat_map(|c| c.contacts.iter().filter_map(|p| p.email.clone()))
        .collect();
    let meetings = fathom.meetings(DEMO_FATHOM_API_KEY);
    let shared: HashSet<&str> = meetings
        .iter()
        .flat_map(|m| m.calendar_invitees.iter().filter(|i| i.is_external))
        .map(|i| i.email.as_str())
        .filter(|e| gong_contacts.contains(*e))
        .collect();
    assert!(shared.len() >= 5, "customer contacts on both: {shared:?}");
    // Other conversations, not copies of Gong's calls.
    let gong_calls: HashSet<(&str, i64)> = ws
        .calls
        .iter()
        .map(|c| (c.title.as_str(), c.started.timestamp() / 60))
        .collect();
    let copies = meetings
        .iter()
        .filter(|m| {
            gong_calls.contains(&(m.title.as_str(), m.recording_start_time.timestamp() / 60))
        })
        .count();
    assert_eq!(copies, 0);
}
