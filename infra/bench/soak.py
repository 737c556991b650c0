"""Soak of the local DynamoDB (DynamoDB Local): N TransactWriteItems, each two
conditional puts of about 2 KB (a new record and its audit event, both
`attribute_not_exists(PK)`, as the store's `Transaction::create` + `audit` write them),
one after the other on loopback. Prints, per window of 1,000 transactions, the latency
percentiles seen by the client and the resident memory (VmRSS) of the DynamoDB Local
process, then checks that a transaction with a failing condition is cancelled and
writes nothing.

    source infra/local/env.sh && ensure_venv && start_dynamodb   # or: start_dynamodb memory
    python infra/bench/soak.py [--count 20000] [--window 1000] [--max-seconds 900]

Writes into its own table (`standing-soak`, created from infra/template.yaml's table,
deleted at the end), so neither the running stack's nor the tests' data is touched.
Bounded: stops after --count transactions or --max-seconds, whichever comes first.
Loopback only: refuses an endpoint that is not 127.0.0.1 or localhost.
"""

import argparse
import os
import statistics
import sys
import time
import urllib.parse

import boto3

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "local"))
from bootstrap import create_table, load_template  # noqa: E402

TABLE = "standing-soak"


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def pct(sorted_ms, p):
    k = max(0, min(len(sorted_ms) - 1, round(p / 100 * (len(sorted_ms) - 1))))
    return sorted_ms[k]


def items(i, pad):
    record = {
        "PK": {"S": f"ORG#SOAK{i:08d}"},
        "SK": {"S": "PROFILE"},
        "GSI1PK": {"S": "ORGS"},
        "GSI1SK": {"S": f"SOAK{i:08d}"},
        "version": {"N": "1"},
        "name": {"S": "内蒙古安全防范技术有限公司"},
        "body": {"S": pad},
    }
    audit = {
        "PK": {"S": f"ORG#SOAK{i:08d}"},
        "SK": {"S": f"AUDIT#{i:026d}"},
        "action": {"S": "organization.registered"},
        "actor": {"S": "applicant"},
        "body": {"S": pad},
    }
    return record, audit


def transact(ddb, record, audit):
    cond = {"ConditionExpression": "attribute_not_exists(#pk)", "ExpressionAttributeNames": {"#pk": "PK"}}
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": record, **cond}},
            {"Put": {"TableName": TABLE, "Item": audit, **cond}},
        ]
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=20000)
    ap.add_argument("--window", type=int, default=1000)
    ap.add_argument("--max-seconds", type=float, default=900)
    ap.add_argument("--pid", type=int, help="DynamoDB Local's pid (default: .local/dynamodb.pid)")
    a = ap.parse_args()

    endpoint = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]
    host = urllib.parse.urlparse(endpoint).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"refusing a non-loopback endpoint: {endpoint}")
    pid = a.pid
    if pid is None:
        with open(os.path.join(os.environ["STANDING_STATE"], "dynamodb.pid")) as f:
            pid = int(f.read().strip())
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        cmdline = f.read()
    if b"DynamoDBLocal.jar" not in cmdline:
        sys.exit(f"pid {pid} is not DynamoDB Local")
    java_args = " ".join(a.decode() for a in cmdline.split(b"\0") if a)

    ddb = boto3.client("dynamodb", endpoint_url=endpoint)
    if TABLE in ddb.list_tables()["TableNames"]:
        ddb.delete_table(TableName=TABLE)
    template = load_template()
    props = next(r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table")
    create_table(ddb, TABLE, props)

    pad = "x" * 1900  # with the keys and attributes: about 2 KB per item
    record, audit = items(0, pad)
    size = sum(len(k) + len(next(iter(v.values()))) for k, v in record.items())
    print(f"endpoint {endpoint}, DynamoDB Local pid {pid}, table {TABLE}")
    print(f"DynamoDB Local: {java_args}")
    print(f"{a.count} transactions of two conditional puts (~{size} bytes each), windows of {a.window}")
    print(f"start: VmRSS {rss_mb(pid):.0f} MB")
    print(f"{'transactions':>13} {'p50 ms':>7} {'p90 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'VmRSS MB':>9}")

    t0 = time.monotonic()
    window = []
    medians, rss = [], []
    done = 0
    for i in range(a.count):
        if time.monotonic() - t0 > a.max_seconds:
            print(f"stopped at the time bound ({a.max_seconds:.0f} s)")
            break
        record, audit = items(i, pad)
        s = time.perf_counter()
        transact(ddb, record, audit)
        window.append((time.perf_counter() - s) * 1000)
        done += 1
        if len(window) == a.window:
            w = sorted(window)
            m = rss_mb(pid)
            medians.append(statistics.median(w))
            rss.append(m)
            print(f"{done:>13} {pct(w, 50):7.2f} {pct(w, 90):7.2f} {pct(w, 95):7.2f} {pct(w, 99):7.2f} {w[-1]:7.2f} {m:9.0f}")
            window = []
    elapsed = time.monotonic() - t0

    # A transaction with one failing condition is cancelled and writes nothing.
    fresh, _ = items(10**9, pad)
    _, clash = items(0, pad)  # its key exists
    try:
        transact(ddb, fresh, clash)
        sys.exit("a transaction with a failing condition went through")
    except ddb.exceptions.TransactionCanceledException as e:
        reasons = [r["Code"] for r in e.response["CancellationReasons"]]
    left = ddb.get_item(TableName=TABLE, Key={"PK": fresh["PK"], "SK": fresh["SK"]}).get("Item")
    if left is not None:
        sys.exit("a cancelled transaction wrote its other item")
    count = ddb.describe_table(TableName=TABLE)["Table"].get("ItemCount")

    print(f"done: {done} transactions in {elapsed:.1f} s ({done / elapsed:.0f}/s)")
    if medians:
        print(
            f"median per window: first {medians[0]:.2f} ms, last {medians[-1]:.2f} ms, "
            f"min {min(medians):.2f}, max {max(medians):.2f}"
        )
        print(f"VmRSS per window: first {rss[0]:.0f} MB, last {rss[-1]:.0f} MB, max {max(rss):.0f} MB")
    print(f"cancelled transaction: reasons {reasons}, nothing written; items in the table: {count}")
    ddb.delete_table(TableName=TABLE)
    print(f"table deleted: VmRSS {rss_mb(pid):.0f} MB")


if __name__ == "__main__":
    main()
