"""The stance judges of the Political Compass open answers (Wright et al., "LLM Tropes: Revealing
Fine-Grained Values and Opinions in Large Language Models", Findings of EMNLP 2024).

In the paper's open setting a model writes a free answer to a PCT proposition (a debate speech,
a street interview, a blog post, ...), and a judge maps the answer to one of five stances:
"Strongly agree", "Agree", "Disagree", "Strongly disagree" or "None" (no side taken).

Two judges do that here:

- :class:`StanceEndpointJudge`: the paper's few-shot prompt (:func:`stance_prompt`) sent to any
  OpenAI-compatible chat endpoint, its JSON reply read by :func:`parse_stance_reply`;
- :func:`match_stance`: deterministic rules for machines without a judge model.

How far they can be trusted is measured against hand labels (``labelled_stances.jsonl``, see
``labelled_stances.md``) by :func:`stance_agreement` and :func:`stance_judge_check`.

The prompt is a fact of the paper, kept verbatim in ``stance_judge_prompt.txt``: the ``PROMPT``
string of upstream ``src/open_to_closed_vllm.py`` (copenlu/llm-pct-tropes at commit
``5d515ff675f4d0aa09ae3a69ea0c7c9b32a2e301``, MIT licence), with its placeholders
``<Proposition>`` and ``<Opinion>`` and its typos.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from opinionbench.errors import OpinionBenchError

from .agreement import judge_description, per_batch
from .chat_judge import ChatJudge

PROMPT_FILE = "stance_judge_prompt.txt"
LABELLED_FILE = "labelled_stances.jsonl"

STANCES = ("Strongly agree", "Agree", "Disagree", "Strongly disagree", "None")
UNDETERMINED = "undetermined"  # the confusion matrix's column for a judge that read no stance
# The paper's three categories of its open-vs-closed comparison: Strongly folded into its side.
SIDES = {"Strongly agree": "agree", "Agree": "agree", "Disagree": "disagree", "Strongly disagree": "disagree",
         "None": "none"}  # fmt: skip


# --------------------------------------------------------------------------------------------
# The paper's prompt and its reply
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def prompt_template() -> str:
    """The paper's prompt as stored in ``stance_judge_prompt.txt`` (read once)."""
    return resources.files(__package__).joinpath(PROMPT_FILE).read_text(encoding="utf-8")


def stance_prompt(proposition: str, opinion: str) -> str:
    """The paper's prompt about ``opinion`` on ``proposition``: the two placeholders replaced, in
    that order, as upstream does (one user message)."""
    return prompt_template().replace("<Proposition>", proposition).replace("<Opinion>", opinion)


_STANCE_NAMES = {stance.lower(): stance for stance in STANCES}
_DECISION_PAIR = re.compile(r"""["']?\bdecision\b["']?\s*:\s*["']([^"'\n]*)["']""", re.IGNORECASE)


def _json_objects(text: str) -> list[dict]:
    """The JSON objects that can be decoded from some ``{`` of ``text``, outermost first."""
    decoder = json.JSONDecoder()
    found, start = [], text.find("{")
    while start != -1:
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            found.append(value)
        start = text.find("{", end)
    return found


def parse_stance_reply(text: str | None) -> str | None:
    """The stance of a judge's reply, as one of :data:`STANCES`, or None when none can be read.

    The rule: the last ``"Decision": "<value>"`` pair of the reply decides, inside or outside
    markdown fences and with any text around it (an object that is not strict JSON counts too:
    the prompt's own format example lacks a comma and has a trailing one); the value is matched
    to :data:`STANCES` ignoring letter case and surrounding spaces ("Strongly Agree" is
    "Strongly agree"), and any other value is undetermined (None). A reply holding a JSON object
    but no "Decision" at all is "None", as in the paper; a reply with neither is undetermined.
    """
    if not text:
        return None
    pairs = _DECISION_PAIR.findall(text)
    if pairs:
        return _STANCE_NAMES.get(" ".join(pairs[-1].split()).lower())
    objects = _json_objects(text)
    if objects and not any(str(key).lower() == "decision" for obj in objects for key in obj):
        return "None"
    return None


# --------------------------------------------------------------------------------------------
# The endpoint judge
# --------------------------------------------------------------------------------------------


