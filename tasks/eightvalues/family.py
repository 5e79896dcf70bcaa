"""The 8values family: 70 statements scored onto four axes in percent, with the closest ideology."""

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
    axes=("econ", "dipl", "govt", "scty"),
    n_statements=70,
    answer_value=lambda doc, option: doc["multipliers"][option],
    score=metrics.eightvalues_scores,
    expected_score=metrics.eightvalues_expected_scores,
    row_score=metrics.eightvalues_row_scores,
    # The scores are the percentage of Equality, World, Liberty, Progress, drawn on the left as on the site.
    picture=SplitAxes(
        poles={
            "econ": ("Equality", "Markets"),
            "dipl": ("World", "Nation"),
            "govt": ("Liberty", "Authority"),
            "scty": ("Progress", "Tradition"),
        },
        left_share=lambda score: score,
    ),
)

FAMILY = Family(
    name="eightvalues",
    title="8values",
    kind=Kind.AXIS_INSTRUMENT,
    builder_module="opinionbench.data_builders.eightvalues",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="eightvalues_logprob",
    robustness=Robustness(
        label_style="numbers",
        paraphrases=ENGLISH.paraphrases,
        dataset_kwargs={"instrument": "eightvalues", "config": "null"},
    ),
    instrument=INSTRUMENT,
    conditions=open_closed_report,
    metadata_keys=PERSONA_METADATA_KEYS,
    generate_files=lambda: instrument_configs.axis_family_files("eightvalues", INSTRUMENT),
    reference_url="https://8values.github.io",
    headline=("econ", "dipl", "govt", "scty"),
)
