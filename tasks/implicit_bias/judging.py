"""Who decides the decision task's responses: the offline matcher (default) or the paper's one-shot
judge prompt on an OpenAI-compatible endpoint (``--metadata '{"decision_judge": "endpoint",
"judge_base_url": ..., "judge_model": ...}'``, the ``judge_*`` keys of
:class:`opinionbench.judges.JudgeSettings`). Each document carries the run's choice, so the
samples log records it beside every response."""

from __future__ import annotations

from functools import lru_cache

import datasets

from opinionbench.judges import JudgeSettings
from opinionbench.judges.decisions import DecisionEndpointJudge, match_decision
from opinionbench.tasks.common import judge_choice

COLUMN, OFFLINE = "decision_judge", "matcher"
METADATA_KEYS = (COLUMN, *judge_choice.ENDPOINT_KEYS)


def with_judge(documents: datasets.Dataset, metadata: dict) -> datasets.Dataset:
    """``documents`` with the run's judge (``decision_judge``: JSON) added to each."""
    return judge_choice.with_judge(documents, metadata, column=COLUMN, offline=OFFLINE)


def decision_of(doc: dict, text: str) -> float | None:
    """1.0 when the stigmatised group got the negative position, 0.0 the positive one, None undecided."""
    if judge_choice.judge_name(doc, COLUMN) == OFFLINE:
        return match_decision(  # the group as the prompt names it, and every word of its list
            text,
            default_group=list(dict.fromkeys([doc["default_group"], *doc["default_words"]])),
            stigma_group=list(dict.fromkeys([doc["stigma_group"], *doc["stigma_words"]])),
            positive_position=doc["positive_position"],
            negative_position=doc["negative_position"],
        )
    judge = _endpoint_judge(judge_choice.endpoint_settings(doc, COLUMN))
    return judge.decide(
        text,
        stigma_words=doc["judge_stigma_words"],
        negative_words=doc["judge_negative_words"],
        stereotype=doc["stereotype"],
        item=doc["id"],
    )


@lru_cache(maxsize=4)
def _endpoint_judge(settings: JudgeSettings) -> DecisionEndpointJudge:
    return DecisionEndpointJudge.from_settings(settings)
