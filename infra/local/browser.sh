#!/usr/bin/env bash
# Browser tests (issue 15, docs/web.md): Playwright (PyPI) drives Debian's Chromium
# through the pages of functions/web against every function served by its own
# `cargo lambda watch` on WEB_TEST_PORT (default API_PORT + 50), on the TEST table and
# buckets (standing-test*, never the running stack's standing-local), with its own clock
# file; at 390 px and 1280 px; axe-core (npm, installed into .local/node) checks every
# page. Screenshots: target/browser/. Run by infra/local/test.sh after the cargo tests;
# runs alone too (it starts DynamoDB Local and moto when nothing answers on their ports).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STANDING_ROOT"
export TABLE_NAME="standing-test"
export MATERIALS_BUCKET="standing-test-materials"
export CERTIFICATES_BUCKET="standing-test-certificates"
WEB_PORT="${WEB_TEST_PORT:-$((API_PORT + 50))}"
WEB="http://127.0.0.1:$WEB_PORT"
STATE="$STANDING_STATE/browser"
OUT="$STANDING_ROOT/target/browser"
AXE_NPM="axe-core@4.10.3"
mkdir -p "$STATE" "$OUT"

ensure_venv
ensure_fonts
command -v chromium >/dev/null || apt_install "Chromium (browser tests)" chromium
# axe-core from npm into a git-ignored folder, once per pinned version.
if [ "$(cat "$STANDING_STATE/node/.axe-version" 2>/dev/null)" != "$AXE_NPM" ]; then
  command -v npm >/dev/null || apt_install "npm (axe-core for the browser tests)" npm
  npm install --silent --no-audit --no-fund --prefix "$STANDING_STATE/node" "$AXE_NPM" >&2
  echo "$AXE_NPM" > "$STANDING_STATE/node/.axe-version"
fi
AXE="$STANDING_STATE/node/node_modules/axe-core/axe.min.js"

started=()
cleanup() { for s in "${started[@]}"; do stop_pidfile "$s"; done; }
trap cleanup EXIT
s="$(start_dynamodb memory)"; [ "$s" != started ] || started+=(dynamodb)
s="$(start_moto)"; [ "$s" != started ] || started+=(moto)
python infra/local/bootstrap.py >/dev/null

echo 0 > "$STATE/clock-offset"
{
  echo "TABLE_NAME=$TABLE_NAME"
  echo "MATERIALS_BUCKET=$MATERIALS_BUCKET"
  echo "CERTIFICATES_BUCKET=$CERTIFICATES_BUCKET"
  echo "AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL"
  echo "AWS_ENDPOINT_URL_DYNAMODB=$AWS_ENDPOINT_URL_DYNAMODB"
  echo "AWS_REGION=$AWS_REGION"
  echo "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"
  echo "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"
  echo "STANDING_AUTH_MODE=$STANDING_AUTH_MODE"
  echo "STANDING_DEV_JWT_SECRET=$STANDING_DEV_JWT_SECRET"
  echo "PUBLIC_BASE_URL=$WEB"
  echo "STANDING_CLOCK_FILE=$STATE/clock-offset"
  echo "STANDING_FONT_DIR=$STANDING_FONT_DIR"
  echo "STANDING_TEMPLATE_DIR=$STANDING_TEMPLATE_DIR"
  echo "LAMBDA_ENDPOINT_URL=$WEB"
  echo "REVIEW_FUNCTION=review"
  echo "CERTIFICATE_FUNCTION=certificate"
  echo "PUBLICATION_FUNCTION_ARN=arn:aws-cn:lambda:$AWS_REGION:123456789012:function:publication"
  echo "SCHEDULER_ROLE_ARN=arn:aws-cn:iam::123456789012:role/standing-test-scheduler"
  echo "CERT_SIGNING_KEY=$CERT_SIGNING_KEY"
} > "$STATE/watch.env"
if curl -fsS -m 2 -o /dev/null "$WEB/v1/health/intake" 2>/dev/null; then
  echo "ERROR: something already answers on $WEB; set WEB_TEST_PORT to a free port" >&2
  exit 1
fi
setsid nohup cargo lambda watch -A 127.0.0.1 -P "$WEB_PORT" --concurrency 2 --env-file "$STATE/watch.env" \
  > "$STATE/watch.log" 2>&1 < /dev/null &
echo $! > "$STANDING_STATE/browser-watch.pid"
started+=(browser-watch)
echo "browser tests: functions on $WEB (log $STATE/watch.log); building them the first time takes minutes"
for fn in intake review publication certificate credit; do
  for _ in $(seq 1 1200); do
    curl -fsS -m 600 -o /dev/null "$WEB/v1/health/$fn" 2>/dev/null && break
    kill -0 "$(cat "$STANDING_STATE/browser-watch.pid")" 2>/dev/null || { echo "ERROR: cargo lambda watch stopped; see $STATE/watch.log" >&2; exit 1; }
    sleep 1
  done
done
curl -fsS -m 600 -o /dev/null "$WEB/" || { echo "ERROR: the web function does not answer; see $STATE/watch.log" >&2; exit 1; }

python infra/local/browser_test.py --base "$WEB" --clock-file "$STATE/clock-offset" --axe "$AXE" --out "$OUT" "$@"
