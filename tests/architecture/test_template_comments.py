"""Django's {# … #} comment is one line only: one spread over lines is printed on the page as text. Longer
comments use {% comment %}."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
OPEN_COMMENT = re.compile(r"\{#(?![^\n]*#\})")


def test_no_template_has_a_comment_spread_over_lines():
    spread = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for match in OPEN_COMMENT.finditer(text):
            spread.append(f"{path.relative_to(TEMPLATES)}:{text[: match.start()].count(chr(10)) + 1}")
    assert spread == [], "Use {% comment %} for these (a {# #} comment ends on its line)"
