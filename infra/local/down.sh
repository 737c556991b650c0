#!/usr/bin/env bash
# Stop what infra/local/up.sh started. The table's data stays on disk in
# .local/dynamodb-data and is there again at the next up.sh (S3 objects and schedules
# are not: moto keeps them in memory). `down.sh --wipe` also deletes that data.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
wipe=no
case "${1:-}" in
  "") ;;
  --wipe) wipe=yes ;;
  *) echo "usage: $0 [--wipe]" >&2; exit 2 ;;
esac
stop_pidfile watch
stop_pidfile moto
stop_pidfile dynamodb
echo "local stack stopped"
if [ "$wipe" = yes ] && [ -d "$DYNAMODB_DATA" ]; then
  # Only when no DynamoDB Local holds the data directory's lock (one started on another
  # DYNAMODB_PORT from this checkout still uses it).
  if ! flock -n "$DYNAMODB_DATA/.lock" true; then
    echo "ERROR: a DynamoDB Local (port $(cat "$DYNAMODB_DATA/.port" 2>/dev/null || echo '?')) still uses $DYNAMODB_DATA; run down.sh --wipe with its DYNAMODB_PORT" >&2
    exit 1
  fi
  rm -rf "$DYNAMODB_DATA"
  echo "local data wiped ($DYNAMODB_DATA)"
fi
