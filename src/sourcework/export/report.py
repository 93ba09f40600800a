"""Item analysis for a class: read a gradebook written by ``sourcework grade`` and write one HTML report.

For each item: its difficulty (the mean fraction of its points students earned), its discrimination (the
correlation between the item and the rest of its set, with a 99% interval, and the upper–lower 27% index) and how
often each option was chosen. For each set: its reliability (Cronbach's alpha, which is KR-20 for right/wrong
items). For the class: per-skill means, a score histogram and a difficulty × discrimination chart (matplotlib PNGs
embedded in the page, each with alt text and a data table beside it). An item is flagged only when the data can
show that stronger students did worse on it (the whole interval below zero, with at least 20 students); below 20
students the report says "too few students to tell". The page is a single self-contained file: no JavaScript, no
network. Reading the gradebook is ``gradebook.py``; every statistic and its definition is ``itemstats.py``.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

import numpy as np

from ..core.model import Item, ItemSet
from ..core.numbers import format_points
from .gradebook import Gradebook, ReportError, _error, read_gradebook
from .itemstats import (
    ALL_RIGHT,
    FEW,
    FLAG,
    LEVEL,
    MIN_STUDENTS,
    NO_ANSWER,
    NONE_RIGHT,
    OTHER,
    UNDEFINED,
    UNSCORED,
    Analysis,
    ItemStats,
    analyse,
)

__all__ = ["Analysis", "Gradebook", "ItemStats", "ReportError", "analyse", "read_gradebook", "render_html",
           "summary", "write_report"]

# ----------------------------------------------------------------------------------------------------- charts


def _png(figure: Any) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def histogram_chart(analysis: Analysis) -> str:
    """The score histogram as a base64 PNG."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3.4))
    axes = figure.add_subplot()
    lefts = [low for low, _high, _count in analysis.bins]
    counts = [count for _low, _high, count in analysis.bins]
    axes.bar(lefts, counts, width=10, align="edge", color="#3b6ea5", edgecolor="#1b2a3a")
    axes.set_xlim(0, 100)
    axes.set_xticks(range(0, 101, 10))
    axes.set_xlabel("Score (% of the points of the sets taken)")
    axes.set_ylabel("Students")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title("Score distribution")
    return _png(figure)


