"""Proves, without Docker, that focuspolicy runs on more than one machine: two web servers that share only
PostgreSQL, Redis and an S3-compatible object store serve the same people and the same evidence.

    .venv/bin/python benchmarks/two_machines.py [--admin-url postgres://postgres@127.0.0.1:5432/postgres]
                                                [--redis-url redis://127.0.0.1:6379/9]

It starts moto in server mode on loopback as the object store (it stands in for MinIO or S3) and makes the
bucket; makes a throwaway PostgreSQL database, migrates it and fills it with the demo data (seed_demo);
then starts two gunicorn servers of the project, "web A" and "web B", on two loopback ports, with the
production settings, sessions and cache in Redis (a database number of its own, emptied before and after)
and evidence in the bucket. Each request carries the headers the TLS proxy of docker-compose.yml adds
(X-Forwarded-Proto, X-Forwarded-For), as it would behind Caddy. Then it shows:

1. signing in on web A gives a session that web B accepts: the same cookie opens the home page on B;
2. a concern raised on web A with a screenshot stores the file in the bucket, not on the local disk;
3. web B downloads that file byte for byte, and the audit log records the client's address that the
   proxy passed on; someone without a right to the case gets a 404;
4. if caddy is on PATH (Debian: apt-get install caddy): through deploy/Caddyfile itself, over HTTPS from
   Caddy's local authority, one session is served by both servers in turn, the download streams whole,
   and Caddy's X-Forwarded-For and -Proto replace forged ones (what TRUSTED_PROXY_COUNT=1 and
   SECURE_PROXY_SSL_HEADER rely on);
5. once the person leaves, their session opens nothing on either server.

It prints what it proved, exits 1 if anything did not hold, and always stops its servers and drops its
database. tests/test_two_machines.py runs it on demand: pytest -m scaleout.
"""

import argparse
import io
import logging
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, closing
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg2
import redis
import requests
from cryptography.fernet import Fernet
from moto.server import ThreadedMotoServer
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "focuspolicy-evidence"
# Both web servers seal and open evidence with the same key, as every container in docker-compose.yml does.
EVIDENCE_KEY = Fernet.generate_key().decode()
DEMO_PASSWORD = "focus-demo-2026"  # seed_demo's published password  # noqa: S105
# What the TLS proxy would write in X-Forwarded-For: the address it received the request from.
CLIENT_ADDRESS = "203.0.113.7"
# What a client might send to the real proxy to pass for someone else, or for a secure request.
FORGED = {"X-Forwarded-For": "198.51.100.66", "X-Forwarded-Proto": "http"}


LEAVE = """
from people.models import User
from people.services import person_leave
person_leave(person=User.objects.get(username="{username}"))
"""


class ProofFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise ProofFailed(message)


def say(message):
    print(message, flush=True)


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- The shared services ----------------------------------------------------------------------------------


def start_object_store(stack):
    """moto's S3 in server mode on loopback, with the private evidence bucket made."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    stack.callback(server.stop)
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-2",
        aws_access_key_id="proof",
        aws_secret_access_key="proof",  # noqa: S106 - moto accepts any key
    )
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    return endpoint, s3


def database_url(admin_url, name):
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def make_database(stack, admin_url):
    """A throwaway database, dropped at the end even if its servers still hold connections."""
    name = f"fp_two_machines_{os.getpid()}"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.close()

    stack.callback(drop)
    return database_url(admin_url, name)


def empty_redis_database(stack, redis_url):
    """The Redis database number is the proof's own: emptied before, and after."""
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    client.flushdb()
    stack.callback(client.flushdb)
    return client


# --- The two web servers ----------------------------------------------------------------------------------


