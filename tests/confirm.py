"""Posting a step that cannot be undone as a person does after the check page (core.confirm)."""


def confirmed(data):
    """`data` as the Confirm button of the check page posts it again."""
    return {**data, "confirm": "1"}
