"""The per-question page of a survey or instrument entry, from its samples log: each question or
statement with the model's answer (its distribution over the options for log-likelihood tasks,
the generated text otherwise) beside the human answers (a survey's mean distribution over the
scored countries and the question's closest and farthest country) or the statement's scoring (an
axis instrument's per-option weights and effects, a party instrument's party positions); for a
survey, the per-country ranking and the world map above them."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from opinionbench.errors import OpinionBenchError
from opinionbench.families import Kind
from opinionbench.tasks.common.surveys import model_distribution

from ..report.rescoring import RescoredTask
from ..report.survey_report import RANKED_BY
from .countries import country_section
from .html import bullets, esc, page, plural, section
from .ingest import Entry
from .links import model_href
from .site_data import SiteData
from .tables import family_table

# An axis instrument's statement fields that state its scoring besides the per-option lists.
_SCORING_FIELD = re.compile(r"(^|_)(axis|effect)$")


@dataclass(frozen=True)
class Question:
    """One logged document as the page shows it."""

    number: int
    text: str
    options: list[str]
    model: list[float] | None  # the model's distribution over the options (log-likelihood tasks)
    answer: str | None  # the generated text (generation tasks)
    human: list[float] | None  # the mean distribution of the scored countries (surveys)
    columns: dict[str, list]  # the per-option scoring weights (axis instruments)
    scoring: list[str]  # the statement's other scoring fields, or each party's position
    countries: list[tuple[str, float]]  # the question's score per country, best first (surveys)


def questions_page(data: SiteData, entry: Entry) -> str:
    """The page of ``entry`` (one with a rescored samples log)."""
    scores = data.samples.scores[entry]
    questions = list(read_questions(entry, scores))
    info = entry.run.info
    flags = data.flags(entry)
    parts = [
        f'<nav class="links"><a href="{esc(model_href(entry.model, "../"))}">{esc(entry.model)}</a></nav>',
        f"<p>Run: {esc(info.summary_line(entry.task))}; file {esc(data.ingested.shown(entry))}.</p>",
        bullets([f"⚠ {flag}" for flag in flags]) if flags else "",
        family_table(data, [entry], "../", link=False),
    ]
    report = data.samples.countries.get(entry)
    if report is not None:
        parts.append(country_section(report))
    kind = "question" if entry.family.kind is Kind.SURVEY else "statement"
    articles = "\n".join(_article(question) for question in questions)
    parts.append(section(f"{plural(len(questions), kind)} as logged", articles, anchor="questions"))
    return page(f"{entry.model} · {entry.task}", "\n".join(parts), home="../index.html")


def read_questions(entry: Entry, scores: RescoredTask):
    """Each logged sample of the entry as a :class:`Question`, with the rescoring's payloads of the
    same document (the payloads are in samples-log order)."""
    kind = entry.family.kind
    ranked = next((metric for metric in RANKED_BY if metric in scores.payloads), None)
    for index, sample in enumerate(entry.run.samples(entry.task)):
        doc = sample["doc"]
        options = [str(option) for option in doc["options"]]
        model, answer = _model_answer(doc, sample["filtered_resps"])
        human, columns, scoring, countries = None, {}, [], []
        if kind is Kind.SURVEY and ranked:
            payload = scores.payloads[ranked][index]
            human = _human_mean(doc, payload["groups"])
            countries = sorted(
                ((g, s) for g, s in zip(payload["groups"], payload["scores"]) if s is not None), key=lambda p: -p[1]
            )
        elif kind is Kind.AXIS_INSTRUMENT:
            columns = {
                name: value
                for name, value in doc.items()
                if isinstance(value, list) and len(value) == len(options) and all(_is_number(v) for v in value)
            }
            scoring = [f"{name} {value}" for name, value in doc.items() if _SCORING_FIELD.search(name)]
        elif kind is Kind.PARTY_AGREEMENT:
            for _, fields in entry.family.instrument.keyed(doc):
                scoring = [
                    f"{party}: {position}" for party, position in zip(fields["parties"], fields["party_positions"])
                ]
        text = doc.get("prompt_question") or doc.get("question") or doc.get("statement") or ""
        yield Question(sample["doc_id"] + 1, str(text), options, model, answer, human, columns, scoring, countries)


def _model_answer(doc: dict, responses: list) -> tuple[list[float] | None, str | None]:
    """The model's distribution over the options (log-likelihood pairs) or its generated text."""
    if responses and all(isinstance(r, list) and len(r) == 2 for r in responses):
        try:
            probabilities, _ = model_distribution(doc, [(float(ll), str(greedy) == "True") for ll, greedy in responses])
        except (OpinionBenchError, ValueError):
            return None, None
        return [float(p) for p in probabilities], None
    while isinstance(responses, list) and responses:
        responses = responses[0]
    return None, str(responses)


def _human_mean(doc: dict, groups: list[str]) -> list[float]:
    """The mean answer distribution of the scored groups (countries)."""
    chosen = [doc["distributions"][doc["groups"].index(group)] for group in groups if group in doc["groups"]]
    return [float(v) for v in np.mean(chosen, axis=0)] if chosen else []


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _article(question: Question) -> str:
    chosen = int(np.argmax(question.model)) if question.model else None
    shares = {"model": question.model, "human (mean of the countries)": question.human}
    shares = {name: values for name, values in shares.items() if values}
    headers = ["option", *shares, *question.columns]
    rows = []
    for index, option in enumerate(question.options):
        cells = ["<td>" + esc(option) + (" <strong>(chosen)</strong>" if index == chosen else "") + "</td>"]
        cells += [f'<td data-value="{values[index]!r}">{values[index]:.1%}</td>' for values in shares.values()]
        cells += [f"<td>{esc(values[index])}</td>" for values in question.columns.values()]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    parts = [
        f'<article class="question" id="q{question.number}"><h3>{question.number}. {esc(question.text)}</h3>',
        f'<div class="scroll"><table class="options"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>',
    ]
    if question.answer is not None:
        parts.append(f"<p>Answer: <q>{esc(question.answer)}</q></p>")
    if question.scoring:
        parts.append(f"<details><summary>scoring</summary><small>{esc(' · '.join(question.scoring))}</small></details>")
    if question.countries:
        (best, high), (worst, low) = question.countries[0], question.countries[-1]
        listed = " · ".join(f"{country} {score:.3f}" for country, score in question.countries)
        parts.append(
            f"<details><summary>closest: {esc(best)} {high:.3f}; farthest: {esc(worst)} {low:.3f}; "
            f"{plural(len(question.countries), 'country', 'countries')}</summary><small>{esc(listed)}</small></details>"
        )
    return "".join(parts) + "</article>"
