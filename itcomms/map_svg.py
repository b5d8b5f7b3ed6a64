"""The stakeholder map as an SVG picture anyone can open: no Graphviz, no scripts.

Business leaders sit on a ring, ordered so that leaders who work together sit side by side
(breadth-first through their links, with ``networkx``); the people of IT sit in a row beneath
it. The lines between them are the ties (one line per pair, its count when it stands for more
than one contact); the lines across the ring are the links between leaders. When IT is
isolated, the ring is dense and few lines climb down to the row. The figures of
``network.measure`` head the picture and a legend ends it. The layout is deterministic: the
same plan draws the same picture.

Sized for a phone: 440 units wide with 14-unit text, so at 390 px the text is 12.4 px.
Every piece of plan text goes through ``html.escape``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from html import escape
from typing import TYPE_CHECKING

from .stakeholder_map import EdgeKind, Node, NodeKind, StakeholderMap, clean_label

if TYPE_CHECKING:
    from .model import Plan
    from .network import Isolation
    from .timeline import Standing

WIDTH = 440
FONT = 14
LINE = 22  # legend rows
LABELLED_LEADERS = 24  # beyond this many, names are left to each node's tooltip
LABELLED_PEOPLE = 10
BLUE, GREEN, RED, GREY, INK = "#1f5fad", "#0b6e4f", "#c0392b", "#777777", "#222222"
HALO = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"'  # text stays legible over lines


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def leader_order(graph: StakeholderMap) -> list[str]:
    """Business node keys around the ring: each group of linked leaders together, biggest
    group first, breadth-first from its best-linked leader (ties broken by plan order)."""
    import networkx as nx

    keys = [n.key for n in graph.nodes if n.kind is NodeKind.stakeholder]
    rank = {key: index for index, key in enumerate(keys)}
    links: nx.Graph[str] = nx.Graph()
    links.add_nodes_from(keys)
    links.add_edges_from((e.source, e.target) for e in graph.edges if e.kind is EdgeKind.link)
    groups = sorted(
        nx.connected_components(links), key=lambda g: (-len(g), min(rank[k] for k in g))
    )
    order: list[str] = []
    for group in groups:
        start = min(group, key=lambda k: (-links.degree(k), rank[k]))
        order.extend(
            nx.bfs_tree(links, start, sort_neighbors=lambda ns: sorted(ns, key=rank.__getitem__))
        )
    return order


@dataclass(frozen=True)
class Layout:
    places: dict[str, Point]
    ring: Point
    radius: float
    people_y: float
    legend_y: float
    height: float
    lifted: frozenset[str] = frozenset()  # IT people whose label goes lower, to stay clear


def layout(graph: StakeholderMap, top: float) -> Layout:
    """Where each node goes: leaders on the ring, IT people in the row beneath it."""
    order = leader_order(graph)
    radius = 60.0 if len(order) <= 3 else min(150.0, 40.0 + 10.0 * len(order))
    radius = min(radius, 88.0) if len(order) <= LABELLED_LEADERS else radius
    ring = Point(WIDTH / 2, top + radius + 30)
    places = {}
    for index, key in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(order), 1)
        places[key] = Point(ring.x + radius * math.cos(angle), ring.y + radius * math.sin(angle))
    people = [n.key for n in graph.nodes if n.kind is NodeKind.owner and n.plan_id]
    people_y = ring.y + radius + 110
    step = (WIDTH - 60) / max(len(people), 1)
    for index, key in enumerate(people):
        places[key] = Point(30 + step * (index + 0.5), people_y)
    lifted = frozenset(people[1::2]) if len(people) > 4 else frozenset()
    legend_y = people_y + 80
    height = legend_y + LINE * len(_LEGEND) + 20
    return Layout(places, ring, radius, people_y, legend_y, height, lifted)


def to_svg(graph: StakeholderMap) -> str:
    """The map as one standalone SVG document."""
    header = _header_lines(graph)
    top = 24 + FONT * 1.5 * len(header)
    shape = layout(graph, top)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {shape.height:.0f}" '
        f'width="100%" role="img" aria-labelledby="map-title map-desc" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="{FONT}">',
        f'<title id="map-title">{escape(clean_label(graph.it_name))} and '
        f"{escape(clean_label(graph.business_name))}: ties from {graph.start} to {graph.end}"
        "</title>",
        f'<desc id="map-desc">{escape(" ".join(header))}</desc>',
        f'<rect width="{WIDTH}" height="{shape.height:.0f}" fill="#ffffff"/>',
        '<g class="figures">',
    ]
    for index, line in enumerate(header):
        weight = ' font-weight="bold"' if index == 0 else ""
        parts.append(
            f'<text x="12" y="{24 + index * FONT * 1.5:.0f}"{weight}>{escape(line)}</text>'
        )
    parts.append("</g>")
    parts.append(
        f'<rect class="it-band" x="4" y="{shape.people_y - 40:.0f}" width="{WIDTH - 8}" '
        f'height="86" rx="8" fill="#eef4fb"/><text x="12" y="{shape.people_y - 24:.0f}" '
        f'fill="{BLUE}" font-weight="bold" {HALO}>{escape(_short(graph.it_name, 40))}</text>'
    )
    parts += _edges(graph, shape)
    parts += _nodes(graph, shape)
    parts += _legend(shape)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _header_lines(graph: StakeholderMap) -> list[str]:
    lines = [
        _short(f"{graph.it_name} and {graph.business_name}", 46),
        f"{graph.start} to {graph.end}",
    ]
    figures: Isolation | None = graph.figures
    if figures is None:
        return lines
    share = "no ties" if figures.it_share is None else f"{figures.it_share:.0%}"
    lines.append(f"IT's share of the business's ties: {share} of {figures.business_ties}")
    lines.append(
        f"Betweenness: IT {figures.it_betweenness:.2f}, leaders {figures.business_betweenness:.2f}"
    )
    lines.append(f"Degree: IT {figures.it_degree:.2f}, leaders {figures.business_degree:.2f}")
    if figures.through_one:
        lines.append(f"Leaders IT reaches through one person: {len(figures.through_one)}")
    return lines


def _edges(graph: StakeholderMap, shape: Layout) -> list[str]:
    from .map_dot import merged_pairs

    parts = ['<g class="edges" fill="none">']
    labels = []
    for pair in merged_pairs(graph.edges):
        a, b = shape.places.get(pair.source), shape.places.get(pair.target)
        if a is None or b is None:
            continue  # touchpoints nobody owns have no place in the row of IT people
        if EdgeKind.link in pair.kinds:
            strength = pair.labels[0]
            style = (
                f'stroke="{INK}" stroke-width="2"'
                if strength == "strong"
                else f'stroke="{GREY}" stroke-width="1" stroke-dasharray="4 3"'
            )
            kind, count = f"link {strength}", 1
        else:
            only_owner = pair.kinds == [EdgeKind.relationship]
            width = 1 + min(pair.count, 6) * 0.4
            dash = ' stroke-dasharray="1 3"' if only_owner else ""
            style = f'stroke="{GREY if only_owner else BLUE}" stroke-width="{width:.1f}"{dash}'
            kind, count = "tie", pair.count
        parts.append(
            f'<line class="edge {kind}" data-from="{pair.source}" data-to="{pair.target}" '
            f'data-count="{count}" x1="{a.x:.1f}" y1="{a.y:.1f}" x2="{b.x:.1f}" y2="{b.y:.1f}" '
            f"{style}><title>{escape('; '.join(clean_label(x) for x in pair.labels))}</title>"
            "</line>"
        )
        if count > 1:
            middle = Point((a.x + b.x) / 2, (a.y + b.y) / 2)
            labels.append(
                f'<text class="count" x="{middle.x:.1f}" y="{middle.y + 4:.1f}" '
                f'text-anchor="middle" fill="{BLUE}" {HALO}>\u00d7{count}</text>'
            )
    parts += labels
    parts.append("</g>")
    return parts


def _nodes(graph: StakeholderMap, shape: Layout) -> list[str]:
    leaders = sum(1 for n in graph.nodes if n.kind is NodeKind.stakeholder)
    people = sum(1 for n in graph.nodes if n.kind is NodeKind.owner)
    parts = ['<g class="nodes">']
    for node in graph.nodes:
        place = shape.places.get(node.key)
        if place is None:
            continue
        labelled = (
            leaders <= LABELLED_LEADERS
            if node.kind is NodeKind.stakeholder
            else (people <= LABELLED_PEOPLE)
        )
        parts.append(_node(node, place, shape, labelled))
    parts.append("</g>")
    return parts


def _node(node: Node, place: Point, shape: Layout, labelled: bool) -> str:
    fill, stroke = ("#eef4fb", BLUE) if node.kind is NodeKind.owner else ("#ffffff", "#555555")
    if node.champion:
        fill, stroke = "#e8f6ee", GREEN
    extra = ""
    if node.isolated:
        fill, stroke, extra = "#fde2e1", RED, ' stroke-dasharray="3 2"'
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="2"{extra}'
    if node.kind is NodeKind.owner:
        mark = f'<rect x="{place.x - 8:.1f}" y="{place.y - 8:.1f}" width="16" height="16" {paint}/>'
        side = "it"
    else:
        mark = f'<circle cx="{place.x:.1f}" cy="{place.y:.1f}" r="7" {paint}/>'
        side = "business"
    classes = " ".join(
        [f"node {side}"] + ["champion"] * node.champion + ["isolated"] * node.isolated
    )
    tooltip = escape(" · ".join(clean_label(x) for x in [node.name, node.detail or ""] if x))
    label = _label(node, place, shape) if labelled else ""
    return (
        f'<g class="{classes}" data-key="{node.key}" data-id="{escape(node.plan_id or "")}">'
        f"<title>{tooltip}</title>{mark}{label}</g>"
    )


def _label(node: Node, place: Point, shape: Layout) -> str:
    name = ("★ " if node.champion else "") + _short(node.name, 15)
    if node.kind is NodeKind.owner:
        below = 26 + (18 if node.key in shape.lifted else 0)
        return (
            f'<text x="{place.x:.1f}" y="{place.y + below:.1f}" text-anchor="middle" {HALO}>'
            f"{escape(_short(node.name, 11))}</text>"
        )
    dx, dy = place.x - shape.ring.x, place.y - shape.ring.y
    distance = math.hypot(dx, dy) or 1.0
    x, y = place.x + 12 * dx / distance, place.y + 12 * dy / distance + 4
    anchor = "start" if dx > 0.3 * distance else ("end" if dx < -0.3 * distance else "middle")
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" {HALO}>{escape(name)}</text>'


def _short(text: str, most: int) -> str:
    flat = clean_label(text)
    return flat if len(flat) <= most else flat[: most - 1].rstrip() + "…"


_LEGEND = (
    ("circle", "#ffffff", "#555555", "", "a business leader"),
    ("circle", "#e8f6ee", GREEN, "", "★ a champion"),
    ("rect", "#eef4fb", BLUE, "", "a person in IT"),
    ("circle", "#fde2e1", RED, "3 2", "isolated: no touchpoint in the window"),
    ("line", INK, INK, "", "leaders who work closely together"),
    ("line", GREY, GREY, "4 3", "leaders with a weaker tie"),
    ("line", BLUE, BLUE, "", "IT's contacts (\u00d7N: N merged into one line)"),
    ("line", GREY, GREY, "1 3", "relationship owner, no contact in the window"),
)


def _legend(shape: Layout) -> list[str]:
    parts = [
        '<g class="legend">',
        f'<text x="12" y="{shape.legend_y:.0f}" font-weight="bold">Legend</text>',
    ]
    for index, (kind, fill, stroke, dash, text) in enumerate(_LEGEND):
        y = shape.legend_y + LINE * (index + 1)
        paint = f'stroke="{stroke}" stroke-width="2"' + (
            f' stroke-dasharray="{dash}"' if dash else ""
        )
        if kind == "line":
            mark = f'<line x1="14" y1="{y - 4}" x2="38" y2="{y - 4}" {paint}/>'
        elif kind == "rect":
            mark = f'<rect x="19" y="{y - 11}" width="14" height="14" fill="{fill}" {paint}/>'
        else:
            mark = f'<circle cx="26" cy="{y - 4}" r="6" fill="{fill}" {paint}/>'
        parts.append(
            f'<g class="legend-item">{mark}<text x="48" y="{y:.0f}">{escape(text)}</text></g>'
        )
    parts.append("</g>")
    return parts


def network_svg(
    plan: Plan,
    today: date,
    *,
    start: date | None = None,
    end: date | None = None,
    state: Standing | None = None,
) -> str:
    """The map as SVG text for a page (the ``site``): the window defaults to ``map``'s,
    ``state`` is the ledger as of today (``Workspace.standing()``)."""
    from .stakeholder_map import build_map, default_window

    low, high = default_window(plan, today)
    graph = build_map(plan, start or low, end or high, today=today, state=state)
    return to_svg(graph)