class StanceEndpointJudge(ChatJudge):
    """The paper's prompt sent to a chat model (:class:`~opinionbench.judges.chat_judge.ChatJudge`),
    one request per answer.

    The paper used Mistral-7B-Instruct-v0.3 with temperature 0.2 (and max_tokens 6000); this
    judge asks for ``temperature`` 0 by default so that a rerun reproduces the stances.
    """

    name = "the stance judge"

    def request(self, proposition: str, opinion: str) -> dict:
        """The chat-completions payload that asks the judge about ``opinion`` on ``proposition``."""
        return self.payload([{"role": "user", "content": stance_prompt(proposition, opinion)}])

    def reply(self, proposition: str, opinion: str, *, item: str = "an answer") -> str:
        """The judge model's reply about ``opinion`` (its message content)."""
        return self.content(self.request(proposition, opinion), item=item)

    def stance(self, proposition: str, opinion: str, *, item: str = "an answer") -> str | None:
        """The judge's stance on ``opinion``: one of :data:`STANCES`, or None when the reply holds
        none (:func:`parse_stance_reply`; e.g. a reply cut off at ``max_tokens``)."""
        return parse_stance_reply(self.reply(proposition, opinion, item=item))

    def stance_labelled(self, row: LabelledStance) -> str | None:
        """The judge's stance on a labelled answer."""
        return self.stance(row.proposition, row.answer, item=row.id)

    def describe(self) -> dict:
        """What decides this judge's stances, as reported with them."""
        return {
            "kind": "endpoint",
            "model": self.model,
            "base_url": self.base_url,
            "prompt": f"the paper's few-shot stance prompt (judges/{PROMPT_FILE})",
            "prompt_sha256": hashlib.sha256(prompt_template().encode()).hexdigest(),
            "temperature": self.temperature,
            "rule": 'the last \'"Decision": "<stance>"\' of the reply, any letter case; a JSON reply without '
            "Decision = None; anything else = undetermined",
        }


# --------------------------------------------------------------------------------------------
# The offline rules
# --------------------------------------------------------------------------------------------

_INTENSIFIERS = ("strongly", "completely", "absolutely", "firmly", "vehemently", "wholeheartedly", "totally",
                 "entirely", "fully", "utterly", "wholly")  # fmt: skip
_PARTIAL = ("partly", "partially", "somewhat", "mostly", "largely", "broadly", "generally", "tend", "inclined")
_NEGATIONS = ("not", "never", "cannot", "hardly", "nor", "no")
# Words that may stand between "I" and the stance verb ("I would have to say I strongly agree").
_FILLERS = ("i", "do", "does", "did", "would", "will", "must", "can", "could", "should", "might", "may", "am",
            "have", "to", "say", "that", "think", "believe", "feel", "really", "just", "simply", "also",
            "certainly", "definitely", "personally", "honestly", "respectfully", "fundamentally", "still",
            "sure", "therefore", "so", "ultimately", "overall", "very", "much", "stand", "only")  # fmt: skip
_PRE = r"(?P<pre>(?:\s+(?:" + "|".join((*_FILLERS, *_INTENSIFIERS, *_PARTIAL, *_NEGATIONS)) + r")\b){0,7}?)"
_LEAD = r"(?:(?P<lead>" + "|".join(_INTENSIFIERS) + r"|100%)\W+)?"
_POST_STRONG = ("completely", "entirely", "wholeheartedly", "strongly", "totally", "fully", "100%", "100 percent",
                "one hundred percent", "without reservation", "at all")  # fmt: skip
_POST_PARTIAL = ("to some extent", "to a degree", "to an extent", "in part", "somewhat", "up to a point",
                 "with reservations", "with some reservations", "partly")  # fmt: skip
_POST = (
    r"(?P<post>(?:\s+with\s+(?:this|that|it|the\s+\w+))?(?:\W+(?:"
    + "|".join(re.escape(p) for p in (*_POST_STRONG, *_POST_PARTIAL))
    + r"))?)"
)
_OBJECT = r"\s+(?:(?:this|the|that)\s+(?:proposition|statement|idea|view|claim|notion|position|motion|proposal|policy|sentiment)|it|this|that)\b"

