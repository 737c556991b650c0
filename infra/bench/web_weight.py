"""Page weight and time to first render of the browser front end on a throttled line.

Chromium (Debian's, driven by Playwright) loads each public page with an empty cache
under DevTools network throttling (CDP Network.emulateNetworkConditions) and reports:
bytes transferred (every response, headers included: encodedDataLength), requests,
first contentful paint, and when the page's data is on screen (its list or card
appears). Results and the command: docs/bench/web.md.

    python infra/bench/web_weight.py --base http://127.0.0.1:9350 [--code CODE] [--serial SERIAL]
"""

import argparse
import json
import statistics
import urllib.request

from playwright.sync_api import sync_playwright

PROFILES = {
    # Chrome DevTools' presets: "Slow 3G" and "Fast 3G" (latency ms, throughput bytes/s).
    "slow-3g": {"latency": 2000, "down": 500 * 1024 // 8, "up": 500 * 1024 // 8},
    "fast-3g": {"latency": 563, "down": 1.44 * 1024 * 1024 / 8, "up": 675 * 1024 / 8},
}
TOKEN_KEY = "standing.token"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def measure(browser, url, ready, profile, width, token=None):
    ctx = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    if token:
        # Signed in: the token where the site keeps it (sessionStorage), before any script.
        ctx.add_init_script(f"sessionStorage.setItem({json.dumps(TOKEN_KEY)}, {json.dumps(token)})")
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    p = PROFILES[profile]
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": p["latency"],
        "downloadThroughput": p["down"], "uploadThroughput": p["up"]})
    sizes = []
    cdp.on("Network.loadingFinished", lambda e: sizes.append(e["encodedDataLength"]))
    page.goto(url, wait_until="load", timeout=120_000)
    fcp = page.evaluate("() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
    page.wait_for_selector(ready, timeout=120_000)
    shown = page.evaluate("() => performance.now()")
    page.wait_for_load_state("networkidle", timeout=120_000)
    ctx.close()
    return sum(sizes), len(sizes), fcp, shown


def dev_token(base, claims):
    """A development token from the local stack's /dev/token (STANDING_AUTH_MODE=dev-key)."""
    req = urllib.request.Request(base + "/dev/token", data=json.dumps(claims).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.loads(r.read())["token"]


def main():
    a = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--base", required=True)
    a.add_argument("--code", help="credit code of a registered company (company page)")
    a.add_argument("--serial", help="a certificate serial (verification page)")
    a.add_argument("--staff", help="also the staff console, signed in as staff of this authority (development token)")
    a.add_argument("--only", help="measure only this page path (e.g. /portal)")
    a.add_argument("--runs", type=int, default=3)
    args = a.parse_args()
    pages = [("/", "#search-form", None), ("/notices", "#notices h2", None), ("/signin", "#dev-form button", None)]
    if args.code:
        pages.append((f"/companies/{args.code}", "#company h2", None))
        # The portal of that company, signed in (the largest script).
        pages.append(("/portal", "#new-application", dev_token(args.base, {"role": "applicant", "org_code": args.code})))
    if args.serial:
        pages.append((f"/certificates/{args.serial}", "#certificate .card", None))
    if args.staff:
        pages.append(("/console", "#console h2", dev_token(args.base, {"role": "staff", "authority": args.staff})))
    if args.only:
        pages = [p for p in pages if p[0] == args.only]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        print("| page | profile | width | bytes | requests | first contentful paint (ms, median) | data on screen (ms, median) |")
        print("|---|---|---|---|---|---|---|")
        for path, ready, token in pages:
            for profile in PROFILES:
                for width in (390, 1280):
                    runs = [measure(browser, args.base + path, ready, profile, width, token) for _ in range(args.runs)]
                    size, count = runs[-1][0], runs[-1][1]
                    fcp = statistics.median(r[2] for r in runs if r[2] is not None)
                    shown = statistics.median(r[3] for r in runs)
                    shown_path = path if not args.code else path.replace(args.code, "{code}")
                    if args.serial:
                        shown_path = shown_path.replace(args.serial, "{serial}")
                    print(f"| `{shown_path}` | {profile} | {width} | {size:,} | {count} | {fcp:.0f} | {shown:.0f} |")
        browser.close()


if __name__ == "__main__":
    main()
