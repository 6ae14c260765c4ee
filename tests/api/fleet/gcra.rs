//! The GCRA script itself, against a real Redis: slots exactly one interval apart on Redis's
//! clock (so never more than the rate in any window), waits that are exactly the slot minus
//! Redis's now, nothing reserved past the caller's limit, holds, and the day's count.

use gong_mcp::fleet::gcra::{FLEET_JITTER, interval_micros, script};

use super::harness::RedisServer;

struct Script {
    conn: redis::Connection,
    script: redis::Script,
}

impl Script {
    fn take(&mut self, interval: u64, max_wait: u64, unreported: u64) -> (i64, i64) {
        self.script
            .key("t:tat")
            .key("t:day")
            .arg("take")
            .arg(interval)
            .arg(max_wait)
            .arg(unreported)
            .invoke(&mut self.conn)
            .expect("script runs")
    }

    fn hold(&mut self, wait: u64) {
        let _: (i64, i64) = self
            .script
            .key("t:tat")
            .key("t:day")
            .arg("hold")
            .arg(0)
            .arg(wait)
            .arg(0)
            .invoke(&mut self.conn)
            .expect("script runs");
    }

    fn get(&mut self, key: &str) -> i64 {
        redis::cmd("GET")
            .arg(key)
            .query::<Option<i64>>(&mut self.conn)
            .unwrap()
            .unwrap_or(0)
    }

    fn time(&mut self) -> i64 {
        let (s, us): (i64, i64) = redis::cmd("TIME").query(&mut self.conn).unwrap();
        s * 1_000_000 + us
    }
}

#[test]
fn slots_are_one_interval_apart_on_redis_clock_and_waits_are_exact() {
    let redis = RedisServer::start();
    let mut s = Script {
        conn: redis::Client::open(redis.url())
            .unwrap()
            .get_connection()
            .unwrap(),
        script: script(),
    };
    let interval = interval_micros(3.0, FLEET_JITTER);
    // Any 4 consecutive slots span one second plus the jitter: never 4 in a rolling second.
    assert!(3 * interval >= 1_060_000, "{interval}");
    assert!(
        3 * interval <= 1_060_003,
        "and no slower than that: {interval}"
    );
    let mut slots = Vec::new();
    for k in 1..=12 {
        let before = s.time();
        let (wait, spent) = s.take(interval, 60_000_000, 0);
        let after = s.time();
        assert_eq!(spent, k, "the day's count");
        let tat = s.get("t:tat");
        let slot = tat - interval as i64;
        // The wait is exactly the slot minus Redis's clock when the script ran.
        let now = slot - wait;
        assert!(
            before <= now && now <= after,
            "{before} <= {now} <= {after}"
        );
        slots.push(slot);
    }
    for pair in slots.windows(2) {
        assert_eq!(pair[1] - pair[0], interval as i64, "{slots:?}");
    }
    // Past the caller's limit: refused with the wait, and nothing reserved or counted.
    let tat = s.get("t:tat");
    let (refused, wait) = s.take(interval, 1_000, 0);
    assert_eq!(refused, -1);
    assert!(wait > 1_000 && wait <= tat - s.time() + 1_000, "{wait}");
    assert_eq!(s.get("t:tat"), tat);
    // Requests sent while Redis was unusable are added to the day with the next slot.
    let (_, spent) = s.take(interval, 60_000_000, 5);
    assert_eq!(spent, 12 + 1 + 5);
    // A 429's hold: no slot before it ends.
    let now = s.time();
    s.hold(30_000_000);
    assert!(s.get("t:tat") >= now + 30_000_000);
    let (wait, _) = s.take(interval, 60_000_000, 0);
    assert!(wait >= 29_000_000, "{wait}");
}
