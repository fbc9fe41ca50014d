"""Back-office of the certificateur's staff."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from parchemin.referentiel.models import Certification


@staff_member_required
def tableau_de_bord(request: HttpRequest) -> HttpResponse:
    certifications = Certification.objects.select_related("certificateur").order_by("code")
    return render(request, "backoffice/tableau_de_bord.html", {"certifications": certifications})
