"""The lint reader: how its likelihoods decide findings, and that the shipped weights are the
ones trained on today's corpus.

The mechanism is tested with small hand-made weights, so each test says exactly which word
pushes which way; the shipped weights are tested end to end on sentences written here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_lint_plans import TODAY, base_plan, lint_data, message, write
from typer.testing import CliRunner

from itcomms.cli import app
from itcomms.lint import lint_plan, reader
from itcomms.lint.reader import FEWEST_WORDS, Weights, read, reading_words
from itcomms.validate import load_plan

CORPUS = Path(__file__).parent / "lint_corpus"
# Rounds written blind and kept for measuring only (tests/test_lint_corpus.py).
HELD_OUT = {"fresh8.yaml", "fresh9.yaml", "fresh13.yaml", "neutral2.yaml", "neutral4.yaml"}
FAMILIES = ("activity", "refusal", "voice", "vague")


def _toy() -> Weights:
    # "zorbed" (a made-up word no pattern knows) is IT activity, "banned" a refusal;
    # "customers" and "because" clear both.
    words = {
        "zorbed": (6.0, 0.0, 0.0, 0.0),
        "banned": (0.0, 6.0, 0.0, 0.0),
        "customers": (-8.0, -8.0, 0.0, 0.0),
        "because": (0.0, -8.0, 0.0, 0.0),
    }
    # A bias between the gate and the threshold: pattern hits stand, the reader adds none.
    return Weights(FAMILIES, (-1.0, -1.0, -9.0, -9.0), words, 0.5, 0.15)


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Weights]:
    model = _toy()
    monkeypatch.setattr(reader, "weights", lambda: model)
    read.cache_clear()
    yield model
    read.cache_clear()


def _findings(tmp_path: Path, body: str, *, field: str = "body") -> list[tuple[str, str, int]]:
    data = base_plan()
    message(data)[field] = body
    report = lint_data(tmp_path, data, select=["BIZ001", "ANS001", "BIZ005", "BIZ006"])
    return [(f.code, f.message, f.location.column or 0) for f in report.findings]


def test_reading_words_are_lower_case_and_counted_once() -> None:
    assert reading_words("We ZORBED 42 laptops; we zorbed them.") == {
        "we",
        "zorbed",
        "42",
        "laptops",
        "them",
    }
    assert reading_words("Ça coûte 3 € à l'équipe") == {"ça", "coûte", "équipe"}


def test_a_sentence_the_patterns_miss_is_flagged_at_its_heaviest_word(
    toy: Weights, tmp_path: Path
) -> None:
    data = base_plan()
    message(data)["body"] = "The night crew zorbed the forty crates on the third floor."
    plan = write(tmp_path, data)
    report = lint_plan(load_plan(plan), today=TODAY, select=["BIZ001", "ANS001"])
    assert [f.code for f in report.findings] == ["BIZ001"]
    finding = report.findings[0]
    assert "'zorbed'" in finding.message
    line = plan.read_text("utf-8").splitlines()[(finding.location.line or 0) - 1]
    assert line[(finding.location.column or 0) - 1 :].startswith("zorbed")


def test_a_next_sentence_can_clear_a_sentence_but_a_previous_one_cannot(
    toy: Weights, tmp_path: Path
) -> None:
    cleared = "The night crew zorbed the forty crates on the third floor. Customers wait less."
    assert _findings(tmp_path, cleared) == []
    before = "Customers wait less at the tills now. Our team zorbed the forty laptops today."
    assert [code for code, _, _ in _findings(tmp_path, before)] == ["BIZ001"]


def test_each_sentence_is_read_on_its_own(toy: Weights, tmp_path: Path) -> None:
    body = (
        "The night crew zorbed the forty crates on the third floor. The rota is on the wall. "
        "Personal music players are banned on the shop floor from today."
    )
    assert sorted(code for code, _, _ in _findings(tmp_path, body)) == ["ANS001", "BIZ001"]


def test_short_sentences_and_titles_are_left_to_the_patterns(toy: Weights, tmp_path: Path) -> None:
    short = "Laptops zorbed, Thursday."
    assert len(reading_words(short)) < FEWEST_WORDS
    assert _findings(tmp_path, short) == []
    title = "The night crew zorbed the forty crates on the third floor"
    assert _findings(tmp_path, title, field="title") == []


def test_a_pattern_hit_in_a_sentence_the_reader_clears_is_dropped(
    toy: Weights, tmp_path: Path
) -> None:
    # "not allowed" is a refusal pattern; "because" sends the reader's likelihood to ~0
    body = "Phones are not allowed on the line because the presses can catch a sleeve."
    assert [code for code, _, _ in _findings(tmp_path, body)] == []
    flat = "Phones are not allowed on the line near the big presses at any time."
    assert [code for code, _, _ in _findings(tmp_path, flat)] == ["ANS001"]


def test_one_finding_per_sentence_when_pattern_and_reader_agree(
    toy: Weights, tmp_path: Path
) -> None:
    body = "Personal music players are banned and not allowed on the shop floor from today."
    assert [code for code, _, _ in _findings(tmp_path, body)] == ["ANS001"]


def test_the_reader_reports_through_the_cli_as_json(toy: Weights, tmp_path: Path) -> None:
    data = base_plan()
    message(data)["body"] = "The night crew zorbed the forty crates on the third floor."
    plan = write(tmp_path, data)
    result = CliRunner().invoke(
        app, ["lint", str(plan), "--today", "2026-11-23", "--select", "BIZ001", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [f["code"] for f in findings] == ["BIZ001"]
    assert findings[0]["line"] > 1


def test_hostile_text_is_read_in_linear_time_and_never_raises(toy: Weights) -> None:
    body = ("zorbed " * 20 + ". ") * 2_000 + "\x00\u202e" * 100 + "é" * 10_000
    sentences = read(body)
    assert len(sentences) >= 2_000
    assert all(0.0 <= s.likelihood[0] <= 1.0 for s in sentences)


def test_the_shipped_weights_were_trained_on_todays_corpus() -> None:
    shipped = json.loads((Path(reader.__file__).parent / "reader.json").read_text("utf-8"))
    trained_on = shipped["trained_on"]
    on_disk = {file.name for file in CORPUS.glob("*.yaml")}
    assert set(trained_on) == on_disk - HELD_OUT, "retrain: python tools/train_reader.py"
    digest = hashlib.sha256()
    for name in trained_on:
        digest.update(name.encode() + b"\0" + (CORPUS / name).read_bytes())
    assert shipped["corpus_sha256"] == digest.hexdigest(), "retrain: tools/train_reader.py"
    assert tuple(shipped["families"]) == FAMILIES
    assert all(len(values) == len(FAMILIES) for values in shipped["weights"].values())


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("The night team swapped every till in Cardiff over to the spring release.", "BIZ001"),
        ("Requests to bring your own tablet to the ward will be turned down.", "ANS001"),
        ("It is felt that alignment across functions will be pursued in due course.", "BIZ005"),
        ("The new rota screens will make shift planning much smoother for everyone.", "BIZ006"),
    ],
)
def test_the_shipped_reader_flags_each_family(tmp_path: Path, body: str, code: str) -> None:
    read.cache_clear()
    assert code in [found for found, _, _ in _findings(tmp_path, body)]


@pytest.mark.parametrize(
    "body",
    [
        "Reply to this bulletin or ask your superuser if anything looks different.",
        "The drop-in runs on Tuesday 3 March from ten in the Harbour Room.",
        "Thanks to the Leeds pickers who tested the new screens for two weeks in May.",
    ],
)
def test_the_shipped_reader_leaves_ordinary_sentences_alone(tmp_path: Path, body: str) -> None:
    read.cache_clear()
    assert _findings(tmp_path, body) == []


def test_a_letter_longer_in_lower_case_keeps_every_offset(toy: Weights, tmp_path: Path) -> None:
    # "İ" lower-cases to two characters; the sentence after it must still be found in place
    data = base_plan()
    message(data)["body"] = "İİİ İzmir depot news. The night crew zorbed the forty crates today."
    plan = write(tmp_path, data)
    report = lint_plan(load_plan(plan), today=TODAY, select=["BIZ001"])
    assert [f.code for f in report.findings] == ["BIZ001"]
    finding = report.findings[0]
    line = plan.read_text("utf-8").splitlines()[(finding.location.line or 0) - 1]
    assert line[(finding.location.column or 0) - 1 :].startswith("zorbed")
    text = message(data)["body"]
    assert [s.words for s in read(text)] == [
        reading_words(text[s.start : s.end]) for s in read(text)
    ]
