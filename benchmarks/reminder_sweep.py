"""Benchmark (not a test): the reminder sweep over many cases with a few due.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focuspolicy_bench \\
        .venv/bin/python benchmarks/reminder_sweep.py [--cases 1000000] [--staff 10000] [--due 0.01] \\
        [--runs 3]

It recreates the schema in that database (drop it afterwards), fills it with SQL (generate_series), then
times sweeps of the due timers (undoing each before the next) and counts their queries. Target: under
2 s, and queries independent of the number of cases. Tasks are queued on an in-memory broker, so
delivery itself is not measured.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focuspolicy.settings.local")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=10_000)
    parser.add_argument("--due", type=float, default=0.01)
    parser.add_argument("--runs", type=int, default=3, help="sweeps to time, each over the same due timers")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: set DATABASE_URL.")
    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    populate(connection, args)

    from reminders.sweep import sweep_timers

    print(f"cases: {args.cases:,}  staff: {args.staff:,}")
    times = []
    for run in range(1, args.runs + 1):
        if run > 1:
            undo_sweep(connection)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            fired = sweep_timers(now=timezone.now())
        times.append(time.perf_counter() - start)
        print(f"sweep {run}: {times[-1]:.2f} s, {len(captured)} queries, {fired:,} timers fired")
    print(f"median: {statistics.median(times):.2f} s")


def undo_sweep(connection):
    """Put the database back as it was before the sweep, so that the next run does the same work."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_delivery")
        cursor.execute("DELETE FROM notifications_notification")
        cursor.execute("UPDATE reminders_timer SET fired_at = NULL WHERE fired_at IS NOT NULL")
        cursor.execute("VACUUM ANALYZE")


def populate(connection, args):
    from django.contrib.contenttypes.models import ContentType

    from cases.models import Case
    from policies.models import Policy

    case_type = ContentType.objects.get_for_model(Case).pk
    version = Policy.objects.get(slug="social-media-policy").current_version()
    due = int(args.cases * args.due)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO people_user (password, is_superuser, username, first_name, last_name, email, is_staff,
                is_active, date_joined, job_title, employment_type, professional_body, registration_number)
            SELECT '!', false, 'bench' || n, 'Bench', 'Person ' || n, 'bench' || n || '@focus.example', false,
                true, now(), 'Support Worker', 'employee', '', ''
            FROM generate_series(1, %s) AS n
            """,
            [args.staff],
        )
        cursor.execute("SELECT min(id), max(id) FROM people_user WHERE username LIKE 'bench%%'")
        first, last = cursor.fetchone()
        span = last - first + 1
        cursor.execute(
            """
            INSERT INTO cases_case (reference, policy_version_id, reporter_id, subject_kind,
                subject_description, platform, platform_other, links, seen_at, description,
                identifies_service_user_or_carer, discloses_confidential_information, route, handler_id,
                routing_note, stage, stage_changed_at,
                outcome, created_at, updated_at, personal_data_breach_at)
            SELECT 'BEN-' || n, %s, %s + (n %% %s), 'public', '', 'facebook', '', '', now(), 'Benchmark case',
                false, false, 'supervisor', %s + ((n + 1) %% %s), '', 'submitted', now(), '', now(), now(),
                NULL
            FROM generate_series(1, %s) AS n
            """,
            [version.pk, first, span, first, span, args.cases],
        )
        # One triage reminder per case: the first `due` are due now, the rest next week.
        cursor.execute(
            """
            INSERT INTO reminders_timer (kind, due_at, fired_at, cancelled_at, subject_type_id, subject_id,
                note, created_at)
            SELECT 'triage_reminder',
                CASE WHEN row_number() OVER (ORDER BY c.id) <= %s THEN now() - interval '1 minute'
                     ELSE now() + interval '7 days' END,
                NULL, NULL, %s, c.id, '', now()
            FROM cases_case c WHERE c.reference LIKE 'BEN-%%'
            """,
            [due, case_type],
        )
        cursor.execute("ANALYZE")
    print(f"populated in {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
