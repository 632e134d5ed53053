"""Bar charts, and the trend's line chart, drawn on the server as SVG geometry: no JavaScript, no library,
nothing fetched (the policy allows no inline script or style: colours are SVG attributes).

The functions take labels and values and return numbers only; templates/reports/includes/chart.html draws
the frame and `Chart.marks` the ticks and bars (a template loop over 400 teams' bars took about a
second), escaping every label (a team's name, say) like any other text; trend_chart.html draws a
LineChart (a dozen points a line) in the template. Each chart stands beside a table of the same figures,
which is what screen readers and the CSV use.
"""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# In SVG units, about a CSS pixel each where the chart is shown; the font is 13 units, about 7.5 a character.
WIDTH = 560
FONT_SIZE = 13
CHARACTER_WIDTH = 7.5
LABEL_WIDTH = 190
LABEL_CHARACTERS = 25
VALUE_ROOM = 48


@dataclass(frozen=True)
class Tick:
    value: int
    x1: float
    y1: float
    x2: float
    y2: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    value: int
    value_text: str
    x: float
    y: float
    width: float
    height: float
    label_x: float
    label_y: float
    value_x: float
    value_y: float
    show_label: bool = True
    show_value: bool = True


@dataclass(frozen=True)
class Chart:
    kind: str  # "bars" (horizontal, a row per label) or "columns" (vertical, e.g. months left to right).
    width: int
    height: int
    bars: list
    ticks: list
    axis: tuple  # x1, y1, x2, y2 of the baseline.

    def marks(self):
        """The ticks and the bars as SVG elements. Coordinates are numbers made here; the texts (a team's
        name, say) are escaped."""
        columns = self.kind == "columns"
        tick_anchor = "end" if columns else "middle"
        label_anchor, value_anchor = ("middle", "middle") if columns else ("end", "start")
        baseline = "auto" if columns else "middle"
        marks = []
        for t in self.ticks:
            marks.append(
                f'<line x1="{t.x1}" y1="{t.y1}" x2="{t.x2}" y2="{t.y2}" stroke="#c9cdd2" stroke-width="1"/>'
            )
            marks.append(
                f'<text x="{t.text_x}" y="{t.text_y}" fill="#4a4f57" '
                f'text-anchor="{tick_anchor}">{t.value}</text>'
            )
        for bar in self.bars:
            marks.append(
                f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" fill="#005a70"/>'
            )
            if bar.show_label:
                marks.append(
                    f'<text x="{bar.label_x}" y="{bar.label_y}" fill="#1b1b1f" text-anchor="{label_anchor}" '
                    f'dominant-baseline="{baseline}">{escape(bar.short_label)}</text>'
                )
            if bar.show_value:
                marks.append(
                    f'<text x="{bar.value_x}" y="{bar.value_y}" fill="#1b1b1f" font-weight="bold" '
                    f'text-anchor="{value_anchor}" dominant-baseline="{baseline}">'
                    f"{escape(bar.value_text)}</text>"
                )
        return mark_safe("\n".join(marks))  # noqa: S308 (numbers made here; every text escaped)


def nice_scale(largest, steps=5):
    """A round top for the scale and its step, e.g. 37 → (40, 10), 0 → (1, 1). Whole numbers only."""
    if largest <= 0:
        return 1, 1
    rough = largest / steps
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(1, int(step))
    return step * math.ceil(largest / step), step


def shorten(label, limit=LABEL_CHARACTERS):
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _round(value):
    return round(value, 1)


def bar_chart(labels, values, *, width=WIDTH, bar_height=22, gap=10, suffix="", scale_top=None):
    """Horizontal bars, one a row, the label at the left and the value (with `suffix`, e.g. "%") at the
    end of the bar. `scale_top` fixes the top of the scale, e.g. 100 for percentages."""
    labels, values = list(labels), list(values)
    top, axis_room = 8, 24
    left, plot = LABEL_WIDTH, width - LABEL_WIDTH - VALUE_ROOM
    scale_top, step = nice_scale(scale_top or max(values, default=0))
    bottom = top + len(values) * (bar_height + gap)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * (bar_height + gap) + gap / 2
        length = plot * value / scale_top
        bars.append(
            Bar(
                label=str(label),
                short_label=shorten(label),
                value=value,
                value_text=f"{value}{suffix}",
                x=left,
                y=_round(y),
                width=_round(length),
                height=bar_height,
                label_x=left - 8,
                label_y=_round(y + bar_height / 2),
                value_x=_round(left + length + 6),
                value_y=_round(y + bar_height / 2),
            )
        )
    ticks = [
        Tick(
            value=value,
            x1=_round(left + plot * value / scale_top),
            y1=top,
            x2=_round(left + plot * value / scale_top),
            y2=bottom,
            text_x=_round(left + plot * value / scale_top),
            text_y=bottom + 16,
        )
        for value in range(0, scale_top + 1, step)
    ]
    return Chart("bars", width, bottom + axis_room, bars, ticks, (left, top, left, bottom))


