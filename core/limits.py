"""The most text each field may hold, checked by the form, the API and the database alike.

A CharField has its max_length (a varchar on PostgreSQL). A TextField is given a max_length too, which
makes the form's Textarea (maxlength, and the error "at most N characters (you gave M)") and the API's
limit, and its model lists a CHECK on the length with `length_checks`, so that nothing else (a service
called from a command, a task, the admin) stores more. tests/architecture/test_text_limits.py keeps every
model to it: a new text field without a limit, or without its CHECK, fails there.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# One web address: a case's links are one a line, each at most this.
LINK = 2_000
# What a person writes: what was seen, a note, a message, a reason, a summary of advice.
LONG_TEXT = 20_000
# A line of a timeline: what a person wrote, and the words the app puts around it (file names too).
TIMELINE_TEXT = 30_000
# A clause as it read (with its lettered items), copied onto a case or a disciplinary record.
CLAUSE_TEXT = 100_000
# The whole text of a policy version, as imported.
POLICY_TEXT = 1_000_000

# Every limit on text says so in the same words: "at most 200 characters here (you gave 250)".
MaxLengthValidator.message = "Write at most %(limit_value)d characters here (you gave %(show_value)d)."


def length_checks(**limits):
    """The database's side of text fields' max_length: a CHECK on each one's length in characters
    (LENGTH, the same on PostgreSQL and SQLite), named <app>_<model>_<field>_length.

    In a model's Meta: constraints = [*length_checks(description=LONG_TEXT, links=LONG_TEXT)]."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(field), limit), name=f"%(app_label)s_%(class)s_{field}_length"
        )
        for field, limit in limits.items()
    ]
