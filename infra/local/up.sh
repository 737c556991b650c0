#!/usr/bin/env bash
# Run Standing locally: installs or checks what the stack needs (the Python tools in
# .venv; Java, DynamoDB Local and the Noto CJK fonts, with apt-get when run as root),
# starts DynamoDB Local (the table, on disk in .local/dynamodb-data: kept across
# restarts) and moto's server (S3, Scheduler) on loopback,
# creates the table and buckets from infra/template.yaml, and serves every function with
# `cargo lambda watch` on the same /v1 paths as the deployed API, then waits until every
# function's health route answers 200. Idempotent: a second run reuses what is running.
# Stop everything with infra/local/down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STANDING_ROOT"

ensure_venv
ensure_fonts
start_dynamodb >/dev/null
case "$(dynamodb_mode)" in
  disk) ddb_note="data on disk in $DYNAMODB_DATA, kept by down.sh; heap <= $DYNAMODB_HEAP" ;;
  memory) ddb_note="IN MEMORY: an instance test.sh started; the data goes when it stops"
    echo "WARNING: DynamoDB Local on port $DYNAMODB_PORT runs in memory (started by test.sh?); when that test run ends, it stops. Run up.sh again afterwards." >&2 ;;
  *) ddb_note="not started by this checkout: reused as it is" ;;
esac
start_moto >/dev/null
python infra/local/bootstrap.py
python infra/local/check_routes.py

API="http://127.0.0.1:$API_PORT"
FUNCTIONS=(intake review publication certificate credit)
health() { curl -sS -m 1200 -o /dev/null -w '%{http_code}' "$API/v1/health/$1" 2>/dev/null || true; }
api_up() { curl -fsS -m 60 -o /dev/null "$API/v1/health/intake" 2>/dev/null; }
if ! api_up; then
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
    echo "PUBLIC_BASE_URL=$PUBLIC_BASE_URL"
    echo "STANDING_CLOCK_FILE=$STANDING_CLOCK_FILE"
    echo "STANDING_FONT_DIR=$STANDING_FONT_DIR"
    echo "STANDING_TEMPLATE_DIR=$STANDING_TEMPLATE_DIR"
    # Asynchronous work: Lambda Invoke goes to cargo lambda watch (which serves the
    # Invoke API for the functions it runs); one-time schedules go to moto's Scheduler,
    # which stores them but does not fire them: run the sweep by hand (README).
    echo "LAMBDA_ENDPOINT_URL=$API"
    echo "REVIEW_FUNCTION=review"
    echo "CERTIFICATE_FUNCTION=certificate"
    echo "PUBLICATION_FUNCTION_ARN=arn:aws-cn:lambda:$AWS_REGION:123456789012:function:publication"
    echo "SCHEDULER_ROLE_ARN=arn:aws-cn:iam::123456789012:role/standing-local-scheduler"
    echo "CERT_SIGNING_KEY=$CERT_SIGNING_KEY"
  } > "$STANDING_STATE/watch.env"
  # setsid: its own process group, so down.sh stops cargo-lambda and the functions.
  setsid nohup cargo lambda watch -A 127.0.0.1 -P "$API_PORT" --concurrency 2 \
    --env-file "$STANDING_STATE/watch.env" > "$STANDING_STATE/watch.log" 2>&1 < /dev/null &
  echo $! > "$STANDING_STATE/watch.pid"
  echo "building and starting the functions (first time: several minutes; log: $STANDING_STATE/watch.log)"
  for _ in $(seq 1 1200); do
    api_up && break
    if ! kill -0 "$(cat "$STANDING_STATE/watch.pid")" 2>/dev/null; then
      echo "ERROR: cargo lambda watch stopped; see $STANDING_STATE/watch.log" >&2; exit 1
    fi
    sleep 1
  done
  api_up || { echo "ERROR: the API did not answer in 20 minutes; see $STANDING_STATE/watch.log" >&2; exit 1; }
fi

# Every function must answer its health route. The first request to a function builds
# and starts it (minutes on a fresh clone); a function that exits at start (say, a
# missing font directory) is not started again until the watcher restarts and its
# request would hang, so a "command exited" line in the watcher's log fails at once.
failed=()
for fn in "${FUNCTIONS[@]}"; do
  from=$(( $(wc -l < "$STANDING_STATE/watch.log") + 1 ))
  answer="$STANDING_STATE/health-$fn.code"
  rm -f "$answer"
  ( health "$fn" > "$answer.tmp"; mv "$answer.tmp" "$answer" ) &
  probe=$!
  code=""
  for _ in $(seq 1 1200); do
    if [ -f "$answer" ]; then code="$(cat "$answer")"; break; fi
    if tail -n "+$from" "$STANDING_STATE/watch.log" | grep -q "command exited"; then
      code="exited at start"; break
    fi
    sleep 1
  done
  kill "$probe" 2>/dev/null || true
  wait "$probe" 2>/dev/null || true
  rm -f "$answer" "$answer.tmp"
  if [ "$code" = 200 ]; then
    echo "health $fn: 200"
  else
    echo "ERROR: health $fn: ${code:-no answer in 20 minutes} (expected 200)" >&2
    tail -n "+$from" "$STANDING_STATE/watch.log" | grep -v "Blocking waiting" | tail -5 >&2
    failed+=("$fn")
  fi
done
# The browser front end (functions/web) has no health route: its home page is the probe.
from=$(( $(wc -l < "$STANDING_STATE/watch.log") + 1 ))
code="$(curl -sS -m 1200 -o /dev/null -w '%{http_code}' "$API/" 2>/dev/null || true)"
if [ "$code" = 200 ]; then
  echo "web $API/: 200"
else
  echo "ERROR: web $API/: ${code:-no answer} (expected 200)" >&2
  tail -n "+$from" "$STANDING_STATE/watch.log" | grep -v "Blocking waiting" | tail -5 >&2
  failed+=(web)
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "ERROR: not running: ${failed[*]}; see $STANDING_STATE/watch.log, fix the cause, then run infra/local/down.sh and infra/local/up.sh" >&2
  exit 1
fi

offset="$(cat "$STANDING_CLOCK_FILE" 2>/dev/null || true)"
cat <<EOT

Standing is running locally.
  Browser:   $API/   (public site; sign in at $API/signin for the portal and the console)
  API:       $API/v1/...   (cargo lambda watch; log $STANDING_STATE/watch.log)
  DynamoDB:  $AWS_ENDPOINT_URL_DYNAMODB   (DynamoDB Local, table $TABLE_NAME; log $STANDING_STATE/dynamodb.log)
             $ddb_note
  S3, Scheduler: $AWS_ENDPOINT_URL   (moto; log $STANDING_STATE/moto.log)
  Clock:     ${offset:-0} s ahead of real time (infra/local/clock.sh)
  Stop with: infra/local/down.sh   (keeps the table's data; --wipe deletes it)

Mint a development token (signed with the local development key):
  TOKEN=\$(python3 infra/local/mint_token.py staff --authority nmg-security-association)
  TOKEN=\$(python3 infra/local/mint_token.py applicant --org 91110108551385082Q)
EOT
