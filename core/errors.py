"""The one error a service raises when it refuses: what it was asked to do breaks a rule of the policy or
of the workflow. Its message is for the person who tried, and views show it to them as it is."""


class DomainError(Exception):
    """A change that is not allowed, with a message for the person who tried it ("Give the reason for this
    step.", "You cannot reassign on this case."). Anything else a service raises is a bug."""
