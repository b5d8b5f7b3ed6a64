"""Train the lint reader (``itcomms/lint/reader.json``) on the labelled corpus.

    pip install scikit-learn && python tools/train_reader.py

One logistic regression per family, over the words of each sentence (``reading_words``),
trained on that family's sentences against the good ones. The rounds in ``HELD_OUT`` were
written blind and are never trained on: ``tests/test_lint_corpus.py`` measures the shipped
reader on them. Before writing, each other round is left out in turn and measured with a
reader trained on the rest, so the printed table says how the reader does on sentences it
never saw: the whole of lint, patterns and reader, as the corpus test measures it.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

import itcomms.lint.reader as reader
from itcomms.lint.reader import Weights, reading_words

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_lint_corpus import FAMILY_CODES, Sentence, measure  # noqa: E402  (how tests measure)

CORPUS = ROOT / "tests" / "lint_corpus"
OUT = ROOT / "itcomms" / "lint" / "reader.json"
FAMILIES = ("activity", "refusal", "voice", "vague")
HELD_OUT = ("fresh8.yaml", "fresh9.yaml", "fresh13.yaml", "neutral2.yaml", "neutral4.yaml")
THRESHOLD = 0.5
GATE = 0.15
C = 1.0
SMALLEST = 0.005  # weights nearer zero than this change no answer and are not shipped

Labelled = list[tuple[str, str | None]]


def load(files: list[Path]) -> Labelled:
    found: Labelled = []
    for file in files:
        for family, texts in yaml.safe_load(file.read_text("utf-8")).items():
            found += [(text, None if family == "good" else family) for text in texts]
    return found


def train(sentences: Labelled) -> Weights:
    bias: list[float] = []
    columns: list[dict[str, float]] = []
    for family in FAMILIES:
        rows = [(text, label == family) for text, label in sentences if label in (family, None)]
        vectoriser = CountVectorizer(analyzer=reading_words, binary=True)
        matrix = vectoriser.fit_transform([text for text, _ in rows])
        model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
        model.fit(matrix, [label for _, label in rows])
        bias.append(round(float(model.intercept_[0]), 4))
        names = vectoriser.get_feature_names_out()
        columns.append(dict(zip(names, (float(w) for w in model.coef_[0]), strict=True)))
    vocabulary = sorted(set().union(*columns))
    words = {
        word: tuple(round(column.get(word, 0.0), 4) for column in columns)
        for word in vocabulary
        if any(abs(column.get(word, 0.0)) >= SMALLEST for column in columns)
    }
    return Weights(FAMILIES, tuple(bias), words, THRESHOLD, GATE)


def through_lint(sentences: Labelled, model: Weights) -> str:
    """Each family's recall and the false-alarm rate of the whole of lint (patterns and the
    reader with ``model``), measured as ``tests/test_lint_corpus.py`` measures."""
    reader.weights = lambda: model  # type: ignore[method-assign]
    reader.read.cache_clear()
    with tempfile.TemporaryDirectory() as folder:
        scores = measure(Path(folder), [Sentence(text, label) for text, label in sentences])
    cells = [f"{hits / total:.2f}" if total else "-" for hits, total in scores.recall.values()]
    flagged, total = scores.false_alarms
    return " ".join(f"{cell:>8}" for cell in cells) + f" {flagged / max(1, total):>8.3f}"


def main() -> int:
    files = sorted(f for f in CORPUS.glob("*.yaml") if f.name not in HELD_OUT)
    print(f"{'left out':<14}" + " ".join(f"{f:>8}" for f in FAMILY_CODES) + "  alarms")
    rounds = [[f for f in files if f.name in ("bad.yaml", "good.yaml")]]
    rounds += [[f] for f in files if f.name not in ("bad.yaml", "good.yaml")]
    for left_out in rounds:
        rest = load([f for f in files if f not in left_out])
        name = "+".join(f.stem for f in left_out)
        print(f"{name:<14}" + through_lint(load(left_out), train(rest)), flush=True)
    model = train(load(files))
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    OUT.write_text(
        json.dumps(
            {
                "about": "Written by tools/train_reader.py; see itcomms/lint/reader.py.",
                "trained_on": [file.name for file in files],
                "corpus_sha256": digest.hexdigest(),
                "families": list(model.families),
                "bias": list(model.bias),
                "threshold": model.threshold,
                "gate": model.gate,
                "weights": {word: list(values) for word, values in model.words.items()},
            },
            indent=0,
            sort_keys=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUT.relative_to(ROOT)}: {len(model.words)} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
