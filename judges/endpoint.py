"""The endpoint judge: an OpenAI-compatible chat model lists the references in an answer.

One chat completion per answer, temperature 0, with the prompt template filled in with the
perspective list, the question and the answer. The reply must be the JSON object
``{"references": [{"quote": ..., "perspective": <name>}]}``; with ``structured_output`` the
request carries that schema (perspective names as an enum) so the server constrains the reply.
"""

from __future__ import annotations

import json
import string
from importlib import resources
from pathlib import Path

from opinionbench.backends.openai_http import post_json
from opinionbench.errors import OpinionBenchError

from .perspectives import PerspectiveSet
from .references import Reference

DEFAULT_PROMPT_FILE = "default_judge_prompt.txt"
# Bounds of the reply that llama.cpp's grammar enforces (``json_object``), so that a weak judge
# model cannot repeat references until max_tokens. OpenAI's strict ``json_schema`` is sent without
# them: it rejects schemas with keywords it does not support.
MAX_REFERENCES = 16
MAX_QUOTE_CHARACTERS = 200
PROMPT_FIELDS = {"perspectives", "question", "answer"}


class EndpointJudge:
    """A chat model behind ``base_url`` (a ``.../v1/chat/completions`` URL) as the judge."""

    def __init__(
        self,
        perspectives: PerspectiveSet,
        *,
        base_url: str,
        model: str,
        prompt: str | None,
        structured_output: str,
        max_tokens: int,
        timeout: float,
        max_retries: int,
    ):
        self.perspectives = perspectives
        self.base_url = base_url
        self.model = model
        self.template = load_prompt(prompt)
        self.structured_output = structured_output
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.max_retries = max_retries

    def request(self, question: str, answer: str) -> dict:
        """The chat-completions payload that asks for the references in ``answer``."""
        listing = "\n".join(f"- {p.name}: {p.label}. {p.description}" for p in self.perspectives.perspectives)
        content = self.template.format(perspectives=listing, question=question, answer=answer)
        payload = {
            "model": self.model,
            "messages": [{"role": "user", "content": content}],
            "temperature": 0,
            "max_tokens": self.max_tokens,
        }
        names = self.perspectives.names
        if self.structured_output == "json_schema":
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "perspective_references", "schema": reply_schema(names), "strict": True},
            }
        elif self.structured_output == "json_object":
            payload["response_format"] = {"type": "json_object", "schema": reply_schema(names, bounded=True)}
        return payload

    def references(self, question: str, answer: str, *, item: str) -> list[Reference]:
        """The references the judge model lists in its reply about ``answer``."""
        who = f"the endpoint judge ({self.model})"
        body = post_json(
            self.base_url, self.request(question, answer), timeout=self.timeout, max_retries=self.max_retries, who=who
        )
        return parse_reply(body, self.perspectives.names, where=f"{who} on {item}")


def load_prompt(path: str | None) -> str:
    """The prompt template in ``path`` (the default prompt when None), checked to have exactly
    the fields ``{perspectives}``, ``{question}`` and ``{answer}``."""
    if path is None:
        text, label = resources.files(__package__).joinpath(DEFAULT_PROMPT_FILE).read_text(encoding="utf-8"), "default"
    else:
        label = path
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as err:
            raise OpinionBenchError(f"judge prompt {path}: cannot be read ({err.strerror}).") from None
    try:
        found = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as err:
        raise OpinionBenchError(
            f"judge prompt {label}: not a valid template ({err}); write literal braces as {{{{ }}}}."
        ) from None
    if found != PROMPT_FIELDS:
        raise OpinionBenchError(
            f"judge prompt {label}: has the fields {sorted(found)}; it needs exactly {sorted(PROMPT_FIELDS)}."
        )
    return text


def reply_schema(names: list[str], *, bounded: bool = False) -> dict:
    """The JSON schema of the judge's reply, with the perspective names as an enum; ``bounded``
    adds :data:`MAX_REFERENCES` and :data:`MAX_QUOTE_CHARACTERS`."""
    quote = {"type": "string", "maxLength": MAX_QUOTE_CHARACTERS} if bounded else {"type": "string"}
    reference = {
        "type": "object",
        "properties": {"quote": quote, "perspective": {"type": "string", "enum": names}},
        "required": ["quote", "perspective"],
        "additionalProperties": False,
    }
    references = {"type": "array", "items": reference} | ({"maxItems": MAX_REFERENCES} if bounded else {})
    return {
        "type": "object",
        "properties": {"references": references},
        "required": ["references"],
        "additionalProperties": False,
    }


def parse_reply(body: dict, names: list[str], *, where: str) -> list[Reference]:
    """The references in a chat-completions answer ``body``; anything else is an error naming ``where``."""
    try:
        choice = body["choices"][0]
        content = choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise OpinionBenchError(f"{where}: the answer has no choices[0].message.content: {str(body)[:200]}") from None
    if choice.get("finish_reason") == "length":
        raise OpinionBenchError(f"{where}: the reply was cut off at max_tokens; raise judge_max_tokens.")
    text = (content or "").strip().removeprefix("```json").removeprefix("```").removesuffix("```").strip()
    try:
        reply = json.loads(text)
    except json.JSONDecodeError:
        raise OpinionBenchError(f"{where}: the reply is not JSON: {text[:200]!r}") from None
    entries = reply.get("references") if isinstance(reply, dict) else None
    if not isinstance(entries, list):
        raise OpinionBenchError(f"{where}: the reply has no 'references' array: {text[:200]!r}")
    references = []
    for position, entry in enumerate(entries):
        perspective = entry.get("perspective") if isinstance(entry, dict) else None
        if perspective not in names:
            raise OpinionBenchError(
                f"{where}: reference {position} names the perspective {perspective!r}, not one of {names}."
            )
        references.append(Reference(perspective, str(entry.get("quote", ""))))
    return references
