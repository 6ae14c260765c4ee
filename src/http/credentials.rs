//! The credential middleware: each MCP request's Gong credentials, from its headers, into a typed
//! and redacted value in the request's extensions.
//!
//! Rules: both `X-Gong-Access-Key` and `X-Gong-Access-Secret` → that tenant (on the default base
//! URL, or an allowed `X-Gong-Base-Url`); neither → the default tenant if one is configured, else
//! no credentials (the tools are hidden); anything in between is a 400 naming what is missing,
//! never a fall-back to the default tenant.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, HeaderName, StatusCode};
use url::Url;

use super::access::json_rpc_error;
use super::headers::{GONG_ACCESS_KEY, GONG_ACCESS_SECRET, GONG_BASE_URL};
use crate::gong::credentials::InvalidCredentials;
use crate::gong::{BaseUrlError, GongCredentials, GongHostAllowList, TenantHasher};
use crate::mcp::RequestCredentials;

/// Gong's keys and secrets are a few hundred characters at most; anything far longer is not a
/// credential and is refused here rather than forwarded to Gong in every request.
pub const MAX_CREDENTIAL_LEN: usize = 2048;

pub struct CredentialPolicy {
    pub hasher: TenantHasher,
    pub default_base_url: Url,
    pub allowed_gong_hosts: GongHostAllowList,
    pub default_tenant: Option<Arc<GongCredentials>>,
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
        "{0} is too long (at most {MAX_CREDENTIAL_LEN} characters); send the Gong access key and secret as Gong issued them"
    )]
    TooLong(&'static str),
    #[error("X-Gong-Base-Url: {0}")]
    BaseUrl(#[from] BaseUrlError),
    #[error("invalid Gong credentials: {0}")]
    Invalid(#[from] InvalidCredentials),
}

impl IntoResponse for CredentialError {
    fn into_response(self) -> Response {
        // Messages name headers and hosts, never header values of credentials.
        tracing::info!(error = %self, "refused MCP request: bad Gong credential headers");
        metrics::counter!("http_requests_rejected_total", "reason" => "bad_gong_credentials")
            .increment(1);
        json_rpc_error(StatusCode::BAD_REQUEST, &self.to_string())
    }
}

impl CredentialPolicy {
    pub fn resolve(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<Arc<GongCredentials>>, CredentialError> {
        let key = single(headers, &GONG_ACCESS_KEY, "X-Gong-Access-Key")?;
        let secret = single(headers, &GONG_ACCESS_SECRET, "X-Gong-Access-Secret")?;
        let base = single(headers, &GONG_BASE_URL, "X-Gong-Base-Url")?;
        match (key, secret) {
            (None, None) if base.is_some() => Err(CredentialError::BaseUrlAlone),
            (None, None) => Ok(self.default_tenant.clone()),
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
                    Some(raw) => self.allowed_gong_hosts.check(raw)?,
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
            if let Some(c) = &creds {
                tracing::Span::current().record("tenant", tracing::field::display(c.tenant()));
            }
            request.extensions_mut().insert(RequestCredentials(creds));
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
        let default_tenant = default.then(|| {
            Arc::new(
                GongCredentials::new(
                    base.clone(),
                    "unit-default-key",
                    "unit-default-secret-Dd1",
                    &hasher,
                )
                .unwrap(),
            )
        });
        CredentialPolicy {
            hasher,
            default_base_url: base,
            allowed_gong_hosts: GongHostAllowList::default_gong(),
            default_tenant,
        }
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
        assert!(policy(true).resolve(&HeaderMap::new()).unwrap().is_some());
        assert!(policy(false).resolve(&HeaderMap::new()).unwrap().is_none());
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