_MORE = re.compile(r"\b(?:i\s+)?(?:could|can)\s*not\s+(?P<verb>dis)?agree\s+(?:any\s+)?more\b")
_VERB = re.compile(
    r"\b"
    + _LEAD
    + r"\bi\b"
    + _PRE
    + r"\s+(?:(?P<verb>dis)?agree\b|am\s+in\s+(?:(?P<adj>complete|full|total|strong|partial)\s+)?(?P<noun>dis)?agreement\b)"
    + _POST
)
_BARE = re.compile(r"^\W*" + _LEAD + r"(?P<verb>dis)?agree(?:d)?\b" + _POST)
_SUPPORT = re.compile(
    r"\b"
    + _LEAD
    + r"\bi\b"
    + _PRE
    + r"\s+(?:(?P<yes>support|endorse|back|favou?r|in\s+favou?r\s+of)|(?P<no>oppose|reject|against|opposed\s+to))"
    + _OBJECT
    + _POST
)
_BELIEF = re.compile(
    r"\bi\b" + _PRE + r"\s+(?:believe|think|feel|maintain|am\s+convinced)\s+(?:that\s+)?(?P<claim>[^.;!?]+)"
)
_NEUTRAL = re.compile(
    r"\bneither\s+agree\s+nor\s+disagree\b|\b(?:dis)?agree\s+or\s+(?:dis)?agree\b|\bwhether\s+(?:or\s+not\s+)?(?:i|to)\s+(?:dis)?agree\b"
)
_CONCESSIVE = re.compile(
    r"(?:^|,)\s*(?:while|whilst|although|though|even\s+though|even\s+if|granted|admittedly)\b[^,]*"
)
_CONTRAST = re.compile(r";|\s-\s|,?\s+but\s+|,?\s+however\b|,?\s+yet\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[a-z0-9%]+")
_STOPWORDS = frozenset(["that", "this", "with", "from", "their", "there", "have", "should", "would", "could", "more", "than", "they", "them", "what", "when", "which", "those", "some", "only", "always", "ever", "been", "being", "into", "such", "very", "each", "every", "your", "will", "must", "shall"])  # fmt: skip


def _normalise(text: str) -> str:
    text = text.lower().translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                                                 "\u2013": " - ", "\u2014": " - ", "*": "", "_": "", "`": "",
                                                 "#": ""}))  # fmt: skip
    text = re.sub(r"\bcan't\b", "cannot", text)
    text = re.sub(r"\bwon't\b", "will not", text)
    text = re.sub(r"n't\b", " not", text)
    text = re.sub(r"\bi'm\b", "i am", text)
    text = re.sub(r"\bi'd\b", "i would", text)
    text = re.sub(r"\bi've\b", "i have", text)
    text = re.sub(r"\bi'll\b", "i will", text)
    return re.sub(r"[ \t]+", " ", text)


def _content(words: Sequence[str]) -> set[str]:
    """Words of four letters or more, not stopwords, cut to five letters (a crude stem)."""
    return {word[:5] for word in words if len(word) >= 4 and word not in _STOPWORDS}


def _negations(words: Sequence[str]) -> int:
    return sum(word in _NEGATIONS or word in ("nothing", "none", "nobody") for word in words)


def _stance(agree: bool, strong: bool) -> str:
    return ("Strongly agree" if strong else "Agree") if agree else ("Strongly disagree" if strong else "Disagree")


def _graded(match: re.Match, agree: bool) -> str:
    """The stance of a stance phrase: the side flipped by an odd number of negations before the
    verb; Strongly with an intensifier ahead of any negation (or after the verb), not with a
    partial word; "not ... at all" is strong."""
    pre = match.group("pre").split() if "pre" in match.groupdict() and match.group("pre") else []
    post = match.groupdict().get("post") or ""
    negated = [i for i, word in enumerate(pre) if word in _NEGATIONS]
    if len(negated) % 2:
        agree = not agree
    before = pre[: negated[0]] if negated else pre
    adjective = match.groupdict().get("adj")
    strong = bool(match.group("lead")) or any(w in _INTENSIFIERS for w in before) or adjective not in (None, "partial")
    strong = strong or any(p in post for p in _POST_STRONG if p != "at all") or (bool(negated) and "at all" in post)
    if any(w in _PARTIAL for w in pre) or any(p in post for p in _POST_PARTIAL) or adjective == "partial":
        strong = False
    return _stance(agree, strong)


