"""Factories of the accounts domain."""

from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress

from parchemin.comptes.models import User

MOT_DE_PASSE = "mot-de-passe-de-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who completed sign-up: password set, e-mail address verified."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        self.set_password(extracted or MOT_DE_PASSE)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def adresse_verifiee(self, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
