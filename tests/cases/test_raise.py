"""Raising a concern in the browser: the form, its checks and what the reporter sees at once."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Case, CaseClause, Platform, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_data(policy, other_staff):
    version = policy.current_version()
    return {
        "subject_kind": "colleague",
        "subject_person": other_staff.pk,
        "subject_description": "",
        "platform": "facebook",
        "platform_other": "",
        "links": "https://facebook.example/posts/42\nhttps://facebook.example/posts/43",
        "seen_at": "2026-11-20T18:30",
        "description": "A photo of a service user at the day centre, with her first name.",
        "identifies_service_user_or_carer": "on",
        "clauses": [c.pk for c in version.clauses().filter(number__in=["5.2", "7.1"])],
        "route": "supervisor",
    }


OFFERED = [
    "Facebook",
    "Instagram",
    "X (Twitter)",
    "TikTok",
    "LinkedIn",
    "YouTube",
    "WhatsApp",
    "Snapchat",
    "Reddit",
    "A blog or website",
    "Other",
]


def platform_options(response):
    """The platform list's options, (value, label) in order, and the one selected if any."""
    select = re.search(r'<select name="platform"[^>]*>(.*?)</select>', response.text, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', select)
    return [(value, label) for value, _, label in options], [
        v for v, attrs, _ in options if "selected" in attrs
    ]


def test_the_form_offers_every_platform_and_clause(client, staff, policy):
    client.force_login(staff)
    response = client.get(reverse("cases:raise"))
    assert response.status_code == 200
    options, selected = platform_options(response)
    assert options == [("", "Choose the platform"), *[(value, label) for value, label in Platform.offered()]]
    assert [label for _, label in options[1:]] == OFFERED
    assert selected == [""]  # none preselected: "Choose the platform" until the reporter chooses
    assert response.text.count('name="clauses"') == 30
    assert "My supervisor" in response.text and "A Head of Service" in response.text


def test_retired_platforms_are_not_offered_but_old_cases_keep_them(
    client, staff, supervisor, form_data, raise_case
):
    client.force_login(staff)
    options, _ = platform_options(client.get(reverse("cases:raise")))
    assert "google_plus" not in dict(options) and "wikipedia" not in dict(options)
    form_data["platform"] = "google_plus"
    response = client.post(reverse("cases:raise"), form_data)
    assert "Select a valid choice" in str(response.context["form"].errors["platform"])
    assert not Case.objects.exists()

    old = raise_case(staff, platform=Platform.WIKIPEDIA)
    client.force_login(supervisor)
    assert "<dd>Wikipedia</dd>" in client.get(old.get_absolute_url()).text


def test_a_platform_not_listed_is_named(client, staff, form_data):
    client.force_login(staff)
    form_data.update(platform="other", platform_other="  Mastodon ")
    client.post(reverse("cases:raise"), form_data)
    assert Case.objects.get().platform_name() == "Mastodon"


def test_no_platform_chosen_is_a_clear_error(client, staff, form_data):
    client.force_login(staff)
    form_data["platform"] = ""
    response = client.post(reverse("cases:raise"), form_data)
    assert "Where was it posted?: This field is required." in response.text
    assert not Case.objects.exists()


def test_staff_raise_a_concern_and_see_an_acknowledgement_at_once(
    client, staff, other_staff, supervisor, form_data
):
    client.force_login(staff)
    response = client.post(reverse("cases:raise"), form_data, follow=True)
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert f"Your concern has been received as {case.reference}" in response.text
    assert "Your concern" in response.text
    assert (case.reporter, case.subject_person, case.handler, case.stage) == (
        staff,
        other_staff,
        supervisor,
        Stage.SUBMITTED,
    )
    assert case.link_list() == ["https://facebook.example/posts/42", "https://facebook.example/posts/43"]
    assert case.identifies_service_user_or_carer and not case.discloses_confidential_information
    assert AuditEntry.objects.filter(case=case, action="change", actor=staff).exists()


def test_the_case_keeps_the_clause_text_as_it_stood(client, staff, governance, form_data, draft_v2):
    from policies.services import version_approve

    client.force_login(staff)
    client.post(reverse("cases:raise"), form_data)
    version_approve(version=draft_v2, by=governance)
    clause = CaseClause.objects.get(number="5.2")
    assert "Staff must not, under any circumstances, cite or reference service users" in clause.text
    assert clause.clause.section.version.number == 1
    assert set(Case.objects.get().clauses.values_list("number", flat=True)) == {"5.2", "7.1"}


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"subject_kind": ""}, "subject_kind", "This field is required"),
        ({"subject_person": ""}, "subject_person", "Choose the colleague the concern is about."),
        ({"platform": "other"}, "platform_other", "Name the platform."),
        ({"platform": "other", "platform_other": "   "}, "platform_other", "Name the platform."),
        ({"links": "not a link\nhttps://ok.example/"}, "links", "These are not web addresses: not a link"),
        ({"seen_at": "2099-01-01T10:00"}, "seen_at", "That is in the future."),
        ({"seen_at": "yesterday"}, "seen_at", "Enter a valid date/time."),
        ({"description": ""}, "description", "This field is required"),
        ({"clauses": [999999]}, "clauses", "Select a valid choice"),
        ({"route": "chief_executive"}, "route", "Select a valid choice"),
    ],
)
def test_bad_input_gets_a_clear_message_and_loses_nothing(client, staff, form_data, change, field, message):
    client.force_login(staff)
    form_data.update(change)
    response = client.post(reverse("cases:raise"), form_data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert "There is a problem" in response.text
    if field != "description":
        assert form_data["description"] in response.text
    assert not Case.objects.exists()


def test_nobody_can_name_themselves_as_the_subject(client, staff, form_data):
    client.force_login(staff)
    form_data["subject_person"] = staff.pk
    response = client.post(reverse("cases:raise"), form_data)
    assert "Select a valid choice" in str(response.context["form"].errors["subject_person"])
    assert not Case.objects.exists()


def test_a_concern_about_the_public_needs_no_colleague(client, staff, form_data):
    client.force_login(staff)
    form_data.update(subject_kind="public", subject_person="", subject_description="@angry_neighbour")
    client.post(reverse("cases:raise"), form_data)
    case = Case.objects.get()
    assert case.subject_person is None
    assert case.subject_label() == "A member of the public: @angry_neighbour"


def test_a_subject_picked_with_another_category_is_dropped(client, staff, form_data):
    client.force_login(staff)
    form_data.update(subject_kind="carer", subject_description="Mrs P's son")
    client.post(reverse("cases:raise"), form_data)
    assert Case.objects.get().subject_person is None


def test_anonymous_visitors_must_log_in(client, policy):
    response = client.get(reverse("cases:raise"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_contractors_and_agency_staff_raise_concerns_too(client, other_staff, form_data, staff):
    other_staff.employment_type = "agency"
    other_staff.save()
    form_data["subject_person"] = staff.pk
    client.force_login(other_staff)
    client.post(reverse("cases:raise"), form_data)
    assert Case.objects.get().reporter == other_staff


def test_without_an_approved_policy_there_is_nothing_to_raise_against(client, staff, governance, policy_text):
    client.force_login(staff)
    assert client.get(reverse("cases:raise")).status_code == 404


# --- The subject: what the field is for, for each kind of concern ----------------------------------------


def test_the_subject_fields_say_what_they_are_for_and_are_never_optional(client, staff, policy):
    client.force_login(staff)
    text = client.get(reverse("cases:raise")).text
    assert "Which colleague is it about?</label>" in text
    assert "Needed for a concern about a colleague" in text
    assert "Who posted it?</label>" in text
    assert "They need no account here." in text
    assert "Platform name</label>" in text
    # Each applies to one kind of concern (or platform), where it is needed: never marked "(optional)".
    for label in ("Which colleague is it about?", "Who posted it?", "Platform name"):
        assert f'{label} <span class="optional">' not in text


@pytest.mark.parametrize("kind", ["service_user", "carer", "public"])
def test_a_concern_about_someone_without_an_account_needs_a_description(client, staff, form_data, kind):
    client.force_login(staff)
    form_data.update(subject_kind=kind, subject_person="", subject_description=" ")
    response = client.post(reverse("cases:raise"), form_data)
    errors = str(response.context["form"].errors["subject_description"])
    assert "Say who posted it: a name, an account&#x27;s name or a description" in errors
    assert "they need no account here" in errors
    assert not Case.objects.exists()

    form_data["subject_description"] = "The account @day_centre_watch"
    client.post(reverse("cases:raise"), form_data)
    case = Case.objects.get()
    assert (case.subject_kind, case.subject_person, case.subject_description) == (
        kind,
        None,
        "The account @day_centre_watch",
    )


def test_a_concern_about_an_unknown_poster_needs_nothing_more(client, staff, form_data):
    client.force_login(staff)
    form_data.update(subject_kind="unknown", subject_person="", subject_description="")
    client.post(reverse("cases:raise"), form_data)
    assert Case.objects.get().subject_label() == "Unknown"


# --- The clause picker -----------------------------------------------------------------------------------


def test_without_a_script_every_clause_is_there_and_the_filter_box_is_not(client, staff, policy):
    client.force_login(staff)
    text = client.get(reverse("cases:raise")).text
    assert text.count('name="clauses"') == 30
    # The filter box is only for the script (js/filter.js shows it); a box without it would do nothing.
    assert re.search(r'<div class="field" data-needs-script hidden>\s*<label for="clause-filter">', text)


def test_clauses_are_suggested_from_the_description(client, staff, form_data):
    client.force_login(staff)
    form_data.update(
        description="She posted a photograph of a service user and wrote about his care plan: confidential "
        "information from work.",
        seen_at="",
    )
    response = client.post(reverse("cases:raise"), form_data)
    suggestions = re.search(r'<div id="clause-suggestions"[^>]*>(.*?)</div>', response.text, re.S).group(1)
    numbers = re.findall(r'<label for="(id_clauses_\d+)" class="suggestion">([\d.]+)</label>', suggestions)
    assert numbers, suggestions
    assert "7.1" in [number for _, number in numbers]
    # Each suggestion is the label of its clause's checkbox: choosing it needs no script.
    for box, number in numbers:
        assert re.search(rf'id="{box}"[^>]*>\s*<label for="{box}">{re.escape(number)} ', response.text)


def test_each_clause_carries_its_words_for_the_script(client, staff, policy):
    client.force_login(staff)
    text = client.get(reverse("cases:raise")).text
    words = re.findall(r'name="clauses" value="\d+"[^>]*data-words="([^"]*)"', text) or re.findall(
        r'data-words="([^"]*)"[^>]*name="clauses"', text
    )
    assert len(words) == 30
    assert all(words)


def _squeezed(html):
    return re.sub(r">\s+<", "><", html)


def test_a_form_sent_back_shows_each_kind_of_field_with_its_label_hint_and_error(client, staff, form_data):
    """The fields as focuspolicy/templatetags/fields.py draws them: a radio group in its fieldset, a checkbox
    with its label after it, a text field with its label, hint and error linked by id; "(optional)" on a
    field that may be left empty, not on one shown only for another answer."""
    client.force_login(staff)
    form_data.update(subject_kind="", description="", identifies_service_user_or_carer="")
    page = _squeezed(client.post(reverse("cases:raise"), form_data).text)
    assert re.search(
        r'<div class="field field-error"><fieldset class="radios" id="id_subject_kind"[^>]*>'
        r"<legend>Who is it about\?</legend>.*?<p class=\"error\">This field is required.</p>"
        r'<div class="check"><input type="radio" name="subject_kind" value="colleague"',
        page,
    )
    assert re.search(
        r'<div class="field check"><input type="checkbox" name="identifies_service_user_or_carer"[^>]*>'
        r'<label for="id_identifies_service_user_or_carer">',
        page,
    )
    assert re.search(
        r'<div class="field field-error"><label for="id_description">What did you see\?</label>'
        r'(<p class="hint" id="id_description_helptext">[^<]*</p>)?'
        r'<p class="error" id="id_description_error">This field is required.</p><textarea name="description"',
        page,
    )
    assert '<label for="id_incident_on">' in page
    assert re.search(r'<label for="id_incident_on">[^<]*<span class="optional">\(optional\)</span>', page)
    assert not re.search(r'<label for="id_platform_other">[^<]*<span class="optional">', page)
