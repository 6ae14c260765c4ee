//! MCP resources: listed by credentials, the tenant's newest calls paged by cursor, reads equal
//! to the tools' answers, transcript pages by `?offset=` with every sentence once.

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use gong_mcp::demo::Workspace;
use rmcp::ServiceError;
use rmcp::model::{
    ErrorCode, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResult,
    ResourceContents,
};
use serde_json::{Value, json};

use crate::helpers::*;

pub fn gong(key: &'static str, secret: &'static str) -> [(&'static str, &'static str); 2] {
    [("x-gong-access-key", key), ("x-gong-access-secret", secret)]
}

pub async fn read(client: &McpClient, uri: &str) -> Result<ReadResourceResult, ServiceError> {
    client
        .read_resource(ReadResourceRequestParams::new(uri))
        .await
}

/// The one text content of a read, and its `_meta`.
pub fn text_and_meta(result: &ReadResourceResult, uri: &str) -> (String, Option<Value>) {
    assert_eq!(result.contents.len(), 1, "{result:?}");
    match &result.contents[0] {
        ResourceContents::TextResourceContents {
            uri: got,
            mime_type,
            text,
            meta,
        } => {
            assert_eq!(got, uri);
            assert_eq!(mime_type.as_deref(), Some("text/plain"));
            (
                text.clone(),
                meta.as_ref()
                    .map(|m| serde_json::to_value(m).unwrap_or_default()),
            )
        }
        other => panic!("expected text contents, got {other:?}"),
    }
}

/// Tenant A's calls of the last 30 days, newest first (what `resources/list` must list).
pub fn newest_ids(ws: &Workspace) -> Vec<String> {
    let now = Utc::now();
    let mut calls: Vec<_> = ws
        .calls
        .iter()
        .filter(|c| c.started > now - Duration::days(30) && c.started < now)
        .collect();
    calls.sort_by_key(|c| std::cmp::Reverse(c.started));
    calls.into_iter().map(|c| c.id.clone()).collect()
}

#[tokio::test]
async fn resources_follow_the_credentials_and_list_the_newest_calls_by_cursor() {
    let app = spawn_app().await;
    let none = app.client_with(&[]).await;
    assert!(none.list_all_resources().await.unwrap().is_empty());
    assert!(none.list_all_resource_templates().await.unwrap().is_empty());
    let mr_only = app
        .client_with(&[("x-mind-reasoner-api-key", MR_KEY_A)])
        .await;
    assert!(
        mr_only
            .list_all_resource_templates()
            .await
            .unwrap()
            .is_empty()
    );

    let a = app.client_with(&gong(A_KEY, A_SECRET)).await;
    let templates: Vec<String> = a
        .list_all_resource_templates()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.uri_template)
        .collect();
    assert_eq!(
        templates,
        ["gong://calls/{callId}", "gong://calls/{callId}/transcript"]
    );

    // Page by page: 25 each, newest first, at most 100, every call once.
    let ws = app.gong.workspace(A_KEY).unwrap();
    let mut listed = Vec::new();
    let mut cursor = None;
    loop {
        let page = a
            .list_resources(Some(PaginatedRequestParams::default().with_cursor(cursor)))
            .await
            .unwrap();
        assert!(page.resources.len() <= 25);
        for r in &page.resources {
            let id = r.uri.strip_prefix("gong://calls/").expect("a call URI");
            let call = ws.call(id).expect("a call of tenant A");
            assert_eq!(r.name, call.title);
            let about = r.description.clone().unwrap_or_default();
            assert!(
                about.contains(&format!("gong://calls/{id}/transcript")),
                "{about}"
            );
            listed.push(id.to_owned());
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(listed.len() < 200, "paging does not end");
    }
    let truth = newest_ids(&ws);
    assert!(
        truth.len() > 25,
        "the workspace has more than one page of recent calls"
    );
    assert_eq!(listed, truth.into_iter().take(100).collect::<Vec<_>>());

    // Tenant B lists its own calls only (the synthetic tenants number their calls alike, so
    // the titles tell them apart).
    let b = app.client_with(&gong(B_KEY, B_SECRET)).await;
    let first_b = b.list_resources(None).await.unwrap();
    let ws_b = app.gong.workspace(B_KEY).unwrap();
    let listed_b: Vec<String> = first_b
        .resources
        .iter()
        .map(|r| r.uri.strip_prefix("gong://calls/").unwrap().to_owned())
        .collect();
    assert_eq!(
        listed_b,
        newest_ids(&ws_b).into_iter().take(25).collect::<Vec<_>>()
    );
    for r in &first_b.resources {
        let id = r.uri.strip_prefix("gong://calls/").unwrap();
        assert_eq!(r.name, ws_b.call(id).unwrap().title);
    }

    // A cursor this server did not issue is refused.
    let err = a
        .list_resources(Some(
            PaginatedRequestParams::default().with_cursor(Some("not-a-cursor".into())),
        ))
        .await
        .unwrap_err();
    let ServiceError::McpError(err) = err else {
        panic!("{err:?}")
    };
    assert_eq!(err.code, ErrorCode::INVALID_PARAMS);
    assert!(err.message.contains("Invalid cursor"), "{}", err.message);
}

