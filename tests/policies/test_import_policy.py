"""The import_policy command: a policy's plain text in, a draft version with its sections and clauses out."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from policies.models import Clause, ClauseItem, Policy, PolicyVersion, Section
from policies.services import policy_import

SEED = settings.BASE_DIR / "data" / "social-media-policy.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_text():
    return SEED.read_text(encoding="utf-8")


def import_policy(path, **options):
    out = StringIO()
    call_command("import_policy", str(path), stdout=out, **options)
    return out.getvalue()


def write(tmp_path, text, name="policy.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def counts():
    return [model.objects.count() for model in (Policy, PolicyVersion, Section, Clause, ClauseItem)]


def clause(number, version=None):
    version = version or PolicyVersion.objects.get()
    return Clause.objects.get(section__version=version, number=number)


# The seed: the Social Media Policy as written -------------------------------------------------------


def test_the_social_media_policy_imports_as_a_first_draft():
    out = import_policy(SEED)

    assert out.strip() == "Imported Social Media Policy version 1 (draft): 10 sections, 30 clauses."
    policy = Policy.objects.get()
    assert (policy.title, policy.slug) == ("Social Media Policy", "social-media-policy")
    version = policy.versions.get()
    assert (version.number, version.status) == (1, PolicyVersion.Status.DRAFT)
    assert version.source_text == SEED.read_text(encoding="utf-8")
    assert len(version.content_hash) == 64
    assert list(version.sections.values_list("number", "title")) == [
        (1, "INTRODUCTION"),
        (2, "SCOPE"),
        (3, "RESPONSIBILITIES"),
        (4, "focus AND SOCIAL MEDIA"),
        (5, "THE USE OF SOCIAL MEDIA IN A PERSONAL CAPACITY"),
        (6, "THE USE OF SOCIAL MEDIA FOR BUSINESS PURPOSES"),
        (7, "INFORMATION, CONFIDENTIALITY AND SECURITY"),
        (8, "PROFESSIONAL ORGANISATIONS"),
        (9, "RAISING CONCERNS"),
        (10, "POLICY REVIEW"),
    ]
    assert [c.number for c in version.clauses()] == [
        *("1.1", "1.2", "1.3"),
        *("2.1", "2.2", "2.3", "2.4", "2.5"),
        *("3.1", "3.2", "3.3"),
        *("4.1", "4.2", "4.3"),
        *("5.1", "5.2", "5.3"),
        *("6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7"),
        *("7.1", "8.1", "9.1", "9.2", "10.1", "10.2"),
    ]


def test_clause_5_2_has_its_seven_bullet_items_in_order():
    import_policy(SEED)

    five_two = clause("5.2")
    assert five_two.text == (
        "This section provides guidance on the use of social media tools by focus staff in a personal "
        "capacity, for example, a personal profile on Facebook or use of Twitter "
        "(this list is not exhaustive):"
    )
    items = list(five_two.items.values_list("position", "text"))
    assert [position for position, _ in items] == [1, 2, 3, 4, 5, 6, 7]
    assert [" ".join(text.split()[:4]) for _, text in items] == [
        "Staff must be aware",
        "Staff should not record",  # the one written without its leading space
        "Staff who do not",
        "Staff who post discriminatory",
        "Staff need to be",
        "Staff must not, under",
        "Staff must not disclose",
    ]
    assert items[5][1].endswith("misconduct / gross misconduct; and")
    assert ClauseItem.objects.count() == 7  # no other clause has items: 5.3 is a clause, not an item


def test_clause_texts_are_complete():
    import_policy(SEED)

    assert clause("3.1").text == (
        "The Head of Business and Governance has overall responsibility for the effective operation of "
        "this policy, but has delegated day-to-day responsibility for its operation to Line Managers. "
        "Responsibility for monitoring and reviewing the operation of this policy and making recommendations "
        "for change to minimise risks also lies with the Head of the Business and Governance."
    )
    six_one = clause("6.1").text
    assert six_one.startswith("focus has its own official social media accounts, including Facebook, Twitter")
    assert six_one.endswith("then the guidance detailed in Section 5 also applies.")
    assert "\n" not in six_one
    nine_two = clause("9.2").text
    assert nine_two.startswith("Staff should be aware that they have a responsibility to raise concerns")
    assert (
        "who can take legal advice to see if focus needs to take action to have the comments removed"
        in nine_two
    )
    assert nine_two.endswith("and /or involving the Police to consider criminal implications.")
    assert len(nine_two) == 933
    assert "their personal hat or their business hat" in clause("4.3").text
    assert clause("10.2").text.endswith("by contacting the Head of Business and Governance.")


def test_each_clause_is_searchable_by_its_number_text_and_items():
    import_policy(SEED)

    document = clause("5.2").search_document.split("\n")
    assert document[0] == "5.2"
    assert document[1].startswith("This section provides guidance")
    assert len(document) == 9
    assert clause("1.1").search_document.startswith("1.1\nfocus recognises that many staff")


def test_importing_the_same_text_again_imports_nothing(tmp_path, seed_text):
    import_policy(SEED)
    before = counts()

    out = import_policy(SEED)

    assert out.strip() == "Social Media Policy version 1 already has this text; nothing imported."
    assert counts() == before
    # Blank lines, spacing, tabs and Windows line endings are not a new text either.
    reflowed = seed_text.replace("\n\n", "\n\n\n").replace(" - Staff", "\t-   Staff").replace("\n", "\r\n")
    out = import_policy(write(tmp_path, reflowed + "\r\n\r\n"), title="Social Media Policy")
    assert "nothing imported" in out
    assert counts() == before


def test_a_changed_clause_is_a_new_draft_version(tmp_path, seed_text):
    import_policy(SEED)
    changed = seed_text.replace("three years", "two years")
    assert changed != seed_text

    out = import_policy(write(tmp_path, changed))

    assert out.strip() == "Imported Social Media Policy version 2 (draft): 10 sections, 30 clauses."
    policy = Policy.objects.get()
    assert list(policy.versions.order_by("number").values_list("number", "status")) == [
        (1, PolicyVersion.Status.DRAFT),
        (2, PolicyVersion.Status.DRAFT),
    ]
    v1, v2 = policy.versions.order_by("number")
    assert v1.content_hash != v2.content_hash
    assert "over the next three years" in clause("10.1", v1).text
    assert "over the next two years" in clause("10.1", v2).text
    assert clause("5.2", v2).items.count() == 7


def test_a_changed_bullet_item_is_a_new_version(tmp_path, seed_text):
    import_policy(SEED)

    import_policy(write(tmp_path, seed_text.replace("Staff must not disclose", "Staff must never disclose")))

    assert PolicyVersion.objects.count() == 2


def test_the_title_option_wins_over_the_first_line(tmp_path, seed_text):
    out = import_policy(SEED, title="Staff  Social Media Policy")

    assert out.startswith("Imported Staff Social Media Policy version 1 (draft)")
    assert Policy.objects.get().slug == "staff-social-media-policy"


def test_a_policy_with_no_title_needs_the_title_option(tmp_path, seed_text):
    untitled = write(tmp_path, seed_text.replace("Social Media Policy\n", "", 1))

    with pytest.raises(CommandError, match="no title: pass --title"):
        import_policy(untitled)
    assert counts() == [0, 0, 0, 0, 0]

    import_policy(untitled, title="Social Media Policy")
    assert PolicyVersion.objects.get().policy.title == "Social Media Policy"


def test_the_importer_is_recorded(seed_text, governance):
    version = policy_import(text=seed_text, by=governance).version

    assert version.imported_by == governance


def test_cp1252_text_from_word_imports(tmp_path, seed_text):
    text = seed_text.replace("staff members' contract", "staff members\u2019 contract")
    path = tmp_path / "word-export.txt"
    path.write_bytes(text.encode("cp1252"))
    assert b"members\x92 contract" in path.read_bytes()

    import_policy(path)

    assert "staff members\u2019 contract of employment" in clause("1.3").text
    assert "media \u2013 their personal hat" in clause("4.3").text


# Another policy in the same style -------------------------------------------------------------------

LONE_WORKING = "\r\n".join(
    [
        "Lone Working Policy",
        "",
        "1. PURPOSE",
        "This policy sets out how focus keeps staff safe",
        "when they work alone.",
        "",
        "It applies to all staff.",
        "1.1 Staff who work alone must\ttell their supervisor where they are.",
        "1.2 Supervisors keep a record of lone working.",
        "",
        "2. PROCEDURES",
        *(f"2.{n} Procedure step {n}." for n in range(1, 10)),
        "2.10 Procedure step ten, which runs over",
        "two lines.",
        "2.11 Procedure step eleven.",
        "",
        "3. REVIEW",
        "3.1 This policy will be reviewed every three years.",
        "",
    ]
)


def test_a_policy_without_contents_or_bullets_and_with_windows_line_endings(tmp_path):
    path = tmp_path / "lone-working.txt"
    path.write_bytes(LONE_WORKING.encode("utf-8"))

    out = import_policy(path)

    assert out.strip() == "Imported Lone Working Policy version 1 (draft): 3 sections, 14 clauses."
    version = PolicyVersion.objects.get(policy__slug="lone-working-policy")
    purpose, procedures, review = version.sections.all()
    assert (
        purpose.intro
        == "This policy sets out how focus keeps staff safe when they work alone.\n\nIt applies to all staff."
    )
    assert (procedures.title, procedures.intro, review.title) == ("PROCEDURES", "", "REVIEW")
    assert list(procedures.clauses.values_list("number", flat=True)) == [f"2.{n}" for n in range(1, 12)]
    assert list(procedures.clauses.values_list("position", flat=True)) == list(range(1, 12))
    assert clause("2.10", version).text == "Procedure step ten, which runs over two lines."
    assert clause("1.1", version).text == "Staff who work alone must tell their supervisor where they are."
    assert ClauseItem.objects.count() == 0
    assert "\r\n" in version.source_text  # kept exactly as written


# Files that are not a policy: an error naming the line, and nothing written ------------------------

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")


def seed_with(**changes):
    """The seed with some lines replaced, by 1-based line number: seed_with(line_61="...")."""
    lines = list(SEED_LINES)
    for key, value in changes.items():
        lines[int(key.removeprefix("line_")) - 1] = value
    return "\n".join(lines)


def assert_refused(path, message):
    before = counts()
    with pytest.raises(CommandError) as error:
        import_policy(path)
    assert str(error.value) == f"{path}: {message}"
    assert counts() == before


@pytest.fixture
def imported(db):
    """An earlier policy already in the register, so that "nothing written" is checked against it."""
    import_policy(SEED)


BAD_TEXTS = {
    "clause out of order": (
        seed_with(line_61=SEED_LINES[60].replace("- 5.3 ", "- 5.4 ")),
        "line 61: clause 5.4 follows 5.2; expected 5.3",
    ),
    "first clause of a section not x.1": (
        seed_with(line_30=SEED_LINES[29].replace("- 2.1 ", "- 2.2 ")),
        "line 30: clause 2.2 is the first clause of section 2; expected 2.1",
    ),
    "duplicate clause number": (
        seed_with(line_68=SEED_LINES[67].replace("- 6.3 ", "- 6.2 ")),
        "line 68: duplicate clause number 6.2 (first at line 67)",
    ),
    "clause under the wrong section": (
        seed_with(line_51=SEED_LINES[50].replace("- 5.1 ", "- 4.4 ")),
        "line 51: clause 4.4 is under section 5",
    ),
    "duplicate section": (
        seed_with(line_36="2. RESPONSIBILITIES"),
        "line 36: duplicate section number 2 (first at line 28)",
    ),
    "section out of order": (
        seed_with(line_49="6. THE USE OF SOCIAL MEDIA IN A PERSONAL CAPACITY"),
        "line 49: section 6 follows section 4; expected 5",
    ),
    "first section not 1": (
        seed_with(line_22="2. INTRODUCTION"),
        "line 22: the first section is numbered 2; expected 1",
    ),
    "contents title differs from the heading": (
        seed_with(line_17="7.\tINFORMATION AND SECURITY\t6"),
        'line 74: heading "INFORMATION, CONFIDENTIALITY AND SECURITY" does not match the contents list, '
        'which has "INFORMATION AND SECURITY 6" (line 17)',
    ),
    "heading missing from the contents": (
        seed_with(line_20=""),
        'line 87: section 10. "POLICY REVIEW" is missing from the contents list (line 9)',
    ),
    "contents entry with no section": (
        seed_with(line_21="11.\tAPPENDIX\t8"),
        'line 21: the contents list has 11. "APPENDIX 8" but no such section',
    ),
    "text before the first section": (
        seed_with(line_6="Approved by the Board in March 2021"),
        "line 6: text before the first section heading",
    ),
    "clause before the first section": (
        seed_with(line_22="", line_23="- 1.1 focus recognises"),
        'line 23: expected a section heading like "1. INTRODUCTION" before this line, '
        "after the contents list (line 9)",
    ),
    "section with no clauses": (
        seed_with(line_80=""),
        'line 78: section 8. "PROFESSIONAL ORGANISATIONS" has no clauses and no text',
    ),
    "clause with no text": (
        seed_with(line_26="- 1.3"),
        "line 26: clause 1.3 has no text",
    ),
    "three-part clause number": (
        seed_with(line_56=" - 5.2.1 Staff who do not directly identify themselves"),
        "line 56: clause numbers with three parts like 5.2.1 are not supported; "
        "write the sub-clauses as bullet items",
    ),
    "no numbered sections": (
        "Social Media Policy\n\nStaff must think before they post.\n- 1.1 Be kind.\n",
        'line 3: no numbered section headings found; expected a heading like "1. INTRODUCTION" here',
    ),
}


@pytest.mark.parametrize("text, message", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_a_malformed_policy_is_refused_naming_the_line(tmp_path, imported, text, message):
    assert_refused(write(tmp_path, text), message)


BAD_FILES = {
    "empty file": (b"", "the file is empty"),
    "whitespace only": (b" \n\t\r\n  \n", "the file is empty"),
    "PNG image": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        "line 2: this looks like a binary file, not plain text",
    ),
    "NUL byte in text": (
        b"Social Media Policy\n\n1. INTRODUCTION\x00\n",
        "line 3: this looks like a binary file, not plain text",
    ),
}


@pytest.mark.parametrize("data, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_file_that_is_not_text_is_refused(tmp_path, imported, data, message):
    path = tmp_path / "policy.txt"
    path.write_bytes(data)
    assert_refused(path, message)


def test_a_missing_file_is_refused(tmp_path):
    path = tmp_path / "missing.txt"
    with pytest.raises(
        CommandError, match=r"missing\.txt: cannot read the file \(No such file or directory\)"
    ):
        import_policy(path)
    assert counts() == [0, 0, 0, 0, 0]


def test_the_command_exits_with_an_error_naming_the_file_and_line(tmp_path):
    path = write(tmp_path, seed_with(line_61=SEED_LINES[60].replace("- 5.3 ", "- 5.4 ")))

    result = subprocess.run(  # noqa: S603 - our own manage.py, with a file we wrote
        [sys.executable, "manage.py", "import_policy", str(path)],
        cwd=settings.BASE_DIR,
        # A database of its own: the text is refused before any database is touched.
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "focuspolicy.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 1
    assert f"CommandError: {path}: line 61: clause 5.4 follows 5.2; expected 5.3" in result.stderr
    assert result.stdout == ""
