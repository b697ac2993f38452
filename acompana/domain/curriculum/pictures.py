"""The picture library: every picture the curriculum may name, with what a reader needs to use it.

`pictures/pictures.yaml` lists each picture's file, its alternative text in Spanish and English
(read aloud, and shown where the picture cannot be), where it came from and its licence, whose
text lies in `pictures/LICENSES/`. A session, an activity or a slide names a picture with
`picture: <id>`; a handout places one with Markdown's image syntax, `![](picture:<id>)`. Checking
refuses a picture that is missing, lacks alternative text in either language or has no licence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, partial
from pathlib import PurePosixPath

import pymupdf
from yaml.nodes import MappingNode, Node, ScalarNode

from acompana.domain.curriculum.handout import PICTURE
from acompana.domain.curriculum.model import Licence, Picture, Session, Text
from acompana.domain.curriculum.problems import Problem
from acompana.domain.curriculum.reading import NodeReader, compose, describe, join
from acompana.domain.curriculum.sources import PICTURES_FOLDER

CATALOGUE = f"{PICTURES_FOLDER}/pictures.yaml"
PICTURE_SUFFIXES = (".svg", ".png")
# Printed pictures are rasterised at print resolution: every reader counts them as images, and
# a line drawing at 300 dpi prints as sharp as its vector.
PRINT_DPI = 300
HANDOUT_PICTURE = PICTURE  # the handout format's own pattern, one definition


class PictureLibrary:
    """The pictures, licences and credit lines read from the catalogue, with its problems."""

    def __init__(self, pictures: Mapping[str, Picture], licences: Mapping[str, Licence],
                 credits: Mapping[str, Text], problems: list[Problem]) -> None:
        self.pictures = dict(pictures)
        self.licences = dict(licences)
        self.credits = dict(credits)
        self.problems = problems


def read_library(files: Mapping[str, bytes], *, strict: bool) -> PictureLibrary:
    """The library in `files` (paths inside the curriculum folder); empty when there is none."""
    if CATALOGUE not in files:
        return PictureLibrary({}, {}, {}, [])
    reader = NodeReader(CATALOGUE, strict=strict)
    try:
        root = compose(files[CATALOGUE])
    except Exception as error:  # yaml.YAMLError or a decoding error, with its position
        return PictureLibrary({}, {}, {}, [Problem("error", CATALOGUE, None, "",
                                                   f"not valid YAML: {error}")])
    fields = reader.mapping(root, "", required=("licences", "pictures"), optional=("credits",))
    licences = _read_licences(reader, fields.get("licences"), files)
    credits = _read_credits(reader, fields.get("credits"))
    pictures = reader.items(fields.get("pictures"), "pictures",
                            partial(_read_picture, reader, files, licences), at_least=1) or ()
    seen: dict[str, Picture] = {}
    for index, picture in enumerate(pictures, 1):
        if picture.id in seen:
            field = f"pictures[{index}].id"
            reader.problems.append(Problem("error", CATALOGUE, reader.lines.get(field), field,
                                           f"picture id '{picture.id}' is used twice"))
        seen[picture.id] = picture
    return PictureLibrary(seen, licences, credits, reader.problems)


def _read_licences(reader: NodeReader, node: Node | None, files: Mapping[str, bytes]
                   ) -> dict[str, Licence]:
    if not isinstance(node, MappingNode):
        if node is not None:
            reader.error(node, "licences", f"expected a mapping of licence keys to their name, "
                                           f"url and text file, found {describe(node)}")
        return {}
    licences = {}
    for key, value in node.value:
        field = join("licences", key.value)
        entry = reader.mapping(value, field, required=("name", "url", "text"))
        name = reader.string(entry.get("name"), join(field, "name"), what="the licence's name")
        url = reader.string(entry.get("url"), join(field, "url"), what="the licence's address")
        text = reader.string(entry.get("text"), join(field, "text"), what="a file name")
        if text is not None and f"{PICTURES_FOLDER}/{text}" not in files:
            reader.error(entry.get("text"), join(field, "text"),
                         f"no file {PICTURES_FOLDER}/{text}; the licence's text must be kept "
                         f"beside the pictures")
            continue
        if None not in (name, url, text):
            licences[key.value] = Licence(key=key.value, name=name, url=url, text_file=text)
    return licences


def _read_credits(reader: NodeReader, node: Node | None) -> dict[str, Text]:
    if not isinstance(node, MappingNode):
        return {}
    credits = {}
    for key, value in node.value:
        text = reader.text(value, join("credits", key.value))
        if text is not None:
            credits[key.value] = text
    return credits


def _read_picture(reader: NodeReader, files: Mapping[str, bytes], licences: Mapping[str, Licence],
                  node: Node, field: str) -> Picture | None:
    fields = reader.mapping(node, field, required=("id", "file", "alt", "origin", "author",
                                                   "licence"))
    picture_id = reader.string(fields.get("id"), join(field, "id"), slug=True, what="picture id")
    file = reader.string(fields.get("file"), join(field, "file"), what="a file name")
    alt = reader.text(fields.get("alt"), join(field, "alt"))
    author = reader.string(fields.get("author"), join(field, "author"), what="the author's name")
    licence = reader.string(fields.get("licence"), join(field, "licence"), what="a licence key")
    origin = _read_origin(reader, fields.get("origin"), join(field, "origin"))
    path = f"{PICTURES_FOLDER}/{file}"
    if file is not None and not file.endswith(PICTURE_SUFFIXES):
        reader.error(fields.get("file"), join(field, "file"),
                     f"'{file}' is not a picture; expected an .svg (preferred) or .png file")
        file = None
    elif file is not None and path not in files:
        reader.error(fields.get("file"), join(field, "file"),
                     f"no file {path}; add it or correct the name")
        file = None
    if alt is not None and not alt.en:
        reader.error(fields.get("alt"), join(field, "alt"),
                     "alternative text is needed in Spanish and English (es and en)")
        alt = None
    if licence is not None and licence not in licences:
        reader.error(fields.get("licence"), join(field, "licence"),
                     f"unknown licence '{licence}'; expected one of: "
                     f"{', '.join(sorted(licences)) or 'none declared under licences'}")
        licence = None
    if None in (picture_id, file, alt, author, licence, origin):
        return None
    return Picture(id=picture_id, file=file, alt=alt, author=author, licence=licence,
                   origin=origin, data=files[path])


def _read_origin(reader: NodeReader, node: Node | None, field: str) -> str | None:
    """`drawn`, or the npm package and the path inside it the file was copied from."""
    if isinstance(node, ScalarNode) and node.value == "drawn":
        return "drawn"
    entry = reader.mapping(node, field, required=("package", "path"))
    if node is not None and not isinstance(node, MappingNode):
        return None
    package = reader.string(entry.get("package"), join(field, "package"), what="name@version")
    path = reader.string(entry.get("path"), join(field, "path"), what="a path in the package")
    return None if None in (package, path) else f"{package} {path}"


# --- naming pictures from sessions and handouts -----------------------------------------


def handout_picture_ids(markdown: str) -> list[str]:
    return [match["id"] for match in HANDOUT_PICTURE.finditer(markdown)]


def session_picture_fields(session: Session) -> Iterable[tuple[str, str]]:
    """(field path, picture id) of every picture a session's file names."""
    if session.picture:
        yield "picture", session.picture
    for index, activity in enumerate(session.activities, 1):
        if activity.picture:
            yield f"activities[{index}].picture", activity.picture
    for index, slide in enumerate(session.slides, 1):
        if slide.picture:
            yield f"slides[{index}].picture", slide.picture
    for index, card in enumerate(session.cards, 1):
        yield f"cards[{index}].picture", card.picture


