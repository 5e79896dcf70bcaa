"""The SapplyValues family: 46 statements scored onto three axes in [-10, 10]."""

from __future__ import annotations

from pathlib import Path

from opinionbench import metrics
from opinionbench.families import Family, Kind, Robustness
from opinionbench.tasks.common import instrument_configs
from opinionbench.tasks.common.instrument_prompts import ENGLISH
from opinionbench.tasks.common.instruments import AxisInstrument, SplitAxes
from opinionbench.tasks.common.persona_conditions import open_closed_report
from opinionbench.tasks.common.persona_scoring import METADATA_KEYS as PERSONA_METADATA_KEYS

INSTRUMENT = AxisInstrument(
    axes=("right", "auth", "prog"),
    n_statements=46,
    answer_value=lambda doc, option: doc["answer_values"][option],
    score=metrics.sapplyvalues_scores,
    expected_score=metrics.sapplyvalues_expected_scores,
    row_score=metrics.sapplyvalues_row_scores,
    # The scores run from -10 (the left pole) to 10.
    picture=SplitAxes(
        poles={
            "right": ("Left", "Right"),
            "auth": ("Libertarian", "Authoritarian"),
            "prog": ("Conservative", "Progressive"),
        },
        left_share=lambda score: (10 - score) * 5,
    ),
)

FAMILY = Family(
    name="sapplyvalues",
    title="SapplyValues",
    kind=Kind.AXIS_INSTRUMENT,
    builder_module="opinionbench.data_builders.sapplyvalues",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="sapplyvalues_logprob",
    robustness=Robustness(
        label_style="numbers",
        paraphrases=ENGLISH.paraphrases,
        dataset_kwargs={"instrument": "sapplyvalues", "config": "null"},
    ),
    instrument=INSTRUMENT,
    conditions=open_closed_report,
    metadata_keys=PERSONA_METADATA_KEYS,
    generate_files=lambda: instrument_configs.axis_family_files("sapplyvalues", INSTRUMENT),
    reference_url="https://sapplyvalues.github.io",
    headline=("right", "auth", "prog"),
)
