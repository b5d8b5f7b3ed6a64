"""`map`: the Mermaid and DOT stakeholder maps, checked for structure and for hostile labels."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.stakeholder_map import build_map, to_dot, to_mermaid
from itcomms.validate import load_plan

PLAN = """\
version: 1
organization: {name: Acme Foods, it_name: Acme IT}
start: 2026-01-05
timezone: UTC
owners:
  - {id: ann, name: Ann Lee, role: Relationship manager}
  - {id: bob, name: Bob Roy}
  - {id: cid, name: Cid Idle}
audiences:
  - {id: execs, name: Executives}
  - {id: staff, name: Staff}
  - {id: ops, name: Operations}
stakeholders:
  - {id: ceo, name: Cat Ceo, title: Chief Executive, audience: execs, champion: true}
  - {id: lead, name: Lee Lead, audience: staff, relationship_owner: ann}
  - {id: lonely, name: Lou Lonely, audience: ops, relationship_owner: ann}
channels:
  - {id: bulletin, name: Bulletin, kind: bulletin, owner: ann, audiences: [staff],
     cadence: weekly}
  - {id: memo, name: Memo, kind: position-paper, audiences: [execs]}
messages:
  - {id: m1, title: Budget, channel: memo, owner: bob, publish: 2026-01-14}
  - {id: m2, title: Later, channel: memo, publish: 2026-01-15}
  - {id: m3, title: Out of window, channel: memo, owner: bob, publish: 2026-03-01}
commitments:
  - {id: c1, what: A promise, stakeholder: ceo, owner: bob, due: 2026-01-20}
"""
TODAY = date(2026, 1, 5)
NODE = re.compile(r'^    ([os]\d+|unowned)(\["|\(\[")(?P<label>[^"]*)("\]|"\]\))$')
EDGE = re.compile(r'^  (\w+) (-\.->|==>|-->|---)\|"(?P<label>[^"]*)"\| (\w+)$')


def mermaid_structure(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    """Nodes (key -> label) and edges (from, arrow, label, to); fails on any unknown line."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str, str]] = []
    for line in text.splitlines():
        if match := NODE.match(line):
            nodes[match.group(1)] = match.group("label")
        elif match := EDGE.match(line):
            edges.append((match.group(1), match.group(2), match.group("label"), match.group(4)))
        else:
            assert re.match(
                r'^(flowchart LR|  %% .*|  subgraph \w+\["[^"]*"\]|  end|  classDef \w+ [^;]*|'
                r"  class [\w,]+ \w+)$",
                line,
            ), line
    return nodes, edges


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "acme.yaml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_nodes_edges_and_isolated_stakeholders(plan_file: Path) -> None:
    graph = build_map(load_plan(plan_file).plan, TODAY, date(2026, 1, 25), today=TODAY)
    nodes, edges = mermaid_structure(to_mermaid(graph))
    keys = {n.plan_id: n.key for n in graph.nodes}
    assert set(nodes) == {"o0", "o1", "o2", "unowned", "s0", "s1", "s2"}
    assert nodes[keys["ceo"]].startswith("★ Cat Ceo<br/>Chief Executive")
    assert nodes[keys["lonely"]].endswith("no touchpoint in window")
    assert nodes[keys["cid"]].endswith("no touchpoint in window")
    assert set(edges) == {
        (keys["ann"], "-.->", "relationship owner", keys["lead"]),
        (keys["ann"], "-.->", "relationship owner", keys["lonely"]),
        (keys["ann"], "-->", "Bulletin x3", keys["lead"]),  # 01-05, 01-12, 01-19
        (keys["bob"], "-->", "1 message", keys["ceo"]),  # m3 is after the window
        ("unowned", "-->", "1 message", keys["ceo"]),  # m2 has no owner
        (keys["bob"], "==>", "1 commitment due", keys["ceo"]),
    }
    assert graph.isolated_stakeholders == ["lonely"]
    assert graph.isolated_owners == ["cid"]
    text = to_mermaid(graph)
    assert f"  class {keys['cid']},{keys['lonely']} isolated" in text
    assert f"  class {keys['ceo']} champion" in text


def test_a_relationship_owner_alone_is_not_a_touchpoint(plan_file: Path) -> None:
    graph = build_map(load_plan(plan_file).plan, date(2026, 2, 3), date(2026, 2, 5), today=TODAY)
    assert graph.isolated_stakeholders == ["ceo", "lead", "lonely"]


