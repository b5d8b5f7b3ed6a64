"""Random and mangled input never crashes `validate`: it always exits 0 or 1."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import EXAMPLE_PLAN
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from itcomms.cli import app

EXAMPLE = EXAMPLE_PLAN.read_bytes()
YAML_BITS = [
    b":",
    b"- ",
    b"\n",
    b"  ",
    b"&a ",
    b"*a",
    b"!!",
    b"{",
    b"}",
    b"[",
    b"]",
    b"'",
    b'"',
    b"#",
    b"? ",
    b"<<: ",
    b"---\n",
    b"...\n",
    b"~",
    b"yes",
    b"2026-02-30",
    b"\t",
    b"\xff",
    b"\x00",
    b"\xe2\x80\xae",
    b"|\n",
    b">-\n",
    b"%YAML 1.1\n",
    b"!!python/object:os.system ",
]


@st.composite
def mangled_plans(draw: st.DrawFn) -> bytes:
    data = bytearray(EXAMPLE)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "truncate", "dup"]))
        if action == "insert":
            data[position:position] = draw(st.sampled_from(YAML_BITS))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 40))]
        elif action == "truncate":
            del data[position:]
        else:
            start = max(0, position - 60)
            data[position:position] = data[start:position]
    return bytes(data)


def run_validate(content: bytes) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_bytes(content)
        result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_plans())
def test_mangled_example_plan_never_crashes(content: bytes) -> None:
    code, output = run_validate(content)
    assert code in (0, 1), output
    assert "Traceback" not in output


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_random_input_never_crashes(content: bytes) -> None:
    code, output = run_validate(content)
    assert code in (0, 1), output


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_random_yaml_structures_never_crash(value: object) -> None:
    import yaml

    content = yaml.safe_dump({"organization": value, "owners": value, "start": value}).encode()
    code, _ = run_validate(content)
    assert code in (0, 1)
