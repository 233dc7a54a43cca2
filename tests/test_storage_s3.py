"""Documents and generated PDFs in an S3-compatible bucket (STORAGE_S3_BUCKET), for deployments on several machines:
the same pages and services as on the file system, against moto's in-process S3."""

from datetime import timedelta

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from moto import mock_aws

from audit.services import Actor
from casework.models import CaseAccess, Document
from casework.services.access import case_access_grant
from casework.services.documents import document_orphans_remove
from config.settings.env import ConfigurationError, file_storage_from_env
from tests.casework.factories import make_case
from tests.casework.factories_documents import make_document, pdf_bytes, upload

BUCKET = "asb-casework-documents"
S3_ENV = {
    "STORAGE_S3_BUCKET": BUCKET, "STORAGE_S3_REGION": "eu-west-2", "STORAGE_S3_PREFIX": "/ecam/",
    "STORAGE_S3_ACCESS_KEY_ID": "test-key", "STORAGE_S3_SECRET_ACCESS_KEY": "test-secret",
}


def test_without_a_bucket_files_stay_on_the_file_system(monkeypatch, tmp_path):
    monkeypatch.delenv("STORAGE_S3_BUCKET", raising=False)
    assert file_storage_from_env(tmp_path) == {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}


def test_a_bucket_gives_a_private_store_that_never_overwrites(monkeypatch, tmp_path):
    for name, value in {**S3_ENV, "STORAGE_S3_ENDPOINT_URL": "https://minio.example.org:9000"}.items():
        monkeypatch.setenv(name, value)
    storage = file_storage_from_env(tmp_path)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": BUCKET, "location": "ecam", "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
        "endpoint_url": "https://minio.example.org:9000", "region_name": "eu-west-2", "access_key": "test-key", "secret_key": "test-secret",
    }
    monkeypatch.setenv("STORAGE_S3_ENDPOINT_URL", "minio:9000")
    with pytest.raises(ConfigurationError, match="STORAGE_S3_ENDPOINT_URL is malformed"):
        file_storage_from_env(tmp_path)


@pytest.fixture
def bucket(settings, monkeypatch, tmp_path):
    """moto's S3, a private bucket, and the application's default storage pointed at it by the environment."""
    for name, value in S3_ENV.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-2", aws_access_key_id="test-key", aws_secret_access_key="test-secret")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
        settings.STORAGES = {**settings.STORAGES, "default": file_storage_from_env(tmp_path)}
        yield s3


def bucket_keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_an_uploaded_document_is_kept_in_the_bucket_privately_and_downloaded_through_the_page(
    client, bucket, partnership, police, council, council_caseworker, police_caseworker
):
    case = make_case(partnership=partnership, lead_agency=police)
    case_access_grant(actor=Actor.system(), case=case, agency=council, level=CaseAccess.Level.CONTRIBUTOR)
    client.force_login(council_caseworker)
    response = client.post(reverse("case_documents", args=[case.reference]), {"title": "Warning letter", "marking": "official", "file": upload("warning.pdf")})
    assert response.status_code == 302

    document = Document.objects.get()
    key = f"ecam/{document.file.name}"
    assert bucket_keys(bucket) == [key]
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all(grant["Grantee"].get("URI") is None for grant in grants), "no public or all-users grant"

    client.force_login(police_caseworker)
    download = client.get(reverse("document_download", args=[case.reference, document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    assert download["Content-Disposition"].startswith("attachment")


def test_the_same_name_twice_makes_two_objects(bucket):
    first = default_storage.save("documents/1/letter.pdf", ContentFile(b"one"))
    second = default_storage.save("documents/1/letter.pdf", ContentFile(b"two"))
    assert first != second
    assert default_storage.open(first).read() == b"one" and default_storage.open(second).read() == b"two"


def test_orphaned_files_are_found_and_removed_in_the_bucket_too(bucket, partnership, police):
    case = make_case(partnership=partnership, lead_agency=police)
    kept = make_document(case=case, agency=police)
    orphan = default_storage.save(f"{kept.file.name.rsplit('/', 1)[0]}/orphan.pdf", ContentFile(b"orphan"))

    assert document_orphans_remove(actor=Actor.system(), older_than=timedelta(hours=1)) == []  # too new to judge
    assert document_orphans_remove(actor=Actor.system(), older_than=timedelta(seconds=-60)) == [orphan]
    assert bucket_keys(bucket) == [f"ecam/{kept.file.name}"]

