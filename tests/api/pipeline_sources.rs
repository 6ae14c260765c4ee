//! Minds from Fathom and Fireflies meetings: `create_mind_from_calls` with `source` trains on
//! exactly the words the provider's own transcript tool shows for that speaker, reports the spend
//! under the provider's name, and says which header is missing when the source's key is absent.

use serde_json::{Value, json};

use crate::helpers::*;
use crate::pipeline::{cues, uploaded};

struct Source {
    key: &'static str,
    header: (&'static str, &'static str),
    list_tool: &'static str,
    list_field: &'static str,
    id_field: &'static str,
    transcript_tool: &'static str,
    id_arg: &'static str,
    spend: &'static str,
}

const SOURCES: [Source; 2] = [
    Source {
        key: "fathom",
        header: ("x-fathom-api-key", FATHOM_KEY_A),
        list_tool: "fathom_list_meetings",
        list_field: "meetings",
        id_field: "meetingId",
        transcript_tool: "fathom_get_transcript",
        id_arg: "meetingId",
        spend: "fathomRequests",
    },
    Source {
        key: "fireflies",
        header: ("x-fireflies-api-key", FIREFLIES_KEY_A),
        list_tool: "fireflies_list_transcripts",
        list_field: "transcripts",
        id_field: "transcriptId",
        transcript_tool: "fireflies_get_transcript",
        id_arg: "transcriptId",
        spend: "firefliesRequests",
    },
];

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every JSON turn of one meeting's transcript, as its own tool shows it.
async fn turns(client: &McpClient, s: &Source, id: &str) -> Vec<Value> {
    let mut args = json!({s.id_arg: id, "format": "json"});
    let mut all = Vec::new();
    loop {
        let out = structured(&call(client, s.transcript_tool, args.clone()).await);
        all.extend(out["turns"].as_array().cloned().unwrap_or_default());
        match out["page"]["nextOffset"].as_u64() {
            Some(n) => args["offset"] = json!(n),
            None => return all,
        }
    }
}

#[tokio::test]
async fn a_mind_is_trained_from_fathom_or_fireflies_meetings_on_exactly_the_speakers_words() {
    let app = spawn_app().await;
    for s in &SOURCES {
        let client = app
            .client_with(&[s.header, ("x-mind-reasoner-api-key", MR_KEY_A)])
            .await;
        let listed = structured(&call(&client, s.list_tool, json!({"limit": 1})).await);
        let id = listed[s.list_field][0][s.id_field]
            .as_str()
            .expect("a meeting")
            .to_owned();
        let turns = turns(&client, s, &id).await;
        let speaker = turns[0]["speaker"].as_str().unwrap().to_owned();
        let expected: String = turns
            .iter()
            .filter(|t| t["speaker"] == speaker.as_str())
            .map(|t| no_space(t["text"].as_str().unwrap()))
            .collect();
        let result = call(
            &client,
            "create_mind_from_calls",
            json!({"source": s.key, "callIds": [id], "speaker": speaker, "mindName": format!("From {}", s.key)}),
        )
        .await;
        let out = structured(&result);
        assert_eq!(out["mind"], "created", "{}", s.key);
        assert!(out[s.spend].as_u64().is_some(), "{}: {out}", s.key);
        assert!(
            out.get("gongRequests").is_none(),
            "{}: no Gong spend",
            s.key
        );
        let files = uploaded(&app, out["mindId"].as_str().unwrap());
        assert_eq!(files.len(), 1);
        let (payloads, _) = cues(&files[0]);
        assert_eq!(
            no_space(&payloads.concat()),
            expected,
            "{}: every word {speaker} said, nobody else's",
            s.key
        );
    }
}

#[tokio::test]
async fn a_source_without_its_key_or_unknown_is_a_clear_error() {
    let app = spawn_app().await;
    // Gong credentials and a Mind Reasoner key, but no Fathom key.
    let client = app
        .client_with(&[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
            ("x-mind-reasoner-api-key", MR_KEY_A),
        ])
        .await;
    let before = app.mr.minds(MR_KEY_A).len();
    let missing = call(
        &client,
        "create_mind_from_calls",
        json!({"source": "fathom", "callIds": ["1"], "speaker": "Ann"}),
    )
    .await;
    assert_eq!(missing.is_error, Some(true));
    assert!(
        text(&missing).contains("X-Fathom-Api-Key"),
        "{}",
        text(&missing)
    );
    let unknown = call(
        &client,
        "create_mind_from_calls",
        json!({"source": "zoom", "callIds": ["1"], "speaker": "Ann"}),
    )
    .await;
    assert_eq!(unknown.is_error, Some(true));
    assert!(
        text(&unknown).contains("source must be"),
        "{}",
        text(&unknown)
    );
    assert_eq!(app.mr.minds(MR_KEY_A).len(), before, "nothing was created");
}
