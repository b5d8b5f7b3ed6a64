"""The safe YAML loader: positions, YAML traps, hostile files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from itcomms.errors import PlanError, UsageError
from itcomms.loader import MAX_DEPTH, load_raw_plan, parse_plan_text


def parse(text: str) -> dict[str, object]:
    return parse_plan_text(text, "p.yaml").data


def fatal(text: str) -> str:
    with pytest.raises(PlanError) as caught:
        parse_plan_text(text, "p.yaml")
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def test_values_keep_their_line_and_column() -> None:
    raw = parse_plan_text("a: 1\nlist:\n  - x: hello\n    y: [1, 2]\n", "p.yaml")
    assert raw.source.values[("a",)] == (1, 4)
    assert raw.source.values[("list", 0, "x")] == (3, 8)
    assert raw.source.values[("list", 0, "y", 1)] == (4, 12)
    assert raw.source.keys[("list", 0, "y")] == (4, 5)


def test_locate_falls_back_to_nearest_ancestor() -> None:
    raw = parse_plan_text("owners:\n  - id: a\n", "p.yaml")
    assert str(raw.source.locate(("owners", 0, "missing"))) == "p.yaml:2:5"


@pytest.mark.parametrize("word", ["yes", "no", "NO", "on", "off", "Y", "n"])
def test_yaml_11_booleans_stay_text(word: str) -> None:
    assert parse(f"a: {word}\n") == {"a": word}


def test_only_yaml_12_true_false_are_booleans_and_null_is_none() -> None:
    assert parse("a: true\nb: False\nc: ~\nd:\ne: 'true'\n") == {
        "a": True,
        "b": False,
        "c": None,
        "d": None,
        "e": "true",
    }


def test_dates_and_numbers_stay_text_for_the_model_to_parse() -> None:
    assert parse("a: 2026-12-01\nb: 012\nc: 1.10\n") == {"a": "2026-12-01", "b": "012", "c": "1.10"}


def test_duplicate_key_is_reported_at_its_line_and_first_value_kept() -> None:
    raw = parse_plan_text("a: 1\nb: 2\na: 3\n", "p.yaml")
    assert raw.data == {"a": "1", "b": "2"}
    assert [str(p) for p in raw.problems] == [
        "p.yaml:3:1: duplicate key 'a' (first defined at line 1)"
    ]


def test_nested_duplicate_key_is_found() -> None:
    raw = parse_plan_text("o:\n  x: 1\n  x: {deep: 2}\n", "p.yaml")
    assert raw.problems[0].location.line == 3
    assert raw.data == {"o": {"x": "1"}}


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        refs = ",".join([f"*{prev}"] * 9)
        lines.append(f"{name}: &{name} [{refs}]")
    message = fatal("\n".join(lines) + "\n")
    assert "alias bomb" in message
    assert message.startswith("p.yaml:")


def test_small_aliases_and_merge_keys_work() -> None:
    data = parse("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\nl: [*b]\n")
    assert data["d"] == {"x": "1", "y": "3"}
    assert data["l"] == [{"x": "1", "y": "2"}]


def test_recursive_alias_is_an_error_not_a_hang() -> None:
    assert "no anchor defined before it" in fatal("a: &x [*x]\n")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        # Far past libyaml's own limit (which newer releases enforce while reading ahead).
        ("[" * 100_000 + "]" * 100_000, (1, MAX_DEPTH + 1)),
        ("a: " + "[" * 1_500 + "]" * 1_500, (1, MAX_DEPTH + 3)),
        ("{a: " * 100_000 + "}" * 100_000, (1, 4 * MAX_DEPTH + 1)),
        ("- " * 5_000 + "x\n", (1, 2 * MAX_DEPTH + 1)),
        ("".join(" " * i + "a:\n" for i in range(2_000)), (MAX_DEPTH + 1, MAX_DEPTH + 1)),
    ],
    ids=["flow-100k", "flow-1500-in-a-value", "flow-mappings", "block-sequences", "block-maps"],
)
def test_deep_nesting_is_refused_in_our_words_at_the_level_past_the_limit(
    text: str, where: tuple[int, int]
) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan_text(text, "p.yaml")
    [problem] = caught.value.problems
    assert problem.code == "too-deep"
    assert (problem.location.line, problem.location.column) == where
    assert str(MAX_DEPTH) in problem.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "p.yaml:1:1: the plan is empty"),
        ("# only a comment\n", "p.yaml:1:1: the plan is empty"),
        ("- a\n- b\n", "found a list"),
        ("just text\n", "found a single value"),
        ("a: 1\n---\nb: 2\n", "p.yaml:2:1: a plan is one YAML document"),
        ("a: [1, 2\n", "p.yaml:2:1: invalid YAML"),
        ("? [a]\n: 1\n", "p.yaml:1:3: mapping keys must be plain text"),
    ],
)
def test_unusable_yaml_gets_one_located_message(text: str, expected: str) -> None:
    assert expected in fatal(text)


def test_unknown_tags_are_problems_and_never_constructed() -> None:
    raw = parse_plan_text("a: !!python/object/apply:os.system ['echo hi']\n", "p.yaml")
    assert raw.problems[0].code == "yaml-tag"
    assert raw.problems[0].location.line == 1


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_bytes(data)
    return path


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, b"a: ok\nb: caf\xe9\n")
    with pytest.raises(PlanError) as caught:
        load_raw_plan(path)
    assert str(caught.value.problems[0]).startswith(f"{path}:2:7: not valid UTF-8 (byte 0xe9)")


def test_binary_and_utf16_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="binary data"):
        load_raw_plan(write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00"))
    with pytest.raises(PlanError, match="UTF-16"):
        load_raw_plan(write(tmp_path, "a: 1\n".encode("utf-16")))


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    raw = load_raw_plan(write(tmp_path, b"\xef\xbb\xbfa: caf\xc3\xa9\n"))
    assert raw.data == {"a": "café"}


def test_oversized_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("itcomms.loader.MAX_PLAN_BYTES", 10)
    with pytest.raises(PlanError, match="limited to 10 bytes"):
        load_raw_plan(write(tmp_path, b"a: 12345678901234567890\n"))


def test_missing_file_and_directory_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        load_raw_plan(tmp_path / "nope.yaml")
    with pytest.raises(UsageError, match="is a directory"):
        load_raw_plan(tmp_path)


def test_fifo_is_refused_instead_of_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    with pytest.raises(UsageError, match="not a regular file"):
        load_raw_plan(fifo)


def test_an_unclosed_quote_says_where_it_opens(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text('organization:\n  name: "Northwind\nstart: 2026-01-01\n', encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_raw_plan(path)
    [problem] = caught.value.problems
    assert "quoted scalar that starts at line 2, column 9" in problem.message


def test_a_control_character_after_accented_letters_is_located_by_character(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes("x: ééééé\x01\n".encode())
    with pytest.raises(PlanError) as caught:
        load_raw_plan(path)
    [problem] = caught.value.problems
    assert (problem.location.line, problem.location.column) == (1, 9)
