"""Structural rules of the prompt paraphrases used by the robustness variants."""

import re
import string

import pytest

from opinionbench import families
from opinionbench.tasks.common.instrument_prompts import PARAPHRASES_DE, PARAPHRASES_EN
from opinionbench.tasks.common.variants import N_PARAPHRASES
from opinionbench.tasks.global_opinions.prompts import PARAPHRASES as GLOBAL_OPINIONS_PARAPHRASES
from opinionbench.tasks.mena_values.prompts import PARAPHRASES as MENA_VALUES_PARAPHRASES

FAMILIES = {
    "GLOBAL_OPINIONS": (
        GLOBAL_OPINIONS_PARAPHRASES,
        "Human: {question}\n\nHere are the options:\n{options}\n\nAssistant: ",
        ["options", "question"],
    ),
    "MENA_VALUES": (MENA_VALUES_PARAPHRASES, "{question} Provide a number only.", ["question"]),
    "POLITICAL_EN": (PARAPHRASES_EN, "What is your opinion on this proposition?", []),
    "POLITICAL_DE": (PARAPHRASES_DE, "Wie stehen Sie zu dieser These?", []),
}


@pytest.mark.parametrize("family", [family for family in families.all_families() if family.robustness])
def test_every_family_with_variants_declares_the_canonical_wording_and_one_per_paraphrase(family):
    paraphrases = family.robustness.paraphrases
    assert len(paraphrases) == N_PARAPHRASES + 1
    assert any(paraphrases is templates for templates, _, _ in FAMILIES.values()), family.name


@pytest.mark.parametrize("name", FAMILIES)
def test_count_canonical_and_distinct(name):
    templates, canonical, _ = FAMILIES[name]
    assert isinstance(templates, tuple) and len(templates) == 11
    assert templates[0] == canonical
    normalised = {" ".join(template.split()).lower() for template in templates}
    assert len(normalised) == len(templates)


@pytest.mark.parametrize("name", FAMILIES)
def test_placeholders_exactly_once(name):
    templates, _, fields = FAMILIES[name]
    for template in templates:
        parsed = [
            (field, spec, conv) for _, field, spec, conv in string.Formatter().parse(template) if field is not None
        ]
        assert sorted(field for field, _, _ in parsed) == fields, template
        assert all(not spec and conv is None for _, spec, conv in parsed), template
        filled = template.format(**{field: f"<{field}>" for field in fields})
        assert all(filled.count(f"<{field}>") == 1 for field in fields)


@pytest.mark.parametrize("template", GLOBAL_OPINIONS_PARAPHRASES)
def test_global_opinions_turn(template):
    assert template.startswith("Human: ") and template.endswith("\n\nAssistant: ")
    assert template.count("Human:") == 1 and template.count("Assistant:") == 1
    assert template.index("{question}") < template.index("{options}")


@pytest.mark.parametrize("template", MENA_VALUES_PARAPHRASES)
def test_mena_values_asks_for_a_number_after_the_question(template):
    assert template.startswith("{question} ")
    instruction = template.removeprefix("{question} ")
    assert re.search(r"\bnumber\b", instruction, re.IGNORECASE)
    assert instruction.endswith(".") and instruction == instruction.strip()


@pytest.mark.parametrize("template", PARAPHRASES_EN + PARAPHRASES_DE)
def test_political_lead_line(template):
    assert template == template.strip() and "\n" not in template
    assert template.endswith(("?", "."))


@pytest.mark.parametrize("template", PARAPHRASES_DE)
def test_political_german_is_formal(template):
    assert re.search(r"\bSie\b", template)
    assert not re.search(r"\b(du|dich|dir|dein\w*)\b", template, re.IGNORECASE)
