"""A forest plot as inline SVG: one line per group, its mean as a dot and its 95 % interval as a
bar, with a dashed line at the value of no effect (works offline, no script)."""

from __future__ import annotations

import math

from .html import esc

ROW, LABEL, WIDTH = 18, 190, 360  # pixels: row height, label column, plot width


def forest_svg(rows: list[tuple[str, float, float, float]], *, null: float, label: str) -> str:
    """``rows`` of ``(label, mean, low, high)`` (NaN where undefined) on one axis that holds every
    finite value and ``null``; empty when no row has a finite mean."""
    shown = [row for row in rows if math.isfinite(row[1])]
    if not shown:
        return ""
    values = [v for _, *numbers in shown for v in numbers if math.isfinite(v)] + [null]
    low, high = min(values), max(values)
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return LABEL + (value - low) / span * WIDTH

    height = ROW * len(shown) + 2 * ROW
    parts = [
        (
            f'<svg class="forest" role="img" aria-label="{esc(label)} per group with 95 % intervals" '
            f'width="{LABEL + WIDTH + 20}" height="{height}" viewBox="0 0 {LABEL + WIDTH + 20} {height}">'
        ),
        f'<line x1="{x(null):.1f}" y1="0" x2="{x(null):.1f}" y2="{height - ROW}" stroke="grey" stroke-dasharray="4"/>',
    ]
    for index, (name, mean, ci_low, ci_high) in enumerate(shown):
        y = ROW * (index + 1)
        parts.append(f'<text x="{LABEL - 6}" y="{y + 4}" text-anchor="end" font-size="11">{esc(name)}</text>')
        if math.isfinite(ci_low) and math.isfinite(ci_high):
            parts.append(
                f'<line x1="{x(ci_low):.1f}" y1="{y}" x2="{x(ci_high):.1f}" y2="{y}" stroke="#1f77b4" stroke-width="2"/>'
            )
        parts.append(
            f'<circle cx="{x(mean):.1f}" cy="{y}" r="3.5" fill="#1f77b4"><title>{esc(name)}: {mean:.3f}</title></circle>'
        )
    axis = height - ROW / 2
    parts += [
        f'<text x="{LABEL}" y="{axis}" font-size="10">{low:.2f}</text>',
        f'<text x="{LABEL + WIDTH}" y="{axis}" font-size="10" text-anchor="end">{high:.2f}</text>',
        f'<text x="{x(null):.1f}" y="{axis}" font-size="10" text-anchor="middle">{null:g}</text>',
        "</svg>",
    ]
    return "".join(parts)
