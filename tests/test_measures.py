"""Measures (issue 16): declared in the plan, valued in the measures log, shown with their
change and direction in every piece that names them."""

from __future__ import annotations

import codecs
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.measure_model import Measure
from itcomms.measures import figure_as_of, read_measure_log
from itcomms.measures.log import Point
from itcomms.measures.record import far_outside

TODAY = "2026-11-23"
MEASURE = Measure(id="cost", name="Cost per order", unit="£", better="lower", target=1.3)


def run(runner: CliRunner, *args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def log_lines(plan: Path) -> list[dict[str, Any]]:
    text = plan.with_suffix(".measures").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def edit_plan(plan: Path, change: Any) -> None:
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    change(data)
    plan.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


# -- the one answer: a figure as of a day ------------------------------------------------------


def points(*pairs: tuple[str, float]) -> list[Point]:
    return [Point(date.fromisoformat(d), v, None, n) for n, (d, v) in enumerate(pairs, 1)]


SERIES = points(("2026-09-20", 1.42), ("2026-10-20", 1.40), ("2026-11-20", 1.31))


def test_a_figure_compares_with_the_value_as_of_the_previous_edition() -> None:
    figure = figure_as_of(MEASURE, SERIES, date(2026, 12, 1), since=date(2026, 11, 17))
    assert figure is not None
    assert (figure.value, figure.previous, figure.since) == (1.31, 1.40, date(2026, 11, 17))
    assert figure.direction == "better"  # lower is better, and it went down
    assert figure.line == (
        "Cost per order: £1.31, down £0.09 since 17 Nov (▲\u00a0better); target £1.30"
    )


def test_without_a_previous_edition_it_compares_with_the_value_before() -> None:
    figure = figure_as_of(MEASURE, SERIES, date(2026, 11, 25))
    assert figure is not None and figure.since == date(2026, 10, 20)
    assert figure.trend == "down £0.09 since 20 Oct"


def test_no_new_value_since_the_last_edition_is_unchanged_not_a_change() -> None:
    figure = figure_as_of(MEASURE, SERIES, date(2026, 12, 15), since=date(2026, 12, 1))
    assert figure is not None and figure.direction == "unchanged"
    assert figure.mark == "=\u00a0unchanged"
    assert figure.trend == "no new figure since 20 Nov"  # not "unchanged": nothing was measured
    same = points(("2026-10-20", 1.31), ("2026-11-20", 1.31))
    measured = figure_as_of(MEASURE, same, date(2026, 12, 1), since=date(2026, 11, 17))
    assert measured is not None and measured.trend == "unchanged since 17 Nov"


def test_a_rise_is_worse_when_lower_is_better_and_better_when_higher_is() -> None:
    rising = points(("2026-10-20", 1.0), ("2026-11-20", 2.0))
    higher = MEASURE.model_copy(update={"better": "higher", "unit": "%"})
    assert figure_as_of(MEASURE, rising, date(2026, 11, 23)).direction == "worse"  # type: ignore[union-attr]
    up = figure_as_of(higher, rising, date(2026, 11, 23))
    assert up is not None and up.direction == "better"
    assert up.trend == "up 1 point since 20 Oct"


def test_before_its_first_value_a_measure_has_no_figure() -> None:
    assert figure_as_of(MEASURE, SERIES, date(2026, 9, 19)) is None
    first = figure_as_of(MEASURE, SERIES[:1], date(2026, 9, 30))
    assert first is not None and first.change is None and first.mark == "" and first.trend == ""


def test_far_outside_needs_a_history_and_a_real_jump() -> None:
    history = [95.1, 95.8, 96.0, 95.6]
    assert far_outside(history[:3], 965) is None  # too little to judge
    assert far_outside(history, 96.9) is None
    assert far_outside(history, 965) is not None
    assert far_outside(history, 9.65) is not None


# -- the plan: measures declared, audiences naming them ---------------------------------------


def test_example_plan_declares_measures_its_audiences_name_by_id(example_plan: Path) -> None:
    result = run(CliRunner(), "validate", example_plan)
    assert result.exit_code == 0, result.output


def test_audiences_may_name_measures_by_name_ignoring_case(
    runner: CliRunner, example_plan: Path
) -> None:
    edit_plan(
        example_plan,
        lambda d: d["audiences"][0].update(metrics=["COST PER ORDER PROCESSED", "on-time-orders"]),
    )
    assert run(runner, "validate", example_plan).exit_code == 0


def test_an_unknown_measure_is_located_with_a_did_you_mean(
    runner: CliRunner, example_plan: Path
) -> None:
    edit_plan(example_plan, lambda d: d["audiences"][0].update(metrics=["cost-per-ordr"]))
    result = run(runner, "validate", example_plan, "-f", "json")
    assert result.exit_code == 1
    (problem,) = [
        p for p in json.loads(result.stdout)["problems"] if p["code"] == "unknown-measure"
    ]
    assert problem["line"] > 0 and problem["column"] > 0
    assert "did you mean 'cost-per-order'?" in problem["message"]


def test_a_plan_without_measures_keeps_its_metrics_as_words(
    runner: CliRunner, example_plan: Path
) -> None:
    def legacy(data: dict[str, Any]) -> None:
        del data["measures"]
        data["audiences"][0]["metrics"] = ["Cost per order processed", "Anything at all"]

    edit_plan(example_plan, legacy)
    assert run(runner, "validate", example_plan).exit_code == 0
    out = example_plan.parent / "out"
    result = run(runner, "render", example_plan, "--today", TODAY, "-c", "exec-brief", "-o", out)
    assert result.exit_code == 0, result.output
    brief = (out / "exec-brief/2026-12-01/executives.md").read_text(encoding="utf-8")
    assert "measures you asked us" not in brief  # no figures: no box of bare names


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m.update(better="up"), "measures[0].better"),
        (lambda m: m.update(unit="per\ncase"), "measures[0].unit"),
        (lambda m: m.update(target="lots"), "measures[0].target"),
        (lambda m: m.update(owner="nobody"), "unknown owner 'nobody'"),
        (lambda m: m.update(id="on-time-orders"), "duplicate id 'on-time-orders'"),
        (lambda m: m.update(colour="red"), "unknown key 'colour'"),
    ],
)
def test_bad_measures_are_located_errors(
    runner: CliRunner, example_plan: Path, change: Any, expected: str
) -> None:
    edit_plan(example_plan, lambda d: change(d["measures"][0]))
    result = run(runner, "validate", example_plan)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert any(expected in line and ":" in line for line in result.output.splitlines())


