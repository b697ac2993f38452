"""Load and check a curriculum folder: each file on its own, then the files against each other.

The format is described in curriculum/FORMAT.md. Every problem found is kept (not just the
first), so an author fixes a whole folder in one pass.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

import yaml
from yaml.nodes import Node

from acompana.domain.curriculum.handout import handout_problems
from acompana.domain.curriculum.model import (
    ACTIVITY_KINDS,
    AUDIENCES,
    LANGUAGES,
    Activity,
    Card,
    Curriculum,
    Material,
    Overview,
    OverviewSection,
    Session,
    Slide,
    Track,
)
from acompana.domain.curriculum.pictures import (
    is_picture_file,
    pictures_of,
    read_library,
    unknown_picture_problems,
)
from acompana.domain.curriculum.problems import CurriculumError, Problem
from acompana.domain.curriculum.reading import NodeReader, compose, join
from acompana.domain.curriculum.sources import (
    HANDOUT_MARK,
    OVERVIEW_FILE,
    TRACKS_FILE,
    WORKSHEET_MARK,
    Sources,
    read_sources,
)

SESSION_REQUIRED = (
    "id", "track", "number", "title", "summary", "duration_minutes", "objectives", "materials",
    "activities", "slides", "take_home", "evaluation_questions",
)
SESSION_OPTIONAL = ("tags", "prerequisites", "references", "teach_back", "picture", "cards",
                    "summary_cards", "worksheets")
# A worksheet's name: the session id, ".worksheet", optionally "-" and more lower-case words.
WORKSHEET_NAME = re.compile(r"^(?P<session>[a-z0-9]+(?:-[a-z0-9]+)*)\.worksheet(?:-[a-z0-9]+)*$")
TRACK_FIELDS = ("id", "title", "audience", "summary", "sessions")
MINUTES_TOLERANCE = 5
# How many evaluation questions a session asks, by the audience of its track.
EVALUATION_QUESTIONS = {"acompanantes": (3, 3), "supervisors": (3, 5)}
LANGUAGE_NAMES = {"es": "Spanish", "en": "English"}
ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


@dataclass(frozen=True)
class SessionFile:
    """A session file read on its own: where it lives and what it said (None if unusable)."""

    name: str  # path inside the curriculum folder, e.g. "bienestar/bienestar-01.yaml"
    folder: str
    stem: str
    session: Session | None
    lines: dict[str, int | None]

    def problem(self, severity: str, field: str, message: str) -> Problem:
        return Problem(severity, self.name, self.lines.get(field, 1), field, message)


def load_curriculum(path: Path | str, *, strict: bool = False) -> Curriculum:
    """The curriculum in `path`; raises CurriculumError carrying every problem if it has errors."""
    curriculum, problems = inspect_sources(read_sources(Path(path)), strict=strict)
    if curriculum is None:
        raise CurriculumError(problems)
    return curriculum


def check_curriculum(path: Path | str, strict: bool = False) -> list[Problem]:
    """Every problem in the curriculum in `path` (errors and warnings), in file order."""
    try:
        sources = read_sources(Path(path))
    except CurriculumError as error:
        return error.problems
    return inspect_sources(sources, strict=strict)[1]


def inspect_sources(sources: Sources, *, strict: bool) -> tuple[Curriculum | None, list[Problem]]:
    """Read and cross-check the sources; the curriculum is None when there is any error."""
    problems: list[Problem] = []
    tracks, track_lines = _read_tracks(sources, strict, problems)
    overview = _read_overview(sources, strict, problems) if OVERVIEW_FILE in sources.files else None
    files = [
        _read_session_file(sources, name, strict, problems) for name in _session_names(sources)
    ]
    problems += _unexpected_files(sources)
    problems += _check_places(files, tracks)
    if tracks is not None:
        problems += _check_listing(files, tracks, track_lines)
        problems += _check_evaluation_questions(files, tracks)
        problems += _check_prerequisite_order(files, tracks)
    problems += _check_prerequisites_exist(files)
    problems += _check_cycles(files)
    handouts, handout_problems = _read_handouts(sources, files, strict)
    problems += handout_problems
    worksheets, worksheet_problems = _read_worksheets(sources, files)
    problems += worksheet_problems
    library = read_library(sources.files, strict=strict)
    problems += library.problems
    for file in files:
        if file.session is not None:
            named = {name: data.decode("utf-8", "replace") for name, data in sources.files.items()
                     if name.startswith(f"{file.folder}/{file.stem}{HANDOUT_MARK}")}
            problems += unknown_picture_problems(file.name, file.lines, file.session, named,
                                                 library)
    problems.sort(key=lambda problem: (problem.file, problem.line or 0))
    if tracks is None or any(problem.is_error for problem in problems):
        return None, problems
    sessions = {file.stem: file.session for file in files if file.session is not None}
    ordered = {
        session_id: _with_handouts(sessions[session_id], handouts.get(session_id, {}), library,
                                   worksheets.get(session_id, {}))
        for track in tracks
        for session_id in track.sessions
    }
    for track in tracks:  # summary cards show every session of the track with its picture
        for session_id in track.sessions:
            if ordered[session_id].summary_cards:
                named = {other.picture: library.pictures[other.picture]
                         for other in (ordered[each] for each in track.sessions)
                         if other.picture in library.pictures}
                ordered[session_id] = dataclasses.replace(
                    ordered[session_id], pictures={**ordered[session_id].pictures, **named})
    return Curriculum(tracks=tracks, sessions=ordered, overview=overview,
                      pictures=library.pictures, licences=library.licences,
                      credits=library.credits), problems


def _with_handouts(session: Session, handouts: dict[str, str], library,
                   worksheets: dict[str, tuple[str, ...]] | None = None) -> Session:
    """The session with its handouts, worksheets and the library pictures it names."""
    session = dataclasses.replace(session, handouts=handouts, worksheet_texts=worksheets or {})
    return dataclasses.replace(session, pictures=pictures_of(session, library))


# --- reading each file on its own -----------------------------------------------------------


def _compose(reader: NodeReader, data: bytes, expected: str) -> Node | None:
    """The file's node tree, or None after noting why it cannot be read."""
    try:
        root = compose(data)
    except UnicodeDecodeError:
        reader.error(None, "", "the file is not UTF-8 text; save it as UTF-8")
        return None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        line = None if mark is None else mark.line + 1
        detail = f"{reason} ({context})" if context else reason
        reader.problems.append(
            Problem("error", reader.file, line, "", f"this is not valid YAML: {detail}")
        )
        return None
    if root is None:
        reader.error(None, "", f"the file is empty; expected {expected}")
    return root


