"""The two-factor pages: the account page, enrolment (with its QR code) and the code asked at sign-in."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from .forms import CodeForm
from .twofactor import ENROLLED, needs_second_factor, totp_device_for_enrolment, two_factor_enrol

WRONG_CODE = "That code is not right, or it has been used. Check the time on your phone and try again."


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_required
@never_cache
def two_factor(request):
    """The account page "Two-factor sign-in": whether it is on, and the backup codes left."""
    backup_left = StaticToken.objects.filter(device__user=request.user, device__confirmed=True).count()
    context = {
        "enrolled": user_has_device(request.user),
        "required": needs_second_factor(request.user),
        "backup_left": backup_left,
    }
    return render(request, "signin/two_factor.html", context)


@login_required
@never_cache
def enrol(request):
    """Set up an authenticator app: scan the code, give the first code, receive the backup codes once."""
    if user_has_device(request.user) and not request.user.is_verified():
        return redirect("signin:verify")
    device = totp_device_for_enrolment(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = two_factor_enrol(user=request.user, device=device)
            request.session[ENROLLED] = True
            otp_login(request, device)
            return render(request, "signin/backup_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", WRONG_CODE)
    context = {"form": form, "secret": _base32(device), "next": _next(request)}
    return render(request, "signin/enrol.html", context)


@login_required
@never_cache
def qr_code(request):
    """The QR code of the authenticator device being set up, as SVG (a file, so no inline data)."""
    if user_has_device(request.user) and not request.user.is_verified():
        raise Http404  # a new device is set up only after giving a code from the present one
    device = totp_device_for_enrolment(request.user)
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@never_cache
def verify(request):
    """The second step of signing in: a code from the authenticator app or a backup code."""
    if not user_has_device(request.user):
        return redirect("signin:enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", WRONG_CODE)
    return render(request, "signin/verify.html", {"form": form, "next": _next(request)})


def _base32(device):
    from base64 import b32encode

    return b32encode(device.bin_key).decode()
