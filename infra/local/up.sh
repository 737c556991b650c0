#!/usr/bin/env bash
# Run Standing locally: installs the tools (once), starts moto's server as the
# DynamoDB / S3 / Scheduler endpoint on loopback, creates the table and buckets from
# infra/template.yaml, and serves every function with `cargo lambda watch` on the same
# /v1 paths as the deployed API. Idempotent: a second run reuses what is running.
# Stop everything with infra/local/down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STANDING_ROOT"

ensure_venv
start_moto >/dev/null
python infra/local/bootstrap.py
python infra/local/check_routes.py

api_up() { curl -fsS -o /dev/null "http://127.0.0.1:$API_PORT/v1/health/intake" 2>/dev/null; }
if ! api_up; then
  {
    echo "TABLE_NAME=$TABLE_NAME"
    echo "MATERIALS_BUCKET=$MATERIALS_BUCKET"
    echo "CERTIFICATES_BUCKET=$CERTIFICATES_BUCKET"
    echo "AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL"
    echo "AWS_REGION=$AWS_REGION"
    echo "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID"
    echo "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"
    echo "STANDING_AUTH_MODE=$STANDING_AUTH_MODE"
    echo "STANDING_DEV_JWT_SECRET=$STANDING_DEV_JWT_SECRET"
    echo "PUBLIC_BASE_URL=$PUBLIC_BASE_URL"
    # Asynchronous work: Lambda Invoke goes to cargo lambda watch (which serves the
    # Invoke API for the functions it runs); one-time schedules go to moto's Scheduler,
    # which stores them but does not fire them: run the sweep by hand (README).
    echo "LAMBDA_ENDPOINT_URL=http://127.0.0.1:$API_PORT"
    echo "REVIEW_FUNCTION=review"
    echo "CERTIFICATE_FUNCTION=certificate"
    echo "PUBLICATION_FUNCTION_ARN=arn:aws-cn:lambda:$AWS_REGION:123456789012:function:publication"
    echo "SCHEDULER_ROLE_ARN=arn:aws-cn:iam::123456789012:role/standing-local-scheduler"
    echo "CERT_SIGNING_KEY=$CERT_SIGNING_KEY"
  } > "$STANDING_STATE/watch.env"
  # setsid: its own process group, so down.sh stops cargo-lambda and the functions.
  setsid nohup cargo lambda watch -A 127.0.0.1 -P "$API_PORT" \
    --env-file "$STANDING_STATE/watch.env" > "$STANDING_STATE/watch.log" 2>&1 < /dev/null &
  echo $! > "$STANDING_STATE/watch.pid"
  echo "building and starting the functions (first time: several minutes; log: .local/watch.log)"
  for _ in $(seq 1 1200); do
    api_up && break
    if ! kill -0 "$(cat "$STANDING_STATE/watch.pid")" 2>/dev/null; then
      echo "cargo lambda watch stopped; see .local/watch.log" >&2; exit 1
    fi
    sleep 1
  done
  api_up || { echo "the API did not answer in 20 minutes; see .local/watch.log" >&2; exit 1; }
fi

cat <<EOT

Standing is running locally.
  API:       http://127.0.0.1:$API_PORT/v1/...   (cargo lambda watch; log .local/watch.log)
  AWS:       $AWS_ENDPOINT_URL                   (moto: DynamoDB, S3, Scheduler; log .local/moto.log)
  Stop with: infra/local/down.sh

Mint a development token (signed with the local development key):
  TOKEN=\$(python3 infra/local/mint_token.py staff --authority nmg-security-association)
  TOKEN=\$(python3 infra/local/mint_token.py applicant --org 91110108551385082Q)
EOT
