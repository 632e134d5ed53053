"""Reading a policy's plain text: the parser and the decoder on their own, without the database."""

import codecs

import pytest

from policies.importer import PolicyFormatError, decode_policy_bytes, parse_policy


def parse(*lines):
    return parse_policy("\n".join(lines))


def error_of(*lines):
    with pytest.raises(PolicyFormatError) as error:
        parse(*lines)
    return error.value


# Decoding ------------------------------------------------------------------------------------------


def test_utf8_with_or_without_a_bom():
    assert decode_policy_bytes("Policy \u2013 one".encode()) == "Policy \u2013 one"
    assert decode_policy_bytes(codecs.BOM_UTF8 + "Policy \u2013 one".encode()) == "Policy \u2013 one"


def test_windows_1252_from_word():
    assert decode_policy_bytes(b"staff members\x92 contract \x96 and \x93quotes\x94") == (
        "staff members\u2019 contract \u2013 and \u201cquotes\u201d"
    )


def test_utf16_with_a_bom_from_words_unicode_export():
    assert decode_policy_bytes("Policy\r\n1. ONE".encode("utf-16")) == "Policy\r\n1. ONE"


def test_tabs_form_feeds_and_carriage_returns_are_text():
    assert decode_policy_bytes(b"a\tb\r\n\x0cc") == "a\tb\r\n\x0cc"


@pytest.mark.parametrize("data", [b"", b"   ", b"\n\r\n\t \n", codecs.BOM_UTF8 + b"\n"])
def test_empty_files(data):
    with pytest.raises(PolicyFormatError) as error:
        decode_policy_bytes(data)
    assert (str(error.value), error.value.line, error.value.message) == (
        "the file is empty",
        None,
        "the file is empty",
    )


@pytest.mark.parametrize(
    "data, line",
    [
        (b"\x00", 1),
        (b"Title\n\nText with a bell\x07\n", 3),
        (b"\x89PNG\r\n\x1a\n\x00\x00", 2),
        (b"PK\x03\x04", 1),  # a .docx is a zip file
        (b"\x81\n\x00", 2),  # a control character is binary even where the bytes aren't Windows-1252 either
        ("one\ntwo\x85".encode(), 2),  # a C1 control character, valid UTF-8 but not text
    ],
)
def test_binary_files_name_the_first_line_with_a_control_character(data, line):
    with pytest.raises(PolicyFormatError) as error:
        decode_policy_bytes(data)
    assert str(error.value) == f"line {line}: this looks like a binary file, not plain text"
    assert error.value.line == line


def test_bytes_that_are_neither_utf8_nor_windows_1252():
    with pytest.raises(PolicyFormatError, match=r"^line 2: this is neither UTF-8 nor Windows-1252 text$"):
        decode_policy_bytes(b"Title\n\x81\n")


# Parsing -------------------------------------------------------------------------------------------


def test_empty_text():
    with pytest.raises(PolicyFormatError, match="^the file is empty$"):
        parse_policy(" \n\t\r\n")


def test_clauses_with_or_without_a_dash_and_bullets_of_any_kind():
    policy = parse(
        "  Data   Policy  ",
        "1. SCOPE",
        "1.1 First\tclause.",
        "\u2022 a bullet",
        "  * a star",
        "\u2013 an en dash",
        "-no space",
        "\u2022 1 of 2 things",  # a bullet whose text starts with a number is still a bullet
        "- 1.2 Second clause",
        "that runs on.",
    )
    assert policy.title == "Data Policy"
    [section] = policy.sections
    first, second = section.clauses
    assert (first.number, first.position, first.text, first.line) == ("1.1", 1, "First clause.", 3)
    assert first.items == ["a bullet", "a star", "an en dash", "no space", "1 of 2 things"]
    assert (second.number, second.text, second.items) == ("1.2", "Second clause that runs on.", [])


def test_paragraphs_and_wrapped_lines():
    policy = parse(
        "1. SCOPE",
        "An intro that",
        "wraps.",
        "",
        "A second intro paragraph.",
        "1.1 A clause",
        "that wraps.",
        "",
        "A second paragraph of the clause.",
        " - An item",
        "   that wraps.",
        "",
        "A paragraph after the item belongs to it.",
    )
    [section] = policy.sections
    assert policy.title is None
    assert section.intro == "An intro that wraps.\n\nA second intro paragraph."
    [clause] = section.clauses
    assert clause.text == "A clause that wraps.\n\nA second paragraph of the clause."
    assert clause.items == ["An item that wraps.\n\nA paragraph after the item belongs to it."]


