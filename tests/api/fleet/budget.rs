//! The daily budget: expensive tools refused once a company's spend reaches it, and their
//! answers saying what the company used today, fleet-wide.

use serde_json::json;

use super::harness::Fleet;
use super::list_day;
use crate::helpers::*;

#[tokio::test]
async fn expensive_work_is_refused_once_the_daily_budget_is_spent() {
    let app = spawn_app_with(two_tenants(), &["--gong-daily-budget", "4"]).await;
    let client = app.client(A_KEY, A_SECRET).await;
    for d in 1..=4 {
        assert!(!is_error(&list_day(&client, d).await));
    }
    let spent = app.gong.stats().total_requests(A_KEY);
    assert_eq!(spent, 4);
    let refused = call(&client, "gong_list_speakers", json!({})).await;
    assert!(is_error(&refused));
    let message = text(&refused);
    assert!(message.contains("~4 of Gong's 10000"), "{message}");
    assert!(message.contains("GONG_MCP_GONG_DAILY_BUDGET"), "{message}");
    assert_eq!(
        app.gong.stats().total_requests(A_KEY),
        spent,
        "refused before any request"
    );
    // Another company's budget is its own.
    let other = app.client(B_KEY, B_SECRET).await;
    let id = app.gong.workspace(B_KEY).unwrap().calls[0].id.clone();
    let fine = call(&other, "gong_list_speakers", json!({"callIds": [id]})).await;
    assert!(!is_error(&fine), "{}", text(&fine));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_spend_in_an_answer_counts_every_replica() {
    let fleet = Fleet::start(2).await;
    let one = fleet.replicas[0].client(A_KEY, A_SECRET).await;
    for d in 1..=3 {
        assert!(!is_error(&list_day(&one, d).await));
    }
    let two = fleet.replicas[1].client(A_KEY, A_SECRET).await;
    let id = fleet.gong.workspace(A_KEY).unwrap().calls[0].id.clone();
    let answer = call(&two, "gong_list_speakers", json!({"callIds": [id]})).await;
    assert!(!is_error(&answer), "{}", text(&answer));
    let total = fleet.gong.stats().total_requests(A_KEY);
    assert!(total > 3);
    assert!(
        text(&answer).contains(&format!("This company has used ~{total} of Gong's 10000")),
        "{} Gong requests; {}",
        total,
        text(&answer)
    );
}
