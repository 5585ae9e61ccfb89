"""Token endpoints: Cognito (form body or Basic auth) and LWA (JSON), bound to their version."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest

from asa2render.sandbox import DEMO_CREDENTIALS, Sandbox, SandboxOptions

COGNITO_FORM = {"grant_type": "client_credentials", "scope": "creatorsapi/default"}
LWA_JSON = {"grant_type": "client_credentials", "scope": "creatorsapi::default"}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    options = SandboxOptions(
        credentials=(("cog-eu", "s3cret", "2.2"), ("lwa-na", "s3cret:with:colons", "3.1"))
    )
    with Sandbox(options) as running:
        yield running


def test_cognito_form_body_issues_a_bearer_token(client: httpx.Client, sandbox: Sandbox) -> None:
    response = client.post(
        "/oauth2/token", data={**COGNITO_FORM, "client_id": "cog-eu", "client_secret": "s3cret"}
    )

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["access_token"].startswith("eyJ")
    assert sandbox.stats()["tokens"] == [{"credential_id": "cog-eu", "version": "2.2"}]


def test_cognito_basic_auth_variant(client: httpx.Client) -> None:
    basic = base64.b64encode(b"cog-eu:s3cret").decode()

    response = client.post("/oauth2/token", data=COGNITO_FORM, headers={"Authorization": f"Basic {basic}"})

    assert response.status_code == 200
    assert response.json()["access_token"]


def test_lwa_json_body_issues_a_token(client: httpx.Client) -> None:
    response = client.post(
        "/auth/o2/token", json={**LWA_JSON, "client_id": "lwa-na", "client_secret": "s3cret:with:colons"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == "creatorsapi::default"
    assert body["token_type"] == "bearer"
    assert body["access_token"].startswith("Atc|")
    assert isinstance(body["expires_in"], int)


@pytest.mark.parametrize(
    ("path", "payload", "status", "error"),
    [
        ("/oauth2/token", {**COGNITO_FORM, "client_id": "cog-eu", "client_secret": "wrong"}, 401, "invalid_client"),
        ("/oauth2/token", {**COGNITO_FORM, "client_id": "nobody", "client_secret": "s3cret"}, 401, "invalid_client"),
        ("/oauth2/token", {**COGNITO_FORM, "scope": "creatorsapi::default", "client_id": "cog-eu",
                           "client_secret": "s3cret"}, 400, "invalid_scope"),
        ("/oauth2/token", {**COGNITO_FORM, "client_id": "lwa-na", "client_secret": "s3cret:with:colons"},
         401, "invalid_client"),
    ],
)  # fmt: skip
def test_cognito_rejections(
    client: httpx.Client, sandbox: Sandbox, path: str, payload: dict[str, str], status: int, error: str
) -> None:
    response = client.post(path, data=payload)

    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["error_description"]
    assert "s3cret" not in response.text
    assert sandbox.stats()["tokens"] == []


def test_lwa_rejects_a_cognito_credential_and_a_wrong_scope(client: httpx.Client) -> None:
    cognito = client.post(
        "/auth/o2/token", json={**LWA_JSON, "client_id": "cog-eu", "client_secret": "s3cret"}
    )
    scope = client.post(
        "/auth/o2/token",
        json={
            **LWA_JSON,
            "scope": "creatorsapi/default",
            "client_id": "lwa-na",
            "client_secret": "s3cret:with:colons",
        },
    )

    assert (cognito.status_code, cognito.json()["error"]) == (401, "invalid_client")
    assert (scope.status_code, scope.json()["error"]) == (400, "invalid_scope")


def test_configured_credentials_replace_the_demo_set(client: httpx.Client) -> None:
    response = client.post(
        "/oauth2/token", data={**COGNITO_FORM, "client_id": "demo-cognito-eu", "client_secret": "demo-secret"}
    )

    assert response.status_code == 401


def test_demo_credentials_work_without_configuration() -> None:
    with Sandbox(SandboxOptions(token_ttl=120)) as sandbox, httpx.Client(base_url=sandbox.url) as http:
        for credential_id, secret, version in DEMO_CREDENTIALS:
            path, body = (
                ("/oauth2/token", COGNITO_FORM) if version.startswith("2") else ("/auth/o2/token", LWA_JSON)
            )
            payload = {**body, "client_id": credential_id, "client_secret": secret}
            response = (
                http.post(path, data=payload) if path == "/oauth2/token" else http.post(path, json=payload)
            )
            assert response.status_code == 200, credential_id
            assert response.json()["expires_in"] == 120
        assert [t["version"] for t in sandbox.stats()["tokens"]] == ["2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]


def test_options_repr_hides_secrets() -> None:
    options = SandboxOptions(credentials=(("cid", "top-secret", "2.2"),), paapi_keys=(("AK", "hidden"),))

    assert "top-secret" not in repr(options)
    assert "hidden" not in repr(options)
