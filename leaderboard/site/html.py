"""HTML building blocks of the leaderboard site: self-contained pages (inline CSS and a small
sorting script, no network) and sortable tables. Every piece of text is escaped here, so data
from results files (model names, task and metric names) is shown as text, never as markup."""

from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass

GENERATOR = "opinionbench leaderboard"
CSS = """body{font-family:system-ui,sans-serif;max-width:1200px;margin:auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.9em}
td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right;vertical-align:top}
td.text,th.text{text-align:left}th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
ul.legend{list-style:none;padding:0;columns:2}small{color:#666}.baseline{color:#b03030}.note{color:#666;font-size:0.9em}.scroll{overflow-x:auto}"""
# Sorts a table's body rows on a header click: numbers (a cell's data-value, else its text)
# numerically, before text; text in natural order; a second click reverses.
SORT_JS = """document.querySelectorAll("table.sortable th").forEach(function(th){
th.addEventListener("click",function(){
var row=th.parentNode,body=th.closest("table").tBodies[0],i=Array.prototype.indexOf.call(row.children,th);
var asc=th.getAttribute("aria-sort")!=="ascending";
row.querySelectorAll("th").forEach(function(h){h.removeAttribute("aria-sort");});
th.setAttribute("aria-sort",asc?"ascending":"descending");
function key(r){var c=r.children[i];if(!c)return "";var v=c.getAttribute("data-value");
return v===null?c.textContent.trim():v;}
function num(v){return v!==""&&isFinite(v)?parseFloat(v):null;}
var rows=Array.prototype.slice.call(body.rows);
rows.sort(function(a,b){var x=key(a),y=key(b),nx=num(x),ny=num(y),r;
if(nx!==null&&ny!==null)r=nx-ny;else if(nx!==null)r=-1;else if(ny!==null)r=1;
else r=x.localeCompare(y,undefined,{numeric:true});
return asc?r:-r;});
rows.forEach(function(r){body.appendChild(r);});});});"""


@dataclass(frozen=True)
class Number:
    """A table cell holding a number, its 95 % interval (or, without one, its standard error) and
    the uniform answer's number."""

    value: float
    ci_low: float = math.nan
    ci_high: float = math.nan
    uniform: float | None = None
    stderr: float = math.nan


@dataclass(frozen=True)
class Link:
    """A table cell linking to another page of the site."""

    text: str
    href: str


def esc(text) -> str:
    """``text`` escaped for HTML text and attribute values."""
    return html.escape(str(text), quote=True)


def number_text(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.4f}"


def table(headers: list[str], rows: list[list], *, caption: str | None = None) -> str:
    """A sortable table; a cell is text, a :class:`Number` or a :class:`Link`."""
    # A header is aligned as its column: left over text (the first column always), right over numbers.
    text = [i < 1 or (rows and all(not isinstance(row[i], (Number, int)) for row in rows)) for i in range(len(headers))]
    head = "".join(
        f'<th class="text">{esc(h)}</th>' if text[i] else f"<th>{esc(h)}</th>" for i, h in enumerate(headers)
    )
    body = "\n".join("<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in rows)
    title = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="scroll"><table class="sortable">{title}<thead><tr>{head}</tr></thead>'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def page(title: str, body: str, *, home: str | None = None) -> str:
    """A complete HTML page; ``home`` is the relative link back to the index (if any)."""
    back = f'<p><a href="{esc(home)}">&larr; leaderboard</a></p>' if home else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="generator" content="{GENERATOR}"><title>{esc(title)}</title>'
        f"<style>{CSS}</style></head>\n<body>{back}<h1>{esc(title)}</h1>\n{body}\n"
        f"<script>{SORT_JS}</script></body></html>\n"
    )


def section(heading: str, *parts: str, note: str | None = None) -> str:
    """An ``<h2>`` section: the heading, an optional note (text), and HTML parts."""
    text = f'<p class="note">{esc(note)}</p>' if note else ""
    return f"<h2>{esc(heading)}</h2>{text}\n" + "\n".join(parts)


def bullets(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


def page_name(model: str) -> str:
    """A file name for ``model``'s page: letters, digits, ``_`` and ``-`` from the name (never a
    separator, a dot or ``..``) and a hash of the whole name, so distinct names never collide."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", model).strip("_-")[-60:] or "model"
    return f"{stem}-{hashlib.sha256(model.encode('utf-8')).hexdigest()[:10]}.html"


def _cell(cell) -> str:
    if isinstance(cell, Number):
        if not (math.isnan(cell.ci_low) and math.isnan(cell.ci_high)):
            interval = f" <small>[{number_text(cell.ci_low)}, {number_text(cell.ci_high)}]</small>"
        else:
            interval = "" if math.isnan(cell.stderr) else f" <small>&plusmn; {number_text(cell.stderr)}</small>"
        uniform = (
            f'<br><small class="baseline">uniform {number_text(cell.uniform)}</small>'
            if cell.uniform is not None
            else ""
        )
        data = f'data-value="{cell.value!r}" data-ci-low="{cell.ci_low!r}" data-ci-high="{cell.ci_high!r}"'
        data += f' data-stderr="{cell.stderr!r}"'
        if cell.uniform is not None:
            data += f' data-uniform="{cell.uniform!r}"'
        return f"<td {data}>{number_text(cell.value)}{interval}{uniform}</td>"
    if isinstance(cell, Link):
        return f'<td class="text"><a href="{esc(cell.href)}">{esc(cell.text)}</a></td>'
    if cell is None:
        return '<td class="text"></td>'
    if isinstance(cell, int):
        return f'<td data-value="{cell}">{cell}</td>'
    return f'<td class="text">{esc(cell)}</td>'
