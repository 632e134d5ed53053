"""Reading a report's linked counts, and the lists they open."""

import html
import re

LINKED_CELL = re.compile(
    r'<th scope="row">(?P<label>[^<]*)</th>(?P<cells>(?:<td class="number"[^>]*>.*?</td>)+)</tr>', re.S
)
LINK = re.compile(r'<td class="number"[^>]*>(?:<a href="(?P<href>[^"]*)">)?(?P<value>\d+)')


def drill_downs(html_text, caption_start):
    """[(row label, value, link or None)] of the table whose caption starts so, a cell at a time."""
    start = html_text.index(f"<caption>{caption_start}")
    body = html_text[start : html_text.index("</table>", start)]
    found = []
    for row in LINKED_CELL.finditer(body):
        for cell in LINK.finditer(row["cells"]):
            href = html.unescape(cell["href"]) if cell["href"] else None
            found.append((row["label"].strip(), int(cell["value"]), href))
    return found


def listed(client, href):
    """The references the list at `href` shows, All cases or Disciplinary records (every page: the lists
    here are short); a filter it did not use fails."""
    response = client.get(href)
    assert response.status_code == 200
    assert "Some filters were not used" not in response.text
    page = response.context["page"]
    assert not page.has_next
    return [case.reference for case in page]
