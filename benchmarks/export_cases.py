"""Benchmark (not a test): the governance head's CSV export of every case, on a database made by seed_scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/focuspolicy_scale \\
        .venv/bin/python benchmarks/export_cases.py [--format csv|xlsx] [--username gen-000401]

It downloads the export through the view with the Django test client, as the generated Head of Business and
Governance (or `--username`), reading the streamed content to the end, and prints one line of JSON: when the
first bytes came, the whole time, the size, the queries, the peak resident set size of this process before
and after, the CPU seconds this process spent (the Python side; the rest of the wall time is the database
or, on a busy machine, waiting for a CPU) and the load average. Targets for 1,000,000 cases: first bytes
under 1 s, memory growing under 150 MB. It writes one audit entry, as every export does.
"""

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focuspolicy.settings.local")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
# As in production: no query log kept in memory (the count below is of the queries the view makes).
os.environ.setdefault("DJANGO_DEBUG", "false")


def _cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--username", default="gen-000401")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from people.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=args.username))
    rss_before, cpu_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _cpu()
    size, first_bytes = 0, None
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"cases:export_{args.format}"))
        if not response.streaming:  # Refused (past the Excel limit) or not allowed.
            sys.exit(f"{response.status_code}: {response.get('Location', '')}")
        for chunk in response.streaming_content:
            first_bytes = first_bytes or time.perf_counter() - start
            size += len(chunk)
        response.close()
    result = {
        "seconds": round(time.perf_counter() - start, 2),
        "first_bytes": round(first_bytes, 2),
        "megabytes": round(size / 1e6, 1),
        "queries": len(queries),
        "start_rss_mb": rss_before // 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "python_cpu_seconds": round(_cpu() - cpu_before, 1),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
