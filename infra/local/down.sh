#!/usr/bin/env bash
# Stop what infra/local/up.sh started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
stop_pidfile watch
stop_pidfile moto
stop_pidfile dynamodb
echo "local stack stopped"
