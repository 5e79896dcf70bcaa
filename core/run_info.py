"""What an lm-eval run was, from its results file: the model's display name (never a path of the
machine that ran it), revision and dtype, the backend and batch size, the chat template and system
instruction, the versions and date, how much of each task it scored (a partial run is never a full
one), and the flags a reader needs beside a number (no chat template on a chat model, little
probability on the options)."""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath

DISPLAY_NAME_KEY = "display_name"  # --metadata '{"display_name": "..."}' names the model in every output
VERSION_KEY = "opinionbench_version"  # recorded by `opinionbench eval` in every task's metadata
LOW_OPTION_MASS = 0.1  # below it, a distribution is renormalised from little of the model's probability
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_CHAT_NAME = re.compile(r"(instruct|chat|-it\b|_it\b|assistant)", re.IGNORECASE)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Coverage:
    """How much of a task a run scored: ``effective`` of its ``original`` documents."""

    effective: int
    original: int

    @property
    def partial(self) -> bool:
        return self.effective < self.original

    def text(self, unit: str = "documents") -> str:
        """``"5 of 62 statements, partial run"`` or ``"62 statements"``."""
        if self.partial:
            return f"{self.effective} of {self.original} {unit}, partial run"
        return f"{self.original} {unit}"


@dataclass(frozen=True)
class RunInfo:
    """The run behind every number of one results file (``None`` where lm-eval did not record it)."""

    display_name: str
    backend: str | None
    revision: str | None
    dtype: str | None
    batch_size: str | None
    chat_template: bool
    chat_model: bool | None  # whether the model has a chat template (None: not known)
    system_instruction: str | None
    lm_eval_version: str | None
    opinionbench_version: str | None
    date: str | None  # ISO 8601, UTC
    coverage: Mapping[str, Coverage]

    def flags(self, task: str, summary: Mapping[str, float]) -> list[str]:
        """What a reader must know beside ``task``'s numbers: a partial run, no chat template on a
        chat model, little probability on the options, numbers lm-eval left undefined (NaN; ``summary``:
        the task's numbers)."""
        found = []
        coverage = self.coverage.get(task)
        if coverage and coverage.partial:
            found.append(f"partial run: {coverage.effective} of {coverage.original} documents")
        if not self.chat_template and self.chat_model:
            found.append("no chat template, on a chat model (the papers used the chat template)")
        mass = summary.get("option_mass")
        if mass is not None and not math.isnan(mass) and mass < LOW_OPTION_MASS:
            found.append(f"option_mass {mass:.1%}: the distribution is renormalised from little probability")
        undefined = [key for key, value in summary.items() if isinstance(value, float) and math.isnan(value)]
        if undefined:
            found.append(f"not defined (NaN in lm-eval's table: no document gives it a value): {', '.join(undefined)}")
        return found

    def fields(self, task: str) -> dict:
        """The run's metadata for one task, as flat fields (the results dataset, the site)."""
        coverage = self.coverage.get(task)
        return {
            "model": self.display_name,
            "documents": coverage.effective if coverage else None,
            "task_documents": coverage.original if coverage else None,
            "partial": bool(coverage and coverage.partial),
            "chat_template": self.chat_template,
            "system_instruction": self.system_instruction,
            "backend": self.backend,
            "revision": self.revision,
            "dtype": self.dtype,
            "batch_size": self.batch_size,
            "lm_eval_version": self.lm_eval_version,
            "opinionbench_version": self.opinionbench_version,
            "date": self.date,
        }

    def summary_line(self, task: str) -> str:
        """One line of the run's metadata for ``task``."""
        coverage = self.coverage.get(task)
        parts = [
            coverage.text() if coverage else None,
            "chat template" if self.chat_template else "no chat template",
            f"system instruction {self.system_instruction!r}" if self.system_instruction else None,
            f"backend {self.backend}" if self.backend else None,
            f"revision {self.revision}" if self.revision else None,
            self.dtype,
            f"batch size {self.batch_size}" if self.batch_size else None,
            f"lm-eval {self.lm_eval_version}" if self.lm_eval_version else None,
            f"OpinionBench {self.opinionbench_version}"
            if self.opinionbench_version
            else "OpinionBench version not recorded",
            self.date,
        ]
        return "; ".join(part for part in parts if part)


def run_info(results: Mapping) -> RunInfo:
    """The :class:`RunInfo` of an lm-eval results file's content."""
    config = results.get("config") if isinstance(results.get("config"), Mapping) else {}
    model_args = model_arguments(config.get("model_args"))
    metadata = _task_metadata(results)
    return RunInfo(
        display_name=display_name(results),
        backend=_text(config.get("model")) or _text(results.get("model_source")),
        revision=_text(config.get("model_sha")) or _text(model_args.get("revision")),
        dtype=(_text(config.get("model_dtype")) or _text(model_args.get("dtype")) or "").removeprefix("torch.") or None,
        batch_size=_text(config.get("batch_size")),
        chat_template=bool(results.get("chat_template")),
        chat_model=_is_chat_model(results, model_args),
        system_instruction=_text(results.get("system_instruction"), lines=True),
        lm_eval_version=_text(results.get("lm_eval_version")),
        opinionbench_version=_text(metadata.get(VERSION_KEY)),
        date=_date(results.get("date")),
        coverage=_coverage(results),
    )


