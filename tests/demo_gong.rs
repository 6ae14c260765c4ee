//! The demo Gong held to Gong's documented behaviour (see shared/gong/API-NOTES.md).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use gong_mcp::demo::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

// This binary's logs go into the suite's captured trace log (scanned for secrets), from before
// its first test.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static CAPTURE: extern "C" fn() = capture;

extern "C" fn capture() {
    gong_mcp::telemetry::capture_test_log("tests/demo_gong.rs");
}

const NO_CALLS: &str = "No calls found corresponding to the provided filters";

fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, 18, 0, 0).unwrap()
}

async fn spawn(requests_per_second: u32) -> DemoGong {
    DemoGong::spawn(DemoGongConfig {
        requests_per_second,
        now: fixed_now(),
        ..Default::default()
    })
    .await
    .expect("spawn demo gong")
}

async fn spawn_two_tenants() -> DemoGong {
    DemoGong::spawn(DemoGongConfig {
        tenants: vec![
            DemoTenant::new(
                "demo-tenant-key-a",
                "demo-tenant-secret-a-Sa1",
                "Northwind Analytics",
                1,
            ),
            DemoTenant::new(
                "demo-tenant-key-b",
                "demo-tenant-secret-b-Sb2",
                "Contoso Robotics",
                2,
            )
            .with_calls(150),
        ],
        requests_per_second: 0,
        now: fixed_now(),
        ..Default::default()
    })
    .await
    .expect("spawn demo gong")
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

async fn reply(res: reqwest::Response) -> Reply {
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Reply {
        status,
        headers,
        body,
    }
}

fn query(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

async fn get_as(g: &DemoGong, key: &str, secret: &str, path: &str) -> Reply {
    let res = client()
        .get(format!("{}{path}", g.base_url()))
        .basic_auth(key, Some(secret))
        .send()
        .await
        .unwrap();
    reply(res).await
}

async fn get(g: &DemoGong, path: &str) -> Reply {
    get_as(g, DEMO_ACCESS_KEY, DEMO_ACCESS_SECRET, path).await
}

async fn post_as(g: &DemoGong, key: &str, secret: &str, path: &str, body: &Value) -> Reply {
    let res = client()
        .post(format!("{}{path}", g.base_url()))
        .basic_auth(key, Some(secret))
        .json(body)
        .send()
        .await
        .unwrap();
    reply(res).await
}

async fn post(g: &DemoGong, path: &str, body: &Value) -> Reply {
    post_as(g, DEMO_ACCESS_KEY, DEMO_ACCESS_SECRET, path, body).await
}

fn errors(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

fn assert_trace_id(r: &Reply) {
    let rid = r.body["requestId"].as_str().expect("requestId");
    assert!(!rid.is_empty());
    assert_eq!(r.headers["x-traceid"].to_str().unwrap(), rid);
}

fn ids(calls: &Value, pointer: &str) -> Vec<String> {
    calls
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.pointer(pointer).unwrap().as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn rejects_missing_wrong_and_unknown_credentials_with_401() {
    let g = spawn(0).await;
    let anon = reply(
        client()
            .get(format!("{}/v2/calls", g.base_url()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let wrong_secret = get_as(&g, DEMO_ACCESS_KEY, "wrong-demo-secret-Ww1", "/v2/calls").await;
    let unknown_key = get_as(&g, "unknown-demo-key-Uu1", DEMO_ACCESS_SECRET, "/v2/calls").await;
    let bearer = reply(
        client()
            .get(format!("{}/v2/calls", g.base_url()))
            .bearer_auth("token")
            .send()
            .await
            .unwrap(),
    )
    .await;
    for r in [&anon, &wrong_secret, &unknown_key, &bearer] {
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_trace_id(r);
        assert_eq!(errors(r).len(), 1);
    }
    assert_eq!(g.stats().unauthorized(), 4);
    assert_eq!(g.stats().total_requests(DEMO_ACCESS_KEY), 0);
}

#[tokio::test]
async fn pages_300_calls_in_three_pages_of_100_each_call_once() {
    let g = spawn(0).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    for page in 0..3u64 {
        let q = match &cursor {
            Some(c) => format!("?{}", query(&[("cursor", c)])),
            None => String::new(),
        };
        let r = get(&g, &format!("/v2/calls{q}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.headers["content-type"], "application/json;charset=UTF-8");
        assert_trace_id(&r);
        let rec = &r.body["records"];
        assert_eq!(rec["totalRecords"], 300);
        assert_eq!(rec["currentPageSize"], 100);
        assert_eq!(rec["currentPageNumber"], page);
        assert_eq!(r.body["calls"].as_array().unwrap().len(), 100);
        seen.extend(ids(&r.body["calls"], "/id"));
        cursor = rec
            .get("cursor")
            .and_then(Value::as_str)
            .map(str::to_string);
        assert_eq!(
            cursor.is_some(),
            page < 2,
            "cursor only while more remain (page {page})"
        );
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 300);
    let truth: Vec<String> = g
        .workspace(DEMO_ACCESS_KEY)
        .unwrap()
        .calls
        .iter()
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(seen, truth, "start-time order, each call exactly once");
}

#[tokio::test]
async fn call_metadata_has_string_ids_offsets_and_nulls() {
    let g = spawn(0).await;
    let r = get(&g, "/v2/calls").await;
    let calls = r.body["calls"].as_array().unwrap();
    let mut saw_null_meeting_url = false;
    let mut saw_micros = false;
    for c in calls {
        for key in ["id", "primaryUserId", "workspaceId"] {
            let id = c[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} must be a string"));
            assert!(id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit()));
        }
        let started = c["started"].as_str().unwrap();
        DateTime::parse_from_rfc3339(started).expect("ISO-8601 with offset");
        saw_micros |= started.len() > "2026-11-03T14:03:37-08:00".len();
        for key in [
            "sdrDisposition",
            "customData",
            "meetingUrl",
            "calendarEventId",
            "purpose",
            "clientUniqueId",
        ] {
            assert!(c.get(key).is_some(), "{key} present even when empty");
        }
        saw_null_meeting_url |= c["meetingUrl"].is_null();
    }
    assert!(saw_null_meeting_url && saw_micros);
}

#[tokio::test]
async fn date_filter_is_from_inclusive_to_exclusive() {
    let g = spawn(0).await;
    let ws = g.workspace(DEMO_ACCESS_KEY).unwrap();
    let all = get(&g, "/v2/calls").await;
    let c10 = &all.body["calls"][10];
    let c20 = &all.body["calls"][20];
    let (from, to) = (
        c10["started"].as_str().unwrap(),
        c20["started"].as_str().unwrap(),
    );
    let r = get(
        &g,
        &format!(
            "/v2/calls?{}",
            query(&[("fromDateTime", from), ("toDateTime", to)])
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let got = ids(&r.body["calls"], "/id");
    let want: Vec<String> = ws.calls[10..20].iter().map(|c| c.id.clone()).collect();
    assert_eq!(got, want);
    assert_eq!(r.body["records"]["totalRecords"], 10);
    assert!(r.body["records"].get("cursor").is_none());
    // The same instants written in UTC ("Z") select the same calls.
    let z = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&Utc)
            .to_rfc3339()
    };
    let r2 = get(
        &g,
        &format!(
            "/v2/calls?{}",
            query(&[("fromDateTime", &z(from)), ("toDateTime", &z(to))])
        ),
    )
    .await;
    assert_eq!(ids(&r2.body["calls"], "/id"), got);
}

#[tokio::test]
async fn empty_range_is_404_with_gongs_body_on_all_three_endpoints() {
    let g = spawn(0).await;
    let (from, to) = ("2020-01-01T00:00:00Z", "2020-01-02T00:00:00Z");
    let list = get(
        &g,
        &format!(
            "/v2/calls?{}",
            query(&[("fromDateTime", from), ("toDateTime", to)])
        ),
    )
    .await;
    let filter = json!({"filter": {"fromDateTime": from, "toDateTime": to}});
    let ext = post(&g, "/v2/calls/extensive", &filter).await;
    let tr = post(&g, "/v2/calls/transcript", &filter).await;
    for r in [&list, &ext, &tr] {
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(errors(r), vec![NO_CALLS]);
        assert_trace_id(r);
    }
}

#[tokio::test]
async fn malformed_requests_are_400() {
    let g = spawn(0).await;
    let reversed = get(
        &g,
        &format!(
            "/v2/calls?{}",
            query(&[
                ("fromDateTime", "2026-10-02T00:00:00Z"),
                ("toDateTime", "2026-10-01T00:00:00Z")
            ])
        ),
    )
    .await;
    assert_eq!(reversed.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        errors(&reversed),
        vec!["filter.fromDateTime: must be before toDateTime"]
    );

    let bad_date = get(&g, "/v2/calls?fromDateTime=yesterday").await;
    assert_eq!(bad_date.status, StatusCode::BAD_REQUEST);
    assert!(errors(&bad_date)[0].contains("fromDateTime"));
    // An unencoded '+' arrives as a space, as on any servlet stack.
    let plus = get(&g, "/v2/calls?fromDateTime=2026-10-01T00:00:00+02:00").await;
    assert_eq!(plus.status, StatusCode::BAD_REQUEST);

    let parse_error = "Json parse error, verify Json format matches the API description.";
    let no_filter = post(&g, "/v2/calls/extensive", &json!({})).await;
    assert_eq!(no_filter.status, StatusCode::BAD_REQUEST);
    assert_eq!(errors(&no_filter), vec![parse_error]);
    let not_json = reply(
        client()
            .post(format!("{}/v2/calls/transcript", g.base_url()))
            .basic_auth(DEMO_ACCESS_KEY, Some(DEMO_ACCESS_SECRET))
            .header("content-type", "application/json")
            .body("{\"filter\": ")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert_eq!(errors(&not_json), vec![parse_error]);
    let bad_selector = json!({"filter": {}, "contentSelector": {"context": "Everything"}});
    assert_eq!(
        post(&g, "/v2/calls/extensive", &bad_selector).await.status,
        StatusCode::BAD_REQUEST
    );
    let bad_id = json!({"filter": {"callIds": ["not-a-number"]}});
    assert_eq!(
        post(&g, "/v2/calls/transcript", &bad_id).await.status,
        StatusCode::BAD_REQUEST
    );
    for path in ["/v2/calls/extensive", "/v2/calls/transcript"] {
        let empty = post(&g, path, &json!({"filter": {"callIds": []}})).await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST, "{path}");
        assert_trace_id(&empty);
    }
    assert_eq!(
        g.stats()
            .last_call_ids_len(DEMO_ACCESS_KEY, Endpoint::CallsTranscript),
        Some(0)
    );
}

#[tokio::test]
async fn unknown_paths_404_and_wrong_methods_405_with_json_errors() {
    let g = spawn(0).await;
    let missing = get(&g, "/v2/nothing-here").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_trace_id(&missing);
    let wrong = get(&g, "/v2/calls/extensive").await;
    assert_eq!(wrong.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.headers["allow"], "POST");
    assert_trace_id(&wrong);
    let create = post(&g, "/v2/calls", &json!({"filter": {}})).await;
    assert_eq!(
        create.status,
        StatusCode::BAD_REQUEST,
        "POST /v2/calls creates calls in Gong"
    );
}

#[tokio::test]
async fn extensive_blocks_appear_only_when_selected() {
    let g = spawn(0).await;
    let ws = g.workspace(DEMO_ACCESS_KEY).unwrap();
    let call = ws
        .calls
        .iter()
        .find(|c| c.scope == "External" && c.content.brief.is_some())
        .unwrap();
    let bare = post(
        &g,
        "/v2/calls/extensive",
        &json!({"filter": {"callIds": [call.id]}}),
    )
    .await;
    assert_eq!(bare.status, StatusCode::OK);
    let keys: Vec<&String> = bare.body["calls"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["metaData"]);

    let sel = json!({
        "filter": {"callIds": [call.id]},
        "contentSelector": {"exposedFields": {"parties": true, "content": {"topics": true}}}
    });
    let r = post(&g, "/v2/calls/extensive", &sel).await;
    let c = &r.body["calls"][0];
    assert_eq!(c["metaData"]["title"], call.title.as_str());
    assert!(
        c.get("interaction").is_none() && c.get("context").is_none() && c.get("media").is_none()
    );
    assert_eq!(
        c["content"].as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["topics"]
    );
    let parties = c["parties"].as_array().unwrap();
    assert_eq!(parties.len(), call.parties.len());
    for p in parties {
        assert!(p["id"].is_string());
        assert!(
            p.get("context").is_none(),
            "party context only with context != None"
        );
        for key in ["userId", "speakerId"] {
            if let Some(v) = p.get(key) {
                assert!(v.is_string(), "{key} is a string id");
            }
        }
    }

    let full = json!({
        "filter": {"callIds": [call.id]},
        "contentSelector": {"context": "Extended", "exposedFields": {
            "parties": true, "media": true,
            "content": {"structure": true, "topics": true, "trackers": true, "trackerOccurrences": true,
                        "brief": true, "outline": true, "highlights": true, "callOutcome": true, "keyPoints": true},
            "interaction": {"speakers": true, "video": true, "personInteractionStats": true, "questions": true},
            "collaboration": {"publicComments": true}}}
    });
    let r = post(&g, "/v2/calls/extensive", &full).await;
    let c = &r.body["calls"][0];
    assert_eq!(
        c["content"]["brief"],
        call.content.brief.clone().unwrap().as_str()
    );
    assert!(c["content"]["trackers"][0]["occurrences"].is_array());
    assert!(
        c["interaction"]["interactionStats"].is_array()
            && c["interaction"]["questions"].is_object()
    );
    assert!(c["collaboration"]["publicComments"].is_array() && c["media"]["audioUrl"].is_string());
    let opp = c["context"][0]["objects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["objectType"] == "Opportunity");
    let fields = opp.unwrap()["fields"].as_array().unwrap();
    assert!(
        fields.iter().any(|f| f["name"] == "StageName")
            && fields.iter().any(|f| f["name"] == "Amount")
    );

    let basic = json!({"filter": {"callIds": [call.id]}, "contentSelector": {"context": "Basic"}});
    let r = post(&g, "/v2/calls/extensive", &basic).await;
    assert!(
        r.body["calls"][0]["context"][0]["objects"][0]["fields"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn call_ids_accept_strings_and_numbers_and_skip_unknown_ones() {
    let g = spawn(0).await;
    let ws = g.workspace(DEMO_ACCESS_KEY).unwrap();
    let (a, b) = (&ws.calls[5].id, &ws.calls[6].id);
    let number: u64 = b.parse().unwrap();
    let body = json!({"filter": {"callIds": [a, number, "1234567890123456789"]}});
    let r = post(&g, "/v2/calls/extensive", &body).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        ids(&r.body["calls"], "/metaData/id"),
        vec![a.clone(), b.clone()]
    );
    assert_eq!(
        g.stats()
            .last_call_ids_len(DEMO_ACCESS_KEY, Endpoint::CallsExtensive),
        Some(3)
    );
    let host = &ws.calls[5].primary_user_id;
    let by_host = json!({"filter": {"primaryUserIds": [host]}});
    let r = post(&g, "/v2/calls/extensive", &by_host).await;
    let want = ws
        .calls
        .iter()
        .filter(|c| &c.primary_user_id == host)
        .count();
    assert_eq!(r.body["records"]["totalRecords"], want);
    let hosts = ids(&r.body["calls"], "/metaData/primaryUserId");
    assert!(!hosts.is_empty() && hosts.iter().all(|h| h == host));
    let unknown = post(
        &g,
        "/v2/calls/transcript",
        &json!({"filter": {"callIds": ["1234567890123456789"]}}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(errors(&unknown), vec![NO_CALLS]);
}

#[tokio::test]
async fn extensive_pages_with_a_body_cursor_bound_to_the_filter() {
    let g = spawn(0).await;
    let filter = json!({"fromDateTime": "2026-09-01T00:00:00Z"});
    let first = post(&g, "/v2/calls/extensive", &json!({"filter": filter})).await;
    let cursor = first.body["records"]["cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let second = post(
        &g,
        "/v2/calls/extensive",
        &json!({"filter": filter, "cursor": cursor}),
    )
    .await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body["records"]["currentPageNumber"], 1);
    let overlap: HashSet<String> = ids(&first.body["calls"], "/metaData/id")
        .into_iter()
        .collect();
    assert!(
        ids(&second.body["calls"], "/metaData/id")
            .iter()
            .all(|id| !overlap.contains(id))
    );
    let other = json!({"filter": {"fromDateTime": "2026-09-02T00:00:00Z"}, "cursor": cursor});
    let mismatch = post(&g, "/v2/calls/extensive", &other).await;
    assert_eq!(mismatch.status, StatusCode::BAD_REQUEST);
    let garbage = post(
        &g,
        "/v2/calls/extensive",
        &json!({"filter": filter, "cursor": "garbage"}),
    )
    .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn transcripts_are_deterministic_realistic_and_in_milliseconds() {
    let g = spawn(0).await;
    let ws = g.workspace(DEMO_ACCESS_KEY).unwrap();
    let call = ws
        .calls
        .iter()
        .find(|c| (1700..=1900).contains(&c.duration) && c.scope == "External")
        .unwrap();
    let body = json!({"filter": {"callIds": [call.id]}});
    let a = post(&g, "/v2/calls/transcript", &body).await;
    let b = post(&g, "/v2/calls/transcript", &body).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["callTranscripts"], b.body["callTranscripts"]);
    let entry = &a.body["callTranscripts"][0];
    assert_eq!(entry["callId"], call.id.as_str());
    let monologues = entry["transcript"].as_array().unwrap();
    let truth = ws.transcript(&call.id).unwrap();
    assert_eq!(monologues.len(), truth.len());
    let sentences: usize = monologues
        .iter()
        .map(|m| m["sentences"].as_array().unwrap().len())
        .sum();
    assert!(
        (300..=500).contains(&sentences),
        "30-minute call has {sentences} sentences"
    );
    let last_end = monologues.last().unwrap()["sentences"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["end"]
        .as_u64()
        .unwrap();
    assert!(
        last_end > u64::from(call.duration) * 900 && last_end <= u64::from(call.duration) * 1000,
        "ms"
    );
    for pair in monologues.windows(2) {
        assert_ne!(pair[0]["speakerId"], pair[1]["speakerId"]);
    }

    // Some transcripts have speakers no party carries.
    let orphan = ws
        .calls
        .iter()
        .find(|c| !c.imported && c.voices.iter().any(|v| v.party.is_none()))
        .unwrap();
    let tr = post(
        &g,
        "/v2/calls/transcript",
        &json!({"filter": {"callIds": [orphan.id]}}),
    )
    .await;
    let ext = post(
        &g,
        "/v2/calls/extensive",
        &json!({"filter": {"callIds": [orphan.id]}, "contentSelector": {"exposedFields": {"parties": true}}}),
    )
    .await;
    let party_speakers: HashSet<&str> = ext.body["calls"][0]["parties"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["speakerId"].as_str())
        .collect();
    let heard: HashSet<&str> = tr.body["callTranscripts"][0]["transcript"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["speakerId"].as_str())
        .collect();
    assert!(heard.iter().any(|s| !party_speakers.contains(s)));
}

#[tokio::test]
async fn fourth_request_within_a_second_gets_429_with_retry_after() {
    let g = spawn(3).await;
    // Sent together so all four surely land within one second, even on a busy machine.
    let replies = futures::future::join_all((0..4).map(|_| get(&g, "/v2/workspaces"))).await;
    let ok = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let limited: Vec<&Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert_eq!((ok, limited.len()), (3, 1));
    let limited = limited[0];
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 1);
    assert_eq!(errors(limited), vec!["API request limit exceeded"]);
    assert_trace_id(limited);
    assert_eq!(g.stats().rate_limited(DEMO_ACCESS_KEY), 1);
    assert_eq!(g.stats().max_requests_in_any_second(DEMO_ACCESS_KEY), 4);
    assert_eq!(g.stats().requests(DEMO_ACCESS_KEY, Endpoint::Workspaces), 4);

    tokio::time::sleep(Duration::from_millis(retry * 1000 + 50)).await;
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
}

#[tokio::test]
async fn paced_client_is_never_limited() {
    let g = spawn(3).await;
    for _ in 0..7 {
        assert_eq!(get(&g, "/v2/users").await.status, StatusCode::OK);
        tokio::time::sleep(Duration::from_millis(350)).await;
    }
    assert_eq!(g.stats().rate_limited(DEMO_ACCESS_KEY), 0);
    assert!(g.stats().max_requests_in_any_second(DEMO_ACCESS_KEY) <= 3);
    assert_eq!(g.stats().requests(DEMO_ACCESS_KEY, Endpoint::ListUsers), 7);
}

#[tokio::test]
async fn daily_limit_answers_429_until_utc_midnight() {
    let g = DemoGong::spawn(DemoGongConfig {
        requests_per_second: 0,
        daily_limit: Some(2),
        now: fixed_now(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
    let r = get(&g, "/v2/workspaces").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=86_400).contains(&retry));
    g.reset_rate_limits();
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
}

#[tokio::test]
async fn tenants_are_isolated_but_share_call_ids() {
    let g = spawn_two_tenants().await;
    let (wa, wb) = (
        g.workspace("demo-tenant-key-a").unwrap(),
        g.workspace("demo-tenant-key-b").unwrap(),
    );
    assert_eq!(wa.calls.len(), 300);
    assert_eq!(wb.calls.len(), 150);
    let id = &wa.calls[0].id;
    assert_eq!(&wb.calls[0].id, id, "same id sequence");
    let body = json!({"filter": {"callIds": [id]}, "contentSelector": {"exposedFields": {"parties": true}}});
    let a = post_as(
        &g,
        "demo-tenant-key-a",
        "demo-tenant-secret-a-Sa1",
        "/v2/calls/extensive",
        &body,
    )
    .await;
    let b = post_as(
        &g,
        "demo-tenant-key-b",
        "demo-tenant-secret-b-Sb2",
        "/v2/calls/extensive",
        &body,
    )
    .await;
    assert_eq!(
        a.body["calls"][0]["metaData"]["title"],
        wa.calls[0].title.as_str()
    );
    assert_eq!(
        b.body["calls"][0]["metaData"]["title"],
        wb.calls[0].title.as_str()
    );
    assert_ne!(
        a.body["calls"][0]["metaData"]["title"],
        b.body["calls"][0]["metaData"]["title"]
    );
    assert_ne!(a.body["calls"][0]["parties"], b.body["calls"][0]["parties"]);
    // A only sees A's workspace, and a's secret does not open b.
    let wsa = get_as(
        &g,
        "demo-tenant-key-a",
        "demo-tenant-secret-a-Sa1",
        "/v2/workspaces",
    )
    .await;
    assert_eq!(wsa.body["workspaces"].as_array().unwrap().len(), 1);
    assert_eq!(wsa.body["workspaces"][0]["id"], wa.id.as_str());
    assert_eq!(
        get_as(
            &g,
            "demo-tenant-key-b",
            "demo-tenant-secret-a-Sa1",
            "/v2/workspaces"
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    // A cursor issued to one tenant is refused for the other.
    let page = get_as(
        &g,
        "demo-tenant-key-a",
        "demo-tenant-secret-a-Sa1",
        "/v2/calls",
    )
    .await;
    let cursor = page.body["records"]["cursor"].as_str().unwrap();
    let stolen = get_as(
        &g,
        "demo-tenant-key-b",
        "demo-tenant-secret-b-Sb2",
        &format!("/v2/calls?{}", query(&[("cursor", cursor)])),
    )
    .await;
    assert_eq!(stolen.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        g.stats()
            .requests("demo-tenant-key-a", Endpoint::CallsExtensive),
        1
    );
    assert_eq!(
        g.stats()
            .requests("demo-tenant-key-b", Endpoint::CallsExtensive),
        1
    );
}

#[tokio::test]
async fn scripted_faults_fire_the_given_number_of_times_then_stop() {
    let g = spawn(0).await;
    g.faults().push(
        Fault::Status {
            status: 503,
            body: "down".into(),
            content_type: "text/plain",
        },
        2,
    );
    assert_eq!(
        get(&g, "/v2/workspaces").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        get(&g, "/v2/workspaces").await.body,
        Value::String("down".into())
    );
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
    assert_eq!(g.faults().fired(), 2);
    assert_eq!(g.faults().pending(), 0);

    // Scoped to one tenant and endpoint.
    g.faults().push_for(
        Some(DEMO_ACCESS_KEY),
        Some(Endpoint::ListUsers),
        Fault::TooManyRequests {
            retry_after_secs: 7,
        },
        1,
    );
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
    let r = get(&g, "/v2/users").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "7");
    assert_eq!(get(&g, "/v2/users").await.status, StatusCode::OK);

    g.faults().push(Fault::HtmlError { status: 502 }, 1);
    let html = get(&g, "/v2/workspaces").await;
    assert_eq!(html.status, StatusCode::BAD_GATEWAY);
    assert!(
        html.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(html.body.as_str().unwrap().contains("<html>"));

    g.faults().push(
        Fault::Redirect {
            location: "https://us-1234.api.gong.io/v2/workspaces".into(),
            status: 302,
        },
        1,
    );
    let redirect = get(&g, "/v2/workspaces").await;
    assert_eq!(redirect.status, StatusCode::FOUND);
    assert_eq!(
        redirect.headers["location"],
        "https://us-1234.api.gong.io/v2/workspaces"
    );

    g.faults().push(Fault::InvalidJson, 1);
    let res = client()
        .get(format!("{}/v2/calls", g.base_url()))
        .basic_auth(DEMO_ACCESS_KEY, Some(DEMO_ACCESS_SECRET))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.json::<Value>().await.is_err());

    g.faults().push(Fault::Delay(Duration::from_millis(300)), 1);
    let t = Instant::now();
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
    assert!(t.elapsed() >= Duration::from_millis(300));

    g.faults().clear();
    g.faults().push(Fault::InvalidJson, 5);
    g.faults().clear();
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
}

#[tokio::test]
async fn connection_level_faults_break_the_exchange() {
    let g = spawn(0).await;
    let url = format!("{}/v2/workspaces", g.base_url());
    let send = || {
        client()
            .get(&url)
            .basic_auth(DEMO_ACCESS_KEY, Some(DEMO_ACCESS_SECRET))
            .send()
    };

    g.faults().push(Fault::ResetConnection, 1);
    assert!(send().await.is_err(), "no response at all");

    g.faults().push(Fault::TruncatedBody, 1);
    let res = send().await.expect("headers arrive");
    assert_eq!(res.status(), StatusCode::OK);
    let promised = res.content_length().unwrap();
    assert!(promised > 0);
    assert!(res.bytes().await.is_err(), "body ends early");

    assert_eq!(
        send().await.unwrap().status(),
        StatusCode::OK,
        "later requests are served"
    );
    assert_eq!(g.faults().fired(), 2);
}

#[tokio::test]
async fn nulls_everywhere_keeps_ids_and_adds_unknown_fields() {
    let g = spawn(0).await;
    g.faults()
        .push_for(None, Some(Endpoint::ListCalls), Fault::NullsEverywhere, 1);
    let r = get(&g, "/v2/calls").await;
    assert_eq!(r.status, StatusCode::OK);
    let c = &r.body["calls"][0];
    assert!(c["id"].is_string());
    assert!(c["title"].is_null() && c["started"].is_null() && c["duration"].is_null());
    assert!(c.get("futureField").is_some() && r.body.get("futureField").is_some());
    assert_eq!(r.body["records"]["totalRecords"], 300);
    assert!(get(&g, "/v2/calls").await.body["calls"][0]["title"].is_string());
}

#[tokio::test]
async fn users_workspaces_and_single_call_endpoints() {
    let g = spawn(0).await;
    let ws = g.workspace(DEMO_ACCESS_KEY).unwrap();
    let users = get(&g, "/v2/users").await;
    assert_eq!(users.body["records"]["totalRecords"], ws.users.len());
    let u = &users.body["users"][0];
    assert!(
        u["id"].is_string() && u.get("title").is_some() && u["conferencingProviders"].is_null()
    );
    let one = get(&g, &format!("/v2/users/{}", ws.users[1].id)).await;
    assert_eq!(one.body["user"]["emailAddress"], ws.users[1].email.as_str());
    let call = get(&g, &format!("/v2/calls/{}", ws.calls[3].id)).await;
    assert_eq!(call.body["call"]["title"], ws.calls[3].title.as_str());
    let missing = get(&g, "/v2/calls/894411314421502864").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        errors(&missing),
        vec!["Call ID 894411314421502864 was not found"]
    );
    let workspaces = get(&g, "/v2/workspaces").await;
    assert_eq!(workspaces.body["workspaces"][0]["name"], ws.name.as_str());
}

#[tokio::test]
async fn dropping_the_server_also_fails_kept_alive_connections() {
    let g = spawn(0).await;
    let http = client();
    let url = format!("{}/v2/workspaces", g.base_url());
    let send = || {
        http.get(&url)
            .basic_auth(DEMO_ACCESS_KEY, Some(DEMO_ACCESS_SECRET))
            .send()
    };
    assert_eq!(send().await.unwrap().status(), StatusCode::OK);
    drop(g);
    assert!(
        send().await.is_err(),
        "pooled connection must not keep answering"
    );
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let g = spawn(0).await;
    let url = g.base_url();
    assert_eq!(get(&g, "/v2/workspaces").await.status, StatusCode::OK);
    g.shutdown().await;
    let fresh = reqwest::Client::new();
    assert!(
        fresh
            .get(format!("{url}/v2/workspaces"))
            .send()
            .await
            .is_err()
    );
}

// ---- the synthetic Gong's response shapes against Gong's own (tests/fixtures/gong) -------------

/// A JSON document's shape: every field path (`calls[].parties[].name`) with the JSON types seen
/// there across all array items ("null" included).
fn shape(
    v: &Value,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<&'static str>> {
    fn walk(
        v: &Value,
        path: &str,
        out: &mut std::collections::BTreeMap<String, std::collections::BTreeSet<&'static str>>,
    ) {
        let kind = match v {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(items) => {
                for item in items {
                    walk(item, &format!("{path}[]"), out);
                }
                "array"
            }
            Value::Object(fields) => {
                for (k, item) in fields {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(item, &p, out);
                }
                "object"
            }
        };
        out.entry(path.to_owned()).or_default().insert(kind);
    }
    let mut out = std::collections::BTreeMap::new();
    walk(v, "", &mut out);
    out
}

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/gong/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

/// Field by field: every field the synthetic Gong sends is one Gong documents, with Gong's type
/// (or null: Gong sends null for empty fields); every field Gong documents is sent, except the
/// `missing` ones, each with its reason. Returns the differences found.
fn compare_shapes(name: &str, fake: &Value, gong: &Value, missing: &[(&str, &str)]) -> Vec<String> {
    let (fake, gong) = (shape(fake), shape(gong));
    let mut problems = Vec::new();
    for (path, kinds) in &fake {
        match gong.get(path) {
            None => problems.push(format!("{name}: {path} is not in Gong's response")),
            Some(want) => {
                // CRM field values are any JSON type in Gong's spec.
                let any_type = path.ends_with("fields[].value");
                for kind in kinds {
                    if *kind != "null" && !want.contains(kind) && !any_type {
                        problems.push(format!("{name}: {path} is {kind}, Gong's is {want:?}"));
                    }
                }
            }
        }
    }
    for path in gong.keys() {
        let excused = missing.iter().any(|(m, _)| {
            path == m || path.starts_with(&format!("{m}.")) || path.starts_with(&format!("{m}[]"))
        });
        if !fake.contains_key(path) && !excused {
            problems.push(format!("{name}: Gong's {path} is never sent"));
        }
    }
    for (m, why) in missing {
        if fake.contains_key(*m) {
            problems.push(format!("{name}: {m} is sent now; drop its excuse ({why})"));
        }
    }
    problems
}

#[tokio::test]
async fn response_shapes_match_gong_s_own_field_by_field() {
    let g = spawn(0).await;
    let mut problems = Vec::new();

    let page = get(
        &g,
        &format!(
            "/v2/calls?{}",
            query(&[
                ("fromDateTime", "2026-01-01T00:00:00Z"),
                ("toDateTime", "2026-12-01T00:00:00Z")
            ])
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body["records"]["cursor"].is_string(),
        "a page with more to come"
    );
    problems.extend(compare_shapes(
        "GET /v2/calls",
        &page.body,
        &fixture("calls.json"),
        &[],
    ));

    // Every field Gong can send: all exposed fields, CRM context with values, on the first page
    // (100 calls, a cursor to the rest) of the whole range.
    let range =
        json!({"fromDateTime": "2026-01-01T00:00:00Z", "toDateTime": "2026-12-01T00:00:00Z"});
    let everything = json!({
        "filter": range,
        "contentSelector": {"context": "Extended", "exposedFields": {
            "parties": true, "media": true,
            "content": {"structure": true, "topics": true, "trackers": true, "trackerOccurrences": true,
                        "pointsOfInterest": true, "brief": true, "outline": true, "highlights": true,
                        "callOutcome": true, "keyPoints": true},
            "interaction": {"speakers": true, "video": true, "personInteractionStats": true, "questions": true},
            "collaboration": {"publicComments": true}}}
    });
    let extensive = post(&g, "/v2/calls/extensive", &everything).await;
    assert_eq!(extensive.status, StatusCode::OK);
    problems.extend(compare_shapes(
        "POST /v2/calls/extensive",
        &extensive.body,
        &fixture("extensive.json"),
        &[(
            "calls[].content.pointsOfInterest",
            "gone from Gong's 2026 spec (API-NOTES §2.6); gong-mcp does not read it",
        )],
    ));

    assert!(extensive.body["records"]["cursor"].is_string());
    let transcripts = post(&g, "/v2/calls/transcript", &json!({"filter": range})).await;
    assert_eq!(transcripts.status, StatusCode::OK);
    assert!(transcripts.body["records"]["cursor"].is_string());
    problems.extend(compare_shapes(
        "POST /v2/calls/transcript",
        &transcripts.body,
        &fixture("transcript.json"),
        &[],
    ));

    // Errors: Gong's body, for a wrong secret (401) and no calls in range (404).
    let denied = get_as(&g, DEMO_ACCESS_KEY, "wrong-secret", "/v2/calls").await;
    assert_eq!(denied.status, StatusCode::UNAUTHORIZED);
    let none = get(
        &g,
        &format!(
            "/v2/calls?{}",
            query(&[
                ("fromDateTime", "2021-01-01T00:00:00Z"),
                ("toDateTime", "2021-02-01T00:00:00Z")
            ])
        ),
    )
    .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    for (what, body) in [("401", &denied.body), ("404", &none.body)] {
        problems.extend(compare_shapes(what, body, &fixture("error.json"), &[]));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
