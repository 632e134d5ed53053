"""The audit log's columns (core.tables). Each entry has `openable`: whether the reader may open its case."""

from django.utils.safestring import SafeString

from core.tables import Column, Table, escape, link, moment


def _who(entry):
    if not entry.actor:
        return "The system"
    return SafeString(
        f'{escape(entry.actor.display_name)} <span class="meta">({escape(entry.actor.username)})</span>'
    )


def _did_what(entry):
    what = f": {escape(entry.what)}" if entry.what else ""
    return SafeString(f"<strong>{escape(entry.get_action_display())}</strong>{what}")


def _case(entry):
    if not entry.case:
        return None
    return (
        link(entry.case.get_absolute_url(), entry.case.reference) if entry.openable else entry.case.reference
    )


def _details(entry):
    lines = entry.detail_lines()
    if not lines:
        return None
    facts = "".join(
        f"\n        <dt>{escape(label)}</dt><dd>{escape(text)}</dd>\n      " for label, text in lines
    )
    return SafeString(f'<dl class="facts">{facts}</dl>')


AUDIT_LOG = Table(
    Column("When", lambda entry: moment(entry.at)),
    Column("Who", _who),
    Column("Did what", _did_what),
    Column("Case", _case),
    Column("Details", _details),
    Column("From where", lambda entry: entry.ip_address or "Not known"),
    empty="No entries to show.",
)
