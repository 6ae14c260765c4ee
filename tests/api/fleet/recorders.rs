//! Fathom and Fireflies in a fleet: two replicas, one Redis, one tenant. Its pacing and a
//! 429's hold are shared, as Gong's and Mind Reasoner's are.

use std::time::{Duration, Instant};

use gong_mcp::fakes::fathom::{FakeFathom, FathomEndpoint, FathomFault};
use gong_mcp::fakes::fireflies::{FakeFireflies, FfFault};
use serde_json::json;

use super::harness::Fleet;
use crate::helpers::*;

/// Two replicas sharing one Redis, in front of the synthetic Fathom and Fireflies (their own
/// limits on: Fathom 60 a minute per key), each paced per tenant at `fathom_rps`.
async fn two_replicas(fathom_rps: &str) -> (Fleet, FakeFathom, FakeFireflies) {
    let fathom = FakeFathom::spawn(two_fathom_tenants())
        .await
        .expect("synthetic Fathom starts");
    let fireflies = FakeFireflies::spawn(two_fireflies_tenants())
        .await
        .expect("synthetic Fireflies starts");
    let (fathom_url, ff_url) = (fathom.base_url(), fireflies.api_url());
    let extra = [
        "--fathom-base-url",
        &fathom_url,
        "--fathom-rps",
        fathom_rps,
        "--fireflies-api-url",
        &ff_url,
    ];
    let fleet = Fleet::start_with(two_tenants(), 2, &extra).await;
    (fleet, fathom, fireflies)
}

/// Waits until `seen()` is true; returns when it first was (within a few ms).
async fn first_seen(seen: impl Fn() -> bool) -> Instant {
    let give_up = Instant::now() + Duration::from_secs(10);
    while !seen() {
        assert!(Instant::now() < give_up, "the first request never arrived");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Instant::now()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_fathom_tenant_on_two_replicas_is_paced_as_one() {
    let (fleet, fathom, _ff) = two_replicas("2").await;
    let a = fleet.replicas[0]
        .client_with(&[("x-fathom-api-key", FATHOM_KEY_A)])
        .await;
    let b = fleet.replicas[1]
        .client_with(&[("x-fathom-api-key", FATHOM_KEY_A)])
        .await;
    let started = Instant::now();
    let calls = (0..8).map(|i| {
        let client = if i % 2 == 0 { &a } else { &b };
        call(client, "fathom_list_meetings", json!({ "limit": 5 }))
    });
    for r in futures::future::join_all(calls).await {
        assert!(!is_error(&r), "{}", text(&r));
    }
    let elapsed = started.elapsed();
    let sent = fathom.stats().requests(FATHOM_KEY_A);
    assert!(sent >= 8, "{sent} Fathom requests");
    // 2 a second fleet-wide: n requests span at least (n - 1) / 2 s (each replica alone, at its
    // own 2 a second, would take half that).
    let floor = Duration::from_millis(500) * (sent as u32 - 1);
    assert!(
        elapsed >= floor.mul_f64(0.95),
        "{sent} Fathom requests through two replicas in {elapsed:?}: faster than 2/s fleet-wide"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fathom_429_seen_by_one_replica_holds_the_tenant_on_the_other() {
    let (fleet, fathom, _ff) = two_replicas("1").await;
    let a = fleet.replicas[0]
        .client_with(&[("x-fathom-api-key", FATHOM_KEY_A)])
        .await;
    let b = fleet.replicas[1]
        .client_with(&[("x-fathom-api-key", FATHOM_KEY_A)])
        .await;
    fathom.faults().push_for(
        Some(FATHOM_KEY_A),
        Some(FathomEndpoint::ListMeetings),
        FathomFault::TooManyRequests {
            retry_after_secs: 3,
        },
        1,
    );
    let first = tokio::spawn(async move {
        let r = call(&a, "fathom_list_meetings", json!({ "limit": 5 })).await;
        (!is_error(&r), text(&r))
    });
    let refused = first_seen(|| fathom.stats().requests(FATHOM_KEY_A) > 0).await;
    // The hold is on its way to Redis; then the other replica asks.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = call(&b, "fathom_list_meetings", json!({ "limit": 5 })).await;
    assert!(!is_error(&r), "{}", text(&r));
    let waited = refused.elapsed();
    assert!(
        waited >= Duration::from_millis(2900),
        "the other replica reached Fathom {waited:?} after a 429 that asked for 3 s"
    );
    let (ok, msg) = first.await.unwrap();
    assert!(ok, "{msg}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fireflies_rate_limit_seen_by_one_replica_holds_the_tenant_on_the_other() {
    let (fleet, _fathom, fireflies) = two_replicas("1").await;
    let header = [("x-fireflies-api-key", FIREFLIES_KEY_A)];
    let a = fleet.replicas[0].client_with(&header).await;
    let b = fleet.replicas[1].client_with(&header).await;
    fireflies.faults().push(FfFault::RateLimited {
        wait: Duration::from_secs(3),
        status: 429,
    });
    let first = tokio::spawn(async move {
        let r = call(&a, "fireflies_list_transcripts", json!({})).await;
        (!is_error(&r), text(&r))
    });
    let refused = first_seen(|| fireflies.requests(FIREFLIES_KEY_A) > 0).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r = call(&b, "fireflies_list_transcripts", json!({})).await;
    assert!(!is_error(&r), "{}", text(&r));
    let waited = refused.elapsed();
    assert!(
        waited >= Duration::from_millis(2800),
        "the other replica reached Fireflies {waited:?} after a rate limit that asked for 3 s"
    );
    let (ok, msg) = first.await.unwrap();
    assert!(ok, "{msg}");
}
