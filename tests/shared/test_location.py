"""cache_url: where it comes from, what it may look like, and that its password is never shown."""

from __future__ import annotations

import pytest

from asa2render.config.model import config_from_dict
from asa2render.errors import ConfigError
from asa2render.shared.location import CACHE_URL_ENV, cache_url_setting, parse_cache_url


def test_the_display_form_names_no_password() -> None:
    location = parse_cache_url("rediss://user:s3cret@cache.example:6380/2", {})
    assert location.url == "rediss://user:s3cret@cache.example:6380/2"
    assert location.display == "rediss://cache.example:6380/2"
    assert "s3cret" not in repr(location) and "s3cret" not in str(location)
    assert "s3cret" not in repr(location.__rich_repr__())  # rich's pretty printer asks this


def test_environment_references_anywhere_in_the_url() -> None:
    location = parse_cache_url("redis://:${REDIS_PW}@${REDIS_HOST}/0", {"REDIS_PW": "pw", "REDIS_HOST": "h"})
    assert location.url == "redis://:pw@h/0"
    assert location.display == "redis://h:6379/0"
    with pytest.raises(ConfigError, match="REDIS_PW is not set"):
        parse_cache_url("redis://:${REDIS_PW}@h/0", {})


@pytest.mark.parametrize("raw", ["http://h:6379/0", "redis://", "h:6379", "redis://h:notaport/0"])
def test_malformed_urls_are_configuration_errors(raw: str) -> None:
    with pytest.raises(ConfigError, match="cache_url"):
        parse_cache_url(raw, {})


def test_the_file_wins_over_the_environment_and_either_may_be_absent() -> None:
    plain = config_from_dict({}, environ={})
    assert cache_url_setting(plain, {}) is None
    from_env = cache_url_setting(plain, {CACHE_URL_ENV: "redis://env-host:6379/1"})
    assert from_env is not None and from_env.display == "redis://env-host:6379/1"
    configured = config_from_dict({"site": {"cache_url": "redis://file-host/3"}}, environ={})
    chosen = cache_url_setting(configured, {CACHE_URL_ENV: "redis://env-host:6379/1"})
    assert chosen is not None and chosen.display == "redis://file-host:6379/3"
    assert "file-host" not in repr(configured)  # a secret: the URL may carry a password


def test_a_whole_value_reference_in_the_file_is_expanded_by_the_loader() -> None:
    config = config_from_dict({"site": {"cache_url": "${CACHE}"}}, environ={"CACHE": "redis://:pw@h:1/0"})
    location = cache_url_setting(config, {})
    assert location is not None and location.url == "redis://:pw@h:1/0"
