"""A stub OpenID Connect provider for the tests: its token, userinfo and JWKS endpoints served over HTTP on
127.0.0.1 from a thread (nothing leaves the machine), ID tokens signed with its own RSA key (RS256).

The provider's sign-in page is played by `authorize()`: given the address /oidc/authenticate/ sent the
browser to, it returns the callback address with a fresh code, as the provider would after the person
signed in there.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "focuspolicy"
CLIENT_SECRET = "stub-client-secret"  # noqa: S105 - the stub's own


def pkce_matches(challenge, verifier):
    """RFC 7636, S256: the challenge is the verifier's SHA-256, base64url without padding."""
    if challenge is None:
        return True
    digest = hashlib.sha256((verifier or "").encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class StubProvider:
    def __init__(self):
        self.key = new_key()
        self.kid = "stub-key-1"
        self.issuer = ""
        # What the next tokens get wrong on purpose (a test sets these to play a forged answer).
        self.sign_with = None  # another private key
        self.nonce_override = None
        self.audience_override = None
        self.userinfo_sub_override = None
        self._codes = {}
        self._access = {}
        self.token_requests = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.issuer = self.url
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def endpoints(self):
        return {
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.url}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.url}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.url}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.url}/certs",
        }

    def authorize(self, authorization_url, claims):
        """The person described by `claims` (sub, email, groups…) signs in at the provider: the address
        the provider sends their browser back to, with a code and the state it was given."""
        query = {name: values[0] for name, values in parse_qs(urlsplit(authorization_url).query).items()}
        assert authorization_url.startswith(f"{self.url}/auth?")
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "claims": dict(claims),
            "nonce": query.get("nonce"),
            "redirect": query["redirect_uri"],
            "challenge": query.get("code_challenge"),
        }
        path = urlsplit(query["redirect_uri"]).path
        return f"{path}?{urlencode({'code': code, 'state': query['state']})}"

    def id_token(self, claims, nonce):
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": self.audience_override or CLIENT_ID,
            "sub": claims["sub"],
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce_override or nonce,
            "email": claims.get("email"),
        }
        key = self.sign_with or self.key
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": self.kid})

    # The endpoints.

    def token(self, form):
        self.token_requests.append(form)
        grant = self._codes.pop(form.get("code"), None)  # a code works once
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant["redirect"]
            or form.get("grant_type") != "authorization_code"
            or not pkce_matches(grant["challenge"], form.get("code_verifier"))
        ):
            return 400, {"error": "invalid_grant"}
        access = secrets.token_urlsafe(16)
        self._access[access] = grant["claims"]
        id_token = self.id_token(grant["claims"], grant["nonce"])
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}

    def userinfo(self, authorization):
        claims = self._access.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {"error": "invalid_token"}
        if self.userinfo_sub_override:
            claims = {**claims, "sub": self.userinfo_sub_override}
        return 200, claims

    def certs(self):
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return 200, {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                if self.path == "/userinfo":
                    self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
                elif self.path == "/certs":
                    self._answer(*provider.certs())
                else:
                    self._answer(404, {"error": "not_found"})

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = {name: values[0] for name, values in parse_qs(body).items()}
                if self.path == "/token":
                    self._answer(*provider.token(form))
                else:
                    self._answer(404, {"error": "not_found"})

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler
