"""cases 0030: PostgreSQL keeps a fine histogram of the cases' references, so that a search by part of a
reference is estimated from its matches (a handful) and read through the trigram index, rather than guessed
at thousands and looked for among the newest cases one by one (316 ms at a million cases, issue 13)."""

import pytest
from django.db import connection

from cases.models import Case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own, as in CI"),
]


def test_the_references_are_analysed_a_thousand_values_fine():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'reference'",
            [Case._meta.db_table],
        )
        assert cursor.fetchone() == (1000,)
