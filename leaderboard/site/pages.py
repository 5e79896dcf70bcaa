"""The pages of the leaderboard site: the index (a sortable table per task family, the compass,
the Wahl-O-Mat party agreement, per-country rankings, robustness spread, rejected and superseded
files) and one page per model. Everything is escaped by :mod:`.site_html`."""

from __future__ import annotations

from collections import defaultdict

from opinionbench import families
from opinionbench.families import Kind
from opinionbench.tasks.common.instruments import Compass

from ..report.instrument_report import InstrumentReport
from ..report.survey_report import COUNTRY_METRICS, CountryReport
from .compass import compass_svg
from .html import Link, Number, bullets, esc, page, page_name, section, table
from .ingest import Entry, Ingested
from .samples import SampleResults, interval_of

MODELS_DIR = "models"


def index_page(ingested: Ingested, samples: SampleResults) -> str:
    """The leaderboard's front page."""
    entries = ingested.entries
    parts = [
        (
            f"<p>{len(ingested.models())} models, {len(entries)} (model, task) results. Data: "
            f'<a href="data/README.md">data/</a> (results.parquet, results.jsonl). Values with their 95 % interval '
            "in brackets and, where the task reports one, the uniform answer's value below. Click a header to sort.</p>"
        ),
        _problems(ingested),
    ]
    for name, members in _by_family(entries).items():
        parts.append(section(_family_heading(name, members), family_table(members, samples, link=True)))
    parts += _compasses(entries, note="Filled: at the answers; hollow: in expectation.")
    for family in families.of_kind(Kind.PARTY_AGREEMENT):
        found = [(entry, report) for entry, report in samples.parties.items() if entry.family == family]
        if found:
            parts.append(section(f"{family.title} party agreement", party_table(found, link=True)))
    if samples.countries:
        parts.append(country_section(samples.countries, link=True))
    if samples.robustness:
        parts.append(robustness_section(samples, link=True))
    if samples.notes:
        parts.append(section("Samples logs not used", bullets(samples.notes)))
    return page("OpinionBench leaderboard", "\n".join(parts))


def model_page(model: str, ingested: Ingested, samples: SampleResults) -> str:
    """One model's page: its results per family, compass, countries, robustness, superseded runs."""
    entries = [entry for entry in ingested.entries if entry.model == model]
    parts = [f"<p>Model <code>{esc(model)}</code>.</p>"]
    for name, members in _by_family(entries).items():
        parts.append(section(_family_heading(name, members), family_table(members, samples, link=False)))
    parts += _compasses(entries)
    countries = {task: [(m, r) for m, r in found if m == model] for task, found in samples.countries.items()}
    if any(countries.values()):
        parts.append(country_section({task: found for task, found in countries.items() if found}, link=False))
    own = SampleResults(robustness=[r for r in samples.robustness if r.canonical.model == model])
    if own.robustness:
        parts.append(robustness_section(own, link=False))
    older = [f"{old.task}: {old.run.results_file}" for old, _ in ingested.superseded if old.model == model]
    if older:
        parts.append(section("Superseded runs", bullets(older), note="A later run of the same task counts instead."))
    return page(model, "\n".join(parts), home="../index.html")


def family_table(entries: list[Entry], samples: SampleResults, *, link: bool) -> str:
    """Rows (model, task), one column per metric (uniform baselines beside their metric)."""
    metrics = {entry: _with_intervals(entry, samples) for entry in entries}
    columns = list(dict.fromkeys(m for found in metrics.values() for m in found if not m.startswith("uniform_")))
    rows = [
        [_model_cell(entry.model, link), entry.task]
        + [_number(found, metric) if metric in found else None for metric in columns]
        for entry, found in metrics.items()
    ]
    return table(["model", "task", *columns], rows)


def party_table(found: list[tuple[Entry, InstrumentReport]], *, link: bool) -> str:
    """Rows (model, task): the closest party at the answers, then every party's agreement (%) with
    its 95 % interval, from the report's code on the samples log."""
    rows_by_entry = {entry: {row["party"]: row for row in report.rows()} for entry, report in found}
    parties = list(dict.fromkeys(party for rows in rows_by_entry.values() for party in rows))
    rows = []
    for entry, report in found:
        by_party = rows_by_entry[entry]
        cells = [
            Number(row["agreement"], row["agreement_ci_low"], row["agreement_ci_high"])
            if (row := by_party.get(p))
            else None
            for p in parties
        ]
        rows.append([_model_cell(entry.model, link), entry.task, report.results["answer"]["closest_party"], *cells])
    return table(["model", "task", "closest party", *parties], rows)


