//! Command line and environment: every setting is a flag and an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use url::Url;

use crate::fathom::{self, FathomSettings};
pub use crate::fireflies::config::FirefliesArgs;
use crate::gong::GongSettings;
use crate::mind_reasoner::{self, MindReasonerSettings};
use crate::upstream::HostAllowList;

#[derive(Debug, Parser)]
#[command(
    name = "gong-mcp",
    version,
    about = "MCP server for reading Gong calls and transcripts"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log format on stderr.
    #[arg(long, env = "GONG_MCP_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve MCP over streamable HTTP at /mcp (multi-tenant: credentials per request).
    Serve(ServeArgs),
    /// Serve MCP over stdin/stdout for one local client (credentials from the environment).
    Stdio(StdioArgs),
    /// Exit 0 if a local server answers GET /healthz, 1 otherwise (for container health checks).
    Healthcheck(HealthcheckArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "GONG_MCP_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Serve a built-in synthetic Gong workspace as the default tenant (no Gong account needed).
    #[arg(long, env = "GONG_MCP_DEMO")]
    pub demo: bool,
    /// Host header values accepted (DNS-rebinding protection), comma-separated. Set the public
    /// hostname(s) when deployed behind a load balancer.
    #[arg(
        long,
        env = "GONG_MCP_ALLOWED_HOSTS",
        value_delimiter = ',',
        default_value = "localhost,127.0.0.1,::1"
    )]
    pub allowed_hosts: Vec<String>,
    /// Browser Origins accepted, comma-separated (`scheme://host:port`, `:*` for any port);
    /// requests with any other Origin get 403.
    #[arg(
        long,
        env = "GONG_MCP_ALLOWED_ORIGINS",
        value_delimiter = ',',
        default_value = "http://localhost:*,http://127.0.0.1:*,http://[::1]:*"
    )]
    pub allowed_origins: Vec<String>,
    /// Largest accepted request body, in bytes (larger gets 413).
    #[arg(long, env = "GONG_MCP_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Seconds in-flight calls may take to finish after SIGTERM/SIGINT.
    #[arg(long, env = "GONG_MCP_SHUTDOWN_GRACE", default_value_t = 20)]
    pub shutdown_grace: u64,
    /// Serve /metrics on this separate (private) address instead of the main one.
    #[arg(long, env = "GONG_MCP_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// File of SHA-256 hex digests of accepted bearer tokens, one per line
    /// (`printf %s "$TOKEN" | sha256sum`). When set, /mcp (and /metrics on the main port)
    /// require `Authorization: Bearer <token>`.
    #[arg(long, env = "GONG_MCP_AUTH_TOKENS_FILE")]
    pub auth_tokens_file: Option<PathBuf>,
    /// Serve beyond loopback without bearer tokens (e.g. behind an authenticating gateway).
    /// Without tokens or this flag, a non-loopback --listen is refused.
    #[arg(long, env = "GONG_MCP_ALLOW_UNAUTHENTICATED")]
    pub allow_unauthenticated: bool,
    /// Requests per second per client (bearer token, else peer address) on /mcp; beyond it, 429.
    /// 0 = unlimited.
    #[arg(long, env = "GONG_MCP_MAX_RPS_PER_CLIENT", default_value_t = 0)]
    pub max_rps_per_client: u32,
    /// Print the effective configuration (secrets redacted) and exit.
    #[arg(long)]
    pub print_config: bool,
    #[command(flatten)]
    pub gong: GongArgs,
    #[command(flatten)]
    pub mind_reasoner: MindReasonerArgs,
    #[command(flatten)]
    pub fleet: Box<crate::fleet::args::FleetArgs>,
    #[command(flatten)]
    pub fathom: FathomArgs,
    #[command(flatten)]
    pub fireflies: FirefliesArgs,
}

#[derive(Debug, Args)]
pub struct StdioArgs {
    /// Serve the built-in synthetic Gong workspace and Mind Reasoner (no accounts needed).
    #[arg(long, env = "GONG_MCP_DEMO")]
    pub demo: bool,
    #[command(flatten)]
    pub gong: GongArgs,
    #[command(flatten)]
    pub mind_reasoner: MindReasonerArgs,
    #[command(flatten)]
    pub fathom: FathomArgs,
    #[command(flatten)]
    pub fireflies: FirefliesArgs,
}

#[derive(Debug, Args)]
pub struct HealthcheckArgs {
    /// URL to probe; by default /healthz on the port of GONG_MCP_LISTEN (or 8080) on loopback.
    #[arg(long, env = "GONG_MCP_HEALTHCHECK_URL")]
    pub url: Option<String>,
}