def _read_tracks(
    sources: Sources, strict: bool, problems: list[Problem]
) -> tuple[tuple[Track, ...] | None, dict[str, int | None]]:
    reader = NodeReader(TRACKS_FILE, strict=strict)
    root = _compose(reader, sources.files[TRACKS_FILE], "the list of tracks")
    fields = reader.mapping(root, "", required=("tracks",))
    tracks = reader.items(
        fields.get("tracks"), "tracks", partial(_read_track, reader), at_least=1
    )
    if tracks is not None:
        _check_unique_tracks(reader, tracks)
    problems += reader.problems
    return (None if reader.failed else tracks), reader.lines


def _read_track(reader: NodeReader, node: Node, field: str) -> Track | None:
    fields = reader.mapping(node, field, required=TRACK_FIELDS)
    track_id = reader.string(fields.get("id"), join(field, "id"), slug=True, what="track id")
    title = reader.text(fields.get("title"), join(field, "title"))
    audience = reader.choice(fields.get("audience"), join(field, "audience"), AUDIENCES, "audience")
    summary = reader.text(fields.get("summary"), join(field, "summary"))
    session_id = partial(_read_slug, reader, "session id")
    sessions = reader.items(fields.get("sessions"), join(field, "sessions"), session_id, at_least=1)
    if None in (track_id, title, audience, summary, sessions):
        return None
    return Track(id=track_id, title=title, audience=audience, summary=summary, sessions=sessions)


