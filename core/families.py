"""Benchmark families: what each benchmark is, declared once and read by every layer.

A family (a survey with per-country answer distributions, an axis instrument, a party-agreement
instrument, an open-ended benchmark, an implicit-bias test) is one :class:`Family`: its source and builder, its lm-eval
task folder, its canonical log-likelihood task and how that task is varied for robustness, its
kind-specific scoring (the instrument's key) and what the report compares across its tasks.
Builder lookup, task generation, robustness variants, report, site and Hub uploads all read the
declarations here; none of them compares family names.

The project's families are declared in ``tasks/<family>/family.py`` (``FAMILY = Family(...)``)
and registered by one line in :data:`REGISTERED`; a family outside the project registers itself
with :func:`register`.
"""

from __future__ import annotations

import enum
import inspect
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from types import ModuleType

from opinionbench.errors import OpinionBenchError

# One line per benchmark family of the project: the module that declares its ``FAMILY``. The
# order is the order of ``opinionbench build all``, the demo and the reports.
REGISTERED = (
    "opinionbench.tasks.mena_values.family",
    "opinionbench.tasks.global_opinions.family",
    "opinionbench.tasks.pct.family",
    "opinionbench.tasks.eightvalues.family",
    "opinionbench.tasks.sapplyvalues.family",
    "opinionbench.tasks.wahl_o_mat.family",
    "opinionbench.tasks.worldview_bench.family",
    "opinionbench.tasks.implicit_bias.family",
)


class Kind(enum.Enum):
    """What a family's items are and how its results are read; every layer handles every kind."""

    SURVEY = "survey"  # questions with human answer distributions per group (country)
    AXIS_INSTRUMENT = "axis instrument"  # statements scored onto axes by the instrument's key
    PARTY_AGREEMENT = "party agreement"  # theses scored as agreement with each party's positions
    OPEN_ENDED = "open-ended"  # free answers, judged
    IMPLICIT_BIAS = "implicit bias"  # association and decision tests, a bias score per response and stereotype

    @property
    def is_instrument(self) -> bool:
        return self in (Kind.AXIS_INSTRUMENT, Kind.PARTY_AGREEMENT)


@dataclass(frozen=True)
class Robustness:
    """How a family's canonical log-likelihood task is varied (see ``opinionbench.tasks.common.variants``).

    ``label_style`` is how the canonical prompt labels the options; ``reorderable`` whether the
    options are texts that can be shown in another order or labelled otherwise (MENAValues'
    answer codes have their meanings inline in the question: paraphrases only); ``paraphrases``
    the prompt wordings, index 0 the canonical one. A variant task includes ``template``
    (relative to the family's ``robustness/`` folder) and repeats ``dataset_kwargs`` (lm-eval
    replaces them as a whole) with its variant added; ``text_answer_yaml`` are YAML lines the
    variant whose answers are the option texts adds.
    """

    label_style: str
    paraphrases: Sequence[str]
    reorderable: bool = True
    template: str = "../_template_yaml"
    dataset_kwargs: Mapping[str, str] = field(default_factory=dict)
    text_answer_yaml: str = ""


@dataclass(frozen=True)
class Family:
    """One benchmark family, as every layer sees it.

    - ``name``: its source (``$OPINIONBENCH_SOURCES/<name>/``) and dataset, the prefix of its tasks
      (``<name>_...``) and the group of its default tasks; ``title``: its name for people.
    - ``builder_module``: has ``build(source_path=None, ...)`` and ``SOURCE``; ``tasks_dir``: its
      lm-eval task folder.
    - ``canonical_task``: the log-likelihood task that the robustness variants vary (``None``:
      none), with ``robustness``, how.
    - ``instrument``: the scoring of an instrument kind (``AxisInstrument`` or ``PartyInstrument``,
      ``opinionbench.tasks.common.instruments``).
    - ``conditions``: the cross-condition metrics the report computes from one model's tasks of the
      family, called with the model and ``(run label, task, payloads by key)`` of each (``None``
      when they allow none); a result may name the report module that writes it
      (``files_module``, else the report's ``condition_files``).
    - ``generate_files``: the family's own generated task files (``{file name in tasks_dir:
      text}``), beside the robustness variants that ``robustness`` generates.
    - ``demo_samples``: the documents the demo asks per task (``{task: [document index, ...]}``)
      when not all of them (free generation is slow).
    - ``metadata_keys``: the ``--metadata`` keys its tasks read (``variant`` comes with
      ``robustness``); ``opinionbench eval`` refuses any other.
    - ``reference_url``: the paper that defines the benchmark, or the instrument's own page.
    - ``headline``: the summary numbers of the default task that stand for the family in an
      overview (the leaderboard's landing table); their uniform baseline is ``uniform_<number>``
      where the task reports one.
    """

    name: str
    title: str
    kind: Kind
    builder_module: str
    tasks_dir: Path
    canonical_task: str | None = None
    robustness: Robustness | None = None
    instrument: object | None = None
    conditions: Callable[[str, list[tuple[str, str, dict[str, list]]]], object | None] | None = None
    generate_files: Callable[[], dict[str, str]] | None = None
    demo_samples: Callable[[], dict[str, list[int]]] | None = None
    metadata_keys: tuple[str, ...] = ()
    reference_url: str = ""
    headline: tuple[str, ...] = ()

    @property
    def default_task(self) -> str:
        """The group of the family's default tasks (what the demo runs)."""
        return self.name

    def builder(self) -> ModuleType:
        """The builder module."""
        return import_module(self.builder_module)

    def build_options(self) -> tuple[str, ...]:
        """The keyword options of the builder's ``build`` besides the source path."""
        parameters = inspect.signature(self.builder().build).parameters
        return tuple(name for name, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY)

    def accepted_metadata(self) -> tuple[str, ...]:
        """Every ``--metadata`` key the family's tasks read."""
        return self.metadata_keys + (("variant",) if self.robustness else ())

    def owns_task(self, task: str) -> bool:
        """Whether ``task`` is one of the family's (named ``<family>_...``)."""
        return task.startswith(f"{self.name}_")


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_registry: dict[str, Family] = {}
_loading: list[bool] = []  # set once the project's families are being registered


