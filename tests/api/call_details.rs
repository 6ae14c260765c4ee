use gong_mcp::demo::Endpoint;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn details_of_100_calls_cost_one_gong_request() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let ids: Vec<String> = ws.calls.iter().take(100).map(|c| c.id.clone()).collect();
    let client = app.client(A_KEY, A_SECRET).await;
    let out = structured(&call(&client, "gong_get_call_details", json!({"callIds": ids})).await);
    assert_eq!(
        app.gong.stats().requests(A_KEY, Endpoint::CallsExtensive),
        1
    );
    assert_eq!(
        app.gong
            .stats()
            .last_call_ids_len(A_KEY, Endpoint::CallsExtensive),
        Some(100)
    );
    let calls = out["calls"].as_array().unwrap();
    assert_eq!(calls.len(), 100);
    for (c, id) in calls.iter().zip(&ids) {
        assert_eq!(c["id"].as_str().unwrap(), id, "in the order asked");
        let truth = ws.call(id).unwrap();
        assert_eq!(c["title"].as_str().unwrap(), truth.title);
    }
    // Asking again for some of them costs nothing.
    let again = structured(
        &call(
            &client,
            "gong_get_call_details",
            json!({"callIds": &ids[10..20]}),
        )
        .await,
    );
    assert_eq!(again["calls"].as_array().unwrap().len(), 10);
    assert_eq!(
        app.gong.stats().requests(A_KEY, Endpoint::CallsExtensive),
        1
    );
}

#[tokio::test]
async fn talk_time_is_per_speaker_in_seconds_and_percent_sorted() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let truth = ws
        .calls
        .iter()
        .find(|c| c.interaction.speakers.len() >= 2)
        .unwrap();
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(
        &client,
        "gong_get_call_details",
        json!({"callId": truth.id}),
    )
    .await;
    let out = structured(&result);
    let talk = out["calls"][0]["talkTime"].as_array().unwrap();
    assert_eq!(talk.len(), truth.interaction.speakers.len());
    let secs: Vec<u64> = talk
        .iter()
        .map(|t| t["seconds"].as_u64().unwrap())
        .collect();
    assert!(
        secs.windows(2).all(|w| w[0] >= w[1]),
        "sorted, most first: {secs:?}"
    );
    let duration = truth.duration as f64;
    for t in talk {
        let expected = (t["seconds"].as_f64().unwrap() / duration * 1000.0).round() / 10.0;
        assert!(
            (t["percent"].as_f64().unwrap() - expected).abs() < 0.11,
            "{t}"
        );
    }
    let spoke = truth
        .parties
        .iter()
        .filter(|p| p.speaker_id.is_some())
        .count();
    if spoke > talk.len() {
        assert!(
            out["calls"][0]["talkTimeNote"]
                .as_str()
                .unwrap()
                .contains("gong_get_transcript")
        );
    }
    assert!(text(&result).contains("Talk time:"));
}

#[tokio::test]
async fn more_than_100_ids_is_a_tool_error_that_says_to_split() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let ids: Vec<String> = (0..101).map(|i| format!("{}", 1_000_000 + i)).collect();
    let result = call(&client, "gong_get_call_details", json!({"callIds": ids})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("split the list"),
        "{}",
        text(&result)
    );
    let result = call(&client, "gong_get_call_details", json!({})).await;
    assert!(is_error(&result));
    assert_eq!(app.gong.stats().total_requests(A_KEY), 0);
}

#[tokio::test]
async fn unknown_ids_are_reported_beside_the_found_ones() {
    let app = spawn_app().await;
    let id = app.gong.workspace(A_KEY).unwrap().calls[0].id.clone();
    let client = app.client(A_KEY, A_SECRET).await;
    let out = structured(
        &call(
            &client,
            "gong_get_call_details",
            json!({"callIds": [id, "42"]}),
        )
        .await,
    );
    assert_eq!(out["calls"].as_array().unwrap().len(), 1);
    assert_eq!(out["notFound"], json!(["42"]));
}

