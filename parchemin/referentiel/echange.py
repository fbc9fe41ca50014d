"""JSON exchange of a whole référentiel: validate, import (idempotent), export.

The format is documented in docs/referentiel-format.md. An import is checked whole before anything
is written: every problem is reported with its location, in French, and a refused document leaves
the database untouched. Importing the same document twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from parchemin.erreurs import ErreurMetier
from parchemin.identifiants import siret_valide
from parchemin.journal.services import Acteur, enregistrer

from .enums import ModaliteAccesCDC, ProfilJury, Registre, VoieAcces
from .models import (
    Certificateur,
    Certification,
    Competence,
    QuotaProfilJury,
    ReferentielVersion,
    RegleJury,
    Unite,
    VoieAccesCertification,
    stable_uuid,
)

FORMAT = "parchemin-referentiel"
FORMAT_VERSION = 1
CODE_CERTIFICATION = re.compile(r"^(RS|RNCP)[0-9]{1,6}$")
CODE_REGLE = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")
# Valid in JSON text ("\u0000", a lone "\ud800") but not storable: PostgreSQL refuses NUL, and UTF-8
# cannot encode a lone surrogate. Refused here so the import reports it instead of crashing.
CARACTERES_INTERDITS = re.compile("[\x00\ud800-\udfff]")
# The keys each object of the format may carry (docs/referentiel-format.md), in document order.
CLES_RACINE = (
    "format",
    "format_version",
    "certificateur",
    "certification",
    "version",
    "regles_jury",
    "voies_acces",
    "unites",
)
CLES_CERTIFICATEUR = (
    "raison_sociale", "nom_usage", "siret", "adresse", "code_postal", "ville", "site_web", "email_contact",
    "presentation",
)  # fmt: skip
CLES_CERTIFICATION = (
    "registre", "code", "intitule", "objectifs", "public_vise", "date_decision", "date_fin_enregistrement",
)  # fmt: skip
CLES_VERSION = ("numero", "date_effet")
CLES_REGLE = (
    "code", "intitule", "texte_publie", "membres_min", "membres_max", "pourcentage_externes_min",
    "repartition_salaries_employeurs", "quotas",
)  # fmt: skip
CLES_QUOTA = ("libelle", "profils", "nombre")
CLES_VOIE = ("voie", "autorisee", "modalite_acces_cdc", "regle_jury")
CLES_UNITE = ("code", "intitule", "competences")
CLES_COMPETENCE = ("code", "intitule", "modalites_evaluation")


@dataclass(frozen=True)
class Probleme:
    chemin: str
    message: str

    def __str__(self) -> str:
        return f"{self.chemin} : {self.message}" if self.chemin else self.message


class ReferentielInvalide(ErreurMetier):
    def __init__(self, problemes: list[Probleme]) -> None:
        self.problemes = problemes
        detail = "\n".join(f"- {p}" for p in problemes)
        super().__init__(
            f"Le référentiel est refusé ({len(problemes)} problème(s)) ; rien n'a été enregistré.\n{detail}"
        )


@dataclass
class _Validateur:
    problemes: list[Probleme] = field(default_factory=list)
    # Locations already reported as "not an object": what lies below them is not reported again.
    invalides: list[str] = field(default_factory=list)

    def erreur(self, chemin: str, message: str) -> None:
        for parent in self.invalides:
            if parent == "" or chemin.startswith((f"{parent}.", f"{parent}[")):
                return
        self.problemes.append(Probleme(chemin, message))

    def objet(self, valeur: Any, chemin: str, nom: str, cles: tuple[str, ...]) -> dict[str, Any]:
        """An object whose keys are all known: a misspelt optional field would otherwise be dropped silently."""
        if not isinstance(valeur, dict):
            self.erreur(chemin, f"{nom} doit être un objet JSON.")
            self.invalides.append(chemin)
            return {}
        for cle in valeur:
            if cle not in cles:
                ici = f"{chemin}.{cle}" if chemin else str(cle)
                self.erreur(ici, f"champ inconnu : {cle!r} (champs possibles : {', '.join(cles)}).")
        return valeur

    def liste(self, valeur: Any, chemin: str, nom: str, *, non_vide: bool = False) -> list[Any]:
        if not isinstance(valeur, list):
            self.erreur(chemin, f"{nom} doit être une liste.")
            return []
        if non_vide and not valeur:
            self.erreur(chemin, f"{nom} ne peut pas être vide.")
        return valeur

    def texte(
        self, parent: dict[str, Any], cle: str, chemin: str, nom: str, *, requis: bool = True, max_len: int = 0
    ) -> str:
        valeur = parent.get(cle)
        ici = f"{chemin}.{cle}"
        if valeur is None:
            if requis:
                self.erreur(ici, f"{nom} est obligatoire.")
            return ""
        if not isinstance(valeur, str):
            self.erreur(ici, f"{nom} doit être du texte.")
            return ""
        if CARACTERES_INTERDITS.search(valeur):
            self.erreur(ici, f"{nom} contient un caractère interdit (caractère nul ou caractère Unicode incomplet).")
            return ""
        if requis and not valeur.strip():
            self.erreur(ici, f"{nom} est vide.")
        if max_len and len(valeur) > max_len:
            self.erreur(ici, f"{nom} dépasse {max_len} caractères ({len(valeur)}).")
        return valeur.strip()

    def entier(self, parent: dict[str, Any], cle: str, chemin: str, nom: str, *, minimum: int, maximum: int) -> int:
        valeur = parent.get(cle)
        ici = f"{chemin}.{cle}"
        if isinstance(valeur, bool) or not isinstance(valeur, int):
            self.erreur(ici, f"{nom} doit être un nombre entier.")
            return minimum
        if not minimum <= valeur <= maximum:
            self.erreur(ici, f"{nom} doit être compris entre {minimum} et {maximum} (reçu : {valeur}).")
        return valeur

    def booleen(self, parent: dict[str, Any], cle: str, chemin: str, nom: str) -> bool:
        valeur = parent.get(cle)
        if not isinstance(valeur, bool):
            self.erreur(f"{chemin}.{cle}", f"{nom} doit valoir true ou false.")
            return False
        return valeur

    def date(self, parent: dict[str, Any], cle: str, chemin: str, nom: str) -> dt.date | None:
        valeur = parent.get(cle)
        if valeur is None:
            return None
        if isinstance(valeur, str):
            try:
                return dt.date.fromisoformat(valeur)
            except ValueError:
                pass
        self.erreur(f"{chemin}.{cle}", f"{nom} doit être une date AAAA-MM-JJ (reçu : {valeur!r}).")
        return None

    def choix(self, parent: dict[str, Any], cle: str, chemin: str, nom: str, valeurs: list[str]) -> str:
        valeur = parent.get(cle)
        if valeur not in valeurs:
            self.erreur(f"{chemin}.{cle}", f"{nom} inconnu : {valeur!r} (valeurs possibles : {', '.join(valeurs)}).")
            return ""
        return str(valeur)


def valider(document: Any) -> dict[str, Any]:
    """Check a whole document; return it normalised, or raise ReferentielInvalide listing every problem."""
    v = _Validateur()
    racine = v.objet(document, "", "Le document", CLES_RACINE)
    if racine:
        if racine.get("format") != FORMAT:
            v.erreur("format", f"le champ format doit valoir « {FORMAT} ».")
        if racine.get("format_version") != FORMAT_VERSION:
            v.erreur("format_version", f"seule la version {FORMAT_VERSION} du format est connue.")

    normalise: dict[str, Any] = {}
    c = v.objet(racine.get("certificateur"), "certificateur", "Le certificateur", CLES_CERTIFICATEUR)
    siret = c.get("siret")
    if siret is not None and (not isinstance(siret, str) or not siret_valide(siret)):
        v.erreur("certificateur.siret", f"SIRET invalide : {siret!r} (14 chiffres avec une clé de contrôle juste).")
    normalise["certificateur"] = {
        "raison_sociale": v.texte(c, "raison_sociale", "certificateur", "La raison sociale", max_len=200),
        "nom_usage": v.texte(c, "nom_usage", "certificateur", "Le nom d'usage", requis=False, max_len=120),
        "siret": siret if isinstance(siret, str) else None,
        "adresse": v.texte(c, "adresse", "certificateur", "L'adresse", requis=False, max_len=255),
        "code_postal": v.texte(c, "code_postal", "certificateur", "Le code postal", requis=False, max_len=5),
        "ville": v.texte(c, "ville", "certificateur", "La ville", requis=False, max_len=120),
        "site_web": v.texte(c, "site_web", "certificateur", "Le site web", requis=False, max_len=200),
        "email_contact": v.texte(c, "email_contact", "certificateur", "L'e-mail", requis=False, max_len=254),
        "presentation": v.texte(c, "presentation", "certificateur", "La présentation", requis=False),
    }

    cert = v.objet(racine.get("certification"), "certification", "La certification", CLES_CERTIFICATION)
    registre = v.choix(cert, "registre", "certification", "Registre", list(Registre.values))
    code = v.texte(cert, "code", "certification", "Le code", max_len=12)
    if code and not CODE_CERTIFICATION.fullmatch(code):
        v.erreur(
            "certification.code", f"code de certification invalide : {code!r} (attendu : RS ou RNCP suivi de chiffres)."
        )
    elif code and registre and not (code.startswith(registre) and not (registre == "RS" and code.startswith("RNCP"))):
        v.erreur("certification.code", f"le code {code} ne correspond pas au registre {registre}.")
    date_decision = v.date(cert, "date_decision", "certification", "La date de décision")
    date_fin = v.date(cert, "date_fin_enregistrement", "certification", "La date de fin d'enregistrement")
    if date_decision and date_fin and date_fin <= date_decision:
        v.erreur("certification.date_fin_enregistrement", "la fin d'enregistrement doit suivre la date de décision.")
    normalise["certification"] = {
        "registre": registre,
        "code": code,
        "intitule": v.texte(cert, "intitule", "certification", "L'intitulé", max_len=255),
        "objectifs": v.texte(cert, "objectifs", "certification", "Les objectifs", requis=False),
        "public_vise": v.texte(cert, "public_vise", "certification", "Le public visé", requis=False),
        "date_decision": date_decision,
        "date_fin_enregistrement": date_fin,
    }

    ver = v.objet(racine.get("version"), "version", "La version", CLES_VERSION)
    normalise["version"] = {
        "numero": v.entier(ver, "numero", "version", "Le numéro de version", minimum=1, maximum=999),
        "date_effet": v.date(ver, "date_effet", "version", "La date d'effet"),
    }

    normalise["regles_jury"] = _valider_regles(v, racine.get("regles_jury"))
    codes_regles = {r["code"] for r in normalise["regles_jury"]}
    normalise["voies_acces"] = _valider_voies(v, racine.get("voies_acces"), codes_regles)
    normalise["unites"] = _valider_unites(v, racine.get("unites"))

    if v.problemes:
        raise ReferentielInvalide(v.problemes)
    return normalise


def _valider_regles(v: _Validateur, valeur: Any) -> list[dict[str, Any]]:
    regles = []
    vus: set[str] = set()
    for i, brut in enumerate(v.liste(valeur, "regles_jury", "La liste des règles de jury")):
        ici = f"regles_jury[{i}]"
        r = v.objet(brut, ici, f"La règle de jury n°{i + 1}", CLES_REGLE)
        code = v.texte(r, "code", ici, "Le code de la règle", max_len=50)
        if code and not CODE_REGLE.fullmatch(code):
            v.erreur(f"{ici}.code", f"code de règle invalide : {code!r} (minuscules, chiffres et tirets).")
        if code in vus:
            v.erreur(f"{ici}.code", f"le code de règle « {code} » est en double.")
        vus.add(code)
        mini = v.entier(r, "membres_min", ici, "Le nombre minimal de membres", minimum=2, maximum=50)
        maxi = v.entier(r, "membres_max", ici, "Le nombre maximal de membres", minimum=2, maximum=50)
        if maxi < mini:
            v.erreur(f"{ici}.membres_max", "le nombre maximal de membres est inférieur au minimal.")
        quotas: list[dict[str, Any]] = []
        for j, brut_q in enumerate(v.liste(r.get("quotas", []), f"{ici}.quotas", "La liste des quotas")):
            ici_q = f"{ici}.quotas[{j}]"
            q = v.objet(brut_q, ici_q, f"Le quota n°{j + 1}", CLES_QUOTA)
            profils = v.liste(q.get("profils"), f"{ici_q}.profils", "La liste des profils", non_vide=True)
            for k, profil in enumerate(profils):
                if profil not in ProfilJury.values:
                    v.erreur(
                        f"{ici_q}.profils[{k}]",
                        f"profil de jury inconnu : {profil!r} (valeurs possibles : {', '.join(ProfilJury.values)}).",
                    )
            quotas.append(
                {
                    "libelle": v.texte(q, "libelle", ici_q, "Le libellé du quota", max_len=255),
                    "profils": list(profils),
                    "nombre": v.entier(q, "nombre", ici_q, "Le nombre de membres du quota", minimum=1, maximum=50),
                }
            )
        if sum(q["nombre"] for q in quotas) > maxi:
            v.erreur(f"{ici}.quotas", "les quotas demandent plus de membres que le nombre maximal.")
        regles.append(
            {
                "code": code,
                "intitule": v.texte(r, "intitule", ici, "L'intitulé de la règle", max_len=200),
                "texte_publie": v.texte(r, "texte_publie", ici, "La composition publiée"),
                "membres_min": mini,
                "membres_max": maxi,
                "pourcentage_externes_min": v.entier(
                    r, "pourcentage_externes_min", ici, "La part de membres extérieurs", minimum=50, maximum=100
                ),
                "repartition_salaries_employeurs": v.texte(
                    r, "repartition_salaries_employeurs", ici, "La répartition", requis=False, max_len=255
                ),
                "quotas": quotas,
            }
        )
    return regles


def _valider_voies(v: _Validateur, valeur: Any, codes_regles: set[str]) -> list[dict[str, Any]]:
    voies = []
    vues: set[str] = set()
    for i, brut in enumerate(v.liste(valeur, "voies_acces", "La liste des voies d'accès", non_vide=True)):
        ici = f"voies_acces[{i}]"
        o = v.objet(brut, ici, f"La voie d'accès n°{i + 1}", CLES_VOIE)
        voie = v.choix(o, "voie", ici, "Code de voie d'accès", list(VoieAcces.values))
        if voie and voie in vues:
            v.erreur(f"{ici}.voie", f"la voie d'accès {voie} est décrite deux fois.")
        vues.add(voie)
        autorisee = v.booleen(o, "autorisee", ici, "« autorisee »")
        regle = o.get("regle_jury")
        if regle is not None and (not isinstance(regle, str) or regle not in codes_regles):
            v.erreur(f"{ici}.regle_jury", f"règle de jury inconnue : {regle!r}.")
        if autorisee and regle is None:
            v.erreur(f"{ici}.regle_jury", "une voie autorisée doit indiquer la règle de composition de son jury.")
        voies.append(
            {
                "voie": voie,
                "autorisee": autorisee,
                "modalite_acces_cdc": v.choix(
                    o, "modalite_acces_cdc", ici, "Code modaliteAcces CDC", list(ModaliteAccesCDC.values)
                ),
                "regle_jury": regle,
            }
        )
    return voies


def _valider_unites(v: _Validateur, valeur: Any) -> list[dict[str, Any]]:
    unites = []
    codes_unites: set[str] = set()
    codes_competences: dict[str, str] = {}
    for i, brut in enumerate(v.liste(valeur, "unites", "La liste des unités", non_vide=True)):
        ici = f"unites[{i}]"
        u = v.objet(brut, ici, f"L'unité n°{i + 1}", CLES_UNITE)
        code = v.texte(u, "code", ici, "Le code de l'unité", max_len=20)
        if code and code in codes_unites:
            v.erreur(f"{ici}.code", f"le code d'unité « {code} » est en double.")
        codes_unites.add(code)
        competences = []
        brutes = v.liste(u.get("competences"), f"{ici}.competences", "La liste des compétences")
        if isinstance(u.get("competences"), list) and not brutes:
            v.erreur(f"{ici}.competences", f"l'unité « {code or i + 1} » n'a aucune compétence.")
        for j, brut_c in enumerate(brutes):
            ici_c = f"{ici}.competences[{j}]"
            comp = v.objet(brut_c, ici_c, f"La compétence n°{j + 1}", CLES_COMPETENCE)
            code_c = v.texte(comp, "code", ici_c, "Le code de la compétence", max_len=20)
            if code_c and code_c in codes_competences:
                v.erreur(
                    f"{ici_c}.code",
                    f"le code de compétence « {code_c} » est déjà utilisé ({codes_competences[code_c]}).",
                )
            elif code_c:
                codes_competences[code_c] = ici_c
            competences.append(
                {
                    "code": code_c,
                    "intitule": v.texte(comp, "intitule", ici_c, "L'intitulé de la compétence", max_len=500),
                    "modalites_evaluation": v.texte(
                        comp, "modalites_evaluation", ici_c, "Les modalités d'évaluation", requis=False
                    ),
                }
            )
        unites.append(
            {
                "code": code,
                "intitule": v.texte(u, "intitule", ici, "L'intitulé de l'unité", max_len=500),
                "competences": competences,
            }
        )
    return unites


@dataclass(frozen=True)
class ResultatImport:
    certification: Certification
    version: ReferentielVersion
    modifications: list[str]


def _upsert(model: type[Any], cles: dict[str, Any], valeurs: dict[str, Any], modifications: list[str]) -> Any:
    """Create or update a row, saving only when something differs (so a re-import writes nothing)."""
    objet = model.objects.filter(**cles).first()
    if objet is None:
        objet = model.objects.create(**cles, **valeurs)
        modifications.append(f"création : {model._meta.verbose_name} {objet}")
        return objet
    changes = [nom for nom, valeur in valeurs.items() if getattr(objet, nom) != valeur]
    if changes:
        for nom in changes:
            setattr(objet, nom, valeurs[nom])
        objet.save(update_fields=changes)
        modifications.append(f"mise à jour : {model._meta.verbose_name} {objet} ({', '.join(changes)})")
    return objet


def _contenu_version(version: ReferentielVersion) -> list[dict[str, Any]]:
    return [
        {
            "code": u.code,
            "intitule": u.intitule,
            "competences": [
                {"code": c.code, "intitule": c.intitule, "modalites_evaluation": c.modalites_evaluation}
                for c in sorted(u.competences.all(), key=lambda c: c.ordre)
            ],
        }
        for u in version.unites.order_by("ordre").prefetch_related("competences")
    ]


def importer(document: Any, *, acteur: Acteur = None) -> ResultatImport:
    """Validate then write a whole référentiel in one transaction; idempotent."""
    donnees = valider(document)
    modifications: list[str] = []
    with transaction.atomic():
        d_cert = donnees["certificateur"]
        cles = (
            {"siret": d_cert["siret"]}
            if d_cert["siret"]
            else {"raison_sociale": d_cert["raison_sociale"], "siret": None}
        )
        certificateur = _upsert(
            Certificateur, cles, {k: val for k, val in d_cert.items() if k not in cles}, modifications
        )
        d_c = donnees["certification"]
        existante = Certification.objects.filter(code=d_c["code"]).select_related("certificateur").first()
        if existante is not None and existante.certificateur_id != certificateur.pk:
            raise ReferentielInvalide(
                [Probleme("certification.code", f"{d_c['code']} appartient déjà à {existante.certificateur}.")]
            )
        certification = _upsert(
            Certification,
            {"code": d_c["code"]},
            {"certificateur": certificateur, **{k: val for k, val in d_c.items() if k != "code"}},
            modifications,
        )

        regles: dict[str, RegleJury] = {}
        for d_r in donnees["regles_jury"]:
            quotas = d_r["quotas"]
            regle = _upsert(
                RegleJury,
                {"certification": certification, "code": d_r["code"]},
                {k: val for k, val in d_r.items() if k not in {"code", "quotas"}},
                modifications,
            )
            actuels = [(q.libelle, q.profils, q.nombre) for q in regle.quotas.order_by("ordre")]
            if actuels != [(q["libelle"], q["profils"], q["nombre"]) for q in quotas]:
                regle.quotas.all().delete()
                QuotaProfilJury.objects.bulk_create(
                    QuotaProfilJury(regle=regle, ordre=n, **q) for n, q in enumerate(quotas, 1)
                )
                modifications.append(f"quotas redéfinis : {regle}")
            regles[regle.code] = regle

        for d_v in donnees["voies_acces"]:
            _upsert(
                VoieAccesCertification,
                {"certification": certification, "voie": d_v["voie"]},
                {
                    "autorisee": d_v["autorisee"],
                    "modalite_acces_cdc": d_v["modalite_acces_cdc"],
                    "regle_jury": regles.get(d_v["regle_jury"]) if d_v["regle_jury"] else None,
                },
                modifications,
            )

        version = _importer_version(certification, donnees, modifications)
        if modifications:
            enregistrer(
                action="referentiel.import",
                acteur=acteur,
                objet=version,
                resume=f"Import du référentiel {certification.code} v{version.numero}",
                apres={"modifications": modifications},
            )
    return ResultatImport(certification=certification, version=version, modifications=modifications)


def _importer_version(
    certification: Certification, donnees: dict[str, Any], modifications: list[str]
) -> ReferentielVersion:
    d_ver = donnees["version"]
    numero = d_ver["numero"]
    version = ReferentielVersion.objects.filter(certification=certification, numero=numero).first()
    if version is not None:
        if _contenu_version(version) != donnees["unites"]:
            raise ReferentielInvalide(
                [
                    Probleme(
                        "version.numero",
                        f"la version {numero} de {certification.code} existe déjà avec d'autres unités ou "
                        "compétences ; une version publiée ne change pas, importez-la sous un nouveau numéro.",
                    )
                ]
            )
        if version.date_effet != d_ver["date_effet"]:
            version.date_effet = d_ver["date_effet"]
            version.save(update_fields=["date_effet"])
            modifications.append(f"mise à jour : date d'effet de {version}")
        return version

    version = ReferentielVersion.objects.create(
        certification=certification,
        numero=numero,
        date_effet=d_ver["date_effet"],
        uuid=stable_uuid(certification.code, f"v{numero}"),
    )
    for ordre_u, d_u in enumerate(donnees["unites"], 1):
        unite = Unite.objects.create(
            version=version,
            ordre=ordre_u,
            code=d_u["code"],
            intitule=d_u["intitule"],
            uuid=stable_uuid(certification.code, f"v{numero}", "unite", d_u["code"]),
        )
        Competence.objects.bulk_create(
            Competence(
                version=version,
                unite=unite,
                ordre=ordre_c,
                uuid=stable_uuid(certification.code, f"v{numero}", "competence", d_c["code"]),
                **d_c,
            )
            for ordre_c, d_c in enumerate(d_u["competences"], 1)
        )
    modifications.append(f"création : {version} ({len(donnees['unites'])} unités)")
    return version


def exporter(version: ReferentielVersion) -> dict[str, Any]:
    """The exchange document of one version: importing it elsewhere recreates the same référentiel."""
    certification = version.certification
    certificateur = certification.certificateur
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "certificateur": {
            "raison_sociale": certificateur.raison_sociale,
            "nom_usage": certificateur.nom_usage,
            "siret": certificateur.siret,
            "adresse": certificateur.adresse,
            "code_postal": certificateur.code_postal,
            "ville": certificateur.ville,
            "site_web": certificateur.site_web,
            "email_contact": certificateur.email_contact,
            "presentation": certificateur.presentation,
        },
        "certification": {
            "registre": certification.registre,
            "code": certification.code,
            "intitule": certification.intitule,
            "objectifs": certification.objectifs,
            "public_vise": certification.public_vise,
            "date_decision": certification.date_decision.isoformat() if certification.date_decision else None,
            "date_fin_enregistrement": (
                certification.date_fin_enregistrement.isoformat() if certification.date_fin_enregistrement else None
            ),
        },
        "version": {
            "numero": version.numero,
            "date_effet": version.date_effet.isoformat() if version.date_effet else None,
        },
        "regles_jury": [
            {
                "code": r.code,
                "intitule": r.intitule,
                "texte_publie": r.texte_publie,
                "membres_min": r.membres_min,
                "membres_max": r.membres_max,
                "pourcentage_externes_min": r.pourcentage_externes_min,
                "repartition_salaries_employeurs": r.repartition_salaries_employeurs,
                "quotas": [
                    {"libelle": q.libelle, "profils": list(q.profils), "nombre": q.nombre}
                    for q in r.quotas.order_by("ordre")
                ],
            }
            for r in certification.regles_jury.order_by("code")
        ],
        "voies_acces": [
            {
                "voie": va.voie,
                "autorisee": va.autorisee,
                "modalite_acces_cdc": va.modalite_acces_cdc,
                "regle_jury": va.regle_jury.code if va.regle_jury else None,
            }
            for va in sorted(certification.voies_acces.select_related("regle_jury"), key=lambda va: va.ordre)
        ],
        "unites": _contenu_version(version),
    }
