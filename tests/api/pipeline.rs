//! From calls to minds: `gong_list_speakers` against the synthetic workspace's own transcripts,
//! and `create_mind_from_calls` end to end (the uploaded file read back from the synthetic Mind
//! Reasoner), with its failure modes.

use std::collections::{HashMap, HashSet};

use gong_mcp::demo::{DemoGongConfig, DemoTenant, Endpoint, Fault, Workspace};
use gong_mcp::fakes::mind_reasoner::{MrEndpoint, MrFault};
use serde_json::{Value, json};

use crate::helpers::*;

fn both_headers() -> [(&'static str, &'static str); 3] {
    [
        ("x-gong-access-key", A_KEY),
        ("x-gong-access-secret", A_SECRET),
        ("x-mind-reasoner-api-key", MR_KEY_A),
    ]
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Per speaker key (email, else name; lowercase): (calls spoken in, talk ms, words), from the
/// workspace's own transcripts and parties.
fn truth(ws: &Workspace, ids: &[String]) -> HashMap<String, (u64, u64, u64)> {
    let mut out: HashMap<String, (u64, u64, u64)> = HashMap::new();
    for id in ids {
        let call = ws.call(id).unwrap();
        let mut per: HashMap<String, (u64, u64)> = HashMap::new();
        for m in ws.transcript(id).unwrap() {
            let Some(sid) = m.speaker_id.as_deref() else {
                continue;
            };
            let Some(p) = call
                .parties
                .iter()
                .find(|p| p.speaker_id.as_deref() == Some(sid))
            else {
                continue;
            };
            let key = match &p.email_address {
                Some(e) => e.to_lowercase(),
                None => p.name.clone().unwrap_or_default().to_lowercase(),
            };
            let e = per.entry(key).or_default();
            for s in &m.sentences {
                e.0 += s.end - s.start;
                e.1 += s.text.split_whitespace().count() as u64;
            }
        }
        for (key, (ms, words)) in per {
            let t = out.entry(key).or_default();
            t.0 += 1;
            t.1 += ms;
            t.2 += words;
        }
    }
    out
}

#[tokio::test]
async fn speaker_totals_equal_the_sums_over_the_transcripts() {
    let app = spawn_app().await;
    let client = app.client(A_KEY, A_SECRET).await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let ids: Vec<String> = ws.calls.iter().take(40).map(|c| c.id.clone()).collect();
    let out = structured(
        &call(
            &client,
            "gong_list_speakers",
            json!({"callIds": ids, "limit": 100}),
        )
        .await,
    );
    assert_eq!(out["callsScanned"], 40);
    let truth = truth(&ws, &ids);
    let speakers = out["speakers"].as_array().unwrap();
    assert_eq!(speakers.len(), truth.len(), "{out}");
    for s in speakers {
        let key = s["email"]
            .as_str()
            .unwrap_or_else(|| s["name"].as_str().unwrap())
            .to_lowercase();
        let (calls, ms, words) = truth[&key];
        assert_eq!(s["calls"], calls, "{key}");
        assert_eq!(s["talkSeconds"], ms / 1000, "{key}");
        assert_eq!(s["words"], words, "{key}");
    }
    // Filters: only external speakers with 10+ minutes.
    let ext = structured(
        &call(
            &client,
            "gong_list_speakers",
            json!({"callIds": ids, "affiliation": "external", "minTalkSeconds": 600}),
        )
        .await,
    );
    let ext = ext["speakers"].as_array().unwrap();
    assert!(!ext.is_empty());
    assert!(
        ext.iter()
            .all(|s| s["affiliation"] == "External" && s["talkSeconds"].as_u64().unwrap() >= 600)
    );
}

#[tokio::test]
async fn a_window_larger_than_one_answer_continues_by_cursor_counting_each_call_once() {
    let config = DemoGongConfig {
        tenants: vec![DemoTenant::new(A_KEY, A_SECRET, "Northwind Analytics", 1).with_calls(420)],
        requests_per_second: 0,
        ..two_tenants()
    };
    // A deadline far above what 300 calls take even on a busy machine: this test is about the
    // cursor, not about the deadline cutting an answer short.
    let app = spawn_app_with(config, &["--gong-rps", "0", "--tool-timeout", "600"]).await;
    let client = app.client(A_KEY, A_SECRET).await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let window = json!({"fromDate": "2000-01-01", "toDate": "2100-01-01", "limit": 100});
    let first = structured(&call(&client, "gong_list_speakers", window).await);
    assert_eq!(first["callsScanned"], 300);
    let cursor = first["nextCursor"].as_str().expect("a cursor for the rest");
    let second = structured(
        &call(
            &client,
            "gong_list_speakers",
            json!({"cursor": cursor, "limit": 100}),
        )
        .await,
    );
    assert!(second.get("nextCursor").is_none(), "{second}");
    let ids = |o: &Value| -> Vec<String> {
        o["callIds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let (a, b) = (ids(&first), ids(&second));
    let all: HashSet<&String> = a.iter().chain(&b).collect();
    assert_eq!(all.len(), a.len() + b.len(), "a call was counted twice");
    assert_eq!(all.len(), ws.calls.len());
    // Each answer's totals are its own calls' totals.
    let truth_b = truth(&ws, &b);
    for s in second["speakers"].as_array().unwrap() {
        let key = s["email"]
            .as_str()
            .unwrap_or_else(|| s["name"].as_str().unwrap())
            .to_lowercase();
        assert_eq!(s["words"], truth_b[&key].2, "{key}");
    }
    let bad = call(
        &client,
        "gong_list_speakers",
        json!({"cursor": "not-a-cursor"}),
    )
    .await;
    assert!(
        is_error(&bad) && text(&bad).contains("nextCursor"),
        "{}",
        text(&bad)
    );
}

/// The external speaker of tenant A with most words in the first 60 calls, and those calls.
fn busy_customer(ws: &Workspace) -> (String, Vec<String>) {
    let ids: Vec<String> = ws.calls.iter().take(60).map(|c| c.id.clone()).collect();
    let truth = truth(ws, &ids);
    let email = truth
        .iter()
        .filter(|(k, _)| k.contains('@') && !k.ends_with(&ws.email_domain))
        .max_by_key(|(_, v)| v.2)
        .map(|(k, _)| k.clone())
        .unwrap();
    (email, ids)
}

/// The WebVTT files Mind Reasoner received for a mind, oldest first.
pub(crate) fn uploaded(app: &TestApp, mind_id: &str) -> Vec<String> {
    let mind = app
        .mr
        .minds(MR_KEY_A)
        .into_iter()
        .find(|m| m["id"] == mind_id)
        .expect("the mind exists");
    mind["digitalTwins"][0]["mindAssessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let (bytes, ct) = app
                .mr
                .artifact(MR_KEY_A, a["artifactId"].as_str().unwrap())
                .unwrap();
            assert_eq!(ct, "text/vtt");
            String::from_utf8(bytes).unwrap()
        })
        .collect()
}

/// Cue payloads without voice tags, unescaped, in file order; and the cue start times.
pub(crate) fn cues(vtt: &str) -> (Vec<String>, Vec<String>) {
    let mut payloads = Vec::new();
    let mut starts = Vec::new();
    let mut lines = vtt.lines().peekable();
    assert_eq!(lines.next(), Some("WEBVTT"));
    while let Some(line) = lines.next() {
        if let Some((start, _)) = line.split_once(" --> ") {
            starts.push(start.to_owned());
            let payload = lines.next().expect("cue text");
            let text = payload.split_once('>').map(|(_, t)| t).unwrap_or(payload);
            payloads.push(
                text.replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            );
        }
    }
    (payloads, starts)
}

#[tokio::test]
async fn a_mind_is_trained_on_exactly_the_speakers_words_and_no_text_comes_back() {
    let app = spawn_app().await;
    let client = app.client_with(&both_headers()).await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let (email, ids) = busy_customer(&ws);
    let result = call(
        &client,
        "create_mind_from_calls",
        json!({"speaker": email, "callIds": ids, "mindName": "Busy Customer"}),
    )
    .await;
    let out = structured(&result);
    assert_eq!(out["mind"], "created");
    let files = uploaded(&app, out["mindId"].as_str().unwrap());
    assert_eq!(files.len(), 1);
    // The truth: every sentence of that speaker in those calls, calls in date order.
    let mut calls: Vec<_> = ids.iter().map(|id| ws.call(id).unwrap()).collect();
    calls.sort_by_key(|c| c.started);
    let mut expected = String::new();
    let mut sentences = Vec::new();
    let mut used = 0;
    for c in &calls {
        let speaker_ids: Vec<&str> = c
            .parties
            .iter()
            .filter(|p| {
                p.email_address
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(&email))
            })
            .filter_map(|p| p.speaker_id.as_deref())
            .collect();
        let mut any = false;
        for m in ws.transcript(&c.id).unwrap() {
            if m.speaker_id
                .as_deref()
                .is_some_and(|s| speaker_ids.contains(&s))
            {
                for s in &m.sentences {
                    expected.push_str(&no_space(&s.text));
                    sentences.push(s.text.clone());
                    any = true;
                }
            }
        }
        used += usize::from(any);
    }
    let (payloads, starts) = cues(&files[0]);
    assert_eq!(
        no_space(&payloads.concat()),
        expected,
        "every sentence once, in order, nobody else's"
    );
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted, "cue times never go backwards");
    assert_eq!(out["callsUsed"].as_array().unwrap().len(), used);
    assert_eq!(
        files[0].matches("NOTE call ").count(),
        used,
        "one NOTE per call"
    );
    // The answer carries none of the words.
    let answer = format!("{}{}", text(&result), out);
    for s in sentences.iter().filter(|s| s.len() > 40) {
        assert!(!answer.contains(s.as_str()), "the answer quotes: {s}");
    }
    // The same name again reuses the mind; the same speaker in no call is a clear error.
    let again = structured(
        &call(
            &client,
            "create_mind_from_calls",
            json!({"speaker": email, "callIds": ids, "mindName": " busy customer "}),
        )
        .await,
    );
    assert_eq!(again["mind"], "reused");
    assert_eq!(again["mindId"], out["mindId"]);
    assert_eq!(uploaded(&app, out["mindId"].as_str().unwrap()).len(), 2);
}

