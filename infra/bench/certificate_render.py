"""Cold start, first render, warm renders and peak memory of the certificate function.

It plays the Lambda Runtime API on loopback (like infra/bench/coldstart.py), starts the
release `certificate` binary with AWS_LAMBDA_RUNTIME_API pointing here, and feeds it a
queue of events through `GET /runtime/invocation/next`:

  1. the first event (a render job, or the public verification page with --first verify),
  2. `--warm` render jobs of other, not yet rendered certificates,
  3. `--again` render jobs of an already rendered version (the idempotent path).

Timed per run:
  init   = process start -> its first `GET .../next` (Lambda's Init Duration: SDK set-up,
           DynamoDB and S3 priming; the font is loaded by the first render, not here),
  first  = first event handed over -> its response posted,
  warm   = each later render job, handed over -> response posted (includes the DynamoDB
           Query, the S3 PUT and the TransactWriteItems against moto on loopback),
  peak   = VmHWM of the process after all events (peak resident set).

Every certificate is a fresh record written to the local table first (boto3), so each
render job really renders. Needs moto running and the local stack's environment:

    source infra/local/env.sh && ensure_venv && start_dynamodb && start_moto && python infra/local/bootstrap.py
    cargo build --release -p standing-certificate --bin certificate
    shared/certificate-pdf/package-fonts.sh /tmp/standing-fonts
    python infra/bench/certificate_render.py --binary target/release/certificate \
        --fonts /tmp/standing-fonts --runs 10 --warm 30

Prints a Markdown table (docs/bench/certificates.md).
"""

import argparse
import json
import os
import queue
import secrets
import statistics
import subprocess
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
ORG = "91110108551385082Q"


def serial():
    return "NMGAF-2026-" + "".join(secrets.choice(CROCKFORD) for _ in range(16))


def ulid():
    ms = int(time.time() * 1000)
    n = (ms << 80) | secrets.randbits(80)
    return "".join(CROCKFORD[(n >> (5 * i)) & 31] for i in reversed(range(26)))


def seed(ddb, table):
    """A valid capability-grade certificate, stored the way the store writes it."""
    s = serial()
    now = datetime(2026, 12, 1, 2, 0, 0, tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
    item = {
        "PK": {"S": f"CERT#{s}"}, "SK": {"S": "CERT"}, "entity_type": {"S": "certificate"},
        "GSI1PK": {"S": f"ORG#{ORG}"}, "GSI1SK": {"S": f"CERT#capability-grade#2026-12-01#{s}"},
        "serial": {"S": s}, "scheme": {"S": "capability-grade"}, "scheme_version": {"S": "2024-01-01"},
        "authority": {"S": "nmg-security-association"},
        "authority_name": {"S": "内蒙古自治区公共安全技术防范行业协会"},
        "title": {"S": "服务能力等级证书"}, "org": {"S": ORG},
        "company_name": {"S": "呼和浩特市青城智能安防工程有限公司"},
        "level_code": {"S": "2"}, "level_label": {"S": "二级"},
        "issued_on": {"S": "2026-12-01"}, "valid_until": {"S": "2027-06-30"},
        "status": {"S": "valid"}, "application_id": {"S": ulid()},
        "created_at": {"S": now}, "updated_at": {"S": now}, "version": {"N": "1"},
    }
    ddb.put_item(TableName=table, Item=item)
    return s


def render_job(s):
    return {"job": "render", "serial": s, "version": 1}


def verify_event(s):
    path = f"/v1/certificates/{s}/verify"
    route = "GET /v1/certificates/{serial}/verify"
    return {
        "version": "2.0", "routeKey": route, "rawPath": path, "rawQueryString": "",
        "headers": {"host": "localhost"},
        "requestContext": {"http": {"method": "GET", "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "bench"},
                           "requestId": "bench", "routeKey": route, "stage": "$default", "timeEpoch": 0,
                           "accountId": "123456789012", "apiId": "bench", "domainName": "localhost", "domainPrefix": "localhost", "time": "23/Nov/2026:00:00:00 +0000"},
        "isBase64Encoded": False,
    }


class Runtime:
    def __init__(self, events):
        self.events = queue.Queue()
        for e in events:
            self.events.put(e)
        self.first_next = None
        self.handed = {}
        self.results = {}
        self.done = threading.Event()
        self.stop = threading.Event()
        self.total = len(events)
        self.lock = threading.Lock()


def make_handler(rt):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if not self.path.endswith("/runtime/invocation/next"):
                self.send_response(404)
                self.end_headers()
                return
            with rt.lock:
                if rt.first_next is None:
                    rt.first_next = time.perf_counter()
            try:
                idx, event = rt.events.get_nowait()
            except queue.Empty:
                # Hold the poll (the process stays alive, idle) until measured.
                rt.stop.wait(60)
                self.send_response(500)
                self.end_headers()
                return
            body = json.dumps(event).encode()
            rt.handed[idx] = time.perf_counter()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", f"bench-{idx}")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:cn-north-1:123456789012:function:certificate")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            payload = self.rfile.read(length)
            now = time.perf_counter()
            parts = self.path.split("/")
            # /2018-06-01/runtime/invocation/bench-<idx>/response|error
            if "invocation" in parts:
                idx = int(parts[parts.index("invocation") + 1].split("-")[1])
                rt.results[idx] = (now, parts[-1], payload)
                if len(rt.results) == rt.total:
                    rt.done.set()
            else:
                rt.results[-1] = (now, "init-error", payload)
                rt.done.set()
            self.send_response(202)
            self.end_headers()

    return Handler


def peak_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def run_once(binary, fonts, first, warm, again, ddb, table):
    serials = [seed(ddb, table) for _ in range(1 + warm)]
    events = [verify_event(serials[0]) if first == "verify" else render_job(serials[0])]
    events += [render_job(s) for s in serials[1:]]
    events += [render_job(serials[-1])] * again
    rt = Runtime(list(enumerate(events)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(rt))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server.server_address[1]}",
        "AWS_LAMBDA_FUNCTION_NAME": "certificate",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_LAMBDA_LOG_GROUP_NAME": "bench",
        "RUST_LOG": "warn",
        "STANDING_FONT_DIR": fonts,
    })
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL,
                            stderr=open("/tmp/certificate-bench-stderr.log", "ab"))
    ok = rt.done.wait(120)
    peak = peak_kib(proc.pid) if proc.poll() is None else 0
    rt.stop.set()
    proc.kill()
    proc.wait()
    server.shutdown()
    server.server_close()
    if not ok or -1 in rt.results:
        raise RuntimeError(f"no complete run: {rt.results.get(-1)}")
    times = [(rt.results[i][0] - rt.handed[i]) * 1000 for i in range(len(events))]
    kinds = [rt.results[i][1] for i in range(len(events))]
    if any(k != "response" for k in kinds):
        raise RuntimeError(f"an event failed: {[rt.results[i][2][:200] for i in range(len(events)) if kinds[i] != 'response']}")
    outs = [json.loads(rt.results[i][2]) for i in range(len(events))]
    sizes = [o["bytes"] for o in outs if isinstance(o, dict) and o.get("status") == "rendered"]
    # Sign + QR + layout + PDF export inside the function, without storage.
    render_ms = [o["render_ms"] if isinstance(o, dict) and o.get("status") == "rendered" else None for o in outs]
    statuses = [o.get("status") if isinstance(o, dict) else None for o in outs]
    assert all(s == "already-rendered" for s in statuses[1 + warm:]), statuses
    init = (rt.first_next - start) * 1000
    first_render_ms = render_ms[0]
    warm_render_ms = [r for r in render_ms[1:1 + warm] if r is not None]
    return init, times[0], times[1:1 + warm], times[1 + warm:], peak, sizes, first_render_ms, warm_render_ms


