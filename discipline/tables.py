"""The HR records list's columns (core.tables). Each row is (record, its warning's status today)."""

from django.utils.safestring import SafeString

from core.tables import Column, Table, day, day_text, due, escape, link


def _warning(row):
    record, warning = row
    if not warning:
        return None
    tag = f'<span class="tag tag-{escape(warning)}">{escape(warning.capitalize())}</span>'
    if record.warning_expires_on is None:
        return SafeString(f'{tag} <span class="meta">no expiry on record</span>')
    when = "until" if warning == "live" else "since"
    return SafeString(f'{tag} <span class="meta">{when} {day_text(record.warning_expires_on)}</span>')


RECORDS = Table(
    Column("Reference", lambda row: link(row[0].get_absolute_url(), row[0].reference), row_header=True),
    Column("Employee", lambda row: row[0].employee),
    Column("Team", lambda row: row[0].employee_team),
    Column("Severity", lambda row: row[0].get_severity_display()),
    Column("Step", lambda row: row[0].get_step_display()),
    # What waits next on the record and by when (DisciplinaryRecord.next_work, reminders.due).
    Column("Waiting for", lambda row: row[0].next_work().what),
    Column("Due", lambda row: due(row[0].next_work())),
    Column("Outcome in force", lambda row: row[0].get_outcome_in_force_display()),
    Column("Warning", _warning),
    Column("Opened", lambda row: day(row[0].opened_on)),
    empty="No records to show.",
)
