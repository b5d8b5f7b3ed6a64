"""The relationship network: links validated, ties from plan/ledger/calendar, the isolation
figures checked against networkx itself on small hand-made graphs, and the map's svg, dot, png
and json built from it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.map_svg import network_svg, to_svg
from itcomms.network import Network, build_network, measure
from itcomms.stakeholder_map import build_map, to_dot
from itcomms.timeline import Window, standing
from itcomms.validate import check_plan_file, load_plan

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 1, 5)
PLAN = """\
version: 1
organization: {name: Acme Foods, it_name: Acme IT}
start: 2026-01-05
timezone: UTC
owners:
  - {id: ann, name: Ann Lee}
  - {id: bob, name: Bob Roy}
  - {id: cid, name: Cid Idle}
audiences:
  - {id: execs, name: Executives}
  - {id: staff, name: Staff}
stakeholders:
  - id: ceo
    name: Cat Ceo
    audience: execs
    champion: true
    influence: high
    links: [{to: cfo, strength: strong}, {to: coo}]
  - {id: cfo, name: Fay Cfo, audience: execs, influence: high, links: [{to: coo}]}
  - {id: coo, name: Col Coo, audience: execs, relationship_owner: ann}
  - {id: lead, name: Lee Lead, audience: staff, relationship_owner: bob}
channels:
  - {id: memo, name: Memo, kind: position-paper, owner: bob, audiences: [staff]}
messages:
  - {id: m1, title: Budget, channel: memo, publish: 2026-01-07}
  - {id: m2, title: Plans, channel: memo, publish: 2026-01-08}
commitments:
  - {id: c1, what: A promise, stakeholder: cfo, owner: ann, due: 2026-01-20}