def unknown_picture_problems(file: str, lines: Mapping[str, int | None], session: Session,
                             handout_files: Mapping[str, str], library: PictureLibrary
                             ) -> list[Problem]:
    """A picture named in a session file or its handouts that the library does not have."""
    hint = f"a picture id listed in {CATALOGUE}"
    problems = [
        Problem("error", file, lines.get(field), field,
                f"no picture '{picture_id}' in the library; expected {hint}")
        for field, picture_id in session_picture_fields(session)
        if picture_id not in library.pictures
    ]
    for name, markdown in handout_files.items():
        for number, line in enumerate(markdown.splitlines(), 1):
            for picture_id in handout_picture_ids(line):
                if picture_id not in library.pictures:
                    problems.append(Problem("error", name, number, "picture",
                                            f"no picture '{picture_id}' in the library; "
                                            f"expected {hint}"))
    return problems


def pictures_of(session: Session, library: PictureLibrary) -> dict[str, Picture]:
    """The library's pictures the session names, in its file and in its handouts."""
    ids = [picture_id for _, picture_id in session_picture_fields(session)]
    for markdown in session.handouts.values():
        ids += handout_picture_ids(markdown)
    return {picture_id: library.pictures[picture_id] for picture_id in ids
            if picture_id in library.pictures}


def picture_file_names(session: Session) -> list[str]:
    """The source files of the session's pictures, for knowing when to build again."""
    return sorted(f"{PICTURES_FOLDER}/{picture.file}" for picture in session.pictures.values())


def is_picture_file(name: str) -> bool:
    return PurePosixPath(name).parts[0] == PICTURES_FOLDER


def picture_png(picture: Picture) -> bytes:
    """The picture as a greyscale PNG at print resolution (PNG files are kept as they are)."""
    return _png(picture.data, picture.media_type)


@cache
def _png(data: bytes, media_type: str) -> bytes:
    if media_type == "image/png":
        return data
    with pymupdf.open(stream=data, filetype="svg") as document:
        page = document[0]
        return page.get_pixmap(dpi=PRINT_DPI, colorspace=pymupdf.csGRAY,
                               alpha=False).tobytes("png")
