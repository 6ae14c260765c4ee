//! Building and running the HTTP server: `Application::build` binds (port 0 in tests) and wires
//! everything; `run_until_stopped` serves until the given shutdown future resolves, then drains.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::Router;
use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::config::{FathomArgs, FirefliesArgs, GongArgs, MindReasonerArgs, ServeArgs};
use crate::demo::{DEMO_ACCESS_KEY, DEMO_ACCESS_SECRET, DemoGong, DemoGongConfig};
use crate::fakes::fathom::{DEMO_FATHOM_API_KEY, FakeFathom, FakeFathomConfig};
use crate::fakes::fireflies::{DEMO_FIREFLIES_API_KEY, FakeFireflies, FakeFirefliesConfig};
use crate::fakes::mind_reasoner::{
    DEMO_MIND_REASONER_API_KEY, FakeMindReasoner, FakeMindReasonerConfig,
};
use crate::fathom::{FathomKey, FathomService, FathomSettings};
use crate::fireflies::{FirefliesKey, FirefliesService, FirefliesSettings};
use crate::gong::base_url::parse_base_url;
use crate::gong::{GongCredentials, GongService, GongSettings, TenantHasher};
use crate::http::access::{AccessPolicy, AuthTokens};
use crate::http::credentials::CredentialPolicy;
use crate::http::router::{self, Readiness, RouterConfig};
use crate::mcp::{RequestCredentials, Upstreams};
use crate::mind_reasoner::{
    MAX_SIGNED_UPLOAD_BYTES, MindReasonerKey, MindReasonerService, MindReasonerSettings,
};
use crate::upstream::HostAllowList;

pub struct Application {
    listener: TcpListener,
    router: Router,
    /// `--metrics-listen`: /metrics alone on a private address.
    metrics_listener: Option<TcpListener>,
    readiness: Readiness,
    mcp_shutdown: CancellationToken,
    shutdown_grace: Duration,
    /// The built-in synthetic services of `--demo`; they live as long as the server.
    demo: Option<Demo>,
}

