"""``opinionbench judge-check``: a judge's agreement with the labelled answers, printed (and saved)."""

from __future__ import annotations

import json
import math
from pathlib import Path

from opinionbench.atomic import write_text_atomically

from . import JudgeSettings, describe_judge, make_judge
from .agreement import SHIPPED_SETS, check_agreement, load_labelled_answers, shipped_set


def judge_check(settings_json: str, *, labels: Path | None = None, out: Path | None = None) -> dict:
    """Judge labelled answers (``labels``, or both shipped sets) with the judge ``settings_json``
    describes (lm-eval metadata keys, JSON); print and return the configuration and, per set, the
    agreement per perspective."""
    settings = JudgeSettings.from_metadata_json(settings_json)
    configuration = describe_judge(settings)
    names = [p["name"] for p in configuration["perspectives"]["perspectives"]]
    sets = {str(labels): labels} if labels else {title: shipped_set(name) for title, name in SHIPPED_SETS.items()}
    judge = make_judge(settings)
    print(f"judge: {json.dumps(configuration['judge'])}")
    results = []
    for title, path in sets.items():
        check = check_agreement(judge, load_labelled_answers(path, perspectives=names), names)
        print(f"\n{title}: {check.n_answers}; judged set = labelled set for {check.exact_match:.0%} of them\n")
        print(f"{'perspective':<18}{'precision':>10}{'recall':>8}{'support':>9}{'judged':>8}")
        for row in check.rows():
            cells = [_cell(row["precision"]), _cell(row["recall"]), str(row["support"]), str(row["predicted"])]
            print(f"{row['perspective']:<18}{cells[0]:>10}{cells[1]:>8}{cells[2]:>9}{cells[3]:>8}")
        rows = [{key: None if _is_nan(value) else value for key, value in row.items()} for row in check.rows()]
        results.append({"set": title, "n": check.n_answers, "exact_match": check.exact_match, "per_perspective": rows})
    result = {"configuration": configuration, "sets": results}
    if out:
        write_text_atomically(out, json.dumps(result, indent=2) + "\n")
        print(f"\nwritten to {out}")
    return result


def _cell(value: float) -> str:
    return "-" if _is_nan(value) else f"{value:.2f}"


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)
