"""Calling a service from a view: if it refuses (DomainError), the person sees its message."""

from django.contrib import messages

from .errors import DomainError


def form_submit(form, service, /, **kwargs):
    """Call `service(**kwargs)`. If it refuses, its message goes on `form` (bound) as a non-field error.

    Returns what the service returned (services return what they made or changed), or None if it refused.
    """
    try:
        return service(**kwargs)
    except DomainError as error:
        form.add_error(None, str(error))
        return None


def message_submit(request, service, /, **kwargs):
    """As form_submit, for a button without a form: the refusal is shown as an error message."""
    try:
        return service(**kwargs)
    except DomainError as error:
        messages.error(request, str(error))
        return None
