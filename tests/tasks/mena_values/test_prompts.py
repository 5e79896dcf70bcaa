"""MENAValues conditions without a model: documents per condition, prompts, answer parsing,
per-document scoring, and the generated task files."""

import collections
import math
from pathlib import Path

import numpy as np
import pytest

from opinionbench.tasks.mena_values import prompts as mena_prompts
from opinionbench.tasks.mena_values import scoring as mena_scoring
from opinionbench.tasks.mena_values.prompts import COUNTRIES, condition_documents, parse_answer, prompt

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def items(mena_build):
    return mena_build.dataset["test"]


@pytest.fixture(scope="module")
def jordan_q1(items):
    documents = condition_documents(items.filter(lambda row: row["source_column"] == "B"), "persona", "en")
    [doc] = [doc for doc in documents if doc["country"] == "Jordan"]
    return doc


@pytest.mark.parametrize("countries", ["all", "with_data"])
def test_documents_per_condition(items, countries):
    def asked(row):  # the countries each item is asked for
        return list(COUNTRIES) if countries == "all" else row["groups"]

    n_pairs = sum(len(groups) for groups in items["groups"])
    assert len(condition_documents(items, "neutral", "en", countries)) == sum(bool(asked(row)) for row in items)
    persona = condition_documents(items, "persona", "en", countries)
    assert len(persona) == sum(len(asked(row)) for row in items)
    assert len(persona) == (16 * len(items) if countries == "all" else n_pairs)
    for doc in persona:
        assert doc["countries"] == [doc["country"]] and doc["prompt_language"] == "en"
        assert doc["scored_groups"] == ([doc["country"]] if doc["country"] in doc["groups"] else [])
    assert sum(len(doc["scored_groups"]) for doc in persona) == n_pairs  # every human cell scored once

    # Native: one neutral document per (item, translated language with asked countries of that
    # language); one persona/observer document per asked (item, country) whose language the item is
    # translated into.
    expected_neutral, expected_persona = collections.Counter(), 0
    for row in items:
        translated = {entry["language"] for entry in row["native_questions"]}
        languages = [COUNTRIES[country].language for country in asked(row)]
        expected_neutral.update(language for language in set(languages) if language in translated)
        expected_persona += sum(language in translated for language in languages)
    neutral_native = condition_documents(items, "neutral", "native", countries)
    assert collections.Counter(neutral_native["prompt_language"]) == expected_neutral
    for doc in neutral_native:
        assert doc["countries"] == [c for c in asked(doc) if COUNTRIES[c].language == doc["prompt_language"]]
        assert doc["scored_groups"] == [g for g in doc["groups"] if COUNTRIES[g].language == doc["prompt_language"]]
    observer_native = condition_documents(items, "observer", "native", countries)
    assert len(observer_native) == expected_persona > 0
    assert all(doc["prompt_language"] == COUNTRIES[doc["country"]].language for doc in observer_native)


def test_items_without_human_data_are_asked_for_every_country(items):
    """Items #443, #446, #448 have no data: asked for all 16 countries, scored against none."""
    no_data = items.filter(lambda row: not row["groups"])
    assert sorted(no_data["source_column"]) == ["QB", "QE", "QG"]
    persona = condition_documents(no_data, "persona", "en")
    assert len(persona) == 48 and not any(persona["scored_groups"])
    [neutral] = condition_documents(no_data.select([0]), "neutral", "en")
    assert neutral["countries"] == list(COUNTRIES) and neutral["scored_groups"] == []
    assert len(condition_documents(no_data, "observer", "en", "with_data")) == 0


def test_unknown_condition_is_rejected(items):
    with pytest.raises(ValueError, match="framing 'self' is not one of neutral, persona, observer"):
        condition_documents(items, "self", "en")
    with pytest.raises(ValueError, match="language 'fr' is not one of en, native"):
        condition_documents(items, "neutral", "fr")
    with pytest.raises(ValueError, match="countries 'some' is not one of all, with_data"):
        condition_documents(items, "neutral", "en", "some")


