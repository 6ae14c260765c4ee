//! Render benchmark: how long rendering a long transcript takes, and how many characters the
//! rendered pages hold compared with Gong's raw JSON for the same call.
//!
//!     cargo bench --bench render
//!
//! Calls: a synthetic 3-hour call of 30,000 sentences (the size), once with sentences as
//! short as that density implies at a normal speaking rate (about one word each) and once with
//! full sentences of about ten words; and the synthetic Gong's longest call, fetched over HTTP as
//! Gong's exact JSON. Prints a table; asserts nothing about time (figures go in the README).
//! Under `cargo test` (no `--bench`) it runs once, as a smoke test.

use std::time::{Duration, Instant};

use gong_mcp::demo::{DEMO_ACCESS_KEY, DEMO_ACCESS_SECRET, DemoGong, DemoGongConfig};
use gong_mcp::gong::meeting;
use gong_mcp::gong::types::ExtensiveCall;
use gong_mcp::gong::types::{CallTranscript, ExtensivePage, TranscriptPage};
use gong_mcp::mcp::args::TranscriptFormat;
use gong_mcp::mcp::render::synthetic::{self, Shape};
use gong_mcp::mcp::render::transcript::{Filter, build};
use gong_mcp::mcp::render::transcript_page::{PageRequest, render_page};
use gong_mcp::mcp::render::{RESPONSE_BUDGET, json_len};

struct Call {
    name: String,
    raw_transcript: String,
    transcript: CallTranscript,
    call: ExtensiveCall,
}

/// Every page of the call in `format` at the default page size: (characters, pages, largest
/// answer including structured content).
fn render_all(c: &Call, format: TranscriptFormat) -> (usize, usize, usize) {
    let transcript = meeting::transcript(&c.transcript);
    let mut doc = build(&transcript, Some(&meeting::header(&c.call)));
    doc.select(&transcript, &Filter::default());
    let mut req = PageRequest {
        format,
        ..PageRequest::default()
    };
    let (mut chars, mut pages, mut largest) = (0, 0, 0);
    loop {
        let (text, out) = render_page(&doc, &req).expect("valid offset");
        chars += text.len();
        pages += 1;
        largest = largest.max(text.len() + json_len(&out));
        match out.page.next_offset {
            Some(next) => req.offset = next,
            None => return (chars, pages, largest),
        }
    }
}

/// The first page alone: what one tool call renders.
fn first_page(c: &Call) -> usize {
    let transcript = meeting::transcript(&c.transcript);
    let mut doc = build(&transcript, Some(&meeting::header(&c.call)));
    doc.select(&transcript, &Filter::default());
    render_page(&doc, &PageRequest::default())
        .expect("page")
        .0
        .len()
}

fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(f());
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn synthetic_call(name: &str, words_per_sentence: usize) -> Call {
    let shape = Shape {
        sentences: 30_000,
        seconds: 3 * 3600,
        words_per_sentence,
        speakers: 6,
        seed: 11,
    };
    let (raw_transcript, raw_call) = synthetic::raw_call(shape);
    let raw_transcript = raw_transcript.to_string();
    let page: TranscriptPage = serde_json::from_str(&raw_transcript).expect("transcript JSON");
    Call {
        name: name.to_owned(),
        raw_transcript,
        transcript: page.call_transcripts.into_iter().next().unwrap_or_default(),
        call: serde_json::from_value(raw_call).unwrap_or_default(),
    }
}

