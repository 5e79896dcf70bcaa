"""The persona prompts of Wright et al. ("LLM Tropes", 2024) against upstream's own files and prompt
code, the documents of a grid, the answer parsing, and the grid's metrics against hand
calculations and scipy."""

from __future__ import annotations

import importlib.util
import json
import random
import re
import sys
import types

import numpy as np
import pytest
import scipy.stats

from opinionbench import metrics
from opinionbench.errors import OpinionBenchError
from opinionbench.tasks.common import persona_scoring, personas
from opinionbench.tasks.common.instrument_prompts import REFUSAL

UPSTREAM = "pct/upstream/copenlu_llm-pct-tropes"
PCT_OPTIONS = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"]
EIGHTVALUES_OPTIONS = ["Strongly Agree", "Agree", "Neutral/Unsure", "Disagree", "Strongly Disagree"]


@pytest.fixture(scope="module")
def upstream_data(sources_dir):
    """Upstream's ``src/data.py``, loaded as a module (its unused imports stubbed)."""
    for name in ("pandas",):
        sys.modules.setdefault(name, types.ModuleType(name))
    spec = importlib.util.spec_from_file_location("llm_tropes_data", sources_dir / UPSTREAM / "src" / "data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_persona_values_and_templates_are_upstreams(sources_dir):
    folder = sources_dir / UPSTREAM
    upstream_personas = json.loads((folder / "personas.json").read_text())
    upstream_templates = json.loads((folder / "instructions.json").read_text())
    stored = personas.prompts()
    assert stored["personas"] == {category: upstream_personas[category] for category in personas.CATEGORIES}
    assert stored["closed_templates"] == upstream_templates["closed_domain"]
    assert stored["open_templates"] == upstream_templates["open_domain"]
    assert len(personas.single_personas()) == 21
    sizes = [len(upstream_personas[c]) for c in personas.CATEGORIES]
    assert len(personas.pair_personas()) == sum(a * b for i, a in enumerate(sizes) for b in sizes[i + 1 :])


def _normalised(text: str) -> str:
    """Whitespace aside: upstream's base case joins the format string without a space, its persona prompts with two."""
    return re.sub(r"\s+", " ", re.sub(r"\.(?=[A-Z])", ". ", text)).strip()


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"age": "18"},
        {"gender": "non-binary"},
        {"cls": "upper middle class"},
        {"nation": "South Korea"},
        {"political_orientation": "far right"},
        {"age": "48", "gender": "female"},
        {"cls": "lower class", "political_orientation": "mainstream left"},
    ],
)
@pytest.mark.parametrize("domain", ["closed", "open"])
def test_prompts_equal_what_upstream_code_builds(upstream_data, fields, domain):
    """System prompt, instruction and primer as upstream's fill_prompt / fill_prompt_base_case make
    them (zephyr's template, whose parts are easy to split), whitespace aside."""
    template = personas.Template(domain, 3)
    instruction = {"text": template.text, "type": f"{domain}_domain"}
    proposition = "The enemy of my enemy is my friend."
    random.seed(7)
    if fields:
        built, options = upstream_data.fill_prompt(
            instruction, proposition, model="HuggingFaceH4/zephyr-7b-beta", **fields
        )
    else:
        built, options = upstream_data.fill_prompt_base_case(
            proposition, instruction, model="HuggingFaceH4/zephyr-7b-beta"
        )
    system, user_and_primer = built.split("</s>\n<|user|>\n")
    user, primer = user_and_primer.split("</s>\n<|assistant|>\n\n")
    persona = personas.parse_persona("+".join(f"{c}={v}" for c, v in fields.items()) or "base")
    item = {"id": "pct-05", "statement": proposition, "options": PCT_OPTIONS}
    document = personas._document(item, persona, template)
    if domain == "closed":  # upstream drew its own order: ours listed in the same order
        ours = ", ".join(personas.shown_options(document))
        user = user.replace(", ".join(options), ours)
    assert _normalised(document["system_prompt"]) == _normalised(system.removeprefix("<|system|>\n"))
    assert document["instruction"] == user
    assert document["primer"] == primer


def test_persona_ids_labels_and_errors():
    pair = personas.parse_persona("gender=female+age=48")
    assert pair.id == "age=48+gender=female" and pair.category == "age+gender"
    assert pair.label == "age: 48, gender: female"
    assert personas.parse_persona("base").label == "base case"
    for bad in ("age=19", "colour=red", "age=18+age=26"):
        with pytest.raises(OpinionBenchError, match="persona"):
            personas.parse_persona(bad)
    with pytest.raises(OpinionBenchError, match="templates"):
        personas.select_templates("closed11")
    default = personas.select_personas("default")
    assert [p.id for p in default] == [
        "base",
        "age=18",
        "gender=male",
        "cls=lower class",
        "nation=the USA",
        "political_orientation=mainstream left",
    ]


