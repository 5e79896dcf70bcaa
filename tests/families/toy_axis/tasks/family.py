"""The toy axis instrument's declaration: its scoring key and how the report draws a result."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opinionbench.families import Family, Kind, Robustness
from opinionbench.tasks.common import instrument_configs
from opinionbench.tasks.common.instrument_prompts import ENGLISH
from opinionbench.tasks.common.instruments import AxisInstrument, SplitAxes

AXES = ("open", "shared")
# Per statement (by number): the axis it moves and its move for Agree, Neutral, Disagree.
KEY = {
    1: ("open", (1.0, 0.0, -1.0)),
    2: ("open", (-1.0, 0.0, 1.0)),
    3: ("shared", (1.0, 0.0, -1.0)),
    4: ("shared", (-1.0, 0.0, 1.0)),
}


def row_score(rows) -> dict[str, np.ndarray]:
    """Each axis: 10 x the mean move of its statements (a zero row: no move), per stack of option rows."""
    moves = (np.asarray(rows, dtype=float) * np.array([KEY[number][1] for number in sorted(KEY)])).sum(axis=-1)
    mine = {axis: np.array([KEY[number][0] == axis for number in sorted(KEY)]) for axis in AXES}
    return {axis: 10 * moves[..., mine[axis]].mean(axis=-1) for axis in AXES}


def _rows(answers) -> np.ndarray:
    return np.array([np.zeros(3) if answer is None else np.eye(3)[answer] for answer in answers])


INSTRUMENT = AxisInstrument(
    axes=AXES,
    n_statements=len(KEY),
    answer_value=lambda doc, option: option,
    score=lambda answers: {axis: float(value) for axis, value in row_score(_rows(answers)).items()},
    expected_score=lambda rows: {
        axis: float(value) for axis, value in row_score([np.zeros(3) if row is None else row for row in rows]).items()
    },
    row_score=row_score,
    picture=SplitAxes(
        poles={"open": ("Closed", "Open"), "shared": ("Private", "Shared")}, left_share=lambda s: (10 - s) * 5
    ),
    displayed=lambda result: {axis: f"{result[axis]:.1f}" for axis in AXES},
)

FAMILY = Family(
    name="toy_axis",
    title="Toy axis instrument",
    kind=Kind.AXIS_INSTRUMENT,
    builder_module="toy_axis.data_builder",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="toy_axis_logprob",
    robustness=Robustness(
        label_style="numbers",
        paraphrases=ENGLISH.paraphrases,
        dataset_kwargs={"instrument": "toy_axis", "config": "null"},
    ),
    instrument=INSTRUMENT,
    generate_files=lambda: instrument_configs.axis_family_files("toy_axis", INSTRUMENT),
)