def _check_unique_tracks(reader: NodeReader, tracks: tuple[Track, ...]) -> None:
    """A track id, and a session id across all tracks, may appear only once."""
    seen_tracks: set[str] = set()
    seen_sessions: dict[str, str] = {}
    for index, track in enumerate(tracks, 1):
        if track.id in seen_tracks:
            field = f"tracks[{index}].id"
            reader.problems.append(Problem("error", TRACKS_FILE, reader.lines.get(field), field,
                                           f"track id '{track.id}' is used twice"))
        seen_tracks.add(track.id)
        for position, session_id in enumerate(track.sessions, 1):
            field = f"tracks[{index}].sessions[{position}]"
            if session_id in seen_sessions:
                reader.problems.append(Problem(
                    "error", TRACKS_FILE, reader.lines[field], field,
                    f"session '{session_id}' is listed twice (also in track "
                    f"'{seen_sessions[session_id]}'); a session belongs to one place in one track",
                ))
            seen_sessions[session_id] = track.id


def _read_slug(reader: NodeReader, what: str, node: Node, field: str) -> str | None:
    return reader.string(node, field, slug=True, what=what)


def _read_overview(sources: Sources, strict: bool, problems: list[Problem]) -> Overview | None:
    reader = NodeReader(OVERVIEW_FILE, strict=strict)
    root = _compose(reader, sources.files[OVERVIEW_FILE], "the program overview")
    fields = reader.mapping(root, "", required=("title", "sections"))
    title = reader.text(fields.get("title"), "title")
    sections = reader.items(
        fields.get("sections"), "sections", partial(_read_overview_section, reader),
        at_least=1,
    )
    problems += reader.problems
    if reader.failed:
        return None
    return Overview(title=title, sections=sections)


def _read_overview_section(reader: NodeReader, node: Node, field: str) -> OverviewSection | None:
    fields = reader.mapping(node, field, required=("heading", "body"))
    heading = reader.text(fields.get("heading"), join(field, "heading"))
    body = reader.text(fields.get("body"), join(field, "body"))
    return None if None in (heading, body) else OverviewSection(heading=heading, body=body)


def _session_names(sources: Sources) -> list[str]:
    return [
        name for name in sources.files
        if "/" in name and PurePosixPath(name).suffix in {".yaml", ".yml"}
        and not is_picture_file(name)
    ]


def _read_session_file(
    sources: Sources, name: str, strict: bool, problems: list[Problem]
) -> SessionFile:
    reader = NodeReader(name, strict=strict)
    path = PurePosixPath(name)
    root = _compose(reader, sources.files[name], "a session")
    session = _read_session(reader, root) if root is not None else None
    problems += reader.problems
    return SessionFile(
        name=name, folder=path.parent.as_posix(), stem=path.stem,
        session=None if reader.failed else session, lines=reader.lines,
    )