impl Application {
    pub async fn build(args: ServeArgs) -> anyhow::Result<Self> {
        let demo = if args.demo {
            Some(Demo::spawn().await?)
        } else {
            None
        };
        let hasher = tenant_hasher(&args.gong);
        let mut providers =
            Providers::new(&args.gong, &args.mind_reasoner, demo.as_ref(), &hasher)?;
        providers.add_fathom(&args.fathom, &args.gong, demo.as_ref(), &hasher)?;
        providers.add_fireflies(&args.fireflies, demo.as_ref(), &hasher)?;
        let secret_set = args
            .gong
            .tenant_key_secret
            .as_deref()
            .is_some_and(|s| !s.is_empty());
        if let Some(settings) = args.fleet.settings(secret_set)? {
            providers.gong_settings.fleet = Some(crate::fleet::Fleet::connect(settings).await?);
        }
        providers.gong_settings.max_tenants = args.fleet.max_tenants;
        providers.gong_settings.daily_budget = args.fleet.daily_budget();
        if demo.is_none() && providers.defaults.gong.is_some() {
            tracing::warn!(
                "GONG_ACCESS_KEY and GONG_ACCESS_SECRET are set: requests without Gong headers will use this default Gong account"
            );
        }
        if demo.is_none() && providers.defaults.fathom.is_some() {
            tracing::warn!(
                "FATHOM_API_KEY is set: requests without a Fathom key will use this default Fathom account"
            );
        }
        if demo.is_none() && providers.defaults.fireflies.is_some() {
            tracing::warn!(
                "FIREFLIES_API_KEY is set: requests without a Fireflies key will use this default Fireflies account"
            );
        }
        if demo.is_none() && providers.defaults.mind_reasoner.is_some() {
            tracing::warn!(
                "MIND_REASONER_API_KEY is set: requests without a Mind Reasoner key will use this default Mind Reasoner account"
            );
        }
        let tokens = args
            .auth_tokens_file
            .as_deref()
            .map(AuthTokens::load)
            .transpose()?;
        if !args.listen.ip().is_loopback() && tokens.is_none() && !args.allow_unauthenticated {
            anyhow::bail!(
                "refusing to listen on {} without access control: set GONG_MCP_AUTH_TOKENS_FILE (bearer tokens), or GONG_MCP_ALLOW_UNAUTHENTICATED=true if something in front of this server authenticates clients",
                args.listen
            );
        }
        if !args.listen.ip().is_loopback()
            && args
                .allowed_hosts
                .iter()
                .all(|h| ["localhost", "127.0.0.1", "::1"].contains(&h.as_str()))
        {
            tracing::warn!(listen = %args.listen, "listening beyond loopback but GONG_MCP_ALLOWED_HOSTS only allows loopback names: remote clients will get 403 until it lists this server's public hostname");
        }
        let policy = Arc::new(CredentialPolicy {
            hasher,
            default_base_url: providers.gong_base_url.clone(),
            allowed_gong_hosts: args.gong.allowed_gong_hosts.clone(),
            defaults: providers.defaults.clone(),
            mind_reasoner_base_url: providers.mind_reasoner_settings.base_url.to_string(),
            bearer_is_mind_reasoner_key: tokens.is_none()
                && args.mind_reasoner.mind_reasoner_bearer,
            fathom_base_url: providers.fathom_settings.base_url.to_string(),
            fireflies_api_url: providers.fireflies_settings.api_url.to_string(),
        });
        // Over HTTP a file arrives in the request body, so it is never larger than the body.
        let upstreams = providers.upstreams(args.max_body_bytes)?;
        let readiness = Readiness::default();
        let mcp_shutdown = CancellationToken::new();
        crate::observability::prometheus();
        let router = router::build(
            RouterConfig {
                allowed_hosts: args.allowed_hosts.clone(),
                allowed_origins: args.allowed_origins.clone(),
                max_body_bytes: args.max_body_bytes,
                metrics_here: args.metrics_listen.is_none(),
            },
            upstreams,
            policy,
            AccessPolicy::new(tokens, args.max_rps_per_client),
            readiness.clone(),
            mcp_shutdown.clone(),
        );
        let listener = TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("binding {}", args.listen))?;
        let metrics_listener = match args.metrics_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("binding the metrics address {addr}"))?,
            ),
            None => None,
        };
        Ok(Self {
            listener,
            router,
            metrics_listener,
            readiness,
            mcp_shutdown,
            shutdown_grace: Duration::from_secs(args.shutdown_grace),
            demo,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The address of `/metrics` when it has its own listener.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
    }

    /// The demo Gong's base URL, when running with `--demo`.
    pub fn demo_base_url(&self) -> Option<String> {
        self.demo.as_ref().map(|d| d.gong.base_url())
    }

    /// Serves until `shutdown` resolves; then stops accepting, reports not-ready, lets in-flight
    /// calls finish for up to the grace period, and returns.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let Self {
            listener,
            router,
            metrics_listener,
            readiness,
            mcp_shutdown,
            shutdown_grace,
            demo,
        } = self;
        readiness.set_ready(true);
        let metrics_task = metrics_listener
            .map(|l| tokio::spawn(async move { axum::serve(l, router::metrics_router()).await }));
        let draining = CancellationToken::new();
        let started_draining = draining.clone();
        // Small answers must not wait for delayed ACKs (Nagle): set TCP_NODELAY on every connection.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let app = router.into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: no new connections; letting in-flight calls finish");
            readiness.set_ready(false);
            started_draining.cancel();
        });
        let result = tokio::select! {
            result = server => result,
            _ = async { draining.cancelled().await; tokio::time::sleep(shutdown_grace).await } => {
                tracing::warn!(grace_secs = shutdown_grace.as_secs(), "shutdown grace expired; dropping calls still in flight");
                Ok(())
            }
        };
        mcp_shutdown.cancel();
        if let Some(task) = metrics_task {
            task.abort();
        }
        if let Some(demo) = demo {
            demo.shutdown().await;
        }
        result
    }
}

/// The synthetic services of `--demo`, on loopback: a Gong workspace, a Mind Reasoner and a
/// Fathom (whose meetings are with the Gong workspace's people), each serving the default tenant.
pub struct Demo {
    pub gong: DemoGong,
    pub mind_reasoner: FakeMindReasoner,
    pub fathom: FakeFathom,
    pub fireflies: FakeFireflies,
}

