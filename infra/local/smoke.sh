#!/usr/bin/env bash
# The README's curl example, against the running local stack: register a company with
# a fresh credit code, read it back, and check that an anonymous read is refused; then a
# draft, the public notice list, the sweep job, and every function's health route.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
API="http://127.0.0.1:$API_PORT"
CODE="$(python3 - <<'PY'
import secrets
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
body = "91150100" + "".join(secrets.choice(A) for _ in range(9))
s = sum(A.index(c) * w for c, w in zip(body, W))
print(body + A[(31 - s % 31) % 31])
PY
)"
TOKEN="$(python3 "$STANDING_ROOT/infra/local/mint_token.py" applicant --org "$CODE")"
status=$(curl -sS -o /tmp/standing-smoke.json -w '%{http_code}' -X POST "$API/v1/organizations" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d "{\"code\":\"$CODE\",\"name\":\"北京示例安防科技有限公司\",\"address\":\"北京市海淀区中关村大街1号\",\"legal_representative\":{\"name\":\"张三\"},\"contact\":{\"name\":\"李四\",\"phone\":\"010-12345678\"},\"established_on\":\"2010-03-02\"}")
[ "$status" = 201 ] || { echo "register: HTTP $status"; cat /tmp/standing-smoke.json; exit 1; }
status=$(curl -sS -o /tmp/standing-smoke.json -w '%{http_code}' "$API/v1/organizations/$CODE" -H "Authorization: Bearer $TOKEN")
[ "$status" = 200 ] && grep -q "$CODE" /tmp/standing-smoke.json || { echo "read back: HTTP $status"; cat /tmp/standing-smoke.json; exit 1; }
status=$(curl -sS -o /dev/null -w '%{http_code}' "$API/v1/organizations/$CODE")
[ "$status" = 401 ] || { echo "anonymous read: HTTP $status, expected 401"; exit 1; }
# An application draft, the public notice list, and a job through the Invoke API that
# cargo lambda watch serves (as the functions invoke each other locally).
status=$(curl -sS -o /tmp/standing-smoke.json -w '%{http_code}' -X POST "$API/v1/applications" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"scheme":"capability-grade"}')
[ "$status" = 201 ] && grep -q '"status":"draft"' /tmp/standing-smoke.json || { echo "create application: HTTP $status"; cat /tmp/standing-smoke.json; exit 1; }
status=$(curl -sS -o /tmp/standing-smoke.json -w '%{http_code}' "$API/v1/notices")
[ "$status" = 200 ] && grep -q '"open"' /tmp/standing-smoke.json || { echo "public notices: HTTP $status"; cat /tmp/standing-smoke.json; exit 1; }
status=$(curl -sS -o /tmp/standing-smoke.json -w '%{http_code}' -X POST \
  "$API/2015-03-31/functions/publication/invocations" --data-binary @"$STANDING_ROOT/infra/events/sweep-notices.json")
[ "$status" = 200 ] && grep -q '"closed"' /tmp/standing-smoke.json || { echo "sweep job: HTTP $status"; cat /tmp/standing-smoke.json; exit 1; }
for fn in intake review publication certificate credit; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' "$API/v1/health/$fn")
  [ "$status" = 200 ] || { echo "health $fn: HTTP $status"; exit 1; }
done
echo "smoke ok: registered $CODE, read it back, anonymous read refused, draft application, public notices, sweep job, five health routes"
