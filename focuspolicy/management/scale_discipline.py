"""seed_scale's HR part: disciplinary records, the referrals to HR they came from, and appeals.

Set-based SQL like the rest of seed_scale, with table and column names from the models' _meta.
"""
# S608: only table and column names from the models' _meta are put into the SQL; values are parameters.
# ruff: noqa: S608

from django.db import connection

from cases.models import Case, CaseClause, DisciplinaryReferral, ReferenceCounter
from cases.models import Outcome as CaseOutcome
from discipline.models import AppealOutcome, DisciplinaryRecord, Outcome, RecordClause, Step, WarningPeriods
from discipline.services import REFERENCE_PREFIX as RECORD_PREFIX
from people.models import User

GOVERNANCE_TITLE = "Head of Business and Governance"
HR_TITLE = "HR Business Partner"


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def col(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


class DisciplineSeed:
    """Mixed into the command, which gives `run(sql, params)` on its cursor."""

    def create_records(self):
        """HR records about the colleague in about 2% of cases: recent ones opened, older ones decided."""
        d, c, u = DisciplinaryRecord, Case, User
        periods = WarningPeriods.current()
        hr = User.objects.get(job_title=HR_TITLE).pk
        names = [
            "reference",
            "case",
            "employee",
            "employee_team",
            "employment_type",
            "allegation",
            "severity",
        ]
        names += ["step", "opened_by", "opened_on", "hearing_held_on", "heard_by", "outcome", "decided_on"]
        names += ["outcome_in_force", "warning_expires_on", "updated_at"]
        names += ["investigator", "investigation_completed_on", "invitation_sent_on", "hearing_arranged_for"]
        # The other text fields are left blank ('', not NULL).
        blank = [
            field.name
            for field in d._meta.concrete_fields
            if field.get_internal_type() in ("CharField", "TextField") and field.name not in names
        ]
        columns = ", ".join(col(d, name) for name in names + blank)
        count = self.run(
            f"""
            WITH chosen AS (
                SELECT c.id, c.{col(c, "subject_person")} AS employee, e.{col(u, "team")} AS team,
                    e.{col(u, "employment_type")} AS employment_type,
                    (c.{col(c, "created_at")} + interval '14 days')::date AS opened_on,
                    c.{col(c, "created_at")} > now() - interval '180 days' AS recent,
                    (%(outcomes)s::text[])[1 + c.id %% 5] AS outcome
                FROM {table(c)} c JOIN {table(u)} e ON e.id = c.{col(c, "subject_person")}
                WHERE c.{col(c, "subject_person")} IS NOT NULL AND c.{col(c, "subject_person")} <> %(hr)s
                    AND c.id %% 17 = 0),
            numbered AS (
                SELECT chosen.*, row_number() OVER (
                    PARTITION BY date_part('year', opened_on) ORDER BY opened_on, id) AS number
                FROM chosen)
            INSERT INTO {table(d)} ({columns})
            SELECT %(prefix)s || '-' || date_part('year', opened_on) || '-'
                    || lpad(number::text, greatest(4, length(number::text)), '0'),
                id, employee, team, employment_type, 'Generated allegation about social media use.',
                CASE WHEN id %% 5 = 0 THEN 'gross_misconduct' ELSE 'misconduct' END,
                CASE WHEN recent THEN 'opened' ELSE 'decided' END, %(hr)s, opened_on,
                CASE WHEN recent THEN NULL ELSE opened_on + 40 END,
                CASE WHEN recent THEN NULL ELSE %(hr)s END,
                CASE WHEN recent THEN '' ELSE outcome END,
                CASE WHEN recent THEN NULL ELSE opened_on + 45 END,
                CASE WHEN recent THEN '' ELSE outcome END,
                CASE WHEN recent THEN NULL
                     WHEN outcome = 'first_written_warning' THEN opened_on + 45
                         + %(first)s * interval '1 month'
                     WHEN outcome = 'final_written_warning' THEN opened_on + 45
                         + %(final)s * interval '1 month'
                     END,
                now(), %(hr)s,
                CASE WHEN recent THEN NULL ELSE opened_on + 20 END,
                CASE WHEN recent THEN NULL ELSE opened_on + 25 END,
                CASE WHEN recent THEN NULL ELSE opened_on + 40 END
                {", ''" * len(blank)}
            FROM numbered
            """,
            {
                "outcomes": ["no_action", "informal_action", "first_written_warning", "final_written_warning"]
                + ["dismissal"],
                "hr": hr,
                "prefix": RECORD_PREFIX,
                "first": periods.first_written_warning_months,
                "final": periods.final_written_warning_months,
            },
        )
        r, d = ReferenceCounter, DisciplinaryRecord
        self.run(
            f"""
            INSERT INTO {table(r)} ({col(r, "prefix")}, {col(r, "year")}, {col(r, "last_number")})
            SELECT %s, date_part('year', {col(d, "opened_on")})::int, count(*) FROM {table(d)} GROUP BY 2
            """,
            [RECORD_PREFIX],
        )
        return count

    def create_record_clauses(self):
        """Each record cites the clauses of its case, with the same snapshots."""
        rc, d, cc = RecordClause, DisciplinaryRecord, CaseClause
        return self.run(
            f"""
            INSERT INTO {table(rc)}
                ({col(rc, "record")}, {col(rc, "clause")}, {col(rc, "number")}, {col(rc, "text")})
            SELECT d.id, cc.{col(cc, "clause")}, cc.{col(cc, "number")}, cc.{col(cc, "text")}
            FROM {table(d)} d JOIN {table(cc)} cc ON cc.{col(cc, "case")} = d.{col(d, "case")}
            """
        )

    def create_referrals(self):
        """The governance head's referral to HR (clauses 2.4, 5.2) of the colleague in every case with a
        disciplinary record and every closed case whose outcome was a referral; each record is linked to
        the referral of its case."""
        r, c, d = DisciplinaryReferral, Case, DisciplinaryRecord
        governance = User.objects.get(job_title=GOVERNANCE_TITLE).pk
        columns = ", ".join(
            col(r, name)
            for name in ["case", "recorded_by", "recorded_at", "person", "allegation", "severity"]
        )
        count = self.run(
            f"""
            INSERT INTO {table(r)} ({columns})
            SELECT c.id, %(governance)s, c.{col(c, "created_at")} + interval '10 days',
                c.{col(c, "subject_person")}, 'Generated allegation about social media use.',
                CASE WHEN c.id %% 5 = 0 THEN 'gross_misconduct' ELSE 'misconduct' END
            FROM {table(c)} c
            WHERE c.{col(c, "subject_person")} IS NOT NULL AND (c.{col(c, "outcome")} = %(referral)s
                OR EXISTS (SELECT 1 FROM {table(d)} d WHERE d.{col(d, "case")} = c.id))
            """,
            {"governance": governance, "referral": CaseOutcome.DISCIPLINARY_REFERRAL},
        )
        self.run(
            f"UPDATE {table(d)} d SET {col(d, 'referral')} = r.id FROM {table(r)} r "
            f"WHERE r.{col(r, 'case')} = d.{col(d, 'case')}"
        )
        return count

    def create_referral_clauses(self):
        """Each referral says the case's clauses were breached."""
        r, cc = DisciplinaryReferral, CaseClause
        field = r._meta.get_field("clauses_breached")
        through = field.remote_field.through
        q = connection.ops.quote_name
        return self.run(
            f"""
            INSERT INTO {table(through)} ({q(field.m2m_column_name())}, {q(field.m2m_reverse_name())})
            SELECT r.id, cc.id
            FROM {table(r)} r JOIN {table(cc)} cc ON cc.{col(cc, "case")} = r.{col(r, "case")}
            """
        )

    def create_appeals(self):
        """An appeal against one decided record in four: one in three of those still waiting for its
        hearing; of the heard ones, the decision upheld, except one in three overturned (no action)."""
        d = DisciplinaryRecord
        hr = User.objects.get(job_title=HR_TITLE).pk
        return self.run(
            f"""
            UPDATE {table(d)} SET
                {col(d, "appeal_lodged_on")} = {col(d, "decided_on")} + 7,
                {col(d, "appeal_grounds")} = 'Generated grounds of appeal.',
                {col(d, "step")} = CASE WHEN id %% 3 = 0 THEN %(lodged)s ELSE %(decided)s END,
                {col(d, "appeal_heard_on")} = CASE WHEN id %% 3 = 0 THEN NULL
                    ELSE {col(d, "decided_on")} + 30 END,
                {col(d, "appeal_heard_by")} = CASE WHEN id %% 3 = 0 THEN NULL ELSE %(hr)s END,
                {col(d, "appeal_outcome")} = CASE WHEN id %% 3 = 0 THEN ''
                    WHEN id %% 9 = 1 THEN %(overturned)s ELSE %(upheld)s END,
                {col(d, "appeal_reasons")} = CASE WHEN id %% 3 = 0 THEN ''
                    ELSE 'Generated appeal reasons.' END,
                {col(d, "outcome_in_force")} = CASE WHEN id %% 9 = 1 THEN %(no_action)s
                    ELSE {col(d, "outcome_in_force")} END,
                {col(d, "warning_expires_on")} = CASE WHEN id %% 9 = 1 THEN NULL
                    ELSE {col(d, "warning_expires_on")} END
            WHERE {col(d, "step")} = %(was)s AND id %% 4 = 0
            """,
            {
                "lodged": Step.APPEAL_LODGED,
                "decided": Step.APPEAL_DECIDED,
                "was": Step.DECIDED,
                "hr": hr,
                "overturned": AppealOutcome.OVERTURNED,
                "upheld": AppealOutcome.UPHELD,
                "no_action": Outcome.NO_ACTION,
            },
        )
