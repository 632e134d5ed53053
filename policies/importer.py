"""Read a policy written as plain text into sections, clauses and bullet items. No database here.

The format is the one the Social Media Policy is written in:

    Social Media Policy                 the title: the first line
    Contents                            an optional contents list: number, title, page
    1.<tab>INTRODUCTION<tab>3
    ...
    1. INTRODUCTION                     a section heading
    Text under the heading.             the section's intro (text before its first clause)
    - 1.1 The text of the clause...     a clause (the dash is optional)
     - The first bullet item...         a bullet item of 1.1 (-, *, a bullet or a dash; indented or not)

Every mistake raises PolicyFormatError naming the line, so the policy owner can fix the file and
import it again.
"""

import codecs
import hashlib
import json
import re
from dataclasses import dataclass, field

from core.errors import DomainError


class PolicyFormatError(DomainError):
    """The text is not a policy we can read. `line` is 1-based, or None when no one line is at fault.

    A DomainError like any other refusal; a class of its own because it carries the line at fault."""

    def __init__(self, message, line=None):
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass
class ParsedClause:
    number: str  # "5.2"
    position: int  # 2 in 5.2
    text: str
    items: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class ParsedSection:
    number: int
    title: str
    intro: str = ""
    clauses: list[ParsedClause] = field(default_factory=list)
    line: int = 0