def country_section(countries: dict[str, list[tuple[str, CountryReport]]], *, link: bool) -> str:
    """Per survey task: every model's countries, ranked by the report's ranking metric."""
    parts = []
    for task, found in sorted(countries.items()):
        metrics = [
            m for m in COUNTRY_METRICS if not m.startswith("uniform_") and any(m in r.by_country for _, r in found)
        ]
        rows = []
        for model, report in found:
            for row in report.country_rows():
                cells = [_country_number(row, metric) if metric in row else None for metric in metrics]
                rows.append([_model_cell(model, link), row["country"], row["rank"], row["n_items"], *cells])
        parts.append(f"<h3>{esc(task)}</h3>" + table(["model", "country", "rank", "questions", *metrics], rows))
    return section(
        "Per-country ranking",
        *parts,
        note="Recomputed from the samples logs by the report's code; rank 1 = most similar country per model.",
    )


def robustness_section(samples: SampleResults, *, link: bool) -> str:
    """Each summary number under the canonical prompt and its spread over all prompts."""
    rows = []
    for report in samples.robustness:
        values = {row["metric"]: row for row in report.metric_values}
        for spread in (row for row in report.metric_spreads if row["prompts"] == "all"):
            value = values[spread["metric"]]
            canonical = Number(value["canonical"], stderr=value["canonical_stderr"])
            rows.append(
                [_model_cell(report.canonical.model, link), report.canonical.task, spread["metric"], canonical]
                + [spread["n_prompts"]]
                + [Number(spread[key]) for key in ("min", "max", "range", "sd")]
            )
    headers = ["model", "task", "metric", "canonical", "prompts", "min", "max", "range", "SD"]
    return section(
        "Robustness spread",
        table(headers, rows),
        note="Over the canonical prompt and every variant run (option order, labels, paraphrases); "
        "details: opinionbench robustness.",
    )


def _problems(ingested: Ingested) -> str:
    lines = [f"rejected {r.file}: {r.reason}" for r in ingested.rejected]
    lines += [
        f"superseded {old.run.results_file} ({old.model}, {old.task}) by {new.run.results_file}"
        for old, new in ingested.superseded
    ]
    return section("Rejected and superseded files", bullets(lines)) if lines else ""


def _by_family(entries: list[Entry]) -> dict[str, list[Entry]]:
    grouped = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.family_name, e.task, e.model)):
        grouped[entry.family_name].append(entry)
    return dict(grouped)


def _family_heading(name: str, members: list[Entry]) -> str:
    """``"<title> (<name>)"`` for a family, the task alone for tasks of no OpinionBench family."""
    family = members[0].family
    return f"{family.title} ({name})" if family else f"{name} ({name})"


def _compasses(entries: list[Entry], note: str | None = None) -> list[str]:
    """A section per family whose picture is a compass and that has results among ``entries``."""
    found = []
    for family in families.all_families():
        if isinstance(getattr(family.instrument, "picture", None), Compass):
            svg = compass_svg(family, entries)
            if svg:
                found.append(section(family.title, svg, note=note))
    return found


def _with_intervals(entry: Entry, samples: SampleResults) -> dict[str, dict]:
    """The entry's numbers from lm-eval's table with their 95 % intervals from its samples log
    (NaN when it has none)."""
    estimates = samples.estimates.get(entry, {})
    return {metric: {**found, **interval_of(estimates.get(metric))} for metric, found in entry.metrics().items()}


def _number(found: dict, metric: str) -> Number:
    value, uniform = found[metric], found.get(f"uniform_{metric}")
    return Number(
        value["value"], value["ci_low"], value["ci_high"], uniform["value"] if uniform else None, value["stderr"]
    )


def _country_number(row: dict, metric: str) -> Number:
    uniform = row.get(f"uniform_{metric}")
    return Number(row[metric], row[f"{metric}_ci_low"], row[f"{metric}_ci_high"], uniform)


def _model_cell(model: str, link: bool):
    return Link(model, f"{MODELS_DIR}/{page_name(model)}") if link else model
