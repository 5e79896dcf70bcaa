"""What the chat-model judges share: one OpenAI-compatible chat-completions request per item,
through the project's HTTP client, and the reply's message content."""

from __future__ import annotations

from opinionbench.backends.openai_http import post_json
from opinionbench.errors import OpinionBenchError


class ChatJudge:
    """A chat model behind ``base_url`` (an OpenAI-compatible ``.../v1/chat/completions`` URL) that
    answers one user message per item (``OPENAI_API_KEY``, when set, is sent as a bearer token).
    ``temperature`` 0 by default, so that a rerun gives the same verdicts; ``name`` says which
    judge in errors ("the stance judge")."""

    name = "the judge"

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        max_tokens: int = 512,
        timeout: float = 120.0,
        max_retries: int = 3,
        temperature: float | None = 0.0,
    ):
        if not (base_url and model):
            raise OpinionBenchError(f"{self.name} needs a base_url (chat completions URL) and a model.")
        self.base_url = base_url
        self.model = model
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.max_retries = max_retries
        self.temperature = temperature

    @classmethod
    def from_settings(cls, settings):
        """The judge on the endpoint of a :class:`~opinionbench.judges.JudgeSettings` (its
        ``base_url``, ``model``, ``max_tokens``, ``timeout`` and ``max_retries``)."""
        return cls(
            base_url=settings.base_url,
            model=settings.model,
            max_tokens=settings.max_tokens,
            timeout=settings.timeout,
            max_retries=settings.max_retries,
        )

    def payload(self, messages: list[dict]) -> dict:
        """The chat-completions payload of ``messages``."""
        payload = {"model": self.model, "messages": messages, "max_tokens": self.max_tokens}
        if self.temperature is not None:
            payload["temperature"] = self.temperature
        return payload

    def content(self, payload: dict, *, item: str) -> str:
        """The reply's message content to ``payload``; an answer without one is an error naming the
        judge and ``item``."""
        who = f"{self.name} ({self.model})"
        body = post_json(self.base_url, payload, timeout=self.timeout, max_retries=self.max_retries, who=who)
        try:
            content = body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise OpinionBenchError(
                f"{who} on {item}: the answer has no choices[0].message.content: {str(body)[:200]}"
            ) from None
        return content or ""
