"""Measure each function's init time and binary size next to a hello-world lambda_http
function built the same way.

It plays the Lambda Runtime API on loopback: starts a function's `bootstrap` with
AWS_LAMBDA_RUNTIME_API pointing here, and times
  init  = process start -> the function's first `GET /runtime/invocation/next`
          (what Lambda reports as Init Duration: includes SDK set-up and priming),
  first = that event handed over -> its response posted (first invocation).
Every function gets its health-check event (`GET /v1/health/<fn>`). Run from the repo
root with the local stack's moto running (the intake function primes its DynamoDB
connection against it):

    cargo lambda build --release            # x86_64 (runs here), zig toolchain
    python3 infra/bench/coldstart.py [--runs 20]

Prints a Markdown table; results go to docs/bench/cold-start.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FUNCTIONS = ["hello", "intake", "review", "publication", "certificate", "credit"]


class Runtime:
    def __init__(self):
        self.event = None
        self.first_next = None
        self.responded = None
        self.done = threading.Event()
        self.served = False


STATE = Runtime()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.endswith("/runtime/invocation/next"):
            if STATE.first_next is None:
                STATE.first_next = time.perf_counter()
            if STATE.served:
                # Hold the second poll until the process is killed.
                STATE.done.wait(5)
                self.send_response(500)
                self.end_headers()
                return
            STATE.served = True
            STATE.handed = time.perf_counter()
            body = json.dumps(STATE.event).encode()
            self.send_response(200)
            self.send_header("Lambda-Runtime-Aws-Request-Id", "bench-request")
            self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000))
            self.send_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:cn-north-1:123456789012:function:bench")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        STATE.responded = time.perf_counter()
        self.send_response(202)
        self.end_headers()
        STATE.done.set()


def event(function):
    path = f"/v1/health/{function}"
    return {
        "version": "2.0", "routeKey": f"GET {path}", "rawPath": path, "rawQueryString": "",
        "headers": {"host": "localhost"},
        "requestContext": {"http": {"method": "GET", "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "bench"},
                           "requestId": "bench", "routeKey": f"GET {path}", "stage": "$default", "timeEpoch": 0,
                           "accountId": "123456789012", "apiId": "bench", "domainName": "localhost", "domainPrefix": "localhost", "time": "23/Nov/2026:00:00:00 +0000"},
        "isBase64Encoded": False,
    }


def run_once(binary, function):
    """One cold start, against a Runtime API server of its own (no state shared
    between runs)."""
    global STATE
    STATE = Runtime()
    STATE.event = event(function)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
        "AWS_LAMBDA_FUNCTION_NAME": function,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_LOG_STREAM_NAME": "bench",
        "AWS_LAMBDA_LOG_GROUP_NAME": "bench",
        "RUST_LOG": "warn",
    })
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=open("/tmp/coldstart-stderr.log", "ab"))
    ok = STATE.done.wait(10)
    proc.kill()
    proc.wait()
    server.shutdown()
    server.server_close()
    if not ok or STATE.first_next is None:
        raise RuntimeError(f"{function}: no response")
    return (STATE.first_next - start) * 1000, (STATE.responded - STATE.handed) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--dir", default="target/lambda")
    args = ap.parse_args()
    print("| function | binary (bytes) | init median (ms) | init p90 (ms) | first invoke median (ms) |")
    print("|---|---:|---:|---:|---:|")
    for function in FUNCTIONS:
        binary = os.path.join(args.dir, function, "bootstrap")
        if not os.path.exists(binary):
            print(f"| {function} | (not built) | | | |")
            continue
        inits, firsts = [], []
        for _ in range(args.runs):
            i, f = run_once(binary, function)
            inits.append(i)
            firsts.append(f)
        inits.sort()
        p90 = inits[int(len(inits) * 0.9) - 1]
        print(f"| {function} | {os.path.getsize(binary)} | {statistics.median(inits):.1f} | {p90:.1f} | {statistics.median(firsts):.2f} |")


if __name__ == "__main__":
    sys.exit(main())
