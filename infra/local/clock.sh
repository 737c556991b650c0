#!/usr/bin/env bash
# The local stack's clock: shift "now" for every running function at once, without
# restarting them (local only: the functions started by up.sh read the offset from
# $STANDING_CLOCK_FILE on every call; deployed stacks never set it).
#
#   infra/local/clock.sh            show the offset and the shifted time
#   infra/local/clock.sh +8d        move 8 days ahead of real time (also +36h, +90m, +30s, -1d)
#   infra/local/clock.sh reset      back to real time
#
# The offset is absolute (relative to real time), not added to the previous one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

show() {
  local s; s="$(cat "$STANDING_CLOCK_FILE" 2>/dev/null || true)"
  s="${s:-0}"
  echo "clock offset: ${s} s; local stack now: $(date -u -d "@$(( $(date +%s) + s ))" '+%Y-%m-%dT%H:%M:%SZ') ($(TZ=Asia/Shanghai date -d "@$(( $(date +%s) + s ))" '+%Y-%m-%d %H:%M') China time)"
}

case "${1:-}" in
  "") show ;;
  reset|0) rm -f "$STANDING_CLOCK_FILE"; show ;;
  *)
    if [[ ! "$1" =~ ^([+-]?)([0-9]+)([dhms]?)$ ]]; then
      echo "usage: $0 [+Nd|+Nh|+Nm|+Ns|-N...|reset]" >&2; exit 2
    fi
    sign="${BASH_REMATCH[1]}"; n="${BASH_REMATCH[2]}"; unit="${BASH_REMATCH[3]:-s}"
    case "$unit" in d) mult=86400 ;; h) mult=3600 ;; m) mult=60 ;; s) mult=1 ;; esac
    seconds=$(( 10#$n * mult ))
    [ "$sign" = - ] && seconds=$(( -seconds ))
    # Write then rename: a function never reads a half-written file.
    printf '%s\n' "$seconds" > "$STANDING_CLOCK_FILE.tmp"
    mv "$STANDING_CLOCK_FILE.tmp" "$STANDING_CLOCK_FILE"
    show
    ;;
esac