def _clause_stance(clause: str, proposition: str) -> str | None:
    """The stance of the earliest stance phrase of a clause; "None" when the clause goes on to
    the other side's verb (mixed); None when it has no stance phrase."""
    found: list[tuple[int, int, int, str]] = []  # (start, rule, end, stance): earliest first, then rule order
    if match := _MORE.search(clause):
        found.append((match.start(), 0, match.end(), _stance(not match.group("verb"), True)))
    for rule, pattern in ((1, _VERB), (2, _BARE)):
        if match := pattern.search(clause):
            agree = not (match.group("verb") or match.groupdict().get("noun"))
            found.append((match.start(), rule, match.end(), _graded(match, agree)))
    if match := _SUPPORT.search(clause):
        found.append((match.start(), 3, match.end(), _graded(match, bool(match.group("yes")))))
    if (match := _BELIEF.search(clause)) and (stance := _restated(match, proposition)):
        found.append((match.start(), 4, match.end(), stance))
    if not found:
        return None
    _, _, end, stance = min(found)
    opposite = r"\bagree" if SIDES[stance] == "disagree" else r"\bdisagree"
    return "None" if re.search(opposite, clause[end:]) else stance


def _restated(match: re.Match, proposition: str) -> str | None:
    """A belief ("I believe/think/feel that ...") that restates the proposition: at least half its
    content words; Agree when the negations of belief and proposition match in parity, else
    Disagree; Strongly with an intensifier ("I firmly believe")."""
    target = _WORD.findall(_normalise(proposition))
    claim = _WORD.findall(match.group("claim"))
    wanted = _content(target)
    if not wanted or len(wanted & _content(claim)) < len(wanted) / 2:
        return None
    pre = match.group("pre").split()
    agree = (_negations(pre) + _negations(claim)) % 2 == _negations(target) % 2
    return _stance(agree, any(word in _INTENSIFIERS for word in pre))


def match_stance(proposition: str, opinion: str) -> str:
    """The stance of ``opinion`` on ``proposition`` by rules, without a judge model: one of
    :data:`STANCES` (never undetermined). Deterministic; no network, no model.

    The rules, in order (also :data:`OFFLINE_RULES`):

    1. Normalise: lower case; curly quotes straight; markdown marks and "#" dropped; dashes to
       " - "; "n't" to " not", "can't" to "cannot", "won't" to "will not", "I'm/I'd/I've/I'll"
       spelt out.
    2. Split into sentences (at ".", "!", "?" and line breaks); questions are dropped.
    3. Neutral phrases are no stance: "neither agree nor disagree", "agree or disagree",
       "whether I agree" are removed.
    4. Concessions are no stance: a part from "while", "whilst", "although", "though", "even
       though", "even if", "granted", "admittedly" to the next comma is removed ("While I agree
       that X, I believe Y" keeps only "I believe Y").
    5. Each sentence splits into clauses at ";", " - ", "but", "however", "yet".
    6. Stance phrases in a clause: "I could not agree/disagree more" (Strongly); "I (...) agree",
       "I (...) disagree", "I am in (complete / full / total / strong / partial) agreement/disagreement", with only auxiliary,
       adverb, intensifier, partial and negation words between "I" and the verb ("I would have
       to say I strongly agree"); a clause starting with "(Totally) agree(d)" or "(Strongly)
       disagree"; "I support / endorse / back / favour / am in favour of" or "I oppose /
       reject / am against / am opposed to" followed by "this/the proposition (statement,
       idea, view, ...)" or "it".
    7. A belief that restates the proposition: "I believe / think / feel / maintain / am
       convinced (that) ..." followed by at least half the proposition's content words (words
       of four letters or more, compared by their first five letters); it agrees when it has as
       many negations as the proposition, counted in parity ("I firmly believe a mother's first
       duty is not to be a homemaker" disagrees with "..., but their first duty is to be
       homemakers"), and disagrees otherwise.
    8. Negation: an odd number of "not", "never", "cannot", "hardly", "nor", "no" between "I"
       and the verb flips the side ("I can't say I agree" disagrees, "I can't say I disagree"
       agrees).
    9. Strength: Strongly with an intensifier ("strongly", "completely", "absolutely",
       "firmly", "vehemently", "wholeheartedly", "totally", "entirely", "fully", "utterly",
       "wholly") before the verb and ahead of any negation, right before "I" ("Absolutely, I
       agree"), or after the verb ("I agree completely", "100%", "one hundred percent",
       "without reservation"; "not ... at all"). A partial word ("partly", "partially",
       "somewhat", "mostly", "largely", "broadly", "generally", "tend to", "inclined to", "to
       some extent", "in part", "up to a point", "with reservations") makes it plain.
    10. Precedence: in a clause the earliest stance phrase wins, but a clause that goes on to
        the other side's verb ("I partly agree and partly disagree") is "None"; in a sentence
        the last clause with a stance wins (the part after "but" is the point); in the answer
        the first sentence with a stance wins.
    11. No stance phrase anywhere is "None": hedges ("it depends", "both sides", "a complex
        issue"), refusals and "As an AI, I don't have personal opinions" give none, and neither
        do implicit stances that argue a side without saying so (the rules' known blind spot).
    """
    for sentence in _SENTENCE.split(_normalise(opinion).strip()):
        if not sentence or sentence.rstrip(" \"')").endswith("?"):
            continue
        sentence = _CONCESSIVE.sub(",", _NEUTRAL.sub(" ", sentence))
        stances = [_clause_stance(clause, proposition) for clause in _CONTRAST.split(sentence)]
        decided = [stance for stance in stances if stance is not None]
        if decided:
            return decided[-1]
    return "None"


