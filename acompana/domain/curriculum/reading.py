"""Read one YAML file's node tree into plain values, noting each problem with its line.

PyYAML's `compose` keeps the position of every node, so a problem can point at the line an
author has to change. Each reader method returns None when the value is unusable (and records
why); a missing field has already been reported by `mapping`, so None in gives None out quietly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from acompana.domain.curriculum.model import Text
from acompana.domain.curriculum.problems import Problem

T = TypeVar("T")

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
NULL_TAG = "tag:yaml.org,2002:null"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_HINT = "lower-case ASCII letters and digits joined by hyphens, like 'bienestar-02'"
_SCALARS = yaml.constructor.SafeConstructor()  # YAML's own int spelling rules (0x.., 1_000)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 25 times faster


def line_of(node: Node | None) -> int | None:
    return None if node is None else node.start_mark.line + 1


def join(parent: str, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def describe(node: Node) -> str:
    """How a wrong value looks, for 'expected X, found Y' messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL_TAG:
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"'{value}'"


def compose(data: bytes) -> Node | None:
    """Parse YAML into its node tree (raises yaml.YAMLError with a position)."""
    return yaml.compose(data.decode("utf-8"), Loader=_LOADER)


class NodeReader:
    """Reads the values of one file; `problems` holds everything wrong found so far."""

    def __init__(self, file: str, *, strict: bool) -> None:
        self.file = file
        self.strict = strict
        self.problems: list[Problem] = []
        self.lines: dict[str, int | None] = {}  # field path -> line, for later cross-checks

    @property
    def failed(self) -> bool:
        return any(problem.is_error for problem in self.problems)

    def error(self, node: Node | None, field: str, message: str) -> None:
        self.problems.append(Problem("error", self.file, line_of(node), field, message))

    def warning(self, node: Node | None, field: str, message: str, *, strict: bool = False) -> None:
        """A warning, or an error when `strict` and the reader is strict."""
        severity = "error" if strict and self.strict else "warning"
        self.problems.append(Problem(severity, self.file, line_of(node), field, message))

    def mapping(
        self, node: Node | None, field: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Node]:
        """The fields of a mapping, reporting unknown, duplicate and missing ones.

        An unusable mapping gives no fields, so each required value then reads as None.
        """
        if node is None:
            return {}
        required, optional = tuple(required), tuple(optional)
        if not isinstance(node, MappingNode):
            self.error(node, field, f"expected a mapping of fields ({', '.join(required)}), "
                                    f"found {describe(node)}")
            return {}
        self.lines[field] = line_of(node)
        known = required + optional
        fields: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else str(key)
            if name in fields:
                self.error(key, join(field, name), "this field appears twice; keep only one")
            elif name not in known:
                self.error(key, join(field, name),
                           f"unknown field '{name}'; expected one of: {', '.join(known)}")
            else:
                fields[name] = value
        for name in required:
            if name not in fields:
                self.error(node, join(field, name), f"missing field '{name}'")
        return fields

    def string(
        self, node: Node | None, field: str, *, slug: bool = False, what: str = "text"
    ) -> str | None:
        """A non-empty string; with `slug`, an identifier in the house spelling."""
        if node is None:
            return None
        self.lines[field] = line_of(node)
        if not isinstance(node, ScalarNode) or node.tag != STR_TAG or not node.value.strip():
            self.error(node, field, f"expected {what}, found {describe(node)}")
            return None
        if slug and not SLUG.match(node.value):
            self.error(node, field, f"'{node.value}' is not a valid {what}; use {SLUG_HINT}")
            return None
        return node.value.strip()

    def choice(
        self, node: Node | None, field: str, choices: tuple[str, ...], what: str
    ) -> str | None:
        """One of a fixed set of words."""
        value = self.string(node, field, what=what)
        if value is not None and value not in choices:
            expected = ", ".join(choices)
            self.error(node, field, f"unknown {what} '{value}'; expected one of: {expected}")
            return None
        return value

    def integer(self, node: Node | None, field: str, *, minimum: int = 1) -> int | None:
        """A whole number of at least `minimum`."""
        if node is None:
            return None
        self.lines[field] = line_of(node)
        if not isinstance(node, ScalarNode) or node.tag != INT_TAG:
            self.error(node, field, f"expected a whole number, found {describe(node)}")
            return None
        value = _SCALARS.construct_yaml_int(node)
        if value < minimum:
            self.error(node, field, f"expected a whole number of at least {minimum}, found {value}")
            return None
        return value

    def text(self, node: Node | None, field: str) -> Text | None:
        """A text field: a Spanish string, or a mapping with `es` and `en`."""
        if node is None:
            return None
        self.lines[field] = line_of(node)
        if isinstance(node, ScalarNode) and node.tag == STR_TAG:
            spanish = self.string(node, field)
            if spanish is not None:
                self.warning(node, field, "no English text; write it as a mapping with es and en",
                             strict=True)
            return None if spanish is None else Text(es=spanish)
        if not isinstance(node, MappingNode):
            self.error(node, field, "expected text: a string, or a mapping with keys es and en; "
                                    f"found {describe(node)}")
            return None
        fields = self.mapping(node, field, required=("es",), optional=("en",))
        spanish = self.string(fields.get("es"), join(field, "es"))
        english_node = fields.get("en")
        if english_node is None or english_node.tag == NULL_TAG:
            self.warning(node, join(field, "en"), "no English text", strict=True)
            return None if spanish is None else Text(es=spanish)
        english = self.string(english_node, join(field, "en"))
        return None if spanish is None else Text(es=spanish, en=english)

    def items(
        self,
        node: Node | None,
        field: str,
        read_item: Callable[[Node, str], T | None],
        *,
        at_least: int = 0,
        at_most: int | None = None,
    ) -> tuple[T, ...] | None:
        """A list, each item read by `read_item` under the path `field[n]` (n from 1)."""
        if node is None:
            return None
        self.lines[field] = line_of(node)
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG and at_least == 0:
            return ()
        if not isinstance(node, SequenceNode):
            self.error(node, field, f"expected a list, found {describe(node)}")
            return None
        count = len(node.value)
        if count < at_least or (at_most is not None and count > at_most):
            self.error(node, field, f"expected {_count_range(at_least, at_most)}, found {count}")
        values = [read_item(item, f"{field}[{index}]") for index, item in enumerate(node.value, 1)]
        return tuple(value for value in values if value is not None)


def _count_range(at_least: int, at_most: int | None) -> str:
    if at_most is None:
        return f"at least {at_least} item{'s' if at_least != 1 else ''}"
    if at_least == at_most:
        return f"exactly {at_least} items"
    return f"{at_least} to {at_most} items"
