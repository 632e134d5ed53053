"""Clauses a concern may breach, suggested from the words of its description.

Each clause's words (its text and items, cut to a stem of STEM letters so that "photo" meets "photos"
and "confidential" meets "confidentiality") are matched with the description's; a shared word counts
more the fewer clauses use it (inverse document frequency), so "service users" says little and
"photograph" much. static/js/raise.js does the same sum as the reporter types, from the words this
module puts on each checkbox (data-words): one rule, two places it runs, the server's the one without JS.
"""

import math
import re

STEM = 6
SHORTEST = 4
SUGGESTED = 5
_WORD = re.compile(r"[a-z]+")
# Words in nearly every clause of a policy, or in any sentence: they suggest nothing.
_COMMON = frozenset(
    """
    about also any been being between both could does each either from have into made make many more
    most much must only other over same should some such than that their them then there these they this
    those through under upon very were what when where whether which while will with within would your
    focus staff social media policy member members
    """.split()
)


def stems(text):
    """The stems of the words of `text` that may tell one clause from another."""
    words = _WORD.findall((text or "").lower())
    return {word[:STEM] for word in words if len(word) >= SHORTEST and word not in _COMMON}


def clause_stems(clause):
    return stems(" ".join([clause.text, *(item.text for item in clause.items.all())]))


def clauses_suggested(*, description, clauses):
    """The clauses whose words the description shares most, best first (at most SUGGESTED)."""
    words = stems(description)
    if not words:
        return []
    by_clause = [(clause, clause_stems(clause)) for clause in clauses]
    frequency = {}
    for _, clause_words in by_clause:
        for word in clause_words:
            frequency[word] = frequency.get(word, 0) + 1
    total = len(by_clause)
    scored = [
        (sum(math.log((1 + total) / frequency[word]) for word in words & clause_words), position, clause)
        for position, (clause, clause_words) in enumerate(by_clause)
    ]
    best = sorted((item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1]))
    return [clause for _, _, clause in best[:SUGGESTED]]