def register(family: Family) -> Family:
    """Add ``family`` to the registry (checked: a clear error for a declaration no layer can use)."""
    _load_registered()
    problem = _declaration_problem(family)
    if problem:
        raise OpinionBenchError(f"family {family.name!r} cannot be registered: {problem}")
    known = _registry.get(family.name)
    if known is not None and known != family:
        raise OpinionBenchError(f"a different family named {family.name!r} is registered already.")
    _registry[family.name] = family
    return family


def unregister(name: str) -> None:
    """Remove a family registered with :func:`register` (the project's own stay)."""
    if f"opinionbench.tasks.{name}.family" in REGISTERED:
        raise OpinionBenchError(f"{name} is one of OpinionBench's own families.")
    _registry.pop(name, None)


def all_families() -> tuple[Family, ...]:
    """Every registered family: the project's in :data:`REGISTERED` order, then any others."""
    _load_registered()
    return tuple(_registry.values())


def names() -> list[str]:
    """The names of every registered family."""
    return [family.name for family in all_families()]


def get(name: str) -> Family:
    """The family ``name``; a clear error naming the known ones otherwise."""
    _load_registered()
    if name not in _registry:
        raise OpinionBenchError(f"unknown source {name!r}; known sources: {', '.join(_registry)}.")
    return _registry[name]


def of_task(task: str) -> Family | None:
    """The family a task, group or tag belongs to (its default group ``<family>``, else the longest
    family name it starts with), or ``None``."""
    owners = [family for family in all_families() if family.owns_task(task) or task == family.default_task]
    return max(owners, key=lambda family: len(family.name), default=None)


def of_document(doc: Mapping) -> Family:
    """The family of one of its documents (its ``instrument``, else its ``source``)."""
    return get(doc.get("instrument") or doc["source"])


def of_kind(kind: Kind) -> list[Family]:
    """The registered families of ``kind``."""
    return [family for family in all_families() if family.kind is kind]


def task_paths() -> list[str]:
    """The folders lm-eval must index for every registered family's tasks: OpinionBench's task
    folder, then those of families outside it."""
    from opinionbench.tasks import tasks_path

    project = Path(tasks_path())
    outside = {str(f.tasks_dir) for f in all_families() if project not in (f.tasks_dir, *f.tasks_dir.parents)}
    return [str(project), *sorted(outside)]


def _load_registered() -> None:
    """Register the project's families, once, before any other."""
    if _loading:
        return
    _loading.append(True)
    for module in REGISTERED:
        register(import_module(module).FAMILY)


def _declaration_problem(family: Family) -> str | None:
    if not _NAME.match(family.name):
        return "the name must be lower-case letters, digits and underscores"
    if not isinstance(family.kind, Kind):
        return f"kind {family.kind!r} is not one of {', '.join(kind.name for kind in Kind)}"
    if family.kind.is_instrument and family.instrument is None:
        return f"a {family.kind.value} needs its `instrument` (the scoring key)"
    if (family.canonical_task is None) != (family.robustness is None):
        return "a canonical task and its robustness variants come together"
    if family.canonical_task and not family.owns_task(family.canonical_task):
        return f"its canonical task {family.canonical_task!r} is not named {family.name}_..."
    if not Path(family.tasks_dir).is_dir():
        return f"its task folder {family.tasks_dir} does not exist"
    return None
