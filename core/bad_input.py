"""Requests no page could use are refused at the door, with a page that says why, never a 500.

- A body larger than REQUEST_MAX_BYTES (by its Content-Length) is refused with 413 before any of it is read.
- A control character in the address (its path, or a name or value in its query string) is refused with
  400: no address of ours has one, and a NUL would reach the database, which refuses it (PostgreSQL keeps
  no NUL in text), as a 500.
- A NUL in a form's value is refused with 400 too, for the views that read a value without a form. Other
  control characters in a form's value are let through: text pasted from elsewhere may carry them (a
  vertical tab from a word processor), the database keeps them, and refusing would lose the form.

A form past DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS or DATA_UPLOAD_MAX_NUMBER_FILES is
refused by Django when it is read; bad_request (handler400) says which limit it passed.
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .text import size_text

# C0 controls and DEL. Tab, newline and carriage return too: no address holds them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

BAD_ADDRESS = (
    "The address has a character no address on this site has (a control character such as NUL). "
    "Check the link, or go back and try again."
)
BAD_FORM = "The form sent a NUL character, which no field takes. Nothing was saved: go back and try again."
TOO_MANY_FIELDS = "The form sent more fields or files than any form here has. Nothing was saved."
NOT_UNDERSTOOD = "The request could not be understood. Go back and try again."


def too_large():
    return (
        f"What you sent is too large: at most {size_text(settings.REQUEST_MAX_BYTES)} can be sent at once, "
        f"with each evidence file at most {size_text(settings.EVIDENCE_MAX_BYTES)}. "
        "Nothing was saved: go back and send less, or send the files a few at a time."
    )


def form_too_large():
    return (
        f"The text of the form is too large: at most {size_text(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)} "
        "besides its files. Nothing was saved: go back and shorten it."
    )


# The API answers in JSON, shaped as its refused filters are ({name: [messages]}, api/schema.py BAD_FILTER).
API_PREFIX = "/api/"


def refused(reason, status=400, request=None):
    """The page for a refused request. Standalone (templates/400.html), as the request may be refused
    before the session and sign-in middleware have seen it; for the API, its JSON error."""
    if request is not None and request.path.startswith(API_PREFIX):
        return JsonResponse({"request": [reason]}, status=status)
    return HttpResponse(render_to_string("400.html", {"reason": reason}), status=status)


def _bad_text(pattern, pairs):
    return any(
        pattern.search(name) or any(pattern.search(value) for value in values) for name, values in pairs
    )


def address_is_bad(request):
    return bool(CONTROL_CHARACTERS.search(request.path)) or _bad_text(CONTROL_CHARACTERS, request.GET.lists())


def form_has_nul(request):
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return False
    return _bad_text(re.compile("\x00"), request.POST.lists())


class BadInputMiddleware:
    """Early in MIDDLEWARE: nothing below it (sessions, sign-in, views, the database) sees such a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) > settings.REQUEST_MAX_BYTES:
            return refused(too_large(), status=413, request=request)
        if address_is_bad(request):
            return refused(BAD_ADDRESS, request=request)
        if form_has_nul(request):
            return refused(BAD_FORM, request=request)
        return self.get_response(request)


def bad_request(request, exception):
    """handler400: says which of Django's limits on a form was passed; for anything else, little."""
    if isinstance(exception, RequestDataTooBig):
        return refused(form_too_large(), status=413, request=request)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return refused(TOO_MANY_FIELDS, request=request)
    return refused(NOT_UNDERSTOOD, request=request)
