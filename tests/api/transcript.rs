use std::collections::HashMap;

use gong_mcp::demo::Endpoint;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn speakers_get_names_and_emails_from_parties_and_unknown_speakers_are_kept() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    // A call whose transcript has a speaker id that no party carries.
    let call_with_unknown = ws
        .calls
        .iter()
        .find(|c| {
            let known: Vec<&str> = c
                .parties
                .iter()
                .filter(|p| p.name.is_some())
                .filter_map(|p| p.speaker_id.as_deref())
                .collect();
            let transcript = ws.transcript(&c.id).unwrap();
            let speaker_ids: Vec<Option<&str>> =
                transcript.iter().map(|m| m.speaker_id.as_deref()).collect();
            speaker_ids
                .iter()
                .any(|s| s.is_some_and(|s| !known.contains(&s)))
                && speaker_ids
                    .iter()
                    .any(|s| s.is_some_and(|s| known.contains(&s)))
        })
        .expect("the synthetic workspace has a call with an unknown speaker");
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(
        &client,
        "gong_get_transcript",
        json!({"callId": call_with_unknown.id}),
    )
    .await;
    let out = structured(&result);

    let parties: HashMap<&str, _> = call_with_unknown
        .parties
        .iter()
        .filter_map(|p| p.speaker_id.as_deref().map(|s| (s, p)))
        .collect();
    let speakers = out["speakers"].as_array().unwrap();
    let mut unknown = 0;
    for s in speakers {
        let id = s["speakerId"].as_str().unwrap();
        match parties.get(id) {
            Some(p) => {
                assert_eq!(
                    s["name"].as_str(),
                    p.name.as_deref().or(p.email_address.as_deref())
                );
                assert_eq!(s["email"].as_str(), p.email_address.as_deref());
                assert_eq!(s["affiliation"], p.affiliation);
                assert_eq!(s["identified"], true);
            }
            None => {
                unknown += 1;
                assert_eq!(s["identified"], false);
                assert!(s["name"].as_str().unwrap().starts_with("Unknown speaker"));
            }
        }
    }
    assert!(unknown >= 1);
    // Every monologue is there, in order, with its text.
    let truth = ws.transcript(&call_with_unknown.id).unwrap();
    let monologues = out["monologues"].as_array().unwrap();
    let non_empty: Vec<_> = truth.iter().filter(|m| !m.sentences.is_empty()).collect();
    assert_eq!(monologues.len(), non_empty.len());
    let first_text = non_empty[0].sentences[0].text.trim();
    assert!(
        monologues[0]["text"]
            .as_str()
            .unwrap()
            .starts_with(first_text)
    );
    let rendered = text(&result);
    let some_party = parties.values().find_map(|p| p.name.clone()).unwrap();
    assert!(
        rendered.contains(&format!("] {some_party}: ")),
        "text names speakers"
    );
}

#[tokio::test]
async fn a_transcript_costs_two_gong_requests_and_a_second_look_costs_none() {
    let app = spawn_app().await;
    let id = app.gong.workspace(A_KEY).unwrap().calls[5].id.clone();
    let client = app.client(A_KEY, A_SECRET).await;
    structured(&call(&client, "gong_get_transcript", json!({"callId": id})).await);
    let stats = app.gong.stats();
    assert_eq!(stats.requests(A_KEY, Endpoint::CallsTranscript), 1);
    assert_eq!(stats.requests(A_KEY, Endpoint::CallsExtensive), 1);
    structured(&call(&client, "gong_get_transcript", json!({"callId": id})).await);
    assert_eq!(
        stats.total_requests(A_KEY),
        2,
        "the second identical call is served from the cache"
    );
}

#[tokio::test]
async fn an_unknown_call_id_is_a_tool_error_that_says_what_to_do() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(&client, "gong_get_transcript", json!({"callId": "1234"})).await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("no transcript for call 1234"),
        "{}",
        text(&result)
    );
    let result = call(&client, "gong_get_transcript", json!({"callId": "12ab"})).await;
    assert!(is_error(&result));
    assert!(text(&result).contains("callId"));
}
