"""The perspective list a judge sorts references into: names, labels and descriptions, from JSON."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from opinionbench.errors import OpinionBenchError

DEFAULT_FILE = "default_perspectives.json"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Perspective:
    """One perspective: ``name`` (a slug, used in results), ``label`` and ``description`` (what
    the embedding judge compares with and the endpoint judge's prompt lists)."""

    name: str
    label: str
    description: str


@dataclass(frozen=True)
class PerspectiveSet:
    """The K perspectives of one run, with the name of the list they come from, and optionally a
    description of talk that draws on none of them (``none_description``; the embedding judge
    counts a sentence only when it is closer to a perspective than to this)."""

    name: str
    perspectives: tuple[Perspective, ...]
    none_description: str | None = None

    @property
    def names(self) -> list[str]:
        return [perspective.name for perspective in self.perspectives]

    @property
    def k(self) -> int:
        return len(self.perspectives)

    def describe(self) -> dict:
        """The list as reported with every number: its name, K and each perspective."""
        return {
            "name": self.name,
            "k": self.k,
            "perspectives": [vars(perspective) for perspective in self.perspectives],
            "none_description": self.none_description,
        }


def load_perspectives(path: str | Path | None = None) -> PerspectiveSet:
    """The perspective list in the JSON file ``path`` (OpinionBench's default list when None).

    The file holds ``{"name": ..., "perspectives": [{"name", "label", "description"}, ...]}``
    with at least two perspectives and distinct lower-case names, and optionally
    ``"none_description"``.
    """
    if path is None:
        label = f"the default perspective list ({DEFAULT_FILE})"
        text = resources.files(__package__).joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
    else:
        label = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise OpinionBenchError(f"perspective list {label}: cannot be read ({err.strerror}).") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise OpinionBenchError(f"perspective list {label}: not valid JSON at line {err.lineno} ({err.msg}).") from None
    return _parse(document, label)


def _parse(document: object, label: str) -> PerspectiveSet:
    entries = document.get("perspectives") if isinstance(document, dict) else None
    if not isinstance(document, dict) or not isinstance(document.get("name"), str) or not isinstance(entries, list):
        raise OpinionBenchError(f"perspective list {label}: expected an object with 'name' and a 'perspectives' array.")
    perspectives = []
    for position, entry in enumerate(entries):
        fields = {key: entry.get(key) if isinstance(entry, dict) else None for key in ("name", "label", "description")}
        blank = [key for key, value in fields.items() if not isinstance(value, str) or not value.strip()]
        if blank:
            raise OpinionBenchError(f"perspective list {label}: perspective {position} lacks a text {blank}.")
        if not _NAME.match(fields["name"]):
            raise OpinionBenchError(
                f"perspective list {label}: perspective {position} name {fields['name']!r} is not a lower-case slug."
            )
        perspectives.append(Perspective(**fields))
    names = [perspective.name for perspective in perspectives]
    if len(perspectives) < 2 or len(set(names)) != len(names):
        raise OpinionBenchError(
            f"perspective list {label}: needs at least two perspectives with distinct names; found {names}."
        )
    none_description = document.get("none_description")
    if none_description is not None and not (isinstance(none_description, str) and none_description.strip()):
        raise OpinionBenchError(f"perspective list {label}: 'none_description' must be a text when given.")
    return PerspectiveSet(document["name"], tuple(perspectives), none_description)