@dataclass
class ParsedPolicy:
    title: str | None
    sections: list[ParsedSection]

    def content_hash(self):
        """SHA-256 of the structure, so that the same policy text gives the same hash.

        The title is left out (a different --title is not a different text), and so are blank lines
        and runs of whitespace: paragraph breaks alone do not make a new version.
        """
        structure = [
            {
                "number": section.number,
                "title": _words(section.title),
                "intro": _words(section.intro),
                "clauses": [
                    {
                        "number": clause.number,
                        "text": _words(clause.text),
                        "items": [_words(i) for i in clause.items],
                    }
                    for clause in section.clauses
                ],
            }
            for section in self.sections
        ]
        canonical = json.dumps(structure, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Decoding ------------------------------------------------------------------------------------------

# Control characters other than tab, newline, carriage return and form feed. In UTF-8 and in
# Windows-1252 these bytes only ever stand for themselves, so they can be looked for before decoding.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_BINARY = "this looks like a binary file, not plain text"
_EMPTY = "the file is empty"


def decode_policy_bytes(data: bytes) -> str:
    """The text of an uploaded or saved file: UTF-8 (with or without a BOM), else Windows-1252.

    Word's "Plain Text" export writes Windows-1252 (curly quotes as 0x92 and so on); its "Unicode"
    export writes UTF-16 with a BOM, which is read too.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise PolicyFormatError("this file starts like UTF-16 text but is not valid UTF-16") from error
    else:
        control = _CONTROL_BYTES.search(data)
        if control:
            raise PolicyFormatError(_BINARY, line=data.count(b"\n", 0, control.start()) + 1)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise PolicyFormatError(
                    "this is neither UTF-8 nor Windows-1252 text", line=data.count(b"\n", 0, error.start) + 1
                ) from error
    if not text.strip():
        raise PolicyFormatError(_EMPTY)
    control = _CONTROL_CHARS.search(text)
    if control:
        raise PolicyFormatError(_BINARY, line=text.count("\n", 0, control.start()) + 1)
    return text


# Parsing -------------------------------------------------------------------------------------------

# What a line may start with before a clause number or a bullet item's text: hyphen, asterisk, bullet,
# en dash, em dash, middle dot, small square, white bullet, black circle.
_MARK = "-*\u2022\u2013\u2014\u00b7\u25aa\u25e6\u25cf"
_CONTENTS = re.compile(r"(?:table of )?contents:?", re.IGNORECASE)
_CONTENTS_ENTRY = re.compile(r"(\d{1,3})\.?\s+(\S.*)")
_HEADING = re.compile(r"(\d{1,3})\.\s+(\S.*)")
_CLAUSE = re.compile(rf"(?:[{_MARK}]\s*)?(\d{{1,3}})\.(\d{{1,3}})\.?(?:\s+(.*))?")
_SUBCLAUSE = re.compile(rf"(?:[{_MARK}]\s*)?(\d{{1,3}}\.\d{{1,3}}\.\d{{1,3}})\b")
_BULLET = re.compile(rf"[{_MARK}]\s*(\S.*)")
_PAGE_NUMBER = re.compile(r"(?:\s*\.{2,}\s*|\s*…+\s*|\s+)\d{1,4}$")  # "INTRODUCTION 3", "INTRODUCTION .... 3"
_SECTION_TITLE_MAX = 300


def _words(text):
    """The text with each run of whitespace (tabs, non-breaking spaces, line breaks) as one space."""
    return " ".join(text.split())


def _join(text, more, new_paragraph):
    if not text:
        return more
    return f"{text}\n\n{more}" if new_paragraph else f"{text} {more}"


def _titles_match(heading, entry):
    heading, entry = _words(heading).casefold(), _words(entry).casefold()
    return entry == heading or _PAGE_NUMBER.sub("", entry) == heading


def parse_policy(text: str) -> ParsedPolicy:
    """The title, sections, clauses and bullet items of a policy; PolicyFormatError if it can't be read."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise PolicyFormatError(_EMPTY)
    return _Parser(lines).parse()


class _Parser:
    """Reads the lines one by one: first the title and contents list, then sections and their clauses."""

    def __init__(self, lines):
        self.lines = [_words(line) for line in lines]
        self.title = None
        self.title_line = None
        self.contents = {}  # section number -> (title as listed, line)
        self.contents_line = None
        self.in_contents = False
        self.sections = []
        self.section_lines = {}  # section number -> line of its heading
        self.clause_lines = {}  # clause position in the current section -> line
        self.section = None
        self.clause = None
        self.after_blank = False

    def parse(self):
        for number, line in enumerate(self.lines, start=1):
            if not line:
                self.after_blank = True
                continue
            if self.in_contents and self._contents_entry(number, line):
                continue
            if self.section is None and not self.in_contents:
                self._before_first_heading(number, line)
            else:
                self._body(number, line)
            self.after_blank = False
        if not self.sections:
            if self.contents_line is not None:
                raise PolicyFormatError(
                    "no section headings after the contents list; each section needs a heading like "
                    '"1. INTRODUCTION" after the list',
                    line=self.contents_line,
                )
            raise PolicyFormatError(
                'no numbered section headings found (like "1. INTRODUCTION")', line=self.title_line
            )
        self._close_section()
        for section_number, (entry, line) in self.contents.items():
            if section_number not in self.section_lines:
                raise PolicyFormatError(
                    f'the contents list has {section_number}. "{entry}" but no such section', line
                )
        return ParsedPolicy(title=self.title, sections=self.sections)

    def _before_first_heading(self, number, line):
        if _CONTENTS.fullmatch(line):
            self.in_contents = True
            self.contents_line = number
        elif _HEADING.fullmatch(line):
            self._heading(number, line)
        elif self.title is None and self.contents_line is None and not self._is_clause_or_bullet(line):
            self.title, self.title_line = line, number
        else:
            self._fail_before_first_heading(number, line)

    def _contents_entry(self, number, line):
        """Record a line of the contents list; False when the list has ended at the first real heading."""
        entry = _CONTENTS_ENTRY.fullmatch(line)
        if entry is None:
            if self.contents and (
                self._is_clause_or_bullet(line)
                or not any(_HEADING.fullmatch(later) for later in self.lines[number:])
            ):
                # The "contents list" was really the section headings, or the first heading is missing.
                raise PolicyFormatError(
                    f'expected a section heading like "1. INTRODUCTION" before this line, '
                    f"after the contents list (line {self.contents_line})",
                    line=number,
                )
            raise PolicyFormatError(
                f'expected a contents entry like "1. INTRODUCTION 3" (the contents list starts at line '
                f"{self.contents_line})",
                line=number,
            )
        section_number = int(entry.group(1))
        if self.contents and section_number <= max(self.contents):
            self.in_contents = False
            return False
        self.contents[section_number] = (entry.group(2), number)
        return True

    def _body(self, number, line):
        if _HEADING.fullmatch(line):
            self._heading(number, line)
            return
        subclause = _SUBCLAUSE.match(line)
        if subclause:
            raise PolicyFormatError(
                f"clause numbers with three parts like {subclause.group(1)} are not supported; "
                "write the sub-clauses as bullet items",
                line=number,
            )
        clause = _CLAUSE.fullmatch(line)
        bullet = _BULLET.fullmatch(line)
        if clause:
            self._clause(number, int(clause.group(1)), int(clause.group(2)), clause.group(3) or "")
        elif bullet:
            self._bullet(bullet.group(1))
        else:
            self._continuation(line)

    def _heading(self, number, line):
        heading = _HEADING.fullmatch(line)
        section_number, title = int(heading.group(1)), heading.group(2)
        self._close_section()
        if section_number in self.section_lines:
            first = self.section_lines[section_number]
            raise PolicyFormatError(
                f"duplicate section number {section_number} (first at line {first})", line=number
            )
        expected = len(self.sections) + 1
        if section_number != expected:
            if self.sections:
                message = f"section {section_number} follows section {expected - 1}; expected {expected}"
            else:
                message = f"the first section is numbered {section_number}; expected 1"
            raise PolicyFormatError(message, line=number)
        if len(title) > _SECTION_TITLE_MAX:
            raise PolicyFormatError(
                f"the heading is longer than {_SECTION_TITLE_MAX} characters", line=number
            )
        if self.contents_line is not None:
            listed = self.contents.get(section_number)
            if listed is None:
                raise PolicyFormatError(
                    f'section {section_number}. "{title}" is missing from the contents list '
                    f"(line {self.contents_line})",
                    line=number,
                )
            if not _titles_match(title, listed[0]):
                raise PolicyFormatError(
                    f'heading "{title}" does not match the contents list, '
                    f'which has "{listed[0]}" (line {listed[1]})',
                    line=number,
                )
        self.section = ParsedSection(number=section_number, title=title, line=number)
        self.sections.append(self.section)
        self.section_lines[section_number] = number
        self.clause_lines = {}

    def _clause(self, number, section_number, position, text):
        label = f"{section_number}.{position}"
        if section_number != self.section.number:
            raise PolicyFormatError(f"clause {label} is under section {self.section.number}", line=number)
        if position in self.clause_lines:
            raise PolicyFormatError(
                f"duplicate clause number {label} (first at line {self.clause_lines[position]})", line=number
            )
        expected = f"{section_number}.{len(self.section.clauses) + 1}"
        if label != expected:
            if self.section.clauses:
                message = f"clause {label} follows {self.section.clauses[-1].number}; expected {expected}"
            else:
                message = (
                    f"clause {label} is the first clause of section {section_number}; expected {expected}"
                )
            raise PolicyFormatError(message, line=number)
        self._close_clause()
        self.clause = ParsedClause(number=label, position=position, text=text, line=number)
        self.section.clauses.append(self.clause)
        self.clause_lines[position] = number

    def _bullet(self, text):
        if self.clause is None:
            # A list under the heading, before the first clause: keep it in the intro, one item a line.
            self.section.intro = f"{self.section.intro}\n- {text}" if self.section.intro else f"- {text}"
        else:
            self.clause.items.append(text)

    def _continuation(self, line):
        if self.clause is None:
            self.section.intro = _join(self.section.intro, line, self.after_blank)
        elif self.clause.items:
            # Text after a bullet item belongs to it (a wrapped line, or a paragraph of the item).
            self.clause.items[-1] = _join(self.clause.items[-1], line, self.after_blank)
        else:
            self.clause.text = _join(self.clause.text, line, self.after_blank)

    def _close_clause(self):
        if self.clause is not None and not self.clause.text and not self.clause.items:
            raise PolicyFormatError(f"clause {self.clause.number} has no text", line=self.clause.line)
        self.clause = None

    def _close_section(self):
        self._close_clause()
        if self.section is not None and not self.section.clauses and not self.section.intro:
            raise PolicyFormatError(
                f'section {self.section.number}. "{self.section.title}" has no clauses and no text',
                line=self.section.line,
            )
        self.section = None

    def _is_clause_or_bullet(self, line):
        return bool(_CLAUSE.fullmatch(line) or _BULLET.fullmatch(line))

    def _fail_before_first_heading(self, number, line):
        if not any(_HEADING.fullmatch(later) for later in self.lines[number:]):
            raise PolicyFormatError(
                'no numbered section headings found; expected a heading like "1. INTRODUCTION" here',
                line=number,
            )
        clause = _CLAUSE.fullmatch(line)
        if clause:
            what = f"clause {clause.group(1)}.{clause.group(2)}"
        elif _BULLET.fullmatch(line):
            what = "a bullet item"
        else:
            what = "text"
        raise PolicyFormatError(f"{what} before the first section heading", line=number)
