"""The address and path of the request being served, for audit entries written deep inside services."""

import functools
import ipaddress
from contextvars import ContextVar

from django.conf import settings

client_ip: ContextVar[str | None] = ContextVar("client_ip", default=None)
# What was asked for, for the entry of a refusal: the path only (a query string may hold what was searched).
requested_path: ContextVar[str | None] = ContextVar("requested_path", default=None)


def _ip_or_none(value):
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_address(meta, trusted_proxies):
    """The client's address: REMOTE_ADDR, or behind `trusted_proxies` proxies the address the outermost of
    them saw, read from X-Forwarded-For.

    Each proxy appends the address it received the request from, so with N trusted proxies the client is
    the N-th address from the right. Anything further left was sent by the client and may be forged. With
    fewer addresses than proxies the request did not come through all of them (or the header is wrong):
    the left-most address is the best we know. A value that is not an IP address is never recorded.
    """
    remote = _ip_or_none(meta.get("REMOTE_ADDR"))
    if trusted_proxies <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return _ip_or_none(forwarded[-min(trusted_proxies, len(forwarded))])


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # X-Forwarded-For only as far as the TRUSTED_PROXY_COUNT proxies in front of the site rewrite it.
        token = client_ip.set(client_address(request.META, settings.TRUSTED_PROXY_COUNT))
        path_token = requested_path.set(request.path[:300])
        try:
            return self.get_response(request)
        finally:
            requested_path.reset(path_token)
            client_ip.reset(token)


def untraced(view):
    """For the pages of anonymous reporting: the audit entries written while the view runs carry no
    address (the middleware has already read it; this forgets it for the view's duration)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        token = client_ip.set(None)
        try:
            return view(request, *args, **kwargs)
        finally:
            client_ip.reset(token)

    return wrapped
