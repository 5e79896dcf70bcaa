"""The Wahl-O-Mat family: the theses of the Bundestag elections 2002-2025, scored as the model's
agreement with every party (the Wahl-O-Mat's own rule)."""

from __future__ import annotations

from pathlib import Path

from opinionbench import metrics
from opinionbench.families import Family, Kind, Robustness
from opinionbench.tasks.common.instrument_prompts import GERMAN
from opinionbench.tasks.common.instruments import PartyInstrument

from .configs import DEFAULT_ELECTION, wahl_o_mat_files

INSTRUMENT = PartyInstrument(
    positions=("agree", "neutral", "disagree"),  # the order of the Wahl-O-Mat's options
    agreement=metrics.wahl_o_mat_agreement,
    expected_agreement=metrics.wahl_o_mat_expected_agreement,
    row_agreement=metrics.wahl_o_mat_row_agreement,
    closest_party=metrics.closest_party,
    position_values={"agree": 0.0, "neutral": 0.5, "disagree": 1.0},
)

FAMILY = Family(
    name="wahl_o_mat",
    title="Wahl-O-Mat",
    kind=Kind.PARTY_AGREEMENT,
    builder_module="opinionbench.data_builders.wahl_o_mat",
    tasks_dir=Path(__file__).resolve().parent,
    canonical_task="wahl_o_mat_logprob",
    robustness=Robustness(
        label_style="numbers",
        paraphrases=GERMAN.paraphrases,
        template=f"../_{DEFAULT_ELECTION}_yaml",
        dataset_kwargs={"instrument": "wahl_o_mat", "config": DEFAULT_ELECTION},
    ),
    instrument=INSTRUMENT,
    generate_files=wahl_o_mat_files,
    reference_url="https://www.wahl-o-mat.de",
    headline=("closest_party_agreement",),
)