def scatter_chart(analysis: Analysis) -> str:
    """Difficulty × discrimination as a base64 PNG; negative items use a different marker and are labelled."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 4.2))
    axes = figure.add_subplot()
    shown = [(s, float(s.difficulty), float(s.r)) for s in analysis.items
             if s.r is not None and s.difficulty is not None]
    good = [(p, r) for s, p, r in shown if not s.flagged]
    bad = [(p, r) for s, p, r in shown if s.flagged]
    axes.axhline(0, color="#555555", linewidth=1)
    axes.axhspan(-1, 0, color="#f3e0e0", zorder=0)
    axes.scatter([p for p, _r in good], [r for _p, r in good], marker="o", color="#3b6ea5", label="item")
    if bad:
        axes.scatter([p for p, _r in bad], [r for _p, r in bad], marker="X", s=70, color="#a33",
                     label="flagged: interval below zero")
    if len(shown) <= 60:
        for s, p, r in shown:
            axes.annotate(str(s.number), (p, r), textcoords="offset points", xytext=(4, 3), fontsize=7)
    axes.set_xlim(-0.02, 1.02)
    axes.set_ylim(-1.02, 1.02)
    axes.set_xlabel("Difficulty (mean fraction of points; higher = easier)")
    axes.set_ylabel("Discrimination (item–rest r)")
    axes.set_title("Difficulty and discrimination per item")
    if shown:
        axes.legend(loc="lower right", fontsize=8)
    return _png(figure)


# ------------------------------------------------------------------------------------------------------ HTML


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}".replace("-", "−")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


def _label(item: Item) -> str:
    text = item.title or " ".join(item.stem.split())
    return text if len(text) <= 70 else text[:69] + "…"


def _interval(stats: ItemStats) -> str:
    if stats.interval is None:
        return "—"
    low, high = stats.interval
    return f"{_fmt(low)} to {_fmt(high)}"


_STATUS = {
    UNSCORED: "No scores yet (e.g. written responses the teacher has not scored)",
    FEW: f"Too few students to tell (fewer than {MIN_STUDENTS})",
    ALL_RIGHT: "Everyone got full marks: not a fault, but it tells nothing about differences",
    NONE_RIGHT: "No one earned any points: a very hard item, or worth a look at the key",
    UNDEFINED: "Discrimination undefined (everyone had the same score on the item or on the rest of the set)",
    FLAG: "Check this item: stronger students did worse (the whole interval is below zero)",
}


def _note(stats: ItemStats) -> str:
    if stats.status in _STATUS:
        return _STATUS[stats.status]
    notes = []
    if stats.interval is not None and stats.interval[0] <= 0:
        notes.append("no clear link to the rest of the set (the interval includes zero)")
    elif stats.r is not None and stats.r < 0.2:
        notes.append("low discrimination")
    if stats.difficulty is not None and stats.difficulty >= 0.9:
        notes.append("very easy")
    if stats.difficulty is not None and stats.difficulty <= 0.2:
        notes.append("very hard")
    return "; ".join(notes).capitalize()


def _flag_text(stats: ItemStats) -> str:
    strong = ""
    for part, counts in stats.options:
        wrong = [c for c in counts if not c.keyed and c.label not in (NO_ANSWER, OTHER) and c.count]
        if wrong:
            top = max(wrong, key=lambda c: c.count)
            where = f" in “{_e(part)}”" if part else ""
            strong = f" The most chosen wrong answer{where} was “{_e(top.label)}” ({top.count} students)."
            break
    return (f"<p>Students who did well on the rest of the set did <em>worse</em> on this item than students who "
            f"did poorly, and with {stats.n} students this is unlikely to be chance: r = {_fmt(stats.r)}, "
            f"{_level()} interval {_interval(stats)}, upper–lower D = {_fmt(stats.d)}. Usually the item, not the "
            "class, is at fault: check that the key is right, look for a second defensible answer or an option that "
            "careful readers talk themselves out of, and check that the stem does not reward a misreading of the "
            f"source.{strong} Consider discussing it with the class, and not counting it until it is fixed.</p>")


def _chart_block(title: str, png: str, alt: str, table: str) -> str:
    return (f'<div class="chart"><figure><img src="data:image/png;base64,{png}" alt="{_e(alt)}">'
            f"<figcaption>{_e(title)}</figcaption></figure>{table}</div>")


def _histogram_alt(analysis: Analysis) -> str:
    if not len(analysis.percents):
        return "Histogram of student scores: no student took any set."
    p = analysis.percents
    peak = max(analysis.bins, key=lambda b: b[2])
    return (f"Histogram of {len(p)} student scores in 10-point bands. Median {np.median(p):.0f}%, lowest "
            f"{p.min():.0f}%, highest {p.max():.0f}%. The most common band is {peak[0]}–{peak[1]}% with "
            f"{peak[2]} students. The table beside the chart gives every band.")


def _scatter_alt(analysis: Analysis) -> str:
    shown = [s for s in analysis.items if s.r is not None and s.difficulty is not None]
    if not shown:
        return "Scatter plot of difficulty against discrimination: no item has a defined discrimination."
    flagged = [s.item.id for s in shown if s.flagged]
    rs = [s.r for s in shown if s.r is not None]
    ds = [s.difficulty for s in shown if s.difficulty is not None]
    text = (f"Scatter plot of {len(shown)} items, difficulty from {min(ds):.2f} to {max(ds):.2f} and "
            f"discrimination from {min(rs):.2f} to {max(rs):.2f}. ")
    text += (f"{len(flagged)} item(s) flagged (whole interval below zero): {', '.join(flagged)}." if flagged
             else "No item is flagged.")
    return text + " The item table gives every value."


def _histogram_table(analysis: Analysis) -> str:
    rows = "".join(f"<tr><th scope=\"row\">{low}–{high}%</th><td>{count}</td></tr>"
                   for low, high, count in analysis.bins)
    return ('<table class="data"><caption>Students per score band</caption><thead><tr><th scope="col">Band</th>'
            f'<th scope="col">Students</th></tr></thead><tbody>{rows}</tbody></table>')


def _scatter_table(analysis: Analysis) -> str:
    rows = "".join(f"<tr><th scope=\"row\">{s.number}. {_e(s.item.id)}</th><td>{_fmt(s.difficulty)}</td>"
                   f"<td>{_fmt(s.r)}</td><td>{_interval(s)}</td></tr>" for s in analysis.items)
    return ('<table class="data"><caption>Plotted values</caption><thead><tr><th scope="col">Item</th>'
            f'<th scope="col">Difficulty</th><th scope="col">r</th><th scope="col">{_level()} interval</th>'
            '</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _item_table(analysis: Analysis) -> str:
    rows = []
    for s in analysis.items:
        item = s.item
        flag = ' class="flagged"' if s.flagged else ""
        rows.append(
            f"<tr{flag}><td>{s.number}</td><th scope=\"row\"><a href=\"#opt-{s.number}\">{_e(item.id)}</a>"
            f"<br><span class=\"small\">{_e(_label(item))}</span></th><td>{_e(item.type)}</td>"
            f"<td>{_e(item.skill)}</td><td>{format_points(item.points)}</td><td>{s.n}</td>"
            f"<td>{_fmt(s.difficulty)}</td><td>{_fmt(s.r)}</td><td>{_interval(s)}</td><td>{_fmt(s.d)}</td>"
            f"<td>{('⚠ ' if s.flagged else '') + _e(_note(s))}</td></tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in ("#", "Item", "Type", "Skill", "Points", "Students",
                                                           "Difficulty p", "Discrimination r",
                                                           f"{_level()} interval of r", "Upper–lower D", "Note"))
    return (f'<table class="data wide"><caption>All items, in exercise order</caption><thead><tr>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _options_section(analysis: Analysis) -> str:
    out = []
    for s in analysis.items:
        if not s.options:
            continue
        parts = []
        for part, counts in s.options:
            total = s.n or 1
            rows = "".join(
                f"<tr><th scope=\"row\">{_e(c.label)}</th><td>{'✓ key' if c.keyed else ''}</td><td>{c.count}</td>"
                f"<td>{100 * c.count / total:.0f}%</td></tr>" for c in counts)
            caption = _e(part) if part else "Options"
            parts.append(f'<table class="data"><caption>{caption}</caption><thead><tr><th scope="col">Option</th>'
                         '<th scope="col">Key</th><th scope="col">Students</th><th scope="col">Share</th></tr>'
                         f"</thead><tbody>{rows}</tbody></table>")
        out.append(f'<section id="opt-{s.number}"><h3>{s.number}. {_e(s.item.id)}: {_e(_label(s.item))}</h3>'
                   f"{''.join(parts)}</section>")
    note = ("<p>Shares are of the students who took the item's set; in select, mark and grid rows with several "
            "keyed columns a student can choose more than one option, so shares can add up to more than 100%.</p>")
    return note + "".join(out)


def _skills_table(analysis: Analysis) -> str:
    rows = "".join(f"<tr><th scope=\"row\">{_e(skill)}</th><td>{items}</td><td>{students}</td><td>{_pct(mean)}</td>"
                   "</tr>" for skill, (items, students, mean) in analysis.skills.items())
    return ('<table class="data"><caption>Mean score per skill</caption><thead><tr><th scope="col">Skill</th>'
            '<th scope="col">Items</th><th scope="col">Students</th><th scope="col">Mean</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _alpha(analysis: Analysis, set_id: str) -> tuple[str, str]:
    rel = analysis.reliability.get(set_id)
    if rel is None:
        return "—", ""
    used = f"{rel.students} students × {rel.items} items"
    if rel.alpha is None:
        return _e(rel.reason.capitalize()), used
    return f"{_fmt(rel.alpha)} ({'KR-20' if rel.kr20 else 'Cronbach’s alpha'})", used


def _sets_table(analysis: Analysis) -> str:
    rows = []
    for s in analysis.sets:
        if s.id not in analysis.set_takers:
            continue
        alpha, used = _alpha(analysis, s.id)
        rows.append(f"<tr><th scope=\"row\">{_e(s.title)} ({_e(s.id)})</th><td>{analysis.set_takers[s.id]}</td>"
                    f"<td>{_pct(analysis.set_means[s.id])}</td><td>{alpha}</td><td>{used}</td></tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Set", "Students who took it", "Mean score",
                                                           "Reliability (alpha)", "Used for alpha"))
    return ('<table class="data"><caption>Exercise sets in this gradebook</caption><thead><tr>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p class=\"small\">{_ALPHA_GUIDE}</p>")


_ALPHA_GUIDE = ("Reading alpha: it estimates how consistently a set's items rank the same students (1 = perfectly); "
                "about 0.7 or more is usual for a class quiz, 0.8 or more before a decision that matters; near 0 or "
                "below, the items do not rank students alike (as when students guess). It rises "
                "with the number of items, and it does not tell you whether the set measures the right thing, or "
                "only one skill.")


def _level() -> str:
    return f"{LEVEL:.0%}"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1a1a1a;margin:0 auto;
max-width:72rem;padding:1rem 1.5rem}h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}
table.data{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}table.data caption{text-align:left;
font-weight:600;padding:.25rem 0}table.data th,table.data td{border:1px solid #bbb;padding:.25rem .5rem;
text-align:left;vertical-align:top}table.data thead th{background:#eef2f6}tr.flagged{background:#fbeaea}
tr.flagged td:last-child{font-weight:600}.small{font-size:.85rem;font-weight:400;color:#444}
.chart{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start}.chart figure{margin:0;max-width:100%}
.chart img{max-width:100%;height:auto}.flag{border:2px solid #a33;border-left-width:.5rem;padding:.5rem 1rem;
margin:1rem 0}.wide{width:100%}a{color:#1f4f82}
@media print{.chart{display:block}section{break-inside:avoid}}
"""


