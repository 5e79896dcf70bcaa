"""``opinionbench report``: the report folder, with per run and task its tables and plots (by the
kind of the task's family: per country for surveys, per instrument for the instruments, per
perspective and domain for open-ended benchmarks), per model and family its cross-condition
metrics, per compass family one compass of all its results, and an index README.md. A persona task
has its own files (:mod:`.persona_files`), and a cross-condition result may name its own files
module (``files_module``; MENAValues' are :mod:`.condition_files`)."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

from opinionbench import families
from opinionbench.atomic import atomic_folder
from opinionbench.families import Family, Kind
from opinionbench.tasks.common.instruments import Compass

from . import condition_files, implicit_bias_files, instrument_files, open_ended_files, persona_files, survey_files
from .instrument_plots import compass_figure, compass_points, save
from .instrument_report import InstrumentReport
from .persona_report import PersonaReport
from .tables import write_csv

HEADING = "# OpinionBench report"
# The files of each task's report, by its family's kind.
FILES = {
    Kind.SURVEY: survey_files,
    Kind.AXIS_INSTRUMENT: instrument_files,
    Kind.PARTY_AGREEMENT: instrument_files,
    Kind.OPEN_ENDED: open_ended_files,
    Kind.IMPLICIT_BIAS: implicit_bias_files,
}


def write_report(reports: list[tuple[str, object]], out_dir: str | Path, *, conditions: list[tuple] = ()) -> Path:
    """Write every ``(run label, task report)`` into ``out_dir/<run label>/<task>/``, every
    ``(model label, family, cross-condition metrics)`` into ``out_dir/<model label>/<family>_conditions/``,
    and an index README.md."""
    index = [HEADING, ""]
    with atomic_folder(out_dir, ours=_is_report) as staging:
        for family in _compass_families():
            shown = [
                (label, r) for label, r in reports if r.scores.family == family and isinstance(r, InstrumentReport)
            ]
            index += _write_compass(staging, family, shown)
        for label, report in reports:
            partial = " (partial run)" if report.scores.partial else ""
            title = f"{report.scores.task} — {report.scores.model}{partial}"
            files, notes = files_of(report), report.scores.run_lines()
            index += write_section(staging, (label, report.scores.task), files, report, title, notes)
        for label, family, report in conditions:
            files = conditions_files(report)
            title = f"{family.title} {files.HEADING} — {report.model}"
            index += write_section(staging, (label, files.folder_name(family.name)), files, report, title)
        (staging / "README.md").write_text("\n".join(index), encoding="utf-8")
    return Path(out_dir)


def files_of(report):
    """The files module of a task's report: a persona task's own, else its family kind's."""
    return persona_files if isinstance(report, PersonaReport) else FILES[report.scores.family.kind]


def conditions_files(report):
    """The files module of a cross-condition result: the one it names (``files_module``), else
    :mod:`.condition_files`."""
    name = getattr(report, "files_module", None)
    return import_module(name) if name else condition_files


def _compass_families() -> list[Family]:
    return [f for f in families.all_families() if isinstance(getattr(f.instrument, "picture", None), Compass)]


def _write_compass(staging: Path, family: Family, reports: list[tuple[str, object]]) -> list[str]:
    """One compass of every result of ``family`` (``<family>_compass.png`` and ``.csv``); its index lines."""
    points = compass_points(reports)
    if not points:
        return []
    picture = family.instrument.picture
    files = {"compass": f"{family.name}_compass.png", "points": f"{family.name}_compass.csv"}
    save(compass_figure(picture, points, title=family.title), staging / files["compass"])
    write_csv([point.row(picture) for point in points], staging / files["points"])
    links = ", ".join(f"[{name}]({file})" for name, file in files.items())
    return [f"Every {family.title} result of this report on one compass: {links}", ""]


def write_section(staging: Path, names: tuple[str, str], files, report, title: str, notes: list[str] = ()) -> list[str]:
    """Write ``report``'s files (module ``files``) into ``staging/<names>/``; returns its index
    section: the heading, ``notes`` (the run behind the numbers), then the files module's lines."""
    folder = staging.joinpath(*map(safe_name, names))
    folder.mkdir(parents=True)
    relative = folder.relative_to(staging).as_posix()
    written = files.write_files(report, folder, title)
    links = ", ".join(f"[{name}]({relative}/{file})" for name, file in written.items())
    return [f"## {title}", "", *notes, *([""] if notes else []), *files.index_lines(report, links, title), ""]


def safe_name(text: str) -> str:
    """A file name from a model or task name (no separators, no leading dot)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).lstrip(".") or "_"


def _is_report(folder: Path) -> bool:
    readme = folder / "README.md"
    return readme.is_file() and readme.read_text(encoding="utf-8").startswith(HEADING)
