"""Every route of the URL configuration, collected from the resolver: a new route is covered here without
anyone adding it. Each one refuses anonymous visitors, sends the security headers, and refuses a signed-in
POST without a CSRF token.

A route's parameters are filled from one small data set (ROUTE_VALUES). A route whose parameters are not
filled by it makes test_every_route_can_be_filled fail, naming the route: fill it, or list it in
MISSING_OBJECTS with the reason.
"""

import re
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from business_use.models import KINDS, Account, OfficialAccount
from cases.models import Case, Stage
from discipline.models import LetterTemplate, Step
from notifications.models import Notification
from tests.cases.hostile_files import pdf_bytes
from tests.factories import UserFactory


def missing(data):
    """A primary key that no object has."""
    return 999_999


def missing_reference(data):
    return "D-MISSING"


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "cases:detail"; "" for a route without a name
    pattern: str  # the whole pattern, e.g. "cases/<str:reference>/"
    parameters: tuple

    def __str__(self):
        return f"{self.name or '(unnamed)'} {self.pattern}"


def collect(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from collect(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            parameters = tuple(a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern))
            yield Route(f"{namespace}{entry.name}" if entry.name else "", pattern, parameters)


ROUTES = sorted(set(collect(get_resolver().url_patterns)), key=str)

# How each parameter is filled, from the data set: by (route name, parameter), else by parameter alone.
# A route name ending in ":" stands for every route of that namespace.
ROUTE_VALUES = {
    ("cases:", "reference"): lambda d: d["case"].reference,
    ("api:case-", "reference"): lambda d: d["case"].reference,
    ("cases:evidence", "pk"): lambda d: d["case"].evidence.get(original_name="notes.txt").pk,
    ("cases:evidence_preview", "pk"): lambda d: d["case"].evidence.get(original_name="letter.pdf").pk,
    ("cases:record_action", "kind"): lambda d: "legal-advice",
    ("policies:comment", "pk"): missing,
    ("cases:referral", "pk"): missing,
    ("cases:delete_saved_filter", "pk"): missing,
    ("cases:delete_draft", "pk"): missing,
    ("cases:resolve_removal_request", "pk"): missing,
    ("cases:witness_remove", "pk"): missing,
    ("cases:playbook_step", "pk"): missing,
    ("cases:playbook_step_delete", "pk"): missing,
    ("cases:playbook_considered", "pk"): missing,
    ("notifications:open", "pk"): lambda d: d["notification"].pk,
    ("discipline:", "reference"): missing_reference,
    ("discipline:open_from_referral", "pk"): missing,
    ("discipline:step", "step"): lambda d: Step.INVESTIGATED.value,
    ("discipline:letter_", "kind"): lambda d: LetterTemplate.Kind.INVITATION.value,
    ("business_use:", "pk"): missing,
    ("business_use:new", "kind"): lambda d: next(iter(KINDS.values())).slug,
    ("business_use:move", "move"): lambda d: "approve-content",
    ("business_use:cite", "reference"): lambda d: d["case"].reference,
    ("business_use:account", "pk"): lambda d: d["official_account"].pk,
    ("api:disciplinary-record-", "reference"): missing_reference,
    ("dataprotection:hold_case", "reference"): lambda d: d["case"].reference,
    ("dataprotection:", "pk"): missing,
    ("api_tokens:revoke", "pk"): missing,
    ("api:version-", "pk"): lambda d: d["version"].pk,
    ("api:clause-", "pk"): lambda d: d["version"].clauses().get(number="5.2").pk,
    ("admin:view_on_site", "content_type_id"): lambda d: ContentType.objects.get_for_model(Case).pk,
    ("admin:view_on_site", "object_id"): lambda d: d["case"].pk,
    ("", "object_id"): lambda d: d["governance"].pk,  # the admin's pages of one object
    ("admin:", "id"): lambda d: d["governance"].pk,
    ("admin:", "app_label"): lambda d: "people",
    ("", "url"): lambda d: "nothing-here/",  # the admin's catch-all
    ("", "path"): lambda d: "nothing-here/",  # the API's catch-all for unknown addresses
    ("", "slug"): lambda d: d["policy"].slug,
    ("", "number"): lambda d: d["version"].number,
    ("", "clause_number"): lambda d: "5.2",
    ("reports:clause", "clause_number"): lambda d: "5.2",  # the clause analytics, across versions
    ("reports:clause", "slug"): lambda d: d["policy"].slug,
    ("", "format"): lambda d: "json",
    ("", "uidb64"): lambda d: "MQ",
    ("", "token"): lambda d: "not-a-real-token",
}
# Routes filled with an object this data set does not build (a 404 or a redirect): their headers, CSRF and
# anonymous refusal are checked here, their HTML only by test_no_template_has_inline_script_or_style.
MISSING_OBJECTS = {
    "policies:comment": "a comment on the policy",
    "cases:referral": "a disciplinary referral",
    "cases:delete_saved_filter": "a saved filter",
    "cases:delete_draft": "a draft concern (tests/cases/test_raise_drafts.py)",
    "cases:resolve_removal_request": "a removal request",
    "cases:witness_remove": "a witness named on a case (tests/cases/test_witnesses.py)",
    "cases:playbook_step": "a playbook step (tests/cases/test_playbook_pages.py)",
    "cases:playbook_step_delete": "a playbook step (tests/cases/test_playbook_pages.py)",
    "cases:playbook_considered": "a playbook step (tests/cases/test_playbook_checklist.py)",
    "discipline:detail": "a disciplinary record",
    "discipline:step": "a disciplinary record",
    "discipline:pdf": "a disciplinary record",
    "discipline:acas_bundle": "a disciplinary record",
    "discipline:acas_bundle_redacted": "a disciplinary record",
    "discipline:letter_pdf": "a disciplinary record",
    "discipline:letter_text": "a disciplinary record",
    "discipline:open_from_referral": "a disciplinary referral",
    "business_use:detail": "a business-use request",
    "business_use:edit": "a business-use request",
    "business_use:move": "a business-use request",
    "business_use:site": "an approved site (tests/business_use/test_register_permissions.py)",
    "business_use:site_edit": "an approved site (as business_use:site)",
    "business_use:site_withdraw": "an approved site (as business_use:site)",
    "business_use:site_add_from_request": "an answered 6.6 question (tests/business_use/test_registers.py)",
    "api:disciplinary-record-detail": "a disciplinary record",
    "api_tokens:revoke": "an API token (a person's own; tests/api/test_api_tokens.py)",
    "dataprotection:hold_lift": "a legal hold (tests/dataprotection/test_legal_holds.py)",
    "dataprotection:request": "a subject access request (tests/dataprotection/test_subject_access.py)",
    "dataprotection:request_archive": "a subject access request (as dataprotection:request)",
}

# Open to anyone, and why.
PUBLIC = {
    "healthz": "the load balancer's health check, says only 'ok'",
    "readyz": "the readiness check: names what failed (database, broker, storage), never how",
    "login": "signing in",
    "oidc_authentication_init": "signing in with the organisation's account (404 unless OIDC is configured)",
    "oidc_authentication_callback": "back from the provider's sign-in page (404 unless OIDC is configured)",
    "password_reset": "asking for a reset link",
    "password_reset_done": "says a link was sent",
    "password_reset_confirm": "the reset link's page (refuses a bad token)",
    "password_reset_complete": "says the password was reset",
    "admin:login": "the admin's sign-in page",
    "admin:logout": "signing out: an anonymous visitor is sent to the admin's index, which asks to sign in",
    "anonymous:report": "reporting a concern anonymously, without an account",
    "anonymous:follow": "following an anonymous report with its receipt key (posted, throttled)",
}
# The one page allowed inline styles (api/urls.py: Redoc cannot render without them); scripts stay strict.
INLINE_STYLES_ALLOWED = {"api:redoc"}


def value_for(route, parameter):
    """The longest matching entry of ROUTE_VALUES for this route's parameter, or None."""
    prefixes = [prefix for prefix, p in ROUTE_VALUES if p == parameter and route.name.startswith(prefix)]
    return ROUTE_VALUES[(max(prefixes, key=len), parameter)] if prefixes else None


def address(route, data):
    if not route.parameters:
        return reverse(route.name) if route.name else "/" + route.pattern.lstrip("^").rstrip("$")
    kwargs = {p: str(value_for(route, p)(data)) for p in route.parameters}
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)|<(?:\w+:)?(\w+)>", lambda m: kwargs[m[1] or m[2]], route.pattern)
    return "/" + path.replace("^", "").replace("$", "")