#[tokio::test]
async fn a_call_resource_reads_exactly_as_gong_get_call_details_answers() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let client = app.client_with(&gong(A_KEY, A_SECRET)).await;
    for call in ws.calls.iter().take(3) {
        let uri = format!("gong://calls/{}", call.id);
        let result = read(&client, &uri).await.unwrap();
        let (resource_text, _) = text_and_meta(&result, &uri);
        let tool = call_tool_ok(&client, "gong_get_call_details", json!({"callId": call.id})).await;
        assert_eq!(resource_text, tool);
        assert!(resource_text.contains(&call.title));
    }
}

async fn call_tool_ok(client: &McpClient, tool: &str, args: Value) -> String {
    let result = call(client, tool, args).await;
    assert!(!is_error(&result), "{}", text(&result));
    text(&result)
}

fn no_space(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The words of the `[mm:ss] Name: words` lines of a text page.
fn turn_words(page: &str) -> String {
    page.lines()
        .filter(|l| l.starts_with('['))
        .filter_map(|l| {
            l.split_once("] ")
                .and_then(|(_, rest)| rest.split_once(": "))
        })
        .map(|(_, words)| no_space(words))
        .collect()
}

#[tokio::test]
async fn a_transcript_resource_pages_by_offset_as_the_tool_does_with_every_sentence_once() {
    let app = spawn_app().await;
    let ws = app.gong.workspace(A_KEY).unwrap();
    let longest = ws.calls.iter().max_by_key(|c| c.duration).unwrap();
    let client = app.client_with(&gong(A_KEY, A_SECRET)).await;

    let mut uri = format!("gong://calls/{}/transcript", longest.id);
    let mut offset: Option<u64> = None;
    let mut words = String::new();
    let mut pages = 0;
    loop {
        let result = read(&client, &uri).await.unwrap();
        let (page, meta) = text_and_meta(&result, &uri);
        let mut args = json!({"callId": longest.id});
        if let Some(n) = offset {
            args["offset"] = json!(n);
        }
        let tool = call(&client, "gong_get_transcript", args).await;
        let next = structured(&tool)["page"]["nextOffset"].as_u64();
        let tool_text = text(&tool);
        pages += 1;
        words.push_str(&turn_words(&tool_text));
        match next {
            Some(n) => {
                let next_uri = format!("gong://calls/{}/transcript?offset={n}", longest.id);
                assert_eq!(
                    page,
                    format!("{tool_text}\n\nNext page of this transcript: {next_uri}")
                );
                let meta = meta.expect("a page with a next one has _meta");
                assert_eq!(meta["nextUri"], json!(next_uri));
                assert_eq!(meta["nextOffset"], json!(n));
                uri = next_uri;
                offset = Some(n);
            }
            None => {
                assert_eq!(page, tool_text);
                assert!(meta.is_none());
                break;
            }
        }
        assert!(pages < 100, "paging does not end");
    }
    assert!(pages >= 2, "the longest call takes more than one page");
    let truth: String = ws
        .transcript(&longest.id)
        .unwrap()
        .iter()
        .flat_map(|m| m.sentences.iter().map(|s| no_space(&s.text)))
        .collect();
    assert_eq!(words, truth, "every sentence once, in order");
}

/// One recorder as these tests see it: tenant A's and B's credentials, its tools and URIs, and
/// what its synthetic service holds (the truth the answers are checked against).
#[derive(Clone, Copy, Debug)]
pub struct Recorder {
    pub key: &'static str,
    pub a: &'static [(&'static str, &'static str)],
    pub b: &'static [(&'static str, &'static str)],
    /// `gong://calls/`: a meeting's details URI is this and its id.
    pub base: &'static str,
    pub id_arg: &'static str,
    pub details: Option<&'static str>,
    pub transcript: &'static str,
    /// How many of its newest meetings are listed.
    pub recent: usize,
}

pub const RECORDERS: [Recorder; 3] = [
    Recorder {
        key: "gong",
        a: &[
            ("x-gong-access-key", A_KEY),
            ("x-gong-access-secret", A_SECRET),
        ],
        b: &[
            ("x-gong-access-key", B_KEY),
            ("x-gong-access-secret", B_SECRET),
        ],
        base: "gong://calls/",
        id_arg: "callId",
        details: Some("gong_get_call_details"),
        transcript: "gong_get_transcript",
        recent: 100,
    },
    Recorder {
        key: "fathom",
        a: &[("x-fathom-api-key", FATHOM_KEY_A)],
        b: &[("x-fathom-api-key", FATHOM_KEY_B)],
        base: "fathom://meetings/",
        id_arg: "meetingId",
        details: Some("fathom_get_meeting_details"),
        transcript: "fathom_get_transcript",
        recent: 30,
    },
    Recorder {
        key: "fireflies",
        a: &[("x-fireflies-api-key", FIREFLIES_KEY_A)],
        b: &[("x-fireflies-api-key", FIREFLIES_KEY_B)],
        base: "fireflies://transcripts/",
        id_arg: "transcriptId",
        details: None,
        transcript: "fireflies_get_transcript",
        recent: 50,
    },
];

/// A meeting: start, id, title, participants' emails in lower case.
type Truth = (chrono::DateTime<Utc>, String, String, BTreeSet<String>);

impl Recorder {
    /// The URI `resources/list` lists a meeting by: its details, else its transcript.
    pub fn listed_uri(&self, id: &str) -> String {
        match self.details {
            Some(_) => format!("{}{id}", self.base),
            None => format!("{}{id}/transcript", self.base),
        }
    }

    /// Every meeting of tenant A (or B): start, id, title, participants' emails.
    pub fn meetings(&self, app: &TestApp, tenant_a: bool) -> Vec<Truth> {
        let lower = |e: &str| e.trim().to_lowercase();
        match self.key {
            "gong" => app
                .gong
                .workspace(if tenant_a { A_KEY } else { B_KEY })
                .unwrap()
                .calls
                .iter()
                .map(|c| {
                    let emails = c.parties.iter().filter_map(|p| p.email_address.as_deref());
                    (
                        c.started,
                        c.id.clone(),
                        c.title.clone(),
                        emails.map(lower).collect(),
                    )
                })
                .collect(),
            "fathom" => app
                .fathom
                .meetings(if tenant_a { FATHOM_KEY_A } else { FATHOM_KEY_B })
                .iter()
                .map(|m| {
                    let emails = m.calendar_invitees.iter().map(|i| lower(&i.email));
                    let id = m.recording_id.to_string();
                    (
                        m.recording_start_time,
                        id,
                        m.title.clone(),
                        emails.collect(),
                    )
                })
                .collect(),
            _ => app
                .fireflies
                .meetings(if tenant_a {
                    FIREFLIES_KEY_A
                } else {
                    FIREFLIES_KEY_B
                })
                .iter()
                .map(|m| {
                    (
                        m.started,
                        m.id.clone(),
                        m.title.clone(),
                        m.emails().collect(),
                    )
                })
                .collect(),
        }
    }

    /// Tenant A's newest meetings of the last 30 days, newest first, as many as are listed.
    pub fn newest(&self, app: &TestApp) -> Vec<Truth> {
        let now = Utc::now();
        let mut recent: Vec<Truth> = self
            .meetings(app, true)
            .into_iter()
            .filter(|m| m.0 > now - Duration::days(30) && m.0 < now)
            .collect();
        recent.sort_by_key(|m| std::cmp::Reverse(m.0));
        recent.truncate(self.recent);
        recent
    }

    /// The words of a meeting of tenant A, without spaces, in order.
    pub fn words(&self, app: &TestApp, id: &str) -> String {
        match self.key {
            "gong" => app
                .gong
                .workspace(A_KEY)
                .unwrap()
                .transcript(id)
                .unwrap()
                .iter()
                .flat_map(|m| m.sentences.iter().map(|s| no_space(&s.text)))
                .collect(),
            "fathom" => app
                .fathom
                .transcript(FATHOM_KEY_A, id.parse().unwrap())
                .iter()
                .map(|e| no_space(&e.text))
                .collect(),
            _ => app
                .fireflies
                .meetings(FIREFLIES_KEY_A)
                .iter()
                .find(|m| m.id == id)
                .unwrap()
                .sentences
                .iter()
                .map(|s| no_space(&s.text))
                .collect(),
        }
    }

    /// Tenant A's meeting with the most words.
    pub fn longest(&self, app: &TestApp) -> String {
        self.meetings(app, true)
            .into_iter()
            .map(|m| m.1)
            .max_by_key(|id| self.words(app, id).len())
            .unwrap()
    }
}

#[tokio::test]
async fn every_recorder_present_has_its_templates_and_its_newest_meetings_listed_in_turn() {
    let app = spawn_app().await;
    let mut everything: Vec<(&str, &str)> = Vec::new();
    for r in RECORDERS {
        // Alone: its own templates only.
        let client = app.client_with(r.a).await;
        let templates: Vec<String> = client
            .list_all_resource_templates()
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.uri_template)
            .collect();
        let one = format!("{}{{{}}}", r.base, r.id_arg);
        let mut want = vec![format!("{one}/transcript")];
        if r.details.is_some() {
            want.insert(0, one);
        }
        assert_eq!(templates, want, "{}", r.key);
        everything.extend(r.a);
    }

    // All three: Gong's newest, then Fathom's, then Fireflies', page by page, each once.
    let all = app.client_with(&everything).await;
    let mut listed = Vec::new();
    let mut cursor = None;
    loop {
        let page = all
            .list_resources(Some(PaginatedRequestParams::default().with_cursor(cursor)))
            .await
            .unwrap();
        assert!(page.resources.len() <= 25);
        listed.extend(page.resources.into_iter().map(|r| (r.uri, r.name)));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(listed.len() < 400, "paging does not end");
    }
    let mut truth = Vec::new();
    for r in RECORDERS {
        let newest = r.newest(&app);
        assert!(newest.len() > 1, "{} has recent meetings", r.key);
        truth.extend(newest.into_iter().map(|m| (r.listed_uri(&m.1), m.2)));
    }
    assert_eq!(listed, truth);
}

