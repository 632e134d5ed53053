"""The site's menu drawn in Python: every page has it, and its forty links, conditions and badges cost the
template engine some 1,500 function calls a page, more than many pages' own content (issue 13). The same
HTML as the template it replaced; the navigation's facts come from focuspolicy.context_processors."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_CURRENT = ' aria-current="page"'


def _link(url, label, current, badge=""):
    return f'<a href="{escape(url)}"{_CURRENT if current else ""}>{label}{badge}</a>'


def _badge(count, hidden):
    return f' <span class="badge">{escape(str(count))}<span class="visually-hidden"> {hidden}</span></span>'


def _csrf_input(context):
    # As {% csrf_token %} writes it.
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's word for no token
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The menu of someone signed in: their links, the one they are on marked, and their badges."""
    request, nav = context["request"], context["nav"]
    urls = nav["urls"]
    match = request.resolver_match
    url_name = match.url_name if match else None
    app = match.app_name if match else None
    view = match.view_name if match else None
    in_registers = "/registers/" in request.path
    work = nav["work"]()
    links = [
        ("home", "Home", url_name == "home", _badge(work, "waiting for you") if work else ""),
        ("raise", "Raise a concern", url_name == "raise", ""),
        ("policies", "Policies", app == "policies", ""),
        ("business_use", "Business use", app == "business_use" and not in_registers, ""),
        ("registers", "Registers", app == "business_use" and in_registers, ""),
        ("my_reports", "My concerns", view == "cases:my_reports", ""),
    ]
    if nav["triage"]():
        links.append(("triage", "Triage queue", view == "cases:triage_queue", ""))
    if nav["governance"]:
        links.append(("governance", "Governance queue", view == "cases:governance_queue", ""))
        links.append(("all_cases", "All cases", view == "cases:all", ""))
    if nav["referrals"]:
        links.append(("referrals", "Referrals to HR", view in ("cases:referrals", "cases:referral"), ""))
    for key, label, app_name in (
        ("discipline", "Disciplinary records", "discipline"),
        ("reports", "Reports", "reports"),
        ("data_protection", "Data protection", "dataprotection"),
        ("audit", "Audit log", "audit"),
    ):
        if nav[key]:
            links.append((key, label, app == app_name, ""))
    if nav["admin"]:
        links.append(("admin", "Administration", False, ""))
    items = "".join(f"<li>{_link(urls[key], *rest)}</li>" for key, *rest in links)
    unread = nav["unread"]()
    unread_badge = _badge(unread, "unread") if unread else ""
    account = (
        _link(urls["notifications"], "Notifications", app == "notifications", unread_badge)
        + f'<span class="who">{escape(context["user"].display_name)}</span>'
        + _link(urls["password_change"], "Change password", False)
        + _link(urls["two_factor"], "Two-factor sign-in", app == "signin")
        + _link(urls["api_tokens"], "API tokens", app == "api_tokens")
        + f'<form method="post" action="{escape(urls["logout"])}" class="inline">{_csrf_input(context)}'
        '<button type="submit" class="link-button">Log out</button></form>'
    )
    return mark_safe(  # noqa: S308 - every value escaped above
        '<details class="menu"><summary>Menu</summary>'
        f'<nav aria-label="Main"><ul class="nav">{items}</ul></nav><div class="account">{account}</div>'
        "</details>"
    )
