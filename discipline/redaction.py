"""The employee's copy of a disciplinary bundle: other people's identities replaced by their part in it.

Each person the record or its case names through a user record (the reporter, the case handler, the
investigating manager, the managers who heard the case and the appeal, HR) is shown by a role label such as
"the reporter", and free text is searched for their full names, e-mail addresses and distinctive usernames,
which are replaced by the same label. Other members of staff named in the free text by full name or e-mail
become "a witness"; the companions named in words become "the employee's companion". The employee's own name
stays: it is their copy.

Usernames here are often ordinary words ("hr", "staff"), so a username is searched for only where it cannot be
one: written as @username, or holding a digit, dot, underscore or hyphen.
"""

import re

from django.db.models import Q

from people.models import User

WITNESS = "a witness"
COMPANION = "the employee's companion"
_DISTINCTIVE_USERNAME = re.compile(r"[\d._-]")
_EMAILS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_NAME_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Between the words of a name: white space (a name broken over lines) or what joins words in a file name.
_BETWEEN_WORDS = r"[\s._-]+"


def _terms(person):
    """The ways free text may name `person`, e.g. "Sam Jones", "Jones, Sam", "sam@focus.example"."""
    first, last = person.first_name.strip(), person.last_name.strip()
    # As the app shows them (str): the full name, or the username of someone with no name on record.
    terms = {str(person), person.email.strip(), f"@{person.username}"}
    if first and last:
        terms |= {f"{first} {last}", f"{last}, {first}"}
    if _DISTINCTIVE_USERNAME.search(person.username):
        terms.add(person.username)
    return {term for term in terms if len(term) > 1}


class Unredacted:
    """The full copy, through the same two questions the redacted copy answers."""

    redacted = False

    def person(self, user, fallback="—"):
        return str(user) if user else fallback

    def text(self, value):
        return value or ""


class Redactor:
    """person(user): the label of someone other than the employee; text(value): free text with every name
    of those people replaced by their label."""

    redacted = True

    def __init__(self, *, employee, roles, companions=(), texts=()):
        """`roles` is [(user or None, label)], the first label a person is given being theirs; `texts`, the
        free text to be shown, searched for other staff named in it."""
        self.employee = employee
        self.labels = {}
        for user, label in roles:
            if user is not None and user.pk != employee.pk:
                self.labels.setdefault(user.pk, label)
        people = list(User.objects.filter(pk__in=self.labels))
        people += _named_in(texts, exclude=[employee.pk, *self.labels])
        for person in people:
            self.labels.setdefault(person.pk, WITNESS)
        own = {_key(term) for term in _terms(employee)}
        replacements = {}
        for person in people:
            for term in _terms(person):
                if _key(term) not in own:
                    replacements.setdefault(_key(term), self.labels[person.pk])
        for companion in companions:
            if companion.strip():
                replacements.setdefault(_key(companion), COMPANION)
        self._replacements = replacements
        # The longest first ("Sam Jones, UNISON" before "Sam Jones"); "Sam\nJones" and "sam-jones.txt" match.
        alternatives = [
            _BETWEEN_WORDS.join(map(re.escape, term.split()))
            for term in sorted(replacements, key=len, reverse=True)
        ]
        self._pattern = (
            re.compile(r"(?<![\w@])(" + "|".join(alternatives) + r")(?![\w@])", re.IGNORECASE)
            if alternatives
            else None
        )

    def person(self, user, fallback="—"):
        if user is None:
            return fallback
        if user.pk == self.employee.pk:
            return str(user)
        return self.labels.get(user.pk, "a member of staff")

    def text(self, value):
        if not value or self._pattern is None:
            return value or ""

        def label(match):
            found = self._replacements.get(_key(match[0]), WITNESS)
            before = value[: match.start()].rstrip()
            # "The reporter said", not "the reporter said", at the start of a sentence.
            return found[0].upper() + found[1:] if not before or before[-1] in ".!?" else found

        return self._pattern.sub(label, value)


def _key(term):
    """A name as compared: in lower case, its words one space apart (a file name's too)."""
    return " ".join(re.split(_BETWEEN_WORDS, term.lower().strip()))


def _named_in(texts, *, exclude):
    """Members of staff whose e-mail, or first and last names both, appear in `texts` (one query): the
    candidates the pattern then looks for as whole names."""
    texts = [text for text in texts if text]
    emails = {email.rstrip(".") for text in texts for email in _EMAILS.findall(text)}
    names = {
        variant for text in texts for word in _NAME_WORDS.findall(text) for variant in (word, word.title())
    }
    if not emails and not names:
        return []
    return list(
        User.objects.filter(Q(email__in=emails) | Q(first_name__in=names, last_name__in=names)).exclude(
            pk__in=exclude
        )
    )