/// The synthetic Gong's longest call, as Gong's JSON over HTTP.
async fn demo_call() -> Call {
    let gong = DemoGong::spawn(DemoGongConfig {
        requests_per_second: 0,
        ..DemoGongConfig::default()
    })
    .await
    .expect("demo gong");
    let ws = gong.workspace(DEMO_ACCESS_KEY).expect("demo tenant");
    let longest = ws.calls.iter().max_by_key(|c| c.duration).expect("calls");
    let http = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        http.post(format!("{}/v2/calls/{path}", gong.base_url()))
            .basic_auth(DEMO_ACCESS_KEY, Some(DEMO_ACCESS_SECRET))
            .json(&body)
            .send()
    };
    let filter = serde_json::json!({"filter": {"callIds": [longest.id]}});
    let raw_transcript = post("transcript", filter.clone())
        .await
        .expect("transcript")
        .text()
        .await
        .expect("body");
    let mut extensive_body = filter;
    extensive_body["contentSelector"] = serde_json::json!({"exposedFields": {"parties": true}});
    let extensive: ExtensivePage = post("extensive", extensive_body)
        .await
        .expect("extensive")
        .json()
        .await
        .expect("extensive JSON");
    let page: TranscriptPage = serde_json::from_str(&raw_transcript).expect("transcript JSON");
    let sentences: usize = page.call_transcripts[0]
        .transcript
        .iter()
        .map(|m| m.sentences.len())
        .sum();
    Call {
        name: format!(
            "demo's longest call ({}m, {sentences} sentences)",
            longest.duration / 60
        ),
        raw_transcript,
        transcript: page.call_transcripts.into_iter().next().unwrap_or_default(),
        call: extensive.calls.into_iter().next().unwrap_or_default(),
    }
}

#[tokio::main]
async fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let runs = if bench { 21 } else { 1 };
    let calls = [
        synthetic_call("3 h, 30,000 sentences of ~1 word (speech rate)", 1),
        synthetic_call("3 h, 30,000 sentences of ~10 words (stress)", 10),
        demo_call().await,
    ];
    println!("gong-mcp render benchmark (median of {runs} runs, text format, default maxChars)");
    if !bench {
        println!("smoke run under cargo test: unoptimized build, times are not representative");
    }
    println!();
    println!(
        "{:<46} {:>9} {:>9} {:>7} {:>7} {:>6} {:>6} {:>5} {:>9} {:>9}",
        "call",
        "raw JSON",
        "text",
        "text %",
        "words %",
        "vtt %",
        "json %",
        "pages",
        "all pages",
        "1st page"
    );
    for c in &calls {
        let (text, pages, largest) = render_all(c, TranscriptFormat::Text);
        let (vtt, _, largest_vtt) = render_all(c, TranscriptFormat::Vtt);
        let (json, _, largest_json) = render_all(c, TranscriptFormat::Json);
        assert!(largest.max(largest_vtt).max(largest_json) <= RESPONSE_BUDGET);
        let all = median(runs, || render_all(c, TranscriptFormat::Text));
        let one = median(runs, || first_page(c));
        let raw = c.raw_transcript.len();
        let words: usize = c
            .transcript
            .transcript
            .iter()
            .flat_map(|m| m.sentences.iter())
            .map(|s| s.text.len())
            .sum();
        let pct = |n: usize| format!("{:.1}%", n as f64 * 100.0 / raw as f64);
        println!(
            "{:<46} {:>9} {:>9} {:>7} {:>7} {:>6} {:>6} {:>5} {:>7.1}ms {:>7.1}ms",
            c.name,
            raw,
            text,
            pct(text),
            pct(words),
            pct(vtt),
            pct(json),
            pages,
            all.as_secs_f64() * 1000.0,
            one.as_secs_f64() * 1000.0,
        );
    }
    let parse = median(runs, || {
        serde_json::from_str::<TranscriptPage>(&calls[1].raw_transcript)
            .map(|p| p.records.total_records)
    });
    println!(
        "\nraw JSON = Gong's compact /v2/calls/transcript body; text/vtt/json = every page as served, headers\n\
         included; words = the sentence texts alone (the floor for any lossless rendering);\n\
         all pages = build + render every text page; 1st page = what one tool call renders.\n\
         Decoding the 30,000-sentence JSON (~10 words) itself takes {:.1} ms.",
        parse.as_secs_f64() * 1000.0
    );
}
