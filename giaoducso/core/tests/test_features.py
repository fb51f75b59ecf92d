"""The public home page says what the platform does today, from what the apps registered (defect 13)."""

import pytest
from django.urls import reverse

from giaoducso.core import features

pytestmark = pytest.mark.django_db


def test_the_public_home_lists_the_registered_features_and_promises_nothing_else(client):
    body = client.get("/").content.decode()
    for feature in features.public_features():
        assert str(feature.title) in body
    assert "Cơ sở dữ liệu ngành" in body  # the directory registers its own
    assert f'href="{reverse("exchange:open_data_index")}"' in body
    # The portal and admissions list their features above; the records and the office have no public page.
    for not_yet in ("sổ điểm", "văn phòng điện tử"):
        assert not_yet not in body.lower()


def test_a_module_that_registers_a_feature_grows_the_page(client):
    features.register_feature(
        "test.contact_book", title="Sổ liên lạc điện tử", description="Cha mẹ theo dõi việc học của con."
    )
    features.register_feature("test.absent", title="Mô-đun vắng mặt", description="…", url_name="nowhere:x")
    try:
        body = client.get("/").content.decode()
        assert "Sổ liên lạc điện tử" in body
        assert "Mô-đun vắng mặt" not in body  # its page is not installed here
    finally:
        features.unregister_feature("test.contact_book")
        features.unregister_feature("test.absent")
