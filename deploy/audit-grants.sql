-- The application's database role may add audit entries and read them, never change or remove one.
--
-- Run as the role that owns the tables (the one `manage.py migrate` connects as), after each migrate:
--   psql "$MIGRATION_DATABASE_URL" -v app_role=focuspolicy_app -f deploy/audit-grants.sql
-- The web and worker processes then connect as focuspolicy_app. tests/audit/test_grants.py runs this file.

GRANT SELECT, INSERT ON audit_auditentry TO :"app_role";
-- New entries take their ids from the table's sequence (audit.chain).
GRANT USAGE ON SEQUENCE audit_auditentry_id_seq TO :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_auditentry FROM :"app_role";

-- Where the kept chain begins after the retention schedule deleted its oldest entries (audit.ChainStart):
-- written by the role that may delete old entries, read by verify_audit, never changed.
GRANT SELECT, INSERT ON audit_chainstart TO :"app_role";
GRANT USAGE ON SEQUENCE audit_chainstart_id_seq TO :"app_role";
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_chainstart FROM :"app_role";