#[tokio::test]
async fn mind_choice_errors_are_clear_and_create_nothing() {
    let app = spawn_app().await;
    let client = app.client_with(&both_headers()).await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let (email, ids) = busy_customer(&ws);
    let before = app.mr.minds(MR_KEY_A).len();
    // A mind of another tenant is not found.
    let b = app
        .client_with(&[("x-mind-reasoner-api-key", MR_KEY_B)])
        .await;
    let theirs = structured(&call(&b, "create_mind", json!({"name": "Initech Person"})).await);
    let result = call(
        &client,
        "create_mind_from_calls",
        json!({"speaker": email, "callIds": ids, "mindId": theirs["mindId"]}),
    )
    .await;
    assert!(
        is_error(&result) && text(&result).contains("no mind"),
        "{}",
        text(&result)
    );
    // A speaker in none of the calls: close matches are named.
    let first_name = email.split('.').next().unwrap().to_owned();
    let result = call(
        &client,
        "create_mind_from_calls",
        json!({"speaker": format!("{first_name}.nobody@nowhere.example"), "callIds": ids}),
    )
    .await;
    assert!(is_error(&result));
    assert!(text(&result).contains("Close matches"), "{}", text(&result));
    assert!(
        text(&result).to_lowercase().contains(&first_name),
        "{}",
        text(&result)
    );
    // Two minds with one name: the error lists both ids.
    for _ in 0..2 {
        call(&client, "create_mind", json!({"name": "Twin Name"})).await;
    }
    let result = call(
        &client,
        "create_mind_from_calls",
        json!({"speaker": email, "callIds": ids, "mindName": "twin name"}),
    )
    .await;
    assert!(
        is_error(&result) && text(&result).contains("2 minds are named"),
        "{}",
        text(&result)
    );
    assert_eq!(
        app.mr.minds(MR_KEY_A).len(),
        before + 2,
        "only the two create_mind calls made minds"
    );
}

