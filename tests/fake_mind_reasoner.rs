//! The fake Mind Reasoner held to shared/mindreasoner/API-NOTES.md, driven
//! with plain reqwest over loopback: the training chain, signed-URL storage
//! and its refusals, validation, tenant isolation, auth, rate limit, faults.

use std::time::{Duration, Instant};

use gong_mcp::fakes::mind_reasoner::*;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

const VTT: &str = "text/vtt";
const PDF: &str = "application/pdf";
const TRANSCRIPT: &str = "WEBVTT

1
00:00:01.000 --> 00:00:05.000
<v Ada Brook>Our procurement team needs three quotes before any purchase order.

2
00:00:05.500 --> 00:00:09.000
<v Ada Brook>I care most about how quickly the support team answers outages.

3
00:00:09.500 --> 00:00:12.000
<v Sam>What about pricing?
";

fn config() -> FakeMindReasonerConfig {
    FakeMindReasonerConfig {
        snapshot_step: Duration::from_millis(400),
        requests_per_second: 0,
        ..Default::default()
    }
}

async fn spawn_with(config: FakeMindReasonerConfig) -> FakeMindReasoner {
    FakeMindReasoner::spawn(config)
        .await
        .expect("spawn fake Mind Reasoner")
}

async fn spawn() -> FakeMindReasoner {
    spawn_with(config()).await
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("fake-mr-tests/1")
        .build()
        .unwrap()
}

#[derive(Debug)]
struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
    body: Value,
}

async fn reply(res: reqwest::Response) -> Reply {
    let status = res.status();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        text,
        body,
    }
}

impl Reply {
    fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The `<Code>` of a GCS XML error.
    fn xml_code(&self) -> &str {
        self.text
            .split_once("<Code>")
            .and_then(|(_, rest)| rest.split_once("</Code>"))
            .map(|(code, _)| code)
            .unwrap_or("")
    }

    #[track_caller]
    fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "unexpected reply: {}", self.text);
        self
    }
}

async fn get(mr: &FakeMindReasoner, key: &str, path: &str) -> Reply {
    let res = client()
        .get(format!("{}{path}", mr.base_url()))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    reply(res).await
}

async fn post_json(mr: &FakeMindReasoner, key: &str, path: &str, body: &Value) -> Reply {
    let res = client()
        .post(format!("{}{path}", mr.base_url()))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .unwrap();
    reply(res).await
}

async fn post_form(mr: &FakeMindReasoner, key: &str, path: &str, form: Form) -> Reply {
    let res = client()
        .post(format!("{}{path}", mr.base_url()))
        .bearer_auth(key)
        .multipart(form)
        .send()
        .await
        .unwrap();
    reply(res).await
}

async fn put(url: &str, content_type: &str, bytes: impl Into<reqwest::Body>) -> Reply {
    let res = client()
        .put(url)
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    reply(res).await
}

const KEY: &str = DEMO_MIND_REASONER_API_KEY;

/// Creates a mind; returns (mind id, default twin id).
async fn create_mind(mr: &FakeMindReasoner, key: &str, name: &str) -> (String, String) {
    let r = post_json(mr, key, "/minds", &json!({ "name": name }))
        .await
        .expect(StatusCode::CREATED);
    let mind = r.body["mind"]["id"].as_str().unwrap().to_string();
    let twin = r.body["digitalTwin"]["id"].as_str().unwrap().to_string();
    (mind, twin)
}

/// Signed URL for `file_name`; returns (signedUrl, artifactId).
async fn signed_url(
    mr: &FakeMindReasoner,
    key: &str,
    mind: &str,
    file_name: &str,
) -> (String, String) {
    let r = get(
        mr,
        key,
        &format!("/minds/{mind}/signed-url?fileName={file_name}"),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(r.body["fileName"], file_name);
    (
        r.body["signedUrl"].as_str().unwrap().to_string(),
        r.body["artifactId"].as_str().unwrap().to_string(),
    )
}

fn artifact_form(artifact_id: &str) -> Form {
    Form::new().text("artifactId", artifact_id.to_string())
}

fn file_form(bytes: &[u8], name: &str, content_type: &str) -> Form {
    let part = Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str(content_type)
        .unwrap();
    Form::new().part("file", part)
}

async fn snapshot(mr: &FakeMindReasoner, key: &str, mind: &str, form: Form) -> String {
    let r = post_form(mr, key, &format!("/minds/{mind}/snapshots"), form)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        r.body["message"],
        "Memory bank snapshot processing initiated"
    );
    r.body["mindAssessmentId"].as_str().unwrap().to_string()
}

