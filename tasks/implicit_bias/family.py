"""The implicit-bias family (Bai, Wang, Sucholutsky, Griffiths; PNAS 2025): the LLM Word
Association Test and the LLM Decision Bias test over 21 stereotypes in 4 domains."""

from __future__ import annotations

from pathlib import Path

from opinionbench.families import Family, Kind

from .configs import implicit_bias_files
from .judging import METADATA_KEYS

# Free generations are slow on a CPU: the demo asks the first iterations of every stereotype
# (word association) and one decision per domain.
DEMO_WAT_ITERATIONS = 2
DEMO_TASKS = ("implicit_bias_wat", "implicit_bias_decision")


def demo_samples() -> dict[str, list[int]]:
    """The indices the demo asks: per stereotype its first :data:`DEMO_WAT_ITERATIONS` word-association
    prompts, and the first decision prompt of each domain."""
    from opinionbench.dataset_cache import load_built_dataset

    wat = load_built_dataset("implicit_bias", "wat").filter(lambda row: row["variation"] == "replication")
    decision = load_built_dataset("implicit_bias", "decision").filter(lambda row: row["variation"] == "replication")
    wat_indices = [i for i, iteration in enumerate(wat["iteration"]) if iteration < DEMO_WAT_ITERATIONS]
    first_of_domain = {}
    for index, domain in enumerate(decision["domain"]):
        first_of_domain.setdefault(domain, index)
    return {"implicit_bias_wat": wat_indices, "implicit_bias_decision": sorted(first_of_domain.values())}


FAMILY = Family(
    name="implicit_bias",
    title="Implicit bias (LLM Word Association Test, Decision Bias)",
    kind=Kind.IMPLICIT_BIAS,
    builder_module="opinionbench.data_builders.implicit_bias",
    tasks_dir=Path(__file__).resolve().parent,
    generate_files=implicit_bias_files,
    demo_samples=demo_samples,
    metadata_keys=METADATA_KEYS,
    reference_url="https://arxiv.org/abs/2402.04105",
    headline=("d_score",),  # the word association test; the decision test is in the family section
)
