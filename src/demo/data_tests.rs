//! Properties of the generated workspace that the endpoints and tests rely on.

use chrono::{Duration, TimeZone, Utc};

use super::data::generate;
use super::model::*;

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 3, 18, 0, 0).unwrap()
}

fn ws() -> Workspace {
    generate("Northwind Analytics", 42, 300, now())
}

#[test]
fn deterministic_for_seed_and_now() {
    let (a, b) = (ws(), ws());
    assert_eq!(a.id, b.id);
    let titles = |w: &Workspace| {
        w.calls
            .iter()
            .map(|c| (c.id.clone(), c.title.clone(), c.started))
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&a), titles(&b));
    let id = &a.calls[17].id;
    assert_eq!(a.transcript(id), b.transcript(id));
}

#[test]
fn calls_are_in_range_sorted_and_ids_are_digits() {
    let w = ws();
    assert_eq!(w.calls.len(), 300);
    for pair in w.calls.windows(2) {
        assert!(
            pair[0].started < pair[1].started,
            "strictly ascending starts"
        );
    }
    let mut ids = std::collections::HashSet::new();
    for c in &w.calls {
        assert!(
            c.started >= now() - Duration::days(61) && c.started < now(),
            "{}",
            c.started
        );
        assert!(c.id.len() <= 20 && c.id.bytes().all(|b| b.is_ascii_digit()));
        assert!(ids.insert(c.id.clone()));
        assert!(w.user(&c.primary_user_id).is_some());
        assert_eq!(w.call(&c.id).map(|x| x.id.as_str()), Some(c.id.as_str()));
    }
}

#[test]
fn dataset_has_the_edge_cases_tests_need() {
    let w = ws();
    let calls = &w.calls;
    assert!(
        calls.iter().filter(|c| c.duration >= 3600).count() >= 3,
        "long calls"
    );
    assert!(
        calls.iter().filter(|c| c.duration < 120).count() >= 3,
        "short calls"
    );
    assert!(calls.iter().filter(|c| c.scope == "Internal").count() >= 10);
    assert!(calls.iter().filter(|c| c.scope == "External").count() >= 200);
    let orphan = calls
        .iter()
        .filter(|c| !c.imported && c.voices.iter().any(|v| v.party.is_none()))
        .count();
    assert!(
        orphan >= 3,
        "calls with a speaker no party carries: {orphan}"
    );
    let imported = calls
        .iter()
        .filter(|c| c.imported && !c.voices.is_empty())
        .count();
    assert!(imported >= 3);
    for c in calls.iter().filter(|c| c.imported) {
        assert!(c.parties.iter().all(|p| p.speaker_id.is_none()));
    }
    assert!(
        calls.iter().any(|c| c.content.brief.is_none())
            && calls.iter().any(|c| c.content.brief.is_some())
    );
    assert!(
        calls.iter().any(|c| c.meeting_url.is_none())
            && calls.iter().any(|c| c.calendar_event_id.is_none())
    );
    assert!(
        calls
            .iter()
            .any(|c| c.started.timestamp_subsec_micros() != 0)
    );
    assert!(
        calls
            .iter()
            .flat_map(|c| &c.parties)
            .any(|p| p.title.is_none())
    );
    assert!(w.companies.len() >= 10 && w.users.len() >= 10);
}

#[test]
fn transcripts_scale_with_duration_and_follow_the_rules() {
    let w = ws();
    let mut null_topics = 0;
    for c in w
        .calls
        .iter()
        .filter(|c| (1500..=2100).contains(&c.duration))
        .take(5)
    {
        let t = w.transcript(&c.id).unwrap();
        let sentences: usize = t.iter().map(|m| m.sentences.len()).sum();
        assert!(
            (250..=550).contains(&sentences),
            "{} s call has {sentences} sentences",
            c.duration
        );
        for pair in t.windows(2) {
            assert_ne!(pair[0].speaker_id, pair[1].speaker_id, "speakers alternate");
        }
        for m in &t {
            assert!((1..=8).contains(&m.sentences.len()));
            null_topics += usize::from(m.topic.is_none());
            for s in &m.sentences {
                assert!(s.start < s.end && s.end <= u64::from(c.duration) * 1000);
            }
        }
    }
    assert!(null_topics > 0, "some monologues have topic null");
}

#[test]
fn same_ids_across_tenants_but_different_content() {
    let a = ws();
    let b = generate("Contoso Robotics", 7, 300, now());
    assert_eq!(a.calls[0].id, b.calls[0].id);
    assert_ne!(a.calls[0].title, b.calls[0].title);
}
