"""The communications plan, as typed data. Every other module works on these models.

Field names are the YAML keys a plan author writes, so error messages and the JSON Schema
speak the author's language.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from .fields import (
    COLOR_REGEX,
    DATE_REGEX,
    EMAIL_REGEX,
    FLAG_REGEX,
    HOST_REGEX,
    ID_REGEX,
    LINE_BREAKS,
    NOT_BLANK_REGEX,
    ONE_LINE_REGEX,
    SPACES,
    URL_REGEX,
    Color,
    EditorNumber,
    Email,
    EmailList,
    Flag,
    Host,
    Id,
    IdList,
    JsonPattern,
    LocalFile,
    Matches,
    Name,
    Number,
    OneLine,
    PixelSize,
    PlanDate,
    Strict,
    Text,
    TextList,
    Url,
    schema_pattern,
)
from .locales import LocaleTag
from .measure_model import Better, Measure, MeasureImport, MeasureSettings
from .workdays_model import Blackout, Holidays, Period, Shift, Workweek

if TYPE_CHECKING:
    from .workdays import WorkCalendar

# The field rules are re-exported: `from itcomms.model import Email` works as before.
__all__ = [
    "COLOR_REGEX",
    "DATE_REGEX",
    "EMAIL_REGEX",
    "FLAG_REGEX",
    "HOST_REGEX",
    "ID_REGEX",
    "LINE_BREAKS",
    "NOT_BLANK_REGEX",
    "ONE_LINE_REGEX",
    "POSITION_PAPER_WORDS",
    "SPACES",
    "URL_REGEX",
    "Audience",
    "Better",
    "Channel",
    "ChannelKind",
    "Color",
    "Commitment",
    "Detail",
    "EditorNumber",
    "Email",
    "EmailList",
    "Flag",
    "Host",
    "Id",
    "IdList",
    "Influence",
    "JsonPattern",
    "LintSettings",
    "Matches",
    "Measure",
    "MeasureImport",
    "MeasureSettings",
    "Message",
    "Name",
    "Number",
    "OneLine",
    "Organization",
    "Owner",
    "Plan",
    "PlanDate",
    "Purpose",
    "Readability",
    "Settings",
    "SmtpSettings",
    "Stakeholder",
    "Strict",
    "Text",
    "TextList",
    "Url",
    "WordRange",
    "plan_json_schema",
    "schema_pattern",
]


class Detail(StrEnum):
    """How much an audience wants to read."""

    summary = "summary"
    standard = "standard"
    detailed = "detailed"


class Influence(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class ChannelKind(StrEnum):
    bulletin = "bulletin"
    newsletter = "newsletter"
    position_paper = "position-paper"
    executive_brief = "executive-brief"
    briefing = "briefing"
    town_hall = "town-hall"
    intranet_post = "intranet-post"
    other = "other"


class Organization(Strict):
    """Who IT serves and how IT presents itself: the brand carried by every document."""

    name: Name = Field(description="The organization IT serves, e.g. 'Northwind Foods'.")
    it_name: Name = Field(
        "IT", description="What the business calls IT, e.g. 'Northwind Digital Services'."
    )
    mission: OneLine | None = Field(None, description="IT's mission, one line a colleague gets.")
    tagline: OneLine | None = Field(None, description="A short slogan shown under the brand.")
    accent_color: Color = Field("#1F5FAD", description="Brand colour for documents, as hex.")
    logo_url: Url | None = Field(None, description="Logo image for documents (http/https).")
    logo_file: LocalFile | None = Field(None, description="Local logo (PNG/JPEG/GIF), embedded.")
    logo_size: PixelSize | None = Field(None, description="logo_url's size in pixels, '360x80'.")
    feedback_url: Url | None = Field(
        None, description="Where anyone can tell IT what they think; linked in every issue."
    )
    from_email: Email | None = Field(None, description="Sender address for e-mailed editions.")
    service_desk_email: Email | None = Field(
        None, description="The service desk's address, for `brief --for-service-desk`."
    )


class Purpose(Strict):
    """Like any project plan: the problem it addresses and what it aims for."""

    problem: Text = Field(description="What goes wrong today because the business doesn't hear.")
    goals: TextList = Field(default_factory=list, description="What success looks like.")


class Owner(Strict):
    """A person in IT accountable for pieces of the plan."""

    id: Id
    name: Name
    email: Email | None = None
    role: OneLine | None = None
    away: list[Period] = Field(default_factory=list, description="Time off: drafts due earlier.")


class Readability(Strict):
    """Readability thresholds for text aimed at an audience."""

    min_reading_ease: Annotated[float, Number(-100, 121, whole=False)] | None = Field(
        None, description="Lowest Flesch reading ease allowed (higher is easier)."
    )
    max_grade: Annotated[float, Number(0, 30, whole=False)] | None = Field(
        None, description="Highest grade level allowed."
    )


class Audience(Strict):
    """A segment of the business with its own values, detail level and channels."""

    id: Id
    name: Name
    description: Text | None = None
    values: TextList = Field(
        default_factory=list, description="The criteria this audience judges IT by."
    )
    detail: Detail = Field(Detail.standard, description="summary, standard or detailed.")
    metrics: TextList = Field(
        default_factory=list,
        description="The few headline measures that matter to them, by measure id (or name).",
    )
    channels: IdList = Field(default_factory=list, description="Channel ids this audience reads.")
    distribution: EmailList = Field(
        default_factory=list, description="Distribution address(es) for e-mailed editions."
    )
    feedback_url: Url | None = Field(None, description="Overrides the organization's link.")
    it_audience: Flag = Field(
        False, description="True for technical audiences (superusers), where IT terms are fine."
    )
    readability: Readability | None = None
    value_label: OneLine | None = Field(
        None,
        description="Label before a business value (default 'What it means for the business').",
    )


class LinkStrength(StrEnum):
    strong = "strong"
    weak = "weak"


class Link(Strict):
    """A working tie between two business stakeholders (who works closely with whom)."""

    to: Id = Field(description="The other stakeholder's id.")
    strength: LinkStrength = Field(LinkStrength.weak, description="strong or weak.")


class Stakeholder(Strict):
    """A named business person IT keeps a relationship with."""

    id: Id
    name: Name
    title: OneLine | None = None
    audience: Id
    email: Email | None = None
    goals: TextList = Field(default_factory=list, description="What they need to achieve.")
    influence: Influence = Influence.medium
    relationship_owner: Id | None = Field(None, description="Owner id of IT's contact person.")
    champion: Flag = Field(False, description="Advocates IT's message to colleagues.")
    links: list[Link] = Field(
        default_factory=list, description="Business stakeholders they work closely with (map)."
    )


class WordRange(Strict):
    min: Annotated[int, Number(0)]
    max: Annotated[int, Number(1)]

    @model_validator(mode="after")
    def _ordered(self) -> WordRange:
        if self.min > self.max:
            raise ValueError("min must not exceed max")
        return self


POSITION_PAPER_WORDS = WordRange(min=200, max=300)


class Approval(Strict):
    """Who must sign an edition off before it is sent, and how long before it goes out."""

    by: Annotated[IdList, Field(min_length=1)] = Field(
        description="Owner ids; every one of them approves (itcomms approve) before send.",
        json_schema_extra={"minItems": 1},  # said here too: pydantic before 2.12 leaves it out
    )
    days_before: Annotated[int, Number(0, 365)] = Field(
        0,
        description="Working days before publication the approval is due (weekends, holidays"
        " and the approver's time off move it earlier, as they move a draft).",
    )


HTTPS_URL_REGEX = (
    f"[{LINE_BREAKS}{SPACES}]*[Hh][Tt][Tt][Pp][Ss]://"
    f'[^{LINE_BREAKS}{SPACES}<>",]{{1,66}}[{LINE_BREAKS}{SPACES}]*'
)
"""At most 74 characters: in angle brackets, with a comma, it fits on one header line."""
HttpsUrl = Annotated[
    str,
    Matches(
        HTTPS_URL_REGEX,
        "an unsubscribe link must start with https://, be at most 74 characters (one e-mail "
        "header line) and hold no spaces, commas, quotes or angle brackets",
    ),
    AfterValidator(str.strip),
]


class Channel(Strict):
    """A way IT reaches the business, on a cadence, owned by someone."""

    id: Id
    name: Name
    kind: ChannelKind
    owner: Id | None = None
    audiences: IdList = Field(default_factory=list, description="Audiences reached by default.")
    cadence: OneLine | None = Field(
        None,
        description="weekly, biweekly, monthly, quarterly, or an RFC 5545 rule such as "
        "'FREQ=MONTHLY;BYDAY=1TU'. Leave out for channels without editions.",
    )
    cadence_start: PlanDate | None = Field(
        None, description="First edition date; defaults to the plan's start."
    )
    lead_time_days: Annotated[int, Number(0, 365)] = Field(
        3, description="Working days between the draft being due and publication."
    )
    template: OneLine | None = Field(None, description="Template file name to render with.")
    on_holiday: Shift | None = Field(
        None, description="next, previous or skip an edition on a non-working day; kept if unset."
    )
    on_blackout: Shift = Field(Shift.skip, description="next, previous or skip (the default).")
    words: WordRange | None = Field(
        None, description="Word range per message; position papers default to 200-300."
    )
    approval: Approval | None = Field(
        None, description="Sign-off every edition needs before `send` mails it."
    )
    opt_in: Flag | None = Field(
        None,
        description="Sent only to those who asked (position papers by default): its e-mails "
        "carry List-Unsubscribe, a mailto to the comms lead.",
    )
    unsubscribe_url: HttpsUrl | None = Field(
        None,
        description="An https page that unsubscribes in one click (RFC 8058); makes the "
        "channel opt-in unless opt_in is false.",
    )

    @property
    def is_opt_in(self) -> bool:
        """Opt-in as the plan says, else when it has an unsubscribe link or is a position-paper
        channel."""
        if self.opt_in is not None:
            return self.opt_in
        return self.unsubscribe_url is not None or self.kind is ChannelKind.position_paper

    @property
    def word_range(self) -> WordRange | None:
        if self.words is not None:
            return self.words
        return POSITION_PAPER_WORDS if self.kind is ChannelKind.position_paper else None


class Faq(Strict):
    """A question people will likely ask about a message, and its plain answer."""

    q: OneLine = Field(description="The question, as a colleague would ask it.")
    a: Text = Field(description="The answer in plain words.")


class Message(Strict):
    """Something IT will tell the business, through a channel, by a date."""

    id: Id
    title: Name
    channel: Id
    audiences: IdList = Field(default_factory=list, description="Defaults to the channel's.")
    owner: Id | None = Field(None, description="Defaults to the channel's owner.")
    publish: PlanDate | None = Field(
        None, description="Publication date; leave out to go in the channel's next edition."
    )
    business_value: Text | None = Field(
        None, description="What this means for the business: cost, customers, time, risk."
    )
    body: Text = Field("", description="The message in Markdown.")
    answers_feedback: IdList = Field(
        default_factory=list, description="Feedback ids this message answers (you said, we did)."
    )
    lint_ignore: IdList = Field(
        default_factory=list, description="Lint codes silenced for this message."
    )
    approval: Approval | None = Field(
        None, description="Sign-off the edition holding this message needs before `send`."
    )
    faq: list[Faq] = Field(
        default_factory=list,
        description="Likely questions and plain answers, for the service desk's brief.",
    )


class Commitment(Strict):
    """A promise made in writing to a stakeholder."""

    id: Id
    what: Text
    stakeholder: Id
    owner: Id | None = None
    due: PlanDate | None = None
    made: PlanDate | None = None


class LintSettings(Strict):
    select: IdList = Field(default_factory=list)
    ignore: IdList = Field(default_factory=list)
    jargon_add: TextList = Field(default_factory=list, description="Extra terms to flag.")
    jargon_allow: TextList = Field(default_factory=list, description="Terms never to flag.")
    synonyms: TextList = Field(
        default_factory=list,
        description="Groups of words that mean the same to this business, one group per "
        "entry, comma-separated (BIZ007): 'margin, profit, cost per case'.",
    )
    max_deadlines_per_week: Annotated[int, Number(1)] = 5
    coverage_weeks: Annotated[int, Number(1, 104)] = 8
    touchpoint_weeks: Annotated[int, Number(1, 104)] = 6


class SmtpSettings(Strict):
    host: Host | None = Field(
        None,
        description="The SMTP server: a host name (smtp.example.com, localhost) or an IP "
        "address (192.0.2.25, ::1); the port is `port`, never written as host:port.",
    )
    port: Annotated[int, Number(1, 65535)] = 587
    starttls: Flag = True
    user: OneLine | None = None


class FeedbackImport(Strict):
    """A survey export's layout, named so `itcomms feedback import PLAN FILE --mapping NAME` is
    the whole command: the CSV column holding each field (matched ignoring case), and how to
    read the file. Command-line column flags override it."""

    score: Name | None = Field(None, description="Column with the score, 1-5 (default: score).")
    comment: Name | None = Field(None, description="Column with the comment (default: comment).")
    date: Name | None = Field(None, description="Column with the date (default: date).")
    audience: Name | None = Field(
        None, description="Column with the audience, by id or name (default: audience)."
    )
    stakeholder: Name | None = Field(
        None, description="Column with a stakeholder, by id or name (default: stakeholder)."
    )
    message: Name | None = Field(None, description="Column with a message id (default: message).")
    response_id: Name | None = Field(
        None, description="Column with the survey's response id (default: response_id)."
    )
    date_format: OneLine | None = Field(
        None, description="strptime format of the dates, e.g. '%d/%m/%Y' (default: ISO 8601)."
    )
    encoding: OneLine | None = Field(
        None, description="The file's encoding (default: UTF-8, or as its byte-order mark says)."
    )
    delimiter: Annotated[str, Matches(f'[^{LINE_BREAKS}"]', "one character, e.g. ';'")] | None = (
        Field(None, description="Field delimiter, one character (default: ',').")
    )


class FeedbackSettings(Strict):
    imports: dict[Id, FeedbackImport] = Field(
        default_factory=dict,
        description="Named survey-export layouts for `feedback import --mapping NAME`.",
        json_schema_extra={"additionalProperties": False},  # a name that is not an id
    )


class Settings(Strict):
    templates: OneLine | None = Field(
        None, description="Folder of templates overriding the defaults, relative to the plan."
    )
    lint: LintSettings = Field(default_factory=LintSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)
    measures: MeasureSettings = Field(default_factory=MeasureSettings)
    workweek: Workweek = Field(
        ["mon", "tue", "wed", "thu", "fri"], description="The days people work on."
    )
    holidays: Holidays | None = Field(None, description="Days off besides the weekend.")
    strict_dates: Flag = Field(
        False,
        description="A message's publish date that is not an edition date of its channel is an "
        "error (a warning otherwise).",
    )


class Plan(Strict):
    """A whole communications plan."""

    version: Annotated[int, Number(1, 1)] = Field(1, description="Plan format version.")
    organization: Organization
    comms_lead: Id | None = Field(None, description="Owner id of whoever leads IT's comms.")
    start: PlanDate = Field(description="The date the plan starts.")
    timezone: OneLine = Field("UTC", description="IANA time zone, e.g. 'Europe/London'.")
    purpose: Purpose | None = None
    owners: list[Owner] = Field(default_factory=list)
    audiences: list[Audience] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    commitments: list[Commitment] = Field(default_factory=list)
    blackouts: list[Blackout] = Field(default_factory=list)
    measures: list[Measure] = Field(
        default_factory=list, description="The figures audiences asked IT to report on."
    )
    settings: Settings = Field(default_factory=Settings)
    locale: LocaleTag | None = Field(
        None, description="Readers' dates, numbers and lists: 'en-US' (March 2, 2027), 'de-DE'..."
    )

    # -- lookups used by every command ------------------------------------------------------
    @cached_property
    def owners_by_id(self) -> dict[str, Owner]:
        return {o.id: o for o in self.owners}

    @cached_property
    def audiences_by_id(self) -> dict[str, Audience]:
        return {a.id: a for a in self.audiences}

    @cached_property
    def channels_by_id(self) -> dict[str, Channel]:
        return {c.id: c for c in self.channels}

    @cached_property
    def stakeholders_by_id(self) -> dict[str, Stakeholder]:
        return {s.id: s for s in self.stakeholders}

    @cached_property
    def measures_by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    def message_audiences(self, message: Message) -> list[str]:
        """A message's audiences, falling back to its channel's."""
        if message.audiences:
            return list(message.audiences)
        channel = self.channels_by_id.get(message.channel)
        return list(channel.audiences) if channel else []

    @cached_property
    def work_calendar(self) -> WorkCalendar:
        """Working days, holidays, time off and blackouts, built once per plan."""
        from .workdays import WorkCalendar

        return WorkCalendar.of(self)

    def message_owner(self, message: Message) -> str | None:
        """A message's owner, falling back to its channel's."""
        if message.owner:
            return message.owner
        channel = self.channels_by_id.get(message.channel)
        return channel.owner if channel else None


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema editors use to complete and check a plan."""
    schema = Plan.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://itcomms.dev/schema/plan-v1.json"
    schema["title"] = "itcomms communications plan"
    return schema
