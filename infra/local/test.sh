#!/usr/bin/env bash
# Run the whole test suite: unit, property and integration tests. The integration tests
# run against DynamoDB Local and moto's server on loopback, in their own table and
# buckets (standing-test, standing-test-materials, standing-test-certificates), so the
# running stack's data (standing-local*) stays clean; the table is created anew on
# every run. When the stack from up.sh runs, its DynamoDB Local and moto are reused as
# they are (no restart); otherwise this script starts what it needs (DynamoDB Local in
# memory: nothing of a test run is kept, the stack's data on disk is not opened) and
# stops it again at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STANDING_ROOT"
export TABLE_NAME="standing-test"
export MATERIALS_BUCKET="standing-test-materials"
export CERTIFICATES_BUCKET="standing-test-certificates"

ensure_venv
ensure_fonts
started=()
cleanup() { for s in "${started[@]}"; do stop_pidfile "$s"; done; }
trap cleanup EXIT
s="$(start_dynamodb memory)"; [ "$s" != started ] || started+=(dynamodb)
s="$(start_moto)"; [ "$s" != started ] || started+=(moto)
# A fresh test table on every run (the tests expect no earlier run in it).
python infra/local/bootstrap.py --fresh
python infra/local/check_routes.py
cargo test --workspace --all-targets "$@"
# The browser tests (docs/web.md): Chromium through the pages, against the functions on
# the same test table, served by their own cargo lambda watch.
if [ "${STANDING_SKIP_BROWSER:-0}" != 1 ]; then
  bash infra/local/browser.sh
fi
