"""Recall and false alarms of the language rules on a labelled corpus of sentences.

Each sentence in ``tests/lint_corpus/`` is the body of a one-message plan for a non-IT
audience, linted through the library. A family's recall is the share of its sentences that its
rule flags; the false-alarm rate is the share of good sentences that any of these rules flags.
``pytest tests/test_lint_corpus.py -s`` prints the table (docs/lint.md shows it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from itcomms.lint import lint_plan
from itcomms.validate import load_plan

CORPUS = Path(__file__).parent / "lint_corpus"
TODAY = date(2026, 11, 23)
FAMILY_CODES = {
    "activity": "BIZ001",
    "jargon": "BIZ003",
    "user": "BIZ004",
    "refusal": "ANS001",
    "voice": "BIZ005",
    "vague": "BIZ006",
}
MIN_RECALL = 0.90
MAX_FALSE_ALARMS = 0.05
MIN_SENTENCES = 300
FRESH_MIN_RECALL = 0.30  # the floor for rounds read or trained on: README, docs/lint.md
FRESH_MAX_FALSE_ALARMS = 0.10
# Never trained on, never read: rounds 17, 18 and 22 read 0.75 at their lowest and 0.039
# false alarms at most; the everyday sentences, 0.020 and 0.067 (docs/lint.md).
HELD_OUT_MIN_RECALL = 0.65
HELD_OUT_MAX_FALSE_ALARMS = 0.05
NEUTRAL_MAX_FALSE_ALARMS = 0.10

_PLAN = """\
version: 1
organization: {{name: Acme Foods, mission: Keep colleagues serving customers.}}
comms_lead: ana
start: 2026-11-02
owners: [{{id: ana, name: Ana Lima}}]
audiences:
  - {{id: managers, name: Depot managers, values: [Staff time freed for customers]}}
channels:
  - {{id: bulletin, name: Bulletin, kind: bulletin, owner: ana, audiences: [managers],
     cadence: biweekly}}
messages:
  - id: one
    title: News for depot managers
    channel: bulletin
    publish: 2026-12-01
    business_value: Managers get two more hours a week with customers.
    body: {body}
