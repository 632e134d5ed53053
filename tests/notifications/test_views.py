"""The notifications pages: the list, the unread count in the navigation, opening, marking read and the
person's preferences. Each person sees and changes only their own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Kind, Notification, Preference

pytestmark = pytest.mark.django_db

BADGE = '<span class="badge">{}<span class="visually-hidden"> unread</span></span>'


def notification(person, title="A case has been routed to you", link="/cases/SMP-2026-0001/", **fields):
    return Notification.objects.create(
        recipient=person, kind=Kind.CASE_ROUTED, title=title, link=link, **fields
    )


@pytest.fixture
def mine(supervisor):
    return [
        notification(supervisor, title="A case has been routed to you", link="/cases/SMP-2026-0001/"),
        notification(supervisor, title="A message about a concern you raised", link="/cases/SMP-2026-0002/"),
    ]


@pytest.fixture
def theirs(outsider):
    return notification(outsider, title="A policy version to acknowledge", link="/policies/")


@pytest.mark.parametrize(
    "name, args, method",
    [("list", [], "get"), ("open", [1], "get"), ("preferences", [], "get"), ("mark_read", [], "post")],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args, method):
    url = reverse(f"notifications:{name}", args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_the_list_shows_my_notifications_newest_first_and_nobody_elses(client, supervisor, mine, theirs):
    client.force_login(supervisor)
    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine[1], mine[0]]
    assert "A message about a concern you raised" in response.text
    assert theirs.title not in response.text
    assert response.text.count("<strong>new</strong>") == 2


def test_each_notification_links_to_opening_it_with_its_time_and_whether_it_is_new(client, supervisor):
    read = notification(
        supervisor, title="Tom & Jerry's <case>", read_at=timezone.now(), created_at=timezone.now()
    )
    unread = notification(supervisor, title="A new one")
    client.force_login(supervisor)
    page = client.get(reverse("notifications:list")).text

    at = timezone.localtime(read.created_at)
    assert (
        f'<li class="read">\n    <a href="{reverse("notifications:open", args=[read.pk])}">'
        f"Tom &amp; Jerry&#x27;s &lt;case&gt;</a>\n"
        f'    <span class="meta">· <time datetime="{at.isoformat()}">{at:%-d %b %Y, %H:%M}</time></span>'
    ) in page
    assert (
        f'<li class="unread">\n    <a href="{reverse("notifications:open", args=[unread.pk])}">A new one</a>'
        in page
    )
    assert page.count("<strong>new</strong>") == 1


def test_someone_with_no_notifications_is_told_so(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("notifications:list"))
    assert "You have no notifications." in response.text
    assert 'class="badge"' not in response.text


def test_the_navigation_counts_my_unread_notifications_on_every_page(client, supervisor, mine, theirs):
    notification(supervisor, title="Read already", read_at=timezone.now())
    client.force_login(supervisor)

    for url in (reverse("home"), reverse("policies:list"), reverse("notifications:list")):
        assert BADGE.format(2) in client.get(url).text


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, supervisor, mine):
    client.force_login(supervisor)
    response = client.get(reverse("notifications:open", args=[mine[0].pk]))

    assert response.status_code == 302 and response.url == "/cases/SMP-2026-0001/"
    mine[0].refresh_from_db()
    mine[1].refresh_from_db()
    assert mine[0].is_read and not mine[1].is_read
    assert BADGE.format(1) in client.get(reverse("notifications:list")).text


def test_nobody_can_open_or_mark_read_someone_elses_notification(client, supervisor, mine, theirs):
    client.force_login(supervisor)
    response = client.get(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 302 and response.url == reverse("notifications:list")

    client.post(reverse("notifications:mark_read"), {"notification": [theirs.pk]})
    theirs.refresh_from_db()
    assert not theirs.is_read
    assert theirs.title not in client.get(reverse("notifications:list")).text


def test_mark_all_read_clears_the_count_and_touches_only_mine(client, supervisor, mine, theirs):
    client.force_login(supervisor)
    response = client.post(reverse("notifications:mark_read"))

    assert response.status_code == 302 and response.url == reverse("notifications:list")
    assert not Notification.objects.filter(recipient=supervisor, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert not theirs.is_read
    assert 'class="badge"' not in client.get(reverse("notifications:list")).text


def test_marking_one_read_leaves_the_others(client, supervisor, mine):
    client.force_login(supervisor)
    client.post(reverse("notifications:mark_read"), {"notification": [mine[1].pk]})
    assert [n.is_read for n in Notification.objects.filter(pk__in=[m.pk for m in mine]).order_by("pk")] == [
        False,
        True,
    ]


def test_mark_read_only_accepts_a_post(client, supervisor, mine):
    client.force_login(supervisor)
    assert client.get(reverse("notifications:mark_read")).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_the_preferences_page_offers_each_kind_and_lists_those_always_sent(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {k.value for k in Kind} - {Kind.ESCALATION, Kind.PERSONAL_DATA_BREACH}
    assert form[Kind.CASE_ROUTED].value() == Preference.Mode.IMMEDIATE
    always = response.text.split("Always sent at once", 1)[1]
    assert Kind.ESCALATION.label in always and Kind.PERSONAL_DATA_BREACH.label in always


def test_saving_preferences_keeps_them_and_ignores_the_kinds_that_cannot_be_turned_off(client, supervisor):
    modes = {k.value: Preference.Mode.IMMEDIATE for k in Kind}
    modes.update(
        {
            Kind.CASE_ROUTED: Preference.Mode.DIGEST,
            Kind.POLICY_TO_ACKNOWLEDGE: Preference.Mode.IN_APP,
            Kind.ESCALATION: Preference.Mode.IN_APP,
            Kind.PERSONAL_DATA_BREACH: Preference.Mode.DIGEST,
        }
    )
    client.force_login(supervisor)
    response = client.post(reverse("notifications:preferences"), modes, follow=True)

    assert response.redirect_chain == [(reverse("notifications:preferences"), 302)]
    assert "Your notification preferences are saved." in response.text
    saved = dict(Preference.objects.filter(user=supervisor).values_list("kind", "mode"))
    assert saved[Kind.CASE_ROUTED] == Preference.Mode.DIGEST
    assert saved[Kind.POLICY_TO_ACKNOWLEDGE] == Preference.Mode.IN_APP
    assert Kind.ESCALATION not in saved and Kind.PERSONAL_DATA_BREACH not in saved
    assert response.context["form"][Kind.CASE_ROUTED].value() == Preference.Mode.DIGEST


def test_a_bad_choice_saves_nothing(client, supervisor):
    client.force_login(supervisor)
    response = client.post(reverse("notifications:preferences"), {Kind.CASE_ROUTED: "carrier_pigeon"})
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors[Kind.CASE_ROUTED])
    assert not Preference.objects.exists()


def test_my_preferences_are_not_anyone_elses(client, supervisor, outsider):
    Preference.objects.create(user=outsider, kind=Kind.CASE_ROUTED, mode=Preference.Mode.IN_APP)
    client.force_login(supervisor)
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert form[Kind.CASE_ROUTED].value() == Preference.Mode.IMMEDIATE


def _next_link(response):
    page = response.context["page"]
    return page.next_cursor if page.has_next else None


def test_the_list_pages_by_cursor_through_every_notification_once_and_back(client, supervisor):
    # Three pages of 50, a run of them at the same moment, so that the order rests on the id as well.
    same_moment = timezone.now()
    made = [notification(supervisor, title=f"Notification {n}") for n in range(120)]
    Notification.objects.filter(pk__in=[n.pk for n in made[40:80]]).update(created_at=same_moment)
    expected = list(Notification.objects.filter(recipient=supervisor).order_by("-created_at", "-pk"))
    client.force_login(supervisor)

    seen, pages, cursor = [], [], None
    while True:
        response = client.get(reverse("notifications:list"), {"cursor": cursor} if cursor else {})
        assert response.status_code == 200
        pages.append(response.context["page"])
        seen += list(pages[-1].object_list)
        cursor = _next_link(response)
        if cursor is None:
            break
    assert seen == expected
    assert [len(page.object_list) for page in pages] == [50, 50, 20]
    assert 'rel="next"' not in response.text and 'rel="prev"' in response.text

    back = client.get(reverse("notifications:list"), {"cursor": pages[-1].previous_cursor})
    assert list(back.context["page"].object_list) == expected[50:100]
    first = client.get(reverse("notifications:list"), {"cursor": back.context["page"].previous_cursor})
    assert list(first.context["page"].object_list) == expected[:50]
    assert not first.context["page"].has_previous


@pytest.mark.parametrize("cursor", ["nonsense", "W10", "WyJuIiwgWzEsIDJdXQ", "WyJ4IixbIjIwMjYiLDFdXQ", "%00"])
def test_a_cursor_that_does_not_fit_gives_the_first_page(client, supervisor, mine, cursor):
    client.force_login(supervisor)
    response = client.get(reverse("notifications:list"), {"cursor": cursor, "page": "999999999999"})
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine[1], mine[0]]


def test_the_navigation_counts_unread_notifications_up_to_99_then_says_99_plus(client, supervisor):
    Notification.objects.bulk_create(
        Notification(recipient=supervisor, kind=Kind.CASE_ROUTED, title="Routed", link="/") for _ in range(99)
    )
    client.force_login(supervisor)
    assert BADGE.format(99) in client.get(reverse("home")).text

    notification(supervisor)
    assert BADGE.format("99+") in client.get(reverse("home")).text
