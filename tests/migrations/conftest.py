from django.db import connection

# Migrating the whole project back and forth is tested on PostgreSQL, the database it runs on and CI's; on
# SQLite (development) these modules are not collected rather than skipped.
POSTGRESQL_ONLY = ["test_forward_and_back.py"]
collect_ignore = [] if connection.vendor == "postgresql" else POSTGRESQL_ONLY
