"""Walking a keyset-paged list the way a reader does, for the tests of its pages."""


def walk_both_ways(client, url):
    """Every page of the list at `url` by its Next links, then back from the last by its Previous links:
    (the pages forward, the ids read back before the last page, in the list's order)."""
    pages, cursor = [], None
    while True:
        page = client.get(url, {"cursor": cursor} if cursor else {}).context["page"]
        pages.append(page)
        if not page.has_next:
            break
        cursor = page.next_cursor
    back, cursor = [], pages[-1].previous_cursor
    while cursor:
        page = client.get(url, {"cursor": cursor}).context["page"]
        back = [row.pk for row in page] + back
        cursor = page.previous_cursor
    return pages, back


def assert_walks_in_pages(client, url, expected, *, pages):
    """The list at `url` gives the ids `expected` in `pages` pages forward by its Next links, and the same
    rows (all but the last page's) back by its Previous links."""
    forward, back = walk_both_ways(client, url)
    assert [row.pk for page in forward for row in page] == expected
    assert len(forward) == pages
    assert back == expected[: len(expected) - len(forward[-1])]