#[tokio::test]
async fn failures_halfway_say_what_was_done() {
    let app = spawn_app().await;
    let client = app.client_with(&both_headers()).await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let (email, ids) = busy_customer(&ws);
    let before = app.mr.minds(MR_KEY_A).len();
    // Gong fails on the transcripts: nothing is created.
    app.gong.faults().push_for(
        Some(A_KEY),
        Some(Endpoint::CallsTranscript),
        Fault::Status {
            status: 503,
            body: "{}".into(),
            content_type: "application/json",
        },
        20,
    );
    let result = call(
        &client,
        "create_mind_from_calls",
        json!({"speaker": email, "callIds": ids}),
    )
    .await;
    assert!(is_error(&result));
    assert!(
        text(&result).contains("Nothing was created in Mind Reasoner"),
        "{}",
        text(&result)
    );
    assert_eq!(app.mr.minds(MR_KEY_A).len(), before);
    app.gong.faults().clear();
    // Mind Reasoner refuses the upload (413): the mind exists, the answer says to retry with it.
    for fault in [
        MrFault::Status {
            status: 413,
            body: r#"{"error":"Payload Too Large","message":"file too large","code":"PAYLOAD_TOO_LARGE","details":null}"#.into(),
            content_type: "application/json",
        },
        MrFault::AfterEffect500,
        // Last: a long 429 holds this tenant's Mind Reasoner requests for an hour.
        MrFault::TooManyRequests { retry_after_secs: 3600 },
    ] {
        let fault_kind = match &fault {
            MrFault::AfterEffect500 => "500",
            _ => "other",
        };
        app.mr.faults().push(Some(MrEndpoint::CreateSnapshot), fault, 1);
        let result = call(
            &client,
            "create_mind_from_calls",
            json!({"speaker": email, "callIds": ids, "mindName": "Halfway"}),
        )
        .await;
        let msg = text(&result);
        assert!(is_error(&result), "{msg}");
        assert!(msg.contains("Mind ") && msg.contains("Retry with mindId"), "{msg}");
        assert!(msg.contains("Looked at 60 call(s)"), "{msg}");
        if matches!(fault_kind, "500") {
            assert!(msg.contains("may or may not have happened"), "{msg}");
        }
    }
    let halfway: Vec<Value> = app
        .mr
        .minds(MR_KEY_A)
        .into_iter()
        .filter(|m| m["name"] == "Halfway")
        .collect();
    assert_eq!(halfway.len(), 1, "one mind, reused on each retry");
}

