import pytest
from django.test import Client

from tests.factories import AidTaskFactory


@pytest.fixture
def client_as():
    """``client_as(user)``: a page client signed in as ``user`` (None for anonymous), asking for
    English pages unless ``language`` says otherwise (None: no preference, the Chinese default)."""

    def make(user=None, *, language="en"):
        client = Client(**({"HTTP_ACCEPT_LANGUAGE": language} if language else {}))
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def wage_clinic(legal_aid_center, coordinator):
    """The open task of the pages: the centre's "欠薪咨询 wage clinic", posted by the coordinator."""
    return AidTaskFactory(organization=legal_aid_center, title="欠薪咨询 wage clinic", created_by=coordinator)


@pytest.fixture
def draft_task(legal_aid_center):
    return AidTaskFactory(organization=legal_aid_center, title="A draft not yet public", status="draft")