def column_chart(labels, values, *, width=WIDTH, plot_height=180, most_labels=12):
    """Vertical columns left to right (months), the value above each; when the labels would not fit
    side by side only every so many is labelled below, so that they never overlap."""
    labels, values = list(labels), list(values)
    top, left, right, label_room = 20, 40, 8, 28
    scale_top, step = nice_scale(max(values, default=0))
    count = max(len(values), 1)
    slot = (width - left - right) / count
    widest = max((len(str(label)) for label in labels), default=0) * CHARACTER_WIDTH + 6
    every = max(math.ceil(count / most_labels), math.ceil(widest / slot))
    baseline = top + plot_height
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / scale_top
        x = left + index * slot + slot * 0.15
        bars.append(
            Bar(
                label=str(label),
                short_label=shorten(label, 12),
                value=value,
                value_text=str(value),
                x=_round(x),
                y=_round(baseline - height),
                width=_round(slot * 0.7),
                height=_round(height),
                label_x=_round(x + slot * 0.35),
                label_y=baseline + 18,
                value_x=_round(x + slot * 0.35),
                value_y=_round(baseline - height - 5),
                show_label=index % every == 0,
                show_value=count <= 2 * most_labels,
            )
        )
    ticks = [
        Tick(
            value=value,
            x1=left,
            y1=_round(baseline - plot_height * value / scale_top),
            x2=width - right,
            y2=_round(baseline - plot_height * value / scale_top),
            text_x=left - 6,
            text_y=_round(baseline - plot_height * value / scale_top + 4),
        )
        for value in range(0, scale_top + 1, step)
    ]
    return Chart(
        "columns", width, baseline + label_room, bars, ticks, (left, baseline, width - right, baseline)
    )


# --- The trend: a line per figure over the months -----------------------------------------------------

# Each line has its own colour, dash and marker, so that they can be told apart without colour.
LINE_STYLES = [("#005a70", "", "circle"), ("#b34700", "7 4", "square"), ("#5c3c92", "2 3", "diamond")]
LEGEND_ROW = 18
MARKER = 4.5


@dataclass(frozen=True)
class Point:
    label: str
    value: int
    x: float
    y: float

    size = MARKER

    @property
    def square(self):
        """x, y and side of a square marker centred on the point."""
        return _round(self.x - MARKER * 0.9), _round(self.y - MARKER * 0.9), _round(MARKER * 1.8)

    def diamond(self):
        """The outline of a diamond marker at the point, for a <path d="…">: numbers only."""
        x, y, r = self.x, self.y, _round(MARKER * 1.3)
        return f"M {x} {_round(y - r)} L {_round(x + r)} {y} L {x} {_round(y + r)} L {_round(x - r)} {y} Z"


@dataclass(frozen=True)
class Line:
    key: str
    title: str
    points: list
    colour: str
    dash: str
    marker: str
    legend_y: float

    @property
    def path(self):
        """The points of the <polyline>: numbers only."""
        return " ".join(f"{point.x},{point.y}" for point in self.points)

    @property
    def marker_tag(self):
        return {"circle": "circle", "square": "rect", "diamond": "path"}[self.marker]

    @property
    def legend_marker(self):
        return Point("", 0, 28, self.legend_y)


@dataclass(frozen=True)
class AxisLabel:
    text: str
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    lines: list
    ticks: list
    axis: tuple  # x1, y1, x2, y2 of the baseline.
    labels: list  # AxisLabels under the baseline: each month, and the year under its first month.
    x_title: AxisLabel
    y_title: AxisLabel


def line_chart(months, series, *, width=WIDTH, plot_height=180):
    """A line per series over the months, left to right: `months` are dates (first days), `series` a list
    of (key, title, values), a value per month. The months are labelled by their short name, with the
    year under January and the first month; the scale is round (nice_scale) and starts at 0."""
    months = list(months)
    left, right = 48, 12
    top = 12 + len(series) * LEGEND_ROW + 12
    baseline = top + plot_height
    scale_top, step = nice_scale(max((max(values, default=0) for _, _, values in series), default=0))
    slot = (width - left - right) / max(len(months), 1)

    def x_of(index):
        return _round(left + slot * (index + 0.5))

    def y_of(value):
        return _round(baseline - plot_height * value / scale_top)

    lines = []
    for index, ((key, title, values), (colour, dash, marker)) in enumerate(
        zip(series, LINE_STYLES, strict=False)
    ):
        points = [
            Point(f"{month:%b %Y}", value, x_of(n), y_of(value))
            for n, (month, value) in enumerate(zip(months, values, strict=True))
        ]
        lines.append(Line(key, title, points, colour, dash, marker, 12 + index * LEGEND_ROW + 6))
    labels = []
    for n, month in enumerate(months):
        labels.append(AxisLabel(f"{month:%b}", x_of(n), baseline + 18))
        if n == 0 or month.month == 1:
            labels.append(AxisLabel(f"{month:%Y}", x_of(n), baseline + 34))
    ticks = [
        Tick(
            value=value,
            x1=left,
            y1=y_of(value),
            x2=width - right,
            y2=y_of(value),
            text_x=left - 6,
            text_y=_round(y_of(value) + 4),
        )
        for value in range(0, scale_top + 1, step)
    ]
    return LineChart(
        width=width,
        height=baseline + 62,
        lines=lines,
        ticks=ticks,
        axis=(left, baseline, width - right, baseline),
        labels=labels,
        x_title=AxisLabel("Month raised", _round(left + (width - left - right) / 2), baseline + 54),
        y_title=AxisLabel("Cases", 14, _round(top + plot_height / 2)),
    )
