"""Benchmark (not a test): how long a request's queueing of deliveries takes with the broker up, down, and
back, against kombu's own way (which retries the connection for CELERY_BROKER_CONNECTION_TIMEOUT).

    .venv/bin/python benchmarks/broker_down.py [--port 6390] [--requests 5]

It starts a Redis of its own on the port (nothing kept on disk), stops and starts it, and times the hook a
request runs once it commits (notifications.services.enqueue_deliveries: one delivery handed to the
workers). No database is needed: the tasks are only published, never run. The queue is thrown away with
the Redis at the end.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focuspolicy.settings.local")


def redis(port, action):
    if action == "start":
        subprocess.run(  # noqa: S603 - fixed arguments
            [shutil.which("redis-server"), "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(port)]
            + ["--save", "", "--appendonly", "no"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    else:
        subprocess.run(  # noqa: S603 - fixed arguments
            [shutil.which("redis-cli"), "-p", str(port), "shutdown", "nosave"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    time.sleep(0.5)


def timed(what, runs, work):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{what:<58} median {statistics.median(times):8.1f} ms   max {max(times):8.1f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=6390)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{args.port}/0"

    import logging

    import django

    django.setup()
    logging.disable(logging.CRITICAL)
    from notifications.services import enqueue_deliveries
    from notifications.tasks import deliver

    def request():
        enqueue_deliveries([1])

    def kombu_default():
        try:
            deliver.apply_async((1,), retry=False)
        except Exception:  # noqa: BLE001, S110 - the broker is down: that is what is measured
            pass

    runs = args.requests
    redis(args.port, "start")
    try:
        request()  # the first connection and the queue's declaration, not measured
        timed("broker up", runs, request)
        redis(args.port, "stop")
        timed("broker down (one try, then paused)", runs, request)
        broker_unpause()
        timed("broker down, each request after the pause", runs, lambda: (request(), broker_unpause()))
        timed("broker down, kombu's default (apply_async, retry=False)", runs, kombu_default)
        redis(args.port, "start")
        broker_unpause()
        timed("broker back", runs, request)
    finally:
        redis(args.port, "stop")


def broker_unpause():
    from core import broker

    broker._paused_until = 0.0


if __name__ == "__main__":
    main()
