"""Sessions kept in the database and read through the cache (Django's cached_db), that carry on from the
database alone while the cache (Redis) is down.

Django's cached_db only logs a cache that fails when a session is saved; when one is read (it puts what
it read from the database into the cache), given a new key (signing in) or deleted (signing out), the
error reaches the request: with Redis down, every signed-in page would fail. Here each of those falls back
to the database, so a Redis outage makes sessions slower, never the site unusable. A copy that could not be
deleted from the cache during an outage opens nothing: signing out stamps the person
(people.sessions.sessions_end_others), and every session signed in before the stamp is ended.
"""

import logging

from django.contrib.sessions.backends import cached_db, db

logger = logging.getLogger("django.contrib.sessions")


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            return super().load()
        except Exception:  # Whatever the cache raises, the database answers.
            logger.exception("Error reading from cache (%s)", self._cache)
            return db.SessionStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:
            logger.exception("Error reading from cache (%s)", self._cache)
            return db.SessionStore.exists(self, session_key)

    def delete(self, session_key=None):
        # cached_db deletes from the database first, then from the cache.
        try:
            super().delete(session_key)
        except Exception:
            logger.exception("Error deleting from cache (%s)", self._cache)