def _read_session(reader: NodeReader, node: Node) -> Session | None:
    fields = reader.mapping(node, "", required=SESSION_REQUIRED, optional=SESSION_OPTIONAL)
    texts = partial(_read_texts, reader, fields)
    values = dict(
        id=reader.string(fields.get("id"), "id", slug=True, what="session id"),
        track=reader.string(fields.get("track"), "track", slug=True, what="track id"),
        number=reader.integer(fields.get("number"), "number"),
        title=reader.text(fields.get("title"), "title"),
        summary=reader.text(fields.get("summary"), "summary"),
        duration_minutes=reader.integer(fields.get("duration_minutes"), "duration_minutes"),
        objectives=texts("objectives", at_least=2, at_most=4),
        materials=reader.items(fields.get("materials"), "materials",
                               partial(_read_material, reader)),
        activities=reader.items(fields.get("activities"), "activities",
                                partial(_read_activity, reader), at_least=1),
        slides=reader.items(fields.get("slides"), "slides", partial(_read_slide, reader)),
        take_home=reader.text(fields.get("take_home"), "take_home"),
        evaluation_questions=texts("evaluation_questions", at_least=1),
        teach_back=reader.text(fields.get("teach_back"), "teach_back"),
        tags=_optional(reader.items(fields.get("tags"), "tags",
                                    partial(_read_slug, reader, "tag"))),
        prerequisites=_optional(reader.items(fields.get("prerequisites"), "prerequisites",
                                             partial(_read_slug, reader, "session id"))),
        references=_optional(reader.items(fields.get("references"), "references",
                                          partial(_read_reference, reader))),
        picture=_read_picture_id(reader, fields.get("picture"), "picture"),
        cards=_optional(reader.items(fields.get("cards"), "cards", partial(_read_card, reader))),
        summary_cards=_read_flag(reader, fields.get("summary_cards"), "summary_cards"),
        worksheets=_optional(reader.items(fields.get("worksheets"), "worksheets",
                                          partial(_read_worksheet_name, reader))),
    )
    if reader.failed:
        return None
    session = Session(**values)
    _check_minutes(reader, session)
    return session


def _optional(values: tuple | None) -> tuple:
    return () if values is None else values


def _read_texts(reader: NodeReader, fields: dict[str, Node], name: str, **count: int):
    return reader.items(fields.get(name), name, reader.text, **count)


def _read_picture_id(reader: NodeReader, node: Node | None, field: str) -> str | None:
    return reader.string(node, field, slug=True, what="a picture id")


def _read_card(reader: NodeReader, node: Node, field: str) -> Card | None:
    fields = reader.mapping(node, field, required=("picture",), optional=("words",))
    picture = _read_picture_id(reader, fields.get("picture"), join(field, "picture"))
    words = reader.text(fields.get("words"), join(field, "words"))
    return None if picture is None else Card(picture=picture, words=words)


def _read_worksheet_name(reader: NodeReader, node: Node, field: str) -> str | None:
    name = reader.string(node, field, what="a worksheet name")
    if name is not None and WORKSHEET_NAME.match(name) is None:
        reader.error(node, field, f"'{name}' is not a worksheet name; expected the session id "
                     f"and '.worksheet' (e.g. 'supervisores-05.worksheet'), naming the files "
                     f"<name>.es.md and <name>.en.md beside the session")
        return None
    return name


def _read_flag(reader: NodeReader, node: Node | None, field: str) -> bool:
    if node is None:
        return False
    if node.tag != "tag:yaml.org,2002:bool":
        reader.error(node, field, f"expected true or false, found '{node.value}'")
        return False
    return node.value.lower() in ("true", "yes", "on")


def _read_reference(reader: NodeReader, node: Node, field: str) -> str | None:
    return reader.string(node, field, what="a full citation (author, year, title, source)")


def _read_material(reader: NodeReader, node: Node, field: str) -> Material | None:
    fields = reader.mapping(node, field, required=("item",), optional=("without_power",))
    item = reader.text(fields.get("item"), join(field, "item"))
    without_power = reader.text(fields.get("without_power"), join(field, "without_power"))
    return None if item is None else Material(item=item, without_power=without_power)


def _read_activity(reader: NodeReader, node: Node, field: str) -> Activity | None:
    fields = reader.mapping(
        node, field, required=("name", "kind", "minutes", "steps"),
        optional=("facilitator_notes", "low_literacy", "picture"),
    )
    name = reader.text(fields.get("name"), join(field, "name"))
    kind = reader.choice(fields.get("kind"), join(field, "kind"), ACTIVITY_KINDS, "activity kind")
    minutes = reader.integer(fields.get("minutes"), join(field, "minutes"))
    steps = reader.items(fields.get("steps"), join(field, "steps"), reader.text, at_least=1)
    notes = reader.text(fields.get("facilitator_notes"), join(field, "facilitator_notes"))
    low_literacy = reader.text(fields.get("low_literacy"), join(field, "low_literacy"))
    picture = _read_picture_id(reader, fields.get("picture"), join(field, "picture"))
    if None in (name, kind, minutes, steps):
        return None
    return Activity(name=name, kind=kind, minutes=minutes, steps=steps,
                    facilitator_notes=notes, low_literacy=low_literacy, picture=picture)