@pytest.fixture
def data(raise_case, move_to, staff, governance):
    """One case under review with two pieces of evidence (a text file and a PDF, which has a preview), the
    policy and a notification for the governance head, who signs in."""
    case = raise_case(
        staff,
        evidence_files=[
            SimpleUploadedFile("notes.txt", b"What I saw.", content_type="text/plain"),
            SimpleUploadedFile("letter.pdf", pdf_bytes(), content_type="application/pdf"),
        ],
    )
    case = move_to(case, Stage.UNDER_REVIEW)
    notification = Notification.objects.filter(recipient=governance).first()
    assert notification is not None
    # One of the accounts the register of official accounts starts with (business_use migration 0003).
    official_account, _ = OfficialAccount.objects.get_or_create(
        code=Account.FOCUS_FACEBOOK, defaults={"name": "focus Facebook", "platform": "Facebook"}
    )
    return {
        "official_account": official_account,
        "case": case,
        "policy": case.policy_version.policy,
        "version": case.policy_version,
        "notification": notification,
        "governance": governance,
    }


# The checks that visit every address are split into PARTS tests, each visiting every PARTS-th address, so
# that pytest-xdist spreads them over its workers; together they visit every address.
PARTS = 4


def each_address(data, part=0, parts=1):
    seen = set()
    for route in ROUTES:
        url = address(route, data)
        if url not in seen:
            seen.add(url)
            if len(seen) % parts == part:
                yield route, url


