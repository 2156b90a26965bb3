"""API tokens are issued and revoked by services; regions are read through a selector."""

import pytest
from rest_framework.authtoken.models import Token

from organizations.selectors import regions_visible_to
from organizations.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


def test_a_token_is_issued_once_and_revoked(provider, stranger):
    key = api_token_issue(user=provider)

    assert api_token_issue(user=provider) == key
    api_token_revoke(user=provider)
    assert not Token.objects.filter(user=provider).exists()
    assert api_token_issue(user=provider) != key
    api_token_revoke(user=stranger)  # nothing to revoke: nothing happens
    assert Token.objects.filter(user=provider).count() == 1


def test_regions_are_public(stranger, regions):
    assert set(regions_visible_to(stranger)) == set(regions.values())