def test_a_section_may_have_only_an_intro_and_bullets_before_its_first_clause_stay_in_it():
    policy = parse(
        "1. PURPOSE", "Why we have this policy:", "- to be safe", "- to be kind", "2. SCOPE", "2.1 All."
    )
    assert policy.sections[0].intro == "Why we have this policy:\n- to be safe\n- to be kind"
    assert policy.sections[0].clauses == []


def test_contents_with_dot_leaders_or_without_page_numbers():
    policy = parse(
        "Policy",
        "Table of Contents",
        "1. Introduction .......... 3",
        "2 DATA PROTECTION ACT 2018",
        "1. INTRODUCTION",
        "1.1 Text.",
        "2. Data  Protection Act 2018",
        "2.1 Text.",
    )
    assert [s.title for s in policy.sections] == ["INTRODUCTION", "Data Protection Act 2018"]


def test_windows_and_old_mac_line_endings_keep_line_numbers():
    assert error_of("1. A\r\n1.1 x\r\n1.3 y").line == 3
    assert error_of("1. A\r1.1 x\r1.3 y").line == 3


def test_twelve_sections_and_fifteen_clauses():
    lines = []
    for section in range(1, 13):
        lines += [
            f"{section}. SECTION {section}",
            *(f"{section}.{n} Clause {section}.{n}." for n in range(1, 16)),
        ]
    policy = parse(*lines)
    assert len(policy.sections) == 12
    assert sum(len(section.clauses) for section in policy.sections) == 180
    assert [c.number for c in policy.sections[2].clauses][-6:] == [f"3.{n}" for n in range(10, 16)]


@pytest.mark.parametrize(
    "lines, message",
    [
        (
            ["Title", "Text"],
            'line 2: no numbered section headings found; expected a heading like "1. INTRODUCTION" here',
        ),
        (["Just a title"], 'line 1: no numbered section headings found (like "1. INTRODUCTION")'),
        (["Title", "- a bullet", "1. A", "1.1 x"], "line 2: a bullet item before the first section heading"),
        (["Title", "1.1 x", "1. A", "1.1 x"], "line 2: clause 1.1 before the first section heading"),
        (["1. A", "1.1 x", "3. C", "3.1 x"], "line 3: section 3 follows section 1; expected 2"),
        (["1. A", "1.1 x", "1. B", "1.1 x"], "line 3: duplicate section number 1 (first at line 1)"),
        (["1. A", "1.1 x", "2. B", "1.2 x"], "line 4: clause 1.2 is under section 2"),
        (["1. A", "1.1 x", "1.2 y", "1.1 z"], "line 4: duplicate clause number 1.1 (first at line 2)"),
        (["1. A", "1.1 x", "1.2 y", "1.10 z"], "line 4: clause 1.10 follows 1.2; expected 1.3"),
        (["1. A", "", "2. B", "2.1 x"], 'line 1: section 1. "A" has no clauses and no text'),
        (["1. A", "1.1 x", "1.2"], "line 3: clause 1.2 has no text"),
        (["Contents", "1. A 1", "2. B 2", "1. A", "1.1 x", "2. C", "2.1 x"], "line 6: heading"),
        (["Contents", "1. A 1", "Appendix 3", "1. A", "1.1 x"], "line 3: expected a contents entry"),
        (["Contents", "1. A 1", "2. B 2"], "line 1: no section headings after the contents list"),
    ],
)
def test_errors_name_the_line(lines, message):
    error = error_of(*lines)
    assert str(error).startswith(message)
    assert str(error) == f"line {error.line}: {error.message}"


def test_content_hash_is_the_structure_not_the_layout():
    text = "Policy\n\n1. A\n1.1 Clause one\n - item\n1.2 Clause two\n"
    same = parse_policy(text).content_hash()
    assert parse_policy(text.replace("Policy", "Another title")).content_hash() == same
    assert parse_policy(text.replace("\n", "\r\n\r\n").replace(" one", "\t  one  ")).content_hash() == same
    # A blank line that splits a clause into paragraphs is layout too.
    assert parse_policy(text.replace("Clause one", "Clause\n\none")).content_hash() == same
    assert parse_policy(text.replace("item", "an item")).content_hash() != same
    assert parse_policy(text.replace("1. A", "1. B")).content_hash() != same
    assert parse_policy(text.replace(" - item\n", "")).content_hash() != same
    assert parse_policy(text.replace(" - item", "item")).content_hash() != same  # clause text, not an item
    assert len(same) == 64
