"""Every rule fires on a plan built to break it, and stays quiet on a near miss."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_lint_plans import (
    TODAY,
    Mutation,
    PlanData,
    base_plan,
    codes,
    lint_data,
    message,
    write,
)

from itcomms.lint import RULES, reader
from itcomms.lint.reader import Weights

HARD_TEXT = (
    "Consequently, the organisational infrastructure modernisation programme necessitates "
    "comprehensive reconfiguration of interdependent operational applications, notwithstanding "
    "considerable uncertainty regarding implementation methodologies, procurement "
    "considerations, contractual obligations and the organisational capability requirements "
    "associated with sustainable transformation initiatives across geographically distributed "
    "operational facilities."
)
EASY_TEXT = (
    "Your order screens move to new servers over two weekends in March. Nothing changes for "
    "you. Orders keep flowing while we do it. If a screen looks odd on the Monday, call the "
    "desk on 4000 and we will fix it fast. We will tell you the dates a week before."
)


def _drop(section: str, key: str, index: int = 0) -> Mutation:
    def mutate(data: PlanData) -> None:
        del data[section][index][key]

    return mutate


def _set_body(text: str, index: int = 0) -> Mutation:
    def mutate(data: PlanData) -> None:
        message(data, index)["body"] = text

    return mutate


def _no_purpose(data: PlanData) -> None:
    del data["purpose"]


def _no_goals(data: PlanData) -> None:
    data["purpose"]["goals"] = []


def _no_mission(data: PlanData) -> None:
    del data["organization"]["mission"]


def _no_lead(data: PlanData) -> None:
    del data["comms_lead"]


def _overload(data: PlanData) -> None:
    data["settings"] = {"lint": {"max_deadlines_per_week": 1}}
    extra = dict(message(data), id="second", publish="2026-12-01", answers_feedback=[])
    data["messages"].append(extra)


def _unreached_audience(data: PlanData) -> None:
    data["audiences"].append({"id": "drivers", "name": "Drivers", "values": ["Routes"]})


def _rare_channel(data: PlanData) -> None:
    data["audiences"][0]["channels"] = ["bulletin"]
    data["channels"][2]["audiences"] = []
    data["channels"][0]["cadence"] = "yearly"


def _one_channel(data: PlanData) -> None:
    data["channels"] = data["channels"][:1]
    data["channels"][0]["audiences"] = ["managers", "execs"]
    for audience in data["audiences"]:
        audience["channels"] = ["bulletin"]
    message(data, 1)["channel"] = "bulletin"


def _short_position_paper(data: PlanData) -> None:
    data["channels"].append(
        {"id": "papers", "name": "Position papers", "kind": "position-paper", "owner": "ben"}
    )
    data["audiences"][1]["channels"].append("papers")
    message(data, 1)["channel"] = "papers"
    message(data, 1)["body"] = "We should rent servers. " * 10


def _many_metrics(data: PlanData) -> None:
    data["audiences"][0]["metrics"] = ["One", "Two", "Three", "Four"]


def _no_feedback_route(data: PlanData) -> None:
    del data["organization"]["feedback_url"]
    data["audiences"][0]["channels"] = ["bulletin"]
    data["channels"][2]["audiences"] = []


def _no_champion(data: PlanData) -> None:
    data["stakeholders"][0]["champion"] = False


def _silent_stakeholder(data: PlanData) -> None:
    message(data, 1)["publish"] = "2027-03-01"
    data["commitments"][0]["due"] = "2027-03-01"
    data["channels"][1]["cadence_start"] = "2027-03-01"  # an edition reaching them is one too


def _empty_town_hall(data: PlanData) -> None:
    data["channels"][2]["cadence_start"] = "2026-11-25"  # draft due 11-20, nothing planned


def _town_hall_message(data: PlanData) -> None:
    _empty_town_hall(data)
    data["messages"].append(
        {
            "id": "wave",
            "title": "Late orders now make the afternoon wave",
            "channel": "town-hall",
            "business_value": "More orders ship the same day.",
            "body": "Orders now reach the floor in two minutes.\n",
        }
    )


def _away(start: str, end: str) -> Mutation:
    def mutate(data: PlanData) -> None:
        data["owners"][1]["away"] = [{"from": start, "to": end, "reason": "Holiday"}]

    return mutate


def _blackouts(second_from: str) -> Mutation:
    def mutate(data: PlanData) -> None:
        data["blackouts"] = [
            {"from": "2026-12-21", "to": "2026-12-31", "reason": "Christmas peak"},
            {"from": second_from, "to": "2027-01-08", "reason": "Year-end close"},
        ]

    return mutate


_MEASURE = {"id": "on-time", "name": "Orders shipped on time", "unit": "%", "better": "higher"}


def _measure_declared(data: PlanData) -> None:
    """A plan that declares measures names one in every metric: the base plan's go."""
    data["measures"] = [_MEASURE]
    for audience in data["audiences"]:
        audience["metrics"] = []


