"""The relationship network: business leaders, the people of IT, and the ties between them.

The research's picture: executives knit their relationships ever more tightly while the CIO
and direct reports sit apart. This module builds that network for a window and measures how
isolated IT is in it, with ``networkx`` (no hand-written graph code):

- **nodes**: every business stakeholder and every IT owner;
- **links** between business leaders: ``stakeholders[].links`` (strong or weak);
- **ties** between an IT person and a stakeholder, from three sources: the plan (the
  stakeholder's ``relationship_owner``), the ledger (a touchpoint in the window marked done)
  and the calendar (a touchpoint in the window still to come, not skipped). Touchpoints are
  ``timeline.touchpoints``, the ones ``lint`` and ``brief`` count; the ledger is
  ``timeline.standing``. A touchpoint nobody owns ties no IT person;
- **figures** (``measure``): the share of the business's ties that involve IT (as a group and
  per person), degree and betweenness centrality against the business leaders' average, and
  the leaders IT reaches only through one person (a cut vertex between IT and them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from .model import Plan
    from .schedule import Item
    from .timeline import Standing, Window

IT_NODE = "it:"
BUSINESS_NODE = "biz:"
_ALL_IT = "*it*"  # the extra node joined to every IT person when looking for cut vertices
SAMPLED_ABOVE = 250
"""Above this many people, betweenness is estimated from SAMPLE_SOURCES sources (networkx's
``k``, seeded: the same plan gives the same figures); exact below it."""
SAMPLE_SOURCES = 64


class TieSource(StrEnum):
    plan = "plan"  # the stakeholder's relationship owner
    ledger = "ledger"  # a touchpoint in the window, marked done
    calendar = "calendar"  # a touchpoint in the window, still to come


@dataclass(frozen=True)
class Contact:
    """One touchpoint in the window that ties an IT person (or nobody) to a stakeholder."""

    owner: str | None
    stakeholder: str
    item: Item
    source: TieSource


@dataclass(frozen=True)
class Network:
    """The nodes and ties of one window; ``graph()`` is the networkx view."""

    start: date
    end: date
    business: tuple[str, ...]  # stakeholder ids, plan order
    it: tuple[str, ...]  # owner ids, plan order
    links: tuple[tuple[str, str, str], ...]  # (stakeholder, stakeholder, strength)
    relationships: tuple[tuple[str, str], ...]  # (owner, stakeholder) from the plan
    contacts: tuple[Contact, ...]

    def ties(self) -> dict[tuple[str, str], dict[TieSource, int]]:
        """(owner, stakeholder) -> how many ties of each source join them."""
        found: dict[tuple[str, str], dict[TieSource, int]] = {}
        for owner, stakeholder in self.relationships:
            found.setdefault((owner, stakeholder), {})[TieSource.plan] = 1
        for contact in self.contacts:
            if contact.owner is None or contact.owner not in self.it:
                continue
            counts = found.setdefault((contact.owner, contact.stakeholder), {})
            counts[contact.source] = counts.get(contact.source, 0) + 1
        return found

    def graph(self) -> nx.Graph[str]:
        """Undirected; node ids ``biz:ID`` and ``it:ID``; each edge says its ``kind`` (link or
        tie), and a tie its ``count`` of contacts (parallel ties merged into one edge)."""
        import networkx as nx

        graph: nx.Graph[str] = nx.Graph()
        graph.add_nodes_from((BUSINESS_NODE + b for b in self.business), side="business")
        graph.add_nodes_from((IT_NODE + o for o in self.it), side="it")
        for left, right, strength in self.links:
            graph.add_edge(
                BUSINESS_NODE + left, BUSINESS_NODE + right, kind="link", strength=strength
            )
        for (owner, stakeholder), sources in self.ties().items():
            graph.add_edge(
                IT_NODE + owner,
                BUSINESS_NODE + stakeholder,
                kind="tie",
                count=sum(sources.values()),
            )
        return graph


def build_network(
    plan: Plan,
    window: Window,
    *,
    today: date,
    state: Standing | None = None,
    items: Sequence[Item] | None = None,
) -> Network:
    """The network of ``window`` as of ``today``; ``state`` is the ledger as of today
    (``Workspace.standing()``): without it nothing counts as done or skipped."""
    return Network(
        start=window.start,
        end=window.end,
        business=tuple(s.id for s in plan.stakeholders),
        it=tuple(o.id for o in plan.owners),
        links=tuple(_links(plan)),
        relationships=tuple(
            (s.relationship_owner, s.id)
            for s in plan.stakeholders
            if s.relationship_owner in plan.owners_by_id and s.relationship_owner is not None
        ),
        contacts=tuple(contacts(plan, window, today=today, state=state, items=items)),
    )


def _links(plan: Plan) -> Iterable[tuple[str, str, str]]:
    """Each valid link once (validate refuses unknown ids, self-links and duplicates)."""
    known = plan.stakeholders_by_id
    seen: set[frozenset[str]] = set()
    for person in plan.stakeholders:
        for link in person.links:
            pair = frozenset((person.id, link.to))
            if link.to in known and link.to != person.id and pair not in seen:
                seen.add(pair)
                yield person.id, link.to, link.strength.value


def contacts(
    plan: Plan,
    window: Window,
    *,
    today: date,
    state: Standing | None = None,
    items: Sequence[Item] | None = None,
) -> list[Contact]:
    """The touchpoints of ``window`` that tie someone: done (ledger) or still to come and not
    skipped (calendar). A touchpoint already past, neither done nor skipped, ties nobody."""
    from .timeline import touchpoints

    found: list[Contact] = []
    for stakeholder_id, points in touchpoints(plan, window, today=today, items=items).items():
        for point in points:
            source = _source(point.item, today, state)
            if source is not None:
                found.append(Contact(point.item.owner, stakeholder_id, point.item, source))
    return found


def _source(item: Item, today: date, state: Standing | None) -> TieSource | None:
    if state is not None and item.id in state.skipped:
        return None
    if state is not None and item.id in state.done:
        return TieSource.ledger
    return TieSource.calendar if item.publish >= today else None


# -- the figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFigures:
    """One IT person's place in the network."""

    id: str
    ties: int  # business leaders tied to them
    share: float | None  # of the business's ties, the part they hold
    degree: float
    betweenness: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ties": self.ties,
            "share": _rounded(self.share),
            "degree": _rounded(self.degree),
            "betweenness": _rounded(self.betweenness),
        }


