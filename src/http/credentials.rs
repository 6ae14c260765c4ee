//! The credential middleware: each MCP request's credentials, per provider, from its headers into
//! typed and redacted values in the request's extensions.
//!
//! Gong: both `X-Gong-Access-Key` and `X-Gong-Access-Secret` → that tenant (on the default base
//! URL, or an allowed `X-Gong-Base-Url`); neither → the default Gong tenant if one is configured,
//! else none (the Gong tools are hidden); anything in between is a 400 naming what is missing,
//! never a fall-back to the default tenant.
//!
//! Mind Reasoner: `X-Mind-Reasoner-Api-Key`; or, when this server has no bearer tokens of its own,
//! `Authorization: Bearer <key>` (as configurations written for Mind Reasoner's hosted endpoint
//! send it); the explicit header wins over the bearer. When tokens are configured the
//! `Authorization` header is this server's and is never read here. Neither → the default key, if
//! one is configured.
//!
//! Fathom: `X-Fathom-Api-Key`; none → the default key, if one is configured.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderName, StatusCode};
use url::Url;

use super::access::json_rpc_error;
use super::headers::{
    FATHOM_API_KEY, FIREFLIES_API_KEY, GONG_ACCESS_KEY, GONG_ACCESS_SECRET, GONG_BASE_URL,
    MIND_REASONER_API_KEY,
};
use crate::fathom::FathomKey;
use crate::fireflies::FirefliesKey;
use crate::gong::credentials::InvalidCredentials;
use crate::gong::{BaseUrlError, GongCredentials, TenantHasher, base_url};
use crate::mcp::RequestCredentials;
use crate::mind_reasoner::MindReasonerKey;
use crate::mind_reasoner::credentials::InvalidKey;
use crate::upstream::HostAllowList;

/// Gong's keys and secrets are a few hundred characters at most; anything far longer is not a
/// credential and is refused here rather than forwarded to Gong in every request.
pub const MAX_CREDENTIAL_LEN: usize = 2048;

