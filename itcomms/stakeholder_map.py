"""The stakeholder map: who in IT touches which business stakeholder, and who nobody touches.

Nodes are IT owners and business stakeholders. Edges are the touchpoints in a window that tie
someone (``network.contacts``: done, or still to come and not skipped; messages and channel
editions reaching a stakeholder's audience, commitments due to them), the standing
relationship-owner links, and the links between business leaders (``stakeholders[].links``).
A stakeholder with no touchpoint in the window is *isolated*, and so is an owner who touches
nobody: the "CIO in splendid isolation" picture the plan exists to change. ``figures`` measures
it (``network.measure``).

Graph ids are generated (``o0``, ``s0``), never taken from the plan, and every label is escaped
for its syntax, so hostile names cannot break or inject into the Mermaid, DOT or SVG text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .model import Plan

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .network import Contact, Isolation
    from .timeline import Standing

MAX_LABEL_CHARS = 60
UNOWNED = "(no owner)"
_BIDI_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_MERMAID_SAFE = frozenset(" .,-_'/()@:+?!*=~")


class NodeKind(StrEnum):
    owner = "owner"
    stakeholder = "stakeholder"


class EdgeKind(StrEnum):
    relationship = "relationship"
    commitment = "commitment"
    message = "message"
    channel = "channel"
    link = "link"  # between two business leaders: the label is its strength


@dataclass(frozen=True)
class Node:
    key: str  # the graph id: o0, o1... for owners, s0, s1... for stakeholders
    plan_id: str | None  # None for the "(no owner)" node
    kind: NodeKind
    name: str
    detail: str | None
    champion: bool = False
    isolated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "id": self.plan_id,
            "kind": self.kind.value,
            "name": self.name,
            "detail": self.detail,
            "champion": self.champion,
            "isolated": self.isolated,
        }


@dataclass(frozen=True)
class Edge:
    source: str  # node key
    target: str  # node key
    kind: EdgeKind
    label: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.source,
            "to": self.target,
            "kind": self.kind.value,
            "label": self.label,
            "count": self.count,
        }


@dataclass(frozen=True)
class StakeholderMap:
    it_name: str
    business_name: str
    start: date
    end: date
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    figures: Isolation | None = None

    @property
    def isolated_stakeholders(self) -> list[str]:
        return [
            n.plan_id or n.key for n in self.nodes if n.kind is NodeKind.stakeholder and n.isolated
        ]

    @property
    def isolated_owners(self) -> list[str]:
        return [n.plan_id or n.key for n in self.nodes if n.kind is NodeKind.owner and n.isolated]

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "nodes": [n.to_json() for n in self.nodes],
            "edges": [e.to_json() for e in self.edges],
            "isolated_stakeholders": self.isolated_stakeholders,
            "isolated_owners": self.isolated_owners,
            "figures": self.figures.to_json() if self.figures else None,
        }


_Touch = tuple[str | None, str, EdgeKind, str]
"""A touchpoint: (owner id or None, stakeholder id, kind, detail)."""


def build_map(
    plan: Plan, start: date, end: date, *, today: date, state: Standing | None = None
) -> StakeholderMap:
    """The map of ``start`` to ``end`` inclusive; ``state`` is the ledger as of today
    (``Workspace.standing()``), which says what was done or skipped."""
    from .network import build_network, measure
    from .timeline import Window

    network = build_network(plan, Window(start, end), today=today, state=state)
    owner_keys = {owner.id: f"o{index}" for index, owner in enumerate(plan.owners)}
    stakeholder_keys = {s.id: f"s{index}" for index, s in enumerate(plan.stakeholders)}
    counts = _touchpoint_counts(plan, network.contacts)
    edges = _relationship_edges(plan, owner_keys, stakeholder_keys)
    edges.extend(_touchpoint_edges(counts, owner_keys, stakeholder_keys))
    edges.extend(
        Edge(stakeholder_keys[a], stakeholder_keys[b], EdgeKind.link, strength, 1)
        for a, b, strength in network.links
    )
    nodes = _owner_nodes(plan, counts, edges, owner_keys)
    nodes.extend(_stakeholder_nodes(plan, counts, stakeholder_keys))
    return StakeholderMap(
        it_name=plan.organization.it_name,
        business_name=plan.organization.name,
        start=start,
        end=end,
        nodes=tuple(nodes),
        edges=tuple(edges),
        figures=measure(network),
    )


def _touchpoint_counts(plan: Plan, contacts: Iterable[Contact]) -> dict[_Touch, int]:
    """How many times each owner touches each stakeholder, by kind and detail: the contacts of
    the network (``network.contacts``, from the touchpoints lint and brief count too)."""
    from .schedule import ItemKind

    kinds = {
        ItemKind.commitment: EdgeKind.commitment,
        ItemKind.edition: EdgeKind.channel,
        ItemKind.message: EdgeKind.message,
    }
    counts: dict[_Touch, int] = {}
    for contact in contacts:
        item = contact.item
        kind = kinds[item.kind]
        detail = _channel_name(plan, item.channel) if kind is EdgeKind.channel else ""
        key = (item.owner, contact.stakeholder, kind, detail)
        counts[key] = counts.get(key, 0) + 1
    return counts


def _relationship_edges(
    plan: Plan, owner_keys: dict[str, str], stakeholder_keys: dict[str, str]
) -> list[Edge]:
    """The standing links from each stakeholder's relationship owner."""
    return [
        Edge(
            owner_keys[s.relationship_owner],
            stakeholder_keys[s.id],
            EdgeKind.relationship,
            "relationship owner",
            1,
        )
        for s in plan.stakeholders
        if s.relationship_owner is not None and s.relationship_owner in owner_keys
    ]


