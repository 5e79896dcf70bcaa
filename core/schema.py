"""The item schemas shared by the builders, and row validation.

Distribution items: one row is one survey question with one human answer distribution
per group (country). ``options``, ``ordinal`` and ``nonsubstantive`` are aligned; each
entry of ``distributions`` is aligned with ``options`` and belongs to the group at the
same index of ``groups``.

Instrument items (political questionnaires): one row is one statement of the
instrument; ``options`` is the answer scale in the instrument's own order, so a
scorer's answer index is a position in ``options`` and its statement index is
``number - 1``.

Open-ended items (free-form questions without answer options or gold answers, e.g.
WorldView-Bench): one row is one question; questions are grouped by ``domain`` and
numbered from 1 within it, and the id ``<domain_slug>_<number:02d>`` says both.
"""

from __future__ import annotations

import ast
import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import datasets

DISTRIBUTION_FIELDS = {
    "id": datasets.Value("string"),
    "source": datasets.Value("string"),
    "question": datasets.Value("string"),
    "options": datasets.List(datasets.Value("string")),
    "ordinal": datasets.List(datasets.Value("float64")),
    "nonsubstantive": datasets.List(datasets.Value("bool")),
    "groups": datasets.List(datasets.Value("string")),
    "distributions": datasets.List(datasets.List(datasets.Value("float64"))),
    "language": datasets.Value("string"),
}

FIELD_DESCRIPTIONS = {
    "id": "stable identifier: source name and a hash of the question and options",
    "source": "OpinionBench source name",
    "question": "question text as asked in the survey",
    "options": "answer options, in the source's order",
    "ordinal": "ordinal position of each option on the answer scale; null for options off the scale "
    "(non-substantive answers, and every option of a nominal item)",
    "nonsubstantive": "true for options that express no position (don't know, refused, not applicable, ...)",
    "groups": "the groups (countries) with a human answer distribution for this question",
    "distributions": "one human answer distribution per group, aligned with options, summing to 1",
    "language": "language of the question text (BCP-47)",
}


INSTRUMENT_FIELDS = {
    "id": datasets.Value("string"),
    "instrument": datasets.Value("string"),
    "number": datasets.Value("int64"),
    "statement": datasets.Value("string"),
    "options": datasets.List(datasets.Value("string")),
    "language": datasets.Value("string"),
}

INSTRUMENT_FIELD_DESCRIPTIONS = {
    "id": "stable identifier: `<instrument>-<number>` (two digits at least)",
    "instrument": "OpinionBench instrument name",
    "number": "1-based position in the instrument's official order; scorers index statements by `number - 1`",
    "statement": "the statement (proposition, thesis) as the instrument words it",
    "options": "the answer scale in the instrument's own order; a scorer's answer index is a position in this list",
    "language": "language of the statement (BCP-47)",
}


OPEN_ENDED_FIELDS = {
    "id": datasets.Value("string"),
    "domain": datasets.Value("string"),
    "domain_slug": datasets.Value("string"),
    "number": datasets.Value("int64"),
    "question": datasets.Value("string"),
    "language": datasets.Value("string"),
}

OPEN_ENDED_FIELD_DESCRIPTIONS = {
    "id": "stable identifier: `<domain_slug>_<number>` (two digits at least)",
    "domain": "the domain (theme) of the question, as the source names it",
    "domain_slug": "the domain in lower case with its words joined by `_`; per-domain breakdowns use it",
    "number": "1-based position of the question within its domain, in the source's order",
    "question": "the open-ended question as the source words it; there are no answer options and no gold answers",
    "language": "language of the question (BCP-47)",
}


def distribution_features(extra: dict[str, datasets.features.features.FeatureType]) -> datasets.Features:
    """The shared distribution-item features followed by a source's own metadata columns."""
    return _features(DISTRIBUTION_FIELDS, extra)


def instrument_features(extra: dict[str, datasets.features.features.FeatureType]) -> datasets.Features:
    """The shared instrument-item features followed by an instrument's own columns."""
    return _features(INSTRUMENT_FIELDS, extra)


def open_ended_features(extra: dict[str, datasets.features.features.FeatureType]) -> datasets.Features:
    """The shared open-ended-item features followed by a source's own columns."""
    return _features(OPEN_ENDED_FIELDS, extra)


def _features(shared: dict, extra: dict) -> datasets.Features:
    clash = set(extra) & set(shared)
    if clash:
        raise ValueError(f"source metadata columns {sorted(clash)} would shadow shared fields")
    return datasets.Features({**shared, **extra})