def display_name(results: Mapping) -> str:
    """The model's name for people in an lm-eval results file's content (:func:`model_name`)."""
    config = results.get("config") if isinstance(results.get("config"), Mapping) else {}
    return model_name(
        model_arguments(config.get("model_args")), _task_metadata(results), fallback=_text(results.get("model_name"))
    )


def model_name(model_args: Mapping, metadata: Mapping, *, fallback: str | None = None) -> str:
    """The model's name for people, never a path of the machine that ran it: ``--metadata``'s
    ``display_name``; else the Hub id (``pretrained=ORG/NAME``, an API model's ``model=``); for a
    local folder, the bundled model's name, the Hub id its ``config.json`` came from, or the
    folder's own name."""
    explicit = _text(metadata.get(DISPLAY_NAME_KEY))
    if explicit:
        return explicit
    given = _text(model_args.get("pretrained")) or _text(model_args.get("model")) or fallback
    if not given:
        return "unnamed model"
    if not is_local_path(given):
        return given
    return _local_model_name(Path(given).expanduser())


def slug(name: str) -> str:
    """A file or folder name from a display name: letters, digits, ``.``, ``_`` and ``-``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "model"


def _local_model_name(folder: Path) -> str:
    from opinionbench.models import bundled_display_name

    bundled = bundled_display_name(folder)
    if bundled:
        return bundled
    try:
        source = json.loads((folder / "config.json").read_text(encoding="utf-8")).get("_name_or_path")
    except (OSError, ValueError, AttributeError):
        source = None
    if isinstance(source, str) and _HUB_ID.match(source):
        return source
    return PurePath(folder).name or "unnamed model"


def is_local_path(text: str) -> bool:
    """Whether a model argument names a folder of the machine that ran it (else a Hub id, an API
    model's name, or a bare name)."""
    if "/" not in text and "\\" not in text:
        return text.startswith("~")
    return not _HUB_ID.match(text) or Path(text).expanduser().exists()


def _is_chat_model(results: Mapping, model_args: Mapping) -> bool | None:
    """Whether the model has a chat template: lm-eval records it when applied; else the local
    tokenizer's, else a chat-like name; ``None`` when nothing tells."""
    if results.get("chat_template"):
        return True
    pretrained = _text(model_args.get("pretrained"))
    if pretrained and is_local_path(pretrained):
        folder = Path(pretrained).expanduser()
        if (folder / "chat_template.jinja").is_file():
            return True
        try:
            if json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8")).get("chat_template"):
                return True
        except (OSError, ValueError, AttributeError):
            pass
    name = display_name(results)
    return True if _CHAT_NAME.search(name) else None


def _coverage(results: Mapping) -> dict[str, Coverage]:
    counts = results.get("n-samples") if isinstance(results.get("n-samples"), Mapping) else {}
    found = {}
    for task, entry in counts.items():
        if isinstance(entry, Mapping) and all(isinstance(entry.get(k), int) for k in ("effective", "original")):
            found[task] = Coverage(effective=entry["effective"], original=entry["original"])
    return found


def _task_metadata(results: Mapping) -> Mapping:
    """The metadata of the run's tasks (what ``--metadata`` adds is in every task's)."""
    configs = results.get("configs") if isinstance(results.get("configs"), Mapping) else {}
    for config in configs.values():
        metadata = config.get("metadata") if isinstance(config, Mapping) else None
        if isinstance(metadata, Mapping):
            return metadata
    return {}


def model_arguments(value) -> Mapping:
    """lm-eval's ``model_args``: a mapping, or the JSON or ``key=value,...`` string it was given as."""
    if isinstance(value, Mapping):
        return value
    if not isinstance(value, str):
        return {}
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if isinstance(parsed, Mapping):
        return parsed
    return dict(part.split("=", 1) for part in value.split(",") if "=" in part)


def _date(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value, tz=datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return None


def _text(value, *, lines: bool = False) -> str | None:
    """A field of the results file as text for people (:func:`printable`; ``lines``: newlines and
    tabs kept), ``None`` for none."""
    if value is None or isinstance(value, bool):
        return None
    text = printable(str(value).strip(), keep="\n\t" if lines else "")
    return text or None


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with every control character but those in ``keep`` (NUL, newlines, terminal
    escapes, bidirectional overrides) shown as U+FFFD, so that it reaches a page or a terminal as
    one visible line."""
    return _UNPRINTABLE.sub(lambda found: found[0] if found[0] in keep else "\ufffd", text)
