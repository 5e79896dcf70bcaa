"""Loud failures for backend output that would otherwise score as plausible-looking numbers.

- Every option of a question with the same log-likelihood (all 0.0 when a server returns no
  prompt log-probabilities, as lm-eval's ``local-completions`` records against llama.cpp's
  completions endpoint) is a uniform distribution by construction, not the model's answer.
- Sampled repeats that are all identical are one sample counted N times: lm-eval's API
  backends send the same ``seed`` with every request, and a server that honours it returns the
  same completion each time.
"""

from __future__ import annotations

import sys
from collections import Counter

import numpy as np

from opinionbench.errors import OpinionBenchError


def running_backend() -> str:
    """The lm-eval backend of this run (``--model`` on the command line), as well as it is known."""
    argv = sys.argv
    for index, arg in enumerate(argv):
        if arg == "--model" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--model="):
            return arg.split("=", 1)[1]
    return "the model backend"


def require_distinct_loglikelihoods(doc: dict, loglikelihoods: np.ndarray) -> None:
    """Stop when every option of ``doc`` got the same log-likelihood (two or more options)."""
    if len(loglikelihoods) < 2 or np.ptp(loglikelihoods) != 0:
        return
    value = float(loglikelihoods[0])
    cause = (
        "every one is 0.0, so the server returned no log-probabilities for the options: lm-eval's "
        "local-completions records 0.0 when the completions endpoint does not echo prompt "
        "log-probabilities (llama.cpp's and llama-cpp-python's do not)"
        if value == 0.0
        else f"every one is {value:g}, which no model gives to different option texts"
    )
    raise OpinionBenchError(
        f"{running_backend()}: question {doc.get('id')!r}: all {len(loglikelihoods)} "
        f"options have the same log-likelihood; {cause}. Scoring it would report a uniform distribution as "
        "the model's. Use opinionbench-next-token-chat (one call per question, the options read from the next "
        "token's top log-probabilities), a server that returns prompt log-probabilities (vLLM), or the hf backend."
    )


def require_varied_samples(responses: list[list[str]]) -> None:
    """Stop when every question of a sampled run (three or more questions, three or more repeats)
    got one answer text in all its repeats but at most one.

    One odd repeat is tolerated: llama.cpp's server answers the first request of a prompt
    differently from the seeded repeats that follow it.
    """
    sampled = [answers for answers in responses if len(answers) > 2]
    if len(sampled) < 3 or any(Counter(answers).most_common(1)[0][1] < len(answers) - 1 for answers in sampled):
        return
    raise OpinionBenchError(
        f"{running_backend()}: each of the {len(sampled)} questions got the same sampled answer in (almost) all "
        f"of its {len(sampled[0])} repeats, so the repeats are one sample counted many times. lm-eval's API "
        "backends (local-chat-completions, openai-chat-completions, ...) send the same seed (model_args seed, "
        "default 1234) with every request, and a server that honours it returns the same completion each time. "
        "Read the distribution in one call with opinionbench-next-token-chat instead, or sample with the hf or "
        "vllm backend."
    )
