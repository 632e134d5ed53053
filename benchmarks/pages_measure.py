"""The measuring half of benchmarks/pages.py: an HTTP session, wrk, single timings, the CSV export's memory,
the table with the issue's targets, and EXPLAIN of a page's slowest queries."""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

HERE = Path(__file__).resolve().parent
TARGET_P95_MS = 100
TARGET_RATIO = 0.5
TARGET_FLOW_P95_MS = 300
TARGET_CSV_FIRST_BYTE_MS = 1000
TARGET_CSV_GROWTH_MB = 150


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.anchors = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs))


class Response:
    def __init__(self, path, status, headers, body, seconds):
        self.path, self.status, self.headers, self.body, self.seconds = path, status, headers, body, seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def link(self, rel=None, pattern=None):
        """The first link with this rel, or whose path matches `pattern`, as an absolute path."""
        parser = _Anchors()
        parser.feed(self.text)
        for attrs in parser.anchors:
            href = attrs.get("href")
            if not href:
                continue
            href = urljoin(self.path, href)
            if rel and rel in (attrs.get("rel") or "").split():
                return href
            if pattern and re.search(pattern, urlsplit(href).path):
                return href
        return None


class Session:
    """A client of the gunicorn under test that keeps its cookies and never follows a redirect."""

    def __init__(self, base):
        parts = urlsplit(base)
        self.host, self.port, self.cookies = parts.hostname, parts.port, {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=900)
        sent = {"Cookie": self.cookie_header(), **(headers or {})}
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        answer = connection.getresponse()
        content = answer.read()
        seconds = time.perf_counter() - started
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";")[0].partition("=")
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        connection.close()
        return Response(path, answer.status, answer.headers, content, seconds)

    def get(self, path):
        return self.request("GET", path)

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def csrf_token(self, path):
        page = self.get(path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not found:
            raise SystemExit(f"No sign-in form at {path} (status {page.status}).")
        return found.group(1)

    def sign_in(self, username, password):
        from django.urls import reverse

        login = reverse("login")
        body = urlencode({"csrfmiddlewaretoken": self.csrf_token(login), "username": username,
                          "password": password, "next": ""})  # fmt: skip
        answer = self.request("POST", login, body, {"Content-Type": "application/x-www-form-urlencoded"})
        location = answer.headers.get("Location", "")
        if answer.status != 302 or urlsplit(location).path == login:
            raise SystemExit(f"Signing in as {username} failed (status {answer.status}, to {location!r}).")


def single(session, path, runs=1, enough=None):
    """`runs` requests one after another (fewer once one takes `enough` seconds): the median as p50, the
    slowest as p95."""
    times, status = [], None
    for _ in range(runs):
        answer = session.get(path)
        status = answer.status
        if status != 200:
            return {"path": path, "status": status, "error": f"HTTP {status}", "p50": None, "p95": None}
        times.append(answer.seconds * 1000)
        if enough is not None and answer.seconds > enough:
            runs = len(times)
            break
    middle = statistics.median(times)
    return {"path": path, "status": status, "error": None, "p50": middle, "p95": max(times),
            "rps": 1000 / middle, "note": f"{runs} single request(s), not under load"}  # fmt: skip


def wrk(url, cookie, args, method="GET", body=None):
    """`args.connections` clients for `args.duration` seconds, through report.lua."""
    env = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_METHOD": method, "BENCH_BODY": body or ""}
    command = ["wrk", f"-t{min(args.threads, args.connections)}", f"-c{args.connections}",
               f"-d{args.duration:g}s", "--timeout", "60s", "-s", str(HERE / "report.lua"), url]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    found = re.search(r"^BENCH (\{.*\})$", run.stdout, re.MULTILINE)
    if not found:
        said = " ".join((run.stderr or run.stdout).split())[-200:]
        return {"path": urlsplit(url).path, "error": f"wrk failed: {said}"}
    result = json.loads(found.group(1))
    latencies = re.search(r"^BENCH_LATENCIES (\[.*\])$", run.stdout, re.MULTILINE)
    result["latencies"] = json.loads(latencies.group(1)) if latencies else []
    result["path"] = "/" + url.split("/", 3)[-1]
    bad = result["non_2xx_3xx"] + result["timeouts"] + result["socket_errors"]
    result["error"] = f"{bad} of {result['requests']} requests failed" if bad else None
    return result


def wrk_in_turns(url, bare_url, cookie, args):
    """The page and its bare page in `args.turns` turns each, alternating which goes first, over
    `args.duration` seconds for each: (the page's results, the bare page's requests/s). The machine's speed
    drifts within seconds here, so the two are measured as nearly at once as one machine allows. Requests/s
    are each side's requests over its seconds; the page's p50 is the median of its turns', its p95, p99 and
    max from all its turns' requests together."""
    turn = argparse.Namespace(**{**vars(args), "duration": args.duration / args.turns})
    page_runs, bare_runs = [], []
    cpu = {url: 0.0, bare_url: 0.0}  # the server's CPU seconds spent on each
    for number in range(args.turns):
        order = [(url, page_runs), (bare_url, bare_runs)]
        for target, runs in order if number % 2 else reversed(order):
            before = server_cpu(args.gunicorn_master)
            runs.append(wrk(target, cookie, turn))
            cpu[target] += cpu_spent(before, server_cpu(args.gunicorn_master))
            if runs[-1].get("error"):
                runs[-1].pop("latencies", None)  # the row is printed: not its thousands of latencies
                return runs[-1], None
    seconds = sum(run["seconds"] for run in page_runs)
    combined = {"path": page_runs[0]["path"], "error": None, "seconds": seconds,
                "requests": sum(run["requests"] for run in page_runs),
                "max": max(run["max"] for run in page_runs),
                **pooled_percentiles([pair for run in page_runs for pair in run["latencies"]])}  # fmt: skip
    combined["rps"] = combined["requests"] / seconds if seconds else 0
    bare_requests = sum(run["requests"] for run in bare_runs)
    bare_rps = bare_requests / sum(run["seconds"] for run in bare_runs)
    if combined["requests"] and bare_requests:
        combined["cpu_ms"] = cpu[url] * 1000 / combined["requests"]
        combined["bare_cpu_ms"] = cpu[bare_url] * 1000 / bare_requests
    return combined, bare_rps


_TICK = os.sysconf("SC_CLK_TCK")


def server_cpu(master):
    """{pid: CPU seconds (user and system)} of gunicorn's workers and of PostgreSQL's processes on this
    machine (a database elsewhere is not seen): what serving the requests cost, wrk left out."""
    workers = set(worker_pids(master))
    spent = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text.rsplit(")", 1)[1].split()
        pid = int(stat.parent.name)
        if pid in workers or name == "postgres":
            spent[pid] = (int(fields[11]) + int(fields[12])) / _TICK
    return spent


def cpu_spent(before, after):
    """The CPU seconds spent between two server_cpu readings (a process started between them from zero)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def pooled_percentiles(latencies):
    """p50, p95 and p99 in milliseconds of (microseconds, count) pairs from several runs, as wrk reads them
    from its own (the smallest value with at least that share of the requests at or below it)."""
    latencies = sorted(latencies)
    total = sum(count for _, count in latencies)
    found, seen, wanted = {}, 0, [(50, "p50"), (95, "p95"), (99, "p99")]
    for value, count in latencies:
        seen += count
        while wanted and seen >= total * wanted[0][0] / 100:
            found[wanted.pop(0)[1]] = value / 1000
    return found


def worker_pids(master):
    """gunicorn's workers: the processes whose parent is its master."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def _rss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_csv(base, session, path, master):
    """The whole streamed download: first body bytes, whole time, and the largest growth of a worker's RSS."""
    pids = worker_pids(master)
    before = {pid: _rss_kb(pid) for pid in pids}
    peak = dict(before)
    done = threading.Event()

    def sample():
        while not done.is_set():
            for pid in pids:
                peak[pid] = max(peak[pid], _rss_kb(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    connection = http.client.HTTPConnection(session.host, session.port, timeout=900)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": session.cookie_header()})
    answer = connection.getresponse()
    first = answer.read(1)
    first_byte = time.perf_counter() - started
    size, lines = len(first), first.count(b"\n")
    while block := answer.read(1 << 20):
        size, lines = size + len(block), lines + block.count(b"\n")
    whole = time.perf_counter() - started
    done.set()
    sampler.join()
    growth = max((peak[pid] - before[pid]) / 1024 for pid in pids) if pids else None
    error = None if answer.status == 200 else f"HTTP {answer.status}"
    return {"path": path, "status": answer.status, "error": error, "first_byte": first_byte * 1000,
            "whole": whole, "bytes": size, "lines": lines, "growth_mb": growth}  # fmt: skip


def measure_xlsx(session, path):
    """The Excel export of everything: past its row limit it should refuse with a message, not build a
    workbook of every case."""
    answer = session.get(path)
    kind = answer.headers.get("Content-Type", "").split(";")[0]
    error = f"HTTP {answer.status}" if answer.status >= 500 or answer.status in (403, 404) else None
    return {"path": path, "status": answer.status, "error": error, "p50": answer.seconds * 1000,
            "p95": answer.seconds * 1000, "spreadsheet": "spreadsheet" in kind,
            "note": f"HTTP {answer.status}, {kind}, {len(answer.body):,} bytes"}  # fmt: skip


def bare_urls(session):
    from django.urls import reverse

    from cases.models import Case

    recent = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    return {"detail": reverse("bare_case", args=[recent]), "list": reverse("bare_list")}


def judge(row):
    """The row's target in words, and whether it is met (None when there is none)."""
    kind = row["kind"]
    if row.get("error"):
        return "", False
    if kind in ("list", "detail"):
        ratio = row["rps"] / row["bare"] if row.get("bare") and row.get("rps") else None
        row["ratio"] = ratio
        met = row["p95"] <= TARGET_P95_MS and (ratio is None or ratio >= TARGET_RATIO)
        return f"p95<={TARGET_P95_MS} ms, ratio>={TARGET_RATIO}", met
    if kind.startswith("report:"):
        limit = int(kind.split(":")[1])
        return f"<= {limit / 1000:g} s", row["p50"] <= limit
    if kind == "csv":
        met = row["first_byte"] < TARGET_CSV_FIRST_BYTE_MS and (row["growth_mb"] or 0) < TARGET_CSV_GROWTH_MB
        return f"first byte <{TARGET_CSV_FIRST_BYTE_MS / 1000:g} s, RSS +<{TARGET_CSV_GROWTH_MB} MB", met
    if kind == "xlsx":
        return "refused with a message past its row limit", not row["spreadsheet"]
    if kind == "flow":
        return f"p95<={TARGET_FLOW_P95_MS} ms", row["p95"] <= TARGET_FLOW_P95_MS
    return "", None


def _number(value, digits=0):
    return "" if value is None else f"{value:,.{digits}f}"


def cells(row):
    target, met = judge(row)
    row["ok"] = met
    result = "ERROR " + row["error"] if row.get("error") else {True: "ok", False: "FAIL", None: ""}[met]
    if row["kind"] == "csv" and not row.get("error"):
        note = (f"first byte {row['first_byte']:,.0f} ms, whole {row['whole']:,.1f} s, "
                f"{row['lines']:,} lines, worker RSS +{_number(row['growth_mb'])} MB")  # fmt: skip
        return [row["page"], row["role"], "", "", "", "", "", "", target, result, note]
    note = row.get("note", "")
    ratio = _number(row.get("ratio"), 2 if (row.get("ratio") or 1) >= 0.1 else 3)
    cpu = f"{row['cpu_ms']:.1f} ({row['bare_cpu_ms']:.1f})" if "cpu_ms" in row else ""
    latency = [_number(row.get("p50")), _number(row.get("p95"))]
    throughput = [_number(row.get("rps"), 1), _number(row.get("bare"), 1)]
    return [row["page"], row["role"], *latency, *throughput, ratio, cpu, target, result, note]


def machine():
    from django.db import connection

    from cases.models import Case
    from people.models import User

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    memory = next(line for line in meminfo if line.startswith("MemTotal"))
    return {
        "cores": os.cpu_count(),
        "ram_gb": int(memory.split()[1]) / 1024 / 1024,
        "postgres": postgres,
        "cases": Case.objects.count(),
        "staff": User.objects.count(),
        "load": os.getloadavg()[0],
    }


def print_table(rows, *, markdown, machine, args):
    header = ["page", "as", "p50 ms", "p95 ms", "req/s", "bare req/s", "ratio", "CPU ms/req (bare)", "target",
              "result", "notes"]  # fmt: skip
    body = [cells(row) for row in rows]
    about = (f"{machine['cases']:,} cases, {machine['staff']:,} staff; {machine['cores']} cores, "
             f"{machine['ram_gb']:.0f} GB RAM, PostgreSQL {machine['postgres']}; gunicorn {args.workers} "
             f"workers; wrk {args.connections} connections x {args.duration:g} s per page; "
             f"load average {machine['load']:.1f} at the end; "
             f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")  # fmt: skip
    if markdown:
        print(f"Measured with benchmarks/pages.py: {about}.\n")
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in body:
            print("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |")
    else:
        widths = [min(60, max(len(str(line[i])) for line in [header, *body])) for i in range(len(header) - 1)]
        for line in [header, *body]:
            cut = [str(cell)[:60].ljust(width) for cell, width in zip(line[:-1], widths, strict=True)]
            print("  ".join([*cut, line[-1]]))
        print(f"\n{about}")
    failing = [row["page"] for row in rows if row.get("ok") is False]
    print(f"\n{len(failing)} of {len(rows)} rows miss their target or failed" + (":" if failing else "."))
    for page in failing:
        print(f"  - {page}")


_EXPLAINED = set()


def explain_page(name, person, path, slowest=3):
    """The page once in this process, its queries captured, and EXPLAIN (ANALYZE, BUFFERS) of the slowest."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        seconds = time.perf_counter() - started
    queries = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
    total = sum(float(query["time"]) for query in queries)
    print(f"\n=== {name}: {path} as {person.username}: HTTP {response.status_code}, {seconds:.2f} s, "
          f"{len(queries)} queries taking {total:.2f} s")  # fmt: skip
    shown = 0
    for query in queries:
        if shown == slowest:
            break
        if not query["sql"].lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        shown += 1
        print(f"\n--- {float(query['time']) * 1000:.0f} ms: {query['sql'][:2000]}")
        shape = re.sub(r"\d+", "N", query["sql"])
        if shape in _EXPLAINED:
            print("(the same query, but for its numbers, is explained above)")
            continue
        _EXPLAINED.add(shape)
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(line for (line,) in cursor.fetchall()))
