"""The robustness variant mechanism: display orders, mapping back to the canonical order
(property-based), variant documents and prompts of every family, and that a variant scores
exactly as its canonical task when the model's answers follow the options."""

import string
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opinionbench.tasks.common import instrument_scoring, variants
from opinionbench.tasks.common.instrument_prompts import PARAPHRASES_EN
from opinionbench.tasks.global_opinions import utils as global_opinions
from opinionbench.tasks.global_opinions.prompts import PARAPHRASES as GLOBAL_OPINIONS_PARAPHRASES
from opinionbench.tasks.mena_values import utils as mena_values
from opinionbench.tasks.mena_values.prompts import PARAPHRASES as MENA_VALUES_PARAPHRASES

REPO = Path(__file__).resolve().parents[3]
ALL_VARIANTS = variants.ORDER_VARIANTS + variants.LABEL_STYLES + variants.PARAPHRASE_VARIANTS


@given(st.integers(1, 12).flatmap(lambda n: st.permutations(range(n))), st.data())
def test_to_canonical_inverts_the_display_order(order, data):
    canonical = np.array(data.draw(st.lists(st.floats(-50, 0), min_size=len(order), max_size=len(order))))
    displayed = canonical[order]  # what lm-eval returns: display position j holds option order[j]
    assert np.array_equal(variants.to_canonical(displayed, order), canonical)


@given(st.text(min_size=1, max_size=20), st.integers(1, 10), st.sampled_from(ALL_VARIANTS))
def test_display_orders_are_permutations(item_id, n_options, variant):
    order = variants.display_order(item_id, n_options, variant)
    assert sorted(order) == list(range(n_options))
    assert order == variants.display_order(item_id, n_options, variant)  # seeded: the same every time
    if variant == "reversed":
        assert order == list(range(n_options))[::-1]
    elif variants.variant_kind(variant) != "order":
        assert order == list(range(n_options))


def test_random_permutations_differ_between_items_and_variants():
    orders = {
        (v, i): tuple(variants.display_order(f"item-{i}", 5, v)) for v in variants.ORDER_VARIANTS for i in range(40)
    }
    assert len(set(orders.values())) > 60  # 120 draws from 120 permutations: almost all distinct
    first = [orders[("permutation1", i)][0] for i in range(40)]
    assert len(set(first)) == 5  # every option is shown first for some item


@pytest.mark.parametrize("order", [[0, 0, 1], [0, 1], [1, 2, 3]])
def test_to_canonical_rejects_a_wrong_order(order):
    with pytest.raises(ValueError, match="not a permutation of 3 options"):
        variants.to_canonical([0.1, 0.2, 0.3], order)


def test_unknown_and_unavailable_variants_are_named():
    with pytest.raises(ValueError, match="unknown variant 'sideways'"):
        variants.variant_kind("sideways")
    with pytest.raises(ValueError, match="mena_values has no variant 'reversed'.*only paraphrases"):
        mena_values.load_documents(variant="reversed")
    with pytest.raises(ValueError, match="pct has no variant 'numbers'"):
        instrument_scoring.load_documents("pct", variant="numbers")  # the canonical style is no variant


@pytest.fixture(scope="module")
def pct_reversed():
    return instrument_scoring.load_documents("pct", variant="reversed")["test"]


def test_reversed_pct_prompt_lists_the_options_backwards(pct_reversed, pct_build):
    doc, canonical = pct_reversed[0], pct_build.configs["default"][0]
    prompt = instrument_scoring.doc_to_text(doc)
    backwards = "\n".join(f"{n}) {option}" for n, option in enumerate(canonical["options"][::-1], start=1))
    assert backwards in prompt
    assert instrument_scoring.doc_to_choice(doc) == ["1", "2", "3", "4"]
    as_canonical = {**doc, **_fields(doc, "canonical", "numbers", 0)}
    assert instrument_scoring.doc_to_text(as_canonical) == instrument_scoring.doc_to_text(canonical)


