//! Access control for the server itself, before any MCP processing: bearer tokens (stored only as
//! SHA-256 hashes, compared in constant time) and a per-client request rate.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use http::{HeaderValue, StatusCode, header};
use sha2::{Digest, Sha256};

/// Accepted bearer tokens, as SHA-256 digests.
#[derive(Clone)]
pub struct AuthTokens(Arc<Vec<[u8; 32]>>);

impl std::fmt::Debug for AuthTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AuthTokens({} hashes)", self.0.len())
    }
}

impl AuthTokens {
    /// One lowercase or uppercase hex SHA-256 per line (`printf %s "$TOKEN" | sha256sum`);
    /// blank lines, `#` comments and a trailing `  -` from sha256sum are ignored.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("reading auth tokens file {}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| anyhow::anyhow!("auth tokens file {}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut hashes = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some(hex) = line.split_whitespace().next() else {
                continue;
            };
            let digest = decode_hex32(hex).ok_or_else(|| {
                anyhow::anyhow!(
                    "line {}: expected a SHA-256 hex digest (64 hex characters)",
                    n + 1
                )
            })?;
            hashes.push(digest);
        }
        if hashes.is_empty() {
            anyhow::bail!("no token hashes found");
        }
        Ok(Self(Arc::new(hashes)))
    }

    /// Constant-time check: the digest is compared with every accepted one, without early exit.
    pub fn accepts(&self, token: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        let mut matched = 0u8;
        for accepted in self.0.iter() {
            let diff = accepted
                .iter()
                .zip(digest.iter())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b));
            matched |= u8::from(diff == 0);
        }
        matched == 1
    }
}

fn decode_hex32(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok()?;
    }
    Some(out)
}

#[derive(Clone)]
pub struct AccessPolicy {
    pub tokens: Option<AuthTokens>,
    pub limiter: Option<Arc<DefaultKeyedRateLimiter<ClientKey>>>,
}

/// Who a request comes from, for the per-client rate: its token's digest prefix when tokens are
/// in use (one client, many addresses), else its peer address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    Token([u8; 8]),
    Peer(IpAddr),
}

impl AccessPolicy {
    pub fn new(tokens: Option<AuthTokens>, max_rps_per_client: u32) -> Self {
        let limiter = NonZeroU32::new(max_rps_per_client).map(|rps| {
            // Burst of one second's worth: clients may send a few requests at once.
            Arc::new(RateLimiter::keyed(Quota::per_second(rps).allow_burst(rps)))
        });
        Self { tokens, limiter }
    }
}

pub async fn middleware(
    State(policy): State<AccessPolicy>,
    request: Request,
    next: Next,
) -> Response {
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    if let Some(tokens) = &policy.tokens {
        let valid = bearer.is_some_and(|t| tokens.accepts(t));
        if !valid {
            let reason = if bearer.is_some() {
                "invalid_token"
            } else {
                "missing_token"
            };
            metrics::counter!("http_requests_rejected_total", "reason" => reason).increment(1);
            return unauthorized(bearer.is_some());
        }
    }
    if let Some(limiter) = &policy.limiter {
        let key = match (&policy.tokens, bearer) {
            (Some(_), Some(token)) => {
                let digest = Sha256::digest(token.as_bytes());
                let mut prefix = [0u8; 8];
                prefix.copy_from_slice(&digest[..8]);
                ClientKey::Token(prefix)
            }
            _ => ClientKey::Peer(
                request
                    .extensions()
                    .get::<ConnectInfo<SocketAddr>>()
                    .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip()),
            ),
        };
        if let Err(not_until) = limiter.check_key(&key) {
            metrics::counter!("http_requests_rejected_total", "reason" => "client_rate_limited")
                .increment(1);
            let wait = not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ));
            return too_many_requests(wait.as_secs().max(1));
        }
    }
    next.run(request).await
}

fn unauthorized(token_sent: bool) -> Response {
    let challenge = if token_sent {
        r#"Bearer realm="gong-mcp", error="invalid_token""#
    } else {
        r#"Bearer realm="gong-mcp""#
    };
    let message = if token_sent {
        "the bearer token is not accepted by this server"
    } else {
        "this server requires an Authorization: Bearer token"
    };
    let mut response = json_rpc_error(StatusCode::UNAUTHORIZED, message);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(challenge),
    );
    response
}

fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut response = json_rpc_error(
        StatusCode::TOO_MANY_REQUESTS,
        "too many requests from this client; slow down",
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// An HTTP error with a JSON-RPC error body, which MCP clients know how to show.
pub fn json_rpc_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": -32600, "message": message }
    });
    (status, axum::Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_file_accepts_exactly_the_hashed_tokens() {
        let hash = format!("{:x}", Sha256::digest(b"s3cret-token"));
        let file = format!("# clients\n\n{hash}  -\n{}\n", "AB".repeat(32));
        let tokens = AuthTokens::parse(&file).unwrap();
        assert!(tokens.accepts("s3cret-token"));
        assert!(!tokens.accepts("s3cret-token "));
        assert!(!tokens.accepts(""));
        assert!(AuthTokens::parse("not-a-hash").is_err());
        assert!(AuthTokens::parse("# only comments\n").is_err());
        assert!(!format!("{tokens:?}").contains(&hash));
    }
}
