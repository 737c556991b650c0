# Shared settings of the local stack; sourced by up.sh, test.sh and down.sh.
# shellcheck shell=bash
STANDING_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export STANDING_ROOT
export STANDING_STATE="$STANDING_ROOT/.local"        # pids and logs (git-ignored)
export STANDING_VENV="$STANDING_ROOT/.venv"
export MOTO_PORT="${MOTO_PORT:-4566}"
export API_PORT="${API_PORT:-9000}"
export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT"
export AWS_REGION="${AWS_REGION:-cn-north-1}"
export AWS_DEFAULT_REGION="$AWS_REGION"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}"
export AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
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

moto_up() { curl -fsS -o /dev/null "$AWS_ENDPOINT_URL/moto-api/" 2>/dev/null; }

# Start moto's server on loopback unless it already answers. Echoes "started" when
# this call started it.
start_moto() {
  if moto_up; then return 0; fi
  nohup "$STANDING_VENV/bin/python" "$STANDING_ROOT/infra/local/moto_server.py" -H 127.0.0.1 -p "$MOTO_PORT" \
    > "$STANDING_STATE/moto.log" 2>&1 &
  echo $! > "$STANDING_STATE/moto.pid"
  for _ in $(seq 1 100); do
    if moto_up; then echo started; return 0; fi
    sleep 0.2
  done
  echo "moto did not start; see $STANDING_STATE/moto.log" >&2
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
