"""Nobody reads a second factor's secret in the admin: a device's key (or its QR code) makes its codes."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_governance

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [TOTPDevice, StaticDevice])
@pytest.mark.parametrize("page", ["changelist", "change", "config"])
def test_no_device_page_opens_even_for_a_superuser(admin_client, model, page):
    device = model.objects.create(user=make_governance(), name="phone")
    opts = model._meta
    urls = {
        "changelist": f"/admin/{opts.app_label}/{opts.model_name}/",
        "change": f"/admin/{opts.app_label}/{opts.model_name}/{device.pk}/change/",
        "config": f"/admin/{opts.app_label}/{opts.model_name}/{device.pk}/config/",
    }
    assert admin_client.get(urls[page]).status_code == 404
