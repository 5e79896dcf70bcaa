"""The site's index and model pages. The index: the overview (one row per model, the families'
headline numbers; partial runs apart), the filters, a section per family (every number, the run
behind it, the family's links, compass and party agreement), the robustness spread, the
glossary, and the rejected and superseded files. A model's page: its runs' metadata, its numbers
per family, links to its per-question pages, its compass (not the index again)."""

from __future__ import annotations

from dataclasses import astuple

from opinionbench import families

from .glossary import Term, term
from .html import Link, bullets, esc, page, plural, section, table
from .ingest import Entry
from .links import questions_href
from .overview import overview_section
from .samples import SampleResults
from .site_data import SiteData, field_text
from .tables import by_family, family_sections, robustness_section

TITLE = "OpinionBench leaderboard"


def index_page(data: SiteData) -> str:
    """The leaderboard's front page."""
    entries = data.entries
    partial = sum(entry.partial for entry in entries)
    parts = [
        (
            f"<p>{plural(len(data.ingested.models()), 'model')}, {plural(len(entries), 'result')} "
            f"({len(entries) - partial} full, {plural(partial, 'partial run')}). Data: "
            f'<a href="data/README.md">data/</a> (results.parquet, results.jsonl). Every number with its 95 % interval '
            'in brackets; what each number means: <a href="#glossary">glossary</a>.</p>'
        ),
        _filters(entries),
        overview_section(data),
        *family_sections(data, entries, "", link=True),
    ]
    if data.samples.robustness:
        parts.append(robustness_section(data, data.samples, "", link=True))
    parts.append(glossary_section(data, entries))
    if data.samples.notes:
        parts.append(section("Samples logs not used", bullets(data.samples.notes)))
    parts.append(_problems(data))
    return page(TITLE, "\n".join(parts))


def model_page(model: str, data: SiteData) -> str:
    """One model's page: its runs, its numbers per family (with its compass), its robustness
    spread and superseded runs."""
    entries = [entry for entry in data.entries if entry.model == model]
    parts = [
        f"<p>Model <code>{esc(model)}</code>: {plural(len(entries), 'result')}.</p>",
        section("Runs", run_table(data, entries), anchor="runs"),
        *family_sections(data, entries, "../", link=False),
    ]
    own = SampleResults(robustness=[r for r in data.samples.robustness if r.canonical.model == model])
    if own.robustness:
        parts.append(robustness_section(data, own, "../", link=False))
    parts.append(glossary_section(data, entries))
    older = [f"{old.task}: {data.ingested.shown(old)}" for old, _ in data.ingested.superseded if old.model == model]
    if older:
        parts.append(section("Superseded runs", bullets(older), note="A later run of the same task counts instead."))
    return page(model, "\n".join(parts), home="../index.html")


def run_table(data: SiteData, entries: list[Entry]) -> str:
    """One row per entry: the run's metadata (``RunInfo.fields``), its flags, questions and file."""
    rows, names = [], []
    for members in by_family(entries).values():
        for entry in members:
            fields = entry.run.info.fields(entry.task)
            fields.pop("model")
            names = list(fields)
            link = Link("questions", questions_href(entry, "../")) if data.has_questions(entry) else None
            values = [field_text(v) if not isinstance(v, int) or isinstance(v, bool) else v for v in fields.values()]
            flags = "; ".join(data.flags(entry)) or "none"
            rows.append([entry.task, link, flags, *values, data.ingested.shown(entry)])
    headers = ["task", "per question", "flags", *(name.replace("_", " ") for name in names), "file"]
    return table(headers, rows)


def glossary_section(data: SiteData, entries: list[Entry]) -> str:
    """Every metric of ``entries``: what it measures, its range and direction (once per meaning,
    with the families that report it)."""
    found: dict[tuple, list[str]] = {}
    for members in by_family(entries).values():
        family = members[0].family
        label = family.title if family else members[0].family_name
        for entry in members:
            directions = entry.run.results.get("higher_is_better", {}).get(entry.task)
            for metric in data.numbers(entry):
                labels = found.setdefault(astuple(term(metric, family, directions)), [])
                if label not in labels:
                    labels.append(label)
    items = [
        f"<dt><code>{esc(metric)}</code> <small>({esc(', '.join(labels))})</small></dt>"
        f"<dd>{esc(meaning)} <small>Range {esc(scale)}; {esc(Term(metric, meaning, scale, better).direction)}.</small></dd>"
        for (metric, meaning, scale, better), labels in found.items()
    ]
    return section("Glossary", f'<dl class="glossary">{"".join(items)}</dl>', anchor="glossary")


def _filters(entries: list[Entry]) -> str:
    present = {entry.family_name for entry in entries}
    options = "".join(
        f'<option value="{esc(f.name)}">{esc(f.title)}</option>' for f in families.all_families() if f.name in present
    )
    options += "".join(
        f'<option value="{esc(name)}">{esc(name)}</option>'
        for name in sorted(present - {f.name for f in families.all_families()})
    )
    return (
        '<form id="filters" class="filters" role="search" aria-label="Filter the tables">'
        '<label>Search models and tasks <input type="search" name="text" placeholder="model or task"></label>'
        f'<label>Family <select name="family"><option value="">all families</option>{options}</select></label>'
        '<label>Runs <select name="run"><option value="">full and partial</option>'
        '<option value="full">full runs</option><option value="partial">partial runs</option></select></label>'
        '<output aria-live="polite"></output></form>'
    )


def _problems(data: SiteData) -> str:
    ingested = data.ingested
    lines = [f"rejected {r.shown}: {r.reason}" for r in ingested.rejected]
    lines += [
        f"superseded {ingested.shown(old)} ({old.model}, {old.task}) by {ingested.shown(new)}"
        for old, new in ingested.superseded
    ]
    return section("Rejected and superseded files", bullets(lines), anchor="problems") if lines else ""