def _read_slide(reader: NodeReader, node: Node, field: str) -> Slide | None:
    fields = reader.mapping(node, field, required=("title",), optional=("bullets", "picture"))
    title = reader.text(fields.get("title"), join(field, "title"))
    bullets = _optional(reader.items(fields.get("bullets"), join(field, "bullets"), reader.text))
    picture = _read_picture_id(reader, fields.get("picture"), join(field, "picture"))
    return None if title is None else Slide(title=title, bullets=bullets, picture=picture)


def _check_minutes(reader: NodeReader, session: Session) -> None:
    """The activities fill the session: their minutes add up to its duration, give or take 5."""
    total = sum(activity.minutes for activity in session.activities)
    if abs(total - session.duration_minutes) > MINUTES_TOLERANCE:
        reader.problems.append(Problem(
            "error", reader.file, reader.lines.get("duration_minutes"), "duration_minutes",
            f"the activities add up to {total} minutes but duration_minutes is "
            f"{session.duration_minutes}; they must agree within {MINUTES_TOLERANCE} minutes",
        ))


# --- the files against each other ------------------------------------------------------------


def _unexpected_files(sources: Sources) -> list[Problem]:
    """YAML files at the top that the format does not know would silently do nothing."""
    return [
        Problem("warning", name, None, "",
                f"this file is not part of the curriculum format and is ignored; expected only "
                f"{TRACKS_FILE}, {OVERVIEW_FILE} and one folder per track")
        for name in sources.files
        if "/" not in name and name not in {TRACKS_FILE, OVERVIEW_FILE}
    ]


def _check_places(files: list[SessionFile], tracks: tuple[Track, ...] | None) -> list[Problem]:
    """Each session sits in its track's folder, in a file named after its id, used once."""
    problems: list[Problem] = []
    track_ids = {track.id for track in tracks or ()}
    first_file: dict[str, str] = {}
    for file in files:
        session = file.session
        if tracks is not None and file.folder not in track_ids:
            problems.append(file.problem(
                "error", "track", f"the folder '{file.folder}' is not a track in {TRACKS_FILE}; "
                f"expected one of: {', '.join(sorted(track_ids))}"))
        elif session is not None and session.track != file.folder:
            problems.append(file.problem(
                "error", "track", f"track is '{session.track}' but the file is in the folder "
                f"'{file.folder}'; expected '{file.folder}'"))
        if session is None:
            continue
        if session.id != file.stem:
            problems.append(file.problem(
                "error", "id", f"id '{session.id}' does not match the file name; expected "
                f"'{file.stem}' (a session file is named after its id)"))
        if session.id in first_file:
            problems.append(file.problem(
                "error", "id", f"duplicate session id '{session.id}': "
                f"{first_file[session.id]} already uses it"))
        first_file.setdefault(session.id, file.name)
    return problems


