"""Clause-by-clause comparison of two versions of a policy, with the changed words marked."""

import difflib
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .selectors import version_sections


@dataclass
class ClauseChange:
    number: str
    kind: str  # "added", "removed", "changed" or "unchanged"
    old_text: str
    new_text: str

    @property
    def marked(self):
        return word_diff(self.old_text, self.new_text)


def full_text(text, items):
    """A clause's text with its items, as a case stores it and as versions are compared."""
    return "\n".join([text, *(f"• {item}" for item in items)])


def clause_texts(version):
    """{clause number: full text with its items}, in policy order."""
    texts = {}
    for section in version_sections(version):
        for clause in section.clauses:
            texts[clause.number] = full_text(clause.text, clause.items)
    return texts


def compare_url(policy, old_number, new_number):
    """The comparison page of two versions of the policy."""
    return f"{reverse('policies:compare', args=[policy.slug])}?old={old_number}&new={new_number}"


def compare_versions(old, new):
    old_texts, new_texts = clause_texts(old), clause_texts(new)
    numbers = list(new_texts) + [n for n in old_texts if n not in new_texts]
    numbers.sort(key=lambda n: tuple(int(part) for part in n.split(".")))
    changes = []
    for number in numbers:
        before, after = old_texts.get(number), new_texts.get(number)
        if before is None:
            kind = "added"
        elif after is None:
            kind = "removed"
        elif before != after:
            kind = "changed"
        else:
            kind = "unchanged"
        changes.append(ClauseChange(number=number, kind=kind, old_text=before or "", new_text=after or ""))
    return changes


def word_diff(old, new):
    """HTML of the new text with removed words in <del> and added words in <ins>."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(new_words[b1:b2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(old_words[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(new_words[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped
