"""Perspective judges for WorldView-Bench: each maps a free answer to the references it makes
to a list of civilisational perspectives.

Two judges: :class:`EmbeddingJudge` (offline, sentence embeddings against perspective
descriptions) and :class:`EndpointJudge` (any OpenAI-compatible chat model). Which one, with
which perspective list and pooling rule, is a :class:`JudgeSettings`.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from .perspectives import Perspective, PerspectiveSet, load_perspectives
from .references import PerspectiveJudge, Reference, reference_counts
from .settings import JudgeSettings


def make_judge(settings: JudgeSettings) -> PerspectiveJudge:
    """The judge ``settings`` describe, with its perspective list loaded."""
    perspectives = load_perspectives(settings.perspectives)
    if settings.judge == "embedding":
        from .embedding import EmbeddingJudge

        return EmbeddingJudge(perspectives, threshold=settings.threshold, min_words=settings.min_words)
    from .endpoint import EndpointJudge

    return EndpointJudge(
        perspectives,
        base_url=settings.base_url,
        model=settings.model,
        prompt=settings.prompt,
        structured_output=settings.structured_output,
        max_tokens=settings.max_tokens,
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )


def describe_judge(settings: JudgeSettings) -> dict:
    """What decides the numbers of a run with ``settings``, as reported with them: the judge (its
    model and rule, or its model, endpoint and prompt), the perspective list and the pooling rule."""
    perspectives = load_perspectives(settings.perspectives)
    if settings.judge == "embedding":
        from .embedding import MODEL_NAME, rule

        with_none = perspectives.none_description is not None
        judge = {
            "kind": "embedding",
            "model": MODEL_NAME,
            "rule": rule(settings.threshold, settings.min_words, with_none=with_none),
        }
    else:
        from .endpoint import load_prompt

        prompt = load_prompt(settings.prompt)
        judge = {
            "kind": "endpoint",
            "model": settings.model,
            "base_url": settings.base_url,
            "prompt": settings.prompt or "default (judges/default_judge_prompt.txt)",
            "prompt_sha256": hashlib.sha256(prompt.encode()).hexdigest(),
            "structured_output": settings.structured_output,
            "rule": "temperature 0; one reference per entry of the reply's 'references' array",
        }
    return {
        "judge": judge,
        "perspectives": perspectives.describe(),
        "pooling": settings.pooling,
    }


@lru_cache(maxsize=4)
def cached_judge(settings_json: str) -> PerspectiveJudge:
    """:func:`make_judge` once per process for each settings (the embedding model loads once)."""
    return make_judge(JudgeSettings.from_json(settings_json))


__all__ = [
    "JudgeSettings",
    "Perspective",
    "PerspectiveJudge",
    "PerspectiveSet",
    "Reference",
    "cached_judge",
    "describe_judge",
    "load_perspectives",
    "make_judge",
    "reference_counts",
]