def _measure_named(data: PlanData) -> None:
    _measure_declared(data)
    data["audiences"][0]["metrics"] = ["Orders shipped on time"]  # by name, as older plans do


TRIGGERS: dict[str, Mutation] = {
    "PLN001": _no_purpose,
    "PLN002": _no_goals,
    "PLN003": _no_mission,
    "OWN001": _no_lead,
    "OWN002": _drop("channels", "owner", 1),
    "OWN003": _drop("channels", "owner", 1),
    "OWN004": _overload,
    "OWN005": _drop("commitments", "owner"),
    "OWN006": _drop("commitments", "due"),
    "OWN008": _drop("channels", "approval", 1),
    "CAD001": _unreached_audience,
    "CAD002": _rare_channel,
    "CAD003": _one_channel,
    "BIZ001": _set_body("We upgraded the portal to version 9.2 last night."),
    "BIZ002": _drop("messages", "business_value"),
    "BIZ003": _set_body("From Monday you sign in with SSO."),
    "BIZ004": _set_body("All users can now print from the dock."),
    "BIZ005": _set_body("It has been decided that synergies will be leveraged going forward."),
    "BIZ006": _set_body("The new printers improve efficiency and deliver a better experience."),
    "BIZ007": lambda d: message(d, 1).update(business_value="Every server gets security fixes."),
    "LEN001": _short_position_paper,
    "LEN002": _set_body(HARD_TEXT),
    "FOC001": _many_metrics,
    "LIS001": _no_feedback_route,
    "LIS002": _no_champion,
    "LIS003": _silent_stakeholder,
    "LIS004": lambda d: (_silent_stakeholder(d), d["stakeholders"][0].pop("relationship_owner")),
    "ANS001": _set_body("Personal USB sticks are not allowed for security reasons."),
    # Ben owes the commitment due 2026-12-11
    "OWN007": _away("2026-12-07", "2026-12-11"),
    "PLN004": _blackouts("2027-01-01"),  # runs straight on from the first
    "SCH001": lambda d: message(d).update(publish="2026-12-02"),  # editions 12-01, 12-15
    "SCH002": _empty_town_hall,
    "SCH003": lambda d: d.update(start="2026-11-30"),  # brief 12-01, draft due 11-26
    "MEA001": _measure_declared,  # no audience names it
    "MEA002": _measure_named,  # and no value in the log
    "MEA003": _measure_named,  # LOGS: 96.5 keyed as 965
}

