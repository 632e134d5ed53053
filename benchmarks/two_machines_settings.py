"""The production settings for the two-machine proof (benchmarks/two_machines.py), but for one thing.

Static files are named plainly instead of from collectstatic's manifest: collecting and compressing them
takes minutes on a small machine, and static files are not what the proof is about. Everything else
(secure cookies, the TLS proxy's headers, sessions, cache and evidence storage from the environment) is
exactly production's.
"""

from focuspolicy.settings.production import *  # noqa: F403
from focuspolicy.settings.production import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
