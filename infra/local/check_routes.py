"""Check that the local router (Cargo.toml workspace.metadata.lambda.watch.router) and
the template's HttpApi routes are the same set: local URLs must be the deployed URLs."""

import os
import sys
import tomllib

from bootstrap import ROOT, load_template


def template_routes():
    routes = set()
    for logical, resource in load_template()["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        function = resource["Properties"]["CodeUri"].rstrip("/").split("/")[-1]
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                p = event["Properties"]
                routes.add((p["Path"], p["Method"].upper(), function))
    return routes


def router_routes():
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        cargo = tomllib.load(f)
    router = cargo["workspace"]["metadata"]["lambda"]["watch"]["router"]
    routes = set()
    for path, target in router.items():
        for entry in target:
            routes.add((path, entry["method"].upper(), entry["function"]))
    return routes


def main():
    t, r = template_routes(), router_routes()
    if t != r:
        for x in sorted(t - r):
            print("in the template, not in the local router:", x)
        for x in sorted(r - t):
            print("in the local router, not in the template:", x)
        sys.exit(1)
    print(f"routes: {len(t)} in the template and the local router, the same")


if __name__ == "__main__":
    main()