# Near misses: the same area of the plan, written the way the rule asks for.
PASSES: dict[str, Mutation] = {
    "PLN001": lambda d: d["purpose"].update(goals=[]),
    "PLN002": lambda d: d["purpose"]["goals"].append("Satisfaction rises to 3.8 out of 5"),
    "PLN003": lambda d: d["organization"].update(tagline=None),
    "OWN001": lambda d: d.update(comms_lead="ben"),
    "OWN002": lambda d: d["channels"][1].update(owner="ana"),
    "OWN003": lambda d: (d["channels"][1].pop("owner"), message(d, 1).update(owner="ben")),
    "OWN004": lambda d: d.update(settings={"lint": {"max_deadlines_per_week": 1}}),
    "OWN005": lambda d: d["commitments"][0].update(owner="ana"),
    "OWN006": lambda d: d["commitments"][0].update(due="2027-01-15"),
    # a bulletin that reaches no one senior needs no sign-off
    "OWN008": lambda d: d["channels"][0].pop("approval", None),
    "CAD001": lambda d: d["audiences"].append(
        {"id": "drivers", "name": "Drivers", "values": ["Routes"], "channels": ["bulletin"]}
    ),
    "CAD002": lambda d: d["channels"][0].update(cadence="quarterly"),
    "CAD003": lambda d: (d["channels"].pop(2), d["audiences"][0].update(channels=["bulletin"])),
    "BIZ001": _set_body("Orders reach the floor in two minutes instead of forty."),
    "BIZ002": lambda d: message(d).update(business_value="Same-day orders ship on time."),
    "BIZ003": _set_body("From Monday you sign in with SSO (one sign-in for every system)."),
    "BIZ004": _set_body("Every colleague can now print from the dock; superusers can help."),
    "BIZ005": _set_body(
        "We decided to open the Leeds depot in March; the dates were set by Grace."
    ),
    "BIZ006": _set_body("The new printers print a label in 3 seconds instead of 20."),
    "BIZ007": lambda d: message(d, 1).update(
        business_value="Each case costs 3 pence less to ship."
    ),
    "LEN001": lambda d: (_short_position_paper(d), message(d, 1).update(body="Rent. " * 250)),
    "LEN002": _set_body(EASY_TEXT),
    "FOC001": lambda d: d["audiences"][0].update(metrics=["One", "Two", "Three"]),
    "LIS001": lambda d: (
        _no_feedback_route(d),
        [a.update(feedback_url="https://intranet.acme.example/it/ask") for a in d["audiences"]],
    ),
    "LIS002": lambda d: d["stakeholders"].append(
        {"id": "coo", "name": "Sam Ade", "audience": "execs", "champion": False}
    ),
    "LIS003": lambda d: (_silent_stakeholder(d), d["stakeholders"][0].update(influence="medium")),
    "LIS004": _silent_stakeholder,  # silent, but their relationship owner is a tie
    "ANS001": _set_body(
        "Personal USB sticks are not allowed, because one infected stick can stop the order "
        "screens at every depot."
    ),
    "OWN007": _away("2026-12-12", "2026-12-18"),
    "PLN004": _blackouts("2027-01-02"),  # a day open between them
    "SCH001": lambda d: message(d).update(publish="2026-12-15"),
    "SCH002": _town_hall_message,
    "SCH003": lambda d: d.update(start="2026-11-20"),
    "MEA001": _measure_named,
    "MEA002": _measure_named,  # LOGS: a value last week
    "MEA003": _measure_named,  # LOGS: the same figure, with a note
}

# The measures log written beside the plan for a rule's trigger or near miss (PLAN.measures).
_SERIES = "".join(
    f'{{"measure": "on-time", "on": "2026-{month:02}-20", "value": {value}}}\n'
    for month, value in ((6, 95.1), (7, 95.8), (8, 96.0), (9, 95.6), (10, 96.2))
)
TRIGGER_LOGS = {"MEA003": _SERIES + '{"measure": "on-time", "on": "2026-11-16", "value": 965}\n'}
PASS_LOGS = {
    "MEA002": _SERIES + '{"measure": "on-time", "on": "2026-11-16", "value": 96.5}\n',
    "MEA003": _SERIES
    + '{"measure": "on-time", "on": "2026-11-16", "value": 965, "note": "counted twice"}\n',
}


