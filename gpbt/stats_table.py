"""`gpbt stats` as a table an author can scan: the figures of `gpbt.engine.stats` rendered as text (the CLI prints it;
any front end may show it)."""

from __future__ import annotations

import json
import math
import sys

from .engine.stats import INFINITE, RuleStats, StyleStats
from .source import display_width

COLUMNS = ("where", "rule", "policy", "alts", "min", "max", "mean", "distinct", "H1", "H", "uses", "variety", "")


def stats_json(figures: StyleStats) -> str:
    """The figures as JSON text, with exact big integers (past Python's default limit on the digits of an int
    turned to text)."""
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    if limit:
        sys.set_int_max_str_digits(0)
    try:
        return json.dumps(figures.to_json(), ensure_ascii=False, indent=2)
    finally:
        if limit:
            sys.set_int_max_str_digits(limit)


def render_text(figures: StyleStats) -> str:
    rows = [COLUMNS] + [_row(rule) for rule in figures.rules]
    widths = [max(display_width(row[k]) for row in rows) for k in range(len(COLUMNS))]
    lines = ["  ".join(_pad(cell, width, k) for k, (cell, width) in enumerate(zip(row, widths))).rstrip()
             for row in rows]
    lines += ["", *_summary(figures)]
    return "\n".join(lines)


def _pad(cell: str, width: int, column: int) -> str:
    room = " " * (width - display_width(cell))
    return cell + room if column in (0, 1, 2) else room + cell


def _row(rule: RuleStats) -> tuple[str, ...]:
    variety = rule.variety
    return (f"{rule.file}:{rule.line}", rule.name, rule.policy, str(rule.live_alternatives),
            format_number(rule.min_length, 0), format_number(rule.max_length, 0),
            format_number(rule.expected_length, 1), format_count(rule.distinct),
            format_number(rule.choice_entropy, 2), format_number(rule.entropy, 2), format_number(rule.uses, 1),
            "-" if variety is None else format_ratio(variety), "!" if rule.low_variety else "")


def _summary(figures: StyleStats) -> list[str]:
    start = next((rule for rule in figures.rules if rule.name == figures.start), None)
    essays = format_count(start.distinct) if start else "-"
    lines = [f"style {figures.name}: starts at {figures.start}, {essays} distinct documents"]
    if figures.sentence:
        lines.append(f"sentence rule {figures.sentence}: {format_count(figures.distinct_sentences)} distinct "
                     f"sentences, {format_number(figures.sentence_entropy, 2)} bits each, "
                     f"{format_number(figures.sentence_length, 1)} characters expected")
    lines.append(f"fixed part (outside fills): {format_number(figures.fixed_length, 1)} characters expected")
    if figures.fill_unit:
        lines.append(f"fill unit {figures.fill_unit}: {format_number(figures.unit_length, 1)} characters expected "
                     f"per unit, so about {format_number(figures.units, 1)} units at {figures.default_length} "
                     "characters")
    lowest = figures.lowest_variety()
    if lowest:
        lines.append("lowest variety (distinct expansions per use in one essay; below 1, repeats are certain):")
        for rule in lowest:
            lines.append(f"  {rule.name} ({rule.file}:{rule.line}): {format_count(rule.distinct)} distinct for "
                         f"{format_number(rule.uses, 1)} uses = {format_ratio(rule.variety)}")
    return lines


def format_count(value: float | int | None) -> str:
    """Exact up to 12 digits, then scientific (computed from the logarithm: the integer may be huge)."""
    if value is None:
        return "-"
    if value == INFINITE:
        return "infinite"
    if value < 10**12:
        return str(value) if isinstance(value, int) else f"{value:.0f}"
    exponent = math.floor(math.log10(value))
    mantissa = 10 ** (math.log10(value) - exponent)
    if mantissa >= 9.995:
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa:.2f}e{exponent}"


def format_ratio(value: float | None) -> str:
    if value is None:
        return "-"
    return format_number(value, 2) if value < 10**6 else format_count(value)


def format_number(value: float | None, digits: int) -> str:
    if value is None:
        return "-"
    if value == INFINITE:
        return "infinite"
    return f"{value:.{digits}f}"
