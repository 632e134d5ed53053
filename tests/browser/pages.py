"""Ways to find things on a focuspolicy page, shared by the browser journeys."""


def nav(page, name):
    """Follow a link of the main navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()


def h1(page):
    return page.get_by_role("heading", level=1)


def status(page):
    """The messages shown after an action ("saved", "sent" …)."""
    return page.locator("main .messages[role=status]")