def _check_listing(
    files: list[SessionFile], tracks: tuple[Track, ...], track_lines: dict[str, int | None]
) -> list[Problem]:
    """tracks.yaml and the session files agree on which sessions exist, where and in what order."""
    problems: list[Problem] = []
    by_stem = {(file.folder, file.stem): file for file in files}
    listed: dict[str, tuple[Track, int]] = {}
    for index, track in enumerate(tracks, 1):
        for position, session_id in enumerate(track.sessions, 1):
            listed.setdefault(session_id, (track, position))
            field = f"tracks[{index}].sessions[{position}]"
            if (track.id, session_id) not in by_stem:
                problems.append(Problem(
                    "error", TRACKS_FILE, track_lines.get(field), field,
                    f"session '{session_id}' is listed in track '{track.id}' but there is no "
                    f"file {track.id}/{session_id}.yaml"))
    for file in files:
        if file.session is None or file.session.id != file.stem:
            continue
        if file.stem not in listed:
            problems.append(file.problem(
                "error", "id", f"session '{file.stem}' is not listed in {TRACKS_FILE}; add it to "
                f"the sessions of track '{file.folder}'"))
            continue
        track, position = listed[file.stem]
        if track.id == file.folder and file.session.number != position:
            problems.append(file.problem(
                "error", "number", f"number is {file.session.number} but {TRACKS_FILE} lists this "
                f"session {_ordinal(position)} in track '{track.id}'; expected {position}"))
    return problems


def _ordinal(number: int) -> str:
    return ORDINALS.get(number, f"{number}th")


def _check_evaluation_questions(
    files: list[SessionFile], tracks: tuple[Track, ...]
) -> list[Problem]:
    """The wellbeing track asks exactly 3 evaluation questions; the supervisors' 3 to 5."""
    audiences = {track.id: track.audience for track in tracks}
    problems: list[Problem] = []
    for file in files:
        session = file.session
        if session is None or session.track not in audiences:
            continue
        low, high = EVALUATION_QUESTIONS[audiences[session.track]]
        count = len(session.evaluation_questions)
        if not low <= count <= high:
            expected = f"exactly {low}" if low == high else f"{low} to {high}"
            problems.append(file.problem(
                "error", "evaluation_questions", f"expected {expected} evaluation questions for "
                f"track '{session.track}' ({audiences[session.track]}), found {count}"))
    return problems


def _check_prerequisites_exist(files: list[SessionFile]) -> list[Problem]:
    known = {file.stem for file in files}
    return [
        file.problem("error", f"prerequisites[{index}]",
                     f"prerequisite '{prerequisite}' is not a session of the curriculum; expected "
                     f"the id of a session file")
        for file in files if file.session is not None
        for index, prerequisite in enumerate(file.session.prerequisites, 1)
        if prerequisite not in known
    ]


def _check_prerequisite_order(files: list[SessionFile], tracks: tuple[Track, ...]) -> list[Problem]:
    """A prerequisite in the same track must be delivered earlier."""
    position = {
        session_id: (track.id, index)
        for track in tracks for index, session_id in enumerate(track.sessions, 1)
    }
    problems: list[Problem] = []
    for file in files:
        session = file.session
        if session is None or session.id not in position:
            continue
        track_id, own = position[session.id]
        for index, prerequisite in enumerate(session.prerequisites, 1):
            other = position.get(prerequisite)
            if other and other[0] == track_id and other[1] >= own and prerequisite != session.id:
                problems.append(file.problem(
                    "error", f"prerequisites[{index}]",
                    f"prerequisite '{prerequisite}' is delivered {_ordinal(other[1])} in track "
                    f"'{track_id}', not before this session ({_ordinal(own)}); expected an "
                    f"earlier session"))
    return problems


def _check_cycles(files: list[SessionFile]) -> list[Problem]:
    """Prerequisites must not loop back: a cycle means no session of it can ever come first."""
    by_id = {file.stem: file for file in files if file.session is not None}
    graph = {
        session_id: [p for p in file.session.prerequisites if p in by_id]
        for session_id, file in by_id.items()
    }
    problems = []
    for cycle in _find_cycles(graph):
        file = by_id[cycle[0]]
        path = " -> ".join([*cycle, cycle[0]])
        problems.append(file.problem(
            "error", "prerequisites",
            f"prerequisites form a cycle (each needs the next): {path}; remove one of these "
            f"prerequisites so that one session can come first"))
    return problems


