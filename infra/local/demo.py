"""The local demo driven by infra/local/demo.sh (which sets the environment, checks the
stack and resets the clock at the end): one capability-grade application from
registration to a downloadable certificate, each step printed. Exits non-zero on the
first failure. Talks only to the running stack on loopback."""

import datetime
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mint_token import mint  # noqa: E402

ROOT = os.environ["STANDING_ROOT"]
API = f"http://127.0.0.1:{os.environ['API_PORT']}"
SECRET = os.environ["STANDING_DEV_JWT_SECRET"]
ASSOC = "nmg-security-association"
NAME = "内蒙古北疆安防科技有限公司"
PDF_OUT = os.path.join(os.environ["STANDING_STATE"], "demo-certificate.pdf")
T0 = time.monotonic()

# Eligibility facts of article 9 with evidence, the human checks they lead to, and point
# items adding up to 85 (grade 2) under the default point table
# (tests/tests/capability_grade.rs, docs/capability-grade.md).
EVIDENCED_FACTS = [
    "has_equipment",
    "has_management_systems",
    "staff_trained",
    "projects_inspected_accepted",
    "industry_contribution",
]
ITEMS_85 = [
    ("basic.registered-capital", 5),
    ("basic.years-in-business", 10),
    ("basic.qualifications", 5),
    ("management.certified-systems", 3),
    ("management.revenue", 10),
    ("management.tax-social-security", 3),
    ("performance.projects", 8),
    ("performance.large-projects", 5),
    ("social.honours", 1),
    ("social.client-praise", 1),
]


class Failed(Exception):
    pass


def step(n, text):
    print(f"[{time.monotonic() - T0:5.1f}s] {n:>2}. {text}", flush=True)


