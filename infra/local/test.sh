#!/usr/bin/env bash
# Run the whole test suite: unit, property and integration tests, the integration tests
# against moto's server on loopback (started here if it is not running, and stopped
# again afterwards if this script started it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$STANDING_ROOT"

ensure_venv
started="$(start_moto)"
if [ "$started" = started ]; then trap 'stop_pidfile moto' EXIT; fi
python infra/local/bootstrap.py
python infra/local/check_routes.py
cargo test --workspace --all-targets "$@"
