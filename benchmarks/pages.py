"""Benchmark (not a test, never in CI): every page at scale under gunicorn, next to bare Django pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_scale_bench \\
        .venv/bin/python benchmarks/pages.py [--duration 5] [--turns 5] [--connections 8] [--warm-up 1]
        [--only REGEX] [--markdown] [--explain | --explain-all]

The database must hold only data made by `manage.py seed_scale` (1,000,000 cases and 10,000 staff for the
issue's targets): the script refuses any other, because it sets a known password on one generated `gen-…`
person of each role. It then:

- collects the static files and starts gunicorn (4 workers, 127.0.0.1, a free port; gunicorn.conf.py as
  the image runs it) with production settings (benchmarks/settings.py: focuspolicy.settings.production
  over plain http, no two-factor step);
- signs in as each role through the real sign-in form (GET for the CSRF token, POST the password);
- measures each page with wrk (Debian: `apt-get install wrk`), `--connections` clients for `--duration`
  seconds, through benchmarks/report.lua (the session cookie; p50/p95/p99 and requests/s); a page slower
  than `--slow` seconds on its first request is timed once instead;
- warms each page up with `--warm-up` seconds of the same load before measuring it;
- measures in the same run two bare Django pages (benchmarks/urls.py, never routed in the application): a
  case by primary key, and 25 cases in keyset order; each real page's ratio is its requests/s divided by
  the bare page's of the same kind (detail or list), the two measured in `--turns` turns each over the
  page's `--duration` (the machine's speed drifts within seconds; the first and last rows show how far);
- times the reports (12 months, all time), and the exports: the CSV of all cases (first byte, whole time,
  the gunicorn worker's memory growth read from /proc while it streams) and the Excel export;
- walks a supervisor from the sign-in page to a first case page `--flow-runs` times while wrk keeps the
  server busy on All cases (one person signing in while others work), each step's p50 and p95;
- beside each ratio, the server's CPU a request (gunicorn's workers and the local PostgreSQL, from /proc
  around each turn), of the page and of its bare page: what the ratio comes from;
- prints one table, with the issue's targets: list and detail pages p95 <= 100 ms and ratio >= 0.5;
  reports <= 1 s (12 months) and <= 3 s (all time); CSV first byte < 1 s and < 150 MB growth; the sign-in
  flow <= 300 ms p95 per page. A page that answers other than 200 is an error, never a fast page.

`--markdown` prints the table for the README with the machine it ran on. `--explain` runs each failing page
once in this process with the queries captured and prints EXPLAIN (ANALYZE, BUFFERS) of its slowest
queries (`--explain-all`: every page measured). URLs come from django.urls.reverse, filter values from the
case filters, and deep pages by following the pages' own "next" links, so that the script follows the
pages as they change.
"""

import argparse
import base64
import datetime
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages_measure import (  # noqa: E402 - after the path is set
    Session,
    bare_urls,
    explain_page,
    machine,
    measure_csv,
    measure_xlsx,
    print_table,
    single,
    worker_pids,
    wrk,
    wrk_in_turns,
)

PASSWORD = "benchmark-only-" + "password"  # set on generated people only  # noqa: S105
ROLES = {
    "supervisor": "Supervisor",
    "head of service": "Head of Service",
    "governance": "Head of Business and Governance",
    "HR": "HR",
    "communications": "Communications team",
    "infosec": "Head of Information & Security",
    "staff": "Staff",
}


def environment(args):
    env = {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        # A throwaway key: the generated evidence rows have no files to open.
        "EVIDENCE_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1",
        "DJANGO_DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "focuspolicy-bench-static"),
    }
    env.setdefault("CELERY_BROKER_URL", os.environ.get("CELERY_BROKER_URL", "memory://"))
    os.environ.update(env)


def refuse_unless_generated():
    """As seed_scale decides: only a database whose every user it generated (and with cases)."""
    from cases.models import Case
    from focuspolicy.management.commands.seed_scale import PREFIX
    from people.models import User

    foreign = User.objects.exclude(username__startswith=PREFIX).count()
    if foreign:
        sys.exit(f"Refusing: the database holds {foreign} user(s) seed_scale did not generate.")
    if not Case.objects.exists():
        sys.exit("Refusing: no cases. Fill the database with manage.py seed_scale first.")