impl Demo {
    pub async fn spawn() -> anyhow::Result<Self> {
        let gong = DemoGong::spawn(DemoGongConfig::default())
            .await
            .context("starting the built-in demo Gong workspace")?;
        let mind_reasoner = FakeMindReasoner::spawn(FakeMindReasonerConfig::default())
            .await
            .context("starting the built-in synthetic Mind Reasoner")?;
        let fathom = FakeFathom::spawn(FakeFathomConfig::default())
            .await
            .context("starting the built-in synthetic Fathom")?;
        let fireflies = FakeFireflies::spawn(FakeFirefliesConfig::default())
            .await
            .context("starting the built-in synthetic Fireflies")?;
        tracing::info!(
            gong = %gong.base_url(),
            mind_reasoner = %mind_reasoner.base_url(),
            fathom = %fathom.base_url(),
            fireflies = %fireflies.api_url(),
            "demo mode: serving a synthetic Gong workspace, Mind Reasoner, Fathom and Fireflies as the default tenant"
        );
        Ok(Self {
            gong,
            mind_reasoner,
            fathom,
            fireflies,
        })
    }

    pub async fn shutdown(self) {
        self.gong.shutdown().await;
        self.mind_reasoner.shutdown().await;
        self.fathom.shutdown().await;
        self.fireflies.shutdown().await;
    }
}

/// Where each provider is, which hosts uploads may go to, and the default tenant's credentials:
/// from the configuration, or from the demo's synthetic services.
pub struct Providers {
    pub gong_base_url: Url,
    pub defaults: RequestCredentials,
    pub gong_settings: GongSettings,
    pub mind_reasoner_settings: MindReasonerSettings,
    pub fathom_settings: FathomSettings,
    pub fireflies_settings: FirefliesSettings,
    tool_timeout: Duration,
    simulate_timeout: Duration,
    pipeline_timeout: Duration,
}

impl Providers {
    pub fn new(
        gong: &GongArgs,
        mind_reasoner: &MindReasonerArgs,
        demo: Option<&Demo>,
        hasher: &TenantHasher,
    ) -> anyhow::Result<Self> {
        let (gong_base_url, default_gong) = match demo {
            Some(d) => {
                let base = parse_base_url(&d.gong.base_url())?;
                let creds = GongCredentials::new(
                    base.clone(),
                    DEMO_ACCESS_KEY,
                    DEMO_ACCESS_SECRET,
                    hasher,
                )?;
                (base, Some(creds))
            }
            None => {
                let base = parse_base_url(&gong.gong_base_url)
                    .context("--gong-base-url / GONG_BASE_URL")?;
                let creds = default_credentials(gong, &base, hasher)?;
                (base, creds)
            }
        };
        let (mind_reasoner_settings, default_key) = match demo {
            // The demo's own loopback storage joins the allowed upload hosts, nothing else.
            Some(d) => {
                let storage: HostAllowList = d
                    .mind_reasoner
                    .storage_origin()
                    .parse()
                    .map_err(|e: String| anyhow::anyhow!(e))?;
                let settings = mind_reasoner.settings(
                    Url::parse(&d.mind_reasoner.base_url())?,
                    mind_reasoner.allowed_upload_hosts.extended(&storage),
                );
                (settings, Some(DEMO_MIND_REASONER_API_KEY))
            }
            None => (
                mind_reasoner.settings(
                    mind_reasoner.base_url()?,
                    mind_reasoner.allowed_upload_hosts.clone(),
                ),
                mind_reasoner.api_key(),
            ),
        };
        let default_mind_reasoner = default_key
            .map(|k| MindReasonerKey::new(k, mind_reasoner_settings.base_url.as_str(), hasher))
            .transpose()
            .context("MIND_REASONER_API_KEY")?;
        Ok(Self {
            gong_base_url,
            defaults: RequestCredentials {
                gong: default_gong.map(Arc::new),
                mind_reasoner: default_mind_reasoner.map(Arc::new),
                fathom: None,
                fireflies: None,
            },
            gong_settings: gong.settings(),
            mind_reasoner_settings,
            // Replaced by `add_fathom` and `add_fireflies`.
            fathom_settings: FathomArgs::default_settings(gong),
            fireflies_settings: FirefliesSettings::unconfigured(),
            tool_timeout: gong.tool_timeout(),
            simulate_timeout: mind_reasoner.simulate_timeout(),
            pipeline_timeout: mind_reasoner.pipeline_timeout(),
        })
    }