def environment(*, database, redis_url, s3_endpoint, media_root):
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="benchmarks.two_machines_settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        EVIDENCE_ENCRYPTION_KEY=EVIDENCE_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://127.0.0.1",
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        # Behind one proxy (Caddy in docker-compose.yml), which sets X-Forwarded-For and -Proto.
        TRUSTED_PROXY_COUNT="1",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME="eu-west-2",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_ACCESS_KEY_ID="proof",
        AWS_SECRET_ACCESS_KEY="proof",  # noqa: S106 - moto accepts any key
        # Evidence must not land here: the proof checks that this folder stays empty.
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
        # Access log lines reach the log file at once: the proxy step counts them.
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args, settings=None):
    if settings:
        env = {**env, "DJANGO_SETTINGS_MODULE": settings}
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise ProofFailed(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def stop_process(process):
    """Stop a process this script started, and its children (it leads a session of its own)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start_web(stack, env, name, logs):
    """One gunicorn server of the project on a loopback port; stopped (its whole group) at the end."""
    port = free_port()
    log = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed by the stack
    stack.callback(log.close)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "focuspolicy.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            # Each request it serves, in its log: the proxy step counts them.
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    stack.callback(stop_process, process)
    web = Browser(f"http://127.0.0.1:{port}", name)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        check(process.poll() is None, f"{name} exited:\n{(logs / f'{name}.log').read_text()[-3000:]}")
        try:
            if web.get("/healthz/").status_code == 200:
                return web
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise ProofFailed(f"{name} did not answer within 90 s:\n{(logs / f'{name}.log').read_text()[-3000:]}")


class Browser:
    """Requests to one web server as a browser behind the TLS proxy would make them.

    The session and CSRF cookies are Secure (production settings), so a cookie jar would not send them over
    the loopback's plain HTTP; the cookies are kept here and sent by hand instead.
    """

    def __init__(self, base, name, forwarded=None, verify=True):
        self.base = base
        self.name = name
        self.host = urlsplit(base).netloc
        self.forwarded = forwarded or {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS}
        self.verify = verify  # per request: a session's verify loses to REQUESTS_CA_BUNDLE
        self.http = requests.Session()

    def _headers(self, cookies, path):
        headers = {
            **self.forwarded,
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{path}",
        }
        if cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
        return headers

    def get(self, path, cookies=None):
        return self.http.get(
            self.base + path,
            headers=self._headers(cookies, path),
            allow_redirects=False,
            timeout=60,
            verify=self.verify,
        )

    def post(self, path, cookies, data, files=None):
        return self.http.post(
            self.base + path,
            headers=self._headers(cookies, path),
            data=data,
            files=files,
            allow_redirects=False,
            timeout=60,
            verify=self.verify,
        )


def cookies_set(response, cookies):
    """The cookies after this response: those it sets added, those it deletes removed."""
    cookies = dict(cookies)
    for header in response.raw.headers.getlist("Set-Cookie"):
        for key, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                cookies.pop(key, None)
            else:
                cookies[key] = morsel.value
    return cookies


def csrf_token(response):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    check(match, f"no CSRF token on {response.url}")
    return match.group(1)


def start_proxy(stack, web_a, web_b, work):
    """Caddy with deploy/Caddyfile in front of both servers, on loopback ports, with a certificate from its
    own local authority; None when there is no caddy on PATH (it is not a Python package)."""
    caddy = shutil.which("caddy")
    if caddy is None:
        return None
    http_port, https_port = free_port(), free_port()
    upstreams = "reverse_proxy web-a:8000 web-b:8000"
    site = (ROOT / "deploy" / "Caddyfile").read_text()
    check(upstreams in site, f"deploy/Caddyfile has no '{upstreams}' to point at the two servers")
    config = work / "Caddyfile"
    config.write_text(
        f"{{\n\tadmin off\n\tskip_install_trust\n\tlocal_certs\n\thttp_port {http_port}\n"
        f"\thttps_port {https_port}\n\tstorage file_system {{\n\t\troot {work / 'caddy'}\n\t}}\n}}\n\n"
        + site.replace(upstreams, f"reverse_proxy {web_a.host} {web_b.host}")
    )
    log = open(work / "proxy.log", "w")  # noqa: SIM115 - closed by the stack
    stack.callback(log.close)
    env = {name: os.environ[name] for name in ("PATH", "LANG") if name in os.environ}
    env.update(SITE_ADDRESS="127.0.0.1", HOME=str(work), XDG_DATA_HOME=str(work), XDG_CONFIG_HOME=str(work))
    process = subprocess.Popen(  # noqa: S603 - caddy from PATH, our own config
        [caddy, "run", "--config", str(config), "--adapter", "caddyfile"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stack.callback(stop_process, process)
    root = work / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    proxy = Browser(f"https://127.0.0.1:{https_port}", "the proxy", forwarded=FORGED, verify=str(root))
    deadline = time.monotonic() + 60
    last = "nothing"
    while time.monotonic() < deadline:
        check(process.poll() is None, f"Caddy exited:\n{(work / 'proxy.log').read_text()[-3000:]}")
        try:
            if root.exists():
                last = proxy.get("/healthz/")
                if last.status_code == 200:
                    return proxy
        except requests.ConnectionError as error:
            last = error
        time.sleep(0.5)
    log_tail = (work / "proxy.log").read_text()[-2000:]
    raise ProofFailed(f"Caddy did not answer within 60 s (last: {last}):\n{log_tail}")


def homes_served(work, name):
    return (work / f"{name}.log").read_text().count('"GET / HTTP/1.1" 200')


def prove_through_proxy(proxy, work, database, download_path, evidence):
    """Through Caddy: one session served by both servers in turn, HTTPS recognised, forged headers ignored."""
    before = {name: homes_served(work, name) for name in ("web A", "web B")}
    cookies = sign_in(proxy, "staff")
    for _ in range(6):
        check(signed_in_home(proxy, cookies), "a signed-in page through the proxy did not open")
    time.sleep(1)  # gunicorn logs a request just after answering it
    served = {name: homes_served(work, name) - before[name] for name in before}
    check(all(served.values()), f"the proxy did not send the session to both servers: {served}")
    download = proxy.get(download_path, cookies)
    check(download.status_code == 200, f"the download through the proxy answered {download.status_code}")
    check(download.content == evidence, "the proxy served other bytes than were uploaded")
    address = last_download_address(database)
    check(address == "127.0.0.1", f"the audit log recorded {address}, not the address Caddy saw")
    return (
        f"through Caddy with deploy/Caddyfile over HTTPS, one session is served by web A ({served['web A']}) "
        f"and web B ({served['web B']}) in turn, and the download streams whole; Caddy replaces a forged "
        f"X-Forwarded-For ({FORGED['X-Forwarded-For']}) and X-Forwarded-Proto, so the audit log records "
        "127.0.0.1 and the request counts as HTTPS"
    )


# --- What is proved ---------------------------------------------------------------------------------------


def sign_in(web, username):
    page = web.get("/accounts/login/")
    check(page.status_code == 200, f"the sign-in page on {web.name} answered {page.status_code}")
    cookies = cookies_set(page, {})
    response = web.post(
        "/accounts/login/",
        cookies,
        {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": DEMO_PASSWORD},
    )
    check(
        response.status_code == 302,
        f"signing in on {web.name} answered {response.status_code}, not a redirect",
    )
    cookies = cookies_set(response, cookies)
    check("sessionid" in cookies, f"signing in on {web.name} set no session cookie")
    return cookies


def signed_in_home(web, cookies):
    response = web.get("/", cookies)
    return response.status_code == 200 and "Log out" in response.text


def screenshot():
    """A PNG of random pixels, a little over 1 MB: unique bytes, and big enough that the download spills
    from memory to a temporary file (max_memory_size in the S3 settings)."""
    noise = random.Random(os.getpid()).randbytes(600 * 600 * 3)  # noqa: S311 - not for security
    buffer = io.BytesIO()
    Image.frombytes("RGB", (600, 600), noise).save(buffer, format="PNG")
    return buffer.getvalue()


def raise_concern(web, cookies, evidence):
    form = web.get("/cases/raise/", cookies)
    check(form.status_code == 200, f"the raise-a-concern page on {web.name} answered {form.status_code}")
    seen_at = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = web.post(
        "/cases/raise/",
        cookies,
        {
            "csrfmiddlewaretoken": csrf_token(form),
            "subject_kind": "public",
            "subject_description": "An account that posted a photograph from the home",
            "platform": "facebook",
            "seen_at": seen_at,
            "description": "A photograph of a resident, posted without consent. Proof of two machines.",
            "route": "supervisor",
        },
        files={"evidence": ("screenshot.png", evidence, "image/png")},
    )
    check(
        response.status_code == 302,
        f"raising the concern on {web.name} answered {response.status_code}:\n{response.text[:2000]}",
    )
    match = re.fullmatch(r"/cases/([^/]+)/", response.headers["Location"])
    check(match, f"raising the concern redirected to {response.headers['Location']}, not to a case")
    return match.group(1)


def last_download_address(database):
    with closing(psycopg2.connect(database)) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT host(ip_address) FROM audit_auditentry WHERE action = 'download' ORDER BY id DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return row and row[0]


def prove(*, admin_url, redis_url):
    proved = []
    with ExitStack() as stack:
        work = Path(tempfile.mkdtemp(prefix="focuspolicy-two-machines-"))
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        media_root = work / "uploads"
        media_root.mkdir()

        say("Starting the shared services: moto's S3 on loopback, a throwaway database, Redis …")
        s3_endpoint, s3 = start_object_store(stack)
        database = make_database(stack, admin_url)
        cache = empty_redis_database(stack, redis_url)
        env = environment(
            database=database, redis_url=redis_url, s3_endpoint=s3_endpoint, media_root=media_root
        )
        say(f"  S3 {s3_endpoint}, bucket {BUCKET}; database {urlsplit(database).path[1:]}; {redis_url}")

        say("Migrating and loading the demo data (seed_demo) …")
        manage(env, "migrate", "--noinput")
        # seed_demo refuses production settings (it makes accounts with a published password).
        manage(env, "seed_demo", settings="focuspolicy.settings.local")
        demo_objects = {item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}

        say("Starting web A and web B (gunicorn, production settings) …")
        web_a = start_web(stack, env, "web A", work)
        web_b = start_web(stack, env, "web B", work)
        say(f"  web A {web_a.base}, web B {web_b.base}")

        check(not signed_in_home(web_b, {}), "web B showed a signed-in home page without a session")
        cookies = sign_in(web_a, "staff")
        check(signed_in_home(web_a, cookies), "web A did not accept its own session")
        check(signed_in_home(web_b, cookies), "web B did not accept the session started on web A")
        session_key = cookies["sessionid"]
        check(
            any(session_key in key.decode() for key in cache.scan_iter("focuspolicy:*")),
            "the session is not in Redis",
        )
        proved.append("a session started on web A is signed in on web B (same cookie, cached in Redis)")

        evidence = screenshot()
        reference = raise_concern(web_a, cookies, evidence)
        stored = [
            item["Key"]
            for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
            if item["Key"] not in demo_objects
        ]
        check(len(stored) == 1, f"expected the one new file in the bucket, found {stored}")
        check(stored[0].startswith(f"evidence/{reference}/"), f"stored as {stored[0]}, not under {reference}")
        in_bucket = s3.get_object(Bucket=BUCKET, Key=stored[0])["Body"].read()
        check(evidence not in in_bucket, "the bucket holds the evidence as it was uploaded, not sealed")
        check(Fernet(EVIDENCE_KEY).decrypt(in_bucket) == evidence, "the bucket holds other bytes, sealed")
        on_disk = [path for path in media_root.rglob("*") if path.is_file()]
        check(not on_disk, f"evidence was written to the local disk: {on_disk}")
        proved.append(
            f"evidence uploaded through web A ({reference}, {len(evidence):,} bytes) is in the bucket, "
            f"sealed, as {stored[0]}, and nothing is on the local disk"
        )

        case_page = web_b.get(f"/cases/{reference}/", cookies)
        check(case_page.status_code == 200, f"the case page on web B answered {case_page.status_code}")
        links = re.findall(rf"/cases/{re.escape(reference)}/evidence/(\d+)/", case_page.text)
        check(links, "the case page on web B lists no evidence")
        download = web_b.get(f"/cases/{reference}/evidence/{links[0]}/", cookies)
        check(download.status_code == 200, f"the download on web B answered {download.status_code}")
        check(download.content == evidence, "web B served other bytes than were uploaded on web A")
        check(
            download.headers.get("Cache-Control") == "private, no-store",
            f"the download's Cache-Control is {download.headers.get('Cache-Control')}",
        )
        address = last_download_address(database)
        check(address == CLIENT_ADDRESS, f"the audit log recorded the download from {address}")
        proved.append(
            "web B downloads it byte for byte through the audited view, and the audit log records "
            f"the client's address that the proxy passed on ({CLIENT_ADDRESS})"
        )

        stranger = sign_in(web_b, "staff2")
        refused = web_b.get(f"/cases/{reference}/evidence/{links[0]}/", stranger)
        check(refused.status_code == 404, f"someone without a right got {refused.status_code} for the file")
        proved.append("someone without a right to the case gets a 404 for the file on web B")

        proxy = start_proxy(stack, web_a, web_b, work)
        if proxy is None:
            say("  (no caddy on PATH: the step through the TLS proxy is left out)")
        else:
            download_path = f"/cases/{reference}/evidence/{links[0]}/"
            proved.append(prove_through_proxy(proxy, work, database, download_path, evidence))

        # Leaving deletes the person's sessions from the database; a copy may stay in the Redis cache.
        manage(env, "shell", "-c", LEAVE.format(username="staff"))
        check(not signed_in_home(web_a, cookies), "web A still signs in a person who has left")
        check(not signed_in_home(web_b, cookies), "web B still signs in a person who has left")
        proved.append("once that person leaves, their session opens nothing on web A or web B")
        say("Stopping the servers, dropping the database, emptying Redis …")
    return proved


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("TWO_MACHINES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL connection that may create and drop databases",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("TWO_MACHINES_REDIS_URL", "redis://127.0.0.1:6379/9"),
        help="a Redis database number for the proof alone: it is emptied before and after",
    )
    arguments = parser.parse_args()
    started = time.monotonic()
    try:
        proved = prove(admin_url=arguments.admin_url, redis_url=arguments.redis_url)
    except (ProofFailed, psycopg2.Error, redis.RedisError, requests.RequestException) as error:
        say(f"FAILED: {error}")
        return 1
    seconds = time.monotonic() - started
    say(f"PROVED, with two web servers sharing PostgreSQL, Redis and S3 ({seconds:.0f} s):")
    for line in proved:
        say(f"  ✓ {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
