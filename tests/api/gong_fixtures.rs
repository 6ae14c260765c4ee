//! Gong's own example responses (tests/fixtures/gong, built from Gong's OpenAPI document) served
//! by a plain HTTP mock: decoded and rendered by the real server, each value where the agent
//! reads it. Unlike the synthetic Gong, nothing here was written by this project's hands.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/gong/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON")
}

/// 200 with Gong's content type and the fixture as body.
fn ok(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(
        serde_json::to_vec(&fixture(name)).unwrap(),
        "application/json;charset=UTF-8",
    )
}

async fn gong_serving_its_examples() -> MockServer {
    let gong = MockServer::start().await;
    for (verb, route, body) in [
        ("GET", "/v2/calls", "calls.json"),
        ("POST", "/v2/calls/extensive", "extensive.json"),
        ("POST", "/v2/calls/transcript", "transcript.json"),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(ok(body))
            .mount(&gong)
            .await;
    }
    gong
}

async fn client_for_gong(app: &TestApp, gong: &MockServer) -> McpClient {
    app.client_with(&[
        ("x-gong-access-key", A_KEY),
        ("x-gong-access-secret", A_SECRET),
        ("x-gong-base-url", &gong.uri()),
    ])
    .await
}

#[tokio::test]
async fn gong_s_example_responses_decode_and_render() {
    let app = spawn_app().await;
    let gong = gong_serving_its_examples().await;
    let client = client_for_gong(&app, &gong).await;
    let example = fixture("extensive.json")["calls"][0].clone();
    let (meta, party) = (&example["metaData"], &example["parties"][0]);
    let id = meta["id"].as_str().unwrap();

    // GET /v2/calls: the call, and a cursor because Gong's page says more records exist.
    let result = call(
        &client,
        "gong_list_calls",
        json!({"fromDate": "2018-02-01", "limit": 1}),
    )
    .await;
    let list = structured(&result);
    let listed = &list["calls"][0];
    assert_eq!(listed["id"], meta["id"]);
    assert_eq!(listed["title"], meta["title"]);
    assert_eq!(listed["started"], meta["started"]);
    assert_eq!(listed["durationSeconds"], meta["duration"]);
    assert_eq!(listed["direction"], meta["direction"]);
    assert_eq!(listed["scope"], meta["scope"]);
    assert_eq!(list["totalRecords"], 263);
    assert!(list["nextCursor"].is_string(), "{list}");
    assert!(text(&result).contains("Example call"), "{}", text(&result));

    // POST /v2/calls/extensive: every section, from the example's values.
    let result = call(
        &client,
        "gong_get_call_details",
        json!({"callId": id, "include": "all"}),
    )
    .await;
    let details = structured(&result);
    let d = &details["calls"][0];
    let content = &example["content"];
    assert_eq!(
        d["participants"],
        json!([{"name": party["name"], "email": party["emailAddress"], "title": party["title"],
                "affiliation": party["affiliation"], "spoke": true}])
    );
    let talk = example["interaction"]["speakers"][0]["talkTime"]
        .as_f64()
        .unwrap();
    let duration = meta["duration"].as_f64().unwrap();
    assert_eq!(
        d["talkTime"],
        json!([{"name": party["name"], "seconds": talk as u64,
                "percent": (talk / duration * 1000.0).round() / 10.0}])
    );
    assert_eq!(d["brief"], content["brief"]);
    assert_eq!(d["callOutcome"], content["callOutcome"]["name"]);
    assert_eq!(d["keyPoints"], json!([content["keyPoints"][0]["text"]]));
    assert_eq!(d["topics"][0]["name"], content["topics"][0]["name"]);
    assert_eq!(
        d["topics"][0]["durationSeconds"],
        content["topics"][0]["duration"]
    );
    assert_eq!(d["trackers"][0]["name"], content["trackers"][0]["name"]);
    assert_eq!(d["trackers"][0]["count"], content["trackers"][0]["count"]);
    assert_eq!(d["outline"][0]["section"], content["outline"][0]["section"]);
    assert_eq!(
        d["highlights"][0]["title"],
        content["highlights"][0]["title"]
    );
    assert_eq!(
        d["interactionStats"][0]["name"],
        example["interaction"]["interactionStats"][0]["name"]
    );
    assert!(d.get("cut").is_none(), "{d}");
    let rendered = text(&result);
    for needle in ["Test User", "Objections", "Competitors", "Meeting booked"] {
        assert!(rendered.contains(needle), "{needle} in\n{rendered}");
    }

    // POST /v2/calls/transcript, joined with the parties: named speaker, times in ms.
    let transcript = fixture("transcript.json");
    let sentence = &transcript["callTranscripts"][0]["transcript"][0]["sentences"][0];
    let words = sentence["text"].as_str().unwrap();
    let result = call(&client, "gong_get_transcript", json!({"callId": id})).await;
    let out = structured(&result);
    assert_eq!(out["speakers"][0]["name"], party["name"]);
    assert_eq!(out["speakers"][0]["identified"], true);
    assert!(
        text(&result).contains(&format!("[07:40] Test User: {words}")),
        "{}",
        text(&result)
    );
    let vtt = call(
        &client,
        "gong_get_transcript",
        json!({"callId": id, "format": "vtt"}),
    )
    .await;
    assert!(
        text(&vtt).contains(&format!(
            "00:07:40.230 --> 00:07:42.343\n<v Test User>{words}\n"
        )),
        "{}",
        text(&vtt)
    );
    let json_page = structured(
        &call(
            &client,
            "gong_get_transcript",
            json!({"callId": id, "format": "json"}),
        )
        .await,
    );
    assert_eq!(
        json_page["turns"],
        json!([{"speaker": "Test User", "start": 460.23, "end": 462.343, "text": words}])
    );
}

#[tokio::test]
async fn gong_s_error_body_is_read_for_every_documented_status() {
    let app = spawn_app().await;
    let body = serde_json::to_vec(&fixture("error.json")).unwrap();
    // (status, the message starts, Gong's requestId quoted): a 429 says when to retry instead.
    for (status, expected, quotes_request_id) in [
        (
            400,
            "Gong rejected the request (HTTP 400): An error has occurred",
            true,
        ),
        (
            401,
            "Authentication failed: check the access key and secret",
            true,
        ),
        (
            404,
            "Gong rejected the request (HTTP 404): An error has occurred",
            true,
        ),
        (500, "Gong is failing (HTTP 500)", true),
        // Last: it holds the tenant's requests for an hour.
        (
            429,
            "Rate limit exceeded: Gong's rate limit is exhausted; retry after 3600 s",
            false,
        ),
    ] {
        let gong = MockServer::start().await;
        let mut response = ResponseTemplate::new(status)
            .set_body_raw(body.clone(), "application/json; charset=utf-8");
        if status == 429 {
            response = response.insert_header("retry-after", "3600");
        }
        Mock::given(method("GET"))
            .and(path("/v2/calls"))
            .respond_with(response)
            .mount(&gong)
            .await;
        let client = client_for_gong(&app, &gong).await;
        let result = call(
            &client,
            "gong_list_calls",
            json!({"fromDate": "2018-02-01"}),
        )
        .await;
        assert!(is_error(&result), "HTTP {status}: {}", text(&result));
        let message = text(&result);
        assert!(message.starts_with(expected), "HTTP {status}: {message}");
        assert_eq!(
            message.contains("(Gong requestId 4al018gzaztcr8nbukw)"),
            quotes_request_id,
            "HTTP {status}: {message}"
        );
    }
}
