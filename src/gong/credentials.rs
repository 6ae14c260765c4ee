//! A tenant's Gong credentials, and the tenant key derived from them.
//!
//! The access key and secret live only in a [`SecretString`] and in a pre-built `Authorization`
//! header value marked sensitive; `Debug` shows neither. Anything that must outlive the request
//! (pacing, caches) is keyed by [`TenantKey`], an HMAC of the credentials under a per-process (or
//! per-fleet) key, so the raw key and secret never become a map key, a log field or a label.

use std::fmt;

use base64::Engine;
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

pub use crate::upstream::tenant::{TenantHasher, TenantKey};

/// Gong credentials for one request (HTTP) or one process (stdio).
pub struct GongCredentials {
    base_url: Url,
    access_key: SecretString,
    authorization: HeaderValue,
    tenant: TenantKey,
}

impl GongCredentials {
    /// `base_url` must already be validated (see [`super::base_url`]).
    pub fn new(
        base_url: Url,
        access_key: &str,
        access_secret: &str,
        hasher: &TenantHasher,
    ) -> Result<Self, InvalidCredentials> {
        if access_key.is_empty() || access_secret.is_empty() {
            return Err(InvalidCredentials::Empty);
        }
        if access_key.contains(':') {
            // Basic auth splits user and password at the first colon.
            return Err(InvalidCredentials::ColonInKey);
        }
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{access_key}:{access_secret}"));
        let mut authorization = HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|_| InvalidCredentials::NotVisibleAscii)?;
        authorization.set_sensitive(true);
        let tenant = hasher.tenant_key(&["gong", base_url.as_str(), access_key, access_secret]);
        Ok(Self {
            base_url,
            access_key: SecretString::from(access_key.to_owned()),
            authorization,
            tenant,
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The `Authorization: Basic …` value for Gong (marked sensitive for hyper and logs).
    pub fn authorization(&self) -> &HeaderValue {
        &self.authorization
    }

    pub fn tenant(&self) -> TenantKey {
        self.tenant
    }

    /// `text` with the secret, the key and the Basic token replaced by `[redacted]`, for text
    /// that came from the upstream (a proxy or an error page may echo the request's headers).
    /// Parts shorter than 6 characters are left alone: redacting them would garble the text
    /// and they are no real credential.
    pub fn redact(&self, text: &str) -> String {
        let token = self
            .authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Basic "))
            .unwrap_or_default();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(token)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default();
        let secret = decoded.split_once(':').map_or("", |(_, s)| s);
        let mut out = text.to_owned();
        for part in [token, secret, self.access_key.expose_secret()] {
            if part.len() >= 6 && out.contains(part) {
                out = out.replace(part, "[redacted]");
            }
        }
        out
    }

    /// Whether these credentials use the given access key (tests and diagnostics only).
    pub fn has_access_key(&self, key: &str) -> bool {
        self.access_key.expose_secret() == key
    }
}

impl fmt::Debug for GongCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GongCredentials")
            .field("base_url", &self.base_url.as_str())
            .field("access_key", &"[redacted]")
            .field("access_secret", &"[redacted]")
            .field("tenant", &self.tenant)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InvalidCredentials {
    #[error("the Gong access key and secret must not be empty")]
    Empty,
    #[error("the Gong access key must not contain ':'")]
    ColonInKey,
    #[error("the Gong access key and secret must be visible ASCII characters")]
    NotVisibleAscii,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://us-1.api.gong.io").unwrap()
    }

    #[test]
    fn debug_never_shows_key_or_secret() {
        let hasher = TenantHasher::random();
        let creds = GongCredentials::new(url(), "AKEY-123", "s3cr3t-value", &hasher).unwrap();
        let shown = format!("{creds:?} {:?}", creds.authorization());
        assert!(!shown.contains("AKEY-123"), "{shown}");
        assert!(!shown.contains("s3cr3t-value"), "{shown}");
        let basic = base64::engine::general_purpose::STANDARD.encode("AKEY-123:s3cr3t-value");
        assert!(!shown.contains(&basic), "{shown}");
        assert!(creds.authorization().is_sensitive());
    }

    #[test]
    fn redact_removes_key_secret_and_basic_token_from_echoed_text() {
        let creds =
            GongCredentials::new(url(), "AKEY-123", "s3cr3t-value", &TenantHasher::random())
                .unwrap();
        let basic = base64::engine::general_purpose::STANDARD.encode("AKEY-123:s3cr3t-value");
        let echoed =
            format!("denied: Authorization: Basic {basic} (key AKEY-123, secret s3cr3t-value)");
        let clean = creds.redact(&echoed);
        assert_eq!(
            clean,
            "denied: Authorization: Basic [redacted] (key [redacted], secret [redacted])"
        );
        assert_eq!(creds.redact("nothing to hide"), "nothing to hide");
    }

    #[test]
    fn tenant_key_depends_on_every_part_and_on_the_process_key() {
        let hasher = TenantHasher::with_key(b"unit-fleet-key-1");
        let a = GongCredentials::new(url(), "unit-key-1", "unit-secret-1-Uu1", &hasher).unwrap();
        let same = GongCredentials::new(url(), "unit-key-1", "unit-secret-1-Uu1", &hasher).unwrap();
        let other_secret =
            GongCredentials::new(url(), "unit-key-1", "unit-secret-2-Uu2", &hasher).unwrap();
        let other_host = GongCredentials::new(
            Url::parse("https://us-2.api.gong.io").unwrap(),
            "unit-key-1",
            "unit-secret-1-Uu1",
            &hasher,
        )
        .unwrap();
        let other_process = GongCredentials::new(
            url(),
            "unit-key-1",
            "unit-secret-1-Uu1",
            &TenantHasher::with_key(b"unit-fleet-key-2"),
        )
        .unwrap();
        assert_eq!(a.tenant(), same.tenant());
        assert_ne!(a.tenant(), other_secret.tenant());
        assert_ne!(a.tenant(), other_host.tenant());
        assert_ne!(a.tenant(), other_process.tenant());
    }

    #[test]
    fn basic_header_is_base64_of_key_colon_secret() {
        let creds = GongCredentials::new(
            url(),
            "unit-key-2",
            "unit-secret-3-Uu3",
            &TenantHasher::random(),
        )
        .unwrap();
        assert_eq!(
            creds.authorization().to_str().unwrap(),
            "Basic dW5pdC1rZXktMjp1bml0LXNlY3JldC0zLVV1Mw=="
        );
    }

    #[test]
    fn empty_or_colon_keys_are_refused() {
        let h = TenantHasher::random();
        assert_eq!(
            GongCredentials::new(url(), "", "unit-secret-4-Uu4", &h).unwrap_err(),
            InvalidCredentials::Empty
        );
        assert_eq!(
            GongCredentials::new(url(), "unit:key-3", "unit-secret-4-Uu4", &h).unwrap_err(),
            InvalidCredentials::ColonInKey
        );
    }
}
