"""Paths of pages about one object, each made from one reverse() per process: a list of 25 links spent more
Python reversing them than drawing them (issue 13). As cases.models.case_url does for a case's page."""

from functools import cache

from django.urls import reverse

# An id no row has yet, whose digits are found again in the reversed path.
_ANY_PK = 2_147_483_647


@cache
def _path_template(view_name):
    return reverse(view_name, args=[_ANY_PK])


def path_for_pk(view_name, pk):
    """reverse(view_name, args=[pk]), for a view whose one argument is an integer id."""
    return _path_template(view_name).replace(str(_ANY_PK), str(pk))
