"""An open-ended task of one run (WorldView-Bench): PDS per perspective and PDS entropy overall and
per domain, each with a percentile-bootstrap interval over the answers (the task's own aggregation
functions, on each domain's answers), and the judge configuration that decides them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from opinionbench.intervals import POLICY
from opinionbench.judges import JudgeSettings, describe_judge
from opinionbench.lm_eval_outputs import stderr_key
from opinionbench.metrics import pds
from opinionbench.summary_keys import estimate_behind

from .rescoring import RescoredTask

KEY = "pds_entropy"  # the payload key that holds each answer's judged references


@dataclass(frozen=True)
class OpenEndedReport:
    """One open-ended task of one run, rescored."""

    scores: RescoredTask
    configuration: dict
    perspective_rows: list[dict]
    domain_rows: list[dict]

    def headline(self) -> str:
        """One line for the console: PDS entropy, K, answers, judge."""
        entropy = self.scores.summary.get(KEY, math.nan)
        k = self.configuration["perspectives"]["k"]
        return (
            f"PDS entropy {entropy:.1f} % (K = {k}, {self.configuration['pooling']}) over "
            f"{self.scores.documents_text('answers')}, {self.configuration['judge']['kind']} judge"
        )


def open_ended_report(scores: RescoredTask) -> OpenEndedReport:
    """PDS per perspective, and PDS entropy per domain and over all answers, with intervals."""
    payloads = scores.payloads[KEY]
    settings = JudgeSettings.from_json(payloads[0]["judge_settings"])
    configuration = describe_judge(settings)
    names = [p["name"] for p in configuration["perspectives"]["perspectives"]]
    counts = np.array([payload["counts"] for payload in payloads], dtype=float)
    domains = np.array([payload["domain"] for payload in payloads])
    shares = pds(counts, pooling=settings.pooling)
    share_intervals = _share_intervals(counts, settings.pooling)
    perspective_rows = [
        {
            "perspective": name,
            "references": int(counts[:, k].sum()),
            "answers": int((counts[:, k] > 0).sum()),
            "pds": float(shares[k]),
            "ci_low": share_intervals[k][0],
            "ci_high": share_intervals[k][1],
        }
        for k, name in enumerate(names)
    ]
    by_domain = {domain: [p for p in payloads if p["domain"] == domain] for domain in dict.fromkeys(domains)}
    domain_rows = [_entropy_row(scores, domain, domain_payloads) for domain, domain_payloads in by_domain.items()]
    domain_rows.append(_entropy_row(scores, "all domains", payloads))
    return OpenEndedReport(scores, configuration, perspective_rows, domain_rows)


def _share_intervals(counts: np.ndarray, pooling: str) -> list[tuple[float, float]]:
    estimates = [
        POLICY.estimate(lambda weights, k=k: pds(counts, pooling=pooling, weights=weights)[:, k], len(counts))
        for k in range(counts.shape[1])
    ]
    return [(estimate.ci_low, estimate.ci_high) for estimate in estimates]


def _entropy_row(scores: RescoredTask, domain: str, payloads: list) -> dict:
    """PDS entropy of some answers with its interval, by the task's own aggregation functions."""
    counts = np.array([payload["counts"] for payload in payloads])
    estimate = estimate_behind(scores.aggregations[stderr_key(KEY)])(payloads)
    return {
        "domain": domain,
        "answers": len(counts),
        "answers_with_references": int((counts.sum(axis=1) > 0).sum()),
        "references": int(counts.sum()),
        "pds_entropy": scores.aggregations[KEY](payloads),
        "ci_low": estimate.ci_low,
        "ci_high": estimate.ci_high,
        "stderr": estimate.stderr,
    }
