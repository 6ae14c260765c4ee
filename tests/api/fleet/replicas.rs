//! Three replicas, one Redis, one synthetic Gong: one company's quota spent as one.

use std::sync::Arc;
use std::time::Duration;

use gong_mcp::demo::Fault;
use serde_json::json;

use super::harness::{Fleet, rate_of};
use super::list_day;
use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_tenant_hammering_three_replicas_stays_within_three_per_second_at_the_rate() {
    let fleet = Fleet::start(3).await;
    let mut clients = Vec::new();
    for replica in &fleet.replicas {
        clients.push(replica.client(A_KEY, A_SECRET).await);
    }
    // 12 different days per replica, all at once: 36 Gong requests nothing can merge.
    let calls = clients
        .iter()
        .enumerate()
        .flat_map(|(r, c)| (0..12).map(move |d| list_day(c, (r * 12 + d + 1) as i64)));
    let results = futures::future::join_all(calls).await;
    for r in &results {
        assert!(!is_error(r), "{}", text(r));
    }
    let stats = fleet.gong.stats();
    assert_eq!(stats.total_requests(A_KEY), 36);
    assert_eq!(stats.rate_limited(A_KEY), 0, "no 429 from Gong");
    assert_eq!(stats.max_requests_in_any_second(A_KEY), 3);
    // From Gong's request log: at least 0.9 of the rate over the whole run.
    let rate = rate_of(&stats.arrivals(A_KEY));
    eprintln!("three replicas, one tenant: {rate:.3} Gong requests/s over 36 requests");
    assert!(rate >= 0.9 * 3.0, "{rate:.3} requests/s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_seen_by_one_replica_holds_the_tenant_on_the_others() {
    let fleet = Fleet::start(3).await;
    let mut clients = Vec::new();
    for replica in &fleet.replicas {
        clients.push(Arc::new(replica.client(A_KEY, A_SECRET).await));
    }
    fleet.gong.faults().push_for(
        Some(A_KEY),
        None,
        Fault::TooManyRequests {
            retry_after_secs: 3,
        },
        1,
    );
    let first = {
        let client = Arc::clone(&clients[0]);
        tokio::spawn(async move { list_day(&client, 1).await })
    };
    let stats = fleet.gong.stats();
    while stats.total_requests(A_KEY) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // The 429's hold is on its way to Redis; then the other replicas ask.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (second, third) = tokio::join!(list_day(&clients[1], 2), list_day(&clients[2], 3));
    for r in [first.await.unwrap(), second, third] {
        assert!(!is_error(&r), "{}", text(&r));
    }
    let arrivals = stats.arrivals(A_KEY);
    assert_eq!(
        arrivals.len(),
        4,
        "the refused request, its retry, two others"
    );
    for later in &arrivals[1..] {
        assert!(
            *later - arrivals[0] >= Duration::from_secs(3),
            "a request reached Gong {:?} after the 429 that asked for 3 s",
            *later - arrivals[0]
        );
    }
}

async fn wait_for_keys(fleet: &Fleet, pattern: &str, n: usize) {
    for _ in 0..200 {
        if fleet.redis.keys(pattern).len() >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("no {n} Redis keys matching {pattern} within 5 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transcript_fetched_through_one_replica_costs_no_gong_request_through_another() {
    let fleet = Fleet::start(2).await;
    let id = fleet.gong.workspace(A_KEY).unwrap().calls[0].id.clone();
    let (one, two) = (
        fleet.replicas[0].client(A_KEY, A_SECRET).await,
        fleet.replicas[1].client(A_KEY, A_SECRET).await,
    );
    let first = call(&one, "gong_get_transcript", json!({"callId": id})).await;
    assert!(!is_error(&first), "{}", text(&first));
    wait_for_keys(&fleet, "gong-mcp:*:cache:transcript:*", 1).await;
    wait_for_keys(&fleet, "gong-mcp:*:cache:extensive:*", 1).await;
    let spent = fleet.gong.stats().total_requests(A_KEY);
    assert!(spent >= 1);
    let second = call(&two, "gong_get_transcript", json!({"callId": id})).await;
    assert_eq!(text(&second), text(&first), "the same answer");
    assert_eq!(
        fleet.gong.stats().total_requests(A_KEY),
        spent,
        "replica 2 asked Gong nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tenants_never_share_a_key_nor_each_others_cached_answers() {
    let fleet = Fleet::start(2).await;
    // The synthetic workspaces number their calls alike: one call id, two companies' calls.
    let id = fleet.gong.workspace(A_KEY).unwrap().calls[0].id.clone();
    assert_eq!(fleet.gong.workspace(B_KEY).unwrap().calls[0].id, id);
    let a = fleet.replicas[0].client(A_KEY, A_SECRET).await;
    let b = fleet.replicas[1].client(B_KEY, B_SECRET).await;
    let a_first = call(&a, "gong_get_transcript", json!({"callId": id})).await;
    assert!(!is_error(&a_first), "{}", text(&a_first));
    wait_for_keys(&fleet, "gong-mcp:*:cache:transcript:*", 1).await;
    // B asks for the same id: B's own call, from Gong, not A's entry.
    let b_answer = call(&b, "gong_get_transcript", json!({"callId": id})).await;
    assert!(!is_error(&b_answer), "{}", text(&b_answer));
    assert_ne!(text(&b_answer), text(&a_first));
    assert!(fleet.gong.stats().total_requests(B_KEY) >= 1);
    wait_for_keys(&fleet, "gong-mcp:*:cache:transcript:*", 2).await;
    let keys = fleet.redis.keys("*");
    let tenants: std::collections::BTreeSet<&str> = keys
        .iter()
        .map(|k| {
            let tag = k.split('}').next().unwrap();
            assert!(tag.starts_with("gong-mcp:{gong:"), "{k}");
            assert_eq!(
                tag.len(),
                "gong-mcp:{gong:".len() + 64,
                "an HMAC tenant key: {k}"
            );
            tag
        })
        .collect();
    assert_eq!(tenants.len(), 2, "{keys:?}");
    for secret in [A_KEY, A_SECRET, B_KEY, B_SECRET] {
        assert!(keys.iter().all(|k| !k.contains(secret)), "{keys:?}");
    }
}
