"""core.choices.ChoiceLabels: get_FOO_display gives what Django's gives, for every choice and for a value
that is none of them, on each model that keeps its labels."""

import pytest
from django.db.models.base import Model

from audit.models import AuditEntry
from cases.models import Case, CaseEvent
from discipline.models import DisciplinaryRecord, RecordEvent

MODELS = [Case, CaseEvent, DisciplinaryRecord, RecordEvent, AuditEntry]


@pytest.mark.parametrize("model", MODELS)
def test_every_label_is_djangos(model):
    fields = [field for field in model._meta.concrete_fields if field.choices]
    assert fields
    for field in fields:
        for value in [*(value for value, _ in field.flatchoices), "no such choice", None]:
            instance = model()
            setattr(instance, field.attname, value)
            ours = getattr(instance, f"get_{field.name}_display")()
            assert ours == Model._get_FIELD_display(instance, field)
            assert type(ours) is type(Model._get_FIELD_display(instance, field))
        assert "_choice_labels" in field.__dict__  # kept, not made again on each call