def test_the_parts_together_visit_every_address_once(data):
    everything = list(each_address(data))
    in_parts = [visit for part in range(PARTS) for visit in each_address(data, part, PARTS)]
    assert sorted(in_parts, key=str) == sorted(everything, key=str)


def test_every_route_can_be_filled():
    unfilled = [
        f"{route}: {parameter}"
        for route in ROUTES
        for parameter in route.parameters
        if value_for(route, parameter) is None
    ]
    assert unfilled == [], "add these to ROUTE_VALUES (or MISSING_OBJECTS with the reason)"
    filled_with_missing = {
        route.name
        for route in ROUTES
        if any(value_for(route, p) in (missing, missing_reference) for p in route.parameters)
    }
    assert filled_with_missing == set(MISSING_OBJECTS), "list these in MISSING_OBJECTS with the reason"


def test_the_routes_are_collected():
    names = {route.name for route in ROUTES}
    assert {"home", "cases:detail", "cases:evidence", "discipline:pdf", "api:case-detail"} <= names
    assert any(name.startswith("admin:") for name in names)


def is_sign_in_redirect(response):
    return response.status_code in (301, 302) and re.match(
        r"^/(accounts|admin)/login/", response.headers.get("Location", "")
    )


@pytest.mark.parametrize("part", range(PARTS))
def test_anonymous_visitors_are_refused_everywhere_but_the_public_pages(data, part):
    anonymous = Client()
    let_in = []
    for route, url in each_address(data, part, PARTS):
        if route.name in PUBLIC:
            continue
        response = anonymous.get(url)
        if not (is_sign_in_redirect(response) or response.status_code in (401, 403, 404, 405)):
            let_in.append(f"{route} ({url}): {response.status_code} {response.headers.get('Location', '')}")
    assert let_in == []


def directives(policy):
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def header_problems(route, response):
    problems = []
    policy = directives(response.headers.get("Content-Security-Policy", ""))
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append("CSP frame-ancestors is not 'none'")
    for kind in ("script-src", "style-src"):
        sources = policy.get(kind, policy.get("default-src"))
        if sources is None:
            problems.append(f"CSP sets no {kind} nor default-src")
        elif "'unsafe-inline'" in sources and not (
            kind == "style-src" and route.name in INLINE_STYLES_ALLOWED
        ):
            problems.append(f"CSP {kind} allows 'unsafe-inline'")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for header, value in expected.items():
        if response.headers.get(header) != value:
            problems.append(f"{header} is {response.headers.get(header)!r}")
    if "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control is {response.headers.get('Cache-Control')!r}")
    return problems


INLINE = {
    # A JSON data block (json_script) is not run, and the policy does not apply to it.
    "inline script": re.compile(r"<script(?![^>]*\s(?:src=|type=\"application/json\"))[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle=", re.IGNORECASE),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+=", re.IGNORECASE),
}


def inline_problems(response):
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    html = b"".join(response.streaming_content) if response.streaming else response.content
    html = html.decode("utf-8", errors="replace")
    return [
        f"has an {what}" if what[0] in "aeiou" else f"has a {what}"
        for what, found in INLINE.items()
        if found.search(html)
    ]


@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_sends_the_security_headers_and_no_inline_script_or_style(data, part):
    client = Client()
    client.force_login(data["governance"])
    # The admin's pages as a superuser, so that each one is shown, not refused.
    admin_client = Client()
    admin_client.force_login(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    problems = []
    for route, url in each_address(data, part, PARTS):
        response = (admin_client if route.name.startswith("admin:") else client).get(url)
        for problem in header_problems(route, response) + inline_problems(response):
            problems.append(f"{route} ({url}, {response.status_code}): {problem}")
    assert problems == []


def test_no_template_has_inline_script_or_style():
    """Also the pages the data set above does not reach (MISSING_OBJECTS, other people's pages)."""
    folders = [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
    problems = [
        f"{template.relative_to(settings.BASE_DIR)}: has {what}"
        for folder in folders
        for template in folder.rglob("*.html")
        if not template.relative_to(settings.BASE_DIR).parts[0].startswith(".")
        for what, found in INLINE.items()
        if found.search(template.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize("part", range(PARTS))
def test_a_signed_in_post_without_a_csrf_token_is_refused_everywhere(data, part):
    client = Client(enforce_csrf_checks=True)
    client.force_login(data["governance"])
    accepted = []
    for route, url in each_address(data, part, PARTS):
        response = client.post(url, {"reason": "No token."})
        if response.status_code != 403:
            accepted.append(f"{route} ({url}): {response.status_code}")
    assert accepted == []
