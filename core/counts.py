"""Counts shown at a glance (a badge, a line on the home page) need not be exact past a point: counted up
to MOST and shown as "99+", they read at most a hundred index entries however large the table grows."""

MOST = 99


def capped_count(queryset, *, most=MOST):
    """The number of rows, or f"{most}+" when there are more than `most`."""
    return capped(queryset.order_by()[: most + 1].count(), most=most)


def capped(count, *, most=MOST):
    """A count of at most `most` + 1 rows as shown: the number, or f"{most}+"."""
    return f"{most}+" if count > most else count