pub struct CredentialPolicy {
    pub hasher: TenantHasher,
    pub default_base_url: Url,
    pub allowed_gong_hosts: HostAllowList,
    /// Each provider's default credentials, for requests that send none for that provider.
    pub defaults: RequestCredentials,
    /// The Mind Reasoner API root (part of a Mind Reasoner tenant's key).
    pub mind_reasoner_base_url: String,
    /// No bearer tokens are configured: `Authorization: Bearer` may carry a Mind Reasoner key.
    pub bearer_is_mind_reasoner_key: bool,
    /// The Fathom API root (part of a Fathom tenant's key).
    pub fathom_base_url: String,
    /// The Fireflies GraphQL URL (part of a Fireflies tenant's key).
    pub fireflies_api_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("{present} was sent without {missing}: send both Gong credential headers, or neither")]
    HalfPair {
        present: &'static str,
        missing: &'static str,
    },
    #[error(
        "X-Gong-Base-Url was sent without X-Gong-Access-Key and X-Gong-Access-Secret: a base URL applies only to credentials sent with it"
    )]
    BaseUrlAlone,
    #[error("the {0} header must be sent once, as visible ASCII text")]
    Unreadable(&'static str),
    #[error(
        "{0} is too long (at most {MAX_CREDENTIAL_LEN} characters); send the key as its service issued it"
    )]
    TooLong(&'static str),
    #[error("X-Gong-Base-Url: {0}")]
    BaseUrl(#[from] BaseUrlError),
    #[error("invalid Gong credentials: {0}")]
    Invalid(#[from] InvalidCredentials),
    #[error("invalid Mind Reasoner API key: {0}")]
    InvalidMindReasonerKey(#[from] InvalidKey),
    #[error("invalid Fathom API key (X-Fathom-Api-Key): {0}")]
    InvalidFathomKey(#[from] crate::fathom::credentials::InvalidKey),
    #[error("invalid Fireflies API key (X-Fireflies-Api-Key): {0}")]
    InvalidFirefliesKey(#[from] crate::fireflies::credentials::InvalidKey),
}

impl IntoResponse for CredentialError {
    fn into_response(self) -> Response {
        // Messages name headers and hosts, never header values of credentials.
        tracing::info!(error = %self, "refused MCP request: bad credential headers");
        let reason = match self {
            CredentialError::InvalidMindReasonerKey(_) => "bad_mind_reasoner_key",
            CredentialError::TooLong("X-Mind-Reasoner-Api-Key") => "bad_mind_reasoner_key",
            CredentialError::InvalidFathomKey(_) => "bad_fathom_key",
            CredentialError::TooLong("X-Fathom-Api-Key") => "bad_fathom_key",
            CredentialError::Unreadable("X-Fathom-Api-Key") => "bad_fathom_key",
            CredentialError::InvalidFirefliesKey(_)
            | CredentialError::TooLong("X-Fireflies-Api-Key")
            | CredentialError::Unreadable("X-Fireflies-Api-Key") => "bad_fireflies_key",
            _ => "bad_gong_credentials",
        };
        metrics::counter!("http_requests_rejected_total", "reason" => reason).increment(1);
        json_rpc_error(StatusCode::BAD_REQUEST, &self.to_string())
    }
}

impl CredentialPolicy {
    pub fn resolve(&self, headers: &HeaderMap) -> Result<RequestCredentials, CredentialError> {
        let gong = self.gong(headers)?;
        let mind_reasoner = self.mind_reasoner(headers)?;
        let fathom = self.fathom(headers)?;
        let fireflies = self.fireflies(headers)?;
        Ok(RequestCredentials {
            gong: gong.or_else(|| self.defaults.gong.clone()),
            mind_reasoner: mind_reasoner.or_else(|| self.defaults.mind_reasoner.clone()),
            fathom: fathom.or_else(|| self.defaults.fathom.clone()),
            fireflies: fireflies.or_else(|| self.defaults.fireflies.clone()),
        })
    }

    /// The request's own Fathom key (`None`: it sent no `X-Fathom-Api-Key`).
    fn fathom(&self, headers: &HeaderMap) -> Result<Option<Arc<FathomKey>>, CredentialError> {
        single(headers, &FATHOM_API_KEY, "X-Fathom-Api-Key")?
            .map(|k| FathomKey::new(k, &self.fathom_base_url, &self.hasher).map(Arc::new))
            .transpose()
            .map_err(CredentialError::from)
    }

    /// The request's own Fireflies key (`X-Fireflies-Api-Key`, any case).
    fn fireflies(&self, headers: &HeaderMap) -> Result<Option<Arc<FirefliesKey>>, CredentialError> {
        single(headers, &FIREFLIES_API_KEY, "X-Fireflies-Api-Key")?
            .map(|k| FirefliesKey::new(k, &self.fireflies_api_url, &self.hasher).map(Arc::new))
            .transpose()
            .map_err(CredentialError::from)
    }

    /// The request's own Mind Reasoner key: the explicit header, else a bearer token when the
    /// `Authorization` header is not this server's.
    fn mind_reasoner(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<Arc<MindReasonerKey>>, CredentialError> {
        let explicit = single(headers, &MIND_REASONER_API_KEY, "X-Mind-Reasoner-Api-Key")?;
        let key = match explicit {
            Some(key) => Some(key),
            // Anything but one readable bearer token of key size is not a Mind Reasoner key (a
            // gateway's own Authorization is left alone, never refused here).
            None if self.bearer_is_mind_reasoner_key => headers
                .get(http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(str::trim)
                .filter(|k| {
                    !k.is_empty()
                        && k.len() <= MAX_CREDENTIAL_LEN
                        && k.bytes().all(|b| b.is_ascii_graphic())
                }),
            None => None,
        };
        key.map(|k| MindReasonerKey::new(k, &self.mind_reasoner_base_url, &self.hasher))
            .transpose()
            .map(|k| k.map(Arc::new))
            .map_err(CredentialError::from)
    }

    /// The request's own Gong credentials (`None`: it sent no Gong headers).
    fn gong(&self, headers: &HeaderMap) -> Result<Option<Arc<GongCredentials>>, CredentialError> {
        let key = single(headers, &GONG_ACCESS_KEY, "X-Gong-Access-Key")?;
        let secret = single(headers, &GONG_ACCESS_SECRET, "X-Gong-Access-Secret")?;
        let base = single(headers, &GONG_BASE_URL, "X-Gong-Base-Url")?;
        match (key, secret) {
            (None, None) if base.is_some() => Err(CredentialError::BaseUrlAlone),
            (None, None) => Ok(None),
            (Some(_), None) => Err(CredentialError::HalfPair {
                present: "X-Gong-Access-Key",
                missing: "X-Gong-Access-Secret",
            }),
            (None, Some(_)) => Err(CredentialError::HalfPair {
                present: "X-Gong-Access-Secret",
                missing: "X-Gong-Access-Key",
            }),
            (Some(key), Some(secret)) => {
                let base_url = match base {
                    Some(raw) => base_url::check(&self.allowed_gong_hosts, raw)?,
                    None => self.default_base_url.clone(),
                };
                let creds =
                    GongCredentials::new(base_url, key.trim(), secret.trim(), &self.hasher)?;
                Ok(Some(Arc::new(creds)))
            }
        }
    }
}

/// A header's value if sent exactly once (header names match case-insensitively); empty counts
/// as absent.
fn single<'h>(
    headers: &'h HeaderMap,
    name: &HeaderName,
    display: &'static str,
) -> Result<Option<&'h str>, CredentialError> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(CredentialError::Unreadable(display));
    }
    let value = first
        .to_str()
        .map_err(|_| CredentialError::Unreadable(display))?
        .trim();
    if value.len() > MAX_CREDENTIAL_LEN {
        return Err(CredentialError::TooLong(display));
    }
    Ok((!value.is_empty()).then_some(value))
}

pub async fn middleware(
    State(policy): State<Arc<CredentialPolicy>>,
    mut request: Request,
    next: Next,
) -> Response {
    match policy.resolve(request.headers()) {
        Ok(creds) => {
            if let Some(c) = &creds.gong {
                tracing::Span::current().record("tenant", tracing::field::display(c.tenant()));
            }
            request.extensions_mut().insert(creds);
            next.run(request).await
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(default: bool) -> CredentialPolicy {
        let hasher = TenantHasher::random();
        let base = Url::parse("https://api.gong.io").unwrap();
        let defaults = RequestCredentials {
            gong: default.then(|| {
                Arc::new(
                    GongCredentials::new(
                        base.clone(),
                        "unit-default-key",
                        "unit-default-secret-Dd1",
                        &hasher,
                    )
                    .unwrap(),
                )
            }),
            mind_reasoner: None,
            fathom: None,
            fireflies: None,
        };
        CredentialPolicy {
            hasher,
            default_base_url: base,
            allowed_gong_hosts: base_url::gong_default(),
            defaults,
            mind_reasoner_base_url: "https://mr.example/api".into(),
            bearer_is_mind_reasoner_key: true,
            fathom_base_url: "https://fathom.example/external/v1".into(),
            fireflies_api_url: "https://ff.example/graphql".into(),
        }
    }

    #[test]
    fn fathom_key_from_its_header_case_insensitively_never_echoed() {
        let p = policy(false);
        let creds = p
            .resolve(&headers(&[("X-FATHOM-API-KEY", "fathom-unit-key-Ff3")]))
            .unwrap();
        assert!(creds.fathom.unwrap().is("fathom-unit-key-Ff3"));
        assert!(creds.gong.is_none() && creds.mind_reasoner.is_none());
        assert!(p.resolve(&HeaderMap::new()).unwrap().fathom.is_none());
        let err = p
            .resolve(&headers(&[("x-fathom-api-key", "two words-Ff3")]))
            .unwrap_err();
        assert!(err.to_string().contains("invalid Fathom API key"), "{err}");
        assert!(!err.to_string().contains("words-Ff3"), "{err}");
    }

    #[test]
    fn mind_reasoner_key_from_its_header_or_a_bearer_the_header_winning() {
        let p = policy(false);
        let explicit = p
            .resolve(&headers(&[(
                "X-MIND-REASONER-API-KEY",
                "mr-unit-explicit-Ee4",
            )]))
            .unwrap();
        assert!(explicit.mind_reasoner.unwrap().is("mr-unit-explicit-Ee4"));
        assert!(explicit.gong.is_none());
        let bearer = p
            .resolve(&headers(&[("authorization", "Bearer mr-unit-bearer-Bb4")]))
            .unwrap();
        assert!(bearer.mind_reasoner.unwrap().is("mr-unit-bearer-Bb4"));
        let both = p
            .resolve(&headers(&[
                ("authorization", "Bearer mr-unit-bearer-Bb4"),
                ("x-mind-reasoner-api-key", "mr-unit-explicit-Ee4"),
            ]))
            .unwrap();
        assert!(both.mind_reasoner.unwrap().is("mr-unit-explicit-Ee4"));
        for not_a_key in ["Basic abc", "Bearer two words", "Bearer "] {
            assert!(
                p.resolve(&headers(&[("authorization", not_a_key)]))
                    .unwrap()
                    .mind_reasoner
                    .is_none(),
                "{not_a_key}"
            );
        }
    }

    #[test]
    fn with_access_tokens_the_bearer_is_never_a_mind_reasoner_key() {
        let p = CredentialPolicy {
            bearer_is_mind_reasoner_key: false,
            ..policy(false)
        };
        let creds = p
            .resolve(&headers(&[(
                "authorization",
                "Bearer unit-server-token-Ss4",
            )]))
            .unwrap();
        assert!(creds.mind_reasoner.is_none());
    }

    #[test]
    fn a_malformed_mind_reasoner_key_is_refused_without_echoing_it() {
        let err = policy(false)
            .resolve(&headers(&[("x-mind-reasoner-api-key", "has space-secret")]))
            .unwrap_err();
        assert!(
            err.to_string().contains("invalid Mind Reasoner API key"),
            "{err}"
        );
        assert!(!err.to_string().contains("space-secret"), "{err}");
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn both_headers_make_a_tenant_on_the_default_or_allowed_base() {
        let p = policy(true);
        let c = p
            .resolve(&headers(&[
                ("X-GONG-ACCESS-KEY", "unit-key-4"),
                ("x-gong-access-secret", "unit-secret-5-Uu5"),
            ]))
            .unwrap()
            .gong
            .unwrap();
        assert!(c.has_access_key("unit-key-4"));
        assert_eq!(c.base_url().as_str(), "https://api.gong.io/");
        let c = p
            .resolve(&headers(&[
                ("x-gong-access-key", "unit-key-4"),
                ("x-gong-access-secret", "unit-secret-5-Uu5"),
                ("x-gong-base-url", "https://us-5.api.gong.io"),
            ]))
            .unwrap()
            .gong
            .unwrap();
        assert_eq!(c.base_url().host_str(), Some("us-5.api.gong.io"));
    }

    #[test]
    fn half_a_pair_never_falls_back_to_the_default_tenant() {
        let p = policy(true);
        let err = p
            .resolve(&headers(&[("x-gong-access-key", "unit-key-4")]))
            .unwrap_err();
        assert!(err.to_string().contains("without X-Gong-Access-Secret"));
        let err = p
            .resolve(&headers(&[("x-gong-access-secret", "unit-secret-6-Uu6")]))
            .unwrap_err();
        assert!(!err.to_string().contains("unit-secret-6-Uu6"));
        assert!(
            p.resolve(&headers(&[("x-gong-base-url", "https://api.gong.io")]))
                .is_err()
        );
    }

    #[test]
    fn no_headers_mean_the_default_tenant_or_none() {
        assert!(
            policy(true)
                .resolve(&HeaderMap::new())
                .unwrap()
                .gong
                .is_some()
        );
        assert!(
            policy(false)
                .resolve(&HeaderMap::new())
                .unwrap()
                .gong
                .is_none()
        );
    }

    #[test]
    fn disallowed_base_urls_and_repeated_headers_are_refused() {
        let p = policy(false);
        let err = p
            .resolve(&headers(&[
                ("x-gong-access-key", "unit-key-4"),
                ("x-gong-access-secret", "unit-secret-5-Uu5"),
                ("x-gong-base-url", "http://169.254.169.254"),
            ]))
            .unwrap_err();
        assert!(err.to_string().contains("not allowed"), "{err}");
        assert!(
            p.resolve(&headers(&[
                ("x-gong-access-key", "unit-key-4"),
                ("x-gong-access-key", "unit-key-5"),
                ("x-gong-access-secret", "unit-secret-5-Uu5"),
            ]))
            .is_err()
        );
    }

    #[test]
    fn credentials_longer_than_any_real_key_pair_are_refused() {
        let p = policy(false);
        let long = "s".repeat(MAX_CREDENTIAL_LEN + 1);
        let err = p
            .resolve(&headers(&[
                ("x-gong-access-key", "unit-key-4"),
                ("x-gong-access-secret", &long),
            ]))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("X-Gong-Access-Secret is too long"),
            "{err}"
        );
        let fits = "s".repeat(MAX_CREDENTIAL_LEN);
        assert!(
            p.resolve(&headers(&[
                ("x-gong-access-key", "unit-key-4"),
                ("x-gong-access-secret", &fits),
            ]))
            .is_ok()
        );
    }
}
