"""The participant handout's Markdown: key messages each beside its picture, boxes to draw or
tick in instead of writing, and the limits that keep a handout short for people who read little.

A key message is a `##` section; the first picture standing alone on a line in it is printed
beside it. A line holding only a box (`[draw]`, `[draw 4]`, `[days 7]`, `[help]`) becomes a box
to draw in, a row of numbered days to tick, or the program's help contacts; a list item starting
with `[ ]` gets a tick box. See curriculum/FORMAT.md, "Participant handouts".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from acompana.domain.curriculum.problems import Problem

WORDS_ADVISED = 150  # more is a warning: a handout is read by people who read little
WORDS_LIMIT = 180  # more is an error under `check --strict`
MAX_PAGES = 2  # a printed handout is at most one sheet, printed on both sides

# Markdown's image syntax with a library picture: ![alternative text](picture:id)
PICTURE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(picture:(?P<id>[^)\s]*)\)")
LONE_PICTURE = re.compile(rf"^\s*{PICTURE.pattern}\s*$")
# a box alone on its line: [draw], [draw 4], [days 7], [help]
BOX = re.compile(r"^\s*\[(?P<kind>[a-z]+)(?: +(?P<size>\d+))?\]\s*$")
# a list item that starts with a tick box: "- [ ] Tomé agua"
TICK_ITEM = re.compile(r"^(?P<lead>\s*(?:[-*+]|\d+[.)])\s+)\[ \]\s+", re.MULTILINE)
SECTION_HEADING = re.compile(r"^##(?!#)\s*(?P<heading>.*?)\s*#*\s*$")
TITLE_HEADING = re.compile(r"^#\s")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

# Each box: (default size, smallest, largest); None when it takes no size.
BOXES: dict[str, tuple[int, int, int] | None] = {
    "draw": (5, 2, 12),  # height in centimetres
    "days": (7, 1, 31),  # how many days
    "help": None,
}


@dataclass(frozen=True)
class Box:
    kind: str  # a key of BOXES
    size: int | None = None


@dataclass(frozen=True)
class KeyMessage:
    """One `##` section (or the text before the first): its heading, the picture printed beside
    it and the rest of its Markdown."""

    heading: str | None
    picture: tuple[str, str] | None  # (id, alternative text or "")
    body: str
    line: int  # where it starts in the file, 1-based


def box_of(line: str) -> Box | None:
    """The box a line holds alone, or None; its size checked by `box_problem`."""
    match = BOX.match(line)
    if match is None or match["kind"] not in BOXES:
        return None
    limits = BOXES[match["kind"]]
    size = int(match["size"]) if match["size"] else (limits[0] if limits else None)
    return Box(match["kind"], size)


def key_messages(markdown: str) -> list[KeyMessage]:
    """The handout cut at its `##` headings; text before the first one is a message without
    a heading (left out when empty)."""
    messages: list[KeyMessage] = []
    heading, lines, start = None, [], 1
    for number, line in enumerate([*markdown.splitlines(), None], 1):
        match = SECTION_HEADING.match(line) if line is not None else None
        if line is not None and match is None:
            lines.append(line)
            continue
        if heading is not None or any(each.strip() for each in lines):
            messages.append(_message(heading, lines, start))
        if match is not None:
            heading, lines, start = match["heading"], [], number
    return messages


def _message(heading: str | None, lines: list[str], start: int) -> KeyMessage:
    for index, line in enumerate(lines):
        match = LONE_PICTURE.match(line)
        if match:
            body = "\n".join(lines[:index] + lines[index + 1:])
            return KeyMessage(heading, (match["id"], match["alt"]), body.strip("\n"), start)
    return KeyMessage(heading, None, "\n".join(lines).strip("\n"), start)


def word_count(markdown: str) -> int:
    """The words a reader reads: pictures, boxes, lines to write on and Markdown marks aside."""
    text = PICTURE.sub(" ", markdown)
    text = "\n".join("" if BOX.match(line) else line for line in text.splitlines())
    text = TICK_ITEM.sub(r"\g<lead>", text)
    return len(WORD.findall(text))


def handout_problems(name: str, markdown: str, *, strict: bool) -> list[Problem]:
    """What keeps a handout from being picture-first and short: boxes it does not know, a key
    message without a picture, too many words. Only unknown boxes are errors while drafting."""
    severity = "error" if strict else "warning"
    problems = [_box_problem(name, number, line)
                for number, line in enumerate(markdown.splitlines(), 1) if BOX.match(line)]
    problems = [problem for problem in problems if problem is not None]
    problems += [Problem("warning", name, number, "title",
                         "the printed handout puts the session's title on top; remove this "
                         "'#' heading (key messages are '##' headings)")
                 for number, line in enumerate(markdown.splitlines(), 1)
                 if TITLE_HEADING.match(line)]
    for message in key_messages(markdown):
        if message.heading is not None and not PICTURE.search(message.body) and not message.picture:
            problems.append(Problem(severity, name, message.line, "picture",
                                    f"the key message '{message.heading}' has no picture; put "
                                    f"one beside it with ![](picture:<id>) on its own line"))
    words = word_count(markdown)
    if words > WORDS_LIMIT:
        problems.append(Problem(severity, name, None, "words",
                                f"{words} words; a handout has at most {WORDS_LIMIT} (about "
                                f"{WORDS_ADVISED}): say less, let the pictures and boxes speak"))
    elif words > WORDS_ADVISED:
        problems.append(Problem("warning", name, None, "words",
                                f"{words} words; a handout should have about {WORDS_ADVISED}"))
    return problems


def _box_problem(name: str, number: int, line: str) -> Problem | None:
    match = BOX.match(line)
    expected = "[draw], [draw N] (N cm, 2-12), [days N] (1-31) or [help]"
    if match["kind"] not in BOXES:
        return Problem("error", name, number, "box",
                       f"unknown box '[{match['kind']}]'; expected {expected}")
    limits = BOXES[match["kind"]]
    if match["size"] and (limits is None or not limits[1] <= int(match["size"]) <= limits[2]):
        return Problem("error", name, number, "box",
                       f"'{line.strip()}' has a size it cannot take; expected {expected}")
    return None
