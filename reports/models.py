import datetime

from django.db import models, transaction

from reminders.calendar import is_working_day


class CalendarDayQuerySet(models.QuerySet):
    def cover(self, first, last, *, today=None):
        """Make the table hold every day of the years from `first` to `last` (dates), so that working days
        between any two of them can be counted in SQL; return the row of `today` (default: `last`). One
        query when it already does."""
        today = today or last
        bounds = self.aggregate(
            first=models.Min("day"),
            last=models.Max("day"),
            number=models.Max("number", filter=models.Q(day=today)),
            working=models.Count("day", filter=models.Q(day=today, is_working=True)),
        )
        if bounds["first"] and bounds["first"] <= min(first, today) and max(last, today) <= bounds["last"]:
            return CalendarDay(day=today, number=bounds["number"], is_working=bool(bounds["working"]))
        self._fill(min(first, today), max(last, today), bounds)
        return self.get(day=today)

    def _fill(self, first, last, bounds):
        start = datetime.date(first.year, 1, 1)
        end = datetime.date(last.year, 12, 31)
        with transaction.atomic():
            if bounds["first"] is None or start < bounds["first"]:
                # Numbers count from the first day of the table: starting earlier renumbers every day.
                end = max(end, bounds["last"] or end)
                self.all().delete()
                day, number = start, 0
            else:
                day = bounds["last"] + datetime.timedelta(days=1)
                number = self.get(day=bounds["last"]).number
                end = max(end, day)
            rows = []
            while day <= end:
                working = is_working_day(day)
                number += working
                rows.append(CalendarDay(day=day, is_working=working, number=number))
                day += datetime.timedelta(days=1)
            # Two readers extending it at once write the same rows.
            self.bulk_create(rows, ignore_conflicts=True)


class CalendarDay(models.Model):
    """One day of the working-day calendar (reminders.calendar: weekends and bank holidays), as a row, so
    that the reports count working days between two moments in the database rather than day by day.

    `number` is how many working days there are from the first day of the table to this day, included:
    the working days after one day up to another are the difference of their numbers.
    """

    day = models.DateField(primary_key=True)
    is_working = models.BooleanField()
    number = models.PositiveIntegerField()

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        ordering = ["day"]

    def __str__(self):
        return f"{self.day}: {'working day' if self.is_working else 'not a working day'} {self.number}"


class MonthFigure(models.Model):
    """One count of the reports page for the cases raised in one month (local time), stored by
    reports.services.month_figures_refresh so that the page adds months up instead of counting a million
    cases. A month is only read while none of its cases has changed since it was stored
    (reports.selectors.tally); otherwise its cases are counted live."""

    month = models.DateField(help_text="Its first day.")
    figure = models.CharField(max_length=20)
    key = models.CharField(max_length=100, blank=True)
    n = models.PositiveIntegerField()
    # For clauses: the smallest section number and position of the clauses with this number.
    section = models.PositiveIntegerField(null=True)
    position = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "figure", "key"], name="unique_month_figure")]

    def __str__(self):
        return f"{self.month:%b %Y} {self.figure} {self.key}: {self.n}"


class MonthRefresh(models.Model):
    """When a month's figures were stored: a case of that month changed after it makes them stale."""

    month = models.DateField(primary_key=True)
    refreshed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.month:%b %Y} at {self.refreshed_at:%Y-%m-%d %H:%M}"


class BenchmarkMeasure(models.TextChoices):
    """What a published benchmark measures, as the clause analytics (reports.selectors.clauses) count it."""

    REPORTS_PER_100 = "reports_per_100", "Reports per 100 employees a year"
    MEDIAN_DAYS_TO_CLOSE = "median_days_to_close", "Median calendar days to close"
    SUBSTANTIATION_RATE = "substantiation_rate", "Substantiation rate"


class BenchmarkFigureQuerySet(models.QuerySet):
    def by_measure(self):
        """{measure: [figures]}, each measure's figures in the order they are shown."""
        found = {}
        for figure in self.order_by("measure", "-edition", "region"):
            found.setdefault(figure.measure, []).append(figure)
        return found


class BenchmarkFigure(models.Model):
    """One figure of a published industry benchmark, shown beside the clause analytics. Rows, not code:
    administrators change them in the admin when a new edition is published."""

    source = models.CharField(max_length=100, help_text="Who published it, e.g. NAVEX.")
    edition = models.CharField(
        max_length=200,
        help_text="The report and its edition, as cited, e.g. "
        "2024 Whistleblowing & Incident Management Benchmark Report.",
    )
    address = models.URLField(max_length=500, blank=True, help_text="Where the report can be found.")
    region = models.CharField(max_length=60, default="All regions")
    measure = models.CharField(max_length=30, choices=BenchmarkMeasure.choices)
    value = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=60, help_text="e.g. reports per 100 employees, calendar days, %.")
    note = models.CharField(max_length=500, blank=True, help_text="How the publisher measured it.")

    objects = BenchmarkFigureQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "-edition", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "edition", "region", "measure"], name="unique_benchmark_figure"
            )
        ]

    def __str__(self):
        return f"{self.source} {self.edition}, {self.region}: {self.get_measure_display()} {self.value}"

    @property
    def shown(self):
        """The value as the page shows it: 1.57, 21, 46."""
        return f"{self.value.normalize():f}"
