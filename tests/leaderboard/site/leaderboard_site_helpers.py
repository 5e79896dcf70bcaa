"""What the site's tests share: results files in lm-eval 0.4's schema, a parser of the site's
tables, and Chromium driven by Playwright (Debian's chromium: no browser download), online or with
the network off. Imported by the tests of this folder (its conftest puts it on the path)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import datasets
import pytest

REPO = Path(__file__).resolve().parents[3]
SCREENSHOTS = REPO / "build" / "screenshots"

# metric -> (value, standard error) in lm-eval's table
PCT = {"econ": (-1.5, 0.5), "soc": (2.25, 0.75), "uniform_econ": (0.3, 0.1), "uniform_soc": (-0.2, 0.1)}
MENA = {"js_similarity": (0.4429, 0.006), "uniform_js_similarity": (0.6745, 0.002)}


def results_json(
    model: str,
    tasks: dict[str, dict],
    *,
    date: float = 1.0e9,
    documents: int = 10,
    scored: int | None = None,
    display_name: str | None = None,
    chat_template: bool = True,
) -> dict:
    """A results file in lm-eval 0.4's schema: ``tasks`` maps a task to ``{metric: (value, stderr)}``;
    each task has ``documents``, of which the run scored ``scored`` (all by default); the model is
    named ``model`` (``model_name``) or, explicitly, ``display_name`` (``--metadata``)."""
    results = {}
    for task, metrics in tasks.items():
        row = {"name": task, "alias": task, "sample_len": scored or documents}
        for metric, (value, stderr) in metrics.items():
            row |= {f"{metric},none": value, f"{metric}_stderr,none": stderr, f"{metric}_stderr_stderr,none": "N/A"}
        results[task] = row
    metadata = {"display_name": display_name} if display_name else {}
    return {
        "results": results,
        "group_subtasks": {task: [] for task in tasks},
        "configs": {task: {"task": task, "num_fewshot": 0, "metadata": metadata} for task in tasks},
        "versions": {task: 1.0 for task in tasks},
        "n-shot": {task: 0 for task in tasks},
        "higher_is_better": {task: {} for task in tasks},
        "n-samples": {task: {"original": documents, "effective": scored or documents} for task in tasks},
        "config": {"model": "hf", "model_args": f"pretrained={model}", "batch_size": "1", "model_dtype": "float32"},
        "model_name": model,
        "model_name_sanitized": model.replace("/", "__"),
        "chat_template": "{{ messages }}" if chat_template else None,
        "lm_eval_version": "0.4.13",
        "date": date,
    }


def write_results(root: Path, model: str, tasks: dict[str, dict], *, stamp: str = "2026-01-01T00-00-00", **kw) -> Path:
    folder = root / f"run_{stamp}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"results_{stamp}.json"
    path.write_text(json.dumps(results_json(model, tasks, **kw)), encoding="utf-8")
    return path


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Table:
    """One table of a page: the id of its section, the kind of run it holds, its caption, the texts
    of its last header row (the sortable one), each header's tooltip and second line, and its body
    rows (per row its attributes and its cells' text and attributes)."""

    section: str | None
    runs: str | None  # "full" or "partial" for a table of one kind of run
    caption: str = ""
    headers: list[str] = field(default_factory=list)
    tooltips: list[str | None] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # each header's second line (the uniform baseline)
    rows: list[tuple[dict, list[dict]]] = field(default_factory=list)

    def column(self, name: str) -> int:
        return self.headers.index(name)

    def cells(self, name: str) -> dict[str, dict]:
        """First cell text -> the cell of column ``name``, per body row."""
        index = self.column(name)
        return {cells[0]["text"]: cells[index] for _, cells in self.rows}


class Page(HTMLParser):
    """A site page: its tables, every start tag with its attributes, the scripts' text, the text
    of every element with an id, and the page's whole text."""

    def __init__(self, text: str):
        super().__init__()
        self.tables: list[Table] = []
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.text = ""
        self._sections: list[str | None] = []
        self._runs: list[str | None] = []
        self._table: Table | None = None
        self._cell: dict | None = None
        self._in_head = False
        self._header: list[str] = []
        self._caption = False
        self._stack: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag not in _VOID:
            self._stack.append(tag)
        if tag == "section":
            self._sections.append(attributes.get("id"))
        elif tag == "div":
            self._runs.append(attributes.get("data-runs"))
        elif tag == "table":
            section = next((s for s in reversed(self._sections) if s), None)
            self._table = Table(section, next((r for r in reversed(self._runs) if r), None))
        elif self._table is None:
            return
        elif tag == "thead":
            self._in_head = True
        elif tag == "caption":
            self._caption = True
        elif tag == "tr" and self._in_head:
            self._header, self._table.tooltips, self._table.notes = [], [], []
        elif tag == "tr":
            self._table.rows.append((attributes, []))
        elif tag == "th" and self._in_head:
            self._header.append("")
            self._table.tooltips.append(None)
            self._table.notes.append("")
        elif tag == "abbr" and self._in_head and self._header:
            self._table.tooltips[-1] = attributes.get("title")
        elif tag == "td" and self._table.rows:
            self._cell = {"text": "", **attributes}
            self._table.rows[-1][1].append(self._cell)

    def handle_endtag(self, tag):
        if tag in self._stack:
            del self._stack[len(self._stack) - 1 - self._stack[::-1].index(tag) :]
        if tag == "section" and self._sections:
            self._sections.pop()
        elif tag == "div" and self._runs:
            self._runs.pop()
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        elif tag == "thead":
            self._in_head = False
            self._table.headers = [h.strip() for h in self._header]
        elif tag == "caption":
            self._caption = False
        elif tag == "td":
            self._cell = None

    def handle_data(self, data):
        self.text += data
        if self._stack and self._stack[-1] == "script":
            self.scripts.append(data)
        if self._table is None:
            return
        if self._caption:
            self._table.caption += data
        elif self._in_head and self._header and "small" in self._stack:
            self._table.notes[-1] += data
        elif self._in_head and self._header:
            self._header[-1] += data
        elif self._cell is not None:
            self._cell["text"] += data

    def table(self, section: str, caption: str = "", runs: str | None = None) -> Table:
        """The table of section ``section`` with that caption (by default: without one) and, if
        given, of that kind of run."""
        [found] = [
            t
            for t in self.tables
            if t.section == section and t.caption.strip() == caption and (runs is None or t.runs == runs)
        ]
        return found


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def load(site: Path) -> datasets.Dataset:
    """The site's dataset, as a user loads it (a private cache: each test's site is new)."""
    return datasets.load_dataset(str(site / "data"), split="test", cache_dir=str(site.parent / "hf_cache"))


def chromium() -> str:
    """Debian's chromium (the README's test command installs it)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("no chromium on PATH: the README's test command installs Debian's chromium (apt-get)")
    return found


class Watched:
    """A page of a browser context with its console errors, page errors, dialogs, requests and
    failed requests recorded. ``offline``: the network is off (every request but ``file:`` fails)."""

    def __init__(self, browser, url: str, *, width: int = 1280, offline: bool = False):
        self.errors, self.dialogs, self.requests, self.failed = [], [], [], []
        self.context = browser.new_context(viewport={"width": width, "height": 900}, offline=offline)
        if offline:
            self.context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url}: {r.failure}"))
        self.page.goto(url, wait_until="load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert self.errors == [] and self.dialogs == [] and self.failed == []

    def screenshot(self, name: str, selector: str | None = None) -> Path:
        """A screenshot of the page (or of the first element matching ``selector``) in ``build/screenshots``."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        if selector:
            self.page.locator(selector).first.screenshot(path=str(path))
        else:
            self.page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 1000
        return path

    def close(self) -> None:
        self.context.close()


def drawn_countries(page) -> list[dict]:
    """The map's countries with a value: their name and on-screen size."""
    return page.eval_on_selector_all(
        "svg.world-map path.country",
        "ps => ps.map(p => {const b = p.getBoundingClientRect(); "
        "return {name: p.getAttribute('data-name'), width: b.width, height: b.height};})",
    )
