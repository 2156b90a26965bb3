"""Where documents are stored: local disk outside the web root by default, any S3-compatible store
with DOCUMENTS_STORAGE=s3 (checked without a network: building the storage connects nowhere)."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from marketplace.core.storage_settings import documents_storage

S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "legalaid-documents",
    "AWS_S3_ENDPOINT_URL": "https://minio.example.org:9000",
    "AWS_S3_REGION_NAME": "cn-east-1",
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
}


def test_the_default_is_a_private_folder_outside_the_web_root(tmp_path):
    config = documents_storage("local", root=tmp_path / "documents", env={})

    assert config["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert config["OPTIONS"]["location"] == str(tmp_path / "documents")
    assert config["OPTIONS"]["base_url"] is None and config["OPTIONS"]["file_permissions_mode"] == 0o600


def test_the_configured_folder_is_not_under_the_static_files():
    root = Path(settings.DOCUMENTS_ROOT).resolve()
    assert Path(settings.STATIC_ROOT).resolve() not in root.parents


def test_s3_builds_a_private_s3_storage_without_a_network():
    from django.utils.module_loading import import_string

    config = documents_storage("s3", root=Path("/unused"), env=S3_ENV)
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])

    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage.bucket_name == "legalaid-documents"
    assert storage.endpoint_url == "https://minio.example.org:9000" and storage.region_name == "cn-east-1"
    assert storage.default_acl is None and storage.querystring_auth is True and storage.file_overwrite is False


def test_s3_without_a_bucket_refuses_to_start():
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        documents_storage("s3", root=Path("/unused"), env={})


def test_an_unknown_backend_refuses_to_start():
    with pytest.raises(ImproperlyConfigured, match="DOCUMENTS_STORAGE"):
        documents_storage("ftp", root=Path("/unused"), env={})


def test_the_settings_select_s3_from_the_environment():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='marketplace.settings'; django.setup(); "
        "from django.conf import settings; print(settings.STORAGES['documents']['BACKEND'])"
    )
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DOCUMENTS_STORAGE": "s3", **S3_ENV}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "storages.backends.s3.S3Storage"
