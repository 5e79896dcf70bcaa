"""A toy survey source for the test that adds a benchmark: four questions on made-up islands, one
JSON object per line (``question``, ``options``, ``ordinal`` positions, ``distributions`` per country)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.builds import BuildResult, distribution_build
from opinionbench.cards import CardInfo, card_template
from opinionbench.data_builders.source_records import field, read_json_lines
from opinionbench.schema import Rejection, RowError, normalise_shares
from opinionbench.sources import SourceSpec, Upstream, resolve_source

SOURCE = SourceSpec(
    name="toy_survey",
    filename="toy_survey.jsonl",
    upstream=(Upstream("opinionbench/toy-survey", "0" * 40, ("toy_survey.jsonl",)),),
)
BUILDER_VERSION = 1
CARD = CardInfo(
    pretty_name="Toy survey (OpinionBench test)",
    license="mit",
    language=["en"],
    source_datasets=["original"],
    homepage="https://example.org/toy-survey",
    citation="@misc{toy, title = {Toy survey}, year = {2026}}",
)


def build(source_path: str | Path | None = None) -> BuildResult:
    """The toy survey's questions with each country's answer distribution."""
    path = resolve_source(SOURCE, source_path)
    rejections: list[Rejection] = []
    items = []
    for location, record in read_json_lines(path, path.name, rejections):
        try:
            items.append(_item(record))
        except RowError as err:
            rejections.append(err.at(path.name, location))
    return distribution_build(
        SOURCE,
        path,
        items,
        rejections,
        card=CARD,
        template=card_template(__name__),
        extra_features={},
        extra_descriptions={},
        card_fields={},
    )


def _item(record: dict) -> dict:
    options = field(record, "options", list)
    ordinal = field(record, "ordinal", list)
    distributions = field(record, "distributions", dict)
    return {
        "source": SOURCE.name,
        "question": field(record, "question", str),
        "options": options,
        "ordinal": ordinal,
        "nonsubstantive": [option == "Don't know" for option in options],
        "groups": list(distributions),
        "distributions": [normalise_shares(shares, len(options), tolerance=1e-6) for shares in distributions.values()],
        "language": "en",
    }
