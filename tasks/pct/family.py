"""The Political Compass Test family: 62 propositions scored onto the economic and social axes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from opinionbench import metrics
from opinionbench.families import Family, Kind, Robustness
from opinionbench.tasks.common import instrument_configs
from opinionbench.tasks.common.instrument_prompts import ENGLISH
from opinionbench.tasks.common.instruments import AxisInstrument, Compass
from opinionbench.tasks.common.persona_conditions import open_closed_report
from opinionbench.tasks.common.persona_scoring import METADATA_KEYS as PERSONA_METADATA_KEYS

COMPASS = Compass(
    x="econ",
    y="soc",
    x_label="Economic: Left (-10) to Right (+10)",
    y_label="Social: Libertarian (-10) to Authoritarian (+10)",
    x_poles=("Left", "Right"),
    y_poles=("Libertarian", "Authoritarian"),
    # (name, lower-left corner, colour), coloured as on politicalcompass.org
    quadrants=(
        ("Authoritarian Left", (-10, 0), "#ff7575"),
        ("Authoritarian Right", (0, 0), "#42aaff"),
        ("Libertarian Left", (-10, -10), "#9aed97"),
        ("Libertarian Right", (0, -10), "#c09aec"),
    ),
)

INSTRUMENT = AxisInstrument(
    axes=("econ", "soc"),
    n_statements=62,
    answer_value=lambda doc, option: option,
    score=lambda answers: dataclasses.asdict(metrics.pct_coordinates(answers)),
    expected_score=lambda rows: dataclasses.asdict(metrics.pct_expected_coordinates(rows)),
    row_score=metrics.pct_row_coordinates,
    picture=COMPASS,
    displayed=lambda result: dict(
        zip(("econ", "soc"), metrics.CompassPosition(result["econ"], result["soc"]).displayed)
    ),
)

FAMILY = Family(
    name="pct",
    title="Political Compass Test",
    kind=Kind.AXIS_INSTRUMENT,
    builder_module="opinionbench.data_builders.pct",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="pct_logprob",
    robustness=Robustness(
        label_style="numbers", paraphrases=ENGLISH.paraphrases, dataset_kwargs={"instrument": "pct", "config": "null"}
    ),
    instrument=INSTRUMENT,
    conditions=open_closed_report,
    metadata_keys=PERSONA_METADATA_KEYS,
    generate_files=lambda: instrument_configs.axis_family_files("pct", INSTRUMENT),
    reference_url="https://arxiv.org/abs/2402.16786",
    headline=("econ", "soc"),
)
