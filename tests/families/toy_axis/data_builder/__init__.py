"""A toy axis instrument for the test that adds a benchmark: four statements, answered Agree /
Neutral / Disagree (its scoring key is the family's declaration)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.builds import BuildResult, InstrumentConfig, instrument_build
from opinionbench.cards import CardInfo, card_template
from opinionbench.data_builders.source_records import field, read_json_lines
from opinionbench.sources import SourceSpec, Upstream, resolve_source

SOURCE = SourceSpec(
    name="toy_axis",
    filename="statements.jsonl",
    upstream=(Upstream("opinionbench/toy-axis", "0" * 40, ("statements.jsonl",)),),
)
BUILDER_VERSION = 1
OPTIONS = ["Agree", "Neutral", "Disagree"]
CARD = CardInfo(
    pretty_name="Toy axis instrument (OpinionBench test)",
    license="mit",
    language=["en"],
    source_datasets=["original"],
    homepage="https://example.org/toy-axis",
    citation="@misc{toyaxis, title = {Toy axis instrument}, year = {2026}}",
)


def build(source_path: str | Path | None = None) -> BuildResult:
    """The toy instrument's statements with their axis and effect."""
    path = resolve_source(SOURCE, source_path)
    items = [
        {
            "instrument": SOURCE.name,
            "number": field(record, "number", int),
            "statement": field(record, "statement", str),
            "options": OPTIONS,
            "language": "en",
        }
        for _, record in read_json_lines(path, path.name)
    ]
    return instrument_build(
        SOURCE,
        path,
        {"default": InstrumentConfig(items, "toy_axis")},
        card=CARD,
        template=card_template(__name__),
        extra_features={},
        extra_descriptions={},
        card_fields={},
        summary=(f"built {len(items)} statements from {path}",),
    )
