"""Measure each function's init time and binary size next to the baselines built the
same way, in the same run:

  hello           infra/bench/hello: the smallest lambda_http function;
  hello-dynamodb  infra/bench/hello-dynamodb: the same plus what our functions do at
                  start: load the SDK configuration, build a DynamoDB client and prime
                  its connection with one GetItem;
  hello-typst     infra/bench/hello-typst: hello-dynamodb plus typst (it compiles a
                  one-line document to PDF on its first invocation, with the
                  certificate renderer's font loader).

A function that primes DynamoDB at start is compared with hello-dynamodb, any other with
hello (COMPARE below). The certificate function is compared with two: its init with
hello-dynamodb (it loads its font on the first render, not at start), its size with
hello-typst (typst is most of its binary, and rendering is its job); the other ratio
of each is printed too, marked "ref" (for information, not the target).

It plays the Lambda Runtime API on loopback: starts a function's `bootstrap` with
AWS_LAMBDA_RUNTIME_API pointing here, and times
  init  = process start -> the function's first `GET /runtime/invocation/next`
          (what Lambda reports as Init Duration: includes SDK set-up and priming),
  first = that event handed over -> its response posted (first invocation).
Every function gets its health-check event (`GET /v1/health/<fn>`). Runs are
interleaved (run 1 of every binary, then run 2, ...) so that a change in the machine's
load falls on all of them alike. Run from the repo root with the local stack's
DynamoDB Local and moto running and bootstrapped (the functions prime against them;
the environment comes from infra/local/env.sh), each binary built in its own cargo
invocation (features are unified across the packages of one build, which would link
every SDK client into every function):

    source infra/local/env.sh && ensure_venv && start_dynamodb memory && start_moto \
        && python infra/local/bootstrap.py
    for p in hello-lambda hello-dynamodb-lambda hello-typst-lambda standing-intake \
        standing-review standing-publication standing-certificate standing-credit; do
      cargo lambda build --release -p $p            # x86_64 (runs here), zig toolchain
    done
    bash infra/package-certificate.sh               # the font layer the certificate loads
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

FUNCTIONS = ["hello", "hello-dynamodb", "hello-typst", "intake", "review", "publication",
             "certificate", "credit"]

# What each binary is compared with: (baseline, the ratios that are the target's).
# The functions that prime DynamoDB at start (standing_aws::Clients::start, or the
# certificate function's own start) against hello-dynamodb, the others against hello.
# The certificate function renders PDFs with typst, which no cut of ours removes: its
# size is compared with hello-typst, a DynamoDB hello world that links typst, and its
# init with hello-dynamodb (its font is loaded on the first render, as hello-typst's
# is; its start primes DynamoDB and S3). Each row prints both ratios; a ratio that is
# not the target's is marked "ref" and never "(over)".
BOTH = {"size", "init"}
COMPARE = {
    "hello": [],
    "hello-dynamodb": [("hello", BOTH)],
    "hello-typst": [("hello-dynamodb", BOTH)],
    "intake": [("hello-dynamodb", BOTH)],
    "review": [("hello-dynamodb", BOTH)],
    "publication": [("hello-dynamodb", BOTH)],
    "certificate": [("hello-dynamodb", {"init"}), ("hello-typst", {"size"})],
    # The credit function keeps its register in the table and primes it at start.
    "credit": [("hello-dynamodb", BOTH)],
}
BASELINES = {"hello", "hello-dynamodb", "hello-typst"}

# The done-when limits of issue 9: init within 1.2x, binary within 1.5x of the baseline.
INIT_LIMIT = 1.2
SIZE_LIMIT = 1.5


class Runtime:
    def __init__(self):
        self.event = None
        self.first_next = None
        self.responded = None
        self.done = threading.Event()
        self.served = False
        self.response = None


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    # The state of this run is the server's own: a request of the previous run still
    # in flight (its process already killed) cannot touch the next run's state.
    def do_GET(self):
        if self.path.endswith("/runtime/invocation/next"):
            if self.server.state.first_next is None:
                self.server.state.first_next = time.perf_counter()
            if self.server.state.served:
                # Hold the second poll until the process is killed.
                self.server.state.done.wait(5)
                self.send_response(500)
                self.end_headers()
                return
            self.server.state.served = True
            self.server.state.handed = time.perf_counter()
            body = json.dumps(self.server.state.event).encode()
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
        self.server.state.response = self.rfile.read(length)
        self.server.state.responded = time.perf_counter()
        self.send_response(202)
        self.end_headers()
        self.server.state.done.set()


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
    state = Runtime()
    state.event = event(function)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.state = state
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
    ok = state.done.wait(10)
    proc.kill()
    proc.wait()
    server.shutdown()
    server.server_close()
    if not ok or state.first_next is None:
        raise RuntimeError(f"{function}: no response")
    # A function that failed its work (a hello-typst that could not render, a health
    # check that could not reach its table) is not a measurement.
    status = json.loads(state.response or b"{}").get("statusCode")
    if status != 200:
        raise RuntimeError(f"{function}: answered {status}: {state.response[:300]!r}")
    return (state.first_next - start) * 1000, (state.responded - state.handed) * 1000


def percentile(sorted_values, fraction):
    return sorted_values[max(0, int(len(sorted_values) * fraction + 0.5) - 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--dir", default="target/lambda")
    ap.add_argument("--font-dir", default="target/lambda/certificate-font/fonts",
                    help="STANDING_FONT_DIR for the certificate function: the font layer as "
                         "deployed (infra/package-certificate.sh), not the system collection")
    args = ap.parse_args()
    binaries = {}
    for function in FUNCTIONS:
        binary = os.path.join(args.dir, function, "bootstrap")
        if os.path.exists(binary):
            binaries[function] = binary
        else:
            print(f"{function}: {binary} not built", file=sys.stderr)
    if os.path.isdir(args.font_dir):
        os.environ["STANDING_FONT_DIR"] = os.path.abspath(args.font_dir)
    else:
        print(f"{args.font_dir} missing: the certificate function loads STANDING_FONT_DIR="
              f"{os.environ.get('STANDING_FONT_DIR')}", file=sys.stderr)
    inits = {f: [] for f in binaries}
    firsts = {f: [] for f in binaries}
    for run in range(args.runs):
        for function, binary in binaries.items():
            i, f = run_once(binary, function)
            inits[function].append(i)
            firsts[function].append(f)
    stats = {}
    for function in binaries:
        values = sorted(inits[function])
        stats[function] = (os.path.getsize(binaries[function]), statistics.median(values),
                           percentile(values, 0.9), statistics.median(firsts[function]))
    print(f"{args.runs} cold starts per binary, interleaved; "
          f"load average {os.getloadavg()[0]:.1f} at the end.")
    print()
    print("| binary | baseline | size (bytes) | size / baseline | init median (ms) | init p90 (ms) "
          "| init median / baseline | first invoke median (ms) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for function, (size, median, p90, first) in stats.items():
        rows = [(base, kinds) for base, kinds in COMPARE[function] if base in stats]
        for base, kinds in rows or [(None, set())]:
            if base is None:
                size_cell = init_cell = "-"
            else:
                size_cell = ratio_cell(size / stats[base][0], "size" in kinds, SIZE_LIMIT,
                                       function in BASELINES)
                init_cell = ratio_cell(median / stats[base][1], "init" in kinds, INIT_LIMIT,
                                       function in BASELINES)
            print(f"| {function} | {base or '-'} | {size} | {size_cell} | {median:.1f} | "
                  f"{p90:.1f} | {init_cell} | {first:.2f} |")


def ratio_cell(ratio, target, limit, baseline):
    """`1.13x`; `4.53x (over)` past the limit; `4.53x ref` when this baseline is not
    the one the target compares this ratio with. The limits are the functions';
    the baselines' ratios are for information."""
    cell = f"{ratio:.2f}x"
    if not target:
        return cell + " ref"
    if not baseline and ratio > limit:
        return cell + " (over)"
    return cell

if __name__ == "__main__":
    sys.exit(main())
