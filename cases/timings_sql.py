"""Every case's working days to triage and to decision (Case.triage_working_days and
decision_working_days) computed from its stage events in a few set-based queries: for the cases made before
the columns (cases migration 0022) and for generated ones (seed_scale). From then on cases.timers.
case_timings_record sets them as each case moves.

The moments are those of cases.timers: triaged by the first move out of triage, decided by the first move
out of waiting for a decision after the first referral. The working days are `working_days_taken`
(reminders.calendar) in SQL, over a temporary calendar table whose `number` counts the working days from
its first day: the working days after one day up to another are the difference of their numbers, and one
more unless it was done on a working day no later in the day than it started.
"""

import datetime

from django.utils import timezone

from reminders.calendar import is_working_day

from .workflow import AWAITING_DECISION, TRIAGE_STAGES, Stage

CASES, EVENTS, CALENDAR = "cases_case", "cases_caseevent", "case_timings_calendar"


def _outside(stages):
    return [str(stage) for stage in Stage.values if stage not in stages]


def _in(values):
    return ", ".join(["%s"] * len(values))


# (case_id, started, done) of the cases triaged: raised, and first moved out of triage.
TRIAGE_PAIRS = f"""
    SELECT c.id AS case_id, c.created_at AS started, t.done
    FROM {CASES} c INNER JOIN (
        SELECT case_id, MIN(at) AS done FROM {EVENTS}
        WHERE kind = 'stage'
            AND from_stage IN ({_in(TRIAGE_STAGES)}) AND to_stage IN ({_in(_outside(TRIAGE_STAGES))})
        GROUP BY case_id
    ) t ON t.case_id = c.id
"""  # noqa: S608 (constants only: every value is a parameter)
TRIAGE_PARAMS = [*map(str, TRIAGE_STAGES), *_outside(TRIAGE_STAGES)]

# (case_id, started, done) of the cases decided: first referred, and first moved out of waiting after it.
DECISION_PAIRS = f"""
    SELECT r.case_id, r.started, MIN(e.at) AS done
    FROM (
        SELECT case_id, MIN(at) AS started FROM {EVENTS}
        WHERE kind = 'stage' AND to_stage = %s
        GROUP BY case_id
    ) r
    INNER JOIN {EVENTS} e ON e.case_id = r.case_id AND e.kind = 'stage' AND e.at >= r.started
        AND e.from_stage IN ({_in(AWAITING_DECISION)}) AND e.to_stage IN ({_in(_outside(AWAITING_DECISION))})
    GROUP BY r.case_id, r.started
"""  # noqa: S608 (as above)
DECISION_PARAMS = [str(Stage.REFERRED), *map(str, AWAITING_DECISION), *_outside(AWAITING_DECISION)]


def _moment(value):
    """A moment from the database: SQLite gives it as text, in UTC."""
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=datetime.UTC)


def _calendar_make(cursor, connection):
    """The temporary calendar of every local day from the first case or event to the last event or today;
    False when there are no cases."""
    cursor.execute(
        f"SELECT MIN(created_at), (SELECT MIN(at) FROM {EVENTS}), (SELECT MAX(at) FROM {EVENTS}) FROM {CASES}"  # noqa: S608
    )
    moments = [_moment(value) for value in cursor.fetchone() if value is not None]
    if not moments:
        return False
    days = [timezone.localdate(moment) for moment in moments]
    day = min(days) - datetime.timedelta(days=1)
    end = max(*days, timezone.localdate()) + datetime.timedelta(days=1)
    rows, number = [], 0
    while day <= end:
        working = is_working_day(day)
        number += working
        rows.append((connection.ops.adapt_datefield_value(day), working, number))
        day += datetime.timedelta(days=1)
    cursor.execute(f"DROP TABLE IF EXISTS {CALENDAR}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {CALENDAR} (day date PRIMARY KEY, is_working boolean, number integer)"
    )
    cursor.executemany(f"INSERT INTO {CALENDAR} (day, is_working, number) VALUES (%s, %s, %s)", rows)  # noqa: S608
    return True


def _local(connection, column, part):
    """SQL and parameters of the local date or time of the moment `column`, in this database's dialect."""
    tzname = timezone.get_current_timezone_name()
    cast = connection.ops.datetime_cast_date_sql if part == "date" else connection.ops.datetime_cast_time_sql
    sql, params = cast(column, (), tzname)
    return sql, list(params)


def _taken(connection, pairs, pairs_params):
    """SQL and parameters of (case_id, taken): the working days each pair of `pairs` took."""
    local = [
        _local(connection, moment, part) for moment in ("p.started", "p.done") for part in ("date", "time")
    ]
    sql = f"""
        SELECT q.case_id,
            CASE
                WHEN q.done <= q.started THEN 0
                WHEN d.is_working AND q.done_time <= q.start_time AND d.number > s.number
                    THEN d.number - s.number
                ELSE d.number - s.number + 1
            END AS taken
        FROM (
            SELECT p.case_id, p.started, p.done,
                {local[0][0]} AS start_day, {local[1][0]} AS start_time,
                {local[2][0]} AS done_day, {local[3][0]} AS done_time
            FROM ({pairs}) p
        ) q
        INNER JOIN {CALENDAR} s ON s.day = q.start_day
        INNER JOIN {CALENDAR} d ON d.day = q.done_day
    """  # noqa: S608 (constants only: every value is a parameter)
    return sql, [*(param for _, params in local for param in params), *pairs_params]


def case_working_days_fill(connection):
    """Set every case's triage_working_days and decision_working_days from its stage events (those not
    triaged or decided keep none), in one UPDATE: each case is written once, as its indexes make every
    write of a row cost more than reading it. Returns how many cases were triaged or decided."""
    with connection.cursor() as cursor:
        if not _calendar_make(cursor, connection):
            return 0
        triage, triage_params = _taken(connection, TRIAGE_PAIRS, TRIAGE_PARAMS)
        decision, decision_params = _taken(connection, DECISION_PAIRS, DECISION_PARAMS)
        # A decided case was referred, so triaged (only a case in triage is referred): FULL JOIN all the same.
        cursor.execute(
            f"""
            UPDATE {CASES} SET triage_working_days = w.triage, decision_working_days = w.decision
            FROM (
                SELECT COALESCE(t.case_id, d.case_id) AS case_id, t.taken AS triage, d.taken AS decision
                FROM ({triage}) t FULL JOIN ({decision}) d ON d.case_id = t.case_id
            ) w
            WHERE {CASES}.id = w.case_id
            """,  # noqa: S608 (as above)
            [*triage_params, *decision_params],
        )
        filled = cursor.rowcount
        cursor.execute(f"DROP TABLE {CALENDAR}")
    return filled
