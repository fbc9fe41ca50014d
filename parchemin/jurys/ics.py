"""iCalendar (RFC 5545) invitations for jury convocations, written by hand: one VEVENT per file.

Times are written in UTC (``...Z``) so that no VTIMEZONE block is needed; calendars show them in the
reader's zone. Lines end with CRLF and are folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

PRODID = "-//Parchemin//Jurys//FR"
LONGUEUR_LIGNE = 75


def echapper(texte: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        texte.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def plier(ligne: str) -> str:
    """Fold a content line into chunks of at most 75 octets; continuation lines start with a space."""
    morceaux: list[str] = []
    courant = ""
    taille = 0
    for caractere in ligne:
        octets = len(caractere.encode("utf-8"))
        if taille + octets > LONGUEUR_LIGNE:
            morceaux.append(courant)
            courant, taille = " ", 1
        courant += caractere
        taille += octets
    morceaux.append(courant)
    return "\r\n".join(morceaux)


def horodatage_utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Evenement:
    uid: str
    debut: datetime.datetime
    fin: datetime.datetime
    resume: str
    description: str = ""
    lieu: str = ""
    url: str = ""
    organisateur: str = ""
    sequence: int = 0


def calendrier(evenement: Evenement, *, maintenant: datetime.datetime) -> bytes:
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{evenement.uid}",
        f"DTSTAMP:{horodatage_utc(maintenant)}",
        f"DTSTART:{horodatage_utc(evenement.debut)}",
        f"DTEND:{horodatage_utc(evenement.fin)}",
        f"SEQUENCE:{evenement.sequence}",
        f"SUMMARY:{echapper(evenement.resume)}",
    ]
    if evenement.description:
        lignes.append(f"DESCRIPTION:{echapper(evenement.description)}")
    if evenement.lieu:
        lignes.append(f"LOCATION:{echapper(evenement.lieu)}")
    if evenement.url:
        lignes.append(f"URL:{evenement.url}")
    if evenement.organisateur:
        lignes.append(f"ORGANIZER:mailto:{evenement.organisateur}")
    lignes += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(plier(ligne) + "\r\n" for ligne in lignes).encode("utf-8")
