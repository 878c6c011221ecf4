"""`OUT/summary.html` of `repair batch`: what the models of a dataset get wrong, at a glance.

A chart of the failures by rule, each bar colored by the rule's impact level (`failures.svg`, drawn with matplotlib
from the `report` extra, its text kept as text so that the figures can be read and searched), beside the table of
the same figures. Without matplotlib the page says so and still has the table. Failures are the findings not
suppressed: repaired by `repair fix`, or left to fix by hand.
"""

from __future__ import annotations

import html
import io
import os
import threading
from pathlib import Path

from repair.files import atomic_write
from repair.output.failures import LEVELS
from repair.transforms._base import rule_by_key

PAGE = "summary.html"
CHART = "failures.svg"
LEVEL_COLORS = {"Critical": "#b2182b", "High": "#ef8a62", "Medium": "#fddbc7", "Low": "#d1e5f0"}
MISSING_PLOTTER = ("No chart: it is drawn with matplotlib, which is not installed "
                   "(<code>pip install 'cdktf-repair[report]'</code>); the table has the same figures.")


def failure_rows(findings) -> list[dict]:
    """One row per rule with failures, in id order, from a batch tally's (rule, fixed|reported|suppressed) counts."""
    rows = []
    for rule_id in sorted({rule for rule, _ in findings}):
        rule = rule_by_key(rule_id)
        fixed, by_hand = findings[(rule_id, "fixed")], findings[(rule_id, "reported")]
        if fixed + by_hand == 0:
            continue
        rows.append({"rule": rule_id, "slug": rule.slug if rule else "", "category": rule.category() if rule else "",
                     "level": rule.severity.value.capitalize() if rule else "Low", "fixed": fixed,
                     "by_hand": by_hand, "suppressed": findings[(rule_id, "suppressed")],
                     "failures": fixed + by_hand})
    return rows


def lower_this_threads_priority() -> None:
    """Give the calling thread alone the lowest CPU priority (Linux: a thread id is a `setpriority` target), so
    that it runs on what the workers leave idle; elsewhere, or where refused, nothing."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):
        pass


def load_plotter_in_background() -> None:
    """Import matplotlib in a thread while the batch works: its import is a second of the page's cost (as much as
    repairing fifteen files). At the lowest priority, on what the workers leave idle (their start, a tail when one
    worker finishes first; with -j 1 the second core): with as many workers as cores, competing with them would
    cost the run that second. The chart, drawn at the end, then finds it loaded."""
    def load() -> None:
        lower_this_threads_priority()
        try:
            import matplotlib.figure  # noqa: F401
            import matplotlib.patches  # noqa: F401
        except Exception:
            pass  # not installed, or broken: draw_chart says so when the page is written

    threading.Thread(target=load, name="load-matplotlib", daemon=True).start()


def draw_chart(rows: list[dict]) -> str | None:
    """The SVG of the failures by rule and impact level; None when matplotlib is not installed."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch
    except ImportError:
        return None
    # Text as <text> elements (not glyph paths), ids and metadata fixed: the file is searchable and stable.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "cdktf-repair"}):
        figure = Figure(figsize=(8, 1.2 + 0.32 * max(len(rows), 1)))
        axes = figure.subplots()
        labels = [f"{row['rule']} {row['slug']}" for row in rows]
        positions = list(range(len(rows)))
        bars = axes.barh(positions, [row["failures"] for row in rows],
                         color=[LEVEL_COLORS[row["level"]] for row in rows], edgecolor="#444444", linewidth=0.5)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        # The counts are written on the bars, so the value axis carries no numbers of its own.
        axes.bar_label(bars, labels=[str(row["failures"]) for row in rows], padding=3)
        axes.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            axes.spines[side].set_visible(False)
        axes.set_title("Failures by rule and impact level")
        present = [level for level in LEVELS if any(row["level"] == level for row in rows)]
        if present:
            axes.legend(handles=[Patch(facecolor=LEVEL_COLORS[level], edgecolor="#444444", label=level)
                                 for level in present], loc="best", frameon=False)
        axes.margins(x=0.12)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _table(rows: list[dict]) -> str:
    head = ("<tr><th>rule</th><th>slug</th><th>impact level</th><th>category</th><th>failures</th>"
            "<th>repaired</th><th>left to fix by hand</th><th>suppressed</th></tr>")
    body = "\n".join(
        f"<tr><td>{row['rule']}</td><td>{html.escape(row['slug'])}</td><td>{row['level']}</td>"
        f"<td>{html.escape(row['category'])}</td><td>{row['failures']}</td><td>{row['fixed']}</td>"
        f"<td>{row['by_hand']}</td><td>{row['suppressed']}</td></tr>" for row in rows)
    return f"<table>\n{head}\n{body}\n</table>"


# Where a folder batch's items have their details (a table's rows have theirs in the output table's columns).
ITEM_DETAILS = ("Each item with failures has its analysis beside it as <code>&lt;item&gt;.failures.md</code>; every "
                "record is in <code>report.jsonl</code>.")
STATUSES = ("clean", "repaired", "error")


def render_page(tally, rows: list[dict], chart: str | None, title: str = "repair batch",
                note: str = MISSING_PLOTTER, details: str = ITEM_DETAILS, noun: str = "items") -> str:
    """The page; `note` says why there is no chart when `chart` is None, `details` where each item's failures are
    (HTML), `noun` what the batch's items are (a table's are rows)."""
    levels = {level: sum(row["failures"] for row in rows if row["level"] == level) for level in LEVELS}
    totals = ", ".join(f"{levels[level]} {level}" for level in LEVELS if levels[level]) or "0"
    # A table's no-code rows too: every status the batch counted.
    statuses = (*STATUSES, *sorted(s for s in tally.status if s not in STATUSES and tally.status[s]))
    items = ", ".join(f"{tally.status[s]} {s}" for s in statuses)
    figure = (f'<img src="{CHART}" alt="Failures by rule and impact level">' if chart is not None
              else f'<p class="note">{note}</p>')
    table = _table(rows) if rows else "<p>No failures.</p>"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}: failures by rule</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
.side {{ display: flex; flex-wrap: wrap; gap: 2em; align-items: flex-start; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }}
img {{ max-width: 100%; }}
</style>
</head>
<body>
<h1>{html.escape(title)}: what the models get wrong</h1>
<p>{tally.items} {noun}: {items}. Total failures: {totals}. {details}</p>
<div class="side">
<div>{figure}</div>
<div>{table}</div>
</div>
</body>
</html>
"""


def write_summary_page(tally, out: Path, title: str = "repair batch", details: str = ITEM_DETAILS,
                       noun: str = "items") -> Path:
    """Write OUT/summary.html and, when matplotlib is installed, OUT/failures.svg beside it (an earlier chart is
    removed when none can be drawn, so the page never shows stale figures). `details` and `noun` as for
    render_page."""
    rows = failure_rows(tally.findings)
    note = MISSING_PLOTTER
    try:
        chart = draw_chart(rows)
    except Exception as exc:  # a plotting library's failure costs the chart, never the batch's summary
        chart, note = None, html.escape(f"No chart: matplotlib failed ({type(exc).__name__}: {exc}); the table has "
                                        "the same figures.")
    if chart is not None:
        atomic_write(out / CHART, chart)
    else:
        (out / CHART).unlink(missing_ok=True)
    page = out / PAGE
    atomic_write(page, render_page(tally, rows, chart, title, note, details, noun))
    return page