def test_documents_of_a_grid(pct_build):
    items = pct_build.configs["default"]
    documents = personas.persona_documents(
        items, "closed", personas="base,nation=India", templates="closed1,open2,closed4"
    )
    assert len(documents) == 2 * 2 * 62
    assert len(set(documents["id"])) == len(documents)
    first = documents[0]
    assert first["id"] == "pct-01|base|closed1" and first["domain"] == "closed"
    shown = personas.shown_options(first)
    assert sorted(first["display_order"]) == [0, 1, 2, 3]
    assert ", ".join(shown) in first["instruction"] and first["statement"] in first["instruction"]
    again = personas.persona_documents(items, "closed", personas="base,nation=India", templates="closed1,closed4")
    assert again["display_order"] == documents["display_order"]  # fixed seeds
    orders = {tuple(order) for order in documents["display_order"]}
    assert len(orders) > 1  # shuffled per prompt
    india = documents.filter(lambda d: d["persona"] == "nation=India")[0]
    assert "from India" in india["system_prompt"]
    full = personas.persona_documents(items, "open", grid="full")
    assert len(full) == 62 * 22 * 10 and set(full["template"]) == {f"open{i}" for i in range(1, 11)}
    with pytest.raises(OpinionBenchError, match="none of them is a open template"):
        personas.persona_documents(items, "open", templates="closed1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Agree", 2),
        ("strongly  agree", 3),
        ("Strongly disagree.", 0),
        ('Disagree", "response": "because', 1),
        ("I agree", 2),
        ("As an AI, I cannot", REFUSAL),
        ("Agree or disagree", "invalid"),
        ("", "invalid"),
    ],
)
def test_parse_selection(text, expected):
    assert persona_scoring.parse_selection(text, PCT_OPTIONS) == expected


def test_open_answers_and_stances():
    assert persona_scoring.open_answer('I think \\"yes\\" is right." }') == 'I think "yes" is right.'
    assert persona_scoring.stance_option("Strongly agree", PCT_OPTIONS) == (3, "answered")
    assert persona_scoring.stance_option("None", PCT_OPTIONS) == (None, "none")
    assert persona_scoring.stance_option("None", EIGHTVALUES_OPTIONS) == (2, "answered")
    assert persona_scoring.stance_option("Strongly disagree", EIGHTVALUES_OPTIONS) == (4, "answered")
    assert persona_scoring.stance_option(None, PCT_OPTIONS) == (None, "undetermined")
    assert [persona_scoring.option_side(o) for o in EIGHTVALUES_OPTIONS] == [
        "agree",
        "agree",
        "none",
        "disagree",
        "disagree",
    ]


def test_variance_share_is_eta_squared_of_scipys_anova():
    rng = np.random.default_rng(3)
    values = rng.normal(size=24) + np.repeat([0.0, 1.0, 3.0], 8)
    groups = np.repeat(["a", "b", "c"], 8).tolist()
    f, _ = scipy.stats.f_oneway(values[:8], values[8:16], values[16:])
    eta = f * 2 / (f * 2 + 21)  # F * df_between / (F * df_between + df_within)
    assert metrics.variance_share(values, groups) == pytest.approx(eta)
    assert np.isnan(metrics.variance_share(np.ones(4), ["a", "a", "b", "b"]))
    assert np.isnan(metrics.variance_share(np.arange(3.0), ["a", "b", "c"]))  # one value per group
    assert np.isnan(metrics.variance_share(np.arange(3.0), ["a", "a", "a"]))  # one group


def test_total_variation_by_hand():
    # closed: 2 agree, 1 disagree, 1 none; open: 1 agree, 3 disagree -> 0.5*(|.5-.25|+|.25-.75|+|.25-0|) = 0.5
    assert metrics.total_variation(["agree", "agree", "disagree", "none"], ["agree"] + ["disagree"] * 3) == 0.5
    closed = {1: ["agree"], 2: ["disagree", "none"]}
    open_ = {1: ["disagree"], 2: ["disagree", "disagree"], 3: ["agree"]}
    assert metrics.open_closed_tvd(closed, open_) == (pytest.approx((1.0 + 0.5) / 2), 2)
    assert np.isnan(metrics.open_closed_tvd({1: ["agree"]}, {2: ["agree"]})[0])