"""


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "acme.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def hand_network(links: list[tuple[str, str]], ties: list[tuple[str, str]]) -> Network:
    business = sorted({x for pair in links for x in pair} | {b for _, b in ties})
    return Network(
        start=TODAY,
        end=TODAY,
        business=tuple(business),
        it=tuple(sorted({a for a, _ in ties})),
        links=tuple((a, b, "strong") for a, b in links),
        relationships=tuple(ties),
        contacts=(),
    )


def reference_graph(network: Network) -> nx.Graph[str]:
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(f"biz:{b}" for b in network.business)
    graph.add_nodes_from(f"it:{o}" for o in network.it)
    graph.add_edges_from((f"biz:{a}", f"biz:{b}") for a, b, _ in network.links)
    graph.add_edges_from((f"it:{a}", f"biz:{b}") for a, b in network.relationships)
    return graph


HAND_GRAPHS = {
    # a star of executives, IT tied to one of them through one person
    "star": ([("ceo", "cfo"), ("ceo", "coo"), ("ceo", "cto")], [("ann", "cfo")]),
    # a ring, IT tied twice: nobody is a single point
    "ring": ([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")], [("ann", "a"), ("bob", "c")]),
    # a chain and a leader IT cannot reach
    "chain": ([("a", "b"), ("b", "c"), ("x", "y")], [("ann", "a"), ("ann", "b")]),
}


@pytest.mark.parametrize("name", list(HAND_GRAPHS))
def test_figures_agree_with_networkx(name: str) -> None:
    links, ties = HAND_GRAPHS[name]
    network = hand_network(links, ties)
    figures = measure(network)
    graph = reference_graph(network)
    degree, betweenness = nx.degree_centrality(graph), nx.betweenness_centrality(graph)
    it = [f"it:{o}" for o in network.it]
    business = [f"biz:{b}" for b in network.business]
    assert figures.it_ties == len(ties) and figures.business_ties == len(links) + len(ties)
    assert figures.it_share == pytest.approx(len(ties) / (len(links) + len(ties)))
    assert figures.it_degree == pytest.approx(sum(degree[n] for n in it) / len(it))
    assert figures.business_betweenness == pytest.approx(
        sum(betweenness[n] for n in business) / len(business)
    )
    for person in figures.people:
        assert person.betweenness == pytest.approx(betweenness[f"it:{person.id}"])
        assert person.ties == graph.degree(f"it:{person.id}")
    # "reached only through one person", against networkx's node connectivity
    joined = graph.copy()
    joined.add_edges_from(("IT", n) for n in it)
    expected_one, expected_none = set(), set()
    for node in business:
        if not nx.has_path(joined, "IT", node):
            expected_none.add(node.removeprefix("biz:"))
        elif nx.node_connectivity(joined, "IT", node) == 1:
            expected_one.add(node.removeprefix("biz:"))
    assert {leader for leader, _ in figures.through_one} == expected_one
    assert set(figures.unreached) == expected_none


def test_the_single_person_is_named_from_its_side() -> None:
    figures = measure(hand_network(*HAND_GRAPHS["star"]))
    through = dict(figures.through_one)
    assert through["cfo"] == ("ann",)
    assert through["ceo"] == ("ann", "cfo")
    assert through["cto"] == ("ann", "cfo", "ceo")


def test_ties_come_from_plan_ledger_and_calendar(plan_file: Path, tmp_path: Path) -> None:
    plan = load_plan(plan_file).plan
    from itcomms.ledger import read_ledger

    ledger = tmp_path / "acme.ledger"
    lines = [
        {"event": "done", "item": "message:m1", "on": "2026-01-07"},
        {"event": "skipped", "item": "message:m2", "on": "2026-01-08", "note": "not needed"},
    ]
    ledger.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    today = date(2026, 1, 9)
    records, _ = read_ledger(ledger)
    state = standing(plan, records, today)
    network = build_network(plan, Window(TODAY, date(2026, 1, 31)), today=today, state=state)
    ties = network.ties()
    assert {str(s) for s in ties["bob", "lead"]} == {"plan", "ledger"}  # m2 skipped: no tie
    assert {str(s) for s in ties["ann", "cfo"]} == {"calendar"}  # c1 still to come
    # without the ledger, past messages tie nobody and nothing is skipped
    bare = build_network(plan, Window(TODAY, date(2026, 1, 31)), today=today)
    assert {str(s) for s in bare.ties()["bob", "lead"]} == {"plan"}


def test_link_errors_are_located_with_did_you_mean(tmp_path: Path) -> None:
    text = PLAN.replace("links: [{to: coo}]}", "links: [{to: coe}, {to: cfo}, {to: ceo}]}")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    plan, problems = check_plan_file(path)
    assert plan is None
    found = {(p.code.value, p.location.line) for p in problems}
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "{to: coe}" in s)
    assert found == {
        ("unknown-stakeholder", line),
        ("self-link", line),
        ("duplicate-link", line),  # ceo already links to cfo
    }
    messages = " ".join(p.message for p in problems)
    assert "did you mean 'coo'?" in messages and "first at line" in messages
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"bad.yaml:{line}:" in result.output


def test_a_bad_strength_is_a_schema_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(PLAN.replace("strength: strong", "strength: close"), encoding="utf-8")
    _, problems = check_plan_file(path)
    assert [p.code.value for p in problems] == ["invalid-value"]
    assert "links[0].strength" in problems[0].message


def svg_tree(text: str) -> ET.Element:
    return ET.fromstring(text)


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def test_svg_draws_nodes_edges_and_legend(plan_file: Path) -> None:
    graph = build_map(load_plan(plan_file).plan, TODAY, date(2026, 1, 31), today=TODAY)
    root = svg_tree(to_svg(graph))
    nodes = [g for g in root.iter(f"{SVG}g") if "node" in classes(g)]
    assert sorted(g.get("data-id") for g in nodes if "business" in classes(g)) == [
        "ceo",
        "cfo",
        "coo",
        "lead",
    ]
    assert sorted(g.get("data-id") for g in nodes if "it" in classes(g)) == ["ann", "bob", "cid"]
    by_id = {g.get("data-id"): classes(g) for g in nodes}
    assert "champion" in by_id["ceo"] and "isolated" in by_id["cid"] and "isolated" in by_id["coo"]
    lines = [e for e in root.iter(f"{SVG}line") if "edge" in classes(e)]
    links = [e for e in lines if "link" in classes(e)]
    assert len(links) == 3 and sum("strong" in classes(e) for e in links) == 1
    ties = [e for e in lines if "tie" in classes(e)]
    # bob-lead: relationship owner and two messages, merged into one line with its count
    keys = {n.plan_id: n.key for n in graph.nodes}
    merged = [
        e for e in ties if {e.get("data-from"), e.get("data-to")} == {keys["bob"], keys["lead"]}
    ]
    assert len(merged) == 1 and merged[0].get("data-count") == "3"
    legend = next(g for g in root.iter(f"{SVG}g") if "legend" in classes(g))
    assert len([g for g in legend if "legend-item" in classes(g)]) >= 6
    assert root.get("viewBox", "").startswith("0 0 440 ")


def test_svg_escapes_hostile_names(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    evil = '"<script>alert(1)</script> & \u202e"'
    path.write_text(PLAN.replace("name: Cat Ceo", f"name: {evil}"), encoding="utf-8")
    text = network_svg(load_plan(path).plan, TODAY)
    root = svg_tree(text)  # still well-formed XML
    assert "<script>" not in text and "\u202e" not in text
    assert not list(root.iter(f"{SVG}script"))


def test_dot_has_one_edge_per_pair_a_count_and_a_legend(plan_file: Path) -> None:
    graph = build_map(load_plan(plan_file).plan, TODAY, date(2026, 1, 31), today=TODAY)
    dot = to_dot(graph)
    keys = {n.plan_id: n.key for n in graph.nodes}
    pair = [line for line in dot.splitlines() if f'"{keys["bob"]}" -> "{keys["lead"]}"' in line]
    assert len(pair) == 1 and 'label="3"' in pair[0]
    only_owner = next(
        line for line in dot.splitlines() if f'"{keys["ann"]}" -> "{keys["coo"]}"' in line
    )
    assert "style=dotted" in only_owner  # the --help's "dotted"
    assert "cluster_legend" in dot and "dir=none" in dot


def test_cli_json_carries_the_figures(plan_file: Path) -> None:
    result = CliRunner().invoke(app, ["map", str(plan_file), "--today", "2026-01-05", "-f", "json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["figures"]
    assert figures["business_ties"] == 3 + 3  # three links, three IT ties
    assert figures["it_ties"] == 3
    assert {p["id"] for p in figures["people"]} == {"ann", "bob", "cid"}
    assert set(figures["business_average"]) == {"degree", "betweenness"}


def test_cli_svg_and_png_without_graphviz(
    plan_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["map", str(plan_file), "--today", "2026-01-05", "-f", "svg"])
    assert result.exit_code == 0
    svg_tree(result.stdout)
    monkeypatch.setattr("itcomms.map_png.graphviz", lambda: None)
    target = tmp_path / "map.png"
    result = runner.invoke(
        app, ["map", str(plan_file), "--today", "2026-01-05", "-f", "png", "-o", str(target)]
    )
    assert result.exit_code == 2
    assert "Graphviz" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()


def test_example_plan_shows_it_isolated(example_plan: Path) -> None:
    result = CliRunner().invoke(
        app, ["map", str(example_plan), "--today", "2026-11-23", "-f", "json"]
    )
    figures = json.loads(result.stdout)["figures"]
    assert figures["it"]["betweenness"] < figures["business_average"]["betweenness"]


def test_lint_warns_of_a_leader_nobody_in_it_is_tied_to(plan_file: Path) -> None:
    result = CliRunner().invoke(
        app, ["lint", str(plan_file), "--today", "2026-01-05", "-f", "json", "--select", "LIS004"]
    )
    findings = json.loads(result.stdout)["files"][0]["findings"]
    # ceo: influential, no relationship owner, nothing reaches execs; cfo has ann's commitment
    assert len(findings) == 1
    message = findings[0]["message"]
    assert "'ceo'" in message and "only through Fay Cfo, Col Coo" in message


def test_malformed_links_are_located_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(
        "version: 1\norganization: {name: X}\nstart: 2026-01-05\n"
        "audiences: [{id: x, name: X}]\nstakeholders:\n"
        "  - {id: s, name: S, audience: x, links: cfo}\n"
        "  - {id: t, name: T, audience: x, links: [{to: [s]}, {to: s, strength: 3}, 7]}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    place = re.compile(re.escape(str(path)) + r":(\d+):\d+: ")
    lines = [m.group(1) for m in map(place.match, result.output.splitlines()) if m]
    assert lines == ["6", "7", "7", "7"]


@pytest.mark.parametrize("format", ["json", "svg", "dot", "mermaid"])
def test_a_plan_with_nobody_still_maps(tmp_path: Path, format: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("version: 1\norganization: {name: X}\nstart: 2026-01-05\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["map", str(path), "--today", "2026-01-05", "-f", format])
    assert result.exit_code == 0, result.output
    if format == "json":
        figures = json.loads(result.stdout)["figures"]
        assert figures["it_share"] is None and figures["business_ties"] == 0
    if format == "svg":
        svg_tree(result.stdout)
