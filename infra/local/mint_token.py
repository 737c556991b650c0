"""Mint a development JWT for the local stack (HS256 with STANDING_DEV_JWT_SECRET).

    python3 infra/local/mint_token.py staff --authority nmg-security-association
    python3 infra/local/mint_token.py applicant --org 91110108551385082Q
    python3 infra/local/mint_token.py expert

Only the local stack accepts these; deployed stacks verify real identity-provider
tokens in API Gateway.
"""

import argparse
import base64
import hashlib
import hmac
import json
import os
import time


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(claims: dict, secret: str) -> str:
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("role", choices=["applicant", "staff", "expert"])
    p.add_argument("--org", help="credit code the applicant acts for")
    p.add_argument("--authority", help="authority a staff member works for")
    p.add_argument("--sub", default=None, help="subject (user id)")
    p.add_argument("--hours", type=float, default=8)
    a = p.parse_args()
    if a.role == "applicant" and not a.org:
        p.error("applicant tokens need --org")
    if a.role == "staff" and not a.authority:
        p.error("staff tokens need --authority")
    now = int(time.time())
    claims = {
        "sub": a.sub or f"local-{a.role}",
        "role": a.role,
        "iss": "standing-local",
        "aud": "standing",
        "iat": now,
        "exp": now + int(a.hours * 3600),
    }
    if a.org:
        claims["org_code"] = a.org
    if a.authority:
        claims["authority"] = a.authority
    secret = os.environ.get("STANDING_DEV_JWT_SECRET", "standing-local-development-key-not-for-production")
    print(mint(claims, secret))


if __name__ == "__main__":
    main()