#[tokio::test]
async fn fathom_and_fireflies_resources_read_exactly_as_their_tools_answer_page_by_page() {
    let app = spawn_app().await;
    for r in RECORDERS {
        let client = app.client_with(r.a).await;
        let newest = r.newest(&app);
        // Details, where the recorder has a details tool.
        if let Some(tool) = r.details {
            for m in newest.iter().take(2) {
                let uri = format!("{}{}", r.base, m.1);
                // Fathom's answer says how the meeting was found: the first from a listing,
                // the next from what that listing taught. Both see it after the first.
                call_tool_ok(&client, tool, json!({r.id_arg: m.1})).await;
                let result = read(&client, &uri).await.unwrap();
                let (resource_text, _) = text_and_meta(&result, &uri);
                let answer = call_tool_ok(&client, tool, json!({r.id_arg: m.1})).await;
                assert_eq!(resource_text, answer, "{uri}");
                assert!(resource_text.contains(&m.2), "{uri}");
            }
        }
        // The transcript, page by page: each page is the tool's answer at that offset.
        let id = r.longest(&app);
        let mut uri = format!("{}{id}/transcript", r.base);
        let mut offset: Option<u64> = None;
        let mut words = String::new();
        let mut pages = 0;
        loop {
            let (page, meta) = text_and_meta(&read(&client, &uri).await.unwrap(), &uri);
            let mut args = json!({r.id_arg: id});
            if let Some(n) = offset {
                args["offset"] = json!(n);
            }
            let tool = call(&client, r.transcript, args).await;
            let next = structured(&tool)["page"]["nextOffset"].as_u64();
            let tool_text = text(&tool);
            pages += 1;
            words.push_str(&turn_words(&tool_text));
            match next {
                Some(n) => {
                    let next_uri = format!("{}{id}/transcript?offset={n}", r.base);
                    assert_eq!(
                        page,
                        format!("{tool_text}\n\nNext page of this transcript: {next_uri}")
                    );
                    assert_eq!(meta.expect("_meta")["nextUri"], json!(next_uri));
                    uri = next_uri;
                    offset = Some(n);
                }
                None => {
                    assert_eq!(page, tool_text, "{uri}");
                    break;
                }
            }
            assert!(pages < 100, "paging does not end");
        }
        assert!(
            pages >= 2,
            "{}: the longest meeting takes more than one page",
            r.key
        );
        assert_eq!(
            words,
            r.words(&app, &id),
            "{}: every sentence once, in order",
            r.key
        );
    }
}
