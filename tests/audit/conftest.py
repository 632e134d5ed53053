from django.db import connection

# What only PostgreSQL has (advisory locks, roles and grants) is tested only there, as CI runs it; on SQLite
# these modules are not collected rather than skipped.
POSTGRESQL_ONLY = ["test_grants.py", "test_concurrent_writers.py", "test_bulk_load.py"]
collect_ignore = [] if connection.vendor == "postgresql" else POSTGRESQL_ONLY
