"""The stakeholder map as Graphviz DOT: one edge per pair of people, labelled with how many
contacts it stands for, and a legend. ``dot -Tsvg map.dot -o map.svg`` draws it; ``map
--format png`` runs ``dot -Tpng`` on it when Graphviz is installed.

Every quoted string goes through ``dot_text``; the legend is fixed text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .stakeholder_map import Edge, EdgeKind, Node, NodeKind, StakeholderMap, clean_label
from .stakeholder_map import node_lines as _node_lines


def dot_text(text: str) -> str:
    """Text for inside a DOT double-quoted string: backslashes and quotes escaped."""
    return clean_label(text).replace("\\", "\\\\").replace('"', '\\"')


@dataclass
class Pair:
    """Every edge between two people, merged into one line."""

    source: str
    target: str
    kinds: list[EdgeKind] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    count: int = 0

    @property
    def style(self) -> str:
        if EdgeKind.link in self.kinds:
            strong = "strong" in self.labels
            return (
                'dir=none, penwidth=2, color="#333333"'
                if strong
                else ('dir=none, style=dashed, color="#555555"')
            )
        if self.kinds == [EdgeKind.relationship]:
            return 'style=dotted, color="#777777"'
        if EdgeKind.commitment in self.kinds:
            return 'penwidth=2.5, color="#0b6e4f"'
        return 'color="#1f5fad"'


def merged_pairs(edges: tuple[Edge, ...]) -> list[Pair]:
    """One Pair per (source, target), in the order pairs first appear; a link counts once."""
    pairs: dict[frozenset[str], Pair] = {}
    for edge in edges:
        pair = pairs.setdefault(
            frozenset((edge.source, edge.target)), Pair(edge.source, edge.target)
        )
        pair.kinds.append(edge.kind)
        pair.labels.append(edge.label)
        pair.count += edge.count
    return list(pairs.values())


LEGEND = (
    "Legend",
    "box: a person in IT",
    "rounded: a business leader",
    "green, star: champion",
    "red, dashed: no touchpoint in the window",
    "dotted line: relationship owner only",
    "blue line: contacts (label: how many)",
    "bold green: a commitment due",
    "grey line, no arrow: leaders who work together (solid strong, dashed weak)",
)


def to_dot(graph: StakeholderMap) -> str:
    """A Graphviz digraph of ``graph``."""
    lines = [
        "digraph stakeholder_map {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
        "  subgraph cluster_it {",
        f'    label="{dot_text(graph.it_name)}";',
    ]
    lines += [f"    {_dot_node(n)}" for n in graph.nodes if n.kind is NodeKind.owner]
    lines += [
        "  }",
        "  subgraph cluster_business {",
        f'    label="{dot_text(graph.business_name)}";',
    ]
    lines += [f"    {_dot_node(n)}" for n in graph.nodes if n.kind is NodeKind.stakeholder]
    lines.append("  }")
    for pair in merged_pairs(graph.edges):
        label = pair.labels[0] if pair.kinds == [EdgeKind.link] else str(pair.count)
        tooltip = "; ".join(pair.labels)
        lines.append(
            f'  "{pair.source}" -> "{pair.target}" [label="{dot_text(label)}", '
            f'tooltip="{dot_text(tooltip)}", {pair.style}];'
        )
    legend = "\\l".join(LEGEND) + "\\l"
    lines += [
        "  subgraph cluster_legend {",
        '    label="";',
        f'    legend [shape=note, style=filled, fillcolor="#f7f7f7", label="{legend}"];',
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def _dot_node(node: Node) -> str:
    label = "\\n".join(dot_text(line) for line in _node_lines(node))
    attributes = {"label": f'"{label}"'}
    if node.kind is NodeKind.owner:
        attributes |= {"fillcolor": '"#eef4fb"', "style": "filled"}
    if node.champion:
        attributes |= {"fillcolor": '"#e8f6ee"', "color": '"#0b6e4f"', "penwidth": "2"}
    if node.isolated:
        attributes |= {"fillcolor": '"#fde2e1"', "color": '"#c0392b"', "penwidth": "3"}
        attributes["style"] = '"filled,dashed"'
    listed = ", ".join(f"{name}={value}" for name, value in attributes.items())
    return f'"{node.key}" [{listed}];'