    /// Fathom's API root and default key: from the configuration, or the demo's synthetic Fathom
    /// (whose demo key is then the default tenant).
    pub fn add_fathom(
        &mut self,
        fathom: &FathomArgs,
        gong: &GongArgs,
        demo: Option<&Demo>,
        hasher: &TenantHasher,
    ) -> anyhow::Result<()> {
        let (base_url, key) = match demo {
            Some(d) => (Url::parse(&d.fathom.base_url())?, Some(DEMO_FATHOM_API_KEY)),
            None => (
                fathom
                    .base_url()
                    .context("--fathom-base-url / FATHOM_BASE_URL")?,
                fathom.api_key(),
            ),
        };
        self.defaults.fathom = key
            .map(|k| FathomKey::new(k, base_url.as_str(), hasher))
            .transpose()
            .context("FATHOM_API_KEY")?
            .map(Arc::new);
        self.fathom_settings = fathom.settings(base_url, gong);
        Ok(())
    }

    /// Fireflies' endpoint and the default tenant's key: from the configuration, or the demo's
    /// synthetic Fireflies (whose demo key is then the default tenant).
    pub fn add_fireflies(
        &mut self,
        args: &FirefliesArgs,
        demo: Option<&Demo>,
        hasher: &TenantHasher,
    ) -> anyhow::Result<()> {
        let (url, key) = match demo {
            Some(d) => (
                Url::parse(&d.fireflies.api_url())?,
                Some(DEMO_FIREFLIES_API_KEY),
            ),
            None => (
                args.api_url()
                    .context("--fireflies-api-url / FIREFLIES_API_URL")?,
                args.api_key(),
            ),
        };
        self.defaults.fireflies = key
            .map(|k| FirefliesKey::new(k, url.as_str(), hasher))
            .transpose()
            .context("FIREFLIES_API_KEY")?
            .map(Arc::new);
        self.fireflies_settings = args.settings(url);
        Ok(())
    }

    /// The process-wide services; `max_upload_bytes` bounds a file uploaded through this server.
    pub fn upstreams(&self, max_upload_bytes: usize) -> anyhow::Result<Upstreams> {
        Ok(Upstreams {
            gong: GongService::new(self.gong_settings.clone())
                .context("building the HTTP client for Gong")?,
            mind_reasoner: MindReasonerService::new_in_fleet(
                self.mind_reasoner_settings.clone(),
                self.gong_settings.fleet.clone(),
                self.gong_settings.max_tenants,
            )
            .context("building the HTTP client for Mind Reasoner")?,
            fathom: FathomService::new_in_fleet(
                self.fathom_settings.clone(),
                self.gong_settings.fleet.clone(),
                self.gong_settings.max_tenants,
            )
            .context("building the HTTP client for Fathom")?,
            fireflies: FirefliesService::new_in_fleet(
                self.fireflies_settings.clone(),
                self.gong_settings.fleet.clone(),
                self.gong_settings.max_tenants,
            )
            .context("building the HTTP client for Fireflies")?,
            tool_timeout: self.tool_timeout,
            simulate_timeout: self.simulate_timeout,
            max_upload_bytes: max_upload_bytes.min(MAX_SIGNED_UPLOAD_BYTES),
            pipeline_timeout: self.pipeline_timeout,
        })
    }
}

pub fn tenant_hasher(gong: &GongArgs) -> TenantHasher {
    match &gong.tenant_key_secret {
        Some(key) if !key.is_empty() => TenantHasher::with_key(key.as_bytes()),
        _ => TenantHasher::random(),
    }
}

/// The default tenant from GONG_ACCESS_KEY/GONG_ACCESS_SECRET: both or neither.
pub fn default_credentials(
    gong: &GongArgs,
    base_url: &Url,
    hasher: &TenantHasher,
) -> anyhow::Result<Option<GongCredentials>> {
    let key = gong.gong_access_key.as_deref().filter(|k| !k.is_empty());
    let secret = gong.gong_access_secret.as_deref().filter(|s| !s.is_empty());
    match (key, secret) {
        (Some(k), Some(s)) => Ok(Some(GongCredentials::new(base_url.clone(), k, s, hasher)?)),
        (None, None) => Ok(None),
        (Some(_), None) => anyhow::bail!(
            "GONG_ACCESS_KEY is set but GONG_ACCESS_SECRET is not: set both, or neither"
        ),
        (None, Some(_)) => anyhow::bail!(
            "GONG_ACCESS_SECRET is set but GONG_ACCESS_KEY is not: set both, or neither"
        ),
    }
}

/// Resolves on SIGTERM or SIGINT.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
