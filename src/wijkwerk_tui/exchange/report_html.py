"""The period report as one self-contained HTML file: tables and inline SVG charts, no
scripts, fonts or links to fetch, so it opens offline and prints on A4."""

from __future__ import annotations

from html import escape

from wijkwerk_tui.domain.ladders import Ladder
from wijkwerk_tui.domain.report import ALL, Count, PeriodReport
from wijkwerk_tui.domain.report_tables import charts
from wijkwerk_tui.exchange.report_text import about, number_text, show

COLOURS = ("#2b6cb0", "#c05621", "#718096", "#2f855a", "#6b46c1", "#b83280")
STYLE = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 10.5pt; color: #1a202c; max-width: 180mm; margin: auto; }
h1 { font-size: 18pt; margin-bottom: 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #cbd5e0; }
dl.about { display: grid; grid-template-columns: max-content auto; gap: 1mm 4mm; }
dl.about dt { font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: 2mm; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 1mm 1.5mm; text-align: right; }
th:first-child, td:first-child, td.label { text-align: left; }
th { background: #edf2f7; vertical-align: bottom; }
tr.all td { font-weight: 600; }
.note { color: #4a5568; font-size: 9pt; }
figure { margin: 3mm 0; break-inside: avoid; }
figcaption { font-weight: 600; margin-bottom: 1mm; }
section { break-inside: avoid-page; }
svg text { font-family: inherit; font-size: 9px; fill: #1a202c; }
"""


def to_html(report: PeriodReport) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{escape(f'Rapportage {report.organisation}'.strip())}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(f'Rapportage {report.organisation}'.strip())}</h1>",
        '<dl class="about">',
        *[f"<dt>{escape(name.capitalize())}</dt><dd>{escape(value)}</dd>" for name, value in about(report)[1:]],
        "</dl>",
        "<h2>In beeld</h2>",
        *_movement_by_area(report),
        *[_bars(chart.title, chart.bars) for chart in charts(report)[4:]],
    ]
    for table in report.tables:
        parts.append(f"<section><h2>{escape(table.title)}</h2>")
        if table.note:
            parts.append(f'<p class="note">{escape(table.note)}</p>')
        parts.append("<table><thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in table.columns) + "</tr></thead>")
        parts.append("<tbody>")
        for row in table.rows:
            css = ' class="all"' if row[0] == ALL else ""
            cells = "".join(
                f"<td{' class=label' if i < table.labels else ''}>{escape(number_text(show(c), table.digits))}</td>"
                for i, c in enumerate(row)
            )
            parts.append(f"<tr{css}>{cells}</tr>")
        parts.append("</tbody></table></section>")
    parts.append("<section><h2>Verhalen uit de wijk</h2>")
    if report.stories:
        parts.append("<ul>")
        parts += [f"<li>{escape(area)}, {day:%d-%m-%Y}: {escape(story)}</li>" for area, day, story in report.stories]
        parts.append("</ul>")
    else:
        parts.append("<p>Geen verhalen.</p>")
    parts.append("</section></body></html>")
    return "\n".join(parts) + "\n"


def _movement_by_area(report: PeriodReport) -> list[str]:
    """Per ladder, stacked bars of movement per area (hidden counts leave a gap)."""
    out = []
    for ladder in Ladder:
        table = report.table(f"{ladder.value}_movement")
        names = table.columns[1:5]
        rows = [(str(r[0]), [c.n if isinstance(c, Count) else 0 for c in r[1:5]]) for r in table.rows]
        if not rows:
            continue
        widest = max((sum(values) for _a, values in rows), default=0) or 1
        height, label, width = 16, 110, 400
        svg = [f'<svg role="img" width="{label + width + 60}" height="{height * len(rows) + 24}">']
        for y, (area, values) in enumerate(rows):
            top = y * height
            svg.append(f'<text x="0" y="{top + 11}">{escape(area)}</text>')
            x = float(label)
            for i, value in enumerate(values):
                w = width * value / widest
                if w:
                    svg.append(
                        f'<rect x="{x:.1f}" y="{top + 2}" width="{w:.1f}" height="{height - 4}" fill="{COLOURS[i]}">'
                        f"<title>{escape(names[i])}: {value}</title></rect>"
                    )
                x += w
        legend_y = height * len(rows) + 14
        for i, name in enumerate(names):
            svg.append(f'<rect x="{label + i * 90}" y="{legend_y - 8}" width="9" height="9" fill="{COLOURS[i]}"/>')
            svg.append(f'<text x="{label + i * 90 + 12}" y="{legend_y}">{escape(name)}</text>')
        svg.append("</svg>")
        out.append(f"<figure><figcaption>{escape(table.title)}</figcaption>{''.join(svg)}</figure>")
    return out


def _bars(title: str, bars: list[tuple[str, int]]) -> str:
    """Vertical bars with their value above them."""
    if not bars:
        return f"<figure><figcaption>{escape(title)}</figcaption><p>Niets te tonen.</p></figure>"
    highest = max(v for _n, v in bars) or 1
    step = max(18, min(60, 640 // len(bars)))
    chart_height = 120
    svg = [f'<svg role="img" width="{step * len(bars) + 10}" height="{chart_height + 60}">']
    for i, (name, value) in enumerate(bars):
        h = chart_height * value / highest
        x = i * step + 4
        svg.append(
            f'<rect x="{x}" y="{chart_height - h + 12:.1f}" width="{step - 6}" height="{h:.1f}" fill="{COLOURS[0]}">'
            f"<title>{escape(name)}: {value}</title></rect>"
        )
        svg.append(f'<text x="{x}" y="{chart_height - h + 9:.1f}">{value}</text>')
        svg.append(
            f'<text x="{x}" y="{chart_height + 22}" transform="rotate(35 {x} {chart_height + 22})">'
            f"{escape(name[:22])}</text>"
        )
    svg.append("</svg>")
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(svg)}</figure>"