# -- measure add ----------------------------------------------------------------------------


def add(runner: CliRunner, plan: Path, *args: str) -> Any:
    return run(runner, "measure", "add", plan, *args, "--today", TODAY)


def test_add_then_render_shows_the_new_figure(runner: CliRunner, example_plan: Path) -> None:
    result = add(runner, example_plan, "cost-per-order", "£1.27", "--on", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert log_lines(example_plan)[-1]["value"] == 1.27
    out = example_plan.parent / "out"
    args = ("--today", TODAY, "-c", "exec-brief", "--as", "txt", "-o", out)
    assert run(runner, "render", example_plan, *args).exit_code == 0
    brief = (out / "exec-brief/2026-12-01/executives.txt").read_text(encoding="utf-8")
    assert "Cost per order processed: £1.27, down £0.04 since 20 Nov" in " ".join(brief.split())


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["cost-per-ordr", "1.2"],
            "unknown measure 'cost-per-ordr'; did you mean 'cost-per-order'?",
        ),
        (["cost-per-order", "abc"], "value 'abc' is not a number"),
        (["cost-per-order", "12%"], "unit mismatch: '%'"),
        (["on-time-orders", "96 days"], "unit mismatch: 'days'"),
        (["cost-per-order", "1.2", "--on", "2026-11-24"], "is after today"),
        (["cost-per-order", "nan"], "not a number"),
        (["cost-per-order", "1e400"], "not a number"),
        (["cost-per-order", "1.31", "--on", "2026-11-20"], "give --replace to correct it"),
    ],
)
def test_add_refuses_bad_values_with_exit_2_and_writes_nothing(
    runner: CliRunner, example_plan: Path, args: list[str], expected: str
) -> None:
    before = example_plan.with_suffix(".measures").read_bytes()
    result = add(runner, example_plan, *args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert example_plan.with_suffix(".measures").read_bytes() == before


def test_replace_appends_a_correction_and_the_later_line_wins(
    runner: CliRunner, example_plan: Path
) -> None:
    before = example_plan.with_suffix(".measures").read_bytes()
    result = add(runner, example_plan, "cost-per-order", "1.33", "--on", "2026-11-20", "--replace")
    assert result.exit_code == 0, result.output
    after = example_plan.with_suffix(".measures").read_bytes()
    assert after.startswith(before)  # appended, never rewritten
    assert log_lines(example_plan)[-1]["replaces"] is True
    series = read_measure_log(example_plan).series["cost-per-order"]
    assert [p.value for p in series if p.on == date(2026, 11, 20)] == [1.33]


def test_add_dry_run_and_json(runner: CliRunner, example_plan: Path) -> None:
    before = example_plan.with_suffix(".measures").read_bytes()
    result = add(runner, example_plan, "Training seats", "37", "--dry-run", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["measure"], data["value"], data["dry_run"]) == ("training-seats", 37, True)
    assert example_plan.with_suffix(".measures").read_bytes() == before


def test_a_value_far_outside_the_series_asks_for_a_note(
    runner: CliRunner, example_plan: Path
) -> None:
    result = add(runner, example_plan, "on-time-orders", "968", "--on", "2026-11-21")
    assert result.exit_code == 0
    assert "far outside its series" in result.stderr and "--note" in result.stderr
    lint = run(runner, "lint", example_plan, "--today", TODAY, "--select", "MEA003")
    assert "MEA003" in lint.stdout and "968 on 2026-11-21" in lint.stdout


# -- measure import -------------------------------------------------------------------------


FINANCE_CSV = (
    "KPI,Actual,Month end,Comment\n"
    "cost-per-order,1.29,21/11/2026,\n"
    "Orders shipped on time,97.1,21/11/2026,\n"
    "cost-per-ordr,1.2,21/11/2026,\n"
    "spend-vs-budget,lots,21/11/2026,\n"
    "spend-vs-budget,99,31/12/2026,\n"
)


def test_import_with_the_plans_mapping_keeps_good_rows_and_locates_bad_ones(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    export = tmp_path / "finance.csv"
    export.write_text(FINANCE_CSV, encoding="utf-8")
    args = ("measure", "import", example_plan, export, "--mapping", "FINANCE", "--today", TODAY)
    result = run(runner, *args, "-f", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["added"] == 2
    assert [(p["line"], p["file"]) for p in data["skipped"]] == [(4, str(export))] * 1 + [
        (5, str(export)),
        (6, str(export)),
    ]
    assert "did you mean 'cost-per-order'?" in data["skipped"][0]["message"]
    again = run(runner, *args, "-f", "json")
    assert json.loads(again.stdout)["added"] == 0
    assert json.loads(again.stdout)["already_logged"] == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le-bom"])
def test_import_reads_byte_order_marks_and_utf16(
    runner: CliRunner, example_plan: Path, tmp_path: Path, encoding: str
) -> None:
    text = "measure;value;date;unit\ntraining-seats;38;2026-11-22;SEATS\n"
    if encoding == "utf-16-le-bom":
        raw = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    else:
        raw = text.encode(encoding)
    export = tmp_path / "seats.csv"
    export.write_bytes(raw)
    result = run(
        runner, "measure", "import", example_plan, export, "--delimiter", ";", "--today", TODAY
    )
    assert result.exit_code == 0, result.output
    assert log_lines(example_plan)[-1]["value"] == 38


def test_import_refuses_a_unit_mismatch_and_a_duplicate_day_per_row(
    runner: CliRunner, example_plan: Path, tmp_path: Path
) -> None:
    export = tmp_path / "kpis.csv"
    export.write_text(
        "measure,value,date,unit\n"
        "help-time,9,2026-11-22,hours\n"
        "help-time,9,2026-11-22,minutes\n"
        "help-time,8,2026-11-22,minutes\n",
        encoding="utf-8",
    )
    result = run(runner, "measure", "import", example_plan, export, "--today", TODAY)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{export}:2:1: unit mismatch: 'hours'")
    assert lines[1].startswith(f"{export}:4:1: help-time already has 9 on 2026-11-22")
    replaced = run(runner, "measure", "import", example_plan, export, "--today", TODAY, "--replace")
    assert log_lines(example_plan)[-1] == {**log_lines(example_plan)[-1], "value": 8}
    assert replaced.exit_code == 1  # the hours row is still refused


def test_import_is_bounded_and_says_so(
    runner: CliRunner, example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itcomms.measures.imports as imports

    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 1000)
    export = tmp_path / "big.csv"
    export.write_text("measure,value,date\n" + "fix-time,4,2026-11-22\n" * 500, encoding="utf-8")
    before = example_plan.with_suffix(".measures").read_bytes()
    result = run(runner, "measure", "import", example_plan, export, "--today", TODAY)
    assert result.exit_code == 2
    assert "more than 1,000 bytes" in result.stderr
    assert example_plan.with_suffix(".measures").read_bytes() == before


@pytest.mark.parametrize(
    ("content", "args", "expected"),
    [
        (b"", [], "empty file"),
        (b"name,value\nx,1\n", [], "no column 'measure'"),
        (b"measure,value\n", ["--mapping", "nope"], "unknown mapping 'nope'"),
        (b"m\xff,value\n", [], "not valid text"),
        (b"measure,value\n", ["--encoding", "klingon"], "unknown encoding"),
    ],
)
def test_import_usage_errors(
    runner: CliRunner,
    example_plan: Path,
    tmp_path: Path,
    content: bytes,
    args: list[str],
    expected: str,
) -> None:
    export = tmp_path / "x.csv"
    export.write_bytes(content)
    result = run(runner, "measure", "import", example_plan, export, *args, "--today", TODAY)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and "Traceback" not in result.output


# -- measure list ---------------------------------------------------------------------------


def test_list_json_and_one_measures_series(runner: CliRunner, example_plan: Path) -> None:
    result = run(runner, "measure", "list", example_plan, "--today", TODAY, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    ids = [m["id"] for m in data["measures"]]
    assert len(ids) == 11 and ids[0] == "cost-per-order"
    on_time = next(m for m in data["measures"] if m["id"] == "on-time-orders")
    assert on_time["figure"]["value"] == 96.8  # the correction won
    assert on_time["audiences"] == ["executives"]
    one = run(runner, "measure", "list", example_plan, "Orders shipped on time", "--today", TODAY)
    assert one.exit_code == 0 and "2026-11-20" in one.stdout and "96.8%" in one.stdout


def test_list_reports_a_damaged_log_line_and_shows_the_rest(
    runner: CliRunner, example_plan: Path
) -> None:
    log = example_plan.with_suffix(".measures")
    with log.open("ab") as handle:
        handle.write(b'not json\n{"measure": "fix-time", "on": "2026-11-22", "value": "4"}\n')
    result = run(runner, "measure", "list", example_plan, "--today", TODAY, "-f", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)["problems"]
    lines = len(log.read_bytes().splitlines())
    assert [p["line"] for p in problems] == [lines - 1, lines]
    assert "'value' must be a number" in problems[1]["message"]


# -- every piece that names a measure shows it ------------------------------------------------


class _Boxes(HTMLParser):
    """The text of each item in each measures box of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[str] = []
        self._depth = 0
        self._in_item = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("class", "measures") in attrs:
            self._depth = 1
        elif self._depth and tag == "div":
            self._depth += 1
        if self._depth and tag == "li":
            self._in_item = True
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1
        if tag == "li":
            self._in_item = False

    def handle_data(self, data: str) -> None:
        if self._in_item:
            self.items[-1] += data


def test_every_measures_box_of_the_example_prints_figures_with_change_and_direction(
    runner: CliRunner, example_plan: Path
) -> None:
    out = example_plan.parent / "out"
    result = run(runner, "render", example_plan, "--today", TODAY, "--as", "html,txt", "-o", out)
    assert result.exit_code == 0, result.output
    boxes = 0
    for page in out.rglob("*.html"):
        parser = _Boxes()
        parser.feed(page.read_text(encoding="utf-8"))
        boxes += bool(parser.items)
        for item in parser.items:
            assert any(mark in item for mark in ("▲\u00a0better", "▼\u00a0worse")), item
            assert " since " in item and ":" in item
    assert boxes >= 2  # the executive brief and the town hall
    for page in out.rglob("*.txt"):
        text = page.read_text(encoding="utf-8")
        if "THE MEASURES YOU ASKED" in text:
            box = text.split("THE MEASURES YOU ASKED US TO REPORT ON\n")[1].split("\n\n")[0]
            assert box.count("- ") == box.count(" since ")


def test_a_measure_with_no_value_is_left_out_and_lint_warns(
    runner: CliRunner, example_plan: Path
) -> None:
    log = example_plan.with_suffix(".measures")
    kept = [
        line for line in log.read_text(encoding="utf-8").splitlines() if "help-time" not in line
    ]
    log.write_text("\n".join(kept) + "\n", encoding="utf-8")
    out = example_plan.parent / "out"
    run(runner, "render", example_plan, "--today", TODAY, "-c", "town-hall", "-o", out)
    page = (out / "town-hall/2026-11-25/colleagues.md").read_text(encoding="utf-8")
    assert "Time to get help" not in page and "Planned downtime this month: 4.9 hours" in page
    lint = run(runner, "lint", example_plan, "--today", TODAY, "--select", "MEA")
    assert "MEA002 measure 'help-time' has no value yet" in lint.stdout


def test_a_measure_with_no_value_in_twelve_weeks_is_a_lint_warning(
    runner: CliRunner, example_plan: Path
) -> None:
    late = run(runner, "lint", example_plan, "--today", "2027-02-13", "--select", "MEA002")
    assert "MEA002" in late.stdout and "no value since 2026-11-20" in late.stdout
    early = run(runner, "lint", example_plan, "--today", "2027-02-12", "--select", "MEA002")
    assert "MEA002" not in early.stdout


def test_report_charts_each_measures_series_against_its_target(
    runner: CliRunner, example_plan: Path
) -> None:
    result = run(runner, "report", example_plan, "--today", TODAY, "-f", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    section = page[page.index('<section id="measures">') :]
    section = section[: section.index("</section>")]
    assert "<svg" not in section and "<script" not in section
    assert section.count('<figure class="chart"') == 11
    assert "Cost per order processed (lower is better)" in section
    assert "target £1.30" in section
    data = json.loads(run(runner, "report", example_plan, "--today", TODAY, "-f", "json").stdout)
    cost = data["measures"][0]
    assert cost["id"] == "cost-per-order" and len(cost["series"]) == 12


def test_brief_shows_the_stakeholders_audiences_measures(
    runner: CliRunner, example_plan: Path
) -> None:
    result = run(runner, "brief", example_plan, "cfo", "--today", TODAY, "-f", "json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["audience"]["measures"]
    assert [f["measure"] for f in figures] == [
        "cost-per-order",
        "on-time-orders",
        "spend-vs-budget",
    ]
    assert figures[0]["direction"] == "better"


def test_score_asks_whether_the_measures_have_figures(
    runner: CliRunner, example_plan: Path
) -> None:
    result = run(runner, "score", example_plan, "--today", TODAY, "-f", "json")
    question = next(q for q in json.loads(result.stdout)["questions"] if q["key"] == "measures")
    assert question["answer"] == "yes"
    example_plan.with_suffix(".measures").unlink()
    result = run(runner, "score", example_plan, "--today", TODAY, "-f", "json")
    question = next(q for q in json.loads(result.stdout)["questions"] if q["key"] == "measures")
    assert question["answer"] == "no"


def test_hostile_text_in_a_measure_name_is_escaped(runner: CliRunner, example_plan: Path) -> None:
    edit_plan(example_plan, lambda d: d["measures"][0].update(name="<script>alert(1)</script>"))
    out = example_plan.parent / "out"
    run(runner, "render", example_plan, "--today", TODAY, "-c", "exec-brief", "-o", out)
    page = (out / "exec-brief/2026-12-01/executives.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    report = run(runner, "report", example_plan, "--today", TODAY, "-f", "html").stdout
    assert "<script>alert" not in report


@pytest.mark.parametrize("section", ["audiences", "measures"])
@pytest.mark.parametrize("value", [True, 3, "text", [True, "x"], {"a": 1}])
def test_odd_shapes_of_the_sections_are_located_errors_not_crashes(
    runner: CliRunner, example_plan: Path, section: str, value: Any
) -> None:
    edit_plan(example_plan, lambda d: d.update({section: value}))
    result = run(runner, "validate", example_plan)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_a_sound_json_line_with_a_bad_field_is_located(
    runner: CliRunner, example_plan: Path
) -> None:
    log = example_plan.with_suffix(".measures")
    with log.open("ab") as handle:
        handle.write(b'{"measure": "fix-time", "on": "2026-02-30", "value": 4}\n')
    result = run(runner, "measure", "list", example_plan, "--today", TODAY, "-f", "json")
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["line"] == len(log.read_bytes().splitlines())
    assert "2026-02-30" in problem["message"]


def test_an_import_that_would_make_the_log_unreadable_is_refused_whole(
    runner: CliRunner, example_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import itcomms.measures.log as log_module

    log = example_plan.with_suffix(".measures")
    monkeypatch.setattr(log_module, "MAX_MEASURES_LOG_BYTES", log.stat().st_size + 500)
    export = tmp_path / "many.csv"
    rows = "".join(f"fix-time,4,2026-{m:02}-{d:02}\n" for m in (1, 2) for d in range(1, 29))
    export.write_text("measure,value,date\n" + rows, encoding="utf-8")
    before = log.read_bytes()
    result = run(runner, "measure", "import", example_plan, export, "--today", TODAY)
    assert result.exit_code == 2
    assert "nothing written" in result.stderr
    assert log.read_bytes() == before


def test_a_message_naming_a_measure_shows_its_figure_too(
    runner: CliRunner, example_plan: Path
) -> None:
    def mention(data: dict[str, Any]) -> None:
        first = data["messages"][0]
        first["body"] += "\n\nOrders picked per hour is the measure this moves.\n"

    edit_plan(example_plan, mention)
    out = example_plan.parent / "out"
    args = ("--today", TODAY, "-c", "bulletin", "--as", "txt,html", "-o", out)
    assert run(runner, "render", example_plan, *args).exit_code == 0
    raw = (out / "bulletin/2026-12-01/managers.txt").read_text(encoding="utf-8")
    text = re.sub("[ \n]+", " ", raw)  # wrapped lines joined; the no-break space kept
    assert (
        "Measures this touches: Orders picked per hour (117 orders an hour, ▲\u00a0better)" in text
    )
    page = (out / "bulletin/2026-12-01/managers.html").read_text(encoding="utf-8")
    assert "Orders picked per hour (117 orders an hour, ▲&nbsp;better)" in page or (
        "Orders picked per hour (117 orders an hour, ▲\u00a0better)" in page
    )
