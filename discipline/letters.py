"""Letters HR send at the steps of a disciplinary record, from templates HR edit (LetterTemplate).

A template is plain text with placeholders such as {{ employee_name }}. It is rendered by Django's
template engine, but a restricted one: no template tags at all (so no {% load %}, {% include %} or
{% debug %}), only the placeholders below, no attribute access ({{ a.b }}) and only a few filters that
change letter case or give a default. The values are plain strings made here from the record, so a template
can reach nothing else. The letter is plain text; the PDF escapes it when it puts it into HTML.
"""

from django.template import Context, Engine, Library, TemplateSyntaxError, defaultfilters
from django.template.base import VariableNode
from django.utils import timezone

from core.text import day

from .models import LetterTemplate, Step

Kind = LetterTemplate.Kind

# The filters a template may use: case and defaults, nothing that makes HTML or reads other objects.
FILTERS = ("upper", "lower", "title", "capfirst", "default")

filters = Library()
for _name in FILTERS:
    filters.filter(_name, getattr(defaultfilters, _name))


class LetterEngine(Engine):
    """An engine whose only built-ins are FILTERS: every {% tag %} is an unknown tag."""

    default_builtins = []


# The engine loads its built-ins by module path and reads `register` from it: this module's FILTERS.
register = filters
_engine = LetterEngine(builtins=["discipline.letters"], autoescape=False)

# Each placeholder and what it holds, for the edit page. Dates read like 3 March 2026.
PLACEHOLDERS = {
    "employee_name": "The employee's full name",
    "employee_job_title": "The employee's job title",
    "record_reference": "The record's reference, e.g. DR-2026-0007",
    "allegation": "The allegation, as on the record",
    "clauses": "The clauses of the policy alleged to have been breached, e.g. 5.2 and 5.3",
    "severity": "Misconduct or gross misconduct",
    "hearing_date": "The date arranged for the hearing",
    "hearing_time": "The time of the hearing, e.g. 14:30",
    "hearing_place": "Where the hearing will be held",
    "invited_companion": "The companion the employee has named, if any (empty if not known)",
    "hearing_held_on": "The date the hearing was held",
    "heard_by": "Who heard the case",
    "outcome": "The outcome of the hearing, e.g. First written warning",
    "outcome_reasons": "The reasons for the outcome",
    "decided_on": "The date of the decision",
    "warning_expires_on": "When a warning stops counting (empty if the outcome is not a warning)",
    "appeal_lodged_on": "The date the appeal was lodged",
    "appeal_heard_on": "The date the appeal was heard",
    "appeal_heard_by": "Who heard the appeal",
    "appeal_outcome": "The outcome of the appeal, e.g. Original decision upheld",
    "appeal_reasons": "The reasons for the appeal decision",
    "outcome_in_force": "The outcome that now stands, after any appeal",
    "today": "Today's date, the date of the letter",
    "sender_name": "Your name, as the HR officer producing the letter",
}

# The step a record must have reached before each letter can be produced.
LETTER_AFTER = {
    Kind.INVITATION: Step.INVITED,
    Kind.OUTCOME: Step.DECIDED,
    Kind.APPEAL_OUTCOME: Step.APPEAL_DECIDED,
}
_POSITION = {step: position for position, step in enumerate(Step)}


def template_refusal(text):
    """Why `text` cannot be a letter template, or None if it can."""
    try:
        template = _engine.from_string(text)
    except TemplateSyntaxError as error:
        if "{%" in text:
            return (
                "Template tags such as {% load %} or {% if %} cannot be used: only placeholders like "
                "{{ employee_name }}."
            )
        return (
            f"The template cannot be read ({error}). Use only the placeholders and the filters "
            f"{', '.join(FILTERS)} listed below."
        )
    for node in template.nodelist.get_nodes_by_type(VariableNode):
        expression = node.filter_expression
        shown = f"“{{{{ {expression.token} }}}}”"
        # A filter's argument may be a placeholder too: |default:other_placeholder.
        arguments = [arg for _, args in expression.filters for is_variable, arg in args if is_variable]
        for variable in [expression.var, *arguments]:
            lookups = getattr(variable, "lookups", None)
            if lookups is None:
                continue  # A literal, such as the text of |default:"none"
            if len(lookups) > 1:
                return f"{shown} reads inside a value: use the placeholders as they are, with no dot."
            if lookups[0] not in PLACEHOLDERS:
                return f"{shown} is not one of the placeholders listed below."
    return None


def letter_ready(record, kind):
    """Whether the record has reached the step the letter tells of."""
    return _POSITION[Step(record.step)] >= _POSITION[LETTER_AFTER[kind]]


def _day(value):
    return day(value) if value else ""


def _in_words(items):
    """["5.2", "5.3", "6.1"] as "5.2, 5.3 and 6.1"."""
    return " and ".join(filter(None, [", ".join(items[:-1]), *items[-1:]]))


def letter_values(record, *, sender, clause_numbers, today=None):
    """The plain values the placeholders stand for, from the record."""
    numbers = list(clause_numbers)
    return {
        "employee_name": record.employee.get_full_name() or record.employee.get_username(),
        "employee_job_title": record.employee.job_title or "",
        "record_reference": record.reference,
        "allegation": record.allegation,
        "clauses": _in_words(numbers),
        "severity": record.get_severity_display().lower(),
        "hearing_date": _day(record.hearing_arranged_for),
        "hearing_time": record.hearing_time.strftime("%H:%M") if record.hearing_time else "",
        "hearing_place": record.hearing_place,
        "invited_companion": record.invited_companion,
        "hearing_held_on": _day(record.hearing_held_on),
        "heard_by": str(record.heard_by or ""),
        "outcome": record.get_outcome_display(),
        "outcome_reasons": record.outcome_reasons,
        "decided_on": _day(record.decided_on),
        "warning_expires_on": _day(record.warning_expires_on),
        "appeal_lodged_on": _day(record.appeal_lodged_on),
        "appeal_heard_on": _day(record.appeal_heard_on),
        "appeal_heard_by": str(record.appeal_heard_by or ""),
        "appeal_outcome": record.get_appeal_outcome_display(),
        "appeal_reasons": record.appeal_reasons,
        "outcome_in_force": record.get_outcome_in_force_display(),
        "today": day(today or timezone.localdate()),
        "sender_name": sender.get_full_name() or sender.get_username(),
    }


def render_letter_text(text, values):
    """`text` (a template that passed template_refusal) filled with `values`, as plain text."""
    rendered = _engine.from_string(text).render(Context(values, autoescape=False))
    # render() marks its result safe as HTML; this is plain text, which the PDF's template must escape.
    return "".join([rendered])