/// Polls until `completed` or `failed`; returns every status seen, in order.
async fn poll(mr: &FakeMindReasoner, key: &str, mind: &str, snap: &str) -> Vec<String> {
    let started = Instant::now();
    let mut seen: Vec<String> = Vec::new();
    loop {
        let r = get(mr, key, &format!("/minds/{mind}/snapshots/{snap}/status"))
            .await
            .expect(StatusCode::OK);
        assert_eq!(r.body["id"], snap);
        assert_eq!(r.body["mindId"], mind);
        let status = r.body["status"].as_str().unwrap().to_string();
        let done = status == "completed" || status == "failed";
        assert_eq!(r.body["completedAt"].is_string(), done, "{}", r.text);
        assert!(r.body["startedAt"].is_string());
        if seen.last() != Some(&status) {
            seen.push(status);
        }
        if done {
            return seen;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never finished: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn simulate(mr: &FakeMindReasoner, key: &str, mind: &str, message: &str) -> Reply {
    post_json(
        mr,
        key,
        "/simulate",
        &json!({
            "scenario": { "message": message },
            "mindId": mind,
            "selectedSimulationModel": "mind-reasoner-pro",
        }),
    )
    .await
}

#[tokio::test]
async fn full_chain_signed_upload_training_and_simulation() {
    // Steps long enough that polling every 50 ms sees each status.
    let mr = spawn_with(FakeMindReasonerConfig {
        snapshot_step: Duration::from_secs(1),
        ..config()
    })
    .await;
    assert!(mr.base_url().ends_with("/api/public/v1"));
    assert_ne!(
        mr.storage_origin(),
        mr.base_url()[..mr.storage_origin().len()]
    );

    // Pre-existing minds, one of them trained.
    let r = get(&mr, KEY, "/minds").await.expect(StatusCode::OK);
    assert_eq!(r.content_type(), "application/json");
    let minds = r.body["minds"].as_array().unwrap().clone();
    assert_eq!(minds.len(), 3);
    assert_eq!(minds, mr.minds(KEY));
    let trained: Vec<&Value> = minds
        .iter()
        .filter(|m| m["digitalTwins"][0]["mindAssessments"][0]["status"] == "completed")
        .collect();
    assert_eq!(trained.len(), 1);
    assert!(trained[0]["email"].as_str().unwrap().contains('@'));
    for field in [
        "id",
        "name",
        "slug",
        "email",
        "imageUrl",
        "socialMedia",
        "scope",
        "isSelf",
        "tokenCount",
        "organizationId",
        "createdAt",
        "updatedAt",
        "digitalTwins",
    ] {
        assert!(minds[2].get(field).is_some(), "mind lacks {field}");
    }

    // Create.
    let r = post_json(&mr, KEY, "/minds", &json!({ "name": "  Ada Brook " }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(r.body["mind"]["name"], "Ada Brook");
    assert_eq!(r.body["mind"]["slug"], "ada-brook");
    assert_eq!(r.body["mind"]["tokenCount"], 0);
    assert_eq!(r.body["digitalTwin"]["name"], "Default Twin");
    assert_eq!(r.body["digitalTwin"]["isDefault"], true);
    assert_eq!(r.body["digitalTwin"]["mindId"], r.body["mind"]["id"]);
    let mind = r.body["mind"]["id"].as_str().unwrap().to_string();
    let twin = r.body["digitalTwin"]["id"].as_str().unwrap().to_string();
    assert_eq!(mind.len(), 36);

    // Untrained: simulate refuses.
    let r = simulate(&mr, KEY, &mind, "hello")
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("no completed training"),
        "{}",
        r.text
    );

    // Signed URL on the storage origin, then PUT.
    let (url, artifact) = signed_url(&mr, KEY, &mind, "ada.vtt").await;
    let prefix = format!("{}/mind-reasoner-artifacts/", mr.storage_origin());
    assert!(url.starts_with(&prefix), "{url}");
    assert!(url.contains(&format!("/{artifact}/ada.vtt?")), "{url}");
    for param in [
        "X-Goog-Algorithm=GOOG4-HMAC-SHA256",
        "X-Goog-Expires=3600",
        "X-Goog-SignedHeaders=content-type%3Bhost",
        "X-Goog-Date=",
        "X-Goog-Signature=",
    ] {
        assert!(url.contains(param), "{url} lacks {param}");
    }
    assert_eq!(mr.artifact(KEY, &artifact), None);
    let r = put(&url, VTT, TRANSCRIPT).await.expect(StatusCode::OK);
    assert_eq!(r.text, "");
    assert_eq!(
        mr.artifact(KEY, &artifact),
        Some((TRANSCRIPT.as_bytes().to_vec(), VTT.to_string()))
    );

    // Snapshot by artifactId (default twin), then pending → processing → completed.
    let snap = snapshot(&mr, KEY, &mind, artifact_form(&artifact)).await;
    let seen = poll(&mr, KEY, &mind, &snap).await;
    assert_eq!(seen, ["pending", "processing", "completed"]);

    // The mind now shows the snapshot and its words.
    let listed = mr.minds(KEY);
    let m = listed.iter().find(|m| m["id"] == mind.as_str()).unwrap();
    assert_eq!(m["digitalTwins"][0]["id"], twin.as_str());
    let a = &m["digitalTwins"][0]["mindAssessments"][0];
    assert_eq!(a["id"], snap.as_str());
    assert_eq!(a["artifactId"], artifact.as_str());
    assert_eq!(a["status"], "completed");
    assert!(m["tokenCount"].as_u64().unwrap() >= 20, "{m}");

    // Simulate answers with the closest trained sentence, deterministically.
    let question = "How fast does your support team answer when we have outages?";
    let r = simulate(&mr, KEY, &mind, question)
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        r.body["message"],
        "Ada Brook would likely respond: \"I care most about how quickly the support team answers outages.\""
    );
    let again = simulate(&mr, KEY, &mind, question)
        .await
        .expect(StatusCode::OK);
    assert_eq!(again.body, r.body);
    let r = simulate(&mr, KEY, &mind, "Who signs the purchase order?").await;
    assert!(
        r.body["message"].as_str().unwrap().contains("three quotes"),
        "{}",
        r.text
    );

    // Explicit twin and background runs.
    let r = post_json(
        &mr,
        KEY,
        "/simulate",
        &json!({"scenario": {"message": "hi"}, "mindId": mind, "digitalTwinId": twin,
                "selectedSimulationModel": "mind-reasoner-standard", "runInBackground": true}),
    )
    .await
    .expect(StatusCode::ACCEPTED);
    assert_eq!(r.body["message"], "Simulation started in background");
    assert!(r.body["simulationId"].is_string());

    let stats = mr.stats();
    assert_eq!(stats.requests(Some(KEY), MrEndpoint::CreateMind), 1);
    assert_eq!(stats.requests(None, MrEndpoint::StorageUpload), 1);
    assert_eq!(stats.requests(Some(KEY), MrEndpoint::Simulate), 5);
    assert_eq!(stats.storage_requests_with_authorization(), 0);
    assert_eq!(stats.last_user_agent().as_deref(), Some("fake-mr-tests/1"));
    mr.shutdown().await;
}

#[tokio::test]
async fn the_seeded_trained_mind_answers_simulations() {
    let mr = spawn().await;
    let minds = mr.minds(KEY);
    let dana = minds
        .iter()
        .find(|m| m["name"] == "Dana Whitfield")
        .unwrap();
    let r = simulate(
        &mr,
        KEY,
        dana["id"].as_str().unwrap(),
        "How long does your security review take?",
    )
    .await
    .expect(StatusCode::OK);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("Security reviews usually take two weeks"),
        "{}",
        r.text
    );
    let untrained = minds.iter().find(|m| m["name"] == "Priya Raman").unwrap();
    simulate(&mr, KEY, untrained["id"].as_str().unwrap(), "hi")
        .await
        .expect(StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn multipart_file_snapshots_and_unreadable_artifacts() {
    let mr = spawn().await;
    let (mind, _) = create_mind(&mr, KEY, "Ada Brook").await;

    // A direct upload trains like a signed one; its artifact is stored.
    let snap = snapshot(
        &mr,
        KEY,
        &mind,
        file_form(TRANSCRIPT.as_bytes(), "call.vtt", VTT),
    )
    .await;
    let r = post_form(
        &mr,
        KEY,
        &format!("/minds/{mind}/snapshots"),
        file_form(b"%PDF-1.4 x", "a.pdf", PDF),
    )
    .await
    .expect(StatusCode::CREATED);
    let pdf_artifact = r.body["artifactId"].as_str().unwrap().to_string();
    assert_eq!(
        mr.artifact(KEY, &pdf_artifact),
        Some((b"%PDF-1.4 x".to_vec(), PDF.to_string()))
    );
    assert_eq!(
        poll(&mr, KEY, &mind, &snap).await.last().unwrap(),
        "completed"
    );

    // Empty, not-WebVTT, cue-less, and a PDF that is not one: all fail.
    let bad: [(&[u8], &str, &str); 4] = [
        (b"", "empty.vtt", VTT),
        (b"Hello, this is plain text", "plain.vtt", VTT),
        (b"WEBVTT\n\nNOTE only a note\n", "nocues.vtt", VTT),
        (b"not a pdf", "fake.pdf", PDF),
    ];
    for (bytes, name, ct) in bad {
        let snap = snapshot(&mr, KEY, &mind, file_form(bytes, name, ct)).await;
        assert_eq!(
            poll(&mr, KEY, &mind, &snap).await.last().unwrap(),
            "failed",
            "{name}"
        );
    }
    // A BOM before WEBVTT is fine; the type may come from the name alone.
    let with_bom = format!("\u{feff}{TRANSCRIPT}");
    let snap = snapshot(
        &mr,
        KEY,
        &mind,
        file_form(with_bom.as_bytes(), "bom.vtt", "application/octet-stream"),
    )
    .await;
    assert_eq!(
        poll(&mr, KEY, &mind, &snap).await.last().unwrap(),
        "completed"
    );

    // Plain text is not an accepted type.
    let r = post_form(
        &mr,
        KEY,
        &format!("/minds/{mind}/snapshots"),
        file_form(b"hi", "notes.txt", "text/plain"),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    assert!(
        r.body["message"].as_str().unwrap().contains("text/vtt"),
        "{}",
        r.text
    );

    // A mind trained only on a document says so.
    let (doc_mind, _) = create_mind(&mr, KEY, "Doc Only").await;
    let snap = snapshot(
        &mr,
        KEY,
        &doc_mind,
        file_form(
            b"PK\x03\x04 docx bytes",
            "a.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    )
    .await;
    assert_eq!(
        poll(&mr, KEY, &doc_mind, &snap).await.last().unwrap(),
        "completed"
    );
    let r = simulate(&mr, KEY, &doc_mind, "anything")
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        r.body["message"],
        "Doc Only was trained on a document of 15 bytes and would answer from it."
    );
}

#[tokio::test]
async fn upload_size_limits() {
    let mr = spawn_with(FakeMindReasonerConfig {
        max_direct_upload_bytes: 1000,
        max_signed_upload_bytes: 2000,
        ..config()
    })
    .await;
    let (mind, _) = create_mind(&mr, KEY, "Ada").await;
    let path = format!("/minds/{mind}/snapshots");

    let r = post_form(&mr, KEY, &path, file_form(&[b'x'; 1001], "big.pdf", PDF))
        .await
        .expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.body["code"], "PAYLOAD_TOO_LARGE");
    post_form(&mr, KEY, &path, file_form(&[b'x'; 1000], "ok.pdf", PDF))
        .await
        .expect(StatusCode::CREATED);
    // Any body beyond the limit + 64 KiB.
    let r = post_json(
        &mr,
        KEY,
        "/minds",
        &json!({ "name": "x".repeat(70 * 1024) }),
    )
    .await
    .expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.content_type(), "application/json");

    let (url, artifact) = signed_url(&mr, KEY, &mind, "big.pdf").await;
    let r = put(&url, PDF, vec![b'%'; 2001])
        .await
        .expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.xml_code(), "EntityTooLarge");
    assert_eq!(mr.artifact(KEY, &artifact), None);
    put(&url, PDF, vec![b'%'; 2000])
        .await
        .expect(StatusCode::OK);
}

#[tokio::test]
async fn storage_refuses_like_gcs() {
    let mr = spawn().await;
    let (mind, _) = create_mind(&mr, KEY, "Ada").await;
    let (url, artifact) = signed_url(&mr, KEY, &mind, "call.vtt").await;

    // Tampered signature, date, path; wrong or missing content type; another Host.
    let sig_at = url.find("X-Goog-Signature=").unwrap() + "X-Goog-Signature=".len();
    let flipped = if &url[sig_at..sig_at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    let tampered = format!("{}{flipped}{}", &url[..sig_at], &url[sig_at + 1..]);
    let r = put(&tampered, VTT, TRANSCRIPT)
        .await
        .expect(StatusCode::FORBIDDEN);
    assert_eq!(r.xml_code(), "SignatureDoesNotMatch");
    assert!(r.content_type().starts_with("application/xml"));
    assert!(
        r.text
            .starts_with("<?xml version='1.0' encoding='UTF-8'?><Error>")
    );
    let other_path = url.replace("/call.vtt?", "/other.vtt?");
    assert_eq!(
        put(&other_path, VTT, TRANSCRIPT).await.xml_code(),
        "SignatureDoesNotMatch"
    );
    let extra = format!("{url}&foo=bar");
    assert_eq!(
        put(&extra, VTT, TRANSCRIPT).await.xml_code(),
        "SignatureDoesNotMatch"
    );
    for ct in [PDF, "text/vtt; charset=utf-8", "application/octet-stream"] {
        let r = put(&url, ct, TRANSCRIPT)
            .await
            .expect(StatusCode::FORBIDDEN);
        assert_eq!(r.xml_code(), "SignatureDoesNotMatch", "{ct}");
    }
    let localhost = url.replace("127.0.0.1", "localhost");
    assert_eq!(
        put(&localhost, VTT, TRANSCRIPT).await.xml_code(),
        "SignatureDoesNotMatch"
    );
    let unsigned = url.split('?').next().unwrap().to_string();
    let r = put(&unsigned, VTT, TRANSCRIPT)
        .await
        .expect(StatusCode::FORBIDDEN);
    assert_eq!(r.xml_code(), "AccessDenied");

    // An Authorization header is refused, and counted.
    let res = client()
        .put(&url)
        .header("content-type", VTT)
        .bearer_auth(KEY)
        .body(TRANSCRIPT)
        .send()
        .await
        .unwrap();
    let r = reply(res).await.expect(StatusCode::BAD_REQUEST);
    assert_eq!(r.xml_code(), "InvalidArgument");
    assert_eq!(mr.stats().storage_requests_with_authorization(), 1);

    // Other methods and paths; never a redirect.
    let r = reply(client().get(&url).send().await.unwrap()).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let r = reply(
        client()
            .put(format!("{}/elsewhere/x", mr.storage_origin()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    assert_eq!(
        mr.artifact(KEY, &artifact),
        None,
        "a refused PUT stored something"
    );
    assert_eq!(mr.stats().requests(Some(KEY), MrEndpoint::StorageUpload), 9);

    // The genuine request still works; a second PUT replaces the object.
    put(&url, VTT, "WEBVTT\n").await.expect(StatusCode::OK);
    put(&url, VTT, TRANSCRIPT).await.expect(StatusCode::OK);
    assert_eq!(
        mr.artifact(KEY, &artifact).unwrap().0,
        TRANSCRIPT.as_bytes()
    );

    // After an hour the URL has expired.
    mr.advance_storage_clock(Duration::from_secs(3601));
    let r = put(&url, VTT, TRANSCRIPT)
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert_eq!(r.xml_code(), "ExpiredToken");
}

#[tokio::test]
async fn file_names_without_a_known_extension_accept_each_accepted_type() {
    let mr = spawn().await;
    let (mind, _) = create_mind(&mr, KEY, "Ada").await;
    let r = get(&mr, KEY, &format!("/minds/{mind}/signed-url"))
        .await
        .expect(StatusCode::OK);
    let artifact = r.body["artifactId"].as_str().unwrap();
    assert_eq!(r.body["fileName"], artifact);
    let url = r.body["signedUrl"].as_str().unwrap();
    assert!(url.contains(&format!("/{artifact}/{artifact}?")), "{url}");
    assert_eq!(
        put(url, "text/plain", "x").await.xml_code(),
        "SignatureDoesNotMatch"
    );
    put(url, PDF, "%PDF-1.7").await.expect(StatusCode::OK);
    assert_eq!(mr.artifact(KEY, artifact).unwrap().1, PDF);
    put(url, VTT, TRANSCRIPT).await.expect(StatusCode::OK);
    let snap = snapshot(&mr, KEY, &mind, artifact_form(artifact)).await;
    assert_eq!(
        poll(&mr, KEY, &mind, &snap).await.last().unwrap(),
        "completed"
    );

    // Names are encoded in the URL and still verify.
    let r = get(
        &mr,
        KEY,
        &format!("/minds/{mind}/signed-url?fileName=Q3%20call%20(final).vtt"),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(r.body["fileName"], "Q3 call (final).vtt");
    put(r.body["signedUrl"].as_str().unwrap(), VTT, TRANSCRIPT)
        .await
        .expect(StatusCode::OK);
    for bad in ["", "a%2Fb.vtt", "..", "a%5Cb"] {
        get(
            &mr,
            KEY,
            &format!("/minds/{mind}/signed-url?fileName={bad}"),
        )
        .await
        .expect(StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn snapshot_requests_are_validated() {
    let mr = spawn().await;
    let (mind, twin) = create_mind(&mr, KEY, "Ada").await;
    let path = format!("/minds/{mind}/snapshots");
    let (url, artifact) = signed_url(&mr, KEY, &mind, "a.vtt").await;

    let msg = |r: Reply| r.body["message"].as_str().unwrap_or("").to_string();
    // Not uploaded yet.
    let r = post_form(&mr, KEY, &path, artifact_form(&artifact))
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert!(msg(r).contains("has not been uploaded"));
    let r = post_form(&mr, KEY, &path, artifact_form("no-such-artifact"))
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert!(msg(r).contains("has not been uploaded"));
    put(&url, VTT, TRANSCRIPT).await.expect(StatusCode::OK);
    // Neither, both, not multipart.
    let r = post_form(
        &mr,
        KEY,
        &path,
        Form::new().text("digitalTwinId", twin.clone()),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    assert!(msg(r).contains("required"));
    let both = artifact_form(&artifact).part(
        "file",
        Part::bytes(b"WEBVTT".to_vec())
            .file_name("a.vtt")
            .mime_str(VTT)
            .unwrap(),
    );
    let r = post_form(&mr, KEY, &path, both)
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert!(msg(r).contains("not both"));
    let r = post_json(&mr, KEY, &path, &json!({ "artifactId": artifact }))
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert!(msg(r).contains("multipart/form-data"));
    // Twins and minds.
    let wrong_twin = artifact_form(&artifact).text("digitalTwinId", "no-such-twin");
    post_form(&mr, KEY, &path, wrong_twin)
        .await
        .expect(StatusCode::NOT_FOUND);
    post_form(
        &mr,
        KEY,
        "/minds/no-such-mind/snapshots",
        artifact_form(&artifact),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    let right_twin = artifact_form(&artifact).text("digitalTwinId", twin.clone());
    let snap = snapshot(&mr, KEY, &mind, right_twin).await;
    get(
        &mr,
        KEY,
        &format!("/minds/{mind}/snapshots/no-such-snapshot/status"),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    get(
        &mr,
        KEY,
        &format!("/minds/no-such-mind/snapshots/{snap}/status"),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    get(&mr, KEY, "/minds/no-such-mind/signed-url")
        .await
        .expect(StatusCode::NOT_FOUND);
    // A snapshot is found only under its own mind.
    let (other, _) = create_mind(&mr, KEY, "Other").await;
    get(&mr, KEY, &format!("/minds/{other}/snapshots/{snap}/status"))
        .await
        .expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn create_mind_and_simulate_are_validated() {
    let mr = spawn().await;
    for body in [
        json!({}),
        json!({"name": ""}),
        json!({"name": "   "}),
        json!({"name": 7}),
        json!({"name": "x".repeat(201)}),
        json!(["Ada"]),
    ] {
        let r = post_json(&mr, KEY, "/minds", &body)
            .await
            .expect(StatusCode::BAD_REQUEST);
        assert_eq!(r.body["code"], "VALIDATION_ERROR", "{body}");
        assert_eq!(r.body["error"], "Bad Request");
    }
    let res = client()
        .post(format!("{}/minds", mr.base_url()))
        .bearer_auth(KEY)
        .body("{not json")
        .send()
        .await
        .unwrap();
    reply(res).await.expect(StatusCode::BAD_REQUEST);
    let (long, _) = create_mind(&mr, KEY, &"é".repeat(200)).await;
    assert!(!long.is_empty());
    // The same name twice makes two minds.
    let (a, _) = create_mind(&mr, KEY, "Sam Park").await;
    let (b, _) = create_mind(&mr, KEY, "Sam Park").await;
    assert_ne!(a, b);
    let sams: Vec<Value> = mr
        .minds(KEY)
        .into_iter()
        .filter(|m| m["name"] == "Sam Park")
        .collect();
    assert_eq!(sams.len(), 2);
    assert_ne!(sams[0]["slug"], sams[1]["slug"]);

    let dana = mr.minds(KEY)[0]["id"].as_str().unwrap().to_string();
    let sim = |v: Value| {
        let mr = &mr;
        async move { post_json(mr, KEY, "/simulate", &v).await }
    };
    let r = sim(json!({"scenario": {"message": "hi"}, "mindId": dana}))
        .await
        .expect(StatusCode::BAD_REQUEST);
    let m = r.body["message"].as_str().unwrap();
    assert!(
        m.contains("mind-reasoner-pro") && m.contains("mind-reasoner-standard"),
        "{m}"
    );
    sim(json!({"scenario": {"message": "hi"}, "mindId": dana, "selectedSimulationModel": "gpt-4"}))
        .await
        .expect(StatusCode::BAD_REQUEST);
    let model = "mind-reasoner-pro";
    sim(json!({"scenario": {"message": ""}, "mindId": dana, "selectedSimulationModel": model}))
        .await
        .expect(StatusCode::BAD_REQUEST);
    sim(json!({"scenario": {}, "mindId": dana, "selectedSimulationModel": model}))
        .await
        .expect(StatusCode::BAD_REQUEST);
    sim(json!({"scenario": {"message": "x".repeat(10_001)}, "mindId": dana, "selectedSimulationModel": model})).await.expect(StatusCode::BAD_REQUEST);
    sim(json!({"scenario": {"message": "x".repeat(10_000)}, "mindId": dana, "selectedSimulationModel": model})).await.expect(StatusCode::OK);
    sim(json!({"scenario": {"message": "hi"}, "selectedSimulationModel": model}))
        .await
        .expect(StatusCode::BAD_REQUEST);
    sim(json!({"scenario": {"message": "hi"}, "mindId": "nope", "selectedSimulationModel": model}))
        .await
        .expect(StatusCode::NOT_FOUND);
    sim(json!({"scenario": {"message": "hi"}, "mindId": dana, "digitalTwinId": "nope", "selectedSimulationModel": model})).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn tenants_are_isolated() {
    let mr = spawn_with(FakeMindReasonerConfig {
        tenants: vec![
            FakeMrTenant::new("key-a", "Northwind"),
            FakeMrTenant::new("key-b", "Contoso"),
        ],
        ..config()
    })
    .await;
    let a_ids: Vec<Value> = mr.minds("key-a").iter().map(|m| m["id"].clone()).collect();
    let b_minds = get(&mr, "key-b", "/minds")
        .await
        .expect(StatusCode::OK)
        .body["minds"]
        .clone();
    assert_eq!(b_minds.as_array().unwrap().len(), 3);
    assert!(
        b_minds
            .as_array()
            .unwrap()
            .iter()
            .all(|m| !a_ids.contains(&m["id"]))
    );
    assert!(
        b_minds[0]["email"]
            .as_str()
            .unwrap()
            .ends_with("@contoso.example")
    );

    let (mind_a, twin_a) = create_mind(&mr, "key-a", "Ada").await;
    let (url, artifact_a) = signed_url(&mr, "key-a", &mind_a, "a.vtt").await;
    put(&url, VTT, TRANSCRIPT).await.expect(StatusCode::OK);
    let snap_a = snapshot(&mr, "key-a", &mind_a, artifact_form(&artifact_a)).await;
    assert_eq!(mr.minds("key-b").len(), 3);
    assert_eq!(mr.artifact("key-b", &artifact_a), None);

    get(&mr, "key-b", &format!("/minds/{mind_a}/signed-url"))
        .await
        .expect(StatusCode::NOT_FOUND);
    get(
        &mr,
        "key-b",
        &format!("/minds/{mind_a}/snapshots/{snap_a}/status"),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    post_form(
        &mr,
        "key-b",
        &format!("/minds/{mind_a}/snapshots"),
        artifact_form(&artifact_a),
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    let r = simulate(&mr, "key-b", &mind_a, "hi")
        .await
        .expect(StatusCode::NOT_FOUND);
    assert_eq!(r.body["code"], "NOT_FOUND");
    // B cannot train its own mind on A's artifact, nor use A's twin.
    let (mind_b, _) = create_mind(&mr, "key-b", "Bo").await;
    post_form(
        &mr,
        "key-b",
        &format!("/minds/{mind_b}/snapshots"),
        artifact_form(&artifact_a),
    )
    .await
    .expect(StatusCode::BAD_REQUEST);
    let with_a_twin = file_form(TRANSCRIPT.as_bytes(), "b.vtt", VTT).text("digitalTwinId", twin_a);
    post_form(
        &mr,
        "key-b",
        &format!("/minds/{mind_b}/snapshots"),
        with_a_twin,
    )
    .await
    .expect(StatusCode::NOT_FOUND);
    assert_eq!(
        mr.stats()
            .requests(Some("key-b"), MrEndpoint::CreateSnapshot),
        3
    );
    assert_eq!(
        mr.stats()
            .requests(Some("key-a"), MrEndpoint::CreateSnapshot),
        1
    );
}

#[tokio::test]
async fn authentication_and_routing() {
    let mr = spawn().await;
    let expected = json!({"error": "Unauthorized", "message": "Invalid or missing API key",
                          "code": "UNAUTHORIZED", "details": null});
    let url = format!("{}/minds", mr.base_url());
    let r = reply(client().get(&url).send().await.unwrap())
        .await
        .expect(StatusCode::UNAUTHORIZED);
    assert_eq!(r.body, expected);
    assert_eq!(r.content_type(), "application/json");
    let r = get(&mr, "wrong-key", "/minds")
        .await
        .expect(StatusCode::UNAUTHORIZED);
    assert_eq!(r.body, expected);
    let basic = client()
        .get(&url)
        .basic_auth(KEY, Some(""))
        .send()
        .await
        .unwrap();
    reply(basic).await.expect(StatusCode::UNAUTHORIZED);
    let raw = client()
        .get(&url)
        .header("authorization", KEY)
        .send()
        .await
        .unwrap();
    reply(raw).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(mr.stats().unauthorized(), 4);
    assert_eq!(mr.stats().requests(None, MrEndpoint::ListMinds), 0);

    for path in ["/nothing", "/minds/", "/minds/x/y"] {
        let r = get(&mr, KEY, path).await.expect(StatusCode::NOT_FOUND);
        assert_eq!(r.body["code"], "NOT_FOUND");
        assert!(r.body.get("details").is_some());
    }
    let res = client().delete(&url).bearer_auth(KEY).send().await.unwrap();
    let r = reply(res).await.expect(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.body["code"], "METHOD_NOT_ALLOWED");
    assert_eq!(r.headers["allow"], "GET, POST");
    let r = get(&mr, KEY, "/simulate")
        .await
        .expect(StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.body["error"], "Method Not Allowed");
    assert!(mr.stats().total() >= 9);
}

#[tokio::test]
async fn rate_limit_per_key_with_retry_after() {
    let mr = spawn_with(FakeMindReasonerConfig {
        requests_per_second: 3,
        tenants: vec![
            FakeMrTenant::new("key-a", "A"),
            FakeMrTenant::new("key-b", "B"),
        ],
        ..config()
    })
    .await;
    for _ in 0..3 {
        get(&mr, "key-a", "/minds").await.expect(StatusCode::OK);
    }
    let r = get(&mr, "key-a", "/minds")
        .await
        .expect(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "1");
    assert_eq!(
        r.body,
        json!({"error": "Too Many Requests", "message": "Rate limit exceeded, retry after 1 seconds",
               "code": "RATE_LIMITED", "details": {"retryAfter": 1}})
    );
    // Another key has its own budget.
    get(&mr, "key-b", "/minds").await.expect(StatusCode::OK);
    assert_eq!(mr.stats().rate_limited(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    get(&mr, "key-a", "/minds").await.expect(StatusCode::OK);
}

#[tokio::test]
async fn each_scripted_fault_fires_once_and_is_counted() {
    let mr = spawn().await;
    let faults = mr.faults();
    let list = MrEndpoint::ListMinds;

    faults.push(
        Some(list),
        MrFault::Status {
            status: 418,
            body: "teapot".into(),
            content_type: "text/plain",
        },
        1,
    );
    let r = get(&mr, KEY, "/minds")
        .await
        .expect(StatusCode::IM_A_TEAPOT);
    assert_eq!(r.text, "teapot");
    assert_eq!(r.content_type(), "text/plain");

    faults.push(
        Some(list),
        MrFault::TooManyRequests {
            retry_after_secs: 7,
        },
        1,
    );
    let r = get(&mr, KEY, "/minds")
        .await
        .expect(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "7");
    assert_eq!(r.body["details"]["retryAfter"], 7);

    faults.push(Some(list), MrFault::Delay(Duration::from_millis(300)), 1);
    let t = Instant::now();
    get(&mr, KEY, "/minds").await.expect(StatusCode::OK);
    assert!(t.elapsed() >= Duration::from_millis(300));

    faults.push(Some(list), MrFault::ServerError, 1);
    let r = get(&mr, KEY, "/minds")
        .await
        .expect(StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.body["code"], "INTERNAL_ERROR");

    faults.push(Some(list), MrFault::InvalidJson, 1);
    let r = get(&mr, KEY, "/minds").await.expect(StatusCode::OK);
    assert!(serde_json::from_str::<Value>(&r.text).is_err());

    faults.push(Some(list), MrFault::HtmlError { status: 502 }, 1);
    let r = get(&mr, KEY, "/minds")
        .await
        .expect(StatusCode::BAD_GATEWAY);
    assert!(r.content_type().starts_with("text/html"));
    assert!(r.text.contains("502"));

    faults.push(Some(list), MrFault::ResetConnection, 1);
    let err = client()
        .get(format!("{}/minds", mr.base_url()))
        .bearer_auth(KEY)
        .send()
        .await;
    assert!(err.is_err(), "expected a dropped connection, got {err:?}");

    // Faults fire only for their endpoint and only for authenticated requests.
    faults.push(Some(MrEndpoint::Simulate), MrFault::ServerError, 1);
    get(&mr, "wrong-key", "/minds")
        .await
        .expect(StatusCode::UNAUTHORIZED);
    get(&mr, KEY, "/minds").await.expect(StatusCode::OK);
    assert_eq!(faults.pending(), 1);
    faults.clear();
    assert_eq!(faults.pending(), 0);
    assert_eq!(faults.fired(), 7);
    assert_eq!(mr.stats().requests(Some(KEY), list), 8);
}

#[tokio::test]
async fn after_effect_500_does_the_work_then_fails() {
    let mr = spawn().await;
    let faults = mr.faults();

    faults.push(Some(MrEndpoint::CreateMind), MrFault::AfterEffect500, 1);
    let r = post_json(&mr, KEY, "/minds", &json!({"name": "Ghost"}))
        .await
        .expect(StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.body["code"], "INTERNAL_ERROR");
    let ghosts: Vec<Value> = mr
        .minds(KEY)
        .into_iter()
        .filter(|m| m["name"] == "Ghost")
        .collect();
    assert_eq!(ghosts.len(), 1, "the mind was not created");
    let mind = ghosts[0]["id"].as_str().unwrap().to_string();

    let (url, artifact) = signed_url(&mr, KEY, &mind, "g.vtt").await;
    faults.push(Some(MrEndpoint::StorageUpload), MrFault::AfterEffect500, 1);
    let r = put(&url, VTT, TRANSCRIPT)
        .await
        .expect(StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.xml_code(), "InternalError");
    assert!(
        mr.artifact(KEY, &artifact).is_some(),
        "the upload was not stored"
    );

    faults.push(Some(MrEndpoint::CreateSnapshot), MrFault::AfterEffect500, 1);
    post_form(
        &mr,
        KEY,
        &format!("/minds/{mind}/snapshots"),
        artifact_form(&artifact),
    )
    .await
    .expect(StatusCode::INTERNAL_SERVER_ERROR);
    let m = mr
        .minds(KEY)
        .into_iter()
        .find(|m| m["id"] == mind.as_str())
        .unwrap();
    assert_eq!(
        m["digitalTwins"][0]["mindAssessments"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Storage faults answer in GCS's dialect, and only after the signature checks out.
    faults.push(Some(MrEndpoint::StorageUpload), MrFault::ServerError, 1);
    put(&url, PDF, "x").await.expect(StatusCode::FORBIDDEN);
    assert_eq!(faults.pending(), 1);
    let r = put(&url, VTT, TRANSCRIPT)
        .await
        .expect(StatusCode::INTERNAL_SERVER_ERROR);
    assert!(r.content_type().starts_with("application/xml"));
    assert_eq!(faults.fired(), 4);
}

#[tokio::test]
async fn shutdown_stops_both_listeners() {
    let mr = spawn().await;
    let api = format!("{}/minds", mr.base_url());
    let storage = format!("{}/mind-reasoner-artifacts/x", mr.storage_origin());
    get(&mr, KEY, "/minds").await.expect(StatusCode::OK);
    mr.shutdown().await;
    let fresh = reqwest::Client::new();
    assert!(fresh.get(&api).bearer_auth(KEY).send().await.is_err());
    assert!(fresh.put(&storage).send().await.is_err());
}

#[tokio::test]
async fn duplicate_api_keys_are_refused() {
    let err = FakeMindReasoner::spawn(FakeMindReasonerConfig {
        tenants: vec![FakeMrTenant::new("k", "A"), FakeMrTenant::new("k", "B")],
        ..config()
    })
    .await
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
}
