"""``opinionbench leaderboard build``: from lm-eval output folders to a self-contained static
site (``index.html``, ``models/<model>.html``, ``questions/<model>-<task>.html``) and the
aggregated results as a dataset (``data/``), written atomically."""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from opinionbench.atomic import atomic_folder
from opinionbench.errors import OpinionBenchError

from .dataset import result_rows, write_dataset
from .html import GENERATOR, page_name, plural
from .ingest import ingest
from .links import MODELS_DIR, QUESTIONS_DIR, questions_name
from .pages import index_page, model_page
from .questions import questions_page
from .samples import sample_results
from .site_data import SiteData


def build_site(
    output_paths: str | Path | Iterable[str | Path], out_dir: str | Path, *, timings: dict[str, float] | None = None
) -> Path:
    """Build the site into ``out_dir`` from every results file under ``output_paths``.

    Rejected files are printed and listed on the site; :class:`OpinionBenchError` when no file
    is usable. ``timings`` (if given) receives the seconds spent per stage.
    """
    paths = [output_paths] if isinstance(output_paths, (str, Path)) else list(output_paths)
    timings = {} if timings is None else timings
    with _stage(timings, "ingest"):
        ingested = ingest(paths)
    for rejected in ingested.rejected:
        print(f"rejected {rejected.shown}: {rejected.reason}")
    for old, new in ingested.superseded:
        print(f"superseded {ingested.shown(old)} ({old.model}, {old.task}) by {ingested.shown(new)}")
    if not ingested.entries:
        raise OpinionBenchError(f"{', '.join(map(str, paths))}: no valid lm-eval results file.")
    with _stage(timings, "samples"):
        data = SiteData(ingested, sample_results(ingested))
    for note in data.samples.notes:
        print(note)
    with _stage(timings, "dataset rows"):
        rows = result_rows(data)
    with _stage(timings, "pages"):
        pages = {"index.html": index_page(data)}
        pages |= {f"{MODELS_DIR}/{page_name(m)}": model_page(m, data) for m in ingested.models()}
        pages |= {
            f"{QUESTIONS_DIR}/{questions_name(e)}": questions_page(data, e)
            for e in data.entries
            if data.has_questions(e)
        }
    with _stage(timings, "write"), atomic_folder(out_dir, ours=is_site_folder) as staging:
        (staging / MODELS_DIR).mkdir()
        (staging / QUESTIONS_DIR).mkdir()
        for name, text in pages.items():
            (staging / name).write_text(text, encoding="utf-8")
        write_dataset(rows, ingested, staging / "data")
    models, results = plural(len(ingested.models()), "model"), plural(len(ingested.entries), "result")
    print(f"{models}, {results}, {plural(len(rows), 'number')}")
    return Path(out_dir).expanduser().absolute()


def is_site_folder(folder: Path) -> bool:
    index = folder / "index.html"
    return index.is_file() and f'content="{GENERATOR}"' in index.read_text(encoding="utf-8", errors="replace")[:2000]


@contextmanager
def _stage(timings: dict[str, float], name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start
