"""The audit log: the Head of Business and Governance reads it; nobody can change it in the app."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from cases.models import SubjectKind

pytestmark = pytest.mark.django_db

LOG = reverse("audit:log")


@pytest.fixture
def case(raise_case, staff):
    return raise_case(staff)


def read_log(client, user, **params):
    client.force_login(user)
    return client.get(LOG, params)


def test_governance_reads_who_did_what_when_and_from_where(client, governance, supervisor, case):
    client.force_login(supervisor)
    client.get(case.get_absolute_url(), REMOTE_ADDR="192.0.2.44")
    response = read_log(client, governance)
    assert response.status_code == 200
    text = response.text
    assert f"viewed {case.reference}" in text
    assert "supervisor" in text
    assert "192.0.2.44" in text
    assert "Viewed" in text
    assert f"raised concern {case.reference}" in text


def test_newest_first(client, governance, case, staff):
    audit_record(actor=staff, action=AuditEntry.Action.VIEW, case=case, what="the older entry")
    AuditEntry.objects.filter(what="the older entry").update(at=timezone.now() - datetime.timedelta(days=1))
    audit_record(actor=staff, action=AuditEntry.Action.EXPORT, case=case, what="the newer entry")
    text = read_log(client, governance).text
    assert text.index("the newer entry") < text.index("the older entry")


@pytest.mark.parametrize(
    "who",
    [
        "staff",
        "other_staff",
        "supervisor",
        "other_supervisor",
        "head_of_service",
        "hr",
        "outsider",
        "administrator",
    ],
)
def test_others_get_404(client, request, who, case):
    response = read_log(client, request.getfixturevalue(who))
    assert response.status_code == 404
    assert case.reference not in response.text


def test_comms_get_404(client, case, comms):
    assert read_log(client, comms).status_code == 404


def test_login_required(client):
    response = client.get(LOG)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_read_only(client, governance, case):
    response = read_log(client, governance)
    assert 'method="post"' not in response.text.split('<main id="main"', 1)[1]
    before = list(AuditEntry.objects.values_list("pk", "what"))
    for method in (client.post, client.put, client.delete):
        assert method(LOG, {"what": "tampered"}).status_code == 405
    assert list(AuditEntry.objects.values_list("pk", "what")) == before


def test_the_admin_cannot_change_it_either(client, governance, case):
    governance.is_staff = True
    governance.save()
    entry = AuditEntry.objects.get(case=case)
    client.force_login(governance)
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200  # a read-only page
    assert client.post(change, {"what": "tampered"}).status_code == 403
    assert (
        client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.what == f"raised concern {case.reference}"


ALL = {"old-view-entry", "recent-change-entry", "download-entry", "export-entry"}


@pytest.fixture
def entries(raise_case, staff, other_staff, supervisor):
    """Entries on two cases by different people, with different actions, on different days."""
    first = raise_case(staff)
    second = raise_case(other_staff)
    AuditEntry.objects.all().delete()
    now = timezone.now()
    rows = {
        "old-view-entry": (supervisor, AuditEntry.Action.VIEW, first, 20),
        "recent-change-entry": (supervisor, AuditEntry.Action.CHANGE, first, 2),
        "download-entry": (staff, AuditEntry.Action.DOWNLOAD, second, 5),
        "export-entry": (other_staff, AuditEntry.Action.EXPORT, second, 0),
    }
    for what, (actor, action, case, days_ago) in rows.items():
        entry = audit_record(actor=actor, action=action, case=case, what=what)
        AuditEntry.objects.filter(pk=entry.pk).update(at=now - datetime.timedelta(days=days_ago))
    return {"first": first, "second": second, "now": now}


def shown(response):
    return {what for what in ALL if what in response.text}


def test_filter_by_case_reference(client, governance, entries):
    assert shown(read_log(client, governance, reference=entries["first"].reference)) == {
        "old-view-entry",
        "recent-change-entry",
    }


def test_filter_by_person(client, governance, entries):
    assert shown(read_log(client, governance, person="supervisor")) == {
        "old-view-entry",
        "recent-change-entry",
    }
    assert shown(read_log(client, governance, person="STAFF")) == {"download-entry"}
    assert shown(read_log(client, governance, person="nobody")) == set()


def test_filter_by_action(client, governance, entries):
    assert shown(read_log(client, governance, action="download")) == {"download-entry"}
    assert shown(read_log(client, governance, action="change")) == {"recent-change-entry"}


def test_filter_by_date_range(client, governance, entries):
    today = timezone.localdate(entries["now"])
    week_ago = (today - datetime.timedelta(days=7)).isoformat()
    three_days_ago = (today - datetime.timedelta(days=3)).isoformat()
    assert shown(read_log(client, governance, since=week_ago)) == {
        "recent-change-entry",
        "download-entry",
        "export-entry",
    }
    assert shown(read_log(client, governance, until=three_days_ago)) == {"old-view-entry", "download-entry"}
    assert shown(read_log(client, governance, since=week_ago, until=three_days_ago)) == {"download-entry"}


@pytest.mark.parametrize(
    "params",
    [
        {"action": "delete"},
        {"since": "not-a-date"},
        {"until": "2026-02-31"},
        {"since": "2026-03-10", "until": "2026-03-01"},
        {"page": "zzz"},
    ],
)
def test_invalid_filters_do_not_crash(client, governance, entries, params):
    response = read_log(client, governance, **params)
    assert response.status_code == 200
    if "page" not in params:
        assert "Some filters were not used" in response.text
    if "action" in params or "since" in params and "until" not in params:
        assert shown(response) == ALL


def test_the_log_comes_in_keyset_pages_each_entry_once_newest_first(client, governance, case, staff):
    now = timezone.now()
    for n in range(120):
        entry = audit_record(actor=staff, action=AuditEntry.Action.VIEW, case=case, what=f"bulk entry {n}")
        # Some entries share a moment: the primary key orders them.
        AuditEntry.objects.filter(pk=entry.pk).update(at=now - datetime.timedelta(seconds=n // 3))
    expected = list(AuditEntry.objects.order_by("-at", "-pk").values_list("pk", flat=True))
    client.force_login(governance)
    seen, cursor = [], None
    while True:
        response = client.get(LOG, {"cursor": cursor} if cursor else {})
        assert response.status_code == 200
        page = response.context["page"]
        seen += [entry.pk for entry in page]
        if not page.has_next:
            break
        assert 'rel="next"' in response.text
        cursor = page.next_cursor
    assert seen == expected
    assert len(expected) > 100  # Three pages.
    # And back from the last page by the Previous links, as the compiled pages read them too.
    back, cursor = [], page.previous_cursor
    while cursor:
        page = client.get(LOG, {"cursor": cursor}).context["page"]
        back = [entry.pk for entry in page] + back
        cursor = page.previous_cursor
    assert back == seen[: len(seen) - len(response.context["page"])]


@pytest.mark.parametrize("params", [{"cursor": "%%%"}, {"cursor": "WyJuIixbMV1d"}, {"page": "99999999"}])
def test_a_bad_cursor_or_page_number_gives_the_first_page(client, governance, case, staff, params):
    for n in range(60):
        audit_record(actor=staff, action=AuditEntry.Action.VIEW, case=case, what=f"bulk entry {n}")
    response = read_log(client, governance, **params)
    assert response.status_code == 200
    assert response.text.count("bulk entry") == 50
    assert "bulk entry 59<" in response.text


def test_no_entries_about_a_case_the_reader_is_the_subject_of(client, raise_case, staff, governance):
    about_governance = raise_case(
        staff, subject_kind=SubjectKind.COLLEAGUE, subject_person=governance, subject_description=""
    )
    other = raise_case(staff)
    audit_record(actor=staff, action=AuditEntry.Action.EXPORT, what="an entry about no case")
    text = read_log(client, governance).text
    assert about_governance.reference not in text
    assert other.reference in text
    assert "an entry about no case" in text
    assert text.count("<tr>") == 1 + 2  # The header, and the two entries.


def test_no_entries_about_a_disciplinary_record_of_the_reader(client, staff, governance, hr):
    from discipline.models import DisciplinaryRecord, Severity

    def record(reference, employee):
        return DisciplinaryRecord.objects.create(
            reference=reference,
            employee=employee,
            allegation="A posting",
            severity=Severity.MISCONDUCT,
            opened_by=hr,
        )

    for reference, employee in [("DR-2026-0001", governance), ("DR-2026-0002", staff)]:
        record(reference, employee)
        audit_record(
            actor=hr,
            action=AuditEntry.Action.EXPORT,
            what=f"exported {reference}",
            details={"record": reference},
        )
    text = read_log(client, governance).text
    assert "exported DR-2026-0001" not in text
    assert "exported DR-2026-0002" in text


def test_the_log_costs_the_same_however_long(client, governance, case, raise_case, staff, supervisor, hr):
    """Each read is checked to show every entry: a page that is refused, or that shows only some of the
    entries, costs no more however long the log, so a query limit alone could not fail."""
    other_case = raise_case(supervisor)
    client.force_login(governance)

    def read():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LOG)
        assert response.status_code == 200
        total = AuditEntry.objects.count()
        assert response.text.count("an entry by") == total - 2  # all but the two raisings
        return len(queries)

    for actor, about in [(staff, case), (supervisor, other_case), (hr, None)]:
        audit_record(actor=actor, action=AuditEntry.Action.VIEW, case=about, what=f"an entry by {actor}")
    short = read()
    for n in range(40):
        actor, about = [(staff, case), (supervisor, other_case), (hr, None)][n % 3]
        audit_record(actor=actor, action=AuditEntry.Action.VIEW, case=about, what=f"an entry by {actor}")
    # Session, user, permissions (2), navigation (2), the page of entries with actor and case; no count.
    assert read() == short <= 8


# --- Readable entries, and links to the cases the reader may open -------------------------------------------


def entry_row(response, what):
    """The table row of the entry whose text contains `what`."""
    text = response.text
    at = text.index(what)
    return text[text.rindex("<tr>", 0, at) : text.index("</tr>", at)]


def test_an_entry_reads_who_did_what_to_which_case_when_and_from_where(client, governance, staff, case):
    audit_record(
        actor=staff,
        action=AuditEntry.Action.EXPORT,
        case=case,
        what="exported the case list",
        details={"format": "xlsx", "filters": {"Stage": "Closed", "Reported by": "Sam"}, "rows": 3},
    )
    row = entry_row(read_log(client, governance), "exported the case list")
    assert f'{staff.display_name} <span class="meta">({staff.username})</span>' in row
    assert "<strong>Exported</strong>: exported the case list" in row
    assert "<dt>Format</dt><dd>Excel</dd>" in row
    assert "<dt>Filters</dt><dd>Stage: Closed; Reported by: Sam</dd>" in row
    assert "<dt>Rows</dt><dd>3</dd>" in row
    # No raw keys or dict reprs.
    assert "{" not in row and "&#x27;" not in row
    assert f'<time datetime="{AuditEntry.objects.get(what="exported the case list").at.isoformat()}' in row


def test_stored_keys_are_read_as_words(client, governance, staff, case):
    audit_record(
        actor=staff,
        action=AuditEntry.Action.CHANGE,
        case=case,
        what="a change with keys",
        details={"business_use_request": 7, "case_rights_removed": ["a", "b"], "via": None},
    )
    row = entry_row(read_log(client, governance), "a change with keys")
    assert "<dt>Business use request</dt><dd>7</dd>" in row
    assert "<dt>Case rights removed</dt><dd>a, b</dd>" in row
    assert "<dt>Via</dt><dd>—</dd>" in row


@pytest.fixture
def flagged(raise_case, staff, infosec):
    """A case flagged as a possible personal data breach: granted to the Head of Information & Security."""
    return raise_case(staff, discloses_personal_data=True)


@pytest.mark.parametrize(
    "reader, about, linked",
    [
        ("governance", "case", True),
        ("governance", "flagged", True),
        # Information security opens only the flagged cases: the others are named without a link.
        ("infosec", "case", False),
        ("infosec", "flagged", True),
    ],
)
def test_the_case_is_a_link_only_for_a_reader_who_may_open_it(
    client, request, staff, case, flagged, infosec, reader, about, linked
):
    about = {"case": case, "flagged": flagged}[about]
    audit_record(actor=staff, action=AuditEntry.Action.VIEW, case=about, what="the entry to look at")
    row = entry_row(read_log(client, request.getfixturevalue(reader)), "the entry to look at")
    assert about.reference in row
    assert (f'<a href="{about.get_absolute_url()}">{about.reference}</a>' in row) is linked
    # The link is only where the case page opens.
    assert (client.get(about.get_absolute_url()).status_code == 200) is linked


def test_an_entry_without_a_case_or_an_address_says_so(client, governance, hr):
    audit_record(actor=None, action=AuditEntry.Action.CHANGE, what="the nightly sweep")
    row = entry_row(read_log(client, governance), "the nightly sweep")
    assert "The system" in row
    assert "Not known" in row
