use std::collections::HashMap;

use gong_mcp::demo::{Call, Endpoint, Workspace};
use gong_mcp::mcp::render::synthetic::parse_webvtt;
use rmcp::model::CallToolResult;
use serde_json::{Value, json};

use crate::helpers::*;

/// The longest call of tenant A: the one with most pages.
fn longest(ws: &Workspace) -> &Call {
    ws.calls.iter().max_by_key(|c| c.duration).unwrap()
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The words Gong has for this call, optionally only from some speaker ids and time window.
fn truth_words(ws: &Workspace, call: &Call, keep: impl Fn(&str, u64) -> bool) -> String {
    let mut words = String::new();
    for m in ws.transcript(&call.id).unwrap() {
        let id = m.speaker_id.clone().unwrap_or_default();
        for s in m.sentences.iter().filter(|s| keep(&id, s.start)) {
            words.push_str(&no_space(&s.text));
        }
    }
    words
}

/// `[mm:ss] Name: words` lines of a text page as (seconds, name, words).
fn turns(text: &str) -> Vec<(u64, String, String)> {
    text.lines()
        .filter(|l| l.starts_with('['))
        .map(|l| {
            let (clock, rest) = l[1..].split_once("] ").expect("timestamp");
            let (name, words) = rest.split_once(": ").expect("speaker");
            let secs = clock.split(':').fold(0, |acc, part| {
                acc * 60 + part.parse::<u64>().expect("clock")
            });
            (secs, name.to_owned(), words.to_owned())
        })
        .collect()
}

/// Every page of a transcript request, following nextOffset.
async fn read_all(client: &McpClient, args: Value) -> Vec<CallToolResult> {
    let mut pages = Vec::new();
    let mut args = args;
    loop {
        let result = call(client, "gong_get_transcript", args.clone()).await;
        let out = structured(&result);
        assert!(
            text(&result).len() + out.to_string().len() <= 80_000,
            "answer over budget"
        );
        let next = out["page"]["nextOffset"].as_u64();
        pages.push(result);
        match next {
            Some(n) => args["offset"] = json!(n),
            None => return pages,
        }
        assert!(pages.len() < 500, "paging does not end");
    }
}

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
        json!({"callId": call_with_unknown.id, "maxChars": 60000}),
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
    let talk: Vec<u64> = speakers
        .iter()
        .map(|s| s["talkSeconds"].as_u64().unwrap())
        .collect();
    assert!(talk.windows(2).all(|w| w[0] >= w[1]), "most talk first");
    // The words are in the text, once; the structured content has no second copy.
    let rendered = text(&result);
    let some_party = parties.values().find_map(|p| p.name.clone()).unwrap();
    assert!(
        rendered.contains(&format!("] {some_party}: ")),
        "text names speakers"
    );
    assert!(rendered.contains("Speakers (talk time):"));
    assert!(out.get("turns").is_none() && out.get("monologues").is_none());
    let first = &turns(&rendered)[0].2;
    assert!(!out.to_string().contains(first.as_str()));
}

#[tokio::test]
async fn a_transcript_costs_two_gong_requests_and_later_pages_cost_none() {
    let app = spawn_app().await;
    let id = longest(&app.gong.workspace(A_KEY).unwrap()).id.clone();
    let client = app.client(A_KEY, A_SECRET).await;
    let pages = read_all(&client, json!({"callId": id, "maxChars": 5000})).await;
    assert!(pages.len() > 3);
    let stats = app.gong.stats();
    assert_eq!(stats.requests(A_KEY, Endpoint::CallsTranscript), 1);
    assert_eq!(stats.requests(A_KEY, Endpoint::CallsExtensive), 1);
    assert_eq!(
        stats.total_requests(A_KEY),
        2,
        "later pages are served from the cache"
    );
}

#[tokio::test]
async fn reading_page_after_page_returns_every_sentence_once_in_order() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let c = longest(&ws);
    let client = app.client(A_KEY, A_SECRET).await;
    let pages = read_all(&client, json!({"callId": c.id, "maxChars": 2000})).await;
    let mut words = String::new();
    let mut last = 0;
    for page in &pages {
        let t = text(page);
        assert!(t.len() <= 2000, "page of {} chars", t.len());
        for (secs, _, w) in turns(&t) {
            assert!(secs >= last, "turns in time order");
            last = secs;
            words.push_str(&no_space(&w));
        }
    }
    assert_eq!(words, truth_words(&ws, c, |_, _| true));
    let last_page = text(pages.last().unwrap());
    assert!(last_page.contains("end of transcript"), "{last_page}");
    assert!(
        text(&pages[0]).contains("Next page: gong_get_transcript {\"callId\":"),
        "the first page says how to continue"
    );
}

