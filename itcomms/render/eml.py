"""What an edition's .eml needs from the plan: a sender, header values that can go in an
e-mail, the recipients and a Message-ID; each problem located in the plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import Location, PlanError, Problem, ProblemCode
from ..model import Audience, Message, Plan
from .documents import Edition, slug

if TYPE_CHECKING:
    from email.headerregistry import Address


def sender_address(plan: Plan, locate: Callable[..., Location]) -> Address:
    """The From address: organization.from_email, else the comms lead's e-mail."""
    from ..mail import check_header_value, parse_address

    org = plan.organization
    try:  # the From display name: a problem in it is at it_name, not at the address
        check_header_value("organization.it_name (the From display name)", org.it_name)
    except ValueError as exc:
        where = locate("organization", "it_name")
        raise PlanError([Problem(where, str(exc))]) from None
    lead = plan.owners_by_id.get(plan.comms_lead or "")
    if org.from_email:
        address, loc = org.from_email, locate("organization", "from_email")
    elif lead is not None and lead.email:
        index = plan.owners.index(lead)
        address, loc = lead.email, locate("owners", index, "email")
    else:
        raise PlanError(
            [
                Problem(
                    locate("organization"),
                    "e-mail needs a sender: set organization.from_email "
                    "(or an e-mail for the comms lead)",
                    ProblemCode.NO_SENDER,
                )
            ]
        )
    try:
        return parse_address(address, org.it_name, field="From")
    except ValueError as exc:
        raise PlanError([Problem(loc, str(exc))]) from None


def check_edition_headers(
    plan: Plan,
    edition: Edition,
    locate: Callable[..., Location],
    message_location: Callable[[Message, str], Location],
) -> None:
    """The channel name and a position paper's title go in the Subject: no CR/LF in them."""
    from ..mail import check_header_value

    channel_index = plan.channels.index(edition.channel)
    try:
        check_header_value("the channel name", edition.channel.name)
    except ValueError as exc:
        raise PlanError([Problem(locate("channels", channel_index, "name"), str(exc))]) from None
    if edition.paper is not None:
        try:
            check_header_value("the message title", edition.paper.title)
        except ValueError as exc:
            loc = message_location(edition.paper, "title")
            raise PlanError([Problem(loc, str(exc))]) from None


def recipients(plan: Plan, audience: Audience, locate: Callable[..., Location]) -> list[Address]:
    from ..mail import parse_address

    audience_index = plan.audiences.index(audience)
    recipients = []
    for number, address in enumerate(audience.distribution):
        try:
            recipients.append(parse_address(address, field="To"))
        except ValueError as exc:
            loc = locate("audiences", audience_index, "distribution", number)
            raise PlanError([Problem(loc, str(exc))]) from None
    return recipients


def _edition_message_id(edition: Edition, audience: Audience, sender: Address) -> str:
    parts = [slug(edition.channel.id), edition.date.isoformat(), slug(audience.id)]
    if edition.paper is not None:
        parts.append(slug(edition.paper.id))
    return f"{'.'.join(parts)}@{sender.domain}"


def list_headers(
    plan: Plan, edition: Edition, audience: Audience, sender: Address
) -> list[tuple[str, str]]:
    """The list etiquette headers of an edition's e-mail: ``List-Id`` (RFC 2919) for every
    channel; for an opt-in channel ``List-Unsubscribe`` (RFC 2369), a mailto to the comms lead
    (else the sender) whose subject says what to do, plus the plan's https link and
    ``List-Unsubscribe-Post`` (RFC 8058) when it gives one; ``Precedence: bulk`` and
    ``Auto-Submitted: auto-generated`` so out-of-office replies stay away."""
    channel = edition.channel
    label = f"{slug(channel.id).lower()}.{sender.domain}"
    name = channel.name.replace("\\", "\\\\").replace('"', '\\"')
    list_id = f'"{name}" <{label}>' if channel.name.isascii() else f"<{label}>"
    headers = [("List-Id", list_id)]
    if channel.is_opt_in:
        lead = plan.owners_by_id.get(plan.comms_lead or "")
        to = lead.email if lead is not None and lead.email else sender.addr_spec
        links = [_unsubscribe_mailto(to, channel.id, audience.id)]
        if channel.unsubscribe_url:
            links.insert(0, f"<{channel.unsubscribe_url}>")
        headers.append(("List-Unsubscribe", ", ".join(links)))
        if channel.unsubscribe_url:
            headers.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
    headers += [("Precedence", "bulk"), ("Auto-Submitted", "auto-generated")]
    return headers


def _unsubscribe_mailto(to: str, channel: str, audience: str) -> str:
    """``<mailto:LEAD?subject=unsubscribe%20CHANNEL%20AUDIENCE>``, the subject shortened until
    the link fits on one header line (a longer one would be sent as an encoded word, which mail
    programs do not read as a link)."""
    from urllib.parse import quote

    for words in (f"unsubscribe {channel} {audience}", f"unsubscribe {channel}", "unsubscribe"):
        link = f"<mailto:{to}?subject={quote(words, safe='')}>"
        if len(link) <= MAX_LINK:
            break
    return link


MAX_LINK = 76
"""The longest ``<link>`` that the e-mail package keeps on one folded header line."""