/// `Debug` is written by hand below: it must never show the key, the secret or the HMAC key.
#[derive(Args)]
pub struct GongArgs {
    /// Gong API base URL for the default tenant and for requests without X-Gong-Base-Url.
    #[arg(long, env = "GONG_BASE_URL", default_value = "https://api.gong.io")]
    pub gong_base_url: String,
    /// Hosts a request's X-Gong-Base-Url may name: `host`, `*.domain` (https only) or
    /// `scheme://host:port` / `scheme://host:*`, comma-separated.
    #[arg(
        long,
        env = "GONG_MCP_ALLOWED_GONG_HOSTS",
        default_value = "api.gong.io,*.api.gong.io"
    )]
    pub allowed_gong_hosts: HostAllowList,
    /// Gong access key of the default tenant (stdio: required; serve: optional).
    #[arg(long, env = "GONG_ACCESS_KEY", hide_env_values = true)]
    pub gong_access_key: Option<String>,
    /// Gong access key secret of the default tenant. Prefer the environment variable: command
    /// lines are visible to other local users.
    #[arg(long, env = "GONG_ACCESS_SECRET", hide_env_values = true)]
    pub gong_access_secret: Option<String>,
    /// Seconds a tool call may take in all, retries included (keep below clients' 60 s).
    #[arg(long, env = "GONG_MCP_TOOL_TIMEOUT", default_value_t = 30)]
    pub tool_timeout: u64,
    /// Gong requests per second per tenant on this instance (Gong allows 3 per company).
    #[arg(long, env = "GONG_MCP_GONG_RPS", default_value_t = 3.0)]
    pub gong_rps: f64,
    /// MiB of transcripts and call details cached in memory (0 disables the cache).
    #[arg(long, env = "GONG_MCP_CACHE_MB", default_value_t = 64)]
    pub cache_mb: u64,
    /// Seconds a cached transcript or call detail is kept.
    #[arg(long, env = "GONG_MCP_CACHE_TTL", default_value_t = 6 * 3600)]
    pub cache_ttl: u64,
    /// Key for deriving tenant identities (HMAC); set the same on every replica of a fleet.
    /// Random per process when unset.
    #[arg(long, env = "GONG_MCP_TENANT_KEY_SECRET", hide_env_values = true)]
    pub tenant_key_secret: Option<String>,
}

impl std::fmt::Debug for GongArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |s: &Option<String>| s.as_ref().map(|_| "[redacted]");
        f.debug_struct("GongArgs")
            .field("gong_base_url", &self.gong_base_url)
            .field("allowed_gong_hosts", &self.allowed_gong_hosts)
            .field("gong_access_key", &redacted(&self.gong_access_key))
            .field("gong_access_secret", &redacted(&self.gong_access_secret))
            .field("tool_timeout", &self.tool_timeout)
            .field("gong_rps", &self.gong_rps)
            .field("cache_mb", &self.cache_mb)
            .field("cache_ttl", &self.cache_ttl)
            .field("tenant_key_secret", &redacted(&self.tenant_key_secret))
            .finish()
    }
}

/// Mind Reasoner: where its API is, the default tenant's key, where uploads may go, deadlines.
/// `Debug` is written by hand below: it must never show the key.
#[derive(Args)]
pub struct MindReasonerArgs {
    /// Mind Reasoner API root, path included.
    #[arg(long, env = "MIND_REASONER_BASE_URL", default_value = mind_reasoner::DEFAULT_BASE_URL)]
    pub mind_reasoner_base_url: String,
    /// Mind Reasoner API key of the default tenant (stdio; serve: requests that send none).
    #[arg(long, env = "MIND_REASONER_API_KEY", hide_env_values = true)]
    pub mind_reasoner_api_key: Option<String>,
    /// Hosts a signed upload URL may point at (same syntax as --allowed-gong-hosts); a value
    /// replaces the default. The server writes to no other host.
    #[arg(
        long,
        env = "MIND_REASONER_ALLOWED_UPLOAD_HOSTS",
        default_value = mind_reasoner::DEFAULT_UPLOAD_HOSTS
    )]
    pub allowed_upload_hosts: HostAllowList,
    /// Seconds `simulate` may take (a simulation can take longer than a read).
    #[arg(long, env = "GONG_MCP_SIMULATE_TIMEOUT", default_value_t = 120)]
    pub simulate_timeout: u64,
    /// Seconds `create_mind_from_calls` may take (it reads up to 100 calls and uploads).
    #[arg(long, env = "GONG_MCP_PIPELINE_TIMEOUT", default_value_t = 120)]
    pub pipeline_timeout: u64,
    /// Without bearer tokens of this server, read `Authorization: Bearer <key>` as the Mind
    /// Reasoner key (as configurations for Mind Reasoner's hosted endpoint send it). Turn off
    /// behind a gateway that forwards its own `Authorization` header.
    #[arg(long, env = "GONG_MCP_MIND_REASONER_BEARER", default_value_t = true, action = clap::ArgAction::Set)]
    pub mind_reasoner_bearer: bool,
    /// Mind Reasoner requests per second per tenant on this instance (it publishes no limit;
    /// its 429s are honoured either way). 0 = unpaced.
    #[arg(long, env = "GONG_MCP_MIND_REASONER_RPS", default_value_t = 5.0)]
    pub mind_reasoner_rps: f64,
}