def _flags_section(analysis: Analysis) -> str:
    flagged = [s for s in analysis.items if s.flagged]
    if flagged:
        return "".join(f'<div class="flag"><h3>⚠ {s.number}. {_e(s.item.id)}: {_e(_label(s.item))}</h3>'
                       f"{_flag_text(s)}</div>" for s in flagged)
    few = sum(s.status == FEW for s in analysis.items)
    if not any(s.status not in (FEW, UNSCORED) for s in analysis.items):
        return (f"<p>Too few students to tell: no item was scored for at least {MIN_STUDENTS} students, so no item "
                "is judged. The numbers below are shown, but with so few students they can look good or bad by "
                "chance.</p>")
    text = ("<p>No item is flagged: for no item do the data show that students who did better on the rest of the "
            "set did worse on it.")
    if few:
        text += f" {few} item(s) had fewer than {MIN_STUDENTS} students: too few students to tell."
    return text + "</p>"


def _notes(analysis: Analysis) -> str:
    book = analysis.gradebook
    notes = []
    left_out = book.students - len(analysis.percents)
    if left_out:
        notes.append(f"{left_out} student row(s) answered no item and are left out of every statistic.")
    if 0 < len(analysis.percents) < MIN_STUDENTS:
        notes.append(f"With {len(analysis.percents)} students there are too few students to tell which items work: "
                     f"the numbers are shown, but below {MIN_STUDENTS} students no item is flagged and no "
                     "reliability is given.")
    if book.unreadable:
        notes.append(f"{book.unreadable} response cell(s) were not readable JSON; they count as "
                     f"“{OTHER}” in the option tables.")
    return "".join(f"<li>{_e(n)}</li>" for n in notes)


