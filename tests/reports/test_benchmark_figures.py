"""The published industry figures beside the clause analytics are data: loaded by a migration with their
source and edition, changed by administrators in the admin when a new edition is published, and shown as
they stand."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import BenchmarkFigure, BenchmarkMeasure

pytestmark = pytest.mark.django_db

EDITION = "2024 Whistleblowing & Incident Management Benchmark Report"
INDEX = reverse("reports:clauses")


def test_the_migration_loads_the_published_figures_with_their_source_and_edition():
    figures = {
        (figure.region, figure.measure): (figure.value, figure.unit)
        for figure in BenchmarkFigure.objects.filter(source="NAVEX", edition=EDITION)
    }
    assert figures == {
        ("All regions", BenchmarkMeasure.REPORTS_PER_100): (Decimal("1.57"), "reports per 100 employees"),
        ("North America", BenchmarkMeasure.MEDIAN_DAYS_TO_CLOSE): (Decimal("21"), "calendar days"),
        ("Europe", BenchmarkMeasure.MEDIAN_DAYS_TO_CLOSE): (Decimal("58"), "calendar days"),
        ("All regions", BenchmarkMeasure.SUBSTANTIATION_RATE): (Decimal("46"), "%"),
    }


def test_an_administrator_updates_a_figure_for_a_new_edition_and_the_pages_follow(
    client, administrator, governance, policy
):
    figure = BenchmarkFigure.objects.get(measure=BenchmarkMeasure.SUBSTANTIATION_RATE)
    client.force_login(administrator)
    change = reverse("admin:reports_benchmarkfigure_change", args=[figure.pk])
    assert client.get(reverse("admin:reports_benchmarkfigure_changelist")).status_code == 200

    response = client.post(
        change,
        {
            "source": "NAVEX",
            "edition": "2025 Whistleblowing & Incident Management Benchmark Report",
            "address": "",
            "region": "All regions",
            "measure": BenchmarkMeasure.SUBSTANTIATION_RATE,
            "value": "47.5",
            "unit": "%",
            "note": "Of the reports closed.",
        },
    )

    assert response.status_code == 302
    figure.refresh_from_db()
    assert (figure.value, figure.edition) == (
        Decimal("47.5"),
        "2025 Whistleblowing & Incident Management Benchmark Report",
    )
    client.force_login(governance)
    page = client.get(INDEX).text
    assert '47.5% <span class="meta">(All regions; NAVEX, 2025 Whistleblowing &amp; Incident' in page
    assert "<cite>2025 Whistleblowing &amp; Incident Management Benchmark Report</cite>" in page


def test_an_administrator_adds_a_figure(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:reports_benchmarkfigure_add"),
        {
            "source": "NAVEX",
            "edition": EDITION,
            "region": "Asia Pacific",
            "measure": BenchmarkMeasure.MEDIAN_DAYS_TO_CLOSE,
            "value": "30",
            "unit": "calendar days",
        },
    )
    assert response.status_code == 302
    assert BenchmarkFigure.objects.filter(region="Asia Pacific").exists()


@pytest.mark.parametrize("who", ["governance", "staff", "hr"])
def test_nobody_else_changes_them_in_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    figure = BenchmarkFigure.objects.first()
    response = client.get(reverse("admin:reports_benchmarkfigure_change", args=[figure.pk]))
    assert response.status_code in (302, 403)


def test_the_pages_show_every_figure_with_its_source(client, governance, policy):
    client.force_login(governance)
    page = client.get(reverse("reports:clause", args=["social-media-policy", "5.2"])).text
    for text in ["1.57 reports per 100 employees", "21 calendar days", "58 calendar days", "46%"]:
        assert text in page
    assert page.count("<cite>2024 Whistleblowing &amp; Incident Management Benchmark Report</cite>") == 4