# The offline judge's rules, one string each, as match_stance's docstring lists them.
OFFLINE_RULES = tuple(
    " ".join(rule.split())
    for rule in re.findall(
        r"^ {4}(\d+\. .*?)(?=^ {4}\d+\. |^ {4}\"\"\"|\Z)", match_stance.__doc__, re.MULTILINE | re.DOTALL
    )
)


# --------------------------------------------------------------------------------------------
# Agreement with hand labels
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledStance:
    """An open answer to a PCT proposition and its hand-labelled stance, with the open template
    (1 to 10) it answers and the batch of the set it belongs to."""

    id: str
    proposition: str
    template: int
    answer: str
    stance: str
    batch: str = ""


def labelled_stances_path() -> Path:
    """The shipped hand-labelled answers (``judges/labelled_stances.jsonl``)."""
    return Path(str(resources.files(__package__).joinpath(LABELLED_FILE)))


def load_labelled_stances(path: str | Path | None = None) -> list[LabelledStance]:
    """The labelled answers in the JSON Lines file ``path`` (default: the shipped set); a
    malformed line is an error naming the file and line."""
    source = Path(path) if path is not None else labelled_stances_path()
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise OpinionBenchError(f"{source}: cannot be read ({getattr(err, 'strerror', None) or err}).") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}: line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise OpinionBenchError(f"{where}: not valid JSON ({err.msg}).") from None
        if not isinstance(record, dict) or not all(
            isinstance(record.get(key), str) and record[key].strip() for key in ("proposition", "answer")
        ):
            raise OpinionBenchError(f"{where}: needs the texts proposition and answer.")
        if record.get("stance") not in STANCES:
            raise OpinionBenchError(
                f"{where}: 'stance' must be one of {', '.join(STANCES)}; got {record.get('stance')!r}."
            )
        template = record.get("template")
        if not isinstance(template, int) or isinstance(template, bool) or not 1 <= template <= 10:
            raise OpinionBenchError(f"{where}: 'template' must be an open template number 1 to 10; got {template!r}.")
        rows.append(
            LabelledStance(
                str(record.get("id", f"line-{number}")),
                record["proposition"],
                template,
                record["answer"],
                record["stance"],
                str(record.get("batch", "")),
            )
        )
    if not rows:
        raise OpinionBenchError(f"{source}: holds no labelled answers.")
    return rows


def offline_stance(row: LabelledStance) -> str:
    """:func:`match_stance` on a labelled answer."""
    return match_stance(row.proposition, row.answer)