#[tokio::test]
async fn the_pipeline_is_listed_only_with_both_credentials() {
    let app = spawn_app().await;
    let names = |tools: Vec<rmcp::model::Tool>| -> Vec<String> {
        tools.into_iter().map(|t| t.name.to_string()).collect()
    };
    let both = names(
        app.client_with(&both_headers())
            .await
            .list_all_tools()
            .await
            .unwrap(),
    );
    assert!(both.contains(&"create_mind_from_calls".to_owned()));
    assert!(both.contains(&"gong_list_speakers".to_owned()));
    let gong = names(
        app.client(A_KEY, A_SECRET)
            .await
            .list_all_tools()
            .await
            .unwrap(),
    );
    assert!(gong.contains(&"gong_list_speakers".to_owned()));
    assert!(!gong.contains(&"create_mind_from_calls".to_owned()));
    let mr_only = app
        .client_with(&[("x-mind-reasoner-api-key", MR_KEY_A)])
        .await;
    assert!(
        !names(mr_only.list_all_tools().await.unwrap())
            .contains(&"create_mind_from_calls".to_owned())
    );
    let result = call(&mr_only, "create_mind_from_calls", json!({"speaker": "x"})).await;
    assert!(
        is_error(&result) && text(&result).contains("X-Gong-Access-Key"),
        "{}",
        text(&result)
    );
}

/// One progress notification: progress, total, message.
type Seen = (f64, Option<f64>, String);

/// A client that records the progress notifications it receives.
#[derive(Clone, Default)]
struct ProgressRecorder {
    seen: std::sync::Arc<std::sync::Mutex<Vec<Seen>>>,
}

impl rmcp::ClientHandler for ProgressRecorder {
    fn get_info(&self) -> rmcp::model::ClientConfig {
        rmcp::model::ClientConfig::default()
    }

    async fn on_progress(
        &self,
        params: rmcp::model::ProgressNotificationParam,
        _context: rmcp::service::NotificationContext<rmcp::RoleClient>,
    ) {
        self.seen.lock().unwrap().push((
            params.progress,
            params.total,
            params.message.unwrap_or_default(),
        ));
    }
}

/// An MCP client with these headers that records progress notifications.
async fn recording_client(
    app: &TestApp,
    headers: &[(&'static str, &'static str)],
) -> (
    rmcp::service::RunningService<rmcp::RoleClient, ProgressRecorder>,
    ProgressRecorder,
) {
    use rmcp::service::{ClientLifecycleMode, ClientServiceExt};
    use rmcp::transport::StreamableHttpClientTransport;
    use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
    let headers: HashMap<http::HeaderName, http::HeaderValue> = headers
        .iter()
        .map(|(k, v)| {
            (
                http::HeaderName::from_static(k),
                http::HeaderValue::from_static(v),
            )
        })
        .collect();
    let recorder = ProgressRecorder::default();
    let transport = StreamableHttpClientTransport::from_config(
        StreamableHttpClientTransportConfig::with_uri(app.mcp_url()).custom_headers(headers),
    );
    let client = recorder
        .clone()
        .serve_with_lifecycle(transport, ClientLifecycleMode::Initialize)
        .await
        .unwrap();
    (client, recorder)
}

