"""The site's menu (focuspolicy/templatetags/navigation.py): the link of the page someone is on is marked as
current, and only that one; its sign-out form carries the CSRF token; a visitor has no menu."""

import re

import pytest
from django.urls import reverse

# The menu's link, by its words, and a page that link is current on.
CURRENT = [
    ("Home", "home"),
    ("Raise a concern", "cases:raise"),
    ("Policies", "policies:list"),
    ("Business use", "business_use:list"),
    ("Registers", "business_use:registers"),
    ("My concerns", "cases:my_reports"),
    ("Governance queue", "cases:governance_queue"),
    ("All cases", "cases:all"),
    ("Referrals to HR", "cases:referrals"),
    ("Reports", "reports:index"),
    ("Audit log", "audit:log"),
    ("Notifications", "notifications:list"),
    ("Two-factor sign-in", "signin:two_factor"),
    ("API tokens", "api_tokens:list"),
]


def _menu(page):
    return re.search(r'<details class="menu">.*?</details>', page, re.S).group(0)


@pytest.mark.parametrize(("label", "view_name"), CURRENT)
def test_only_the_link_of_the_page_is_current(client, governance, policy, label, view_name):
    client.force_login(governance)
    response = client.get(reverse(view_name))
    assert response.status_code == 200
    current = re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)', _menu(response.text))
    assert [words.strip() for words in current] == [label]  # the words before any badge


def test_a_record_page_marks_disciplinary_records(client, hr):
    client.force_login(hr)
    menu = _menu(client.get(reverse("discipline:list")).text)
    assert re.findall(r'aria-current="page">([^<]*)', menu) == ["Disciplinary records"]


def test_the_sign_out_form_carries_the_token_and_signs_out(client, staff):
    client.handler.enforce_csrf_checks = True
    client.force_login(staff)
    menu = _menu(client.get(reverse("home")).text)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu).group(1)
    assert '<span class="who">' + staff.display_name.replace("'", "&#x27;") + "</span>" in menu
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302  # signed out: to the sign-in page


def test_a_visitor_has_no_menu(client):
    assert '<details class="menu">' not in client.get(reverse("login")).text
