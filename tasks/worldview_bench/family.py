"""The WorldView-Bench family: 175 open questions in 7 domains, the free answers judged for the
civilisational perspectives they draw on (Mushtaq et al. 2025)."""

from __future__ import annotations

from pathlib import Path

from opinionbench.families import Family, Kind
from opinionbench.judges import JudgeSettings
from opinionbench.tasks.common.generated_files import metrics_file

from .scoring import SUMMARY_KEYS

# The answers are free generations of up to 256 tokens: the demo asks the first questions of each
# domain only (14 of 175), of the default tasks.
DEMO_QUESTIONS_PER_DOMAIN = 2
DEMO_TASKS = ("worldview_bench_gen", "worldview_bench_multiplex_gen")


def demo_samples() -> dict[str, list[int]]:
    """The indices of the first :data:`DEMO_QUESTIONS_PER_DOMAIN` questions of each domain, per default task."""
    from opinionbench.dataset_cache import load_built_dataset

    taken: dict[str, int] = {}
    indices = []
    for index, domain in enumerate(load_built_dataset("worldview_bench")["domain_slug"]):
        if taken.get(domain, 0) < DEMO_QUESTIONS_PER_DOMAIN:
            taken[domain] = taken.get(domain, 0) + 1
            indices.append(index)
    return dict.fromkeys(DEMO_TASKS, indices)


FAMILY = Family(
    name="worldview_bench",
    title="WorldView-Bench",
    kind=Kind.OPEN_ENDED,
    builder_module="opinionbench.data_builders.worldview_bench",
    tasks_dir=Path(__file__).resolve().parent,
    generate_files=lambda: metrics_file(
        SUMMARY_KEYS,
        "Summary floats of the WorldView-Bench tasks (scoring.py), each with its bootstrap standard error over answers.",
    ),
    demo_samples=demo_samples,
    metadata_keys=(*JudgeSettings.metadata_keys(), "drafts"),
    reference_url="https://arxiv.org/abs/2505.09595",
    headline=("pds_entropy",),
)
