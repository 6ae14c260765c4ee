//! The transcript rules every provider shares, checked the same way for Gong, Fathom and
//! Fireflies through the real server: one table of providers, one set of checks. Each provider's
//! tool must page without loss or repetition, agree with itself across text, WebVTT and JSON,
//! filter by speaker and time, name its own tool and id argument in the next-page hint, and turn
//! bad arguments into clear errors.

use gong_mcp::mcp::render::synthetic::parse_webvtt;
use rmcp::model::CallToolResult;
use serde_json::{Value, json};

use crate::helpers::*;

/// One provider's transcript tool and how to reach a meeting id.
struct Provider {
    headers: &'static [(&'static str, &'static str)],
    list_tool: &'static str,
    list_field: &'static str,
    id_field: &'static str,
    transcript_tool: &'static str,
    id_arg: &'static str,
}

const PROVIDERS: [Provider; 3] = [
    Provider {
        headers: &[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
        ],
        list_tool: "gong_list_calls",
        list_field: "calls",
        id_field: "id",
        transcript_tool: "gong_get_transcript",
        id_arg: "callId",
    },
    Provider {
        headers: &[("x-fathom-api-key", FATHOM_KEY_A)],
        list_tool: "fathom_list_meetings",
        list_field: "meetings",
        id_field: "meetingId",
        transcript_tool: "fathom_get_transcript",
        id_arg: "meetingId",
    },
    Provider {
        headers: &[("x-fireflies-api-key", FIREFLIES_KEY_A)],
        list_tool: "fireflies_list_transcripts",
        list_field: "transcripts",
        id_field: "transcriptId",
        transcript_tool: "fireflies_get_transcript",
        id_arg: "transcriptId",
    },
];

/// (start seconds, speaker, words) of one JSON turn.
type Turn = (f64, String, String);

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every page of one transcript request, following `nextOffset`.
async fn read_all(client: &McpClient, p: &Provider, mut args: Value) -> Vec<CallToolResult> {
    let mut pages = Vec::new();
    loop {
        let result = call(client, p.transcript_tool, args.clone()).await;
        let out = structured(&result);
        assert!(
            text(&result).len() + out.to_string().len() <= 80_000,
            "{}: answer over budget",
            p.transcript_tool
        );
        let next = out["page"]["nextOffset"].as_u64();
        pages.push(result);
        match next {
            Some(n) => args["offset"] = json!(n),
            None => return pages,
        }
        assert!(
            pages.len() < 500,
            "{}: paging does not end",
            p.transcript_tool
        );
    }
}

