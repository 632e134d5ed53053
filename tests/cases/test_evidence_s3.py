"""Evidence in an S3-compatible bucket (AWS_STORAGE_BUCKET_NAME): stored there and not on the disk, served
only through the audited download view, and a file missing from the bucket is a 404. S3 is moto's, in
this process; benchmarks/two_machines.py shows the same across two servers and a real S3 endpoint."""

import boto3
import pytest
from cryptography.fernet import Fernet
from django.urls import reverse
from moto import mock_aws

from cases.models import Case
from tests.cases.test_evidence import PNG, body, files_under, raise_data, upload

pytestmark = pytest.mark.django_db

BUCKET = "focuspolicy-evidence-test"


@pytest.fixture
def bucket(settings, tmp_path, monkeypatch):
    """The default storage is a private S3 bucket (the settings that base.py makes from the environment)."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    settings.MEDIA_ROOT = tmp_path / "media"
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "us-east-1",
                    "default_acl": None,
                    "querystring_auth": True,
                    "file_overwrite": False,
                    "max_memory_size": 1024 * 1024,
                },
            },
        }
        yield s3


def raised_with_screenshot(client, staff, policy):
    client.force_login(staff)
    response = client.post(reverse("cases:raise"), raise_data(policy, evidence=[upload("shot.png", PNG)]))
    assert response.status_code == 302
    return Case.objects.get().evidence.get()


def test_evidence_goes_to_the_bucket_and_not_to_the_disk(client, staff, policy, bucket, settings):
    evidence = raised_with_screenshot(client, staff, policy)

    stored = bucket.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    # Sealed: the bucket holds a token, not the screenshot.
    assert PNG not in stored
    assert Fernet(settings.EVIDENCE_ENCRYPTION_KEY).decrypt(stored) == PNG
    assert files_under(settings.MEDIA_ROOT) == []


def test_the_objects_are_not_public(client, staff, policy, bucket):
    evidence = raised_with_screenshot(client, staff, policy)

    grants = bucket.get_object_acl(Bucket=BUCKET, Key=evidence.file.name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


def test_the_handler_downloads_the_file_from_the_bucket(client, staff, supervisor, policy, bucket):
    evidence = raised_with_screenshot(client, staff, policy)
    client.force_login(supervisor)

    response = client.get(reverse("cases:evidence", args=[evidence.case.reference, evidence.pk]))

    assert response.status_code == 200
    assert body(response) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="shot.png"'
    assert response["Cache-Control"] == "private, no-store"


def test_someone_without_a_right_gets_no_file_from_the_bucket(client, staff, outsider, policy, bucket):
    evidence = raised_with_screenshot(client, staff, policy)
    client.force_login(outsider)

    response = client.get(reverse("cases:evidence", args=[evidence.case.reference, evidence.pk]))

    assert response.status_code == 404


def test_a_file_missing_from_the_bucket_is_a_404_not_an_error(client, staff, supervisor, policy, bucket):
    evidence = raised_with_screenshot(client, staff, policy)
    bucket.delete_object(Bucket=BUCKET, Key=evidence.file.name)
    client.force_login(supervisor)

    response = client.get(reverse("cases:evidence", args=[evidence.case.reference, evidence.pk]))

    assert response.status_code == 404