def _write_log(tmp_path: Path, logs: dict[str, str], code: str) -> None:
    if code in logs:
        (tmp_path / "plan.measures").write_text(logs[code], encoding="utf-8")


def test_every_rule_has_a_trigger_and_a_near_miss() -> None:
    assert {rule.code for rule in RULES} == set(TRIGGERS) == set(PASSES)


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_rule_fires_on_its_trigger(tmp_path: Path, code: str) -> None:
    data = base_plan()
    TRIGGERS[code](data)
    _write_log(tmp_path, TRIGGER_LOGS, code)
    assert code in codes(lint_data(tmp_path, data))


@pytest.mark.parametrize("code", sorted(PASSES))
def test_rule_is_quiet_on_a_near_miss(tmp_path: Path, code: str) -> None:
    data = base_plan()
    PASSES[code](data)
    _write_log(tmp_path, PASS_LOGS, code)
    assert code not in codes(lint_data(tmp_path, data))


def test_empty_purpose_problem_is_reported_at_the_field(tmp_path: Path) -> None:
    data = base_plan()
    data["purpose"]["problem"] = "  "
    (finding,) = [f for f in lint_data(tmp_path, data).findings if f.code == "PLN001"]
    assert finding.path == ("purpose", "problem")


def test_overloaded_owner_names_the_week_and_the_deadlines(tmp_path: Path) -> None:
    data = base_plan()
    _overload(data)
    (finding,) = lint_data(tmp_path, data, select=["OWN004"]).findings
    assert "ana has 2 deadlines in the week of 2026-11-23 (limit 1)" in finding.message
    assert "draft of faster-orders" in finding.message
    assert finding.location.line > 0


def test_messages_without_a_date_count_in_their_channels_next_edition(tmp_path: Path) -> None:
    data = base_plan()
    del message(data)["publish"]  # next bulletin edition after TODAY is 2026-12-01
    data["audiences"][0]["channels"] = ["bulletin"]
    data["channels"][2]["audiences"] = []
    assert "CAD001" not in codes(lint_data(tmp_path, data))


def test_coverage_window_follows_today(tmp_path: Path) -> None:
    data = base_plan()
    _unreached_audience(data)
    data["messages"].append(
        dict(message(data), id="drivers-news", audiences=["drivers"], publish="2027-03-01")
    )
    assert "CAD001" in codes(lint_data(tmp_path, data))
    report = lint_plan_at(tmp_path, data, "2027-02-01")
    assert "CAD001" not in codes(report)


def lint_plan_at(tmp_path: Path, data: PlanData, day: str) -> object:
    from datetime import date

    from test_lint_plans import write

    from itcomms.lint import lint_plan
    from itcomms.validate import load_plan

    return lint_plan(load_plan(write(tmp_path, data)), today=date.fromisoformat(day))


