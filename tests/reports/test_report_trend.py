"""The trend of the main figures over the twelve months to the period's end: a server-drawn SVG line chart
with a line of twelve points for each figure, in proportion to its values, and beside it a table of the
same numbers for screen readers. Nothing runs in the browser."""

import csv
import io
import re

import pytest
import time_machine
from django.urls import reverse

from tests.reports.moments import NOW, PERIOD, at

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")
SERIES = {
    "raised": "Concerns raised",
    "closed": "Of those, closed now",
    "breach": "Of those, a breach found",
}
# The twelve months to 15 May 2026: O in December; A and B in January (X is about the reader); C in
# February; D in April. A, B and D are closed; A found a breach (content removed).
MONTHS = ["Jun 2025", "Jul 2025", "Aug 2025", "Sep 2025", "Oct 2025", "Nov 2025", "Dec 2025"]
MONTHS += ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026"]
EXPECTED = {
    "raised": {"Dec 2025": 1, "Jan 2026": 2, "Feb 2026": 1, "Apr 2026": 1},
    "closed": {"Jan 2026": 2, "Apr 2026": 1},
    "breach": {"Jan 2026": 1},
}


def expected(series, months=MONTHS):
    return [(month, EXPECTED[series].get(month, 0)) for month in months]


@pytest.fixture
def page(client, governance):
    def _page(params=None):
        client.force_login(governance)
        with time_machine.travel(NOW, tick=False):
            response = client.get(INDEX, params or {})
        assert response.status_code == 200
        return response.text

    return _page


def chart_of(html):
    start = html.index('<svg class="chart chart-lines"')
    return html[start : html.index("</svg>", start)]


def lines(svg):
    """{series: (the polyline's points as (x, y), [(month, value)] from the points' titles)}."""
    found = {}
    for key, body in re.findall(r'<g class="series" data-series="(\w+)"[^>]*>(.*?)</g>', svg, re.S):
        points = re.search(r'<polyline points="([^"]*)"', body).group(1).split()
        xy = [tuple(float(n) for n in point.split(",")) for point in points]
        titled = re.findall(r'data-value="(\d+)"><title>([^<]*), (\w+ \d{4}): (\d+)</title>', body)
        for value, title, _, shown in titled:
            assert title == SERIES[key] and value == shown
        found[key] = (xy, [(month, int(value)) for value, _, month, _ in titled])
    return found


def trend_table(html):
    start = html.index("<caption>Concerns by the month raised")
    body = html[start : html.index("</table>", start)]
    rows = re.findall(r'<th scope="row">([^<]*)</th>((?:<td class="number"[^>]*>.*?</td>)+)</tr>', body, re.S)
    cells = {
        month: [
            int(re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>', "", cell))
            for cell in re.findall(r'<td class="number"[^>]*>(.*?)</td>', values)
        ]
        for month, values in rows
    }
    return [month for month, _ in rows], cells


def test_each_figure_is_a_line_of_twelve_points_with_its_values(page, world):
    svg = chart_of(page())
    found = lines(svg)
    assert list(found) == list(SERIES)
    for key, (xy, points) in found.items():
        assert points == expected(key)
        assert len(xy) == 12
        # Left to right, month by month; each point's height in proportion to its value, 0 on the baseline.
        xs = [x for x, _ in xy]
        assert xs == sorted(xs) and len(set(xs)) == 12
        zero = {y for (_, y), (_, value) in zip(xy, points, strict=True) if value == 0}
        assert len(zero) == 1
        baseline = zero.pop()
        scale = {
            round((baseline - y) / value, 3) for (_, y), (_, value) in zip(xy, points, strict=True) if value
        }
        assert len(scale) == 1 and scale.pop() > 0
    # The lines share one scale: January's two raised and two closed are at the same height.
    january = MONTHS.index("Jan 2026")
    assert found["raised"][0][january] == found["closed"][0][january]
    assert found["breach"][0][january][1] > found["raised"][0][january][1]


def test_the_chart_has_axis_labels_a_legend_and_a_text_alternative(page, world):
    html = page()
    svg = chart_of(html)
    assert 'role="img"' in svg and '<title id="chart-trend-title">' in svg
    assert "Month raised" in svg and ">Cases</text>" in svg
    for month in ("Jun", "Jan", "May"):
        assert f">{month}</text>" in svg
    assert ">2025</text>" in svg and ">2026</text>" in svg
    for title in SERIES.values():
        assert f">{title}</text>" in svg  # the legend
    assert "style=" not in svg and "<script" not in svg


def test_the_table_has_the_same_numbers_as_the_chart(page, world):
    html = page()
    found = lines(chart_of(html))
    months, cells = trend_table(html)
    assert months == MONTHS
    for n, key in enumerate(SERIES):
        assert [(month, cells[month][n]) for month in months] == found[key][1] == expected(key)
    for title in SERIES.values():
        assert f'<th scope="col" class="number">{title}</th>' in html


def test_a_shorter_period_still_shows_the_twelve_months_to_its_end(page, world):
    html = page(PERIOD)  # 1 January to 30 April 2026
    months = [f"{m} 2025" for m in ("May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")]
    months += [f"{m} 2026" for m in ("Jan", "Feb", "Mar", "Apr")]
    found = lines(chart_of(html))
    for key in SERIES:
        assert found[key][1] == expected(key, months)
    assert "These months reach before the period chosen above." in html


def test_the_csv_has_the_trend(client, governance, world):
    client.force_login(governance)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("reports:csv"))
        body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(body)))
    for key, title in SERIES.items():
        trend = [(label, int(value)) for figure, label, value in rows if figure.endswith(f": {title}")]
        assert trend == expected(key)


def test_the_trend_costs_no_more_queries_with_more_cases(
    client, governance, raise_at, staff, other_staff, django_assert_max_num_queries
):
    client.force_login(governance)

    def read(params):
        with time_machine.travel(NOW, tick=False):
            return client.get(INDEX, params)

    raise_at(at(2026, 1, 5, 10), staff)
    read({})  # the first reading fills the working-day calendar
    counted = {}
    for name, params in (("default", {}), ("shorter", PERIOD)):
        with django_assert_max_num_queries(30) as context:
            read(params)
        counted[name] = len(context.captured_queries)
    for n in range(20):  # over the twelve months, some before the shorter period
        month = at(2025, 6 + n % 7, 1 + n, 10) if n % 2 else at(2026, 1 + n % 4, 1 + n, 10)
        raise_at(month, staff if n % 3 else other_staff)
    for name, params in (("default", {}), ("shorter", PERIOD)):
        with django_assert_max_num_queries(counted[name]):
            assert read(params).status_code == 200
