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


def _sender_address(plan: Plan, locate: Callable[..., Location]) -> Address:
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


def _check_edition_headers(
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


def _recipients(plan: Plan, audience: Audience, locate: Callable[..., Location]) -> list[Address]:
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
