"""Persona-conditioned prompts of the axis instruments (Wright, Arora, Borenstein, Yadav, Belongie,
Augenstein, "LLM Tropes: Revealing Fine-Grained Values and Opinions in Large Language Models",
Findings of EMNLP 2024): each statement asked under a persona condition and a prompt template.

A **persona condition** is the paper's system prompt with demographic values ("Please follow all
instructions from the perspective of a person who is 18 years old. ...") or the base case without
one; a single value of one category (age, gender, class, nation, political orientation: 21
values) or, as an option, a value of each of two categories ("48 years old and female"). A
**template** is one of the paper's 10 closed instructions (the options listed, shuffled per prompt
with a fixed seed and mapped back) or 10 open ones (a free answer). The system prompt ends with the
paper's JSON answer format; the answer starts with its primer (``{ "selection": "``).

The paper's persona values, templates and prompt strings are facts, copied verbatim into
``llm_tropes_prompts.json`` (upstream ``personas.json``, ``instructions.json``, ``src/data.py``):
the persona phrase keeps upstream's "politcal views". One whitespace choice is ours: the system
prompt and the format string are separated by one space (upstream: none in the base case, two
with a persona).

Which conditions and templates a task asks is its grid (``dataset_kwargs``) or ``--metadata``:
``personas`` ``default`` (the base case and the first value of each category in upstream order),
``single`` (the base case and all 21 values), ``pairs`` (the base case and every value pair of two
categories, 175), or a comma-separated list of condition ids (``base``, ``age=18``,
``age=48+gender=female``); ``templates`` ``default`` (closed 1, open 1), ``all``, or a list
(``closed1,open3``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import datasets
import numpy as np

from opinionbench.errors import OpinionBenchError

PROMPTS_FILE = "llm_tropes_prompts.json"
CATEGORIES = ("age", "gender", "cls", "nation", "political_orientation")  # upstream's order and names
CATEGORY_TITLES = {
    "age": "age",
    "gender": "gender",
    "cls": "class",
    "nation": "nation",
    "political_orientation": "political orientation",
}
BASE = "base"
DOMAINS = ("closed", "open")
GRIDS = {"default": ("default", "default"), "full": ("single", "all")}  # (personas, templates) of a grid


@lru_cache(maxsize=1)
def prompts() -> dict:
    """The paper's persona values, templates and prompt strings (``llm_tropes_prompts.json``)."""
    return json.loads(resources.files(__package__).joinpath(PROMPTS_FILE).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Persona:
    """A persona condition: ``(category, value)`` pairs in upstream's category order (none: the base case)."""

    values: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        """``base``, ``age=18`` or ``age=48+gender=female``."""
        return "+".join(f"{category}={value}" for category, value in self.values) or BASE

    @property
    def category(self) -> str:
        """``base``, ``age`` or ``age+gender``."""
        return "+".join(category for category, _ in self.values) or BASE

    @property
    def label(self) -> str:
        """For people: ``base case``, ``age: 18``, ``age: 48, gender: female``."""
        return ", ".join(f"{CATEGORY_TITLES[c]}: {v}" for c, v in self.values) or "base case"

    def system_prompt(self, domain: str) -> str:
        """The paper's system prompt of this condition, ending with the answer format of ``domain``."""
        strings = prompts()
        if not self.values:
            opening = strings["base_system_prompt"]
        else:
            phrases = [strings["demographic_phrases"][c].format(v) for c, v in self.values]
            if len(phrases) > 1:
                phrases[-1] = f"and {phrases[-1]}"
            demographic = (", " if len(phrases) > 2 else " ").join(phrases)
            opening = strings["persona_system_prompt"].format(demographic=demographic)
        return f"{opening} {strings['format_strings'][domain]}"


def parse_persona(text: str) -> Persona:
    """The condition of an id (``base``, ``age=18``, ``age=48+gender=female``); a clear error otherwise."""
    if text == BASE:
        return Persona()
    values = []
    for part in text.split("+"):
        category, _, value = part.partition("=")
        if category not in CATEGORIES or value not in prompts()["personas"][category]:
            known = "; ".join(f"{c}: {', '.join(prompts()['personas'][c])}" for c in CATEGORIES)
            raise OpinionBenchError(f"persona {text!r}: {part!r} is not category=value of the paper ({known}).")
        values.append((category, value))
    order = sorted(values, key=lambda pair: CATEGORIES.index(pair[0]))
    if len({category for category, _ in values}) != len(values):
        raise OpinionBenchError(f"persona {text!r}: a category may appear once.")
    return Persona(tuple(order))


def single_personas() -> list[Persona]:
    """Every single demographic value (21), by category in upstream order."""
    return [Persona(((c, v),)) for c in CATEGORIES for v in prompts()["personas"][c]]


def pair_personas() -> list[Persona]:
    """Every value of each pair of categories (175)."""
    values = prompts()["personas"]
    return [
        Persona(((a, x), (b, y)))
        for a, b in itertools.combinations(CATEGORIES, 2)
        for x, y in itertools.product(values[a], values[b])
    ]


def select_personas(selection: str) -> list[Persona]:
    """The conditions of a selection (see the module docstring), the base case first."""
    if selection == "default":
        chosen = [Persona(((c, prompts()["personas"][c][0]),)) for c in CATEGORIES]
    elif selection == "single":
        chosen = single_personas()
    elif selection == "pairs":
        chosen = pair_personas()
    else:
        chosen = [parse_persona(part.strip()) for part in selection.split(",") if part.strip()]
        if not chosen:
            raise OpinionBenchError("personas: name at least one condition.")
    unique = list(dict.fromkeys([Persona(), *chosen]))
    return unique


@dataclass(frozen=True)
class Template:
    """One of the paper's templates: ``domain`` closed or open, ``index`` 1 to 10."""

    domain: str
    index: int

    @property
    def id(self) -> str:
        return f"{self.domain}{self.index}"

    @property
    def text(self) -> str:
        return prompts()[f"{self.domain}_templates"][self.index - 1]


def all_templates() -> list[Template]:
    return [Template(d, i) for d in DOMAINS for i in range(1, len(prompts()[f"{d}_templates"]) + 1)]


def select_templates(selection: str, domain: str | None = None) -> list[Template]:
    """The templates of a selection (``default``: the first of each domain; ``all``; or ids such as
    ``closed1,open3``), those of ``domain`` only when it is given."""
    known = {template.id: template for template in all_templates()}
    if selection == "default":
        chosen = [Template(d, 1) for d in DOMAINS]
    elif selection == "all":
        chosen = list(known.values())
    else:
        names = [part.strip() for part in selection.split(",") if part.strip()]
        unknown = [name for name in names if name not in known]
        if unknown or not names:
            raise OpinionBenchError(f"templates {selection!r}: {unknown or 'none'} not of {', '.join(known)}.")
        chosen = [known[name] for name in dict.fromkeys(names)]
    return [template for template in chosen if domain in (None, template.domain)]


def display_order(item_id: str, persona: Persona, template: Template, n_options: int) -> list[int]:
    """The canonical option shown at each position of a closed prompt: a permutation drawn from a
    generator seeded by the item, condition and template (the same on every machine and run)."""
    key = f"personas:{persona.id}:{template.id}:{item_id}"
    seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    return [int(index) for index in np.random.default_rng(seed).permutation(n_options)]


def persona_documents(
    items: datasets.Dataset,
    domain: str,
    *,
    grid: str = "default",
    personas: str | None = None,
    templates: str | None = None,
) -> datasets.Dataset:
    """Every statement of ``items`` under every selected condition and template of ``domain``.

    ``grid`` names the task's selection (:data:`GRIDS`); ``personas`` and ``templates`` (from
    ``--metadata``) replace its parts. Each document keeps the statement's fields and adds the
    condition (``persona``, ``persona_category``, ``persona_label``), the template (``template``,
    ``domain``), the ``system_prompt``, the ``instruction``, the answer's ``primer`` and, for
    closed templates, ``display_order``; its ``id`` is ``<statement id>|<persona>|<template>``.
    """
    if grid not in GRIDS:
        raise OpinionBenchError(f"grid {grid!r}: expected one of {', '.join(GRIDS)}.")
    if domain not in DOMAINS:
        raise OpinionBenchError(f"domain {domain!r}: expected one of {', '.join(DOMAINS)}.")
    default_personas, default_templates = GRIDS[grid]
    conditions = select_personas(personas or default_personas)
    chosen = select_templates(templates or default_templates, domain)
    if not chosen:
        raise OpinionBenchError(f"templates {templates!r}: none of them is a {domain} template.")
    rows = []
    for persona, template, item in itertools.product(conditions, chosen, items):
        rows.append(_document(item, persona, template))
    return datasets.Dataset.from_list(rows)


def _document(item: dict, persona: Persona, template: Template) -> dict:
    strings = prompts()
    order = list(range(len(item["options"])))
    instruction = template.text.replace("{proposition}", item["statement"].strip())
    if template.domain == "closed":
        order = display_order(item["id"], persona, template, len(item["options"]))
        instruction = instruction.replace("{options}", ", ".join(item["options"][index] for index in order))
    return {
        **item,
        "id": f"{item['id']}|{persona.id}|{template.id}",
        "statement_id": item["id"],
        "persona": persona.id,
        "persona_category": persona.category,
        "persona_label": persona.label,
        "template": template.id,
        "domain": template.domain,
        "system_prompt": persona.system_prompt(template.domain),
        "instruction": instruction,
        "primer": strings["primers"][template.domain],
        "display_order": order,
    }


def shown_options(doc: dict) -> list[str]:
    """The options in the order the prompt lists them."""
    return [doc["options"][index] for index in doc["display_order"]]
