"""Which judge scores a task's free answers, chosen with ``--metadata`` and carried by every document.

A judged task offers an offline judge (its default) and ``endpoint``: an OpenAI-compatible chat
model, set with the ``judge_*`` keys of :class:`opinionbench.judges.JudgeSettings`
(``judge_base_url``, ``judge_model``, ...). The run's choice is written into a JSON column of each
document, so the samples log records it beside every answer and a rescoring uses the same judge.
"""

from __future__ import annotations

import json
from functools import lru_cache

import datasets

from opinionbench.errors import OpinionBenchError
from opinionbench.judges import JudgeSettings

ENDPOINT = "endpoint"
ENDPOINT_KEYS = tuple(key for key in JudgeSettings.metadata_keys() if key.startswith("judge_"))


def with_judge(documents: datasets.Dataset, metadata: dict, *, column: str, offline: str) -> datasets.Dataset:
    """``documents`` with the judge that ``metadata[column]`` names (``offline`` or ``endpoint``,
    default ``offline``) in a JSON ``column``: ``{"judge": ..., "endpoint": settings}``."""
    judge = metadata.get(column, offline)
    if judge not in (offline, ENDPOINT):
        raise OpinionBenchError(f"{column} must be one of {offline}, {ENDPOINT}; got {judge!r}.")
    endpoint = {key: value for key, value in metadata.items() if key.startswith("judge_")}
    if endpoint and judge != ENDPOINT:
        raise OpinionBenchError(f"{', '.join(sorted(endpoint))}: endpoint settings need {column} '{ENDPOINT}'.")
    settings: dict = {"judge": judge}
    if judge == ENDPOINT:
        settings["endpoint"] = json.loads(JudgeSettings.from_metadata({**endpoint, "judge": ENDPOINT}).to_json())
    return documents.add_column(column, [json.dumps(settings, sort_keys=True)] * len(documents))


def judge_name(doc: dict, column: str) -> str:
    """The judge a document carries: the offline judge's name or ``endpoint``."""
    return json.loads(doc[column])["judge"]


def endpoint_settings(doc: dict, column: str) -> JudgeSettings:
    """The endpoint judge's settings a document carries."""
    return _settings(doc[column])


@lru_cache(maxsize=8)
def _settings(chosen: str) -> JudgeSettings:
    return JudgeSettings.from_json(json.dumps(json.loads(chosen)["endpoint"]))
