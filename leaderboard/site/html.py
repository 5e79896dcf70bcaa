"""HTML building blocks of the leaderboard site: self-contained pages (inline style and script,
no network) and sortable tables whose headers are buttons. Every piece of text is escaped here,
so data from results files (model names, task and metric names) is shown as text, never as markup."""

from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass

from .assets import CSS, SCRIPT

GENERATOR = "opinionbench leaderboard"


@dataclass(frozen=True)
class Number:
    """A table cell holding a number, its 95 % interval (or, without one, its standard error), the
    uniform answer's number, a link (to the number's questions) and what a reader must know beside it."""

    value: float
    ci_low: float = math.nan
    ci_high: float = math.nan
    uniform: float | None = None
    stderr: float = math.nan
    href: str | None = None
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A table cell linking to another page of the site."""

    text: str
    href: str


@dataclass(frozen=True)
class Details:
    """A table cell: a summary line that opens to more lines, and flags always shown."""

    summary: str
    lines: tuple[str, ...]
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Header:
    """A column header: its text, a tooltip (what the column is), a second line (the uniform
    baseline) and the family whose column it is (hidden when the filter names another family)."""

    text: str
    tooltip: str | None = None
    note: str | None = None
    family: str | None = None


@dataclass(frozen=True)
class Group:
    """A header over ``span`` columns (a family's headline numbers)."""

    text: str
    span: int
    href: str | None = None
    family: str | None = None


@dataclass(frozen=True)
class Row:
    """A table row with what the filters match: its model, families, task and kind of run."""

    cells: list
    model: str
    families: tuple[str, ...]
    partial: bool
    task: str = ""


def esc(text) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def number_text(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.4f}"


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``"1 model"``, ``"2 models"`` (``nouns``: the plural, when not ``noun + "s"``)."""
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"


def table(
    headers: list[str | Header],
    rows: list[list | Row],
    *,
    caption: str | None = None,
    groups: list[Group] | None = None,
) -> str:
    """A sortable table: a cell is text, an int, a :class:`Number`, a :class:`Link` or a
    :class:`Details`; ``groups`` are headers over several columns."""
    heads = [h if isinstance(h, Header) else Header(h) for h in headers]
    cells = [row.cells if isinstance(row, Row) else row for row in rows]
    # A header is aligned as its column: left over text (the first column always), right over numbers.
    text = [i < 1 or all(not isinstance(row[i], (Number, int)) for row in cells) for i in range(len(heads))]
    head = "".join(_header(h, i, text[i]) for i, h in enumerate(heads))
    over = ""
    if groups:
        over = "<tr>" + "".join(_group(g) for g in groups) + "</tr>"
    families = [h.family for h in heads]
    body = "\n".join(_row(row, families) for row in rows)
    title = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="scroll"><table class="sortable">{title}<thead>{over}<tr>{head}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def page(title: str, body: str, *, home: str | None = None) -> str:
    """A complete HTML page; ``home`` is the relative link back to the index (if any)."""
    back = f'<nav class="links"><a href="{esc(home)}">&larr; leaderboard</a></nav>' if home else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="{GENERATOR}"><title>{esc(title)}</title>'
        f"<style>{CSS}</style></head>\n<body>{back}<h1>{esc(title)}</h1>\n{body}\n"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def section(
    heading: str, *parts: str, note: str | None = None, anchor: str | None = None, family: str | None = None
) -> str:
    """A ``<section>`` with an ``<h2>`` heading, an optional note (text) and HTML parts; ``family``
    marks a family's section (hidden when the filter names another family)."""
    text = f'<p class="note">{esc(note)}</p>' if note else ""
    attributes = (f' id="{esc(anchor)}"' if anchor else "") + (f' data-family="{esc(family)}"' if family else "")
    return f"<section{attributes}><h2>{esc(heading)}</h2>{text}\n" + "\n".join(parts) + "</section>"


def runs_part(partial: bool, *parts: str) -> str:
    """Parts that show one kind of run (hidden when the filter asks for the other kind)."""
    return f'<div data-runs="{"partial" if partial else "full"}">' + "\n".join(parts) + "</div>"


def bullets(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


def page_name(*parts: str) -> str:
    """A file name for the page of ``parts`` (a model, or a model, task and kind of run): letters,
    digits, ``_`` and ``-`` from them (never a separator, a dot or ``..``) and a hash of them all,
    so distinct names never collide."""
    whole = "\0".join(parts)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", "-".join(parts)).strip("_-")[-60:] or "model"
    return f"{stem}-{hashlib.sha256(whole.encode('utf-8')).hexdigest()[:10]}.html"


def _header(header: Header, index: int, text: bool) -> str:
    label = f'<abbr title="{esc(header.tooltip)}">{esc(header.text)}</abbr>' if header.tooltip else esc(header.text)
    note = f'<br><small class="baseline">{esc(header.note)}</small>' if header.note else ""
    attributes = ' class="text"' if text else ""
    attributes += f' data-family-column="{esc(header.family)}"' if header.family else ""
    return f'<th scope="col" data-column="{index}"{attributes}><button type="button">{label}</button>{note}</th>'


def _group(group: Group) -> str:
    label = f'<a href="{esc(group.href)}">{esc(group.text)}</a>' if group.href else esc(group.text)
    family = f' data-family-column="{esc(group.family)}"' if group.family else ""
    return f'<th scope="colgroup" colspan="{group.span}" class="text"{family}>{label}</th>'


def _row(row: list | Row, families: list[str | None]) -> str:
    if isinstance(row, Row):
        search = f"{row.model} {row.task}".lower()
        opening = (
            f'<tr data-model="{esc(row.model)}" data-family="{esc(" ".join(row.families))}" '
            f'data-run="{"partial" if row.partial else "full"}" data-search="{esc(search)}">'
        )
        cells = row.cells
    else:
        opening, cells = "<tr>", row
    return opening + "".join(_cell(cell, family) for cell, family in zip(cells, families)) + "</tr>"


def _cell(cell, family: str | None) -> str:
    column = f' data-family-column="{esc(family)}"' if family else ""
    if isinstance(cell, Number):
        return _number(cell, column)
    if isinstance(cell, Link):
        return f'<td class="text"{column}><a href="{esc(cell.href)}">{esc(cell.text)}</a></td>'
    if isinstance(cell, Details):
        flags = "".join(f'<small class="flag">&#9888; {esc(flag)}</small>' for flag in cell.flags)
        lines = "<br>".join(esc(line) for line in cell.lines)
        return (
            f'<td class="text"{column}>{flags}<details class="run"><summary>{esc(cell.summary)}</summary>'
            f"<small>{lines}</small></details></td>"
        )
    if cell is None:
        return f'<td class="text"{column}></td>'
    if isinstance(cell, int):
        return f'<td data-value="{cell}"{column}>{cell}</td>'
    return f'<td class="text"{column}>{esc(cell)}</td>'


def _number(cell: Number, column: str) -> str:
    if not (math.isnan(cell.ci_low) and math.isnan(cell.ci_high)):
        interval = f" <small>[{number_text(cell.ci_low)}, {number_text(cell.ci_high)}]</small>"
    else:
        interval = "" if math.isnan(cell.stderr) else f" <small>&plusmn; {number_text(cell.stderr)}</small>"
    uniform = (
        f'<br><small class="baseline">uniform {number_text(cell.uniform)}</small>' if cell.uniform is not None else ""
    )
    data = f'data-value="{cell.value!r}" data-ci-low="{cell.ci_low!r}" data-ci-high="{cell.ci_high!r}"'
    data += f' data-stderr="{cell.stderr!r}"'
    if cell.uniform is not None:
        data += f' data-uniform="{cell.uniform!r}"'
    value = number_text(cell.value)
    if cell.href:
        value = f'<a href="{esc(cell.href)}">{value}</a>'
    flags = "".join(f'<small class="flag">&#9888; {esc(flag)}</small>' for flag in cell.flags)
    return f"<td {data}{column}>{value}{interval}{uniform}{flags}</td>"
