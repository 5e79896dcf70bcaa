"""The generated robustness tasks of a family (``tasks/<family>/robustness/``), from its declaration's
:class:`opinionbench.families.Robustness`: one task ``<family>_<variant>_logprob`` per variant, and
a group ``<family>_robustness`` holding the canonical task and all its variants."""

from __future__ import annotations

from opinionbench.families import Family

from . import variants
from .generated_files import HEADER

FOLDER = "robustness"


def robustness_files(family: Family) -> dict[str, str]:
    """``{path relative to the family's task folder: text}`` (none for a family without variants)."""
    if family.robustness is None:
        return {}
    files = {f"{FOLDER}/_{family.name}_robustness.yaml": _group_file(family)}
    for variant in variants.variant_names(family):
        files[f"{FOLDER}/{variants.task_name(family.name, variant)}.yaml"] = _variant_file(family, variant)
    return files


def _variant_file(family: Family, variant: str) -> str:
    spec = family.robustness
    lines = [
        HEADER + f"# {_describe(family, variant)}",
        f"include: {spec.template}",
        f"task: {variants.task_name(family.name, variant)}",
        "dataset_kwargs:",
    ]
    lines += [f"  {key}: {value}" for key, value in {**spec.dataset_kwargs, "variant": variant}.items()]
    return "\n".join(lines) + "\n" + (spec.text_answer_yaml if variant == "text" else "")


def _group_file(family: Family) -> str:
    members = [family.canonical_task] + [variants.task_name(family.name, v) for v in variants.variant_names(family)]
    lines = "".join(f"  - {task}\n" for task in members)
    note = f"{family.canonical_task} and its {len(members) - 1} robustness variants (`opinionbench robustness` compares them)."
    return f"{HEADER}# {note}\ngroup: {family.name}_robustness\ntask:\n{lines}metadata:\n  version: 1.0\n"


def _describe(family: Family, variant: str) -> str:
    kind = variants.variant_kind(variant)
    if kind == "order":
        what = (
            "the options in reverse order"
            if variant == "reversed"
            else f"the options in a seeded random order ({variant})"
        )
    elif kind == "labels":
        what = "the option texts as answers" if variant == "text" else f"the options labelled by {variant}"
    else:
        what = f"the question framed in other words ({variant})"
    return f"{family.canonical_task} with {what}."
