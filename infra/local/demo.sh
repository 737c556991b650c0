#!/usr/bin/env bash
# One capability-grade application (seed 000) from registration to a downloadable
# certificate, against the running local stack (infra/local/up.sh), printing each step:
# register a fresh company, the association's staff add its membership, draft, upload
# the evidence through the presigned PUTs, declare 85 points, submit, the automated
# review (run by the watcher through the Lambda Invoke API), staff checks, the public
# notice, the local clock moved past the notice window, the notice sweep, the clock
# reset, and the certificate PDF downloaded into .local/demo-certificate.pdf and read
# back with pdftotext. Exits non-zero on the first failure. Takes well under a minute.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STANDING_ROOT"
ensure_venv
command -v pdftotext >/dev/null || {
  echo "ERROR: pdftotext is missing: apt-get install poppler-utils" >&2; exit 1
}
curl -fsS -m 10 -o /dev/null "http://127.0.0.1:$API_PORT/v1/health/intake" 2>/dev/null || {
  echo "ERROR: the local stack does not answer on 127.0.0.1:$API_PORT: run infra/local/up.sh first" >&2; exit 1
}
# Whatever happens, leave the stack's clock at real time.
trap 'bash "$STANDING_ROOT/infra/local/clock.sh" reset >/dev/null' EXIT
run_demo() { "$STANDING_VENV/bin/python" "$STANDING_ROOT/infra/local/demo.py" "$@"; }
run_demo "$@"
