"""Finding a case by a word: its reference, what was seen, the subject's description, the links, the names of
the people on it (reporter, subject, handler) and its evidence's file names.

On PostgreSQL what was seen and the subject's description are matched by full-text search (English stemming,
so "posts" finds "posted"; web search syntax: "a phrase", -word, or) from the index of cases migration 0012;
a reference and the links contain the text (trigram indexes); names and file names are first
narrowed to a bounded list of ids by their own small indexes, so that PostgreSQL can combine every part
from an index (a bitmap OR) over a million cases. On SQLite (development) each part is a contains-match.
The search narrows the list it is given: it never shows a case that the list does not.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.db.models.functions import Concat

from people.models import User

from .models import Evidence

MIN_LENGTH = 3
# Bounds on the ids a name or a file name narrows to: a search that common says little anyway.
MOST_PEOPLE = 100
MOST_FILE_CASES = 1000
# Matches up to this many are listed by their ids (see search_cases).
MOST_BY_IDS = 5000

# Words: what was seen and the subject's description. Links are matched by any part of an address.
TEXT_FIELDS = ("description", "subject_description")


def _full_text():
    return connection.vendor == "postgresql"


def _people_named(text):
    named = User.objects.annotate(full_name=Concat("first_name", Value(" "), "last_name"))
    return list(named.filter(full_name__icontains=text).order_by().values_list("pk", flat=True)[:MOST_PEOPLE])


def _cases_with_files_named(text):
    files = Evidence.objects.filter(original_name__icontains=text).order_by()
    return list(files.values_list("case_id", flat=True).distinct()[:MOST_FILE_CASES])


def search_cases(cases, text):
    """The cases of `cases` that match `text`, each with `text_matched` (True where the words matched what
    was seen, the subject's description or the links), and the search's findings for `why_matched`."""
    people = _people_named(text)
    file_cases = _cases_with_files_named(text)
    found = (
        Q(reference__icontains=text)
        | Q(links__icontains=text)
        | Q(reporter__in=people)
        | Q(subject_person__in=people)
        | Q(handler__in=people)
        | Q(pk__in=file_cases)
    )
    if _full_text():
        words = SearchQuery(text, config="english", search_type="websearch")
        cases = cases.alias(search_text=SearchVector(*TEXT_FIELDS, config="english"))
        text_found = Q(search_text=words)
    else:
        text_found = Q()
        for field in TEXT_FIELDS:
            text_found |= Q(**{f"{field}__icontains": text})
    matches = cases.filter(found | text_found)
    if _full_text():
        # PostgreSQL cannot tell how many cases an OR of these parts matches, and guessing "some" it walks
        # the list's order testing every case for a word that no case has (seconds over a million). So
        # first the matches, up to a bound, unordered (from the indexes, or the first rows read when the
        # word is common): a few are then listed by their ids; many are found soon in the list's order.
        ids = list(matches.order_by().values_list("pk", flat=True)[: MOST_BY_IDS + 1])
        if len(ids) <= MOST_BY_IDS:
            matches = cases.filter(pk__in=ids)
    matches = matches.annotate(text_matched=ExpressionWrapper(text_found, output_field=BooleanField()))
    return matches, Findings(text=text, people=set(people), file_cases=set(file_cases))


class Findings:
    """What a search found besides the text, to say for each case shown why it matched."""

    def __init__(self, *, text, people, file_cases):
        self.text = text
        self.people = people
        self.file_cases = file_cases

    def why_matched(self, cases):
        """Set `matched` on each case shown: where the search found it, in words, e.g. ["reference",
        "handler's name"]; one query for the file names of those found by their evidence."""
        files = {}
        shown_by_files = [case.pk for case in cases if case.pk in self.file_cases]
        if shown_by_files:
            named = Evidence.objects.filter(case__in=shown_by_files, original_name__icontains=self.text)
            for case_id, name in named.order_by("original_name").values_list("case_id", "original_name"):
                files.setdefault(case_id, []).append(name)
        for case in cases:
            reasons = []
            if self.text.casefold() in case.reference.casefold():
                reasons.append("reference")
            if getattr(case, "text_matched", False):
                reasons.append("what was seen")
            if self.text.casefold() in case.links.casefold():
                reasons.append("links")
            for field, label in (
                ("reporter_id", "reporter's name"),
                ("subject_person_id", "subject's name"),
                ("handler_id", "handler's name"),
            ):
                if getattr(case, field) in self.people:
                    reasons.append(label)
            if case.pk in files:
                reasons.append("evidence: " + ", ".join(files[case.pk]))
            case.matched = reasons