def fresh_code():
    """A valid GB 32100-2015 unified social credit code, new each run."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    body = "91150100" + "".join(secrets.choice(alphabet) for _ in range(9))
    s = sum(alphabet.index(c) * w for c, w in zip(body, weights))
    return body + alphabet[(31 - s % 31) % 31]


def token(claims):
    now = int(time.time())
    base = {"iss": "standing-local", "aud": "standing", "iat": now, "exp": now + 3600}
    return mint({**base, **claims}, SECRET)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(method, path, tok=None, body=None, headers=None, expect=(200,)):
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    req = urllib.request.Request(API + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if tok:
        req.add_header("Authorization", f"Bearer {tok}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with OPENER.open(req, timeout=60) as r:
            status, raw, hdrs = r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        status, raw, hdrs = e.code, e.read(), e.headers
    if status not in expect:
        raise Failed(f"{method} {path}: HTTP {status}, expected {expect}: {raw.decode(errors='replace')[:800]}")
    ctype = hdrs.get("Content-Type", "")
    parsed = json.loads(raw) if raw and "json" in ctype else raw
    return status, parsed, hdrs


def upload(app, applicant, evidence_for):
    pdf = f"%PDF-1.4 evidence for {evidence_for}".encode()
    _, b, _ = call(
        "POST",
        f"/v1/applications/{app}/materials",
        applicant,
        {
            "evidence_for": evidence_for,
            "file_name": "证明材料.pdf",
            "content_type": "application/pdf",
            "size_bytes": len(pdf),
        },
        expect=(201,),
    )
    req = urllib.request.Request(b["upload"]["url"], data=pdf, method="PUT")
    req.add_header("Content-Type", "application/pdf")
    with urllib.request.urlopen(req, timeout=30) as r:
        if r.status != 200:
            raise Failed(f"presigned PUT for {evidence_for}: HTTP {r.status}")
    return b["material"]["id"]


def wait_for(app, applicant, leave, timeout=45):
    """Poll the application until its status is no longer in `leave`."""
    deadline = time.monotonic() + timeout
    while True:
        _, a, _ = call("GET", f"/v1/applications/{app}", applicant)
        if a["status"] not in leave:
            return a
        if time.monotonic() > deadline:
            raise Failed(f"application {app} still {a['status']} after {timeout}s (is the review function running? see .local/watch.log)")
        time.sleep(0.3)


def main():
    code = fresh_code()
    applicant = token({"sub": "demo-applicant", "role": "applicant", "org_code": code})
    staff = token({"sub": "demo-staff", "role": "staff", "authority": ASSOC})

    step(1, f"register {NAME} ({code})")
    call(
        "POST",
        "/v1/organizations",
        applicant,
        {
            "code": code,
            "name": NAME,
            "address": "呼和浩特市新城区新华大街1号",
            "legal_representative": {"name": "张三"},
            "contact": {"name": "李四", "phone": "0471-1234567"},
            "established_on": "2012-03-02",
        },
        expect=(201,),
    )

    step(2, f"staff of {ASSOC} add its membership (since 2019-01-01)")
    call(
        "POST",
        f"/v1/organizations/{code}/memberships",
        staff,
        {"since": "2019-01-01"},
        expect=(201,),
    )

    step(3, "create a capability-grade draft")
    _, b, _ = call("POST", "/v1/applications", applicant, {"scheme": "capability-grade"}, expect=(201,))
    app = b["id"]
    print(f"        application {app}: {b['status']}")

    step(4, f"announce and upload {len(EVIDENCED_FACTS) + len(ITEMS_85)} materials through presigned PUTs")
    facts = {
        "major_quality_accident_2y": {"value": False},
        "bad_conduct_record": {"value": False},
    }
    for f in EVIDENCED_FACTS:
        facts[f] = {"value": True, "evidence": [upload(app, applicant, f)]}
    items = [
        {"item": item, "quantity": qty, "evidence": [upload(app, applicant, item)]}
        for item, qty in ITEMS_85
    ]

    step(5, f"declare the article-9 facts and {len(ITEMS_85)} point items (85 points)")
    call("PUT", f"/v1/applications/{app}/declaration", applicant, {"facts": facts, "items": items})

    step(6, "submit")
    _, b, _ = call(
        "POST",
        f"/v1/applications/{app}/submit",
        applicant,
        headers={"Idempotency-Key": f"demo-submit-{app}"},
        expect=(202,),
    )
    print(f"        {b['status']}")

    step(7, "wait for the automated review (review function, invoked through the Lambda Invoke API)")
    a = wait_for(app, applicant, {"submitted"})
    result = a.get("result") or {}
    print(f"        {a['status']}: {result.get('total')} points, grade {result.get('level_code')}")

    if a["status"] == "staff_check":
        pending = a.get("pending_checks") or []
        step(8, f"staff check {', '.join(pending)}")
        call(
            "POST",
            f"/v1/applications/{app}/checks",
            staff,
            {"checks": [{"rule_id": r, "met": True, "note": "现场核验符合"} for r in pending]},
            expect=(202,),
        )
        a = wait_for(app, applicant, {"submitted", "staff_check"})
    else:
        step(8, "no staff checks asked for")
    if a["status"] != "on_notice":
        raise Failed(f"expected on_notice, got {a['status']}: {json.dumps(a, ensure_ascii=False)[:800]}")
    notice = a["notice_id"]
    _, n, _ = call("GET", f"/v1/notices/{notice}")
    step(9, f"public notice {notice} open, ends on {n.get('ends_on')}")

    # The notice's last day moves past weekends and holidays (民法典 第二百零三条): a
    # fixed number of days is not always past it. Move to the day after its last day.
    ends = datetime.date.fromisoformat(n["ends_on"])
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    days = max((ends - today).days + 1, 1)
    step(10, f"move the local clock {days} days ahead, past the notice's last day (infra/local/clock.sh +{days}d)")
    subprocess.run(["bash", f"{ROOT}/infra/local/clock.sh", f"+{days}d"], check=True)

    step(11, "run the notice sweep (cargo lambda invoke publication)")
    out = subprocess.run(
        [
            "cargo", "lambda", "invoke", "publication",
            "--data-file", f"{ROOT}/infra/events/sweep-notices.json",
            "--invoke-address", "127.0.0.1", "--invoke-port", os.environ["API_PORT"],
        ],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout.strip()
    print(f"        {out}")

    step(12, "reset the clock (infra/local/clock.sh reset)")
    subprocess.run(["bash", f"{ROOT}/infra/local/clock.sh", "reset"], check=True)

    a = wait_for(app, applicant, {"on_notice"}, timeout=10)
    if a["status"] != "approved" or not a.get("certificate_serial"):
        raise Failed(f"expected approved with a certificate, got {a['status']}")
    serial = a["certificate_serial"]
    step(13, f"approved: certificate {serial}")

    step(14, f"GET /v1/certificates/{serial}/pdf, follow the presigned redirect")
    status, _, hdrs = call("GET", f"/v1/certificates/{serial}/pdf", applicant, expect=(302,))
    with urllib.request.urlopen(hdrs["Location"], timeout=60) as r:
        pdf = r.read()
    if not pdf.startswith(b"%PDF"):
        raise Failed(f"the download is not a PDF: {pdf[:40]!r}")
    with open(PDF_OUT, "wb") as f:
        f.write(pdf)
    print(f"        {len(pdf)} bytes -> {os.path.relpath(PDF_OUT, ROOT)}")

    step(15, "read it back with pdftotext")
    text = subprocess.run(["pdftotext", PDF_OUT, "-"], check=True, capture_output=True, text=True).stdout
    if NAME not in text:
        raise Failed(f"pdftotext did not find {NAME} in the certificate:\n{text}")
    if serial not in text.replace(" ", ""):
        raise Failed(f"pdftotext did not find the serial {serial} in the certificate:\n{text}")
    print(f"        company name in the PDF: {NAME}")
    print(f"demo ok in {time.monotonic() - T0:.1f}s: {code} {NAME}, certificate {serial}, {os.path.relpath(PDF_OUT, ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except (Failed, subprocess.CalledProcessError, urllib.error.URLError, KeyError) as e:
        detail = e
        if isinstance(e, subprocess.CalledProcessError):
            detail = f"{e}\n{e.stderr or ''}"
        print(f"demo FAILED: {detail}", file=sys.stderr)
        sys.exit(1)
