"""Every text field of the project's models has a most it may hold (core/limits.py): a CharField its
max_length, a TextField its max_length and a CHECK on its length in the database, of the same limit. A new
field that forgets either fails here."""

import sys
from pathlib import Path

from django.apps import apps
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

ROOT = Path(__file__).resolve().parents[2]
# The installed packages, wherever the virtualenv is (in a clone it sits inside ROOT, as .venv).
PACKAGES = Path(sys.prefix).resolve()


def project_text_fields():
    for model in apps.get_models():
        path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
        if not path.is_relative_to(ROOT) or path.is_relative_to(PACKAGES):
            continue  # Django's, guardian's, Celery beat's…: not ours to limit
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.generated:
                yield model, field


def length_check_limit(model, field):
    """The limit of the field's CHECK (core.limits.length_checks), or None without one."""
    for constraint in model._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if (
            isinstance(condition, LessThanOrEqual)
            and isinstance(condition.lhs, Length)
            and condition.lhs.source_expressions[0].name == field.name
        ):
            return condition.rhs
    return None


def test_the_project_has_text_fields_to_check():
    names = {f"{model._meta.label}.{field.name}" for model, field in project_text_fields()}
    assert {"cases.Case.description", "cases.Case.links", "cases.CaseEvent.text"} <= names


def test_every_text_field_has_a_maximum_length():
    missing = [
        f"{model._meta.label}.{field.name}"
        for model, field in project_text_fields()
        if field.max_length is None
    ]
    assert missing == [], "Give these a max_length (core/limits.py)"


def test_every_long_text_field_has_its_check_in_the_database():
    wrong = [
        f"{model._meta.label}.{field.name}: max_length {field.max_length}, "
        f"CHECK {length_check_limit(model, field)}"
        for model, field in project_text_fields()
        if isinstance(field, models.TextField) and length_check_limit(model, field) != field.max_length
    ]
    assert wrong == [], "Add *length_checks(field=LIMIT) to the model's Meta.constraints (core/limits.py)"
