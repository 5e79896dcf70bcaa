"""The tables of the site's family sections: every number of each (model, task) with the run
behind it, the party agreement of a party instrument, the compass of a compass family, the
persona tasks apart from the instrument's own rows (:mod:`.personas`) and the robustness spread;
full and partial runs in tables of their own."""

from __future__ import annotations

from collections import defaultdict

from opinionbench import families
from opinionbench.tasks.common.instruments import Compass

from .compass import compass_svg
from .forest import forest_svg
from .glossary import term
from .html import Header, Number, Row, runs_part, section, table
from .ingest import Entry
from .links import links_html
from .personas import CAPTION, is_persona_entry, open_closed_table, persona_results
from .samples import SampleResults
from .site_data import SiteData

PARTIAL_CAPTION = "Partial runs: not ranked with full runs"


def family_sections(data: SiteData, entries: list[Entry], root: str, *, link: bool) -> list[str]:
    """A section per family among ``entries``: its links, its full-run and partial-run tables,
    its compass and its party agreement."""
    parts = []
    for name, members in by_family(entries).items():
        family = members[0].family
        tables = [links_html(family)]
        personas = [e for e in members if is_persona_entry(e, data.samples)]
        members = [e for e in members if e not in personas]
        for partial in (False, True):
            kind = [e for e in members if e.partial == partial]
            if kind:
                found = [(e, data.samples.parties[e]) for e in kind if e in data.samples.parties]
                shown = [family_table(data, kind, root, link=link, caption=PARTIAL_CAPTION if partial else None)]
                if found:
                    shown.append(party_table(data, found, root, link=link))
                shown += [
                    stereotype_table(data, e, data.samples.stereotypes[e], root, link=link)
                    for e in kind
                    if e in data.samples.stereotypes
                ]
                tables.append(runs_part(partial, *shown))
        if isinstance(getattr(family.instrument, "picture", None), Compass):
            svg = compass_svg(family, members)
            if svg:
                tables.append(f'<p class="note">Filled: at the answers; hollow: in expectation.</p>{svg}')
        tables += [runs_part(partial, *shown) for partial, shown in persona_parts(data, personas, root, link=link)]
        heading = f"{family.title} ({name})" if family else name
        parts.append(section(heading, *tables, anchor=f"family-{name}", family=name))
    return parts


def persona_parts(data: SiteData, entries: list[Entry], root: str, *, link: bool) -> list[tuple[bool, list[str]]]:
    """Per kind of run, the persona tasks among ``entries``: their table (labelled: not plain runs),
    each one's persona values (from its samples log) and each model's open-vs-closed TVD."""
    found = []
    for partial in (False, True):
        kind = [e for e in entries if e.partial == partial]
        if not kind:
            continue
        caption = f"{PARTIAL_CAPTION}. {CAPTION}" if partial else CAPTION
        shown = [family_table(data, kind, root, link=link, caption=caption)]
        shown += [persona_results(e, data.samples.personas[e]) for e in kind if e in data.samples.personas]
        models = dict.fromkeys((e.model, e.family_name, partial) for e in kind)
        shown += [open_closed_table(data.samples.open_closed[key]) for key in models if key in data.samples.open_closed]
        found.append((partial, shown))
    return found


def family_table(data: SiteData, entries: list[Entry], root: str, *, link: bool, caption: str | None = None) -> str:
    """Rows (model, task, run), one column per metric (each with its uniform baseline)."""
    numbers = {entry: data.numbers(entry) for entry in entries}
    columns = list(dict.fromkeys(m for found in numbers.values() for m in found if not m.startswith("uniform_")))
    family = entries[0].family
    directions = entries[0].run.results.get("higher_is_better", {}).get(entries[0].task)
    headers = ["model", "task", "run"] + [Header(m, term(m, family, directions).tooltip()) for m in columns]
    rows = [
        Row(
            [data.model_cell(entry.model, root, link=link), entry.task, data.run_cell(entry)]
            + [data.number(entry, metric, root) if metric in found else None for metric in columns],
            entry.model,
            (entry.family_name,),
            entry.partial,
            entry.task,
        )
        for entry, found in numbers.items()
    ]
    return table(headers, rows, caption=caption)


def party_table(data: SiteData, found: list, root: str, *, link: bool) -> str:
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
        first = [data.model_cell(entry.model, root, link=link), entry.task, report.results["answer"]["closest_party"]]
        rows.append(Row(first + cells, entry.model, (entry.family_name,), entry.partial, entry.task))
    caption = f"{found[0][0].family.title} agreement (%) with every party"
    return table(["model", "task", "closest party", *parties], rows, caption=caption)


def stereotype_table(data: SiteData, entry: Entry, report, root: str, *, link: bool) -> str:
    """One implicit-bias entry's score per stereotype, domain and overall (n, 95 % interval, t
    against no bias), and its forest plot."""
    rows = [
        Row(
            [
                data.model_cell(entry.model, root, link=link),
                entry.task,
                row["domain"] or "all",
                row["stereotype"] or "all",
            ]
            + [row["n"], Number(row["mean"], row["ci_low"], row["ci_high"]), Number(row["t"])],
            entry.model,
            (entry.family_name,),
            entry.partial,
            entry.task,
        )
        for row in report.scored
    ]
    headers = ["model", "task", "domain", "stereotype", "n", report.label, f"t (vs {report.null:g})"]
    caption = f"{entry.task}: {report.label} per stereotype, domain and overall ({entry.model})"
    return table(headers, rows, caption=caption) + forest_svg(report.forest, null=report.null, label=report.label)


def robustness_section(data: SiteData, samples: SampleResults, root: str, *, link: bool) -> str:
    """Each summary number under the canonical prompt and its spread over all prompts."""
    rows = []
    for report in samples.robustness:
        values = {row["metric"]: row for row in report.metric_values}
        canonical = report.canonical
        for spread in (row for row in report.metric_spreads if row["prompts"] == "all"):
            value = values[spread["metric"]]
            cells = [data.model_cell(canonical.model, root, link=link), canonical.task, spread["metric"]]
            cells += [Number(value["canonical"], stderr=value["canonical_stderr"]), spread["n_prompts"]]
            cells += [Number(spread[key]) for key in ("min", "max", "range", "sd")]
            rows.append(cells)
    headers = ["model", "task", "metric", "canonical", "prompts", "min", "max", "range", "SD"]
    return section(
        "Robustness spread",
        table(headers, rows),
        note="Over the canonical prompt and every variant run (option order, labels, paraphrases); "
        "details: opinionbench robustness.",
        anchor="robustness",
    )


def by_family(entries: list[Entry]) -> dict[str, list[Entry]]:
    """The entries grouped by family (families in registry order, then other tasks), sorted."""
    order = {family.name: index for index, family in enumerate(families.all_families())}
    grouped = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (order.get(e.family_name, len(order)), e.family_name, e.task, e.model)):
        grouped[entry.family_name].append(entry)
    return dict(grouped)
