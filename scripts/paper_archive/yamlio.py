"""YAML in and out: a strict loader that keeps line numbers, and a deterministic dumper.

Values are never formatted by hand: the dumper quotes whatever YAML would otherwise
read back as another type (``no``, ``2024-01-01``, ``[x]``, ``*x``, ``&x``, ``# x``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # type: ignore[assignment]


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping repeats a key; YAML libraries usually keep the last one silently."""


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
                    f"found duplicate key {key!r} (first at line {first.start_mark.line + 1})",
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


@dataclass(slots=True)
class LoadedYaml:
    """A loaded document with the 0-based line of each top-level key and list item."""

    data: Any
    key_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)


def load_with_lines(text: str) -> LoadedYaml:
    """Load one YAML document, recording where each top-level key (and list item) sits.

    Raises ``yaml.YAMLError`` (including ``DuplicateKeyError``) with marks on bad input.
    """
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
    """Load one YAML document strictly (duplicate keys are errors)."""
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
