"""Benchmark (not a test): the reports page, its CSV and a review pack on an existing (seeded) database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_scale \\
        .venv/bin/python benchmarks/reports.py [--runs 3] [--queries] [--store]

Reads only (sign-in is forced in-process, nothing is written but the audit entry of the CSV). Signs in as
the Head of Business and Governance, times the page for the default twelve months and for all time (the
longest range the form allows), the CSV for all time and the review pack of every policy, and prints the
queries of each with --queries. Targets (issue 13): twelve months <= 1 s, all time <= 3 s.

The page adds up the monthly figures stored by the beat task reports.tasks.month_figures_refresh (every
15 minutes); on a freshly seeded database nothing is stored yet and every case is counted live. --store
stores them first (about 2 minutes for 1,000,000 cases, then only the months whose cases changed).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focuspolicy.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", action="store_true", help="print each query with its time")
    parser.add_argument("--store", action="store_true", help="store the monthly figures first")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from people.models import User
    from people.roles import Role
    from policies.models import Policy
    from reports.forms import LONGEST_YEARS

    if args.store:
        from reports.services import month_figures_refresh

        start = time.perf_counter()
        print(f"stored {month_figures_refresh()} months in {time.perf_counter() - start:.1f} s")
    settings.ALLOWED_HOSTS = ["*"]
    # No collectstatic here: plain static URLs instead of the manifest's.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    head = User.objects.filter(groups__name=Role.GOVERNANCE, is_active=True).first()
    client = Client()
    client.force_login(head)
    today = timezone.localdate()
    all_time = {"raised_from": today.replace(year=today.year - LONGEST_YEARS).isoformat()}
    three_months = (today.replace(day=1) - datetime.timedelta(days=62)).replace(day=1).isoformat()
    pages = [
        ("reports, 12 months", reverse("reports:index"), {}),
        ("reports, all time", reverse("reports:index"), all_time),
        # Shorter than the trend's twelve months, which are then counted beside the period.
        ("reports, 3 months", reverse("reports:index"), {"raised_from": three_months}),
        ("CSV, all time", reverse("reports:csv"), all_time),
    ]
    pages += [
        (f"review pack: {policy.slug}", reverse("reports:review_pack", args=[policy.slug]), {})
        for policy in Policy.objects.order_by("slug")
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        print(f"cases: {cursor.fetchone()[0]:,}  as {head.username}")
    for name, url, data in pages:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, data)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, (name, response.status_code)
        print(
            f"{name:40} median {statistics.median(times):6.2f} s  (runs: "
            f"{', '.join(f'{t:.2f}' for t in times)})  {len(captured)} queries"
        )
        if args.queries:
            for query in captured:
                print(f"    {query['time']}s  {query['sql'][:300]}")


if __name__ == "__main__":
    main()
