# syntax=docker/dockerfile:1
#
# gong-mcp container image.
#
#   docker build -t gong-mcp:local --build-arg VERSION=0.1.0 .
#   docker run --rm -p 127.0.0.1:8080:8080 gong-mcp:local serve --demo --listen 0.0.0.0:8080 --allow-unauthenticated
#
# A non-loopback --listen needs bearer tokens (GONG_MCP_AUTH_TOKENS_FILE) or a
# deliberate GONG_MCP_ALLOW_UNAUTHENTICATED=true; otherwise the server refuses to start.
#
# Stages (builder and runtime are both Debian 12 "bookworm", so the glibc the
# binary links against is the one it runs on):
#   chef     rust toolchain + a pinned cargo-chef
#   planner  turns the manifests into recipe.json (changes only when deps do)
#   builder  builds the dependencies from the recipe (cached layer), then the crate
#   runtime  distroless cc (glibc, libgcc, CA certificates, no shell), uid 65532

ARG RUST_VERSION=1.95
ARG DEBIAN_RELEASE=bookworm

FROM rust:${RUST_VERSION}-${DEBIAN_RELEASE} AS chef
ARG CARGO_CHEF_VERSION=0.1.78
RUN cargo install cargo-chef --locked --version "${CARGO_CHEF_VERSION}" \
    && rm -rf "${CARGO_HOME}/registry"
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
# Dependencies only: this layer is reused until Cargo.toml / Cargo.lock change.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    cargo chef cook --release --locked --recipe-path recipe.json
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    cargo build --release --locked --bin gong-mcp \
    && install -m 0755 target/release/gong-mcp /usr/local/bin/gong-mcp

# Same Debian release as the builder. Pin by digest in your registry mirror if
# you need bit-for-bit reproducible runtime layers.
FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="gong-mcp" \
      org.opencontainers.image.description="Hosted, multi-tenant MCP server (streamable HTTP and stdio) for reading Gong calls and transcripts" \
      org.opencontainers.image.source="https://github.com/gong-mcp/gong-mcp" \
      org.opencontainers.image.url="https://github.com/gong-mcp/gong-mcp" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      io.modelcontextprotocol.server.name="io.github.gong-mcp/gong-mcp"

COPY --from=builder /usr/local/bin/gong-mcp /usr/local/bin/gong-mcp

# Container defaults; everything else comes from GONG_* / GONG_MCP_* env vars.
ENV GONG_MCP_LOG_FORMAT=json \
    RUST_LOG=info

USER 65532:65532
# 8080: MCP endpoint /mcp, /healthz, /readyz (and /metrics unless moved)
# 9090: /metrics when GONG_MCP_METRICS_LISTEN=0.0.0.0:9090
EXPOSE 8080 9090

# No curl in the image: the binary probes itself (GET http://127.0.0.1:8080/healthz).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/gong-mcp", "healthcheck"]

STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/gong-mcp"]
CMD ["serve", "--listen", "0.0.0.0:8080"]