impl std::fmt::Debug for MindReasonerArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MindReasonerArgs")
            .field("mind_reasoner_base_url", &self.mind_reasoner_base_url)
            .field(
                "mind_reasoner_api_key",
                &self.mind_reasoner_api_key.as_ref().map(|_| "[redacted]"),
            )
            .field("allowed_upload_hosts", &self.allowed_upload_hosts)
            .field("simulate_timeout", &self.simulate_timeout)
            .field("pipeline_timeout", &self.pipeline_timeout)
            .field("mind_reasoner_bearer", &self.mind_reasoner_bearer)
            .field("mind_reasoner_rps", &self.mind_reasoner_rps)
            .finish()
    }
}

impl MindReasonerArgs {
    pub fn simulate_timeout(&self) -> Duration {
        Duration::from_secs(self.simulate_timeout.clamp(1, 900))
    }

    pub fn pipeline_timeout(&self) -> Duration {
        Duration::from_secs(self.pipeline_timeout.clamp(1, 900))
    }

    /// The API root: http(s), a host, a path; no user info, query or fragment.
    pub fn base_url(&self) -> anyhow::Result<Url> {
        let raw = self.mind_reasoner_base_url.trim();
        let url = Url::parse(raw)
            .map_err(|e| anyhow::anyhow!("MIND_REASONER_BASE_URL '{raw}' is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host_str().is_none()
            || !url.username().is_empty()
            || url.password().is_some()
            || url.query().is_some()
            || url.fragment().is_some()
        {
            anyhow::bail!(
                "MIND_REASONER_BASE_URL must be an http(s) API root without user info, query or fragment, e.g. {}",
                mind_reasoner::DEFAULT_BASE_URL
            );
        }
        Ok(url)
    }

    pub fn settings(&self, base_url: Url, upload_hosts: HostAllowList) -> MindReasonerSettings {
        MindReasonerSettings {
            base_url,
            upload_hosts,
            requests_per_second: self.mind_reasoner_rps.max(0.0),
            connect_timeout: Duration::from_secs(5),
        }
    }

    /// The default tenant's key, if set (empty counts as unset).
    pub fn api_key(&self) -> Option<&str> {
        self.mind_reasoner_api_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
    }
}

/// Fathom: where its API is, the default tenant's key, pacing.
/// `Debug` is written by hand below: it must never show the key.
#[derive(Args)]
pub struct FathomArgs {
    /// Fathom API root, path included.
    #[arg(long, env = "FATHOM_BASE_URL", default_value = fathom::DEFAULT_BASE_URL)]
    pub fathom_base_url: String,
    /// Fathom API key of the default tenant (stdio; serve: requests that send none).
    #[arg(long, env = "FATHOM_API_KEY", hide_env_values = true)]
    pub fathom_api_key: Option<String>,
    /// Fathom requests per second per tenant on this instance (Fathom allows 60 a minute per
    /// key; its RateLimit headers and 429s are honoured either way). 0 = unpaced.
    #[arg(long, env = "GONG_MCP_FATHOM_RPS", default_value_t = 1.0)]
    pub fathom_rps: f64,
}

impl std::fmt::Debug for FathomArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FathomArgs")
            .field("fathom_base_url", &self.fathom_base_url)
            .field(
                "fathom_api_key",
                &self.fathom_api_key.as_ref().map(|_| "[redacted]"),
            )
            .field("fathom_rps", &self.fathom_rps)
            .finish()
    }
}

impl FathomArgs {
    /// The API root: http(s), a host, a path; no user info, query or fragment.
    pub fn base_url(&self) -> anyhow::Result<Url> {
        let raw = self.fathom_base_url.trim();
        let url = Url::parse(raw)
            .map_err(|e| anyhow::anyhow!("FATHOM_BASE_URL '{raw}' is not a URL: {e}"))?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host_str().is_none()
            || !url.username().is_empty()
            || url.password().is_some()
            || url.query().is_some()
            || url.fragment().is_some()
        {
            anyhow::bail!(
                "FATHOM_BASE_URL must be an http(s) API root without user info, query or fragment, e.g. {}",
                fathom::DEFAULT_BASE_URL
            );
        }
        Ok(url)
    }

