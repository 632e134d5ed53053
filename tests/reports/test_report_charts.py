"""The chart geometry: bars in proportion on a round scale, labels that fit, and nothing that is not a
number except the labels, which the template escapes."""

import pytest

from reports import charts


@pytest.mark.parametrize(
    ("largest", "top", "step"),
    [(0, 1, 1), (1, 1, 1), (3, 3, 1), (7, 8, 2), (37, 40, 10), (100, 100, 20), (1234, 1500, 500)],
)
def test_nice_scale(largest, top, step):
    assert charts.nice_scale(largest) == (top, step)


def test_bars_are_in_proportion_to_their_values():
    chart = charts.bar_chart(["Facebook", "LinkedIn", "Other"], [4, 2, 0])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 0
    assert [tick.value for tick in chart.ticks] == [0, 1, 2, 3, 4]
    # The longest bar reaches the top of the scale, and every bar starts at the axis.
    assert chart.bars[0].x + chart.bars[0].width == chart.ticks[-1].x1
    assert {bar.x for bar in chart.bars} == {chart.axis[0]}
    # Rows do not overlap and all fit in the picture.
    tops = [bar.y for bar in chart.bars]
    assert all(b - a >= chart.bars[0].height for a, b in zip(tops, tops[1:], strict=False))
    assert chart.bars[-1].y + chart.bars[-1].height < chart.height


def test_long_labels_are_shortened_for_the_chart_only():
    name = "Referred to the Head of Business and Governance"
    [bar] = charts.bar_chart([name], [1]).bars
    assert bar.label == name
    assert bar.short_label.endswith("…")
    assert len(bar.short_label) <= charts.LABEL_CHARACTERS


def test_percentages_have_a_fixed_scale_and_a_suffix():
    chart = charts.bar_chart(["Community Support", "Supported Living"], [50, 100], suffix="%", scale_top=100)
    assert [bar.value_text for bar in chart.bars] == ["50%", "100%"]
    assert chart.ticks[-1].value == 100
    assert chart.bars[1].width == 2 * chart.bars[0].width


def test_columns_stand_on_the_baseline():
    chart = charts.column_chart(["Jan 2026", "Feb 2026", "Mar 2026"], [2, 1, 0])
    baseline = chart.axis[1]
    assert [bar.y + bar.height for bar in chart.bars] == [baseline] * 3
    assert chart.bars[0].height == 2 * chart.bars[1].height
    assert all(bar.show_label and bar.show_value for bar in chart.bars)


def test_crowded_columns_are_labelled_every_so_often():
    months = [f"Month {n:02d}" for n in range(24)]
    chart = charts.column_chart(months, list(range(24)))
    labelled = [bar.label for bar in chart.bars if bar.show_label]
    assert 1 < len(labelled) <= 12
    assert labelled[0] == "Month 00"
    # Labelled columns are far enough apart for their text.
    xs = [bar.label_x for bar in chart.bars if bar.show_label]
    assert min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= len("Month 00") * charts.CHARACTER_WIDTH


def test_an_empty_chart_is_still_drawable():
    chart = charts.bar_chart([], [])
    assert chart.bars == []
    assert chart.height > 0