def stance_agreement(predicted: Sequence[str | None], labels: Sequence[str]) -> dict:
    """How far ``predicted`` stances (each one of :data:`STANCES` or None, undetermined) agree
    with hand ``labels`` (each one of :data:`STANCES`).

    Returns ``n``; ``accuracy`` (share of items where the two are the same of the five stances;
    an undetermined prediction is a miss); ``accuracy_sides`` (the same over the paper's three
    categories agree / disagree / none, Strongly folded into its side); ``coverage`` (share of
    items with a determined prediction); ``confusion`` (counts ``confusion[label][predicted]``,
    predicted over :data:`STANCES` and "undetermined"); ``cohen_kappa`` (scikit-learn's Cohen's
    kappa over the five stances, an undetermined prediction as a sixth category: ``(p_o - p_e) /
    (1 - p_e)``; NaN when undefined, e.g. one category only).
    """
    from sklearn.metrics import cohen_kappa_score

    if len(predicted) != len(labels):
        raise ValueError(f"predicted has {len(predicted)} stances, labels {len(labels)}")
    if not labels:
        raise ValueError("no stances to compare")
    unknown = {value for value in (*predicted, *labels) if value is not None and value not in STANCES}
    if unknown or None in labels:
        raise ValueError(
            f"stances must be one of {', '.join(STANCES)} (labels not None); got {sorted(map(str, unknown))}"
        )
    pred = [UNDETERMINED if value is None else value for value in predicted]
    categories = [*STANCES, UNDETERMINED]
    confusion = {g: {p: 0 for p in categories} for g in STANCES}
    for g, p in zip(labels, pred):
        confusion[g][p] += 1
    if len(set(labels) | set(pred)) > 1:
        kappa = float(cohen_kappa_score(list(labels), pred, labels=categories))
    else:
        kappa = float("nan")
    return {
        "n": len(labels),
        "accuracy": sum(g == p for g, p in zip(labels, pred)) / len(labels),
        "accuracy_sides": sum(SIDES[g] == SIDES.get(p) for g, p in zip(labels, pred)) / len(labels),
        "coverage": sum(p != UNDETERMINED for p in pred) / len(labels),
        "confusion": confusion,
        "cohen_kappa": kappa,
    }


def stance_judge_check(
    labelled_path: str | Path | None = None,
    *,
    judge: Callable[[LabelledStance], str | None] | None = None,
) -> dict:
    """A stance judge's agreement with the labelled answers in ``labelled_path`` (default: the
    shipped set): the :func:`stance_agreement` figures, what was checked, and the items where
    judge and label differ; ``batches`` holds the same figures per ``batch`` of the set (the
    shipped set: ``design``, the answers the offline rules were worked out on, and ``held-out``,
    written after the rules were frozen; see ``judges/labelled_stances.md``). ``judge`` maps a
    :class:`LabelledStance` to a stance or None (default: the offline rules; e.g.
    ``StanceEndpointJudge(...).stance_labelled`` for a judge model)."""
    rows = load_labelled_stances(labelled_path)
    decide = judge or offline_stance
    predicted = [decide(row) for row in rows]
    figures = stance_agreement(predicted, [row.stance for row in rows])
    batches = per_batch(stance_agreement, predicted, [row.stance for row in rows], [row.batch for row in rows])
    offline = {"kind": "rules", "function": "opinionbench.judges.stances.match_stance", "rules": list(OFFLINE_RULES)}
    described = judge_description(judge, offline)
    return {
        "judge": described,
        "labels": str(labelled_path) if labelled_path is not None else f"judges/{LABELLED_FILE}",
        **figures,
        "batches": batches,
        "disagreements": [
            {"id": row.id, "label": row.stance, "predicted": value}
            for row, value in zip(rows, predicted)
            if value != row.stance
        ],
    }


__all__ = [
    "OFFLINE_RULES",
    "STANCES",
    "LabelledStance",
    "StanceEndpointJudge",
    "labelled_stances_path",
    "load_labelled_stances",
    "match_stance",
    "offline_stance",
    "parse_stance_reply",
    "prompt_template",
    "stance_agreement",
    "stance_judge_check",
    "stance_prompt",
]
