"""``render_split``: ``render_plan`` over forked workers gives the same documents and warnings."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from itcomms.errors import PlanError
from itcomms.render import render_plan, render_split
from itcomms.validate import load_plan

sys.path.insert(0, str(REPO / "bench"))
from genplan import generate_plan

OPTIONS: dict[str, Any] = {
    "today": date(2026, 1, 5),
    "all_editions": True,
    "formats": ("html", "txt"),
}


@pytest.fixture(scope="module")
def big_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan = tmp_path_factory.mktemp("split") / "big.yaml"
    plan.write_text(generate_plan(400, channels=8), encoding="utf-8")
    return plan


def test_a_split_render_is_the_one_process_render(big_plan: Path) -> None:
    loaded = load_plan(big_plan)
    alone = render_plan(loaded, **OPTIONS)
    split = render_split(loaded, workers=2, **OPTIONS)
    assert len(alone.documents) > 300
    assert split.documents == alone.documents
    assert split.warnings == alone.warnings
    assert split.conversions == alone.conversions
    assert [e.date for e in split.editions] == [e.date for e in alone.editions]


def test_a_template_error_in_a_worker_is_raised(big_plan: Path, tmp_path: Path) -> None:
    broken = tmp_path / "plan.yaml"
    text = big_plan.read_text(encoding="utf-8")
    broken.write_text(text.replace("\nsettings:", "\nsettings:\n  templates: tpl", 1), "utf-8")
    if "templates: tpl" not in broken.read_text(encoding="utf-8"):
        broken.write_text(text + "\nsettings: {templates: tpl}\n", encoding="utf-8")
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "newsletter.html.j2").write_text("{{ nope.nothing }}", "utf-8")
    with pytest.raises(PlanError):
        render_split(load_plan(broken), workers=2, **OPTIONS)
