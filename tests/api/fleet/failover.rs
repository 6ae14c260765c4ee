//! Redis killed mid-run and restarted: every tool call answers, the fallback keeps the tenant
//! within Gong's rate (rate / fleet size per replica), and shared mode resumes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use super::harness::{Fleet, RedisServer};
use super::list_day;
use crate::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_killed_and_restarted_mid_run_every_call_answers_within_the_rate() {
    let mut fleet = Fleet::start(3).await;
    let stop = Arc::new(AtomicBool::new(false));
    let day = Arc::new(AtomicI64::new(0));
    let mut drivers = Vec::new();
    // Three clients, one per replica, each calling back to back (4 at a time) until stopped.
    for replica in &fleet.replicas {
        let client = Arc::new(replica.client(A_KEY, A_SECRET).await);
        for _ in 0..4 {
            let (client, stop, day) = (Arc::clone(&client), Arc::clone(&stop), Arc::clone(&day));
            drivers.push(tokio::spawn(async move {
                let mut results = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let d = day.fetch_add(1, Ordering::Relaxed) + 1;
                    results.push(list_day(&client, d).await);
                }
                results
            }));
        }
    }
    let stats = fleet.gong.stats();
    let wait_for_requests = |n: u64| async move {
        while stats.total_requests(A_KEY) < n {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    // Shared mode, then Redis gone, then back, each for at least a dozen Gong requests.
    wait_for_requests(12).await;
    let port = fleet.redis.port;
    fleet.redis.kill();
    let killed_at = stats.total_requests(A_KEY);
    wait_for_requests(killed_at + 12).await;
    fleet.redis = RedisServer::start_on(port);
    // Shared mode resumes within 5 s: the (empty) Redis gets the tenant's pacing key again.
    let mut resumed = false;
    for _ in 0..100 {
        if !fleet.redis.keys("gong-mcp:*:tat").is_empty() {
            resumed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        resumed,
        "no replica paced through Redis within 5 s of its return"
    );
    let back_at = stats.total_requests(A_KEY);
    wait_for_requests(back_at + 12).await;
    stop.store(true, Ordering::Relaxed);
    let mut answered = 0;
    for d in drivers {
        for r in d.await.unwrap() {
            assert!(!is_error(&r), "{}", text(&r));
            answered += 1;
        }
    }
    for replica in &fleet.replicas {
        assert!(replica.ready().await, "/readyz stays ready");
    }
    assert_eq!(stats.total_requests(A_KEY), answered);
    assert!(
        stats.max_requests_in_any_second(A_KEY) <= 3,
        "{}",
        stats.max_requests_in_any_second(A_KEY)
    );
    assert_eq!(
        stats.rate_limited(A_KEY),
        0,
        "no 429 from Gong across both switch-overs"
    );
    // All three replicas kept sending while Redis was gone, each at a third of the rate.
    let dead = &stats.arrivals(A_KEY)[killed_at as usize..back_at as usize];
    let rate = super::harness::rate_of(dead);
    assert!(rate <= 3.0, "{rate:.3} requests/s while Redis was gone");
}
