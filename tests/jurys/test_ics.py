"""Convocation invitations follow RFC 5545: CRLF, 75-octet folding, escaped text, UTC times."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from parchemin.jurys.ics import Evenement, calendrier, echapper, plier

PARIS_ETE = datetime.timezone(datetime.timedelta(hours=2))


def _evenement(**champs: object) -> Evenement:
    valeurs: dict[str, object] = {
        "uid": "session-jury-12@parchemin.example",
        "debut": datetime.datetime(2026, 6, 15, 9, 30, tzinfo=PARIS_ETE),
        "fin": datetime.datetime(2026, 6, 15, 13, 30, tzinfo=PARIS_ETE),
        "resume": "Jury RS5142 — session de juin",
    }
    valeurs.update(champs)
    return Evenement(**valeurs)  # type: ignore[arg-type]


def test_invitation_has_one_event_with_uid_stamp_and_utc_times() -> None:
    ics = calendrier(_evenement(), maintenant=datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)).decode()
    lignes = ics.split("\r\n")
    assert lignes[0] == "BEGIN:VCALENDAR" and lignes[-2] == "END:VCALENDAR" and lignes[-1] == ""
    assert ics.count("BEGIN:VEVENT") == 1
    assert "UID:session-jury-12@parchemin.example" in lignes
    assert "DTSTAMP:20260501T080000Z" in lignes
    assert "DTSTART:20260615T073000Z" in lignes
    assert "DTEND:20260615T113000Z" in lignes
    assert "\n" not in ics.replace("\r\n", "")


def test_text_values_are_escaped() -> None:
    assert echapper("Salle 2, étage 1; accès\\badge\nporte B") == "Salle 2\\, étage 1\\; accès\\\\badge\\nporte B"


@given(st.text(min_size=0, max_size=400))
def test_folded_lines_are_at_most_75_octets_and_unfold_to_the_original(texte: str) -> None:
    ligne = "DESCRIPTION:" + echapper(texte.replace("\r", ""))
    pliee = plier(ligne)
    for morceau in pliee.split("\r\n"):
        assert len(morceau.encode("utf-8")) <= 75
    assert pliee.replace("\r\n ", "") == ligne
