"""Small server-side SVG drawings: the alerts-per-day chart and the support-network graph.

No JavaScript library: the page gets finished SVG, every label escaped, styled with
presentation attributes (the Content-Security-Policy allows no inline styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape

from markupsafe import Markup


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def day_chart(days: list[tuple[date, int]], width: int = 720, height: int = 140) -> Markup:
    """Bars of alerts per day, with the busiest day's count and the first and last dates."""
    if not days:
        return Markup("")
    top = max(n for _, n in days) or 1
    pad_l, pad_b, pad_t = 34, 20, 10
    bar_w = (width - pad_l) / len(days)
    plot_h = height - pad_b - pad_t
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="alerts per day, last {len(days)} days">',
             f'<text x="0" y="{pad_t + 8}" font-size="11" fill="#555">{top}</text>',
             f'<line x1="{pad_l}" y1="{height - pad_b}" x2="{width}" y2="{height - pad_b}" '
             'stroke="#999"/>']
    for i, (d, n) in enumerate(days):
        h = plot_h * n / top
        x = pad_l + i * bar_w
        parts.append(f'<rect x="{x + 1:.1f}" y="{height - pad_b - h:.1f}" '
                     f'width="{max(bar_w - 2, 1):.1f}" height="{h:.1f}" fill="#3b6ea5">'
                     f'<title>{_e(d.isoformat())}: {n} alert(s)</title></rect>')
    parts.append(f'<text x="{pad_l}" y="{height - 4}" font-size="11" fill="#555">'
                 f'{_e(days[0][0].isoformat())}</text>')
    parts.append(f'<text x="{width}" y="{height - 4}" font-size="11" fill="#555" '
                 f'text-anchor="end">{_e(days[-1][0].isoformat())}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True)
class Edge:
    source: str          # node key
    target: str
    label: str
    kind: str            # "watchlist" (a relation on the list) or "alert" (found in news)
    href: str = ""


@dataclass(frozen=True, slots=True)
class Node:
    key: str
    label: str
    href: str = ""       # empty: not on the watchlist (a supporter named in an alert)


LINE_CHARS = 24   # a node label wraps at about this many characters (never cut)
LINE_HEIGHT = 14


def wrap(label: str, width: int = LINE_CHARS) -> list[str]:
    """`label` in lines of about `width` characters, broken between words; a longer word
    is a line of its own (a name is never cut)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [label]


def network(center: Node, nodes: list[Node], edges: list[Edge]) -> Markup:
    """`center` in the middle, its neighbours on a circle that grows with their number
    (labels outside it, facing away); watchlist relations as solid dark lines, links found
    in alerts as dashed orange lines (a legend says so). Edge labels sit near the
    neighbour's end so that they do not pile up in the middle."""
    others = [n for n in nodes if n.key != center.key]
    # each neighbour gets an arc tall enough for its wrapped label: labels do not overlap
    tallest = max((len(wrap(n.label)) for n in others), default=1)
    radius = max(150.0, len(others) * (40 + LINE_HEIGHT * tallest) / (2 * math.pi))
    longest = max((max(len(x) for x in wrap(n.label)) for n in others), default=10)
    side = max(120, int(longest * 7.2) + 40)
    width = int(2 * (radius + side))
    height = int(2 * (radius + 40 + LINE_HEIGHT * tallest)) + 30
    cx, cy = width / 2, height / 2 + 15
    pos = {center.key: (cx, cy)}
    angles: dict[str, float] = {}
    for i, n in enumerate(others):
        angle = 2 * math.pi * i / max(len(others), 1) - math.pi / 2
        angles[n.key] = angle
        pos[n.key] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    parts = [f'<svg class="graph" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="support network of {_e(center.label)}">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
             '<path d="M 0 0 L 10 5 L 0 10 z" fill="#666"/></marker></defs>',
             '<g font-size="13">'
             '<line x1="10" y1="16" x2="40" y2="16" stroke="#333" stroke-width="2"/>'
             '<text x="46" y="20">relation on the watchlist</text>'
             '<line x1="230" y1="16" x2="260" y2="16" stroke="#d9822b" stroke-width="2" '
             'stroke-dasharray="6 4"/><text x="266" y="20">link found in alerts</text></g>']
    seen: dict[tuple[str, str], int] = {}
    for e in edges:
        if e.source not in pos or e.target not in pos:
            continue
        pair = tuple(sorted((e.source, e.target)))
        offset = seen.get(pair, 0)
        seen[pair] = offset + 1
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        dx, dy = x2 - x1, y2 - y1
        dist = math.hypot(dx, dy) or 1
        # shorten to the node circles, bend repeated edges between the same pair apart
        sx, sy = x1 + dx / dist * 22, y1 + dy / dist * 22
        tx, ty = x2 - dx / dist * 22, y2 - dy / dist * 22
        bend = (offset + 1) // 2 * 36 * (1 if offset % 2 else -1)
        mx, my = (sx + tx) / 2 - dy / dist * bend, (sy + ty) / 2 + dx / dist * bend
        # the label at t along the curve, on the neighbour's side of the centre
        # (repeated edges between one pair: each label further along, so none overlap)
        step = 0.16 * offset
        t = 0.7 - step if e.source == center.key else 0.3 + step
        lx = (1 - t) ** 2 * sx + 2 * (1 - t) * t * mx + t * t * tx
        ly = (1 - t) ** 2 * sy + 2 * (1 - t) * t * my + t * t * ty
        style = ('stroke="#333" stroke-width="1.6"' if e.kind == "watchlist" else
                 'stroke="#d9822b" stroke-width="2.2" stroke-dasharray="6 4"')
        color = "#444" if e.kind == "watchlist" else "#b5651d"
        path = (f'<path class="edge edge-{_e(e.kind)}" d="M {sx:.1f} {sy:.1f} Q {mx:.1f} '
                f'{my:.1f} {tx:.1f} {ty:.1f}" fill="none" {style} marker-end="url(#arrow)">'
                f'<title>{_e(e.label)}</title></path>'
                f'<text x="{lx:.1f}" y="{ly:.1f}" font-size="10" fill="{color}" '
                f'text-anchor="middle">{_e(e.label)}</text>')
        if e.href:
            path = f'<a href="{_e(e.href)}">{path}</a>'
        parts.append(path)
    for n in [center, *others]:
        x, y = pos[n.key]
        fill = "#3b6ea5" if n.key == center.key else ("#e8eef6" if n.href else "#fff3e0")
        stroke = "#d9822b" if not n.href else "#3b6ea5"
        lines = wrap(n.label)
        if n.key == center.key:
            lx, ly, anchor = x, y + 38, "middle"
        else:
            a = angles[n.key]
            lx, ly = x + 26 * math.cos(a), y + 26 * math.sin(a) + 4
            anchor = "start" if math.cos(a) > 0.05 else ("end" if math.cos(a) < -0.05
                                                         else "middle")
            if anchor == "middle":
                ly += 10 if math.sin(a) > 0 else -6
            # the block of lines grows away from the centre: upwards above it, centred
            # on the node beside it
            if math.sin(a) < -0.3:
                ly -= LINE_HEIGHT * (len(lines) - 1)
            elif math.sin(a) <= 0.3:
                ly -= LINE_HEIGHT * (len(lines) - 1) / 2
        text = "".join(f'<tspan x="{lx:.1f}" dy="{0 if k == 0 else LINE_HEIGHT}">'
                       f'{_e(line)}</tspan>' for k, line in enumerate(lines))
        node = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{24 if n.key == center.key else 16}" '
                f'fill="{fill}" stroke="{stroke}" stroke-width="2"><title>{_e(n.label)}'
                f'</title></circle><text class="node-label" x="{lx:.1f}" y="{ly:.1f}" '
                f'font-size="12" '
                f'text-anchor="{anchor}" font-weight="{700 if n.key == center.key else 400}">'
                f'{text}</text>')
        if n.href and n.key != center.key:
            node = f'<a href="{_e(n.href)}">{node}</a>'
        parts.append(node)
    parts.append("</svg>")
    return Markup("".join(parts))
