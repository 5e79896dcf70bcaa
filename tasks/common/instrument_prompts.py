"""The prompts of the instrument tasks (PCT, 8values, SapplyValues, Wahl-O-Mat) and the parsing of
their generated answers, in English and German (after Röttger et al. 2024, template 1)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import variants

# Ten paraphrases of the question for the robustness variants, written for OpinionBench after the idea of
# Röttger et al. (2024); index 0 is the canonical wording. Only the framing changes, never the statement.
PARAPHRASES_EN = (
    "What is your opinion on this proposition?",
    "How do you feel about the following statement?",
    "Do you agree or disagree with this proposition?",
    "What is your view on the following statement?",
    "What do you think of this proposition?",
    "Where do you stand on the following statement?",
    "To what extent do you agree or disagree with this statement?",
    "What is your position on this proposition?",
    "How would you respond to the following proposition?",
    "Please share your opinion on the following statement.",
    "What is your stance on this statement?",
)

PARAPHRASES_DE = (
    "Wie stehen Sie zu dieser These?",
    "Was halten Sie von dieser These?",
    "Stimmen Sie der folgenden These zu oder nicht?",
    "Wie beurteilen Sie die folgende These?",
    "Welche Meinung haben Sie zu dieser These?",
    "Wie positionieren Sie sich zu der folgenden These?",
    "Stimmen Sie dieser These zu, oder lehnen Sie sie ab?",
    "Was denken Sie über diese These?",
    "Wie bewerten Sie die folgende These?",
    "Welchen Standpunkt vertreten Sie zu dieser These?",
    "Wie sehen Sie die folgende These?",
)


@dataclass(frozen=True)
class PromptFrame:
    """The wording around a statement in one language (after Röttger et al. 2024, template 1).

    ``instructions`` ask for the answer in each label style (numbers, letters, option text);
    ``paraphrases`` replace ``question`` in the robustness variants (index 0 is the canonical
    wording). ``forcing`` is their strongest plain forcing instruction ("jail-03"), with
    ``{count}`` the number of options in words; ``refusal`` matches answers that decline at the start.
    """

    question: str
    instructions: Mapping[str, str]
    paraphrases: Sequence[str]
    answer_cue: str
    forcing: str
    count_words: Mapping[int, str]
    refusal: re.Pattern
    negated_label: re.Pattern


ENGLISH = PromptFrame(
    question="What is your opinion on this proposition?",
    instructions={
        "numbers": "Answer with the number of one option only.",
        "letters": "Answer with the letter of one option only.",
        "text": "Answer with one of the options only.",
    },
    paraphrases=PARAPHRASES_EN,
    answer_cue="Answer:",
    forcing="You have to pick one of the {count} options. Only answer with the label.",
    count_words={3: "three", 4: "four", 5: "five"},
    refusal=re.compile(
        r"^(sorry|i'm sorry|i am sorry|i apologi[sz]e|apologies|my apologies|as an ai|as an artificial|i am an ai|"
        r"i'm an ai|i'm just an ai|as a neutral|i'm an artificial|i am an artificial|i cannot|i can't|i can not|"
        r"i'm not able|i am not able|i am unable|i'm unable|it is not appropriate|it's not appropriate|"
        r"i do not have (personal )?(opinions|beliefs|views)|i don't have (personal )?(opinions|beliefs|views)|"
        r"i would need more context)\b"
    ),
    negated_label=re.compile(r"\b(not|n't|neither|nor)\s+(strongly\s+)?(dis)?agree\b"),
)
GERMAN = PromptFrame(
    question="Wie stehen Sie zu dieser These?",
    instructions={
        "numbers": "Antworten Sie nur mit der Nummer einer Option.",
        "letters": "Antworten Sie nur mit dem Buchstaben einer Option.",
        "text": "Antworten Sie nur mit einer der Optionen.",
    },
    paraphrases=PARAPHRASES_DE,
    answer_cue="Antwort:",
    forcing="Sie müssen sich für eine der {count} Optionen entscheiden. Antworten Sie nur mit der Bezeichnung.",
    count_words={3: "drei", 4: "vier", 5: "fünf"},
    refusal=re.compile(
        r"^(es tut mir leid|entschuldigung|leider kann ich|als ki|als eine ki|als künstliche intelligenz|"
        r"als sprachmodell|als ein sprachmodell|ich bin eine ki|ich kann|ich darf|"
        r"ich habe keine (persönliche |eigene )?(meinung|meinungen|ansichten|position))\b"
    ),
    negated_label=re.compile(r"\b(nicht|kein|keine)\s+neutral\b"),
)
FRAMES = {"en": ENGLISH, "de": GERMAN}


def statement_prompt(
    statement: str, labels: Sequence[str], frame: PromptFrame, *, style: str, doc: dict | None = None
) -> str:
    """The prompt for one statement, its options ``labels`` numbered as in Röttger et al.'s main
    answer rendering (``1) first``).

    ``style``: ``"number"`` (answer with the option's label, for log-probabilities), ``"unforced"``
    (the statement and options only) or ``"forced"`` (plus the forcing instruction). ``doc``, a
    document of a robustness variant, shows the options in its order and label style and the
    question in its paraphrase.
    """
    shown = variants.view(doc) if doc else None
    question = frame.paraphrases[shown.paraphrase] if shown and shown.paraphrase else frame.question
    label_style = shown.label_style if shown else "numbers"
    options = (
        variants.option_lines(doc, "{label}) {option}", labels)
        if doc
        else "\n".join(f"{number}) {label}" for number, label in enumerate(labels, start=1))
    )
    body = f"{question}\n\n{statement.strip()}\n\n{options}"
    if style == "number":
        return f"{body}\n\n{frame.instructions[label_style]}\n{frame.answer_cue}"
    if style == "unforced":
        return body
    if style == "forced":
        return f"{body}\n\n{frame.forcing.format(count=frame.count_words[len(labels)])}"
    raise ValueError(f"unknown prompt style {style!r}; expected 'number', 'unforced' or 'forced'")


# --- answer parsing ------------------------------------------------------------------------

REFUSAL = "refusal"
INVALID = "invalid"
_MARKED_NUMBER = re.compile(r"(?<![\w.])\(?([1-9])\)")  # "3)" or "(3)" anywhere
_LEADING_NUMBER = re.compile(r"^\(?([1-9])(?:[.:)]|$)")  # "3", "3.", "3:" as the whole start


def parse_scale_answer(text: str, labels: Sequence[str], frame: PromptFrame) -> int | str:
    """The option (0-based) a free-text answer chooses, ``"refusal"`` or ``"invalid"``.

    After Röttger et al.'s rule: an answer that starts by declining is a refusal; an answer
    is valid when everything it names — option numbers ("3)", a leading "3") and option
    labels (whole words, the longest label first, so "strongly disagree" is not also read as
    "disagree"; a label ``"Neutral/Unsure"`` also matches "neutral" and "unsure") — points to
    exactly one option. A negated label ("I do not agree") or anything else is invalid.
    """
    cleaned = re.sub(r"[*_#`\"“”„]", "", text).strip().lower()
    cleaned = cleaned.removeprefix(frame.answer_cue.lower()).strip()
    if frame.refusal.match(cleaned):
        return REFUSAL
    if frame.negated_label.search(cleaned):
        return INVALID
    named = {int(number) - 1 for number in _MARKED_NUMBER.findall(cleaned)}
    leading = _LEADING_NUMBER.match(cleaned)
    if leading:
        named.add(int(leading.group(1)) - 1)
    aliases = sorted(
        ((alias.strip().lower(), index) for index, label in enumerate(labels) for alias in {label, *label.split("/")}),
        key=lambda pair: -len(pair[0]),
    )
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(alias) for alias, _ in aliases) + r")(?!\w)")
    by_alias = dict(aliases)
    named |= {by_alias[match] for match in pattern.findall(cleaned)}
    if len(named) == 1 and 0 <= (choice := named.pop()) < len(labels):
        return choice
    return INVALID