def render_html(analysis: Analysis, *, title: str = "Item analysis") -> str:
    """The whole report as one self-contained HTML page."""
    book = analysis.gradebook
    notes = _notes(analysis)
    when = datetime.now().strftime("%Y-%m-%d %H:%M")
    return "".join([
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head><body>',
        f"<main><h1>{_e(title)}</h1>",
        f"<p>Gradebook <code>{_e(Path(book.path).name)}</code>: {book.students} student row(s), "
        f"{len(analysis.items)} item(s). Made {when}. No student names appear in this report.</p>",
        f"<ul>{notes}</ul>" if notes else "",
        _sets_table(analysis),
        '<h2 id="flags">Items to check</h2>', _flags_section(analysis),
        '<h2 id="scores">Score distribution</h2>',
        _chart_block("Students per 10-point score band.", histogram_chart(analysis), _histogram_alt(analysis),
                     _histogram_table(analysis)),
        '<h2 id="items">Difficulty and discrimination</h2>',
        _chart_block("Each item's difficulty and discrimination; a cross marks a flagged item.",
                     scatter_chart(analysis), _scatter_alt(analysis), _scatter_table(analysis)),
        _item_table(analysis),
        '<h2 id="skills">Skills</h2>', _skills_table(analysis),
        '<h2 id="options">How often each option was chosen</h2>', _options_section(analysis),
        '<h2 id="how">How to read this report</h2>', _how(),
        "</main></body></html>\n",
    ])


