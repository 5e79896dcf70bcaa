"""lm-eval backends that read a question's option distribution from ONE API call.

lm-eval asks a multiple-choice question as one log-likelihood request per option, all with the
same context. Chat APIs give no prompt log-probabilities, and servers such as llama.cpp's give
none on their completions endpoint either. OpinionQA and HELM instead ask once for one token
with the top-k next-token log-probabilities and read every option label from them. These
backends do that: the requests are grouped by context, each group costs one call, and each
option's log-likelihood is its label's next-token log-probability, floored by OpinionQA's rule
where the label is not among the top k (:mod:`.top_logprobs`). The floor rate is logged and
stored in the results file (``config.next_token``).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import lm_eval.models  # noqa: F401  (lm-eval loads its own backends only into an empty registry: load them first)
from lm_eval.api.model import LM
from lm_eval.api.registry import register_model
from tqdm import tqdm

from opinionbench.backends.openai_http import post_json
from opinionbench.backends.top_logprobs import option_logprobs, unreadable_labels
from opinionbench.errors import OpinionBenchError

log = logging.getLogger(__name__)


class NextTokenLM(LM):
    """Base class: one call per question, option log-likelihoods from the top-k next tokens."""

    name = ""  # the registered name, used in messages

    def __init__(
        self,
        base_url: str,
        model: str | None = None,
        top_logprobs: int = 20,
        timeout: float = 60,
        max_retries: int = 2,
        num_concurrent: int = 1,
        **_lm_eval_defaults,  # batch_size, device, ...: not used by an API backend
    ) -> None:
        super().__init__()
        if not model:
            raise OpinionBenchError(
                f"{self.name}: give model=NAME in --model_args: the model the server is asked for, and the name "
                "lm-eval files the results under (without it, a random one)."
            )
        self.base_url = base_url
        self.model = model
        self.top_logprobs = int(top_logprobs)
        self.timeout = float(timeout)
        self.max_retries = int(max_retries)
        self.num_concurrent = max(1, int(num_concurrent))
        self.stats = {"questions": 0, "calls": 0, "options": 0, "floored": 0}

    def loglikelihood(self, requests, disable_tqdm: bool = False) -> list[tuple[float, bool]]:
        """``(log-likelihood, is_greedy)`` per request, one call per question (task, document, prompt)."""
        questions = defaultdict(list)  # (task, document, prompt) -> indices of its requests, in order
        for index, request in enumerate(requests):
            questions[request.task_name, request.doc_id, request.args[0]].append(index)
        for (_, _, context), indices in questions.items():
            reason = unreadable_labels([requests[i].args[1] for i in indices])
            if reason:
                raise OpinionBenchError(
                    f"{self.name}: {reason} in a question starting {_excerpt(context)}; one next token cannot "
                    "tell its options apart. Run this task with a backend that scores whole continuations "
                    "(hf, vllm), or its generative variant (*_gen) through local-chat-completions."
                )
        results: list[tuple[float, bool] | None] = [None] * len(requests)

        def answer(item):
            (_, _, context), indices = item
            labels = [requests[i].args[1] for i in indices]
            read = self._read_options(context, labels)
            for i, logprob, label in zip(indices, read.logprobs, labels):
                results[i] = (logprob, read.top_token.strip() == label.strip())
            return read

        pool = ThreadPoolExecutor(self.num_concurrent)
        try:  # on the first error, the questions not yet sent are cancelled
            for read in tqdm(pool.map(answer, questions.items()), total=len(questions), disable=disable_tqdm):
                self.stats["questions"] += 1
                self.stats["calls"] += 1
                self.stats["options"] += len(read.floored)
                self.stats["floored"] += sum(read.floored)
        finally:
            pool.shutdown(cancel_futures=True)
        log.info("%s: %s", self.name, self.floor_summary())
        return results

    def _read_options(self, context: str, labels: list[str]):
        answer = post_json(
            self.base_url,
            self._payload(context),
            timeout=self.timeout,
            max_retries=self.max_retries,
            who=self.name,
        )
        top = self._top_logprobs(answer)
        if not top:
            raise OpinionBenchError(
                f"{self.name}: {self.base_url} returned no top log-probabilities for the next token "
                f"(finish_reason {_finish_reason(answer)!r}) for the question starting {_excerpt(context)}. "
                "The server must honour `logprobs`/`top_logprobs` (llama.cpp's completions endpoint returns "
                "none when the next token is end-of-text: use opinionbench-next-token-chat)."
            )
        read = option_logprobs(top, labels)
        if all(read.floored):
            raise OpinionBenchError(
                f"{self.name}: none of the option labels {[label.strip() for label in labels]} is among the "
                f"model's {len(top)} most likely next tokens (the most likely: {read.top_token!r}) for the question "
                f"starting {_excerpt(context)}; its distribution would be uniform by construction. Raise "
                "top_logprobs, use --apply_chat_template, or use a prompt that makes the model answer with the label."
            )
        return read

    def floor_summary(self) -> str:
        """How many option log-probabilities were floored, as a sentence."""
        options, floored = self.stats["options"], self.stats["floored"]
        rate = floored / options if options else 0.0
        return (
            f"{self.stats['calls']} calls for {self.stats['questions']} questions; {floored} of {options} option "
            f"labels not among the top {self.top_logprobs} next tokens, floored by OpinionQA's rule ({rate:.1%})"
        )

    def get_model_info(self) -> dict:
        """Stored by lm-eval in the results file's ``config``."""
        options = self.stats["options"]
        return {
            "next_token": {
                **self.stats,
                "floor_rate": self.stats["floored"] / options if options else None,
                "top_logprobs": self.top_logprobs,
                "endpoint": self.base_url,
            }
        }

    def loglikelihood_rolling(self, requests, disable_tqdm: bool = False):
        raise OpinionBenchError(f"{self.name} answers multiple-choice log-likelihood requests only.")

    def generate_until(self, requests, disable_tqdm: bool = False):
        raise OpinionBenchError(
            f"{self.name} answers log-likelihood requests only; run generative tasks (*_gen) with lm-eval's "
            "local-chat-completions backend."
        )

    def _payload(self, context: str) -> dict:
        raise NotImplementedError

    def _top_logprobs(self, answer: dict) -> dict[str, float]:
        raise NotImplementedError


