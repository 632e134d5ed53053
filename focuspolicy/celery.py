import os
from pathlib import Path

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "focuspolicy.settings.local")

app = Celery("focuspolicy")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How often a worker says it is alive (see Alive).
ALIVE_EVERY = 10  # seconds


class Alive(bootsteps.StartStopStep):
    """A worker's main loop touches CELERY_WORKER_ALIVE_FILE every ALIVE_EVERY seconds, and docker-compose's
    healthcheck reads the file's age: a check that costs nothing, where `celery inspect ping` would start
    Django and make a round trip through the broker every time. No file set: nothing is written."""

    requires = {"celery.worker.components:Timer"}

    def start(self, worker):
        from django.conf import settings

        if settings.CELERY_WORKER_ALIVE_FILE:
            alive = Path(settings.CELERY_WORKER_ALIVE_FILE)
            alive.touch()
            self.beat = worker.timer.call_repeatedly(ALIVE_EVERY, alive.touch)

    def stop(self, worker):
        if getattr(self, "beat", None) is not None:
            self.beat.cancel()


app.steps["worker"].add(Alive)
