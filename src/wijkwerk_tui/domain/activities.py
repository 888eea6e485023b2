"""Vocabularies for contacts, goals and workers."""

from __future__ import annotations

CONTACT_KINDS: dict[str, str] = {
    "walk_in": "inloop",
    "home_visit": "huisbezoek",
    "phone": "telefoon",
    "activity": "activiteit",
    "outreach": "erop af",
}

GOAL_CONTRIBUTORS: dict[str, str] = {
    "resident": "inwoner",
    "network": "netwerk",
    "volunteer": "vrijwilliger",
    "professional": "professional",
}

GOAL_STATUSES: dict[str, str] = {
    "open": "loopt",
    "achieved": "behaald",
    "partly": "deels behaald",
    "not_achieved": "niet behaald",
    "dropped": "vervallen",
}

ROLES: dict[str, str] = {
    "worker": "medewerker",
    "coordinator": "coördinator",
}