def _find_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One cycle per loop found by depth-first search, each starting at its smallest id."""
    state: dict[str, str] = {}  # "open" while on the current path, "done" after
    stack: list[str] = []
    found: dict[tuple[str, ...], list[str]] = {}

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in graph[node]:
            if state.get(target) == "open":
                cycle = stack[stack.index(target):]
                start = cycle.index(min(cycle))
                rotated = cycle[start:] + cycle[:start]
                found.setdefault(tuple(rotated), rotated)
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return list(found.values())


def _read_handouts(
    sources: Sources, files: list[SessionFile], strict: bool
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The handout Markdown of each session by language, and which ones are missing."""
    sessions = {(file.folder, file.stem): file for file in files}
    handouts: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for name, data in sources.files.items():
        path = PurePosixPath(name)
        if HANDOUT_MARK not in path.name or path.suffix != ".md" or "/" not in name:
            continue
        session_id, _, lang = path.stem.partition(HANDOUT_MARK)
        folder = path.parent.as_posix()
        if lang not in LANGUAGES:
            problems.append(Problem("warning", name, None, "", f"unknown language '{lang}' in "
                                    f"the file name; expected one of: {', '.join(LANGUAGES)}"))
        elif (folder, session_id) not in sessions:
            problems.append(Problem("warning", name, None, "", f"no session file "
                                    f"{folder}/{session_id}.yaml for this handout"))
        else:
            try:
                handouts.setdefault(session_id, {})[lang] = data.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(Problem("error", name, None, "",
                                        "the file is not UTF-8 text; save it as UTF-8"))
            else:
                problems += handout_problems(name, handouts[session_id][lang], strict=strict)
    severity = "error" if strict else "warning"
    for file in files:
        for lang in LANGUAGES:
            if file.session is not None and lang not in handouts.get(file.stem, {}):
                expected = f"{file.folder}/{file.stem}{HANDOUT_MARK}{lang}.md"
                problems.append(Problem(
                    severity, file.name, None, "handout",
                    f"no {LANGUAGE_NAMES[lang]} participant handout; expected the file {expected}"))
    return handouts, problems


def _read_worksheets(
    sources: Sources, files: list[SessionFile]
) -> tuple[dict[str, dict[str, tuple[str, ...]]], list[Problem]]:
    """The worksheets' Markdown of each session by language, in the order the session names
    them. A worksheet is printed for the facilitator to hand out, so both languages are
    required even while drafting; a worksheet file no session names is a warning."""
    worksheets: dict[str, dict[str, tuple[str, ...]]] = {}
    problems: list[Problem] = []
    named: set[str] = set()
    for file in files:
        session = file.session
        if session is None:
            continue
        texts: dict[str, list[str]] = {lang: [] for lang in LANGUAGES}
        for index, name in enumerate(session.worksheets, 1):
            field = f"worksheets[{index}]"
            if WORKSHEET_NAME.match(name)["session"] != file.stem:
                problems.append(file.problem(
                    "error", field, f"worksheet '{name}' belongs to another session; expected "
                    f"a name starting with '{file.stem}{WORKSHEET_MARK}'"))
                continue
            for lang in LANGUAGES:
                path = f"{file.folder}/{name}.{lang}.md"
                named.add(path)
                if path not in sources.files:
                    problems.append(file.problem(
                        "error", field, f"no {LANGUAGE_NAMES[lang]} text for worksheet "
                        f"'{name}'; expected the file {path}"))
                    continue
                try:
                    texts[lang].append(sources.files[path].decode("utf-8"))
                except UnicodeDecodeError:
                    problems.append(Problem("error", path, None, "",
                                            "the file is not UTF-8 text; save it as UTF-8"))
        if session.worksheets:
            worksheets[file.stem] = {lang: tuple(each) for lang, each in texts.items()}
    for name in sources.files:
        path = PurePosixPath(name)
        if (WORKSHEET_MARK in path.name and path.suffix == ".md" and "/" in name
                and name not in named):
            problems.append(Problem(
                "warning", name, None, "", "no session names this worksheet; add its name "
                f"('{path.stem.rpartition('.')[0]}') to the session's worksheets"))
    return worksheets, problems