def _how() -> str:
    level, rate = _level(), f"{(1 - LEVEL) / 2:.1%}"
    return f"""
<dl>
<dt>Difficulty p</dt><dd>The mean fraction of the item's points that students earned: 1.00 means everyone got full
marks, 0.00 that nobody earned anything. An item worth several points counts each student's share of its points
(2 of 4 points = 0.50). Items between about 0.30 and 0.90 tell you most about the class. An item everyone got right
(or no one did) is reported as such, not flagged: it cannot show who is stronger.</dd>
<dt>Discrimination r</dt><dd>The correlation between students' score on the item and their score on the rest of
the same set (the item itself left out). Above 0.30 is good, 0.20–0.30 acceptable, below 0.20 weak. Below zero, the
stronger students did worse on the item than the weaker ones.</dd>
<dt>{level} interval of r</dt><dd>The range of values of r that fit this class's data. With few students it is wide:
r can then land well above or below zero by chance alone. It is computed with Fisher's z from the number of students
(n − 3) and is approximate, more so for right/wrong items and for small classes.</dd>
<dt>When an item is flagged</dt><dd>Only when at least {MIN_STUDENTS} students were scored on it and its whole
{level} interval is below zero: that is, when the data show that stronger students did worse. Then the key or the
wording is usually at fault. If an item truly had nothing to do with the rest of the set, it would still be flagged
by chance about {rate} of the time, about once in 200 items. (With the more usual 95% interval it would be once in
40 items, too many false alarms for a report on a hundred items.) With fewer than {MIN_STUDENTS} students the report
says "too few students to tell" for every item. A weak or unclear item is not flagged; the table notes it.</dd>
<dt>Upper–lower D</dt><dd>The item's mean score in the top 27% of students (ranked by the rest of the set) minus
its mean score in the bottom 27%. Read it like r; it is easier to explain to students.</dd>
<dt>Reliability (alpha)</dt><dd>Cronbach's alpha for each set, from the items that have scores and the students
who were scored on all of them. When every such item is right or wrong and worth the same points it is the same
number as KR-20 (Kuder–Richardson 20), and the table says KR-20. {_ALPHA_GUIDE} It needs at least 2 items and
{MIN_STUDENTS} students; otherwise the table says "too few students" or "too few items".</dd>
<dt>Who is counted</dt><dd>A student counts for a set's items if they answered or scored anything in that set. An
empty score cell (for example a written response not scored yet) leaves that student out of that item only.
Scores are the points in the gradebook; written responses count once the teacher's rubric levels are merged.</dd>
</dl>
"""


def write_report(gradebook: Path | str, sets: Sequence[ItemSet], out: Path | str) -> Analysis:
    """Read ``gradebook``, analyse it against ``sets`` and write the HTML report to ``out`` (atomically)."""
    analysis = analyse(read_gradebook(gradebook, sets), sets)
    out = Path(out)
    if out.is_dir():
        raise _error(str(out), 0, "the output path is a folder.", "Give a file name ending in .html.")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(out.name + ".partial")
        partial.write_text(render_html(analysis), encoding="utf-8")
        partial.replace(out)
    except OSError as exc:
        raise _error(str(out), 0, f"cannot write the report: {exc.strerror or exc}.",
                     "Choose a folder you can write to.") from exc
    return analysis


def summary(analysis: Analysis, out: Path | str) -> str:
    """A few lines for the terminal."""
    flagged = [s.item.id for s in analysis.items if s.flagged]
    few = sum(s.status == FEW for s in analysis.items)
    line = (f"Wrote {out}: {len(analysis.items)} items, {len(analysis.percents)} students "
            f"(of {analysis.gradebook.students} rows).")
    if flagged:
        line += f"\nFlagged, stronger students did worse (check these items): {', '.join(flagged)}."
    if few:
        line += f"\n{few} item(s) had fewer than {MIN_STUDENTS} students: too few students to tell."
    alphas = [f"{set_id} {_fmt(rel.alpha)}" if rel.alpha is not None else f"{set_id} ({rel.reason})"
              for set_id, rel in analysis.reliability.items()]
    if alphas:
        line += f"\nReliability (alpha) per set: {'; '.join(alphas)}."
    return line
