"""A judge's configuration: which judge, which perspective list, which pooling rule; read from
lm-eval's ``--metadata`` and reported with every number."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from opinionbench.errors import OpinionBenchError
from opinionbench.metrics import POOLING_RULES

JUDGES = ("embedding", "endpoint")
STRUCTURED_OUTPUT = ("json_schema", "json_object", "none")


@dataclass(frozen=True)
class JudgeSettings:
    """Everything that decides what a judge counts.

    ``judge``: ``embedding`` (offline, the bundled sentence-embedding model) or ``endpoint``
    (any OpenAI-compatible chat endpoint ``base_url`` serving ``model``). ``perspectives``: a
    perspective-list file (None: OpinionBench's default list). ``pooling``: how answers are
    combined into one PDS. ``threshold`` and ``min_words``: the embedding judge's rule.
    ``prompt``: a prompt-template file for the endpoint judge (None: the default prompt);
    ``structured_output``: how the reply is constrained to the JSON schema (OpenAI's
    ``json_schema``, llama.cpp's ``json_object`` with a schema, or ``none``).
    """

    judge: str = "embedding"
    perspectives: str | None = None
    pooling: str = "pooled"
    threshold: float = 0.30
    min_words: int = 4
    base_url: str | None = None
    model: str | None = None
    prompt: str | None = None
    structured_output: str = "json_schema"
    max_tokens: int = 512
    timeout: float = 120.0
    max_retries: int = 3

    def __post_init__(self):
        _check_choice("judge", self.judge, JUDGES)
        _check_choice("pooling", self.pooling, POOLING_RULES)
        _check_choice("judge_structured_output", self.structured_output, STRUCTURED_OUTPUT)
        if self.judge == "endpoint" and not (self.base_url and self.model):
            raise OpinionBenchError(
                "the endpoint judge needs judge_base_url (an OpenAI-compatible chat completions URL) and judge_model."
            )
        if not 0 <= self.threshold <= 1:
            raise OpinionBenchError(f"judge_threshold must be a cosine similarity in [0, 1]; got {self.threshold!r}.")

    @classmethod
    def from_metadata(cls, metadata: dict) -> JudgeSettings:
        """The settings in lm-eval metadata: ``judge``, ``perspectives``, ``pooling`` and
        ``judge_<field>`` for the other fields. Other metadata is left alone; an unknown
        ``judge_*`` key is an error (a misspelt setting must not fall back to a default)."""
        names = {field.name for field in fields(cls)}
        plain = {"judge", "perspectives", "pooling"}
        chosen = {key: metadata[key] for key in plain if key in metadata}
        for key, value in metadata.items():
            if key.startswith("judge_"):
                name = key.removeprefix("judge_")
                if name not in names or name in plain:
                    known = ", ".join(sorted(f"judge_{n}" for n in names - plain))
                    raise OpinionBenchError(
                        f"unknown judge setting {key!r}; known: judge, perspectives, pooling, {known}."
                    )
                chosen[name] = value
        try:
            return cls(**chosen)
        except TypeError as err:
            raise OpinionBenchError(f"judge settings: {err}.") from None

    @classmethod
    def from_metadata_json(cls, text: str, *, what: str = "--judge-settings", **fixed) -> JudgeSettings:
        """:meth:`from_metadata` of a JSON object given on the command line (``what``), with ``fixed``
        keys set; a clear error for text that is not a JSON object."""
        try:
            metadata = json.loads(text)
        except json.JSONDecodeError as err:
            raise OpinionBenchError(f"{what} is not valid JSON ({err.msg}).") from None
        if not isinstance(metadata, dict):
            raise OpinionBenchError(f"{what} must be a JSON object.")
        return cls.from_metadata({**metadata, **fixed})

    @classmethod
    def metadata_keys(cls) -> tuple[str, ...]:
        """The ``--metadata`` keys of a judge's settings: ``judge``, ``perspectives``, ``pooling``,
        ``judge_<field>`` for the others."""
        plain = ("judge", "perspectives", "pooling")
        return (*plain, *(f"judge_{field.name}" for field in fields(cls) if field.name not in plain))

    def to_json(self) -> str:
        """The settings as canonical JSON (what each document carries to ``process_results``)."""
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> JudgeSettings:
        return cls(**json.loads(text))


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise OpinionBenchError(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
