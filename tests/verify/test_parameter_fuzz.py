"""The hostile-parameter fuzz (verify.fuzz) on a small corpus: never a 500, every error in the JSON shape."""

import pytest

from tests.verify.test_leak_crawl import client_get
from verify.canaries import plant
from verify.fuzz import cases, parameter_fuzz

pytestmark = pytest.mark.django_db


def test_hostile_parameters_get_a_4xx_in_the_error_shape(api_client, settings):
    settings.API_THROTTLE_RATE = None
    plant()
    report = parameter_fuzz(client_get(api_client))
    assert report.failures == []
    assert report.cases == len(list(cases()))