/// (start seconds, speaker, words) of every JSON turn of every page.
fn json_turns(pages: &[CallToolResult]) -> Vec<Turn> {
    pages
        .iter()
        .flat_map(|p| {
            structured(p)["turns"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|t| {
            (
                t["start"].as_f64().unwrap(),
                t["speaker"].as_str().unwrap().to_owned(),
                t["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// `[mm:ss] Name: words` lines of text pages as (seconds, name, words).
fn text_turns(pages: &[CallToolResult]) -> Vec<(u64, String, String)> {
    pages
        .iter()
        .flat_map(|page| {
            text(page)
                .lines()
                .filter(|l| l.starts_with('['))
                .map(|l| {
                    let (clock, rest) = l[1..].split_once("] ").expect("timestamp");
                    let (name, words) = rest.split_once(": ").expect("speaker");
                    let secs = clock.split(':').fold(0, |acc, part| {
                        acc * 60 + part.parse::<u64>().expect("clock")
                    });
                    (secs, name.to_owned(), words.to_owned())
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The meeting with the most speech among the first few listed: the one with most pages.
async fn longest_meeting(client: &McpClient, p: &Provider) -> (String, Vec<Turn>) {
    let listed = structured(
        &call(
            client,
            p.list_tool,
            json!({"fromDate": "2000-01-01", "limit": 5}),
        )
        .await,
    );
    let ids: Vec<String> = listed[p.list_field]
        .as_array()
        .expect("a list")
        .iter()
        .map(|m| m[p.id_field].as_str().expect("an id").to_owned())
        .collect();
    assert!(
        !ids.is_empty(),
        "{}: the synthetic service lists meetings",
        p.list_tool
    );
    let mut best: Option<(String, Vec<Turn>)> = None;
    for id in ids {
        let turns = json_turns(&read_all(client, p, json!({p.id_arg: id, "format": "json"})).await);
        if best.as_ref().is_none_or(|(_, b)| turns.len() > b.len()) {
            best = Some((id, turns));
        }
    }
    best.unwrap()
}

#[tokio::test]
async fn every_provider_follows_the_same_transcript_rules() {
    let app = spawn_app().await;
    for p in &PROVIDERS {
        let client = app.client_with(p.headers).await;
        let (id, all) = longest_meeting(&client, p).await;
        let tool = p.transcript_tool;
        assert!(
            all.len() > 4,
            "{tool}: a meeting with several turns ({})",
            all.len()
        );
        let all_words: String = all.iter().map(|t| no_space(&t.2)).collect();

        // Text pages of at most 2,000 characters: every word once, in time order, and the
        // next-page hint names this provider's tool and id argument.
        let pages = read_all(&client, p, json!({p.id_arg: id, "maxChars": 2000})).await;
        assert!(
            pages.len() > 1,
            "{tool}: a long meeting takes several pages"
        );
        for page in &pages {
            assert!(
                text(page).len() <= 2000,
                "{tool}: page of {} chars",
                text(page).len()
            );
        }
        let turns = text_turns(&pages);
        assert!(
            turns.windows(2).all(|w| w[0].0 <= w[1].0),
            "{tool}: turns in time order"
        );
        let words: String = turns.iter().map(|t| no_space(&t.2)).collect();
        assert_eq!(words, all_words, "{tool}: text pages hold every word once");
        let first = text(&pages[0]);
        let next = first.split("Next page: ").nth(1).unwrap_or_default();
        assert!(next.starts_with(&format!("{tool} {{")), "{tool}: {first}");
        assert!(
            next.contains(&format!("\"{}\":\"{id}\"", p.id_arg)),
            "{tool}: the hint names {}: {next}",
            p.id_arg
        );
        assert!(text(pages.last().unwrap()).contains("end of transcript"));

        // WebVTT: valid, and the same words.
        let vtt = read_all(
            &client,
            p,
            json!({p.id_arg: id, "format": "vtt", "maxChars": 2000}),
        )
        .await;
        let mut cue_words = String::new();
        for page in &vtt {
            let t = text(page);
            let cues = parse_webvtt(&t).unwrap_or_else(|e| panic!("{tool}: {e}\n{t}"));
            cue_words.extend(cues.iter().map(|c| no_space(&c.text)));
        }
        assert_eq!(cue_words, all_words, "{tool}: WebVTT holds every word once");

        // Speaker filter: only that speaker's turns, all of them.
        let speaker = all[0].1.clone();
        let only = json_turns(
            &read_all(
                &client,
                p,
                json!({p.id_arg: id, "format": "json", "speaker": speaker}),
            )
            .await,
        );
        assert!(
            only.iter().all(|t| t.1 == speaker),
            "{tool}: only {speaker}"
        );
        let theirs: String = all
            .iter()
            .filter(|t| t.1 == speaker)
            .map(|t| no_space(&t.2))
            .collect();
        let got: String = only.iter().map(|t| no_space(&t.2)).collect();
        assert_eq!(got, theirs, "{tool}: every turn of {speaker}");

        // Time window: turns that start inside it, none outside.
        let (from, to) = (all[1].0.floor(), all[all.len() - 2].0.ceil() + 1.0);
        let window = json_turns(
            &read_all(
                &client,
                p,
                json!({p.id_arg: id, "format": "json", "fromSeconds": from, "toSeconds": to}),
            )
            .await,
        );
        assert!(!window.is_empty(), "{tool}: the window holds speech");
        assert!(
            window.iter().all(|t| t.0 >= from && t.0 < to),
            "{tool}: every turn starts in [{from}, {to})"
        );

        // Bad arguments: clear errors that name the argument.
        let past = call(&client, tool, json!({p.id_arg: id, "offset": 100_000})).await;
        assert_eq!(past.is_error, Some(true));
        assert!(
            text(&past).contains("past the end"),
            "{tool}: {}",
            text(&past)
        );
        let backwards = call(
            &client,
            tool,
            json!({p.id_arg: id, "fromSeconds": 60, "toSeconds": 30}),
        )
        .await;
        assert_eq!(backwards.is_error, Some(true));
        assert!(
            text(&backwards).contains("toSeconds"),
            "{tool}: {}",
            text(&backwards)
        );
        let nobody = call(
            &client,
            tool,
            json!({p.id_arg: id, "speaker": "Nobody Atall"}),
        )
        .await;
        assert_eq!(nobody.is_error, Some(true));
        assert!(
            text(&nobody).contains("no speaker"),
            "{tool}: {}",
            text(&nobody)
        );
    }
}