@dataclass(frozen=True)
class Isolation:
    """How isolated IT is in one window's network."""

    start: date
    end: date
    business_ties: int  # distinct pairs with a business leader at one end (links and ties)
    it_ties: int  # of those, the ones with an IT person at the other end
    it_degree: float  # IT people's average degree centrality
    it_betweenness: float
    business_degree: float  # business leaders' average
    business_betweenness: float
    group_degree: float  # share of business leaders IT as a group is tied to
    people: tuple[PersonFigures, ...]
    through_one: tuple[tuple[str, tuple[str, ...]], ...]  # leader, the people IT must pass
    unreached: tuple[str, ...]  # leaders IT cannot reach at all, even through colleagues
    untied: tuple[str, ...] = field(default=())  # leaders with no direct IT tie
    betweenness_sources: int | None = None  # sampled sources; None when exact

    @property
    def it_share(self) -> float | None:
        return self.it_ties / self.business_ties if self.business_ties else None

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "business_ties": self.business_ties,
            "it_ties": self.it_ties,
            "it_share": _rounded(self.it_share),
            "it": {
                "degree": _rounded(self.it_degree),
                "betweenness": _rounded(self.it_betweenness),
                "group_degree": _rounded(self.group_degree),
            },
            "business_average": {
                "degree": _rounded(self.business_degree),
                "betweenness": _rounded(self.business_betweenness),
            },
            "people": [person.to_json() for person in self.people],
            "reached_through_one": [
                {"leader": leader, "through": list(path)} for leader, path in self.through_one
            ],
            "unreached": list(self.unreached),
            "untied": list(self.untied),
            "betweenness_sampled_sources": self.betweenness_sources,
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def measure(network: Network) -> Isolation:
    """The isolation figures of ``network`` (centralities are networkx's, normalised)."""
    import networkx as nx

    graph = network.graph()
    it_nodes = [IT_NODE + o for o in network.it]
    business_nodes = [BUSINESS_NODE + b for b in network.business]
    degree = nx.degree_centrality(graph) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    sources = SAMPLE_SOURCES if len(graph) > SAMPLED_ABOVE else None
    betweenness = nx.betweenness_centrality(graph, k=sources, seed=0 if sources else None)
    business_ties = graph.number_of_edges()  # every edge has a business leader at one end
    it_ties = sum(1 for _, _, data in graph.edges(data=True) if data["kind"] == "tie")
    people = tuple(
        PersonFigures(
            id=node.removeprefix(IT_NODE),
            ties=graph.degree(node),
            share=graph.degree(node) / business_ties if business_ties else None,
            degree=degree[node],
            betweenness=betweenness[node],
        )
        for node in it_nodes
    )
    through, unreached = reached_through_one(graph, it_nodes, business_nodes)
    return Isolation(
        start=network.start,
        end=network.end,
        business_ties=business_ties,
        it_ties=it_ties,
        it_degree=_average(degree, it_nodes),
        it_betweenness=_average(betweenness, it_nodes),
        business_degree=_average(degree, business_nodes),
        business_betweenness=_average(betweenness, business_nodes),
        group_degree=_group_degree(graph, it_nodes, business_nodes),
        people=people,
        through_one=through,
        unreached=unreached,
        untied=tuple(
            node.removeprefix(BUSINESS_NODE)
            for node in business_nodes
            if not any(n.startswith(IT_NODE) for n in graph[node])
        ),
        betweenness_sources=sources,
    )


