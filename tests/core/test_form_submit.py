"""core.views: a service's refusal reaches the person, on the form or as a message."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.errors import DomainError
from core.views import form_submit, message_submit


def refuse(**kwargs):
    raise DomainError("Give the reason for this step.")


def accept(**kwargs):
    return kwargs


def test_form_submit_returns_what_the_service_made():
    form = forms.Form({})
    assert form_submit(form, accept, reason="late") == {"reason": "late"}
    assert form.non_field_errors() == []


def test_form_submit_puts_the_refusal_on_the_form():
    form = forms.Form({})
    assert form_submit(form, refuse, reason="") is None
    assert form.non_field_errors() == ["Give the reason for this step."]
    assert not form.is_valid()


def test_message_submit_shows_the_refusal_as_an_error_message():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    assert message_submit(request, refuse) is None
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "Give the reason for this step.")
    ]


def test_anything_else_is_not_caught():
    def broken(**kwargs):
        raise ValueError("a bug")

    with pytest.raises(ValueError):
        form_submit(forms.Form({}), broken)