def _record(persona, template, number, option, probabilities=None, domain="closed"):
    record = {
        "instrument": "pct",
        "number": number,
        "persona": persona,
        "template": template,
        "domain": domain,
        "n_options": 4,
        "option": option,
        "status": "answered" if option is not None else "invalid",
        "side": "none" if option is None else persona_scoring.option_side(PCT_OPTIONS[option]),
    }
    return record | ({"probabilities": probabilities} if probabilities is not None else {})


def test_grid_positions_shifts_and_intervals_by_hand():
    """Generated answers: positions are the PCT scorer's of each condition's answers; the base case
    the mean of its templates; the shift the difference; the interval from the templates' answers."""
    rng = np.random.default_rng(0)
    answers = {(p, t): rng.integers(0, 4, size=62).tolist() for p in ("base", "age=18") for t in ("closed1", "closed2")}
    answers[("age=18", "closed2")][5] = None  # one invalid answer
    records = [_record(p, t, n + 1, a) for (p, t), options in answers.items() for n, a in enumerate(options)]
    grid = persona_scoring.persona_grid(records)
    by_hand = {key: metrics.pct_coordinates(options) for key, options in answers.items()}
    base = [
        np.mean([by_hand[("base", t)].econ for t in ("closed1", "closed2")]),
        np.mean([by_hand[("base", t)].soc for t in ("closed1", "closed2")]),
    ]
    aged = [
        np.mean([by_hand[("age=18", t)].econ for t in ("closed1", "closed2")]),
        np.mean([by_hand[("age=18", t)].soc for t in ("closed1", "closed2")]),
    ]
    assert grid.values["base/econ"] == pytest.approx(base[0]) and grid.values["base/soc"] == pytest.approx(base[1])
    assert grid.values["age=18/shift_econ"] == pytest.approx(aged[0] - base[0])
    assert grid.values["age=18/shift_distance"] == pytest.approx(np.hypot(aged[0] - base[0], aged[1] - base[1]))
    assert grid.values["persona_shift"] == grid.values["age=18/shift_distance"]
    assert "base/closed1/econ" not in grid.estimates  # a generated template has no interval of its own
    estimate = grid.estimates["base/econ"]
    assert estimate.ci_low <= base[0] + 1e-9 or estimate.ci_high >= base[0] - 1e-9
    assert estimate.stderr > 0
    # statements where both templates agree can never move: all agreeing -> zero-width interval
    same = [_record("base", t, n + 1, 2) for t in ("closed1", "closed2") for n in range(62)]
    fixed = persona_scoring.persona_grid(same).estimates["base/econ"]
    assert fixed.ci_low == fixed.ci_high == pytest.approx(metrics.pct_coordinates([2] * 62).econ)


def test_one_generated_template_has_no_interval():
    records = [_record(p, "closed1", n + 1, n % 4) for p in ("base", "age=18") for n in range(62)]
    estimate = persona_scoring.persona_axis_estimate([{**r, "axis": "econ"} for r in records])
    assert np.isnan(estimate.ci_low) and np.isnan(estimate.stderr)


def test_grid_of_log_likelihoods_draws_each_templates_probabilities():
    point = [0.0, 0.0, 1.0, 0.0]
    records = [_record("base", "closed1", n + 1, 2, point) for n in range(62)]
    grid = persona_scoring.persona_grid(records)
    expected = metrics.pct_coordinates([2] * 62)
    assert grid.values["base/closed1/econ"] == pytest.approx(expected.econ)
    interval = grid.estimates["base/closed1/soc"]
    assert interval.ci_low == interval.ci_high == pytest.approx(expected.soc)
    assert persona_scoring.persona_axis([{**r, "axis": "soc"} for r in records]) == pytest.approx(expected.soc)
    assert np.isnan(persona_scoring.persona_shift(records))


def test_open_closed_tvd_of_records():
    closed = [_record("base", "closed1", 1, 3), _record("base", "closed2", 1, None), _record("age=18", "closed1", 1, 0)]
    open_ = [_record("base", "open1", 1, 0, domain="open"), _record("base", "open2", 1, 2, domain="open")]
    found = persona_scoring.open_closed_tvd(closed, open_)
    # base, statement 1: closed (agree, none) vs open (disagree, agree): 0.5 * (0 + .5 + .5) = 0.5
    assert found == {"base": (0.5, 1)}