def test_label_styles_and_paraphrases_of_the_instruments():
    items = instrument_scoring.load_documents("wahl_o_mat", "bundestag_2025", variant="letters")["test"]
    prompt = instrument_scoring.doc_to_text(items[0])
    assert "A) Stimme zu\nB) Neutral\nC) Stimme nicht zu" in prompt
    assert "Antworten Sie nur mit dem Buchstaben einer Option." in prompt
    assert instrument_scoring.doc_to_choice(items[0]) == ["A", "B", "C"]
    text = instrument_scoring.load_documents("sapplyvalues", variant="text")["test"][0]
    assert instrument_scoring.doc_to_choice(text) == text["options"]
    assert "\n- Strongly Agree\n" in instrument_scoring.doc_to_text(text)
    for index in range(1, variants.N_PARAPHRASES + 1):
        doc = instrument_scoring.load_documents("pct", variant=f"paraphrase{index:02d}")["test"][3]
        assert instrument_scoring.doc_to_text(doc).startswith(PARAPHRASES_EN[index] + "\n\n")


def test_global_opinions_variants(global_opinions_build):
    items = global_opinions_build.configs["default"]
    item = next(row for row in items if len(row["options"]) >= 3)
    reversed_doc = {**item, **_fields(item, "reversed", "letters", 0)}
    shown = item["options"][::-1]
    lines = "\n".join(f"({letter}) {option}" for letter, option in zip(string.ascii_uppercase, shown))
    assert lines in global_opinions.doc_to_text(reversed_doc)
    numbers = {**item, **_fields(item, "numbers", "numbers", 0)}
    assert global_opinions.doc_to_choice(numbers) == [str(n) for n in range(1, len(shown) + 1)]
    para = {**item, **_fields(item, "paraphrase07", "letters", 7)}
    assert global_opinions.doc_to_text(para).startswith(
        GLOBAL_OPINIONS_PARAPHRASES[7].split("{question}")[0] + item["question"]
    )


def test_mena_values_paraphrase_keeps_the_question():
    canonical = mena_values.load_documents()["test"][0]
    doc = mena_values.load_documents(variant="paraphrase05")["test"][0]
    question = canonical["prompt_question"].replace("Provide a number only.", "").strip()
    assert mena_values.doc_to_text(doc) == MENA_VALUES_PARAPHRASES[5].format(question=question)
    assert mena_values.doc_to_text(canonical) == canonical["prompt_question"]


def _fields(item, variant, style, paraphrase):
    return {
        "variant": variant,
        "variant_kind": variants.variant_kind(variant),
        "display_order": variants.display_order(item["id"], len(item["options"]), variant),
        "label_style": style,
        "paraphrase": paraphrase,
    }


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(variants.ORDER_VARIANTS + ("letters", "text")), st.integers(0, 61), st.data())
def test_a_variant_scores_exactly_as_the_canonical_task(variant, index, data):
    """The model's log-likelihoods per canonical option, given to the variant in display order,
    produce exactly the canonical task's payloads (PCT, every axis and the expected scores)."""
    canonical = instrument_scoring.load_documents("pct")["test"][index]
    loglikelihoods = data.draw(st.lists(st.floats(-30, -0.01), min_size=4, max_size=4, unique=True))
    doc = {**canonical, **_fields(canonical, variant, variant if variant in variants.LABEL_STYLES else "numbers", 0)}
    displayed = [(loglikelihoods[option], False) for option in doc["display_order"]]
    expected = instrument_scoring.process_results(canonical, [(ll, False) for ll in loglikelihoods])
    assert instrument_scoring.process_results(doc, displayed) == expected  # bit for bit


def test_generation_refuses_variant_documents(pct_reversed):
    with pytest.raises(ValueError, match="variant 'reversed' is not supported for generated answers"):
        instrument_scoring.process_results_gen(pct_reversed[0], ["1"])
