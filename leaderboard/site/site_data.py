"""What every page reads: the ingested entries with their numbers (lm-eval's table, the 95 %
intervals from the samples logs), the run behind each (its metadata and flags) and whether it
has a per-question page."""

from __future__ import annotations

from dataclasses import dataclass, field

from opinionbench.families import Kind

from .html import Details, Link, Number
from .ingest import Entry, Ingested
from .links import model_href, questions_href
from .samples import SampleResults, interval_of

# The kinds of family whose tasks get a per-question page (each question's answers and scoring).
QUESTION_KINDS = (Kind.SURVEY, Kind.AXIS_INSTRUMENT, Kind.PARTY_AGREEMENT)
_HIDDEN_FIELDS = ("model", "documents", "task_documents", "partial")  # shown otherwise


@dataclass(eq=False)
class SiteData:
    """The ingested results and what the samples logs gave."""

    ingested: Ingested
    samples: SampleResults
    _numbers: dict[Entry, dict[str, dict]] = field(default_factory=dict, init=False, repr=False)

    @property
    def entries(self) -> list[Entry]:
        return self.ingested.entries

    def numbers(self, entry: Entry) -> dict[str, dict]:
        """``{metric: {"filter", "value", "stderr", "ci_low", "ci_high"}}`` of the entry: lm-eval's
        table with the 95 % intervals from its samples log (NaN without one)."""
        if entry not in self._numbers:
            estimates = self.samples.estimates(entry)
            metrics = entry.metrics().items()
            self._numbers[entry] = {
                metric: {**found, **interval_of(estimates.get(metric))} for metric, found in metrics
            }
        return self._numbers[entry]

    def number(self, entry: Entry, metric: str, root: str, *, flagged: bool = False) -> Number:
        """The entry's ``metric`` as a cell: its interval, the uniform baseline where the task
        reports one, a link to its questions and (``flagged``) the run's flags."""
        found = self.numbers(entry)
        value, uniform = found[metric], found.get(f"uniform_{metric}")
        return Number(
            value["value"],
            value["ci_low"],
            value["ci_high"],
            uniform["value"] if uniform else None,
            value["stderr"],
            href=questions_href(entry, root) if self.has_questions(entry) else None,
            flags=self.flags(entry) if flagged else (),
        )

    def flags(self, entry: Entry) -> tuple[str, ...]:
        """What a reader must know beside the entry's numbers (:meth:`RunInfo.flags`)."""
        return tuple(entry.run.info.flags(entry.task, entry.run.summary(entry.task)))

    def has_questions(self, entry: Entry) -> bool:
        """Whether the entry has a per-question page (a rescored survey or instrument task; a
        persona task asks each statement under many conditions, shown on its family's section)."""
        scored = entry in self.samples.scores and entry not in self.samples.personas
        return scored and entry.family.kind in QUESTION_KINDS

    def run_cell(self, entry: Entry) -> Details:
        """The run behind the entry, compactly: documents scored, then its metadata and file."""
        coverage = entry.coverage
        summary = coverage.text() if coverage else "documents not recorded"
        fields = entry.run.info.fields(entry.task)
        lines = [
            f"{name.replace('_', ' ')}: {field_text(value)}"
            for name, value in fields.items()
            if name not in _HIDDEN_FIELDS
        ]
        return Details(summary, (*lines, f"file: {self.ingested.shown(entry)}"), self.flags(entry))

    def model_cell(self, model: str, root: str, *, link: bool):
        return Link(model, model_href(model, root)) if link else model


def field_text(value) -> str:
    """A run field for people: yes/no, "not recorded", or the value."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "not recorded" if value is None else str(value)
