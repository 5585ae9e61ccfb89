"""The Creators API: ``POST /catalog/v1/<operation>`` with a bearer token (protocol.md §2.5, §3).

Checks run in the order Amazon's gateway would apply them: the token (401), the per-credential rate
(429), the marketplace and its region group (400/403), the body (400), the associate's eligibility
(403), then the operation itself (200 with partial ``errors``, or 404 when nothing was found).
"""

from __future__ import annotations

import re
import time

from ..marketplaces import Store, store_for_host
from .items import CREATORS_RESOURCES, DEFAULT_RESOURCES
from .operations import OPERATIONS, Request, requested_asins
from .options import Credential
from .state import CallLog, Services, serve_call
from .wire import Incoming, JsonObject, Rejected, Reply, json_reply, parse_json_object

OPERATION_PATHS = {
    "/catalog/v1/getItems": "GetItems",
    "/catalog/v1/searchItems": "SearchItems",
    "/catalog/v1/getVariations": "GetVariations",
    "/catalog/v1/getBrowseNodes": "GetBrowseNodes",
}
PARTNER_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,60}-\d{2}$")
_BEARER = re.compile(r"^Bearer\s+(?P<token>[^\s,]+)\s*(?:,\s*Version\s+(?P<version>\S+))?\s*$", re.IGNORECASE)
API_LABEL = "Creators API"


def error(status: int, kind: str, message: str, **extra: object) -> Reply:
    """A Creators error body: ``{"type", "message", "reason"?, …}``."""
    headers = {"Retry-After": "1"} if status == 429 else {}
    return json_reply(status, {"type": kind, "message": message, **extra}, headers)


def _fault_body(status: int) -> JsonObject:
    if status == 429:
        return {"type": "ThrottleException", "message": "Rate exceeded.", "retryAfterSeconds": 1}
    if status == 503:
        return {"type": "ServiceUnavailableException", "message": "Service is temporarily unavailable."}
    return {"type": "InternalServerException", "message": "An internal error occurred. Please retry."}


def _invalid(reason: str, message: str, field_name: str | None = None) -> Rejected:
    extra: dict[str, object] = {"reason": reason}
    if field_name:
        extra["fieldList"] = [{"name": field_name, "message": message}]
    return Rejected(error(400, "ValidationException", message, **extra))


def handle(request: Incoming, operation: str, services: Services) -> Reply:
    """Answer one Creators API call, log it, and maybe replace the answer with an injected fault."""
    return serve_call(
        "creators",
        request,
        CallLog(operation, request.headers.get("x-marketplace") or None),
        services,
        _answer,
        _fault_body,
    )


def _answer(request: Incoming, services: Services, log: CallLog) -> Reply:
    operation = log.operation
    credential = _authenticate(request, services)
    log.version = credential.version
    if not services.throttle.allow(credential.credential_id):
        raise Rejected(error(429, "ThrottleException", "Rate exceeded.", retryAfterSeconds=1))
    store = _marketplace(request, credential)
    body = _body(request, store)
    log.asins = requested_asins(operation, body)
    partner_tag = _partner_tag(body)
    if store.country in services.ineligible:
        message = (
            "Your account is not eligible to access the Creators API. Access requires 10 qualified sales in "
            "the trailing 30 days."
        )
        raise Rejected(error(403, "AccessDeniedException", message, reason="AssociateNotEligible"))
    resources = _resources(body, operation)
    outcome = OPERATIONS[operation](
        services.catalog, Request(store, partner_tag, body, resources, API_LABEL, image_base=request.base_url)
    )
    if outcome.invalid_field:
        name, message = outcome.invalid_field
        raise _invalid("FieldValidationFailed", message, name)
    if outcome.not_found:
        resource_type, resource_id = outcome.not_found
        message = f"No {resource_type.lower()}s found for the requested ids."
        return error(
            404, "ResourceNotFoundException", message, resourceType=resource_type, resourceId=resource_id
        )
    payload = dict(outcome.payload)
    if outcome.errors:
        payload["errors"] = [{"code": code, "message": message} for code, message in outcome.errors]
    return json_reply(200, payload)


def _unauthorized(reason: str, message: str) -> Rejected:
    return Rejected(error(401, "UnauthorizedException", message, reason=reason))


def _authenticate(request: Incoming, services: Services) -> Credential:
    header = request.headers.get("authorization", "")
    if not header:
        raise _unauthorized("MissingCredential", "The Authorization header is missing.")
    match = _BEARER.match(header.strip())
    if match is None:
        raise _unauthorized("InvalidToken", "The Authorization header is not a bearer token.")
    issued = services.tokens.lookup(match["token"])
    if issued is None:
        raise _unauthorized("InvalidToken", "The access token is invalid.")
    if time.monotonic() >= issued.expires_at:
        raise _unauthorized("TokenExpired", "The access token has expired.")
    credential, version = issued.credential, match["version"]
    if credential.family == "cognito" and version != credential.version:
        raise _unauthorized(
            "InvalidIssuer", f"This token needs 'Version {credential.version}' in the Authorization header."
        )
    if credential.family == "lwa" and version is not None:
        raise _unauthorized("InvalidIssuer", "Version 3.x tokens are sent as a plain 'Bearer <token>'.")
    return credential


def _marketplace(request: Incoming, credential: Credential) -> Store:
    domain = request.headers.get("x-marketplace", "")
    if not domain:
        raise _invalid("FieldValidationFailed", "The x-marketplace header is required.", "x-marketplace")
    store = store_for_host(domain)
    if store is None or store.domain != domain.lower():
        raise _invalid("FieldValidationFailed", f"Unknown marketplace {domain!r}.", "x-marketplace")
    if store.group != credential.group:
        message = (
            f"Version {credential.version} credentials cannot access {store.domain} ({store.group} region)."
        )
        raise Rejected(error(403, "AccessDeniedException", message, reason="AuthorizationFailed"))
    return store


def _body(request: Incoming, store: Store) -> JsonObject:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise _invalid("CannotParse", "Content-Type must be application/json.")
    body = parse_json_object(request.body)
    if body is None:
        raise _invalid("CannotParse", "The request body is not a JSON object.")
    marketplace = body.get("marketplace")
    if marketplace is not None and str(marketplace).lower() != store.domain:
        raise _invalid(
            "FieldValidationFailed", "marketplace does not match the x-marketplace header.", "marketplace"
        )
    return body


def _partner_tag(body: JsonObject) -> str:
    tag = body.get("partnerTag")
    if not tag:
        raise _invalid("FieldValidationFailed", "partnerTag is required.", "partnerTag")
    if not isinstance(tag, str) or not PARTNER_TAG.match(tag):
        raise _invalid("InvalidPartnerTag", "The partnerTag is invalid.", "partnerTag")
    return tag


def _resources(body: JsonObject, operation: str) -> tuple[str, ...]:
    value = body.get("resources", list(DEFAULT_RESOURCES) if operation != "GetBrowseNodes" else [])
    valid = CREATORS_RESOURCES[operation]
    if (
        not isinstance(value, list)
        or len(value) > 100
        or not all(isinstance(r, str) and r in valid for r in value)
    ):
        unknown = (
            [r for r in value if not isinstance(r, str) or r not in valid]
            if isinstance(value, list)
            else value
        )
        raise _invalid("FieldValidationFailed", f"Unknown or invalid resources: {unknown}.", "resources")
    return tuple(value)


__all__ = ["API_LABEL", "OPERATION_PATHS", "PARTNER_TAG", "error", "handle"]
