"""The family registry: every declaration is usable by every layer, a declaration no layer can use
is refused with its reason, task and document lookups, and no layer compares family names."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from opinionbench import families
from opinionbench.errors import OpinionBenchError
from opinionbench.families import Family, Kind, Robustness
from opinionbench.leaderboard.report import command as report_command
from opinionbench.leaderboard.report import files as report_files
from opinionbench.leaderboard.robustness import inputs as robustness_inputs
from opinionbench.tasks.common.instruments import AxisInstrument, PartyInstrument

REPO = Path(__file__).resolve().parents[2]
# The family-agnostic layers: they read declarations and never name a family.
LAYERS = ("core", "leaderboard", "tasks/common", "backends", "judges", "data_builders/source_records.py")
PCT = families.get("pct")


def test_the_project_registers_eight_families_in_order():
    assert families.names() == [
        "mena_values",
        "global_opinions",
        "pct",
        "eightvalues",
        "sapplyvalues",
        "wahl_o_mat",
        "worldview_bench",
        "implicit_bias",
    ]


@pytest.mark.parametrize("kind", list(Kind))
def test_every_layer_handles_every_kind(kind):
    assert kind in report_command.REPORTS
    assert kind in report_files.FILES
    assert kind in robustness_inputs._HUMAN_POSITIONS


@pytest.mark.parametrize("family", families.all_families(), ids=lambda family: family.name)
def test_every_declaration_names_what_its_layers_need(family):
    builder = family.builder()
    assert builder.SOURCE.name == family.name and callable(builder.build)
    assert (family.tasks_dir / f"_{family.default_task}.yaml").is_file()  # the group the demo runs
    expected = {Kind.AXIS_INSTRUMENT: AxisInstrument, Kind.PARTY_AGREEMENT: PartyInstrument}.get(family.kind)
    assert isinstance(family.instrument, expected) if expected else family.instrument is None
    if family.canonical_task:
        assert (family.tasks_dir / f"{family.canonical_task}.yaml").is_file()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"name": "Toy-Family"}, "lower-case letters, digits and underscores"),
        ({"kind": "survey"}, "kind 'survey' is not one of"),
        ({"instrument": None}, "needs its `instrument`"),
        ({"robustness": None}, "a canonical task and its robustness variants come together"),
        ({"canonical_task": "other_logprob"}, "is not named toy_family_..."),
        ({"tasks_dir": Path("/nonexistent/tasks")}, "its task folder /nonexistent/tasks does not exist"),
    ],
)
def test_a_declaration_no_layer_can_use_is_refused_with_its_reason(change, reason):
    toy = dataclasses.replace(PCT, name="toy_family", canonical_task="toy_family_logprob")
    with pytest.raises(OpinionBenchError, match=re.escape(reason)):
        families.register(dataclasses.replace(toy, **change))
    assert "toy_family" not in families.names()


def test_a_second_family_of_the_same_name_is_refused():
    with pytest.raises(OpinionBenchError, match="a different family named 'pct' is registered already"):
        families.register(dataclasses.replace(PCT, title="Another compass"))
    with pytest.raises(OpinionBenchError, match="one of OpinionBench's own families"):
        families.unregister("pct")


def test_register_and_unregister_an_outside_family(tmp_path):
    toy = Family(
        name="toy_family",
        title="Toy",
        kind=Kind.SURVEY,
        builder_module="toy_family_builder",
        tasks_dir=tmp_path,
        canonical_task="toy_family_logprob",
        robustness=Robustness(label_style="letters", paraphrases=("{question}",)),
    )
    try:
        assert families.register(toy) is toy and families.names()[-1] == "toy_family"
        assert families.task_paths()[1:] == [str(tmp_path)]
    finally:
        families.unregister("toy_family")
    assert "toy_family" not in families.names() and len(families.task_paths()) == 1


@pytest.mark.parametrize(
    ("task", "family"),
    [
        ("pct_logprob", "pct"),
        ("wahl_o_mat_en_forced_gen", "wahl_o_mat"),
        ("mena_values_persona_native_reasoning_gen", "mena_values"),
        ("global_opinions_paraphrase03_logprob", "global_opinions"),
        ("pct", "pct"),
        ("mena_values_logprob_conditions", "mena_values"),
        ("hellaswag", None),
        ("pctx_logprob", None),
        ("pctx", None),
    ],
)
def test_a_task_belongs_to_the_family_it_is_named_after(task, family):
    found = families.of_task(task)
    assert (found.name if found else None) == family


def test_documents_name_their_family():
    assert families.of_document({"instrument": "wahl_o_mat", "source": "x"}).name == "wahl_o_mat"
    assert families.of_document({"source": "mena_values"}).name == "mena_values"
    with pytest.raises(OpinionBenchError, match="unknown source 'nope'; known sources: mena_values, "):
        families.of_document({"source": "nope"})


def test_no_family_agnostic_layer_names_a_family():
    names = "|".join(families.names())
    literal = re.compile(rf"""["']({names})["']""")
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for layer in LAYERS
        for path in ([REPO / layer] if layer.endswith(".py") else sorted((REPO / layer).rglob("*.py")))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if literal.search(line)
    ]
    assert not found, "\n".join(found)


def test_nothing_in_tasks_imports_the_leaderboard():
    """The tasks write lm-eval's outputs; the leaderboard reads them (the contract between them is
    ``opinionbench.lm_eval_outputs``), never the other way round."""
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "tasks").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\b(from|import) opinionbench\.leaderboard\b", line)
    ]
    assert not found, found


def test_every_headline_number_is_reported_by_the_default_tasks_that_hold_it():
    from opinionbench.tasks import tasks_path
    from opinionbench.tasks.common.catalogue import project_task_manager

    index = project_task_manager()(include_path=tasks_path()).task_index
    for family in families.all_families():
        assert family.headline, family.name
        wanted = {*family.headline, *(f"{number}_stderr" for number in family.headline)}
        reporting = [  # the overview's task for the family is one of these (site/overview.py)
            task
            for task in index[family.default_task].cfg["task"]
            if wanted <= {entry["metric"] for entry in index[task].cfg["metric_list"]}
        ]
        assert reporting, family.name
        if family.kind is not Kind.IMPLICIT_BIAS:  # its two tests report different scores
            assert reporting == index[family.default_task].cfg["task"], family.name
