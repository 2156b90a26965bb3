"""The parties: citizen ID checks, keyed digests for the conflict check, nothing in plain text."""

import pytest
from django.db import connection

from marketplace.applications import identity
from marketplace.applications.identity import citizen_id_check_char, person_id_problem
from marketplace.applications.models import Application, PartyKey
from marketplace.applications.selectors import applications_matching_party
from tests.applications.conftest import APPLICANT, OPPOSING, citizen_id


@pytest.mark.parametrize(
    ("first17", "check"),
    [("11010519491231002", "X"), ("44052418800101001", "4")],
)
def test_the_check_character_is_gb_11643_mod_11_2(first17, check):
    assert citizen_id_check_char(first17) == check


def test_a_lowercase_x_is_the_same_check_character():
    assert person_id_problem("11010519491231002x") is None


def test_a_wrong_check_character_is_a_problem():
    assert person_id_problem("110105194912310021") is not None


def test_names_are_normalised_before_hashing():
    assert identity.normalize_name(" 张 三\u3000") == "张三"
    assert identity.normalize_name("ＺＨＡＮＧ San") == "zhangsan"
    assert identity.name_digest("ＺＨＡＮＧ San") == identity.name_digest("zhang  san")
    assert identity.id_digest("11010519491231002x") == identity.id_digest("１１０１０５１９４９１２３１００２Ｘ")


def test_names_and_id_numbers_never_share_a_digest():
    assert identity.digest("name", "123") != identity.digest("id", "123")


def test_the_digest_is_keyed_by_the_setting(settings):
    before = identity.name_digest("张三")
    settings.CONFLICT_HASH_KEY = "another-key-of-at-least-thirty-two-characters"
    assert identity.name_digest("张三") != before


def test_empty_values_have_no_digest():
    assert identity.name_digest("  ") is None and identity.id_digest("") is None


@pytest.mark.django_db
def test_no_party_is_stored_in_plain_text(register, coordinator):
    assert register(coordinator).status_code == 201
    secrets = [APPLICANT["name"], APPLICANT["id_number"], APPLICANT["phone"], OPPOSING["name"], OPPOSING["id_number"]]
    for table in (Application._meta.db_table, PartyKey._meta.db_table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a model's table name)
            rows = cursor.fetchall()
        assert rows
        stored = " ".join(str(value) for row in rows for value in row)
        assert not [secret for secret in secrets if secret in stored]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT role, kind, digest FROM {PartyKey._meta.db_table} ORDER BY role, kind")
        keys = cursor.fetchall()
    assert keys == [
        ("applicant", "id", identity.id_digest(APPLICANT["id_number"])),
        ("applicant", "name", identity.name_digest(APPLICANT["name"])),
        ("opposing", "id", identity.id_digest(OPPOSING["id_number"])),
        ("opposing", "name", identity.name_digest(OPPOSING["name"])),
    ]


@pytest.mark.django_db
def test_applications_matching_a_party_are_found_by_name_or_id_number(register, coordinator):
    first = register(coordinator).json()["id"]
    other = register(
        coordinator, applicant={"name": "李四", "id_number": citizen_id("32040219900101555")}, opposing_party=None
    ).json()["id"]

    def ids(**kwargs):
        return sorted(applications_matching_party(**kwargs).values_list("pk", flat=True))

    assert ids(name=" 张 秘密 ") == [first]
    assert ids(id_number=APPLICANT["id_number"].lower()) == [first]
    assert ids(name="李四", id_number=APPLICANT["id_number"]) == sorted([first, other])
    assert ids(name="常州某某建筑有限公司", role="opposing") == [first]
    assert ids(name="常州某某建筑有限公司", role="applicant") == []
    assert ids(name="王五") == []
    assert ids() == []


def test_production_refuses_to_start_without_a_conflict_hash_key():
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "k" * 60,
        "FIELD_ENCRYPTION_KEY": "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGlv",
    }
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='marketplace.settings'; django.setup()"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "CONFLICT_HASH_KEY is required" in result.stderr
