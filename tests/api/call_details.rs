use gong_mcp::demo::{Call, Endpoint, Workspace};
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

/// Talk time as the synthetic Gong reports it: (party name, whole seconds, percent of the
/// call's duration), most first.
fn gong_talk_time(ws: &Workspace, truth: &Call) -> Vec<(String, u64, f64)> {
    let mut talk: Vec<(String, u64, f64)> = truth
        .interaction
        .speakers
        .iter()
        .zip(ws.talk_times(truth))
        .map(|(s, seconds)| {
            let party = truth.parties.iter().find(|p| p.id == s.id).unwrap();
            (
                party.name.clone().unwrap(),
                seconds.round() as u64,
                (seconds / f64::from(truth.duration) * 1000.0).round() / 10.0,
            )
        })
        .collect();
    talk.sort_by_key(|t| std::cmp::Reverse(t.1));
    talk
}

fn people_who_spoke(call: &Call) -> usize {
    call.parties
        .iter()
        .filter(|p| p.speaker_id.is_some())
        .count()
}

#[tokio::test]
async fn talk_time_is_gong_s_per_speaker_in_seconds_and_percent_sorted() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    // Gong reports talk time for internal speakers only: a call where it left someone out, and
    // one where it covers everyone who spoke.
    let partial = ws
        .calls
        .iter()
        .find(|c| {
            c.interaction.speakers.len() >= 2 && people_who_spoke(c) > c.interaction.speakers.len()
        })
        .expect("a call with external speakers");
    let complete = ws
        .calls
        .iter()
        .find(|c| {
            c.interaction.speakers.len() >= 2 && people_who_spoke(c) == c.interaction.speakers.len()
        })
        .expect("a call whose speakers are all internal");
    let partial_note = format!(
        "Gong reports talk time for {} of the {} people who spoke (it omits external speakers); gong_get_transcript gives everyone's.",
        partial.interaction.speakers.len(),
        people_who_spoke(partial)
    );
    let client = app.client(A_KEY, A_SECRET).await;
    for (truth, note) in [(partial, Some(partial_note.as_str())), (complete, None)] {
        let result = call(
            &client,
            "gong_get_call_details",
            json!({"callId": truth.id}),
        )
        .await;
        let out = structured(&result);
        let details = &out["calls"][0];
        let got: Vec<(String, u64, f64)> = details["talkTime"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["name"].as_str().unwrap().to_owned(),
                    t["seconds"].as_u64().unwrap(),
                    t["percent"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, gong_talk_time(&ws, truth), "call {}", truth.id);
        assert_eq!(details["talkTimeNote"].as_str(), note, "call {}", truth.id);
        assert!(text(&result).contains("Talk time:"));
    }
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
    let mut results = Vec::new();
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
        assert_eq!(
            text(&result).contains("(Cut to fit: "),
            cut > 0,
            "{include}: the text says what was cut exactly when something was"
        );
        results.push((include, cut, out));
    }
    let [(_, _, _), (_, cut_all, all), (_, cut_talk, talk)] = &results[..] else {
        unreachable!()
    };
    // Every section of 100 calls cannot fit: cut, and the hint says how to get the rest.
    assert!(*cut_all > 0, "include all: nothing was cut");
    let hint = all["hint"].as_str().unwrap();
    assert!(
        hint.contains("left out") && hint.contains("fewer calls"),
        "{hint}"
    );
    // Talk time alone fits whole.
    assert_eq!(*cut_talk, 0, "talk time of 100 calls fits whole");
    for (c, id) in talk["calls"].as_array().unwrap().iter().zip(&ids) {
        let truth = ws.call(id).unwrap();
        assert_eq!(
            c["talkTime"].as_array().unwrap().len(),
            truth.interaction.speakers.len()
        );
        assert!(c.get("brief").is_none() && c.get("participants").is_none());
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

#[tokio::test]
async fn talk_time_in_the_details_is_the_transcript_s() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let client = app.client(A_KEY, A_SECRET).await;
    let calls: Vec<&Call> = ws
        .calls
        .iter()
        .filter(|c| !c.interaction.speakers.is_empty())
        .take(12)
        .collect();
    assert_eq!(calls.len(), 12);
    let ids: Vec<&str> = calls.iter().map(|c| c.id.as_str()).collect();
    let details = structured(
        &call(
            &client,
            "gong_get_call_details",
            json!({"callIds": ids, "include": ["talkTime"]}),
        )
        .await,
    );
    let mut compared = 0;
    for (d, truth) in details["calls"].as_array().unwrap().iter().zip(&calls) {
        let transcript =
            structured(&call(&client, "gong_get_transcript", json!({"callId": truth.id})).await);
        let spoken: std::collections::HashMap<&str, u64> = transcript["speakers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["name"].as_str().unwrap(),
                    s["talkSeconds"].as_u64().unwrap(),
                )
            })
            .collect();
        for t in d["talkTime"].as_array().unwrap() {
            let name = t["name"].as_str().unwrap();
            assert_eq!(
                Some(&t["seconds"].as_u64().unwrap()),
                spoken.get(name),
                "call {}: {name}'s talk time in the details vs the transcript",
                truth.id
            );
            compared += 1;
        }
    }
    assert!(compared >= 12, "{compared} speakers compared");
}