@dataclass(frozen=True)
class Rejection:
    """A row, cell or value a builder refused: where it is, the kind of fault, the details."""

    file: str
    location: str
    kind: str
    detail: str

    @property
    def reason(self) -> str:
        return f"{self.kind} ({self.detail})" if self.detail else self.kind

    def __str__(self) -> str:
        return f"{self.file}: {self.location}: {self.reason}"


class RowError(ValueError):
    """One bad row or cell, raised inside a builder and turned into a :class:`Rejection`."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind} ({detail})" if detail else kind)
        self.kind = kind
        self.detail = detail

    def at(self, file: str, location: str) -> Rejection:
        return Rejection(file=file, location=location, kind=self.kind, detail=self.detail)


_FLOAT_SLACK = 1e-9  # so that 0.3 + 0.4 + 0.2 + 0.12 counts as 1.02


def normalise_shares(shares: Sequence[float], n_options: int, *, tolerance: float) -> list[float]:
    """Validate one group's answer shares and return them renormalised to sum to 1.

    Rejects (``RowError``) a wrong length, non-numeric, non-finite or negative shares,
    and a sum further than ``tolerance`` from 1.
    """
    if len(shares) != n_options:
        raise RowError("wrong number of shares", f"{len(shares)} shares for {n_options} options")
    values = []
    for position, share in enumerate(shares):
        if isinstance(share, bool) or not isinstance(share, (int, float)):
            raise RowError("share is not a number", f"share {position + 1} is {share!r}")
        if not math.isfinite(share):
            raise RowError("share is not finite", f"share {position + 1} is {share!r}")
        if share < 0:
            raise RowError("negative share", f"share {position + 1} is {share!r}")
        values.append(float(share))
    total = math.fsum(values)
    if abs(total - 1.0) > tolerance + _FLOAT_SLACK:
        raise RowError("shares do not sum to 1", f"sum {total:.6g}, tolerance {tolerance:.4g}")
    return [value / total for value in values]


def item_ids(source: str, questions_and_options: Iterable[tuple[str, Sequence[str]]]) -> list[str]:
    """Stable ids ``<source>-<12 hex digits>`` from each question and its options.

    A question asked twice with the same options (e.g. in two survey waves) gets
    ``-2``, ``-3``, ... in file order, so ids stay unique and stable for a given file.
    """
    ids, seen = [], {}
    for question, options in questions_and_options:
        payload = "\x1f".join([question, *options]).encode("utf-8")
        base = f"{source}-{hashlib.sha256(payload).hexdigest()[:12]}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


def instrument_ids(prefix: str, numbers: Iterable[int]) -> list[str]:
    """Ids ``<prefix>-<number:02d>`` (``pct-01``, ``wahl_o_mat-2025-38``); a repeated number is an error."""
    ids = [f"{prefix}-{number:02d}" for number in numbers]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{prefix}: statement numbers are not unique")
    return ids


def domain_slug(domain: str) -> str:
    """``domain`` in lower case, every run of other characters than a-z and 0-9 one ``_``
    (``"Ethical / Moral"`` -> ``"ethical_moral"``)."""
    return re.sub(r"[^a-z0-9]+", "_", domain.lower()).strip("_")


def open_ended_id(slug: str, number: int) -> str:
    """The id ``<slug>_<number:02d>`` of an open-ended question (``ethical_moral_01``)."""
    return f"{slug}_{number:02d}"


def parse_literal(text: str, what: str):
    """``ast.literal_eval`` of ``text`` (never ``eval``); a ``RowError`` when it is not a literal
    or one of its dicts gives a key twice (which ``literal_eval`` would silently drop)."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
        value = ast.literal_eval(tree)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise RowError(f"malformed {what}", f"{clip(text)} is not a Python literal") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            _check_unique_keys(node, what)
    return value


def _check_unique_keys(node: ast.Dict, what: str) -> None:
    seen = set()
    for key in node.keys:
        if isinstance(key, ast.Constant):
            if key.value in seen:
                raise RowError(f"malformed {what}", f"the key {key.value!r} occurs twice")
            seen.add(key.value)


def clip(text: str, limit: int = 80) -> str:
    """``repr`` of ``text`` cut to ``limit`` characters, for error messages."""
    return repr(text if len(text) <= limit else text[:limit] + "...")