/// A tools/call that asks for progress notifications.
fn with_progress_token(tool: &'static str, args: Value) -> rmcp::model::CallToolRequestParams {
    let mut meta = rmcp::model::RequestMetaObject::default();
    meta.set_progress_token(rmcp::model::ProgressToken(
        rmcp::model::NumberOrString::Number(7),
    ));
    let mut params = rmcp::model::CallToolRequestParams::new(tool)
        .with_arguments(args.as_object().unwrap().clone());
    params.meta = Some(meta);
    params
}

#[tokio::test]
async fn progress_arrives_in_order_when_asked_for_and_the_answer_is_unchanged() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let ids: Vec<String> = ws.calls.iter().take(120).map(|c| c.id.clone()).collect();
    let (client, recorder) = recording_client(&app, &both_headers()).await;
    let with_progress = client
        .call_tool(with_progress_token(
            "gong_list_speakers",
            json!({"callIds": ids}),
        ))
        .await
        .unwrap();
    let seen = recorder.seen.lock().unwrap().clone();
    assert!(
        seen.len() >= 3,
        "one notification per chunk of 50 calls: {seen:?}"
    );
    assert!(
        seen.windows(2).all(|w| w[0].0 < w[1].0),
        "progress only grows: {seen:?}"
    );
    assert_eq!(seen.last().unwrap().0, 120.0);
    assert!(seen.iter().all(|s| s.1 == Some(120.0)));
    assert!(seen[0].2.contains("of 120 calls"), "{seen:?}");
    // The same call without a token: no notification, the same answer.
    let plain = app.client(A_KEY, A_SECRET).await;
    let without = call(&plain, "gong_list_speakers", json!({"callIds": ids})).await;
    let (mut a, mut b) = (structured(&with_progress), structured(&without));
    a["gongRequests"] = json!(0);
    b["gongRequests"] = json!(0);
    assert_eq!(a, b);
    assert_eq!(recorder.seen.lock().unwrap().len(), seen.len());
}

#[tokio::test]
async fn create_mind_from_calls_schema_is_stable() {
    let app = spawn_app().await;
    let client = app.client_with(&both_headers()).await;
    let tool = client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == "create_mind_from_calls")
        .expect("listed with both credentials");
    insta::assert_json_snapshot!("create_mind_from_calls", tool);
}

#[tokio::test]
async fn waiting_for_a_snapshot_reports_its_state() {
    let app = spawn_app_full(
        two_tenants(),
        gong_mcp::fakes::mind_reasoner::FakeMindReasonerConfig {
            snapshot_step: std::time::Duration::from_secs(2),
            ..two_mind_reasoner_tenants()
        },
        &[],
    )
    .await;
    let (client, recorder) = recording_client(&app, &[("x-mind-reasoner-api-key", MR_KEY_A)]).await;
    let plain = app
        .client_with(&[("x-mind-reasoner-api-key", MR_KEY_A)])
        .await;
    let mind = structured(&call(&plain, "create_mind", json!({"name": "Waited For"})).await);
    let signed = structured(
        &call(
            &plain,
            "get_signed_upload_url",
            json!({"mindId": mind["mindId"], "fileName": "w.vtt"}),
        )
        .await,
    );
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Ready when you are.\n";
    call(
        &plain,
        "upload_file_to_signed_url",
        json!({"signedUrl": signed["signedUrl"], "contentType": "text/vtt", "content": vtt}),
    )
    .await;
    let snapshot = structured(
        &call(
            &plain,
            "create_snapshot",
            json!({"mindId": mind["mindId"], "digitalTwinId": mind["digitalTwinId"], "artifactId": signed["artifactId"]}),
        )
        .await,
    );
    let result = client
        .call_tool(with_progress_token(
            "get_snapshot_status",
            json!({"mindId": mind["mindId"], "snapshotId": snapshot["snapshotId"], "waitSeconds": 10}),
        ))
        .await
        .unwrap();
    assert_eq!(structured(&result)["status"], "completed");
    let seen = recorder.seen.lock().unwrap().clone();
    assert!(!seen.is_empty(), "no progress while waiting");
    assert!(seen[0].2.starts_with("snapshot pending"), "{seen:?}");
    assert!(seen.iter().all(|s| s.1 == Some(10.0)), "{seen:?}");
}
