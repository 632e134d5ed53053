"""Scale data: a large generated organisation and its cases, written with set-based SQL on PostgreSQL.

Every table and column name comes from the models' _meta, so a rename breaks this command loudly
rather than silently. Values are parameters; the random spread is repeatable (setseed).

It refuses to run on a database that holds anything it did not generate: users whose username does
not start with `gen-`, or cases. A second run refuses too (the database already holds generated cases):
recreate the database to seed again.
"""
# S608: the only text put into the SQL is table and column names from the models' _meta, quoted by the
# database backend; every value is a parameter.
# ruff: noqa: S608

import datetime
import math
import time

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from audit import chain
from audit.models import AuditEntry
from cases.models import (
    Case,
    CaseClause,
    CaseEvent,
    CaseUserObjectPermission,
    DisciplinaryReferral,
    Evidence,
    ReferenceCounter,
    case_url,
)
from cases.services import clause_text
from cases.timings_sql import case_working_days_fill
from discipline.models import DisciplinaryRecord, RecordClause
from focuspolicy.management.scale_discipline import GOVERNANCE_TITLE, HR_TITLE, DisciplineSeed, col, table
from notifications.models import Delivery, Kind, Notification
from people.models import Team, User
from people.roles import Role, ensure_role_groups
from policies import services as policy_services
from policies.importer import decode_policy_bytes
from policies.models import Policy, PolicyVersion
from reminders.models import Limits

PREFIX = "gen-"
POLICY_FILE = settings.BASE_DIR / "data" / "social-media-policy.txt"
POLICY_TITLE = "Social Media Policy"
# The people with one role each, after the Heads of Service: (job title, role).
SPECIALS = [
    (GOVERNANCE_TITLE, Role.GOVERNANCE),
    ("Head of Information & Security", Role.INFOSEC),
    (HR_TITLE, Role.HR),
    ("Digital Information Officer (CBUCP)", Role.COMMS),
    ("Systems Administrator", Role.ADMINISTRATOR),
]
# The tables written here with set-based SQL, whose foreign keys are checked once at the end.
FILLED = [
    Team,
    User,
    User.groups.through,
    Case,
    CaseUserObjectPermission,
    CaseClause,
    CaseEvent,
    Evidence,
    Notification,
    Delivery,
    AuditEntry,
    DisciplinaryRecord,
    RecordClause,
    DisciplinaryReferral,
    DisciplinaryReferral.clauses_breached.through,
]
SUPERVISOR_TITLE = "Support Team Supervisor"
HEAD_TITLE = "Head of Service"
# The first few cases get a timeline this long, so that a case page is measured at its worst.
LONG_TIMELINE_CASES = 5
LONG_TIMELINE_EVENTS = 250
WORKER_TITLE = "Support Worker"