def _touchpoint_edges(
    counts: dict[_Touch, int], owner_keys: dict[str, str], stakeholder_keys: dict[str, str]
) -> list[Edge]:
    """One edge per touchpoint kind, in a stable order; an unknown owner is "unowned"."""
    edges = []
    for (owner_id, stakeholder_id, kind, detail), count in sorted(
        counts.items(), key=lambda pair: (str(pair[0][0]), pair[0][1], pair[0][2], pair[0][3])
    ):
        source = owner_keys.get(owner_id or "", "unowned")
        edges.append(
            Edge(
                source,
                stakeholder_keys[stakeholder_id],
                kind,
                _edge_label(kind, detail, count),
                count,
            )
        )
    return edges


def _owner_nodes(
    plan: Plan, counts: dict[_Touch, int], edges: list[Edge], owner_keys: dict[str, str]
) -> list[Node]:
    """Each owner, isolated when they touch nobody, and "(no owner)" when something needs it."""
    touching_owners = {key[0] for key in counts}
    nodes = [
        Node(
            owner_keys[owner.id],
            owner.id,
            NodeKind.owner,
            owner.name,
            owner.role,
            isolated=owner.id not in touching_owners,
        )
        for owner in plan.owners
    ]
    if None in touching_owners or any(e.source == "unowned" for e in edges):
        nodes.append(Node("unowned", None, NodeKind.owner, UNOWNED, "touchpoints nobody owns"))
    return nodes


def _stakeholder_nodes(
    plan: Plan, counts: dict[_Touch, int], stakeholder_keys: dict[str, str]
) -> list[Node]:
    """Each stakeholder, isolated when nothing in the window touches them."""
    touched_stakeholders = {key[1] for key in counts}
    return [
        Node(
            stakeholder_keys[s.id],
            s.id,
            NodeKind.stakeholder,
            s.name,
            s.title,
            champion=s.champion,
            isolated=s.id not in touched_stakeholders,
        )
        for s in plan.stakeholders
    ]


def _channel_name(plan: Plan, channel_id: str | None) -> str:
    channel = plan.channels_by_id.get(channel_id or "")
    return channel.name if channel else (channel_id or "channel")


def _edge_label(kind: EdgeKind, detail: str, count: int) -> str:
    if kind is EdgeKind.channel:
        return f"{detail} x{count}"
    if kind is EdgeKind.message:
        return f"{count} message{'s' if count != 1 else ''}"
    return f"{count} commitment{'s' if count != 1 else ''} due"


# -- text hygiene ---------------------------------------------------------------------------


def clean_label(text: str) -> str:
    """One line, no control or bidi-override characters, at most MAX_LABEL_CHARS."""
    kept = []
    for char in text:
        if char in "\r\n\t":
            kept.append(" ")
        elif char in _BIDI_CONTROLS or unicodedata.category(char) == "Cc":
            continue
        else:
            kept.append(char)
    flat = " ".join("".join(kept).split())
    if len(flat) > MAX_LABEL_CHARS:
        flat = flat[: MAX_LABEL_CHARS - 1].rstrip() + "…"
    return flat


