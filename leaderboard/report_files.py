"""``opinionbench report``: the report folder, with per run and task its tables and plots
(per country for survey-distribution tasks, per instrument for political ones), one compass of
every PCT result, and an index README.md."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from opinionbench.atomic import atomic_folder

from . import country_files, instrument_files
from .country_report import CountryReport
from .instrument_plots import compass_figure, compass_points, save
from .instrument_report import InstrumentReport
from .tables import write_csv

HEADING = "# OpinionBench report"
COMPASS = {"compass": "compass.png", "points": "compass.csv"}  # shared by all PCT results of the report


def write_report(reports: list[tuple[str, CountryReport | InstrumentReport]], out_dir: str | Path) -> Path:
    """Write every ``(run label, report)`` into ``out_dir/<run label>/<task>/`` and an index README.md."""
    index = [HEADING, ""]
    with atomic_folder(out_dir, ours=_is_report) as staging:
        points = compass_points([(label, report) for label, report in reports if isinstance(report, InstrumentReport)])
        if points:
            save(compass_figure(points, title="Political Compass Test"), staging / COMPASS["compass"])
            write_csv([dataclasses.asdict(point) for point in points], staging / COMPASS["points"])
            links = ", ".join(f"[{name}]({file})" for name, file in COMPASS.items())
            index += [f"Every Political Compass result of this report on one compass: {links}", ""]
        for label, report in reports:
            folder = staging / _safe_name(label) / _safe_name(report.scores.task)
            folder.mkdir(parents=True)
            title = f"{report.scores.task} — {report.scores.model}"
            files = instrument_files if isinstance(report, InstrumentReport) else country_files
            relative = folder.relative_to(staging).as_posix()
            written = files.write_files(report, folder, title)
            links = ", ".join(f"[{name}]({relative}/{file})" for name, file in written.items())
            index += [f"## {title}", "", *files.index_lines(report, links), ""]
        (staging / "README.md").write_text("\n".join(index), encoding="utf-8")
    return Path(out_dir)


def _safe_name(text: str) -> str:
    """A file name from a model or task name (no separators, no leading dot)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).lstrip(".") or "_"


def _is_report(folder: Path) -> bool:
    readme = folder / "README.md"
    return readme.is_file() and readme.read_text(encoding="utf-8").startswith(HEADING)