class Command(DisciplineSeed, BaseCommand):
    help = "Fill an empty PostgreSQL database with generated teams, staff and cases (set-based SQL)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=1000)
        parser.add_argument("--staff", type=int, default=100)
        parser.add_argument("--seed", type=float, default=0.42, help="Between -1 and 1, for setseed.")

    def handle(self, *args, cases, staff, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (it uses generate_series and setseed).")
        if settings.PRODUCTION:
            raise CommandError("seed_scale writes generated data: it refuses to run in production.")
        if staff < 20:
            raise CommandError("--staff must be at least 20.")
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        if not -1 <= seed <= 1:
            raise CommandError("--seed must be between -1 and 1.")
        started = time.monotonic()
        with transaction.atomic():
            self.refuse_foreign_data()
            with connection.cursor() as cursor:
                self.cursor = cursor
                # Before anything is written: a table with rows waiting for their check cannot be altered.
                foreign_keys = self.foreign_keys_drop()
                indexes = self.indexes_drop()
                ensure_role_groups()
                cursor.execute("SELECT setseed(%s)", [seed])
                teams = max(1, staff // 25)
                self.step("teams", lambda: self.create_teams(teams))
                self.step("staff", lambda: self.create_staff(staff, teams))
                # Before the roles: approving the policy then asks nobody to acknowledge it one by one.
                version = self.policy_version()
                self.step("role memberships", self.create_memberships)
                self.step("cases", lambda: self.create_cases(cases, version))
                self.step("reference counters", lambda: self.create_counters(version))
                self.step("per-case rights", self.create_rights)
                self.step("case clauses", lambda: self.create_clauses(version))
                self.step("case events", self.create_events)
                self.step("long timelines", self.create_long_timelines)
                # From the stage events, as cases migration 0021 fills them.
                self.step("working days to triage and decision", lambda: case_working_days_fill(connection))
                self.step("evidence (metadata, no files)", self.create_evidence)
                self.step("notifications", self.create_notifications)
                self.step("notification deliveries", self.create_deliveries)
                self.step("audit entries", self.create_audit)
                self.step("disciplinary records", self.create_records)
                self.step("disciplinary record clauses", self.create_record_clauses)
                self.step("referrals to HR", self.create_referrals)
                self.step("referral clauses", self.create_referral_clauses)
                self.step("appeals", self.create_appeals)
                self.step("indexes", lambda: self.indexes_restore(indexes))
                self.step("foreign keys (checked)", lambda: self.foreign_keys_restore(foreign_keys))
            self.stdout.write("committing")
            self.stdout.flush()
        # Fresh statistics, so that the first pages are planned for a million rows rather than none.
        analyze_started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"statistics (ANALYZE) in {time.monotonic() - analyze_started:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {teams} teams, {staff} staff and {cases} cases "
                f"in {time.monotonic() - started:.1f} s."
            )
        )

    def step(self, what, work):
        started = time.monotonic()
        count = work()
        self.stdout.write(f"{what}: {count} rows in {time.monotonic() - started:.1f} s")
        self.stdout.flush()

    def refuse_foreign_data(self):
        foreign = User.objects.exclude(username__startswith=PREFIX).count()
        if foreign:
            raise CommandError(
                f"The database holds {foreign} user(s) that seed_scale did not generate: it only fills a "
                "fresh database. Nothing was written."
            )
        if Case.objects.exists() or User.objects.exists():
            raise CommandError(
                "The database already holds generated data: recreate it to seed again. Nothing was written."
            )

    def foreign_keys_drop(self):
        """Drop the foreign keys of the tables filled here, to add them back once they are full.

        Django's foreign keys are deferred: kept, each inserted row would be checked alone at commit (about
        two of the five minutes at a million cases). Added back, each is checked by one join over its table.
        Dropped and added in the same transaction, so a failed run leaves them as they were.
        """
        tables = [model._meta.db_table for model in FILLED]
        self.cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(%s)) "
            "ORDER BY 1, 2",
            [tables],
        )
        found = self.cursor.fetchall()
        for name, constraint, _definition in found:
            self.run(f"ALTER TABLE {name} DROP CONSTRAINT {connection.ops.quote_name(constraint)}")
        return found

    def foreign_keys_restore(self, found):
        for name, constraint, definition in found:
            constraint = connection.ops.quote_name(constraint)
            self.run(f"ALTER TABLE {name} ADD CONSTRAINT {constraint} {definition}")
        return len(found)

    def indexes_drop(self):
        """Drop the indexes of the tables filled here (but the unique ones, which keep the data true), to
        build each once they are full: kept, every row written updates each of them (a case has some thirty,
        and the working days' UPDATE writes every case again): about half the run at a million cases."""
        self.cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index WHERE NOT "
            "indisunique AND indrelid IN (SELECT oid FROM pg_class WHERE relname = ANY(%s)) ORDER BY 1",
            [[model._meta.db_table for model in FILLED]],
        )
        found = self.cursor.fetchall()
        self.run("".join(f"DROP INDEX {name};" for name, _definition in found) or "SELECT 1")
        return found

    def indexes_restore(self, found):
        self.run("SET LOCAL maintenance_work_mem = '256MB'")  # to sort each index's keys in
        self.run("".join(f"{definition};" for _name, definition in found) or "SELECT 1")
        return len(found)

    def run(self, sql, params=None):
        self.cursor.execute(sql, params)
        return self.cursor.rowcount

    def create_teams(self, teams):
        return self.run(
            f"INSERT INTO {table(Team)} ({col(Team, 'name')}) "
            "SELECT %s || lpad(t::text, 4, '0') FROM generate_series(1, %s) AS t",
            ["Generated team ", teams],
        )

    def create_staff(self, staff, teams):
        """People 1..teams head the teams; then the specials; then staff, one supervisor in ten."""
        u = User
        first = len(SPECIALS) + teams + 1  # the first ordinary member of staff
        sql = f"""
            INSERT INTO {table(u)} ({col(u, "password")}, {col(u, "is_superuser")}, {col(u, "username")},
                {col(u, "first_name")}, {col(u, "last_name")}, {col(u, "email")}, {col(u, "is_staff")},
                {col(u, "is_active")}, {col(u, "date_joined")}, {col(u, "job_title")},
                {col(u, "employment_type")}, {col(u, "team")}, {col(u, "professional_body")},
                {col(u, "registration_number")})
            SELECT '!', false, %(prefix)s || lpad(n::text, greatest(6, length(n::text)), '0'),
                'Generated', 'Person ' || n,
                %(prefix)s || n || '@focus.example', n = %(admin)s, true,
                now() - interval '9 years' + (n * interval '1 minute'),
                CASE WHEN n <= %(teams)s THEN %(head)s
                     WHEN n < %(first)s THEN (%(titles)s::text[])[n - %(teams)s]
                     WHEN (n - %(first)s) %% 10 = 0 THEN %(supervisor)s
                     ELSE %(worker)s END,
                (ARRAY['employee', 'employee', 'employee', 'contractor', 'agency'])[1 + n %% 5],
                CASE WHEN n <= %(teams)s THEN (SELECT min(id) FROM {table(Team)}) + n - 1
                     WHEN n < %(first)s THEN NULL
                     ELSE (SELECT min(id) FROM {table(Team)}) + ((n - %(first)s) / 25) %% %(teams)s END,
                '', ''
            FROM generate_series(1, %(staff)s) AS n
        """
        params = {
            "prefix": PREFIX,
            "admin": teams + len(SPECIALS),
            "teams": teams,
            "first": first,
            "head": HEAD_TITLE,
            "supervisor": SUPERVISOR_TITLE,
            "worker": WORKER_TITLE,
            "staff": staff,
        }
        params["titles"] = [title for title, _role in SPECIALS]
        count = self.run(sql, params)
        governance = User.objects.get(job_title=SPECIALS[0][0]).pk
        # Each team's Head of Service; the Heads and the specials report to the governance head.
        self.run(
            f"UPDATE {table(Team)} t SET {col(Team, 'head_of_service')} = u.id FROM {table(u)} u "
            f"WHERE u.{col(u, 'team')} = t.id AND u.{col(u, 'job_title')} = %s",
            [HEAD_TITLE],
        )
        self.run(
            f"UPDATE {table(u)} SET {col(u, 'line_manager')} = %s "
            f"WHERE {col(u, 'job_title')} <> %s AND ({col(u, 'job_title')} = %s OR {col(u, 'team')} IS NULL)",
            [governance, SPECIALS[0][0], HEAD_TITLE],
        )
        # Supervisors report to their team's Head; workers to a supervisor of their team (or the Head).
        self.run(
            f"UPDATE {table(u)} u SET {col(u, 'line_manager')} = t.{col(Team, 'head_of_service')} "
            f"FROM {table(Team)} t WHERE u.{col(u, 'team')} = t.id AND u.{col(u, 'job_title')} IN (%s, %s)",
            [SUPERVISOR_TITLE, WORKER_TITLE],
        )
        self.run(
            f"""
            WITH sup AS (
                SELECT id, {col(u, "team")} AS team,
                    row_number() OVER (PARTITION BY {col(u, "team")} ORDER BY id) - 1 AS k,
                    count(*) OVER (PARTITION BY {col(u, "team")}) AS total
                FROM {table(u)} WHERE {col(u, "job_title")} = %s)
            UPDATE {table(u)} u SET {col(u, "line_manager")} = sup.id FROM sup
            WHERE u.{col(u, "job_title")} = %s AND sup.team = u.{col(u, "team")} AND sup.k = u.id %% sup.total
            """,
            [SUPERVISOR_TITLE, WORKER_TITLE],
        )
        return count

    def create_memberships(self):
        through = User.groups.through
        groups = dict(Group.objects.values_list("name", "id"))
        role_of_title = {HEAD_TITLE: Role.HEAD_OF_SERVICE, SUPERVISOR_TITLE: Role.SUPERVISOR}
        role_of_title.update(dict(SPECIALS))
        count = self.run(
            f"INSERT INTO {table(through)} ({col(through, 'user')}, {col(through, 'group')}) "
            f"SELECT id, %s FROM {table(User)}",
            [groups[Role.STAFF]],
        )
        for title, role in role_of_title.items():
            count += self.run(
                f"INSERT INTO {table(through)} ({col(through, 'user')}, {col(through, 'group')}) "
                f"SELECT id, %s FROM {table(User)} WHERE {col(User, 'job_title')} = %s",
                [groups[role], title],
            )
        return count

    def policy_version(self):
        """The current Social Media Policy version: imported and approved by generated people if missing."""
        policy = Policy.objects.filter(title=POLICY_TITLE).first()
        if policy is None or policy.current_version() is None:
            admin = User.objects.get(job_title=SPECIALS[4][0])
            governance = User.objects.get(job_title=SPECIALS[0][0])
            text = decode_policy_bytes(POLICY_FILE.read_bytes())
            result = policy_services.policy_import(text=text, title=POLICY_TITLE, by=admin)
            policy = result.version.policy
            # The owner marks the policy as generated (refuse_foreign_data).
            policy.owner = governance
            policy.save(update_fields=["owner"])
            if result.version.status == PolicyVersion.Status.DRAFT:
                policy_services.version_approve(version=result.version, by=governance)
            self.stdout.write("policy: imported and approved the Social Media Policy")
        return policy.current_version()

    def create_cases(self, cases, version):
        u, c = User, Case
        self.run("DROP TABLE IF EXISTS seed_reporter")
        self.run(
            f"""
            CREATE TEMP TABLE seed_reporter ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS k, id AS user_id, {col(u, "team")} AS team_id,
                {col(u, "line_manager")} AS handler_id, {col(u, "job_title")} = %s AS plain
            FROM {table(u)} WHERE {col(u, "job_title")} IN (%s, %s) AND {col(u, "line_manager")} IS NOT NULL
            """,
            [WORKER_TITLE, WORKER_TITLE, SUPERVISOR_TITLE],
        )
        self.run(
            "CREATE TEMP TABLE seed_plain ON COMMIT DROP AS "
            "SELECT row_number() OVER (ORDER BY user_id) - 1 AS k, user_id FROM seed_reporter WHERE plain"
        )
        self.run("CREATE UNIQUE INDEX ON seed_reporter (k)")
        self.run("CREATE UNIQUE INDEX ON seed_plain (k)")
        reporters = self.scalar("SELECT count(*) FROM seed_reporter")
        plain = self.scalar("SELECT count(*) FROM seed_plain")
        prefix = version.policy.get_case_prefix()
        columns = ", ".join(
            col(c, name)
            for name in (
                "reference", "policy_version", "reporter", "reporter_team", "subject_kind", "subject_person",
                "subject_description", "platform", "platform_other", "links", "seen_at", "description",
                "identifies_service_user_or_carer", "discloses_confidential_information", "route", "handler",
                "routing_note", "stage", "stage_changed_at", "outcome", "created_at", "updated_at", "due_on",
                "incident_on",
            )
        )  # fmt: skip
        sql = f"""
            WITH raw AS (
                SELECT g, now() - random() * interval '8 years' AS created, random() AS r, random() AS r2,
                    random() AS r3
                FROM generate_series(1, %(cases)s) AS g),
            shaped AS (
                SELECT raw.*, date_part('year', created)::int AS year,
                    row_number() OVER (PARTITION BY date_part('year', created) ORDER BY created, g) AS number,
                    CASE WHEN g <= 7 THEN (%(stages)s)[g]
                         WHEN created > now() - interval '180 days' AND r < 0.45
                         THEN (%(stages)s)[1 + (g %% 5)]
                         WHEN r < 0.8 THEN 'closed' ELSE 'closed_at_triage' END AS stage,
                    (g::bigint * 7919) %% %(reporters)s AS rk,
                    CASE WHEN r2 < 0.35 THEN 'colleague'
                         ELSE (ARRAY['service_user', 'carer', 'public', 'unknown'])[1 + (g %% 4)] END AS kind
                FROM raw)
            INSERT INTO {table(c)} ({columns})
            SELECT %(prefix)s || '-' || year || '-'
                    || lpad(number::text, greatest(4, length(number::text)), '0'),
                %(version)s, rep.user_id, rep.team_id, kind,
                CASE WHEN kind <> 'colleague' THEN NULL
                     WHEN subj.user_id <> rep.user_id THEN subj.user_id ELSE subj2.user_id END,
                CASE WHEN kind = 'colleague' THEN '' ELSE 'Generated subject' END,
                (%(platforms)s)[1 + floor(r3 * 7)::int],
                CASE WHEN floor(r3 * 7) = 6 THEN 'Mastodon' ELSE '' END,
                'https://social.example/post/' || g,
                created - interval '1 day', 'Generated concern number ' || g || '.',
                r3 < 0.1, r3 > 0.93, 'supervisor', rep.handler_id, 'Routed to their supervisor.',
                stage, created + CASE WHEN stage = 'submitted' THEN interval '0' ELSE interval '3 days' END,
                CASE WHEN stage = 'closed_at_triage' THEN 'no_further_action'
                     WHEN stage = 'closed' THEN (%(outcomes)s)[1 + floor(r2 * 100)::int %% 5]
                     ELSE '' END,
                created, created,
                CASE WHEN stage IN ('submitted', 'in_triage')
                     THEN (created + %(triage_days)s * interval '1 day')::date
                     WHEN stage IN ('referred', 'under_review')
                     THEN (created + interval '3 days' + %(decision_days)s * interval '1 day')::date END,
                -- The local day it was seen, as the raise form defaults it.
                ((created - interval '1 day') AT TIME ZONE %(time_zone)s)::date
            FROM shaped
            JOIN seed_reporter rep ON rep.k = rk
            JOIN seed_plain subj ON subj.k = (g * 31 + rk) %% %(plain)s
            JOIN seed_plain subj2 ON subj2.k = ((g * 31 + rk) %% %(plain)s + 1) %% %(plain)s
        """
        stages = ["submitted", "in_triage", "referred", "under_review", "action_in_progress", "closed",
                  "closed_at_triage"]  # fmt: skip
        outcomes = ["no_breach", "resolved_informally", "content_removed", "disciplinary_referral",
                    "police_referral"]  # fmt: skip
        # Today's platforms, a retired one (old cases keep Wikipedia) and "other" with its name.
        platforms = ["facebook", "instagram", "twitter", "tiktok", "linkedin", "wikipedia", "other"]
        # Case.due_on as the stage's timer would give it (cases.timers.STAGE_DEADLINES), the working days
        # of the limits counted as calendar days, five in seven: near enough for generated data.
        limits = Limits.objects.order_by("pk").first() or Limits()
        params = {
            "triage_days": math.ceil(limits.triage_reminder_working_days * 7 / 5),
            "decision_days": math.ceil(limits.governance_reminder_working_days * 7 / 5),
            "cases": cases,
            "reporters": reporters,
            "plain": plain,
            "prefix": prefix,
            "version": version.pk,
            "time_zone": settings.TIME_ZONE,
        }
        arrays = {"stages": stages, "outcomes": outcomes, "platforms": platforms}
        for name, values in arrays.items():
            sql = sql.replace(f"%({name})s", f"%({name})s::text[]")
            params[name] = values
        return self.run(sql, params)

    def scalar(self, sql, params=None):
        self.cursor.execute(sql, params)
        return self.cursor.fetchone()[0]

    def create_counters(self, version):
        c, r = Case, ReferenceCounter
        return self.run(
            f"""
            INSERT INTO {table(r)} ({col(r, "prefix")}, {col(r, "year")}, {col(r, "last_number")})
            SELECT %s, date_part('year', {col(c, "created_at")})::int, count(*) FROM {table(c)}
            GROUP BY 2
            """,
            [version.policy.get_case_prefix()],
        )

    def create_rights(self):
        p, c = CaseUserObjectPermission, Case
        perms = dict(
            Permission.objects.filter(
                content_type__app_label="cases", codename__in=["follow_case", "handle_case"]
            ).values_list("codename", "id")
        )
        count = 0
        for codename, who in (("follow_case", "reporter"), ("handle_case", "handler")):
            count += self.run(
                f"INSERT INTO {table(p)} ({col(p, 'permission')}, {col(p, 'user')}, "
                f"{col(p, 'content_object')}) SELECT %s, {col(c, who)}, id FROM {table(c)}",
                [perms[codename]],
            )
        return count

    def create_clauses(self, version):
        cc, c = CaseClause, Case
        clauses = [
            (clause.pk, clause.number, clause_text(clause))
            for clause in version.clauses().prefetch_related("items").order_by("section__number", "position")
        ]
        self.run(
            "CREATE TEMP TABLE seed_clause (k int PRIMARY KEY, id int, number text, text text) ON COMMIT DROP"
        )
        self.cursor.executemany(
            "INSERT INTO seed_clause VALUES (%s, %s, %s, %s)",
            [(k, *clause) for k, clause in enumerate(clauses)],
        )
        return self.run(
            f"""
            INSERT INTO {table(cc)}
                ({col(cc, "case")}, {col(cc, "clause")}, {col(cc, "number")}, {col(cc, "text")})
            SELECT c.id, s.id, s.number, s.text
            FROM {table(c)} c
            CROSS JOIN generate_series(1, 3) AS j
            JOIN seed_clause s ON s.k = (c.id * 7 + j) %% %s
            WHERE j <= 1 + c.id %% 3
            """,
            [len(clauses)],
        )

    def create_events(self):
        e, c = CaseEvent, Case
        columns = ", ".join(
            col(e, name)
            for name in ["case", "kind", "actor", "at", "from_stage", "to_stage", "text"]
            + ["visible_to_reporter"]
        )
        count = self.run(
            f"""
            INSERT INTO {table(e)} ({columns})
            SELECT id, 'raised', {col(c, "reporter")}, {col(c, "created_at")}, '', 'submitted',
                'Concern raised.', true
            FROM {table(c)}
            UNION ALL
            SELECT id, 'routed', NULL, {col(c, "created_at")}, '', '', {col(c, "routing_note")}, false
            FROM {table(c)}
            UNION ALL
            SELECT id, 'stage', {col(c, "handler")}, {col(c, "stage_changed_at")}, 'submitted',
                {col(c, "stage")}, 'Generated stage change.', true
            FROM {table(c)} WHERE {col(c, "stage")} <> 'submitted'
            UNION ALL
            SELECT id, 'message', {col(c, "handler")}, {col(c, "created_at")} + interval '1 day', '', '',
                'Thank you for raising this concern: we are looking into it.', true
            FROM {table(c)} WHERE id %% %s = 0
            """,
            [4],
        )
        return count

    def create_evidence(self):
        """A screenshot's record for one case in five: the row only, no file in storage."""
        e, c = Evidence, Case
        columns = ", ".join(
            col(e, name)
            for name in ["case", "file", "stored_name", "original_name", "content_type", "size", "sha256"]
            + ["uploaded_by", "uploaded_at"]
        )
        return self.run(
            f"""
            INSERT INTO {table(e)} ({columns})
            SELECT id, 'evidence/generated/' || md5(id::text) || '.png', md5(id::text) || '.png',
                'screenshot-' || id || '.png', 'image/png', 20000 + id %% %s,
                md5(id::text) || md5(reverse(id::text)), {col(c, "reporter")}, {col(c, "created_at")}
            FROM {table(c)} WHERE id %% %s = 0
            """,
            [80000, 5],
        )

    def create_notifications(self):
        """The handler's 'case routed to you' for one case in three, read unless the case is still open."""
        n, c = Notification, Case
        before, _, after = case_url("REFERENCE").partition("REFERENCE")
        names = ["recipient", "kind", "title", "link", "created_at", "read_at", "about_type", "about_id"]
        columns = ", ".join(col(n, name) for name in names)
        # About the case, as the app's own are: triaging it clears them (notifications_clear).
        about_type = ContentType.objects.get_for_model(Case).pk
        return self.run(
            f"""
            INSERT INTO {table(n)} ({columns})
            SELECT {col(c, "handler")}, %s, 'Case ' || {col(c, "reference")} || %s,
                %s || {col(c, "reference")} || %s, {col(c, "created_at")},
                CASE WHEN {col(c, "stage")} IN ('closed', 'closed_at_triage')
                     THEN {col(c, "created_at")} + interval '1 day' END,
                %s, id
            FROM {table(c)} WHERE id %% %s = 0
            """,
            [Kind.CASE_ROUTED, " has been routed to you for triage", before, after, about_type, 3],
        )

    def create_audit(self):
        """The handler's first look at each case, two hours after it was raised: chained by the audit app
        as it is written (COPY), so that verify_audit passes on the generated database."""
        cases = Case.objects.order_by("pk").values_list("pk", "handler", "created_at", "reference")
        later, view = datetime.timedelta(hours=2), AuditEntry.Action.VIEW.value
        return chain.load(
            (created_at + later, handler, None, view, pk, f"viewed {ref}", {})
            for pk, handler, created_at, ref in cases.iterator(chunk_size=10_000)
        )

    def create_long_timelines(self):
        """Notes and messages, alternately, on the first few cases (all open): the longest case pages."""
        e, c = CaseEvent, Case
        columns = ", ".join(
            col(e, name)
            for name in ["case", "kind", "actor", "at", "from_stage", "to_stage", "text"]
            + ["visible_to_reporter"]
        )
        return self.run(
            f"""
            INSERT INTO {table(e)} ({columns})
            SELECT c.id, CASE WHEN n %% 2 = 0 THEN 'message' ELSE 'note' END, c.{col(c, "handler")},
                c.{col(c, "created_at")} + n * interval '1 hour', '', '',
                'Generated follow-up number ' || n || '.', n %% 2 = 0
            FROM (SELECT * FROM {table(c)} ORDER BY id LIMIT %s) c
            CROSS JOIN generate_series(1, %s) AS n
            """,
            [LONG_TIMELINE_CASES, LONG_TIMELINE_EVENTS],
        )

    def create_deliveries(self):
        """Each notification's in-app delivery, sent when it was made."""
        d, n = Delivery, Notification
        columns = ", ".join(
            col(d, name)
            for name in ["notification", "channel", "status", "due_at", "digest", "attempts", "last_error"]
            + ["sent_at"]
        )
        return self.run(
            f"""
            INSERT INTO {table(d)} ({columns})
            SELECT id, %s, %s, {col(n, "created_at")}, false, 1, '', {col(n, "created_at")}
            FROM {table(n)}
            """,
            [Delivery.Channel.IN_APP, Delivery.Status.SENT],
        )