def node_lines(node: Node) -> list[str]:
    name = ("★ " if node.champion else "") + clean_label(node.name)
    lines = [name]
    if node.detail:
        lines.append(clean_label(node.detail))
    if node.isolated:
        lines.append("no touchpoint in window")
    return lines


# -- Mermaid --------------------------------------------------------------------------------


def mermaid_text(text: str) -> str:
    """Text for inside a Mermaid double-quoted label: every risky character as ``#NNN;``."""
    return "".join(char if _mermaid_safe(char) else f"#{ord(char)};" for char in clean_label(text))


def _mermaid_safe(char: str) -> bool:
    """Letters, digits and harmless punctuation; non-ASCII text (RTL, emoji) stays readable."""
    if char.isascii():
        return char.isalnum() or char in _MERMAID_SAFE
    return not unicodedata.category(char).startswith("C")


_MERMAID_ARROWS = {
    EdgeKind.relationship: "-.->",
    EdgeKind.commitment: "==>",
    EdgeKind.message: "-->",
    EdgeKind.channel: "-->",
    EdgeKind.link: "---",
}


def to_mermaid(graph: StakeholderMap) -> str:
    """A Mermaid flowchart; renders in GitHub and GitLab Markdown inside a ```mermaid fence."""
    lines = [
        "flowchart LR",
        f"  %% stakeholder map {graph.start.isoformat()} to {graph.end.isoformat()}",
        f'  subgraph it["{mermaid_text(graph.it_name)}"]',
    ]
    for node in graph.nodes:
        if node.kind is NodeKind.owner:
            lines.append(f"    {node.key}{_mermaid_node(node)}")
    lines += ["  end", f'  subgraph business["{mermaid_text(graph.business_name)}"]']
    for node in graph.nodes:
        if node.kind is NodeKind.stakeholder:
            lines.append(f"    {node.key}{_mermaid_node(node)}")
    lines.append("  end")
    for edge in graph.edges:
        arrow = _MERMAID_ARROWS[edge.kind]
        lines.append(f'  {edge.source} {arrow}|"{mermaid_text(edge.label)}"| {edge.target}')
    lines += [
        "  classDef owner fill:#eef4fb,stroke:#1f5fad",
        "  classDef stakeholder fill:#ffffff,stroke:#555555",
        "  classDef champion fill:#e8f6ee,stroke:#0b6e4f,stroke-width:2px",
        "  classDef isolated fill:#fde2e1,stroke:#c0392b,stroke-width:3px,stroke-dasharray:5 3",
    ]
    for class_name, keys in _classes(graph).items():
        if keys:
            lines.append(f"  class {','.join(keys)} {class_name}")
    return "\n".join(lines) + "\n"


def _mermaid_node(node: Node) -> str:
    label = "<br/>".join(mermaid_text(line) for line in node_lines(node))
    return f'["{label}"]' if node.kind is NodeKind.owner else f'(["{label}"])'


def _classes(graph: StakeholderMap) -> dict[str, list[str]]:
    return {
        "owner": [n.key for n in graph.nodes if n.kind is NodeKind.owner],
        "stakeholder": [n.key for n in graph.nodes if n.kind is NodeKind.stakeholder],
        "champion": [n.key for n in graph.nodes if n.champion],
        "isolated": [n.key for n in graph.nodes if n.isolated],
    }


# -- Graphviz DOT ---------------------------------------------------------------------------


def to_dot(graph: StakeholderMap) -> str:
    """A Graphviz graph: ``dot -Tsvg map.dot -o map.svg`` (``map_dot.to_dot``)."""
    from .map_dot import to_dot as dot_document

    return dot_document(graph)


# -- for the command line ----------------------------------------------------------------------


def default_window(plan: Plan, today: date) -> tuple[date, date]:
    """Today through the plan's ``touchpoint_weeks`` (settings.lint, 6 weeks unless set):
    ``timeline.touchpoint_window``."""
    from .timeline import touchpoint_window

    window = touchpoint_window(plan, today)
    return window.start, window.end


def map_text(graph: StakeholderMap, format: str) -> str:
    """The map as ``mermaid``, ``dot`` (Graphviz), ``svg`` or ``json`` text."""
    if format == "svg":
        from .map_svg import to_svg

        return to_svg(graph)
    if format == "json":
        import json

        return json.dumps(graph.to_json(), indent=2, ensure_ascii=False)
    return to_dot(graph) if format == "dot" else to_mermaid(graph)
