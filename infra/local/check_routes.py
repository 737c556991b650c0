"""Check that the local router (Cargo.toml workspace.metadata.lambda.watch.router) and
the template's HttpApi routes are the same set: local URLs must be the deployed URLs.
Also check that the template leaves open (`Auth: {Authorizer: NONE}`) exactly the routes
the OpenAPI document marks public (`security: []`): a public route behind the default
JWT authorizer answers 401 to everyone in AWS, and a private one without it reaches the
function unauthenticated."""

import json
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


def template_public():
    """(path, METHOD) -> whether the template opens the route without the authorizer."""
    out = {}
    for resource in load_template()["Resources"].values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                p = event["Properties"]
                auth = (p.get("Auth") or {}).get("Authorizer")
                out[(p["Path"], p["Method"].upper())] = auth == "NONE"
    return out


def openapi_public():
    with open(os.path.join(ROOT, "docs", "openapi.json"), encoding="utf-8") as f:
        doc = json.load(f)
    default = doc.get("security")
    out = {}
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            security = op.get("security", default)
            out[(path, method.upper())] = security == []
    return out


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
    template, documented = template_public(), openapi_public()
    wrong = [
        (route, public)
        for route, public in sorted(template.items())
        if route in documented and documented[route] != public
    ]
    for (path, method), public in wrong:
        said = "open (Authorizer: NONE)" if public else "behind the JWT authorizer"
        print(f"{method} {path}: the template has it {said}; docs/openapi.json says otherwise")
    if wrong:
        sys.exit(1)
    print(f"routes: {len(t)} in the template and the local router, the same; public ones open")


if __name__ == "__main__":
    main()