def test_jargon_is_fine_for_an_it_audience(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("Superusers: the SSO change lands on Monday.")(data)
    data["audiences"][0]["it_audience"] = True
    assert "BIZ003" not in codes(lint_data(tmp_path, data))


def test_jargon_can_be_trimmed_and_extended_by_the_plan(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("The SSO change and the new ESB land on Monday.")(data)
    data["settings"] = {"lint": {"jargon_allow": ["sso"], "jargon_add": ["ESB"]}}
    findings = [f for f in lint_data(tmp_path, data).findings if f.code == "BIZ003"]
    assert [f.message for f in findings] == [
        "IT jargon 'ESB' is not explained for a non-IT audience"
    ]


def test_jargon_explained_once_is_explained_for_the_whole_message(tmp_path: Path) -> None:
    data = base_plan()
    message(data)["title"] = "One sign-in for every system (SSO) from Monday"
    _set_body("SSO means one password less. Plural APIs count too: the API (a link).")(data)
    assert "BIZ003" not in codes(lint_data(tmp_path, data))


def test_jargon_plural_and_hint(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("Two new APIs connect the depots.")(data)
    (finding,) = [f for f in lint_data(tmp_path, data).findings if f.code == "BIZ003"]
    assert "'APIs'" in finding.message
    assert finding.hint is not None and "a link that lets two systems" in finding.hint


def test_business_value_meets_audience_values_through_the_plans_synonyms(tmp_path: Path) -> None:
    data = base_plan()
    message(data, 1)["business_value"] = "Fewer orders are lost to attacks."
    (finding,) = [f for f in lint_data(tmp_path, data).findings if f.code == "BIZ007"]
    assert finding.path == ("messages", 1, "business_value")
    assert "'Executive team'" in finding.message and "'q4'" in finding.message
    assert finding.hint is not None and "Margin per case" in finding.hint
    data["settings"] = {"lint": {"synonyms": ["margin, orders lost, attacks"]}}
    assert "BIZ007" not in codes(lint_data(tmp_path, data))


def test_business_value_is_compared_as_stems_and_audiences_without_values_pass(
    tmp_path: Path,
) -> None:
    data = base_plan()
    message(data, 1)["business_value"] = "Margins on every shipped case go up."
    assert "BIZ007" not in codes(lint_data(tmp_path, data))
    message(data, 1)["business_value"] = "Every server gets security fixes."
    data["audiences"][1]["values"] = []
    assert "BIZ007" not in codes(lint_data(tmp_path, data))


def test_five_nines_and_uptime_are_it_activity(tmp_path: Path) -> None:
    data = base_plan()
    message(data)["title"] = "Five nines again"
    message(data)["business_value"] = "We hit 99.9% uptime this month."
    found = [f.message for f in lint_data(tmp_path, data).findings if f.code == "BIZ001"]
    assert any("Five nines" in text for text in found)
    assert any("99.9% uptime" in text for text in found)


def test_user_word_ignores_superuser(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("Superusers and end users alike.")(data)
    found = [f.message for f in lint_data(tmp_path, data).findings if f.code == "BIZ004"]
    assert found == ["'end users' puts people in the context of the system"]


def test_readability_uses_the_audience_threshold(tmp_path: Path) -> None:
    data = base_plan()
    _set_body(EASY_TEXT)(data)
    data["audiences"][0]["readability"] = {"min_reading_ease": 110, "max_grade": 1}
    findings = [f for f in lint_data(tmp_path, data).findings if f.code == "LEN002"]
    assert len(findings) == 1
    assert "below 110 for 'managers'" in findings[0].message
    assert "above 1 for 'managers'" in findings[0].message


def test_readability_skips_short_text(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("Consequently, infrastructure modernisation necessitates reconfiguration.")(data)
    assert "LEN002" not in codes(lint_data(tmp_path, data))


def test_word_range_can_be_set_on_any_channel(tmp_path: Path) -> None:
    data = base_plan()
    data["channels"][0]["words"] = {"min": 1, "max": 5}
    (finding,) = [f for f in lint_data(tmp_path, data).findings if f.code == "LEN001"]
    assert "has 12 words; a bulletin on 'bulletin' should have 1-5" in finding.message


def test_refusal_with_a_reason_in_the_next_sentence_passes(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("Sharing passwords is against policy. One shared password exposes every order.")(data)
    assert "ANS001" not in codes(lint_data(tmp_path, data))


def test_a_briefing_is_a_touchpoint(tmp_path: Path) -> None:
    data = base_plan()
    _silent_stakeholder(data)
    data["channels"].append(
        {
            "id": "exec-meeting",
            "name": "Monthly IT briefing",
            "kind": "briefing",
            "owner": "ana",
            "audiences": ["execs"],
            "cadence": "monthly",
            "cadence_start": "2026-12-03",
        }
    )
    assert "LIS003" not in codes(lint_data(tmp_path, data))


def test_one_refusal_finding_per_sentence(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("USB sticks are not allowed for security reasons. VPNs are against policy.")(data)
    found = [f.message for f in lint_data(tmp_path, data).findings if f.code == "ANS001"]
    assert found == [
        "'not allowed' refuses without a reason in plain words",
        "'against policy' refuses without a reason in plain words",
    ]


# -- long and hostile texts: the same findings, at the right words ---------------------------


def _plan_with_block_body(tmp_path: Path, body: str) -> Path:
    """The base plan with the first message's body written as a `|` block, line for line."""
    import yaml

    data = base_plan()
    message(data)["body"] = "PLACEHOLDER"
    block = "".join(f"\n      {line}" for line in body.splitlines())
    text = yaml.safe_dump(data, sort_keys=False).replace("body: PLACEHOLDER", "body: |" + block)
    plan = tmp_path / "block.yaml"
    plan.write_text(text, encoding="utf-8")
    return plan


def _located_words(plan: Path, code: str) -> list[str]:
    """For each finding of ``code``, the file text from its line and column onwards."""
    from itcomms.lint import lint_plan
    from itcomms.validate import load_plan

    lines = plan.read_text(encoding="utf-8").splitlines()
    report = lint_plan(load_plan(plan), today=TODAY)
    found = [f.location for f in report.findings if f.code == code]
    assert len(set(found)) == len(found), "two findings at one place"
    return [lines[loc.line - 1][loc.column - 1 :] for loc in found]


@pytest.mark.parametrize("style", ["block", "quoted"])
def test_every_repeated_refusal_is_found_at_its_own_words(tmp_path: Path, style: str) -> None:
    body = "That is not allowed. " * 400
    if style == "block":
        plan = _plan_with_block_body(tmp_path, body)
    else:  # yaml.safe_dump folds the long value over many lines of a quoted scalar
        data = base_plan()
        message(data)["body"] = body
        plan = write(tmp_path, data)
    at = _located_words(plan, "ANS001")
    assert len(at) == 400
    assert all(text.startswith("not") for text in at)


def test_findings_of_several_rules_in_one_long_body_point_at_their_words(tmp_path: Path) -> None:
    plan = _plan_with_block_body(tmp_path, "Users say we migrated the ERP to SSO. " * 300)
    migrated = _located_words(plan, "BIZ001")
    users = _located_words(plan, "BIZ004")
    assert len(migrated) == len(users) == 300
    assert all(text.startswith("migrated the ERP") for text in migrated)
    assert all(text.startswith("Users say") for text in users)
    erp, sso = _located_words(plan, "BIZ003")  # the first of each term only
    assert erp.startswith("ERP to SSO. Users say")
    assert sso.startswith("SSO. Users say")


def test_refusals_in_one_long_sentence_share_its_reason(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("USB sticks are not allowed, " * 300 + "because one infected stick stops a depot.")(
        data
    )
    assert "ANS001" not in codes(lint_data(tmp_path, data))
    _set_body("USB sticks are not allowed, " * 300 + "and that is final.")(data)
    assert codes(lint_data(tmp_path, data)).count("ANS001") == 1  # one per sentence


def test_a_long_run_of_digits_before_uptime(tmp_path: Path) -> None:
    data = base_plan()
    _set_body("7" * 300 + "% uptime, and " + "9" * 3000 + " uptime.")(data)
    found = [f.message for f in lint_data(tmp_path, data).findings if f.code == "BIZ001"]
    assert found == [
        f"{'7' * 300 + '% uptime'!r} describes IT activity, not business value",
        "'uptime' describes IT activity, not business value",
    ]


def _reference_plain_text(markdown: str) -> str:
    """plain_text as it was with backtracking regexes: right, but quadratic on long runs."""
    import re

    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\b(?:https?://|mailto:)\S+", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"<[^>\n]*>", "", text)
    markup = r"(?m)^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)"
    return re.sub(markup, "", text).translate(str.maketrans("", "", "*_`~"))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 3000 + "](x",
        "[](" * 1000,
        "<" * 3000,
        "<" * 3000 + "\n<b>bold</b> a < b",
        "See ![the map](map.png) and [the guide](https://x.example/a) [not a link] (x).",
        "[a [b](c)] ![!](d) !![e](f) [g]\n(h) [i](j\n)",
    ],
)
def test_plain_text_drops_links_and_tags_as_before(text: str) -> None:
    from itcomms.lint.text import plain_text

    assert plain_text(text) == _reference_plain_text(text)


def test_plain_text_matches_the_reference_on_random_markup() -> None:
    import random

    from itcomms.lint.text import plain_text

    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice("[]()!<>x \n") for _ in range(rng.randint(0, 30)))
        assert plain_text(text) == _reference_plain_text(text), text


@pytest.mark.parametrize(
    ("body", "flagged"),
    [
        ("The new tills make the morning count comfier.", True),  # a comparative no list holds
        ("Ordering stock is tidier now.", True),
        ("Older laptops go back to the depot.", False),  # size, age and time claim no gain
        ("The tills open later on Sundays.", False),
        ("Ordering stock is tidier now: 4 screens instead of 9.", False),  # sized
        ("Our supplier and the cashier both use the new app.", False),  # nouns in -er
    ],
)
def test_vague_value_knows_comparatives_by_their_form(
    tmp_path: Path, body: str, flagged: bool
) -> None:
    data = base_plan()
    _set_body(body)(data)
    found = [f.message for f in lint_data(tmp_path, data).findings if f.code == "BIZ006"]
    assert bool(found) is flagged, found


@pytest.fixture
def patterns_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The rules with the reader silent: it adds no sentence and clears no pattern hit."""
    shipped = reader.weights()
    silent = Weights(shipped.families, shipped.bias, shipped.words, threshold=2.0, gate=0.0)
    monkeypatch.setattr(reader, "weights", lambda: silent)
    reader.read.cache_clear()
    yield
    reader.read.cache_clear()


@pytest.mark.parametrize(
    ("body", "code", "flagged"),
    [
        ("Second monitors for reception? Not happening.", "ANS001", True),
        # a left single quote typed as the apostrophe reads as one
        ("Sorry, we can\u2018t give you access to the shared drive.", "ANS001", True),
        ("Contractors don\u2018t get e-mail accounts.", "ANS001", True),
        ("Personal printers: no.", "ANS001", True),
        ("No iPads in the warehouse.", "ANS001", True),
        ("No stores closed during the switch.", "ANS001", False),  # a verb: news, not a ban
        ("Sorry, but that laptop model is not one we buy.", "ANS001", True),
        ("The extension has not been approved.", "ANS001", True),
        ("Students can no longer print in colour.", "ANS001", True),
        ("The finance team no longer re-keys invoices, saving 60 hours a month.", "ANS001", False),
        ("Please don't install browser add-ons.", "BIZ001", False),  # work not done
        ("The decision to replace the phone system was made in March.", "BIZ001", False),
        (
            "The VPN, the secure link that lets you reach files from home, is faster.",
            "BIZ003",
            False,
        ),
        ("The CMDB, which cuts repair times, is now complete.", "BIZ003", True),
        # an everyday word in capitals is not an acronym; an unknown one still is
        ("CASHIER TRAINING starts EARLIER on Monday.", "BIZ003", False),
        ("The new WXYZQ gateway goes in on Monday.", "BIZ003", True),
    ],
)
def test_later_rounds_shapes(
    tmp_path: Path, body: str, code: str, flagged: bool, patterns_only: None
) -> None:
    """Shapes the blind rounds 14 and 15 found (docs/lint.md), each a family, not a sentence:
    what the patterns make of them. (The reader, which weighs words, reads "No stores closed
    during the switch" as a refusal and the phone-system decision as IT activity: among the
    false alarms the corpus test counts.)"""
    data = base_plan()
    _set_body(body)(data)
    assert (code in codes(lint_data(tmp_path, data))) is flagged
