//! Bounded tenant state: a client cycling through credentials cannot grow memory past the cap.

use std::sync::Arc;
use std::time::Duration;

use gong_mcp::gong::{GongCredentials, GongService, GongSettings, TenantHasher};

#[test]
fn a_hundred_thousand_distinct_tenants_stay_under_the_cap() {
    let cap = 1_000;
    let service = GongService::new(GongSettings {
        max_tenants: cap,
        ..GongSettings::default()
    })
    .unwrap();
    let hasher = TenantHasher::with_key(b"tenant-cap-test");
    let base = url::Url::parse("https://api.gong.io").unwrap();
    for i in 0..100_000 {
        let creds = GongCredentials::new(
            base.clone(),
            &format!("key-{i}"),
            &format!("secret-{i}"),
            &hasher,
        )
        .unwrap();
        drop(service.client(Arc::new(creds), Duration::from_secs(1)));
        if i % 10_000 == 9_999 {
            assert!(
                service.tenants_held() <= cap,
                "{} at {i}",
                service.tenants_held()
            );
        }
    }
    let held = service.tenants_held();
    assert!(
        held <= cap && held >= cap / 2,
        "{held} tenants held, cap {cap}"
    );
}
