"""lm-eval hooks of the implicit-bias tasks (Bai et al. 2025): the documents of one test and
variation, and the scoring of :mod:`opinionbench.tasks.implicit_bias.scoring`."""

from __future__ import annotations

import datasets

from opinionbench.tasks.implicit_bias.judging import with_judge
from opinionbench.tasks.implicit_bias.scoring import *  # the process_results hooks and the aggregations


def load_documents(test: str = "wat", variation: str = "replication", **metadata) -> datasets.DatasetDict:
    """lm-eval ``custom_dataset``: the prompts of ``test`` (``wat`` or ``decision``) in ``variation``,
    materialised by the build (50 seeded draws per stereotype); decision documents carry the
    run's judge (``--metadata '{"decision_judge": "endpoint", ...}'``)."""
    from opinionbench.dataset_cache import load_built_dataset

    documents = load_built_dataset("implicit_bias", test).filter(lambda row: row["variation"] == variation)
    return datasets.DatasetDict({"test": with_judge(documents, metadata) if test == "decision" else documents})
