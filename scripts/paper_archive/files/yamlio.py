"""YAML in and out: a strict loader that keeps line numbers, and a deterministic dumper.

Values are never formatted by hand: the dumper quotes whatever YAML would otherwise
read back as another type (``no``, ``2024-01-01``, ``[x]``, ``*x``, ``&x``, ``# x``).

Input is bounded before anything is built from it (:func:`check_bounds`): nesting at
most :data:`MAX_DEPTH` levels, no anchors or aliases. Nothing the archive stores needs
either, and without them a 1 KB page of nested aliases ("billion laughs") took ~40 s and
2 GB before dying with MemoryError, and nesting thousands of levels deep overflowed the
stack of the pure-Python parser MkDocs uses. The check reads libyaml's event stream,
which costs ~15 µs per page (0.08 s for 5,430 front matters, against 0.24 s to load them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import yaml

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


#: Deepest nesting of mappings and lists accepted (a page's front matter needs 2).
MAX_DEPTH = 20
#: Longest excerpt of an input value an error message quotes.
QUOTE_MAX = 80


def shorten(text: str, limit: int = QUOTE_MAX) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: what error messages quote."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping repeats a key; YAML libraries usually keep the last one silently."""


class BoundsError(yaml.MarkedYAMLError):
    """The document nests too deep or uses anchors/aliases (see :func:`check_bounds`)."""


class StrictLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # unhashable key: let the base class report it
                break
            if first is not None:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {shorten(repr(key))} "
                    f"(first at line {first.start_mark.line + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, StrictLoader.construct_mapping
)


def _construct_timestamp(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
    """A date-shaped value that is no date (``2024-02-30``) is a YAML error at its line,
    not a ``ValueError`` from ``datetime`` that escapes every ``path:line`` report."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.value!r} is not a valid date ({exc})", node.start_mark
        ) from None


StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

#: Types the safe loader builds that no file of the archive holds: ``!!binary`` is bytes
#: (a title of bytes skipped every string check, and the theme printed it raw), the
#: others are sets and ordered pairs. Each is a YAML error at its line.
REFUSED_TAGS = ("binary", "set", "omap", "pairs")


def _refuse_tag(loader: StrictLoader, node: yaml.Node) -> Any:
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"the YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: "
        "write plain text, numbers, dates, lists and mappings",
        node.start_mark,
    )


for _tag in REFUSED_TAGS:
    StrictLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def check_bounds(text: str, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse, before anything is constructed, nesting deeper than ``max_depth`` and any
    anchor (``&a``) or alias (``*a``). Raises :class:`BoundsError` with the mark."""
    depth = 0
    loader = StrictLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise BoundsError(
                    None, None, "anchors and aliases (&name, *name) are not allowed",
                    event.start_mark,
                )  # fmt: skip
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    # libyaml's mark (the C loader) has yaml.Mark's fields; the stubs
                    # give the two types apart.
                    mark = cast(yaml.Mark, event.start_mark)
                    raise BoundsError(None, None, f"nested more than {max_depth} levels deep", mark)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


@dataclass(slots=True)
class LoadedYaml:
    """A loaded document with the 0-based line of each top-level key and list item."""

    data: Any
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)


def load_with_lines(text: str) -> LoadedYaml:
    """Load one YAML document, recording where each top-level key (and list item) sits.

    Raises ``yaml.YAMLError`` (including ``DuplicateKeyError`` and ``BoundsError``) with
    marks on bad input.
    """
    check_bounds(text)
    loader = StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(data=None)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    loaded = LoadedYaml(data=data)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                loaded.key_lines[key_node.value] = key_node.start_mark.line
                if isinstance(value_node, yaml.SequenceNode):
                    loaded.item_lines[key_node.value] = [
                        item.start_mark.line for item in value_node.value
                    ]
    return loaded


def load(text: str) -> Any:
    """Load one YAML document strictly (duplicate keys are errors, bounds checked)."""
    check_bounds(text)
    return yaml.load(text, Loader=StrictLoader)  # StrictLoader is a SafeLoader


def dump(data: Any) -> str:
    """Dump ``data`` as block-style YAML, keys in the order given, one value per line."""
    return yaml.dump(
        data,
        Dumper=_BaseDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        explicit_start=False,
    )
