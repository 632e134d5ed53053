"""The handler's timeline of a case, drawn in Python.

Drawn by the template engine, each event cost some four hundred function calls (two dates, three
displays, the escapes): half the case page's work for a timeline of fifty events (issue 13). The HTML is
the one the template wrote, every value escaped.
"""

from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe

from core.tables import escape

# Events of an anonymous reporter's, shown as theirs when no account is named on them.
_REPORTERS_KINDS = ("raised", "reporter_message", "evidence")


def handler_timeline(events, case):
    """The <li> of each event of `events` (a page of CaseEvent with their actors), in order."""
    anonymous = case.is_anonymous
    parts = []
    for event in events:
        at = timezone.localtime(event.at)
        when = f'<time datetime="{at.isoformat()}">{at.day} {at:%b} {at.year}, {at:%H:%M}</time>'
        who = ""
        if event.actor_id is not None:
            who = f" · {escape(event.actor)}"
        elif anonymous and event.kind in _REPORTERS_KINDS:
            who = " · anonymous reporter"
        now = (
            f" · now {escape(event.get_to_stage_display())}"
            if event.to_stage and event.kind == "stage"
            else ""
        )
        text = linebreaks(event.text, autoescape=True) if event.text else ""
        parts.append(
            f'\n    <li class="event-{escape(event.kind)}">\n'
            f'      <p class="meta">{when} · {escape(event.get_kind_display())}{who}{now}</p>\n'
            f"      {text}\n"
            f"    </li>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above