def med(xs):
    return statistics.median(xs)


def p90(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="target/release/certificate")
    ap.add_argument("--fonts", required=True, help="directory with the packaged font")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warm", type=int, default=30)
    ap.add_argument("--again", type=int, default=10)
    args = ap.parse_args()
    # The table is in DynamoDB Local (AWS_ENDPOINT_URL_DYNAMODB), S3 in moto.
    endpoint = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ["AWS_ENDPOINT_URL"]
    table = os.environ["TABLE_NAME"]
    ddb = boto3.client("dynamodb", endpoint_url=endpoint)

    for first in ["render", "verify"]:
        inits, firsts, warms, agains, peaks, sizes = [], [], [], [], [], []
        first_renders, warm_renders = [], []
        for _ in range(args.runs):
            i, f, w, a, p, s, fr, wr = run_once(args.binary, args.fonts, first, args.warm, args.again, ddb, table)
            if fr is not None:
                first_renders.append(fr)
            warm_renders += wr
            inits.append(i)
            firsts.append(f)
            warms += w
            agains += a
            peaks.append(p)
            sizes += s
        print(f"### first event: {first} ({args.runs} cold starts, {len(warms)} warm renders)")
        print()
        print("| measure | median | p90 | min | max |")
        print("|---|---:|---:|---:|---:|")
        rows = [
            ("init (process start -> first /next), ms", inits),
            (f"first event ({first}), ms", firsts),
            (f"init + first {first}, ms", [a + b for a, b in zip(inits, firsts)]),
        ]
        if first_renders:
            rows += [
                ("first render in process (sign + QR + layout + PDF), ms", first_renders),
                ("init + first render in process, ms", [a + b for a, b in zip(inits, first_renders)]),
            ]
        rows += [
            ("warm render in process (sign + QR + layout + PDF), ms", warm_renders),
            ("warm render job end to end (with moto I/O), ms", warms),
            ("warm render job, version already rendered, ms", agains),
            ("peak RSS after all events, MiB", [p / 1024 for p in peaks]),
            ("PDF size, bytes", sizes),
        ]
        for name, xs in rows:
            print(f"| {name} | {med(xs):.1f} | {p90(xs):.1f} | {min(xs):.1f} | {max(xs):.1f} |")
        print()


if __name__ == "__main__":
    main()
