"""The landing table, as the Open LLM Leaderboard has it: one row per model and, per benchmark
family, its headline numbers (:attr:`Family.headline`) of one task, each with its interval,
the uniform baseline in the header and the run's flags beside it; sortable. Full runs are ranked
in one table, partial runs are listed in another, never together."""

from __future__ import annotations

import math

from opinionbench import families
from opinionbench.families import Family
from opinionbench.tasks.common.persona_conditions import reports_personas

from .glossary import term
from .html import Group, Header, Row, esc, number_text, runs_part, table
from .ingest import Entry
from .site_data import SiteData


def overview_section(data: SiteData) -> str:
    """The overview: the ranked table of full runs, then the partial runs apart."""
    full = _table(data, [e for e in data.entries if not e.partial])
    partial = _table(data, [e for e in data.entries if e.partial])
    parts = []
    if full:
        parts.append(runs_part(False, full))
    if partial:
        parts.append(
            runs_part(
                True,
                '<h3 class="partial">Partial runs (not ranked with full runs)</h3>'
                '<p class="note">These runs scored only some of the documents (lm-eval --limit or --samples); '
                "each number says how many.</p>",
                partial,
            )
        )
    note = (
        "One row per model; per benchmark family its headline numbers with the 95 % interval, the uniform "
        "answer's number in the header; click a header (or Tab to it and press Enter) to sort, a number for "
        "its questions."
    )
    return f'<section id="overview"><h2>Overview</h2><p class="note">{esc(note)}</p>' + "\n".join(parts) + "</section>"


def headline_task(family: Family, entries: list[Entry]) -> str | None:
    """The task whose numbers stand for ``family``: its canonical task, else the first (by name)
    of its tasks among ``entries`` that reports every headline number (never a persona task, whose
    numbers are a base case's, not the instrument's plain run)."""
    if family.canonical_task:
        return family.canonical_task
    tasks = sorted(
        {
            e.task
            for e in entries
            if e.family == family and set(family.headline) <= set(e.metrics()) and not reports_personas(e.metrics())
        }
    )
    return tasks[0] if tasks else None


def _table(data: SiteData, entries: list[Entry]) -> str:
    columns = []  # (family, {model: entry})
    for family in families.all_families():
        task = headline_task(family, entries) if family.headline else None
        by_model = {e.model: e for e in entries if e.task == task}
        if by_model:
            columns.append((family, by_model))
    if not columns:
        return ""
    models = sorted({model for _, by_model in columns for model in by_model})
    groups = [Group("", 1)]
    headers = [Header("model")]
    for family, by_model in columns:
        groups.append(
            Group(f"{family.title} ({_task(by_model)})", len(family.headline), f"#family-{family.name}", family.name)
        )
        for metric in family.headline:
            some = next(iter(by_model.values()))
            tooltip = term(metric, family, some.run.results.get("higher_is_better", {}).get(some.task)).tooltip()
            headers.append(Header(metric, tooltip, _uniform_note(data, by_model.values(), metric), family.name))
    rows = []
    for model in models:
        cells = [data.model_cell(model, "", link=True)]
        present = []
        for family, by_model in columns:
            entry = by_model.get(model)
            if entry:
                present.append(family.name)
            for metric in family.headline:
                known = entry is not None and metric in data.numbers(entry)
                cells.append(data.number(entry, metric, "", flagged=True) if known else None)
        rows.append(Row(cells, model, tuple(present), partial=entries[0].partial))
    return table(headers, rows, groups=groups)


def _task(by_model: dict[str, Entry]) -> str:
    return next(iter(by_model.values())).task


def _uniform_note(data: SiteData, entries, metric: str) -> str | None:
    """``"uniform 0.6745"`` (or the range, where the runs' baselines differ), ``None`` without one."""
    values = [data.numbers(e)[f"uniform_{metric}"]["value"] for e in entries if f"uniform_{metric}" in data.numbers(e)]
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return None
    low, high = min(values), max(values)
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
        return f"uniform {number_text(low)}"
    return f"uniform {number_text(low)}–{number_text(high)}"
