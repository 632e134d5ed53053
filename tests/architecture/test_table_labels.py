"""On a phone a table's rows stack (static/css/narrow.css) and each cell is labelled by its data-label:
every data cell of every table in the templates carries one, computed from the source so that a new column
cannot be added without it. The reports' figure tables of two or three columns stay tables (those marked
`stack` stack too); the browser journeys (tests/browser/test_phone_journeys.py) check the labels of the
tables they show against the column headings."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TABLE = re.compile(r"<table\b(?P<attributes>[^>]*)>(?P<body>.*?)</table>", re.DOTALL)
CELL = re.compile(r"<td\b[^>]*>")


def _tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for table in TABLE.finditer(path.read_text()):
            if "figure-table" not in table["attributes"] or "stack" in table["attributes"]:
                yield str(path.relative_to(TEMPLATES)), table["body"]


TABLES = list(_tables())


@pytest.mark.parametrize(("template", "body"), TABLES, ids=[template for template, _ in TABLES])
def test_every_data_cell_is_labelled_with_its_column(template, body):
    unlabelled = [cell for cell in CELL.findall(body) if "data-label=" not in cell and "colspan=" not in cell]
    assert unlabelled == [], f"{template}: cells without a data-label: {unlabelled}"


def test_the_check_finds_the_tables():
    assert len(TABLES) > 20