    /// Cache size and lifetime are shared with Gong's (`--cache-mb`, `--cache-ttl`).
    pub fn settings(&self, base_url: Url, gong: &GongArgs) -> FathomSettings {
        FathomSettings {
            base_url,
            requests_per_second: self.fathom_rps.max(0.0),
            connect_timeout: Duration::from_secs(5),
            cache_bytes: gong.cache_mb.saturating_mul(1024 * 1024) / 4,
            cache_ttl: Duration::from_secs(gong.cache_ttl),
        }
    }

    /// Fathom's documented API root with this process's cache settings (before the
    /// configuration is read).
    pub fn default_settings(gong: &GongArgs) -> FathomSettings {
        FathomSettings {
            base_url: Url::parse(fathom::DEFAULT_BASE_URL).expect("the default is a URL"),
            requests_per_second: 1.0,
            connect_timeout: Duration::from_secs(5),
            cache_bytes: gong.cache_mb.saturating_mul(1024 * 1024) / 4,
            cache_ttl: Duration::from_secs(gong.cache_ttl),
        }
    }

    /// The default tenant's key, if set (empty counts as unset).
    pub fn api_key(&self) -> Option<&str> {
        self.fathom_api_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
    }
}

impl GongArgs {
    pub fn tool_timeout(&self) -> Duration {
        Duration::from_secs(self.tool_timeout.clamp(1, 600))
    }

    pub fn settings(&self) -> GongSettings {
        GongSettings {
            requests_per_second: self.gong_rps.max(0.0),
            cache_bytes: self.cache_mb.saturating_mul(1024 * 1024),
            cache_ttl: Duration::from_secs(self.cache_ttl),
            ..GongSettings::default()
        }
    }
}

impl ServeArgs {
    /// The effective configuration, secrets redacted, for `--print-config`.
    pub fn redacted(&self) -> serde_json::Value {
        let secret = |s: &Option<String>| match s {
            Some(v) if !v.is_empty() => serde_json::json!("[redacted]"),
            _ => serde_json::Value::Null,
        };
        serde_json::json!({
            "listen": self.listen.to_string(),
            "demo": self.demo,
            "allowed_hosts": self.allowed_hosts,
            "allowed_origins": self.allowed_origins,
            "max_body_bytes": self.max_body_bytes,
            "shutdown_grace_secs": self.shutdown_grace,
            "metrics_listen": self.metrics_listen.map(|a| a.to_string()),
            "auth_tokens_file": self.auth_tokens_file.as_ref().map(|p| p.display().to_string()),
            "allow_unauthenticated": self.allow_unauthenticated,
            "max_rps_per_client": self.max_rps_per_client,
            "gong_base_url": self.gong.gong_base_url,
            "allowed_gong_hosts": self.gong.allowed_gong_hosts.to_string(),
            "gong_access_key": secret(&self.gong.gong_access_key),
            "gong_access_secret": secret(&self.gong.gong_access_secret),
            "tenant_key_secret": secret(&self.gong.tenant_key_secret),
            "tool_timeout_secs": self.gong.tool_timeout().as_secs(),
            "gong_rps": self.gong.gong_rps,
            "cache_mb": self.gong.cache_mb,
            "cache_ttl_secs": self.gong.cache_ttl,
            "mind_reasoner_base_url": self.mind_reasoner.mind_reasoner_base_url,
            "mind_reasoner_api_key": secret(&self.mind_reasoner.mind_reasoner_api_key),
            "allowed_upload_hosts": self.mind_reasoner.allowed_upload_hosts.to_string(),
            "simulate_timeout_secs": self.mind_reasoner.simulate_timeout().as_secs(),
            "pipeline_timeout_secs": self.mind_reasoner.pipeline_timeout().as_secs(),
            "mind_reasoner_rps": self.mind_reasoner.mind_reasoner_rps,
            "mind_reasoner_bearer": self.mind_reasoner.mind_reasoner_bearer,
            "fleet": self.fleet.redacted(),
            "fathom_base_url": self.fathom.fathom_base_url,
            "fathom_api_key": secret(&self.fathom.fathom_api_key),
            "fathom_rps": self.fathom.fathom_rps,
            "fireflies": self.fireflies.redacted(),
        })
    }
}