"""


@dataclass(frozen=True)
class Sentence:
    text: str
    family: str | None  # None: a good sentence that should raise nothing


# Each set: its files, each a mapping of family (or "good") to sentences.
SETS = {
    # the rules were tuned on these; the neutral sets are the everyday sentences of a message
    "corpus": (
        "bad.yaml",
        "good.yaml",
        "neutral.yaml",
        "neutral3.yaml",
        "neutral5.yaml",
        "neutral6.yaml",
    ),
    "heldout": ("heldout.yaml",),  # measured before tuning, then tuned to the families
    "fresh": ("fresh.yaml",),  # written after the first tuning; read by the second pass
    "fresh2": ("fresh2.yaml",),  # round 11: after the second pass; read by the third
    "fresh3": ("fresh3.yaml",),  # round 12: measured, then read by the third pass
    "fresh4": ("fresh4.yaml",),  # round 13: measured after the third pass, read by the fourth
    "fresh5": ("fresh5.yaml",),  # round 14: written blind, measured, then read by the fourth
    "fresh6": ("fresh6.yaml",),  # round 15: written blind, measured after the fourth, then read
    "fresh7": ("fresh7.yaml",),  # round 16: written blind, measured after the fifth, then read
    "fresh8": ("fresh8.yaml",),  # round 17: written blind after the sixth pass; never read
    "fresh9": ("fresh9.yaml",),  # round 18: written blind after the reader came; never read
    "fresh10": ("fresh10.yaml",),  # round 19: written blind, measured, then trained on
    "fresh11": ("fresh11.yaml",),  # round 20: the same
    "fresh12": ("fresh12.yaml",),  # round 21: the same
    "fresh13": ("fresh13.yaml",),  # round 22: written blind to measure only; never read
    "fresh14": ("fresh14.yaml",),  # round 23: blind, hard on purpose; measured, trained on
    "neutral2": ("neutral2.yaml",),  # everyday sentences, never trained on: false alarms
    "neutral4": ("neutral4.yaml",),  # the same, written blind and never read
}
# The families each later set covers (rounds 12 and 13 cover the three that missed most).
WEAK = ("refusal", "voice", "vague")


def corpus(name: str = "corpus") -> list[Sentence]:
    found: list[Sentence] = []
    for file in SETS[name]:
        labelled = yaml.safe_load((CORPUS / file).read_text(encoding="utf-8"))
        for family, texts in labelled.items():
            found += [Sentence(text, None if family == "good" else family) for text in texts]
    assert all(isinstance(s.text, str) for s in found), "an unquoted ': ' made a mapping"
    return found


@dataclass(frozen=True)
class Scores:
    recall: dict[str, tuple[int, int]]  # family -> (flagged, total)
    false_alarms: tuple[int, int]  # (good sentences flagged, good sentences)
    missed: dict[str, list[str]]
    alarms: list[tuple[str, list[str]]]

    def table(self) -> Iterator[str]:
        yield f"{'family':<10} {'code':<7} {'sentences':>9} {'flagged':>7} {'recall':>6}"
        for family, (flagged, total) in self.recall.items():
            if not total:
                continue
            rate = flagged / total if total else 0.0
            code = FAMILY_CODES[family]
            yield f"{family:<10} {code:<7} {total:>9} {flagged:>7} {rate:>6.2f}"
        flagged, total = self.false_alarms
        rate = flagged / total if total else 0.0
        yield f"{'good':<10} {'-':<7} {total:>9} {flagged:>7}  false alarms {rate:.3f}"


def measure(folder: Path, sentences: list[Sentence]) -> Scores:
    codes = sorted(set(FAMILY_CODES.values()))
    recall = {family: [0, 0] for family in FAMILY_CODES}
    missed: dict[str, list[str]] = {family: [] for family in FAMILY_CODES}
    alarms: list[tuple[str, list[str]]] = []
    good = flagged_good = 0
    for number, sentence in enumerate(sentences):
        path = folder / f"s{number}.yaml"
        body = json.dumps(sentence.text, ensure_ascii=False)
        path.write_text(_PLAN.format(body=body), encoding="utf-8")
        report = lint_plan(load_plan(path), today=TODAY, select=codes)
        raised = sorted({finding.code for finding in report.findings})
        if sentence.family is None:
            good += 1
            if raised:
                flagged_good += 1
                alarms.append((sentence.text, raised))
            continue
        tally = recall[sentence.family]
        tally[1] += 1
        if FAMILY_CODES[sentence.family] in raised:
            tally[0] += 1
        else:
            missed[sentence.family].append(sentence.text)
    return Scores(
        {family: (hits, total) for family, (hits, total) in recall.items()},
        (flagged_good, good),
        missed,
        alarms,
    )


@pytest.fixture(scope="module", params=["corpus", "heldout"])
def scores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Scores:
    return measure(tmp_path_factory.mktemp(request.param), corpus(request.param))


def test_corpus_is_big_enough_and_half_good() -> None:
    sentences = corpus()
    good = sum(1 for s in sentences if s.family is None)
    assert len(sentences) >= MIN_SENTENCES
    assert good * 2 >= len(sentences) - 10
    assert {s.family for s in sentences if s.family} == set(FAMILY_CODES)
    assert len({s.text for s in sentences}) == len(sentences), "a sentence is listed twice"


ALL = tuple(FAMILY_CODES)
LATER_SETS = [
    ("heldout", ALL, 40, 120),
    ("fresh", ALL, 30, 90),
    ("fresh2", ALL, 30, 90),
    ("fresh3", WEAK, 40, 120),
    ("fresh4", WEAK, 30, 90),
    ("fresh5", ALL, 20, 160),
    ("fresh6", ALL, 20, 160),
    ("fresh7", ALL, 20, 180),
    ("fresh8", ALL, 20, 180),
    ("fresh9", ALL, 20, 180),
    ("fresh10", ALL, 30, 200),
    ("fresh11", ALL, 30, 200),
    ("fresh12", ALL, 30, 200),
    ("fresh13", ALL, 30, 200),
    ("fresh14", ("activity", "refusal"), 55, 110),
    ("neutral2", (), 0, 300),
    ("neutral4", (), 0, 300),
]


@pytest.mark.parametrize(("name", "families", "per_family", "good"), LATER_SETS)
def test_each_later_set_is_new_and_covers_its_families(
    name: str, families: tuple[str, ...], per_family: int, good: int
) -> None:
    earlier = {s.text for s in corpus()}
    sentences = corpus(name)
    for family in families:
        assert sum(1 for s in sentences if s.family == family) >= per_family, family
    assert sum(1 for s in sentences if s.family is None) >= good
    texts = [s.text for s in sentences]
    assert len(set(texts)) == len(texts), "a sentence is listed twice"
    # the one sentence the issue itself names may be repeated; nothing else
    for other in (later[0] for later in LATER_SETS):
        if other != name:
            earlier |= {s.text for s in corpus(other)}
    assert len(earlier & set(texts)) <= 1


def test_recall_and_false_alarms_meet_the_targets(scores: Scores) -> None:
    print()
    for line in scores.table():
        print(line)
    for family, texts in scores.missed.items():
        for text in texts:
            print(f"  missed {family}: {text}")
    for text, raised in scores.alarms:
        print(f"  false alarm {','.join(raised)}: {text}")
    low = {
        family: round(hits / total, 2)
        for family, (hits, total) in scores.recall.items()
        if hits < MIN_RECALL * total
    }
    assert not low, f"recall below {MIN_RECALL}: {low}"
    flagged, total = scores.false_alarms
    assert flagged <= MAX_FALSE_ALARMS * total, f"{flagged} of {total} good sentences flagged"


@pytest.mark.parametrize(
    "name",
    [
        "fresh",
        "fresh2",
        "fresh3",
        "fresh4",
        "fresh5",
        "fresh6",
        "fresh7",
        "fresh10",
        "fresh11",
        "fresh12",
        "fresh14",
    ],
)
def test_fresh_sets_are_scored_and_reported(tmp_path: Path, name: str) -> None:
    """The fresh sets were written after tuning, each measured before it was read: their
    figures are printed (the README reports them) and held only to a floor well below the
    targets, so a rule that stops generalising at all still fails."""
    scores = measure(tmp_path, corpus(name))
    print()
    for line in scores.table():
        print(line)
    for family, texts in scores.missed.items():
        for text in texts:
            print(f"  missed {family}: {text}")
    for text, raised in scores.alarms:
        print(f"  false alarm {','.join(raised)}: {text}")
    for family, (hits, total) in scores.recall.items():
        assert hits >= FRESH_MIN_RECALL * total, family
    flagged, total = scores.false_alarms
    assert flagged <= FRESH_MAX_FALSE_ALARMS * total


def _print(scores: Scores) -> None:
    print()
    for line in scores.table():
        print(line)


@pytest.mark.parametrize("name", ["fresh8", "fresh9", "fresh13"])
def test_rounds_never_trained_on_meet_a_floor(tmp_path: Path, name: str) -> None:
    """Rounds 17, 18 and 22, written blind and kept out of the reader's training: how the rules
    read text nobody here wrote. Held to a floor below the targets (their figures are in the
    README); no sentence of theirs is printed, so nobody tunes to them."""
    scores = measure(tmp_path, corpus(name))
    _print(scores)
    for family, (hits, total) in scores.recall.items():
        assert hits >= HELD_OUT_MIN_RECALL * total, family
    flagged, total = scores.false_alarms
    assert flagged <= HELD_OUT_MAX_FALSE_ALARMS * total


@pytest.mark.parametrize("name", ["neutral2", "neutral4"])
def test_everyday_sentences_never_trained_on_raise_few_alarms(tmp_path: Path, name: str) -> None:
    """Calls to action, dates, thanks, pointers, next steps: most of what a message says.
    Kept out of training; neutral4 was written blind and never read."""
    scores = measure(tmp_path, corpus(name))
    _print(scores)
    flagged, total = scores.false_alarms
    assert total >= 300
    assert flagged <= NEUTRAL_MAX_FALSE_ALARMS * total
