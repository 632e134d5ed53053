"""core.filters.FilterSet makes its form class once: every form still has fields of its own, in the declared
order, and a filter whose field depends on the request (the clause numbers a person's own list cites) is
made afresh for each FilterSet."""

import django_filters
import pytest

from core.filters import FilterSet
from people.models import Team, User
from policies.filters import ClauseNumberFilter


def _first_names(queryset):
    # Stands in for the clause numbers a list cites: what the FilterSet's own queryset holds.
    return sorted(queryset.values_list("first_name", flat=True))


class PeopleFilter(FilterSet):
    name = django_filters.CharFilter(field_name="username", label="Name")
    clause = ClauseNumberFilter(label="Clause", cited=_first_names)
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), label="Team")

    class Meta:
        model = User
        fields = []


@pytest.fixture
def people(db):
    return [User.objects.create(username=f"person{n}", first_name=f"{n}.{n}") for n in (1, 2, 3)]


def test_each_form_has_its_own_fields_in_the_declared_order(people):
    first = PeopleFilter(queryset=User.objects.all()).form
    second = PeopleFilter(queryset=User.objects.all()).form
    assert list(first.fields) == list(second.fields) == ["name", "clause", "team"]
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
    first.fields["name"].label = "Changed on one form"
    assert PeopleFilter(queryset=User.objects.all()).form.fields["name"].label == "Name"


def test_a_field_of_the_request_is_made_for_each_filterset(people):
    everyone = PeopleFilter(queryset=User.objects.all()).form
    one = PeopleFilter(queryset=User.objects.filter(pk=people[1].pk)).form
    assert [value for value, _ in everyone.fields["clause"].choices] == ["", "1.1", "2.2", "3.3"]
    assert [value for value, _ in one.fields["clause"].choices] == ["", "2.2"]
    # The value is checked against the person's own choices, not the first FilterSet's.
    refused = PeopleFilter({"clause": "1.1"}, queryset=User.objects.filter(pk=people[1].pk))
    assert not refused.is_valid() and "clause" in refused.errors


def test_a_new_team_is_offered_at_once(people):
    assert len(PeopleFilter(queryset=User.objects.all()).form.fields["team"].choices) == 1  # only "---------"
    Team.objects.create(name="Day services")
    form = PeopleFilter(queryset=User.objects.all()).form
    labels = [str(label) for _, label in form.fields["team"].choices]
    assert "Day services" in labels


class MethodFilter(FilterSet):
    """A filter by a method of its FilterSet, which records what it was asked on itself."""

    name = django_filters.CharFilter(method="by_name", label="Name")
    kind = django_filters.ChoiceFilter(field_name="username", choices=[("person1", "One"), ("person2", "2")])

    class Meta:
        model = User
        fields = []

    def by_name(self, queryset, name, value):
        self.asked = value
        return queryset.filter(username=value)


def test_each_filterset_has_filters_of_its_own_and_a_method_filter_calls_its_own_filterset(people):
    first = MethodFilter({"name": "person1"}, queryset=User.objects.all())
    second = MethodFilter({"name": "person2"}, queryset=User.objects.all())
    for name in first.filters:
        assert first.filters[name] is not second.filters[name]
        assert first.filters[name].parent is first and second.filters[name].parent is second
    assert [person.username for person in second.qs] == ["person2"]
    assert [person.username for person in first.qs] == ["person1"]
    assert (first.asked, second.asked) == ("person1", "person2")
    assert not hasattr(MethodFilter.base_filters["name"], "parent")


def test_a_forms_choices_stay_as_declared_when_another_form_changes_its_own(people):
    changed = MethodFilter(queryset=User.objects.all()).form
    changed.fields["kind"].choices = [("person3", "Three")]
    form = MethodFilter({"kind": "person2"}, queryset=User.objects.all())
    assert [value for value, _ in form.form.fields["kind"].choices] == ["", "person1", "person2"]
    assert [person.username for person in form.qs] == ["person2"]


def test_a_filter_with_a_queryset_reads_its_rows_afresh_for_each_filterset(people):
    first = PeopleFilter({"team": "1"}, queryset=User.objects.all())
    assert first.filters["team"].queryset is not PeopleFilter.base_filters["team"].queryset
    assert len(first.form.fields["team"].choices) == 1
    team = Team.objects.create(name="Day services")
    second = PeopleFilter({"team": str(team.pk)}, queryset=User.objects.all())
    assert second.is_valid(), second.errors
