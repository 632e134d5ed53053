"""Benchmark (not a test): exporting 100,000 disciplinary records as CSV and as Excel.

    createdb -h 127.0.0.1 -U postgres focuspolicy_bench_exports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focuspolicy_bench_exports \\
        .venv/bin/python benchmarks/export_records.py [--records 100000] [--keep]

It recreates the schema in that database (drop it afterwards), fills it with records made by bulk_create
(one to three clauses each), then downloads each export through the view, as HR, with the Django test
client, reading the streamed content to the end. It reports the wall time, when the first bytes came, the
queries, and the peak resident set size (ru_maxrss) of the process with its size just before the download.
Each step runs in a fresh Python process, so that each export's peak memory is its own. Targets for CSV:
under 5 s and under 150 MB peak. `--keep` reuses the records already there.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focuspolicy.settings.local")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
# As in production: no query log kept in memory.
os.environ.setdefault("DJANGO_DEBUG", "false")

BENCH_PREFIX = "DR-BEN-"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--staff", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true", help="reuse the records already in the database")
    parser.add_argument("--step", choices=["populate", "csv", "xlsx"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step == "populate":
        prepare(args)
    elif args.step:
        print(json.dumps(measure(args.step)))
    else:
        # This process only starts the others, and stays small: a child's peak resident set size starts
        # from its parent's (it survives fork and exec), so each export's peak is then its own.
        passed_on = [f"--records={args.records}", f"--staff={args.staff}", *(["--keep"] if args.keep else [])]
        subprocess.run([sys.executable, __file__, "--step=populate", *passed_on], check=True)  # noqa: S603
        for kind in ("csv", "xlsx"):
            run = subprocess.run(  # noqa: S603 - this same script, with fixed arguments
                [sys.executable, __file__, f"--step={kind}"], capture_output=True, text=True, check=True
            )
            result = json.loads(run.stdout.strip().splitlines()[-1])
            print(
                f"{kind:>4}: {result['seconds']:.2f} s (first bytes after {result['first_bytes']:.2f} s), "
                f"{result['queries']} queries, {result['rows']:,} rows, {result['megabytes']:.1f} MB file; "
                f"peak memory {result['peak_rss_mb']:.0f} MB ({result['start_rss_mb']:.0f} MB before the "
                "export)"
            )


def prepare(args):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from discipline.models import DisciplinaryRecord

    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL.")
    if not (args.keep and DisciplinaryRecord.objects.filter(reference__startswith=BENCH_PREFIX).exists()):
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        populate(args)
    print(f"records: {DisciplinaryRecord.objects.count():,}")


def populate(args):
    """Staff, and records with one to three clauses each, in batches through bulk_create."""
    import datetime

    from django.contrib.auth.models import Group

    from discipline.models import WARNINGS, DisciplinaryRecord, Outcome, RecordClause, Severity, Step
    from people.models import Team, User
    from people.roles import Role
    from policies.models import Policy

    began = time.perf_counter()
    teams = list(Team.objects.all())
    staff = User.objects.bulk_create(
        User(
            username=f"bench{n}",
            password="!",  # noqa: S106 - an unusable password
            first_name="Bench",
            last_name=f"Person {n}",
            email=f"bench{n}@focus.example",
            team=teams[n % len(teams)],
            employment_type=User.EmploymentType.values[n % len(User.EmploymentType.values)],
        )
        for n in range(args.staff)
    )
    Group.objects.get(name=Role.STAFF).user_set.add(*staff)
    hr = User.objects.get(username="hr")
    version = Policy.objects.get(slug="social-media-policy").current_version()
    clauses = list(version.clauses().filter(number__in=["2.4", "2.5", "5.2", "5.3", "6.4", "7.1"]))
    outcomes = [*Outcome.values, ""]
    today = datetime.date.today()
    batch = 5_000
    for start in range(0, args.records, batch):
        records = []
        for n in range(start, min(start + batch, args.records)):
            opened_on = today - datetime.timedelta(days=n % 1_000)
            outcome = outcomes[n % len(outcomes)]
            expires_on = opened_on + datetime.timedelta(days=365)
            decided = outcome != ""
            employee = staff[n % len(staff)]
            records.append(
                DisciplinaryRecord(
                    reference=f"{BENCH_PREFIX}{n:06d}",
                    employee=employee,
                    employee_team_id=employee.team_id,
                    employment_type=employee.employment_type,
                    # Every tenth allegation is written like a spreadsheet formula, as an attacker might.
                    allegation=("=HYPERLINK(1) " if n % 10 == 0 else "")
                    + f"Posted about a service user on Facebook (record {n}), naming them and their care.",
                    severity=Severity.values[n % 2],
                    step=Step.DECIDED if decided else Step.OPENED,
                    opened_by=hr,
                    opened_on=opened_on,
                    hearing_held_on=opened_on + datetime.timedelta(days=20) if decided else None,
                    outcome=outcome,
                    outcome_reasons="Reasons for the outcome." if decided else "",
                    decided_on=opened_on + datetime.timedelta(days=21) if decided else None,
                    outcome_in_force=outcome,
                    warning_expires_on=expires_on if outcome in WARNINGS else None,
                )
            )
        records = DisciplinaryRecord.objects.bulk_create(records)
        RecordClause.objects.bulk_create(
            RecordClause(record=record, clause=clause, number=clause.number, text=clause.text)
            for n, record in enumerate(records)
            for clause in clauses[n % 4 : n % 4 + 1 + n % 3]
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"populated in {time.perf_counter() - began:.0f} s")


def measure(kind):
    """Download one export as HR and read it to the end; in its own process (see main)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from audit.models import AuditEntry
    from people.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="hr"))
    url = reverse(f"discipline:export_{kind}")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    size = 0
    first_bytes = None
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        for chunk in response.streaming_content:
            if first_bytes is None:
                first_bytes = time.perf_counter() - start
            size += len(chunk)
        response.close()
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("-pk").first()
    return {
        "seconds": seconds,
        "first_bytes": first_bytes,
        "queries": len(captured),
        "rows": entry.details["rows"],
        "megabytes": size / 1e6,
        "start_rss_mb": rss_before / 1024,
        "peak_rss_mb": rss_after / 1024,
    }


if __name__ == "__main__":
    main()