def _average(values: dict[str, float], nodes: Sequence[str]) -> float:
    return sum(values[n] for n in nodes) / len(nodes) if nodes else 0.0


def _group_degree(graph: nx.Graph[str], it_nodes: list[str], business: list[str]) -> float:
    """The share of business leaders tied to IT as a group (networkx's group degree
    centrality: neighbours of the group over the nodes outside it)."""
    import networkx as nx

    if not it_nodes or not business:
        return 0.0
    return float(nx.group_degree_centrality(graph, it_nodes))


def reached_through_one(
    graph: nx.Graph[str], it_nodes: Sequence[str], business_nodes: Sequence[str]
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, ...]]:
    """The leaders IT reaches only through one person, and those it cannot reach at all.

    With one extra node joined to every IT person, a person stands between IT and a leader
    exactly when they are a cut vertex on the way: an articulation point on the path between
    the two in the block-cut tree (``networkx.biconnected_components``). Each leader comes
    with those people in order from IT's side (plan ids)."""
    import networkx as nx

    joined = graph.copy()
    joined.add_edges_from((_ALL_IT, node) for node in it_nodes)
    if not it_nodes:
        return (), tuple(b.removeprefix(BUSINESS_NODE) for b in business_nodes)
    tree, place = _block_cut_tree(joined.subgraph(nx.node_connected_component(joined, _ALL_IT)))
    paths = nx.single_source_shortest_path(tree, place[_ALL_IT])
    through: list[tuple[str, tuple[str, ...]]] = []
    unreached: list[str] = []
    for node in business_nodes:
        leader = node.removeprefix(BUSINESS_NODE)
        if node not in place:
            unreached.append(leader)
            continue
        cuts = [
            step[1]
            for step in paths[place[node]]
            if step[0] == "cut" and step[1] not in (_ALL_IT, node)
        ]
        if cuts:
            through.append((leader, tuple(_plan_id(c) for c in cuts)))
    return tuple(through), tuple(unreached)


def _block_cut_tree(
    graph: nx.Graph[str],
) -> tuple[nx.Graph[tuple[str, str]], dict[str, tuple[str, str]]]:
    """The block-cut tree of a connected graph, and where each node sits in it: its own
    ("cut", node) when it is an articulation point, else ("block", n) of its one block."""
    import networkx as nx

    cuts = set(nx.articulation_points(graph))
    tree: nx.Graph[tuple[str, str]] = nx.Graph()
    place: dict[str, tuple[str, str]] = {node: ("cut", node) for node in cuts}
    tree.add_nodes_from(place.values())
    blocks: list[Iterable[str]] = list(nx.biconnected_components(graph))  # type: ignore[arg-type]
    for index, block in enumerate(blocks):
        key = ("block", str(index))
        tree.add_node(key)
        for node in block:
            if node in cuts:
                tree.add_edge(key, ("cut", node))
            else:
                place[node] = key
    for node in graph:  # a graph of one node has no block
        place.setdefault(node, ("cut", node))
        tree.add_node(place[node])
    return tree, place


def _plan_id(node: str) -> str:
    return node.removeprefix(IT_NODE).removeprefix(BUSINESS_NODE)


def isolation_of(
    plan: Plan, window: Window, *, today: date, state: Standing | None = None
) -> Isolation:
    """``measure(build_network(...))``: the figures for one window."""
    return measure(build_network(plan, window, today=today, state=state))
