"""Writes for regions, organisations, memberships and API tokens."""

from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.authtoken.models import Token

from organizations.models import Membership, Organization, Region


@transaction.atomic
def region_create(*, code: str, name: str, name_en: str = "", parent: Region | None = None) -> Region:
    """Create (or update the names of) a region; its ``path`` follows from its parent."""
    path = f"{parent.path if parent else ''}{code}/"
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "name_en": name_en, "parent": parent, "path": path}
    )
    return region


@transaction.atomic
def organization_create(
    *, name: str, kind: str, region: Region, name_en: str = "", address: str = "", phone: str = ""
) -> Organization:
    org, _ = Organization.objects.get_or_create(
        name=name, defaults={"kind": kind, "region": region, "name_en": name_en, "address": address, "phone": phone}
    )
    return org


@transaction.atomic
def membership_grant(*, user: User, organization: Organization, role: str) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, organization=organization, role=role)
    return membership


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """The user's API token, created on first use. Who: the user, signed in with their password."""
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


@transaction.atomic
def api_token_revoke(*, user: User) -> None:
    """Revoke the user's API token (a later sign-in issues a new one). Who: the user."""
    Token.objects.filter(user=user).delete()
