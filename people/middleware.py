"""The leaving date is checked on every request: a person whose date has come is signed out at once."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.functional import LazyObject, empty

from .services import login_session_remember, person_leave


class LeaverMiddleware:
    """After AuthenticationMiddleware (and MessageMiddleware): if the signed-in person has left, carry out
    their leaving (once) and sign them out. Someone already unticked as active is never signed in: Django's
    ModelBackend refuses inactive users.

    It also records the session's key when it has changed since it was last recorded, so that leaving ends
    every session of the person (a change costs one write; an unchanged key, none)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = user = _unwrapped(request.user)
        if user.is_authenticated and user.has_left():
            person_leave(person=user)
            logout(request)
            messages.info(request, "Your access has ended because you have left focus.")
            return redirect("login")
        if user.is_authenticated:
            login_session_remember(user=user, session=request.session)
        return self.get_response(request)


def _unwrapped(user):
    """The person behind request.user's lazy wrappers (Django's, and django-otp's around it). Each attribute
    read through them is forwarded twice, raising an AttributeError on the way: a few hundred reads on a case
    page (issue 13). Every request past here reads the person anyway, so it is read now, once."""
    while isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user
