//! The minds a tenant already has when the fake starts, so `get_all_minds`,
//! `search_minds` and `simulate` show something in the demo:
//!
//! - Dana Whitfield: trained on a call transcript (snapshot completed);
//! - Marcus Oyelaran: one snapshot that failed (the upload was not a readable PDF);
//! - Priya Raman: created, never trained.
//!
//! The same three for every tenant (ids differ per tenant); emails use the
//! tenant's label as domain, e.g. `dana.whitfield@northwind.example`.

use chrono::{DateTime, Duration, Utc};

use crate::fakes::mind_reasoner::model::{TenantData, Timing};

/// The transcript Dana Whitfield was trained on.
pub(crate) const DANA_TRANSCRIPT: &str = "WEBVTT

1
00:00:02.000 --> 00:00:07.500
<v Dana Whitfield>Thanks for making the time. I want to understand what is slowing down your renewals this quarter.

2
00:00:08.000 --> 00:00:14.000
<v Dana Whitfield>On pricing, we can hold the per-seat price for two years if you commit to the annual plan.

3
00:00:14.500 --> 00:00:20.000
<v Dana Whitfield>Security reviews usually take two weeks; I will send our SOC 2 report and the data processing agreement today.

4
00:00:20.500 --> 00:00:26.000
<v Dana Whitfield>For onboarding, our team runs three live sessions and your admins are productive within the first month.

5
00:00:26.500 --> 00:00:32.000
<v Dana Whitfield>The Salesforce integration syncs every fifteen minutes, and HubSpot is on the roadmap for next quarter.

6
00:00:32.500 --> 00:00:38.000
<v Dana Whitfield>If budget is the blocker, let's start with one team as a pilot and expand once you see the results.

7
00:00:38.500 --> 00:00:44.000
<v Dana Whitfield>I would rather lose a deal than overpromise on a feature we have not built yet.
";

fn email_domain(label: &str) -> String {
    let first: String = label
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect();
    if first.is_empty() {
        "example.com".to_string()
    } else {
        format!("{first}.example")
    }
}

pub(crate) fn seed(data: &mut TenantData, label: &str, now: DateTime<Utc>) {
    let domain = email_domain(label);
    let email = |local: &str| Some(format!("{local}@{domain}"));

    let created = now - Duration::days(40);
    let dana = data.create_mind("Dana Whitfield", email("dana.whitfield"), created);
    let (dana_id, dana_twin) = (dana.id.clone(), dana.twins[0].id.clone());
    let artifact = data.store_new_artifact(DANA_TRANSCRIPT.as_bytes().to_vec(), "text/vtt");
    let started = created + Duration::hours(1);
    data.create_assessment(
        &dana_id,
        &dana_twin,
        &artifact,
        started,
        Timing::Done(started + Duration::minutes(9)),
    );

    let created = now - Duration::days(21);
    let marcus = data.create_mind("Marcus Oyelaran", email("marcus.oyelaran"), created);
    let (marcus_id, marcus_twin) = (marcus.id.clone(), marcus.twins[0].id.clone());
    let artifact = data.store_new_artifact(b"this is not really a PDF".to_vec(), "application/pdf");
    let started = created + Duration::hours(2);
    data.create_assessment(
        &marcus_id,
        &marcus_twin,
        &artifact,
        started,
        Timing::Done(started + Duration::minutes(4)),
    );

    data.create_mind("Priya Raman", email("priya.raman"), now - Duration::days(3));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fakes::mind_reasoner::model::Clock;

    #[test]
    fn three_minds_one_trained() {
        let mut d = TenantData::new("tag");
        seed(&mut d, "Northwind Analytics", Utc::now());
        let clock = Clock {
            step: std::time::Duration::from_secs(1),
            now: tokio::time::Instant::now(),
        };
        let minds = d.minds_json(clock);
        assert_eq!(minds.len(), 3);
        assert_eq!(minds[0]["email"], "dana.whitfield@northwind.example");
        assert!(minds[0]["tokenCount"].as_u64().unwrap() > 50);
        let status = |i: usize| minds[i]["digitalTwins"][0]["mindAssessments"][0]["status"].clone();
        assert_eq!(status(0), "completed");
        assert_eq!(status(1), "failed");
        assert_eq!(
            minds[2]["digitalTwins"][0]["mindAssessments"],
            serde_json::json!([])
        );
        assert_eq!(minds[1]["tokenCount"], 0);
        assert_eq!(email_domain("  "), "example.com");
    }
}
