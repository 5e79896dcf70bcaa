"""``opinionbench report``: the report folder, with per run and task its tables and plots
(per country for survey-distribution tasks, per instrument for political ones), per model its
MENAValues cross-condition metrics, one compass of every PCT result, and an index README.md."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from opinionbench.atomic import atomic_folder

from . import country_files, instrument_files, mena_condition_files, worldview_files
from .country_report import CountryReport
from .instrument_plots import compass_figure, compass_points, save
from .instrument_report import InstrumentReport
from .mena_conditions import ConditionsReport
from .tables import write_csv
from .worldview_report import WorldViewReport

HEADING = "# OpinionBench report"
COMPASS = {"compass": "compass.png", "points": "compass.csv"}  # shared by all PCT results of the report


def write_report(
    reports: list[tuple[str, CountryReport | InstrumentReport | WorldViewReport]],
    out_dir: str | Path,
    *,
    conditions: list[tuple[str, ConditionsReport]] = (),
) -> Path:
    """Write every ``(run label, report)`` into ``out_dir/<run label>/<task>/``, every
    ``(model label, MENAValues conditions)`` into ``out_dir/<model label>/mena_values_conditions/``,
    and an index README.md."""
    index = [HEADING, ""]
    with atomic_folder(out_dir, ours=_is_report) as staging:
        points = compass_points([(label, report) for label, report in reports if isinstance(report, InstrumentReport)])
        if points:
            save(compass_figure(points, title="Political Compass Test"), staging / COMPASS["compass"])
            write_csv([dataclasses.asdict(point) for point in points], staging / COMPASS["points"])
            links = ", ".join(f"[{name}]({file})" for name, file in COMPASS.items())
            index += [f"Every Political Compass result of this report on one compass: {links}", ""]
        for label, report in reports:
            files = _FILES.get(type(report), country_files)
            title = f"{report.scores.task} — {report.scores.model}"
            index += write_section(staging, (label, report.scores.task), files, report, title)
        for label, report in conditions:
            title = f"MENAValues conditions — {report.model}"
            index += write_section(staging, (label, mena_condition_files.FOLDER), mena_condition_files, report, title)
        (staging / "README.md").write_text("\n".join(index), encoding="utf-8")
    return Path(out_dir)


_FILES = {InstrumentReport: instrument_files, WorldViewReport: worldview_files}


def write_section(staging: Path, names: tuple[str, str], files, report, title: str) -> list[str]:
    """Write ``report``'s files (module ``files``) into ``staging/<names>/``; returns its index section."""
    folder = staging.joinpath(*map(_safe_name, names))
    folder.mkdir(parents=True)
    relative = folder.relative_to(staging).as_posix()
    written = files.write_files(report, folder, title)
    links = ", ".join(f"[{name}]({relative}/{file})" for name, file in written.items())
    return [f"## {title}", "", *files.index_lines(report, links), ""]


def _safe_name(text: str) -> str:
    """A file name from a model or task name (no separators, no leading dot)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).lstrip(".") or "_"


def _is_report(folder: Path) -> bool:
    readme = folder / "README.md"
    return readme.is_file() and readme.read_text(encoding="utf-8").startswith(HEADING)
