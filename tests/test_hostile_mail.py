"""A hostile organization name against the e-mails itcomms writes (report --format eml)."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

from typer.testing import CliRunner

from itcomms.cli import app

# Long enough that Python folds the Subject inside an encoded word; quotes, markup, a bidi
# override and a zero-width space make it need encoding at all.
ODD_NAME = "Northwind Digital Services</script><img src=x onerror=alert(1)>\"' \u202e\u200b é"


def test_an_odd_it_name_still_makes_a_report_email(runner: CliRunner, example_plan: Path) -> None:
    """The header check compares what is read back with what was written; folding may put a
    space where Python split an encoded word, which is no reason to refuse the e-mail."""
    text = example_plan.read_text(encoding="utf-8")
    quoted = ODD_NAME.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("it_name: Northwind Digital Services", f'it_name: "{quoted}"', 1)
    example_plan.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["report", str(example_plan), "-f", "eml", "--today", "2027-01-10"])
    assert result.exit_code == 0, result.output
    message = BytesParser(policy=policy.default).parsebytes(result.stdout_bytes)
    subject = "".join(str(message["Subject"]).split())
    assert "".join(ODD_NAME.split()).replace("\u200b", "") in subject.replace("\u200b", "")
    assert not message.defects
