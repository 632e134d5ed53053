"""core.filters.QuickSelect writes the options as Django's Select does, and its kept options never carry one
page's choice into another's."""

import re

from django import forms

from core.filters import QuickSelect

CHOICES = [("", "Any team"), (1, "Care & Support <North>"), (2, "Day services"), (3, "Day services")]


def _tags(html):
    # Django's template puts line breaks between the options; the page shows the same.
    return re.sub(r">\s+<", "><", html)


def _both(value):
    return (
        _tags(QuickSelect(choices=CHOICES).render("team", value)),
        _tags(forms.Select(choices=CHOICES).render("team", value)),
    )


def test_the_same_html_as_djangos_select_for_each_choice():
    for value in (None, "", "1", 2, "3", "no such"):
        quick, django_select = _both(value)
        assert quick == django_select


def test_a_later_choice_is_not_shown_with_an_earlier_one():
    assert 'value="2" selected' in QuickSelect(choices=CHOICES).render("team", "2")
    again = QuickSelect(choices=CHOICES).render("team", "1")
    assert 'value="1" selected' in again and 'value="2" selected' not in again
    assert "&lt;North&gt;" in again and "Care &amp; Support" in again


def test_grouped_choices_are_left_to_djangos_template():
    grouped = [("North", [(1, "Team A")]), ("South", [(2, "Team B")])]
    quick = QuickSelect(choices=grouped).render("team", "2")
    assert quick == forms.Select(choices=grouped).render("team", "2")