#[tokio::test]
async fn a_hundred_calls_fit_the_answer_budget_and_say_what_was_cut() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let ids: Vec<String> = ws.calls.iter().take(100).map(|c| c.id.clone()).collect();
    let client = app.client(A_KEY, A_SECRET).await;
    for include in [json!(null), json!("all"), json!(["talkTime"])] {
        let result = call(
            &client,
            "gong_get_call_details",
            json!({"callIds": ids, "include": include}),
        )
        .await;
        let out = structured(&result);
        let size = text(&result).len() + out.to_string().len();
        assert!(size <= 80_000, "{include}: {size}");
        let calls = out["calls"].as_array().unwrap();
        assert_eq!(calls.len(), 100, "{include}");
        let cut = calls.iter().filter(|c| c.get("cut").is_some()).count();
        if cut > 0 {
            assert!(text(&result).contains("(Cut to fit: "));
        }
        if include == json!("all") {
            let hint = out["hint"].as_str().unwrap();
            assert!(
                hint.contains("left out") && hint.contains("fewer calls"),
                "{hint}"
            );
        }
        if include == json!(["talkTime"]) {
            assert_eq!(cut, 0, "talk time of 100 calls fits whole");
            for (c, id) in calls.iter().zip(&ids) {
                let truth = ws.call(id).unwrap();
                assert_eq!(
                    c["talkTime"].as_array().unwrap().len(),
                    truth.interaction.speakers.len()
                );
                assert!(c.get("brief").is_none() && c.get("participants").is_none());
            }
        }
    }
}

#[tokio::test]
async fn one_call_with_every_section_matches_gong() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let truth = ws
        .calls
        .iter()
        .find(|c| {
            !c.context.is_empty()
                && !c.interaction.speakers.is_empty()
                && c.content.brief.is_some()
                && c.content.outline.is_some()
                && c.content.highlights.is_some()
        })
        .unwrap();
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(
        &client,
        "gong_get_call_details",
        json!({"callId": truth.id, "include": ["all"]}),
    )
    .await;
    let out = structured(&result);
    let c = &out["calls"][0];
    assert!(c.get("cut").is_none());
    assert_eq!(
        c["participants"].as_array().unwrap().len(),
        truth.parties.len()
    );
    assert_eq!(c["brief"].as_str(), truth.content.brief.as_deref());
    assert_eq!(
        c["callOutcome"].as_str(),
        truth.content.call_outcome.as_ref().map(|o| o.name.as_str())
    );
    assert_eq!(
        c["crmAccount"].as_str(),
        Some(ws.companies[truth.company.unwrap()].name.as_str())
    );
    assert_eq!(
        c["outline"].as_array().unwrap().len(),
        truth.content.outline.as_ref().unwrap().len()
    );
    let topics: Vec<u64> = c["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["durationSeconds"].as_u64().unwrap())
        .collect();
    assert!(
        topics.windows(2).all(|w| w[0] >= w[1]),
        "longest topic first"
    );
    for section in [
        "Talk time:",
        "Topics:",
        "Trackers:",
        "Brief:",
        "Key points:",
        "Highlights:",
        "Outline:",
        "Structure:",
        "Interaction:",
        "CRM: account",
    ] {
        assert!(text(&result).contains(section), "{section}");
    }
    // Only the sections asked for.
    let brief_only = structured(
        &call(
            &client,
            "gong_get_call_details",
            json!({"callId": truth.id, "include": "brief"}),
        )
        .await,
    );
    let keys: Vec<&String> = brief_only["calls"][0].as_object().unwrap().keys().collect();
    assert!(
        keys.iter()
            .all(|k| !["participants", "talkTime", "topics", "trackers"].contains(&k.as_str())),
        "{keys:?}"
    );
    assert_eq!(brief_only["sections"], json!(["brief"]));
}
