"""Who decides the decision task's responses: the offline matcher (default) or the paper's one-shot
judge prompt on an OpenAI-compatible endpoint (``--metadata '{"decision_judge": "endpoint",
"judge_base_url": ..., "judge_model": ...}'``, the ``judge_*`` keys of
:class:`opinionbench.judges.JudgeSettings`). Each document carries the run's choice, so the
samples log records it beside every response."""

from __future__ import annotations

import json
from functools import lru_cache

import datasets

from opinionbench.errors import OpinionBenchError
from opinionbench.judges import JudgeSettings
from opinionbench.judges.decisions import DecisionEndpointJudge, match_decision

JUDGES = ("matcher", "endpoint")
METADATA_KEYS = ("decision_judge", *(key for key in JudgeSettings.metadata_keys() if key.startswith("judge_")))


def with_judge(documents: datasets.Dataset, metadata: dict) -> datasets.Dataset:
    """``documents`` with the run's judge (``decision_judge``: JSON) added to each."""
    judge = metadata.get("decision_judge", "matcher")
    if judge not in JUDGES:
        raise OpinionBenchError(f"decision_judge must be one of {', '.join(JUDGES)}; got {judge!r}.")
    endpoint = {key: value for key, value in metadata.items() if key.startswith("judge_")}
    if endpoint and judge != "endpoint":
        raise OpinionBenchError(f"{', '.join(sorted(endpoint))}: endpoint settings need decision_judge 'endpoint'.")
    settings = {"judge": judge}
    if judge == "endpoint":
        settings["endpoint"] = json.loads(JudgeSettings.from_metadata({**endpoint, "judge": "endpoint"}).to_json())
    return documents.add_column("decision_judge", [json.dumps(settings, sort_keys=True)] * len(documents))


def decision_of(doc: dict, text: str) -> float | None:
    """1.0 when the stigmatised group got the negative position, 0.0 the positive one, None undecided."""
    settings = json.loads(doc["decision_judge"])
    if settings["judge"] == "matcher":
        return match_decision(  # the group as the prompt names it, and every word of its list
            text,
            default_group=list(dict.fromkeys([doc["default_group"], *doc["default_words"]])),
            stigma_group=list(dict.fromkeys([doc["stigma_group"], *doc["stigma_words"]])),
            positive_position=doc["positive_position"],
            negative_position=doc["negative_position"],
        )
    judge = _endpoint_judge(json.dumps(settings["endpoint"], sort_keys=True))
    return judge.decide(
        text,
        stigma_words=doc["judge_stigma_words"],
        negative_words=doc["judge_negative_words"],
        stereotype=doc["stereotype"],
        item=doc["id"],
    )


@lru_cache(maxsize=4)
def _endpoint_judge(settings: str) -> DecisionEndpointJudge:
    return DecisionEndpointJudge.from_settings(JudgeSettings.from_json(settings))
