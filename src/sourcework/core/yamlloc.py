"""YAML with line numbers: load a document and find the line of any value in it, for located errors."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import Problem


def load(text: str, *, path: str, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """Parse ``text`` safely; return (data, node). A syntax error becomes a located Problem (raised)."""
    from .errors import SourceworkError

    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceworkError(
            Problem(path, line, f"YAML syntax error: {reason}.",
                    "Check indentation and quoting on this line; quote text that contains ': ' or starts with a "
                    "special character such as [ { * & ! | > ' \" % @ `.")
        ) from None
    return data, node


def line_of(node: yaml.Node | None, *keys: str | int, first_line: int = 1) -> int:
    """The 1-based line of the value at ``keys`` (dict keys or list indices), or of its closest parent."""
    line = first_line + (node.start_mark.line if node is not None else 0)
    for key in keys:
        child = None
        if isinstance(node, yaml.MappingNode):
            for knode, vnode in node.value:
                if knode.value == key:
                    child = vnode
                    line = first_line + knode.start_mark.line
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            child = node.value[key]
            line = first_line + child.start_mark.line
        if child is None:
            break
        node = child
    return line
