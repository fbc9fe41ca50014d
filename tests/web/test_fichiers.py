"""reponse_fichier: every file the site hands out is an attachment, and only open data may be cached."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from parchemin.web.commun.fichiers import TYPE_CSV, reponse_fichier


def test_a_download_is_an_attachment_under_its_name_and_never_cached() -> None:
    reponse = reponse_fichier("a;b\n", "candidatures-2025-01-31.csv", TYPE_CSV)
    assert reponse["Content-Type"] == TYPE_CSV
    assert reponse["Content-Disposition"] == 'attachment; filename="candidatures-2025-01-31.csv"'
    assert reponse["Cache-Control"] == "private, no-store"
    assert reponse.content == b"a;b\n"


def test_open_data_may_be_kept_by_shared_caches() -> None:
    reponse = reponse_fichier("a;b\n", "resultats.csv", TYPE_CSV, prive=False)
    assert reponse["Cache-Control"] == "public, max-age=3600"
    assert reponse["Content-Disposition"].startswith("attachment")


def test_a_name_with_accents_is_sent_encoded_not_mangled() -> None:
    reponse = reponse_fichier(b"%PDF", "attestation Hélène.pdf", "application/pdf")
    assert reponse["Content-Disposition"] == "attachment; filename*=utf-8''attestation%20H%C3%A9l%C3%A8ne.pdf"


@given(st.text(max_size=80))
@example("\n")  # found by this test in a full run: Django refused the header (BadHeaderError, a 500)
@example("relevé\r\nSet-Cookie: x=1.pdf")
def test_whatever_name_was_uploaded_the_file_is_never_shown_inline(nom: str) -> None:
    disposition = reponse_fichier(b"x", nom, "application/pdf")["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "\n" not in disposition and "\r" not in disposition