def test_prompts_of_each_framing_and_language(items):
    item_b = items.filter(lambda row: row["source_column"] == "B")
    english = item_b[0]["question"]
    [neutral] = condition_documents(item_b, "neutral", "en")
    assert prompt(neutral, reasoning=False) == english
    reasoning = prompt(neutral, reasoning=True)
    assert "Provide a number only." not in reasoning and reasoning.endswith("'Answer: <number>'.")

    persona = {doc["country"]: doc for doc in condition_documents(item_b, "persona", "en")}
    assert prompt(persona["Egypt"], reasoning=False) == f"Imagine you are an average Egyptian.\n{english}"
    observer = {doc["country"]: doc for doc in condition_documents(item_b, "observer", "native")}
    arabic = prompt(observer["Egypt"], reasoning=False)
    assert arabic.startswith("كيف سيجيب مواطن مصري عادي عن السؤال التالي؟\n") and arabic.endswith("أجب برقم فقط.")
    assert prompt(observer["Iran"], reasoning=False).startswith("یک ایرانی معمولی چگونه")
    turkish = prompt(observer["Turkey"], reasoning=True)
    assert turkish.startswith("Sıradan bir Türk aşağıdaki soruyu") and "Yalnızca bir sayı yazın." not in turkish


def test_instruction_is_appended_only_where_missing(items):
    """Arab Opinion Index texts lack "Provide a number only."; WVS texts that have it mid-text
    (before an options list) do not get it twice."""
    counts = collections.Counter()
    for doc in condition_documents(items, "neutral", "en"):
        counts[prompt(doc, reasoning=False).count("Provide a number only.")] += 1
    assert counts == {1: len(items)}


@pytest.mark.parametrize(
    ("text", "reasoning", "expected"),
    [
        ("3", False, ("answered", 3)),
        ("5 or 2", False, ("answered", 2)),  # the first number that is an answer code (paper's rule)
        ("2.0", False, ("answered", 2)),
        ("1.5", False, ("invalid", None)),
        ("١٢ ٣", False, ("answered", 3)),  # Arabic-Indic digits: 12 is no code, 3 is
        ("پاسخ من ۴ است", False, ("answered", 4)),  # Persian digits
        ("I'm sorry, as an AI I have no views.", False, ("refusal", None)),
        ("لا أستطيع الإجابة", False, ("refusal", None)),
        ("Yes", False, ("invalid", None)),
        ("Scale 1 means a lot.\nAnswer: 3", True, ("answered", 3)),
        ("Answer: 2\nOn reflection... Answer: 4", True, ("answered", 4)),
        ("الإجابة: ٢", True, ("answered", 2)),
        ("Cevap: 1", True, ("answered", 1)),
        ("They would say 1 first.\nThe Egyptian's answer is: 4", True, ("answered", 4)),
        ("Answer: 9", True, ("invalid", None)),
        ("I think 2.", True, ("answered", 2)),  # no label: the last line
        ("", True, ("invalid", None)),
    ],
)
def test_answer_parsing(text, reasoning, expected):
    parsed = parse_answer(text, [1, 2, 3, 4], reasoning=reasoning)
    assert (parsed.status, parsed.code) == expected


def test_logprob_scoring_of_the_worked_example(jordan_q1):
    """Jordan Q1: human mean 1.02 on 1..4; an answer of 1 scores 100 * (1 - 0.02 / 3)."""
    loglikelihoods = np.log([0.7, 0.2, 0.06, 0.04])
    scores = mena_scoring.process_logprob(jordan_q1, [(value, False) for value in loglikelihoods])
    payload = scores["nvas"]
    assert payload["groups"] == ["Jordan"] and payload["answer"] == 1 and payload["status"] == "answered"
    assert payload["scores"] == [pytest.approx(100 * (1 - 0.02 / 3))]
    assert payload["top_probability"] == pytest.approx(0.7)
    expected_answer = 0.7 * 1 + 0.2 * 2 + 0.06 * 3 + 0.04 * 4
    assert scores["nvas_expected"]["scores"] == [pytest.approx(100 * (1 - abs(expected_answer - 1.02) / 3))]
    uniform_answer = 2.5
    assert scores["uniform_nvas_expected"]["scores"] == [pytest.approx(100 * (1 - abs(uniform_answer - 1.02) / 3))]
    human = np.asarray(jordan_q1["distributions"][jordan_q1["groups"].index("Jordan")])
    model = np.array([0.7, 0.2, 0.06, 0.04])
    kl = sum(h * math.log(h / m) for h, m in zip(human, model) if h > 0)
    assert scores["kl_divergence"]["scores"] == [pytest.approx(kl, rel=1e-6)]