HOSTILE = {
    "quote": 'Eve"] --> x["pwned',
    "pipe": "Mal|lory --> o0",
    "newline-ish": "a;b\\nclick s0 call alert()",
    "comment": "%%{init: {'theme':'dark'}}%%",
    "entity": "#quot; & <b>bold</b> `code`",
    "rtl": "\u202eevil\u202c עברית 🚀",
}


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_names_cannot_break_either_syntax(tmp_path: Path, name: str) -> None:
    yaml_name = json.dumps(name, ensure_ascii=False)  # a valid YAML double-quoted scalar
    text = PLAN.replace("name: Cat Ceo", f"name: {yaml_name}").replace(
        "it_name: Acme IT", f"it_name: {yaml_name}"
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    graph = build_map(load_plan(path).plan, TODAY, date(2026, 1, 25), today=TODAY)
    nodes, edges = mermaid_structure(to_mermaid(graph))
    assert len(nodes) == 7 and len(edges) == 6
    assert "\u202e" not in to_mermaid(graph) and "\u202e" not in to_dot(graph)
    dot = to_dot(graph)
    quoted = re.compile(r'"(?:[^"\\\n]|\\.)*"')
    for line in dot.splitlines():
        # with every quoted string removed, only DOT punctuation and keywords remain
        bare = quoted.sub("S", line)
        assert re.fullmatch(r"[\w\s\[\]=,;{}>.-]*", bare), line
    # one edge per pair: ann-lead's relationship and bulletins merge, as do bob-ceo's
    assert len(re.findall(r'^  "\w+" -> "\w+" \[label=', dot, re.MULTILINE)) == 4


def test_dot_output_marks_champions_and_isolated(plan_file: Path) -> None:
    graph = build_map(load_plan(plan_file).plan, TODAY, date(2026, 1, 25), today=TODAY)
    keys = {n.plan_id: n.key for n in graph.nodes}
    dot = to_dot(graph)
    assert dot.startswith("digraph stakeholder_map {")
    lonely = next(
        line for line in dot.splitlines() if line.strip().startswith(f'"{keys["lonely"]}"')
    )
    assert 'color="#c0392b"' in lonely and "no touchpoint in window" in lonely
    ceo = next(line for line in dot.splitlines() if line.strip().startswith(f'"{keys["ceo"]}"'))
    assert "★ Cat Ceo\\nChief Executive" in ceo


def test_cli_formats_window_and_out_file(plan_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        app, ["map", str(plan_file), "--today", "2026-01-05", "--to", "2026-01-25", "-f", "json"]
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["isolated_stakeholders"] == ["lonely"]
    assert "1 stakeholder(s) with no touchpoint" in result.stderr
    target = tmp_path / "map.dot"
    result = runner.invoke(
        app, ["map", str(plan_file), "--today", "2026-01-05", "-f", "dot", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("digraph")


def test_default_window_follows_touchpoint_weeks(plan_file: Path) -> None:
    result = CliRunner().invoke(app, ["map", str(plan_file), "--today", "2026-01-05", "-f", "json"])
    data = json.loads(result.stdout)
    assert (data["from"], data["to"]) == ("2026-01-05", "2026-02-15")  # six weeks


def test_example_plan_map_renders(example_plan: Path) -> None:
    result = CliRunner().invoke(app, ["map", str(example_plan), "--today", "2026-11-23"])
    assert result.exit_code == 0
    nodes, edges = mermaid_structure(result.stdout)
    assert len(nodes) == 11 and edges  # 4 owners, 7 stakeholders
    links = [edge for edge in edges if edge[1] == "---"]
    assert len(links) == 10 and {edge[2] for edge in links} == {"strong", "weak"}


def test_map_text_and_the_command_agree(plan_file: Path) -> None:
    from itcomms.stakeholder_map import default_window, map_text

    plan = load_plan(plan_file).plan
    graph = build_map(plan, *default_window(plan, TODAY), today=TODAY)
    result = CliRunner().invoke(app, ["map", str(plan_file), "--today", "2026-01-05", "-f", "json"])
    assert json.loads(map_text(graph, "json")) == json.loads(result.stdout)
    assert map_text(graph, "dot") == to_dot(graph)
    assert map_text(graph, "mermaid") == to_mermaid(graph)