def people():
    """One generated person of each role (the supervisor with the most cases to triage), and a second
    supervisor for the sign-in flow; each gets the known password."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from cases.models import TRIAGE_STAGES, Case
    from people.models import User
    from people.selectors import role_holders

    chosen = {}
    busiest = (
        Case.objects.filter(stage__in=TRIAGE_STAGES, handler__groups__name=ROLES["supervisor"])
        .values("handler")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    for key, role in ROLES.items():
        holders = role_holders(role)
        if key == "supervisor" and busiest:
            holders = holders.filter(pk=busiest["handler"])
        elif key == "staff":
            holders = holders.filter(job_title="Support Worker")
        chosen[key] = holders.first()
    chosen["flow supervisor"] = role_holders(ROLES["supervisor"]).exclude(pk=chosen["supervisor"].pk).first()
    chosen_pks = [person.pk for person in chosen.values()]
    User.objects.filter(pk__in=chosen_pks).update(password=make_password(PASSWORD))
    # Read again: a session keeps a hash of the password, and --explain signs in with these objects.
    fresh = User.objects.in_bulk(chosen_pks)
    return {key: fresh[person.pk] for key, person in chosen.items()}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(workers):
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(gunicorn), "focuspolicy.wsgi:application", "--config", str(ROOT / "gunicorn.conf.py"),
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--timeout", "300",
         "--log-level", "warning", "--chdir", str(ROOT)],
        env=os.environ.copy(),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if Session(base).get("/healthz/").status == 200:
                return process, base
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    sys.exit("gunicorn did not answer /healthz/ within a minute.")


def fresh_workers(master, workers, session):
    """Restart gunicorn's workers (SIGHUP), so that an export's memory growth is measured from a worker
    that has served nothing else (the pages before it have raised the others' high-water mark)."""
    old = set(worker_pids(master))
    os.kill(master, signal.SIGHUP)
    for _ in range(240):
        now = set(worker_pids(master))
        if len(now) == workers and not now & old:
            break
        time.sleep(0.25)
    for _ in range(120):
        try:
            if session.get("/healthz/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)


def filter_variants():
    """All cases with each of its filters (a value from the filter's own choices) and each sort, reversed."""
    from cases.filters import CaseFilter
    from cases.models import CaseClause
    from cases.selectors import SORTS
    from people.models import Team

    today = datetime.date.today()
    known = {
        "clause": lambda: CaseClause.objects.order_by("pk").values_list("number", flat=True).first(),
        "team": lambda: Team.objects.order_by("pk").values_list("pk", flat=True).first(),
        "reference": lambda: f"-{today.year - 3}-01",
        "raised_from": lambda: (today - datetime.timedelta(days=30)).isoformat(),
        "raised_to": lambda: today.isoformat(),
    }
    variants = []
    for name, field in CaseFilter.base_filters.items():
        if name == "sort":
            continue
        if name in known:
            value = known[name]()
        else:
            choices = getattr(field, "extra", {}).get("choices", [])
            choices = [value for value, _label in choices if value != ""]
            value = choices[0] if choices else None
        if value is None:
            print(f"  (no value known for the filter {name!r}: not measured)")
            continue
        variants.append((f"filter {name}={value}", {name: value}))
    variants.append(("filter raised from..to (30 days)", {"raised_from": known["raised_from"](),
                                                          "raised_to": known["raised_to"]()}))  # fmt: skip
    for key in SORTS:
        variants += [(f"sort {key}", {"sort": key}), (f"sort -{key}", {"sort": f"-{key}"})]
    return variants


def targets():
    """The pages to measure: (name, kind, role, path); kind says how it is measured and judged."""
    from urllib.parse import urlencode

    from django.db import connection
    from django.db.models import Count
    from django.urls import reverse

    from cases.models import Case, CaseClause, CaseEvent, DisciplinaryReferral
    from discipline.models import DisciplinaryRecord
    from policies.models import Policy

    pages = [(f"home ({key})", "list", key, reverse("home")) for key in ROLES]
    everything = reverse("cases:all")
    pages.append(("All cases", "list", "governance", everything))
    pages += [(f"All cases, {name}", "list", "governance", f"{everything}?{urlencode(query)}")
              for name, query in filter_variants()]  # fmt: skip
    pages.append(("All cases, deep page", "deep", "governance", everything))
    pages.append(("triage queue", "list", "supervisor", reverse("cases:triage_queue")))
    pages.append(("governance queue", "list", "governance", reverse("cases:governance_queue")))
    pages.append(("my reports", "list", "staff", reverse("cases:my_reports")))
    with connection.cursor() as cursor:
        event = CaseEvent._meta
        case_column = connection.ops.quote_name(event.get_field("case").column)
        cursor.execute(
            f"SELECT {case_column} FROM {connection.ops.quote_name(event.db_table)} "  # noqa: S608
            f"GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        longest = Case.objects.get(pk=cursor.fetchone()[0])
    pages.append((f"case page, longest timeline ({longest.reference})", "detail", "governance",
                  longest.get_absolute_url()))  # fmt: skip
    typical = Case.objects.order_by("-pk").first()
    pages.append(("case page, a recent case", "detail", "governance", typical.get_absolute_url()))
    pages.append(("referrals to HR", "list", "HR", reverse("cases:referrals")))
    referral = DisciplinaryReferral.objects.order_by("-pk").first()
    if referral:
        pages.append(("referral page", "detail", "HR", reverse("cases:referral", args=[referral.pk])))
    pages.append(("HR records", "list", "HR", reverse("discipline:list")))
    records = DisciplinaryRecord.objects.order_by("pk")
    record = records.exclude(appeal_lodged_on=None).first() or records.first()
    if record:
        pages.append(("HR record page", "detail", "HR", record.get_absolute_url()))
    pages.append(("audit log", "list", "governance", reverse("audit:log")))
    pages.append(("notifications", "list", "supervisor", reverse("notifications:list")))
    pages.append(("policies", "list", "staff", reverse("policies:list")))
    policy = Policy.objects.order_by("pk").first()
    if policy:
        pages.append(("policy page", "detail", "staff", reverse("policies:policy", args=[policy.slug])))
        clause = policy.current_version().clauses().order_by("section__number", "position").first()
        if clause:
            pages.append(("clause page", "detail", "staff", clause.get_absolute_url()))
    pages.append(("business use", "list", "communications", reverse("business_use:list")))
    pages.append(("registers", "list", "staff", reverse("business_use:registers")))
    pages.append(("playbooks", "list", "governance", reverse("cases:playbooks")))
    today = datetime.date.today()
    reports = reverse("reports:index")
    pages.append(("reports, 12 months", "report:1000", "governance", reports))
    all_time = urlencode({"raised_from": datetime.date(today.year - 10, today.month, 1).isoformat(),
                          "raised_to": today.isoformat()})  # fmt: skip
    pages.append(("reports, all time", "report:3000", "governance", f"{reports}?{all_time}"))
    # The clause figures are reports of 12 months (issue: <= 1 s), over the most cited clause.
    pages.append(("clause figures, 12 months", "report:1000", "governance", reverse("reports:clauses")))
    cited = CaseClause.objects.values("number").annotate(n=Count("id")).order_by("-n").first()
    if policy and cited:
        clause_figures = reverse("reports:clause", args=[policy.slug, cited["number"]])
        pages.append(
            (f"clause {cited['number']} figures, 12 months", "report:1000", "governance", clause_figures)
        )
    pages.append(("export: all cases CSV", "csv", "governance", reverse("cases:export_csv")))
    pages.append(("export: all cases Excel", "xlsx", "governance", reverse("cases:export_xlsx")))
    pages.append(("sign-in flow", "flow", "flow supervisor", reverse("login")))
    return pages


def deep_page(session, path, follow):
    """A page far into the list, by its own "next" links (cursor), or halfway by ?page=N (paginator)."""
    response = session.get(path)
    if response.status != 200:
        return path, response
    link = response.link(rel="next")
    if link and "page=" in link and "cursor=" not in link:
        pages = re.search(r"Page [\d,]+ of ([\d,]+)", response.text)
        number = max(2, int(pages.group(1).replace(",", "")) // 2) if pages else follow
        return re.sub(r"page=\d+", f"page={number}", link), response
    for _ in range(follow):
        if not link:
            break
        path = link
        response = session.get(path)
        if response.status != 200:
            return path, response
        link = response.link(rel="next")
    return path, response


def warm_up(args, url, session):
    """`--warm-up` seconds of the same load, not measured: what a server that has run a while has done
    already (each worker's imports and connection, its prepared statements, PostgreSQL's choice of their
    plans, and the one slow run of a statement whose generic plan does not suit it: core/prepared.py)."""
    if args.warm_up > 0:
        wrk(url, session.cookie_header(), argparse.Namespace(**{**vars(args), "duration": args.warm_up}))


def measure_bare(args, base, sessions, rows, when):
    """Both bare pages alone, measured as the real ones are (warmed up first), first and again last: the
    table shows how far the machine's speed drifted in the run."""
    session = sessions["governance"]
    for kind, path in bare_urls(session).items():
        warm_up(args, base + path, session)
        measured = wrk(base + path, session.cookie_header(), args)
        rows.append({"page": f"bare Django {kind} page ({when})", "kind": "bare", "role": "governance",
                     **measured})  # fmt: skip


def measure_page(args, base, sessions, name, kind, role, path):
    session = sessions[role]
    result = {"page": name, "kind": kind, "role": role}
    if kind == "deep":
        path, reached = deep_page(session, path, args.deep)
        if reached.status != 200:
            return {**result, "path": path, "error": f"HTTP {reached.status} on the way to the deep page"}
        result["note"] = f"reached {path.split('?')[-1][:60]}"
        kind = result["kind"] = "list"
    if kind == "csv":
        fresh_workers(args.gunicorn_master, args.workers, session)
        return {**result, **measure_csv(base, session, path, args.gunicorn_master)}
    if kind == "xlsx":
        return {**result, **measure_xlsx(session, path)}
    if kind.startswith("report"):
        return {**result, **single(session, path, runs=args.runs, enough=args.slow * 3)}
    probe = single(session, path, runs=1)
    if probe["error"]:
        return {**result, **probe}
    if probe["p95"] > args.slow * 1000:
        note = "; ".join(filter(None, [result.pop("note", ""), "timed once: slower than --slow"]))
        return {**result, **probe, "note": note}
    warm_up(args, base + path, session)
    measured, result["bare"] = wrk_in_turns(
        base + path, base + bare_urls(session)[kind], session.cookie_header(), args
    )
    if not measured.get("error") and not measured["requests"]:
        # wrk counts only the requests that finished: none did, so the single request is all there is.
        measured = {**probe, "note": f"no request finished under load in {args.duration:g} s; timed once"}
    if result.get("note"):
        measured["note"] = "; ".join(filter(None, [result.pop("note"), measured.get("note")]))
    return {**result, **measured}


def measure_flow(args, base, sessions, path):
    """A supervisor from the sign-in page to the first case of their triage queue, while `args.connections`
    other clients keep the server busy (wrk on All cases as the governance head): each step's p50 and p95
    over `args.flow_runs` walks. One person signing in while others work, not a storm of sign-ins."""
    from django.urls import reverse

    person = sessions["flow supervisor"]
    load = subprocess.Popen(  # noqa: S603 - our own arguments
        [shutil.which("wrk"), f"-t{min(args.threads, args.connections)}", f"-c{args.connections}", "-d600s",
         "-s", str(Path(__file__).parent / "report.lua"), base + reverse("cases:all")],
        env={**os.environ, "BENCH_COOKIE": sessions["governance"].cookie_header(), "BENCH_METHOD": "GET",
             "BENCH_BODY": ""},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    steps = {
        name: [] for name in ("sign-in page", "sign in (POST)", "home", "triage queue", "first case page")
    }
    error = None
    try:
        time.sleep(1)  # the load is running before the first walk
        for _ in range(args.flow_runs):
            walker = Session(base)
            page = walker.get(path)
            steps["sign-in page"].append(page)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            body = urlencode({"csrfmiddlewaretoken": token.group(1) if token else "",
                              "username": person.username, "password": PASSWORD, "next": ""})  # fmt: skip
            answer = walker.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
            steps["sign in (POST)"].append(answer)
            steps["home"].append(walker.get(answer.headers.get("Location") or reverse("home")))
            queue = walker.get(reverse("cases:triage_queue"))
            steps["triage queue"].append(queue)
            case = queue.link(pattern=r"^/cases/[A-Z]+-\d{4}-\d+/$") if queue.status == 200 else None
            if not case:
                error = f"no case link on the triage queue (status {queue.status})"
                break
            steps["first case page"].append(walker.get(case))
    finally:
        load.terminate()
        load.wait(timeout=30)
    rows = []
    for name, answers in steps.items():
        row = {"page": f"flow: {name}", "kind": "flow", "role": "flow supervisor", "path": path}
        expected = 302 if name == "sign in (POST)" else 200
        wrong = [answer.status for answer in answers if answer.status != expected]
        if error or wrong or not answers:
            rows.append({**row, "error": error or f"HTTP {wrong[:3]} (expected {expected})"})
            continue
        times = sorted(answer.seconds * 1000 for answer in answers)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        middle = statistics.median(times)
        note = f"{len(times)} walks, {args.connections} other clients loading the server"
        rows.append({**row, "p50": middle, "p95": p95, "rps": 1000 / middle, "note": note})
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--duration", type=float, default=5, help="seconds of wrk per page")
    parser.add_argument("--turns", type=int, default=5, help="turns of a page and its bare page in them")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warm-up", type=float, default=1, help="seconds of load before each page's measure")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--only", help="measure only the pages whose name matches this regular expression")
    parser.add_argument("--slow", type=float, default=3, help="time once a page slower than this (s)")
    parser.add_argument("--runs", type=int, default=3, help="timed requests for reports (median)")
    parser.add_argument("--flow-runs", type=int, default=20, help="walks of the sign-in flow under load")
    parser.add_argument("--deep", type=int, default=20, help="next links followed for the deep page")
    parser.add_argument("--markdown", action="store_true", help="print the table for the README")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the failing pages' slowest queries")
    parser.add_argument("--explain-all", action="store_true", help="EXPLAIN every page measured")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("Give the scale database: DATABASE_URL=postgres://… (made by manage.py seed_scale).")
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (Debian/Ubuntu), or build it from github.com/wg/wrk.")
    environment(args)
    import django

    django.setup()
    refuse_unless_generated()
    print("Choosing the generated people and setting their password…", flush=True)
    chosen = people()
    # What beat does every 15 minutes in production: without it the reports count every month live.
    print("Storing the reports' monthly figures (reports.tasks.month_figures_refresh)…", flush=True)
    from reports.services import month_figures_refresh

    month_figures_refresh()
    # Planner statistics as a running database keeps them: a migration that rewrites a table (the stage
    # order) leaves it without any, and plans made blind scan a million rows.
    print("ANALYZE…", flush=True)
    from django.db import connection as setup_connection

    with setup_connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pages = targets()
    if args.only:
        pages = [page for page in pages if re.search(args.only, page[0], re.IGNORECASE)]
    from django.db import connection

    connection.close()  # gunicorn's workers are the ones to use the database from now on
    process, base = start_gunicorn(args.workers)
    args.gunicorn_master = process.pid
    rows = []
    try:
        sessions = {key: Session(base) for key in chosen}
        for key, person in chosen.items():
            if key != "flow supervisor" or any(page[1] == "flow" for page in pages):
                sessions[key].sign_in(person.username, PASSWORD)
            sessions[key].person = person
            sessions[key].username = person.username
        print(f"gunicorn on {base} (workers {worker_pids(process.pid)}); signed in as {len(chosen)} people.")
        measured_bare = bool({page[1] for page in pages} & {"list", "deep", "detail"})
        if measured_bare:
            measure_bare(args, base, sessions, rows, "first")
        for name, kind, role, path in pages:
            print(f"- {name}…", flush=True)
            if kind == "flow":
                rows += measure_flow(args, base, sessions, path)
            else:
                rows.append(measure_page(args, base, sessions, name, kind, role, path))
            print(f"  {rows[-1]}", flush=True)
        if measured_bare:
            measure_bare(args, base, sessions, rows, "last")  # for the table: how far the machine drifted
    finally:
        process.terminate()
        process.wait(timeout=30)
    print()
    print_table(rows, markdown=args.markdown, machine=machine(), args=args)
    if args.explain or args.explain_all:
        by_name = {page[0]: page for page in pages}
        for row in rows:
            page = by_name.get(row["page"])
            if page and (args.explain_all or not row.get("ok")):
                explain_page(row["page"], chosen[page[2]], row.get("path") or page[3])


if __name__ == "__main__":
    main()