#[tokio::test]
async fn a_speaker_filter_keeps_only_that_speaker_by_name_or_email() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let c = ws
        .calls
        .iter()
        .find(|c| {
            c.parties
                .iter()
                .filter(|p| p.speaker_id.is_some() && p.email_address.is_some())
                .count()
                >= 2
        })
        .unwrap();
    let mut speaking = c
        .parties
        .iter()
        .filter(|p| p.speaker_id.is_some() && p.email_address.is_some());
    let (one, two) = (speaking.next().unwrap(), speaking.next().unwrap());
    let client = app.client(A_KEY, A_SECRET).await;
    // By email, in capitals.
    let email = one.email_address.clone().unwrap().to_uppercase();
    let pages = read_all(
        &client,
        json!({"callId": c.id, "speaker": email, "maxChars": 3000}),
    )
    .await;
    let name = one.name.clone().unwrap();
    let mut words = String::new();
    for page in &pages {
        for (_, who, w) in turns(&text(page)) {
            assert_eq!(who, name);
            words.push_str(&no_space(&w));
        }
    }
    let id = one.speaker_id.clone().unwrap();
    assert_eq!(words, truth_words(&ws, c, |s, _| s == id));
    // Several speakers, by name.
    let both = read_all(
        &client,
        json!({"callId": c.id, "speaker": [one.name, two.name.clone().unwrap().to_lowercase()], "maxChars": 60000}),
    )
    .await;
    let names: std::collections::HashSet<String> = both
        .iter()
        .flat_map(|p| turns(&text(p)).into_iter().map(|t| t.1))
        .collect();
    assert_eq!(names.len(), 2);
    let header = text(&both[0]);
    let only = header.lines().find(|l| l.starts_with("Only ")).unwrap();
    assert!(only.contains(&name) && only.contains(" and "), "{only}");
}

#[tokio::test]
async fn an_unknown_speaker_is_an_error_listing_the_call_s_speakers() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let c = longest(&ws);
    let client = app.client(A_KEY, A_SECRET).await;
    let result = call(
        &client,
        "gong_get_transcript",
        json!({"callId": c.id, "speaker": "Nobody Here"}),
    )
    .await;
    assert!(is_error(&result));
    let message = text(&result);
    assert!(message.contains("speaker"), "{message}");
    for p in c.parties.iter().filter(|p| p.speaker_id.is_some()) {
        if let Some(name) = &p.name {
            assert!(message.contains(name.as_str()), "{message}");
        }
    }
}

#[tokio::test]
async fn a_time_window_keeps_the_sentences_that_start_inside_it() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let c = longest(&ws);
    let client = app.client(A_KEY, A_SECRET).await;
    let pages = read_all(
        &client,
        json!({"callId": c.id, "fromSeconds": 300, "toSeconds": 600.5}),
    )
    .await;
    let mut words = String::new();
    for page in &pages {
        for (secs, _, w) in turns(&text(page)) {
            assert!((300..=600).contains(&secs), "{secs}");
            words.push_str(&no_space(&w));
        }
    }
    assert_eq!(
        words,
        truth_words(&ws, c, |_, start| (300_000..600_500).contains(&start))
    );
    // Past the end of the call: no speech, and a hint instead of an error.
    let result = call(
        &client,
        "gong_get_transcript",
        json!({"callId": c.id, "fromSeconds": 999_999}),
    )
    .await;
    let out = structured(&result);
    assert_eq!(out["page"]["totalSegments"], 0);
    assert!(out["hint"].as_str().unwrap().contains("wider"), "{out}");
}

#[tokio::test]
async fn vtt_pages_are_valid_webvtt_with_voice_tags_in_time_order() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let c = longest(&ws);
    let client = app.client(A_KEY, A_SECRET).await;
    let pages = read_all(
        &client,
        json!({"callId": c.id, "format": "vtt", "maxChars": 8000}),
    )
    .await;
    let mut cues = Vec::new();
    for page in &pages {
        let t = text(page);
        let page_cues = parse_webvtt(&t).unwrap_or_else(|e| panic!("{e}\n{t}"));
        assert!(!page_cues.is_empty());
        cues.extend(page_cues);
    }
    assert!(cues.windows(2).all(|w| w[0].start_ms <= w[1].start_ms));
    let words: String = cues.iter().map(|c| no_space(&c.text)).collect();
    assert_eq!(words, truth_words(&ws, c, |_, _| true));
    let names: Vec<String> = c.parties.iter().filter_map(|p| p.name.clone()).collect();
    assert!(cues.iter().any(|cue| names.contains(&cue.voice)));
}

#[tokio::test]
async fn json_format_puts_the_turns_in_structured_content_and_the_same_json_in_text() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let c = longest(&ws);
    let client = app.client(A_KEY, A_SECRET).await;
    let pages = read_all(&client, json!({"callId": c.id, "format": "json"})).await;
    let mut words = String::new();
    for page in &pages {
        let out = structured(page);
        let from_text: Value = serde_json::from_str(&text(page)).unwrap();
        assert_eq!(from_text, out);
        assert!(text(page).len() <= 38_000);
        for t in out["turns"].as_array().unwrap() {
            assert!(t["start"].as_f64().unwrap() <= t["end"].as_f64().unwrap());
            words.push_str(&no_space(t["text"].as_str().unwrap()));
        }
    }
    assert_eq!(words, truth_words(&ws, c, |_, _| true));
}

#[tokio::test]
async fn bad_transcript_arguments_are_tool_errors_that_say_what_to_do() {
    let app = spawn_app().await;
    let c = longest(&app.gong.workspace(A_KEY).unwrap()).id.clone();
    let client = app.client(A_KEY, A_SECRET).await;
    for (args, needle) in [
        (json!({"callId": "1234"}), "no transcript for call 1234"),
        (json!({"callId": "12ab"}), "callId"),
        (json!({"callId": c, "offset": 100_000}), "past the end"),
        (
            json!({"callId": c, "fromSeconds": 60, "toSeconds": 30}),
            "toSeconds",
        ),
        (
            json!({"callId": c, "format": "srt"}),
            "format must be one of",
        ),
        (
            json!({"callId": c, "speaker": {"name": "x"}}),
            "speaker must be",
        ),
    ] {
        let result = call(&client, "gong_get_transcript", args.clone()).await;
        assert!(is_error(&result), "{args}");
        assert!(text(&result).contains(needle), "{args}: {}", text(&result));
    }
}