def test_generation_scoring_counts_refusals_without_a_score(jordan_q1):
    refused = mena_scoring.process_gen(jordan_q1, ["I cannot answer that."], reasoning=False)
    assert refused["nvas"]["scores"] == [None] and refused["nvas"]["status"] == "refusal"
    assert (refused["refusal_rate"], refused["valid_answer_rate"]) == (1.0, 0.0)
    answered = mena_scoring.process_gen(jordan_q1, ["Answer: 2"], reasoning=True)
    assert answered["nvas"]["scores"] == [pytest.approx(100 * (1 - 0.98 / 3))]
    assert answered["nvas"]["reasoning"] is True and answered["nvas"]["mode"] == "gen"


def test_nominal_items_score_by_exact_agreement(items):
    nominal = items.filter(lambda row: row["scale_type"] == "nominal" and "Egypt" in row["groups"]).select([0])
    [doc] = [d for d in condition_documents(nominal, "persona", "en") if d["country"] == "Egypt"]
    mode = doc["reference_values"][doc["groups"].index("Egypt")]
    for code in range(doc["scale_min"], doc["scale_max"] + 1):
        scores = mena_scoring.process_gen(doc, [str(code)], reasoning=False)
        assert scores["nvas"]["scores"] == [100.0 if code == mode else 0.0]


def test_nvas_paper_keys_score_nominal_items_by_the_numeric_distance(items):
    """Q152 (nominal, codes 1..4), Egypt's modal code 1: answer 2 is 0 by exact agreement and
    100 * (1 - 1/3) by the paper's rule; the expected keys likewise by hand."""
    q152 = items.filter(lambda row: row["sub_question"].startswith("Q152:"))
    [doc] = [d for d in condition_documents(q152, "observer", "en") if d["country"] == "Egypt"]
    assert doc["scale_type"] == "nominal" and doc["reference_values"][doc["groups"].index("Egypt")] == 1.0
    generated = mena_scoring.process_gen(doc, ["2"], reasoning=False)
    assert generated["nvas"]["scores"] == [0.0]
    assert generated["nvas_paper"] == {**generated["nvas_paper_stderr"], "scores": [pytest.approx(200 / 3)]}
    probabilities = [0.2, 0.5, 0.2, 0.1]
    scores = mena_scoring.process_logprob(doc, [(value, False) for value in np.log(probabilities)])
    assert scores["nvas"]["scores"] == [0.0] and scores["nvas_paper"]["scores"] == [pytest.approx(200 / 3)]
    expected_answer = 0.2 * 1 + 0.5 * 2 + 0.2 * 3 + 0.1 * 4  # 2.2
    assert scores["nvas_expected"]["scores"] == [pytest.approx(20.0)]  # 100 * P(code 1)
    assert scores["nvas_paper_expected"]["scores"] == [pytest.approx(100 * (1 - (expected_answer - 1) / 3))]
    assert scores["uniform_nvas_expected"]["scores"] == [pytest.approx(25.0)]
    assert scores["uniform_nvas_paper_expected"]["scores"] == [pytest.approx(100 * (1 - 1.5 / 3))]


def test_nvas_paper_equals_nvas_on_ordinal_items(jordan_q1):
    scores = mena_scoring.process_gen(jordan_q1, ["2"], reasoning=False)
    assert scores["nvas_paper"]["scores"] == scores["nvas"]["scores"] == [pytest.approx(100 * (1 - 0.98 / 3))]


def test_every_country_has_a_known_language(items):
    assert {group for groups in items["groups"] for group in groups} == set(COUNTRIES)
    assert {country.language for country in COUNTRIES.values()} == set(mena_prompts.PROMPT_LANGUAGES) - {"en"}