@register_model("opinionbench-next-token-chat")
class NextTokenChat(NextTokenLM):
    """``/v1/chat/completions`` with ``logprobs: true, top_logprobs: k, max_tokens: 1``.

    With ``--apply_chat_template`` the prompt goes as lm-eval's chat messages (system
    instruction included); without it, as one user message.
    """

    name = "opinionbench-next-token-chat"

    @property
    def tokenizer_name(self) -> str:
        return f"{self.name}:{self.model}"

    def chat_template(self, chat_template: bool | str = False) -> str:
        return ""  # the server applies the model's template

    def apply_chat_template(self, chat_history: list[dict[str, str]], add_generation_prompt: bool = True) -> str:
        """The messages as JSON; the server renders them with the model's own template."""
        if not add_generation_prompt:
            raise OpinionBenchError(f"{self.name} cannot continue a prefilled assistant message.")
        return json.dumps(chat_history, ensure_ascii=False)

    def _payload(self, context: str) -> dict:
        return {
            "model": self.model,
            "messages": _messages(context),
            "max_tokens": 1,
            "temperature": 0,
            "logprobs": True,
            "top_logprobs": self.top_logprobs,
        }

    def _top_logprobs(self, answer: dict) -> dict[str, float]:
        try:
            entries = answer["choices"][0]["logprobs"]["content"][0]["top_logprobs"]
        except (KeyError, IndexError, TypeError):
            return {}
        return _best_per_token((entry["token"], entry["logprob"]) for entry in entries)


@register_model("opinionbench-next-token-completions")
class NextTokenCompletions(NextTokenLM):
    """``/v1/completions`` with ``logprobs: k, max_tokens: 1`` (raw prompts; no chat template)."""

    name = "opinionbench-next-token-completions"

    def _payload(self, context: str) -> dict:
        return {
            "model": self.model,
            "prompt": context,
            "max_tokens": 1,
            "temperature": 0,
            "logprobs": self.top_logprobs,
        }

    def _top_logprobs(self, answer: dict) -> dict[str, float]:
        try:
            first = answer["choices"][0]["logprobs"]["top_logprobs"][0]
        except (KeyError, IndexError, TypeError):
            return {}
        return _best_per_token(first.items()) if isinstance(first, dict) else {}


def _messages(context: str) -> list[dict]:
    """lm-eval's chat messages (JSON from ``apply_chat_template``), or the text as one user message."""
    if context.startswith("[{"):
        try:
            messages = json.loads(context)
        except ValueError:
            messages = None
        if isinstance(messages, list) and all(isinstance(m, dict) and "role" in m for m in messages):
            return messages
    return [{"role": "user", "content": context}]


def _best_per_token(pairs) -> dict[str, float]:
    """token -> log-probability, keeping the larger value if a server lists a spelling twice."""
    top: dict[str, float] = {}
    for token, logprob in pairs:
        if isinstance(token, str) and isinstance(logprob, (int, float)):
            top[token] = max(float(logprob), top.get(token, float("-inf")))
    return top


def _finish_reason(answer: dict):
    try:
        return answer["choices"][0].get("finish_reason")
    except (KeyError, IndexError, TypeError, AttributeError):
        return None


def _excerpt(context: str) -> str:
    return repr(context[:80] + ("..." if len(context) > 80 else ""))
