"""JSON from files OpinionBench did not write, within bounds: at most :data:`MAX_JSON_DEPTH`
nested arrays and objects (lm-eval's files nest fewer than 10, the sources fewer than 5), and no
integer longer than Python converts (4300 digits). Used by the source builders and by every reader
of lm-eval's outputs; docs/datasets.md ("Limits") and docs/reporting.md state the bounds."""

from __future__ import annotations

import json

MAX_JSON_DEPTH = 64


class JSONLimitError(ValueError):
    """Valid JSON beyond a bound of this module."""


def parse_json(text: str) -> object:
    """``json.loads(text)`` within the bounds: ``json.JSONDecodeError`` if ``text`` is not JSON,
    :class:`JSONLimitError` if it nests deeper than :data:`MAX_JSON_DEPTH` or holds a too long integer."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:  # nested far deeper than the bound
        raise JSONLimitError(_TOO_DEEP) from None
    except ValueError as exc:  # Python's limit on the digits of an integer
        raise JSONLimitError(str(exc).split(";")[0]) from None
    if not _depth_within(value, MAX_JSON_DEPTH):
        raise JSONLimitError(_TOO_DEEP)
    return value


_TOO_DEEP = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"


def _depth_within(value: object, limit: int) -> bool:
    """Whether ``value`` nests at most ``limit`` arrays and objects (level by level, no recursion)."""
    level = [value]
    for _ in range(limit):
        level = [child for node in level for child in _containers(node)]
        if not level:
            return True
    return False


def _containers(node: object) -> list:
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return [child for child in children if isinstance(child, (dict, list))]
