"""Where case documents are stored (``DOCUMENTS_STORAGE``), read by settings.py and its tests.

- ``local`` (default): a folder on local disk outside the web root (``DOCUMENTS_ROOT``). Nothing
  serves that folder: documents leave only through the permission-checked download view.
- ``s3``: any S3-compatible store through django-storages, with the usual ``AWS_*`` variables:
  ``AWS_STORAGE_BUCKET_NAME`` (required), ``AWS_S3_ENDPOINT_URL`` (MinIO, Ceph, a cloud's S3
  endpoint), ``AWS_S3_REGION_NAME``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY`` (or the
  machine's role), ``AWS_LOCATION`` (a key prefix). Objects are private (no ACL grants, no public
  URLs): the download view reads them and streams them after its permission check.
"""

from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BACKENDS = ("local", "s3")


def documents_storage(backend: str, *, root: Path, env: Mapping[str, str]) -> dict:
    """The ``STORAGES["documents"]`` entry for ``backend``; ImproperlyConfigured on a bad value."""
    if backend == "local":
        # 0o600 files in 0o700 folders: only the application's own user reads them.
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": str(root),
                "base_url": None,
                "file_permissions_mode": 0o600,
                "directory_permissions_mode": 0o700,
            },
        }
    if backend == "s3":
        bucket = env.get("AWS_STORAGE_BUCKET_NAME", "")
        if not bucket:
            raise ImproperlyConfigured("DOCUMENTS_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
        options = {
            "bucket_name": bucket,
            "default_acl": None,  # the bucket's own policy: private
            "querystring_auth": True,  # no URL without a signature (the app never hands one out)
            "file_overwrite": False,  # a name already taken gets another: nothing is replaced
            "location": env.get("AWS_LOCATION", "case-documents"),
        }
        for option, variable in (
            ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
            ("region_name", "AWS_S3_REGION_NAME"),
            ("access_key", "AWS_ACCESS_KEY_ID"),
            ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ):
            if env.get(variable):
                options[option] = env[variable]
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfigured(f"DOCUMENTS_STORAGE must be one of {', '.join(BACKENDS)}, not {backend!r}.")
