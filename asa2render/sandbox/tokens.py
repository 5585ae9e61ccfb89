"""The two OAuth2 client-credentials token endpoints (protocol.md §2.2, §2.3).

``POST /oauth2/token`` is Cognito (2.x credentials): a form body with ``client_id``/``client_secret``, or
``Authorization: Basic base64(id:secret)`` and a form body without them; scope ``creatorsapi/default``.
``POST /auth/o2/token`` is Login with Amazon (3.x credentials): a JSON body; scope ``creatorsapi::default``.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from urllib.parse import parse_qsl

from .options import Credential, Family
from .state import Stats, TokenStore
from .wire import Incoming, JsonObject, Reply, json_reply, parse_json_object

_SCOPES: dict[Family, str] = {"cognito": "creatorsapi/default", "lwa": "creatorsapi::default"}
# The body's media type each endpoint accepts (parameters such as charset are ignored); like
# Amazon's endpoints, any other Content-Type is refused before the body is read.
_MEDIA_TYPES: dict[Family, str] = {"cognito": "application/x-www-form-urlencoded", "lwa": "application/json"}


def _error(status: int, error: str, description: str) -> Reply:
    return json_reply(status, {"error": error, "error_description": description})


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep else None


def _cognito_fields(request: Incoming) -> JsonObject | None:
    try:
        fields: JsonObject = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    except UnicodeDecodeError:
        return None
    basic = _basic_credentials(request.headers.get("authorization", ""))
    if basic is not None:
        fields.setdefault("client_id", basic[0])
        fields.setdefault("client_secret", basic[1])
    return fields


def issue_token(
    request: Incoming, family: Family, credentials: dict[str, Credential], tokens: TokenStore, stats: Stats
) -> Reply:
    """Answer one token request on the endpoint of ``family``."""
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != _MEDIA_TYPES[family]:
        return _error(400, "invalid_request", f"Content-Type must be {_MEDIA_TYPES[family]}.")
    fields = _cognito_fields(request) if family == "cognito" else parse_json_object(request.body)
    if fields is None:
        return _error(400, "invalid_request", "The request body could not be parsed.")
    if fields.get("grant_type") != "client_credentials":
        return _error(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.")
    credential = credentials.get(str(fields.get("client_id", "")))
    secret = str(fields.get("client_secret", ""))
    if credential is None or not hmac.compare_digest(credential.secret.encode(), secret.encode()):
        return _error(401, "invalid_client", "Client authentication failed: unknown client or wrong secret.")
    if credential.family != family:
        endpoint = "/oauth2/token" if credential.family == "cognito" else "/auth/o2/token"
        return _error(
            401, "invalid_client", f"This client is a {credential.version} credential; use {endpoint}."
        )
    if fields.get("scope") != _SCOPES[family]:
        return _error(400, "invalid_scope", f"The scope must be {_SCOPES[family]}.")
    token = tokens.issue(credential)
    stats.token_issued(credential)
    body: JsonObject = {"access_token": token, "expires_in": int(tokens.ttl_seconds)}
    if family == "lwa":
        body.update(scope=_SCOPES["lwa"], token_type="bearer")
    else:
        body["token_type"] = "Bearer"
    return json_reply(200, body, {"Cache-Control": "no-store"})


__all__ = ["issue_token"]
