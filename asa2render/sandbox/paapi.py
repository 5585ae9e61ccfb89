"""PA-API 5.0: ``POST /paapi5/<operation>`` signed with AWS SigV4 (protocol.md §4).

The store comes from the ``Host`` header (``webservices.amazon.de``); when a client talks to the sandbox's
own address instead, the body's ``Marketplace`` names it and is then required. Request-level errors are
``{"__type": "com.amazon.paapi5#<Name>Exception", "Errors": [{"Code", "Message"}]}``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from ..api import sigv4
from ..api.casing import camel_keys, camel_path
from ..marketplaces import Store, store_for_host, store_for_paapi_host
from .creators import PARTNER_TAG
from .items import CREATORS_RESOURCES, to_pascal
from .operations import OPERATIONS, Outcome, Request, requested_asins
from .state import CallLog, Services, serve_call
from .wire import Incoming, JsonObject, Rejected, Reply, json_reply, parse_json_object

OPERATION_PATHS = {
    "/paapi5/getitems": "GetItems",
    "/paapi5/searchitems": "SearchItems",
    "/paapi5/getvariations": "GetVariations",
    "/paapi5/getbrowsenodes": "GetBrowseNodes",
}
TARGET_PREFIX = "com.amazon.paapi5.v1.ProductAdvertisingAPIv1."
DEPRECATION_MESSAGE = (
    "Product Advertising API is deprecated. Please migrate to Creators API using the migration guide at "
    "https://affiliate-program.amazon.com/creatorsapi/docs/en-us/migrating-to-creatorsapi-from-paapi."
)
API_LABEL = "Product Advertising API"
MAX_CLOCK_SKEW_SECONDS = 15 * 60
_THROTTLE_MESSAGE = (
    "The request was denied due to request throttling. Please verify the number of requests made per second "
    "to the Amazon Product Advertising API."
)
_SIGNATURE_FAILURES = {
    "IncompleteSignature": (400, "The request signature does not conform to AWS standards."),
    "UnrecognizedClient": (401, "The Access Key ID or security token included in the request is invalid."),
    "InvalidSignature": (
        401,
        "The request signature we calculated does not match the signature you provided.",
    ),
}


def error(status: int, name: str, code: str, message: str) -> Reply:
    """A request-level PA-API error body."""
    headers = {"Retry-After": "1"} if status == 429 else {}
    body = {"__type": f"com.amazon.paapi5#{name}", "Errors": [{"Code": code, "Message": message}]}
    return json_reply(status, body, headers)


def _rejected(status: int, name: str, code: str, message: str) -> Rejected:
    return Rejected(error(status, name, code, message))


def _fault_body(status: int) -> JsonObject:
    if status == 429:
        return {
            "__type": "com.amazon.paapi5#TooManyRequestsException",
            "Errors": [{"Code": "TooManyRequests", "Message": _THROTTLE_MESSAGE}],
            "retryAfterSeconds": 1,
        }
    name, code = (
        ("ServiceUnavailableException", "ServiceUnavailable")
        if status == 503
        else ("InternalFailure", "InternalFailure")
    )
    return {
        "__type": f"com.amazon.paapi5#{name}",
        "Errors": [{"Code": code, "Message": "Please retry the request."}],
    }


def handle(request: Incoming, operation: str, services: Services) -> Reply:
    """Answer one PA-API call, log it, and maybe replace the answer with an injected fault."""
    return serve_call("paapi", request, CallLog(operation), services, _answer, _fault_body)


def _answer(request: Incoming, services: Services, log: CallLog) -> Reply:
    operation = log.operation
    body = parse_json_object(request.body)
    log.asins = requested_asins(operation, camel_keys(body or {}))
    if services.paapi_deprecated:
        payload = {
            "__type": "com.amazon.paapi5#AccessDeniedException",
            "Code": "AccessDenied",
            "Message": DEPRECATION_MESSAGE,
            "Errors": [{"Code": "AccessDenied", "Message": DEPRECATION_MESSAGE}],
        }
        return json_reply(403, payload)
    _check_envelope(request, operation)
    access_key = _check_signature(request, services)
    store = _store(request, body)
    log.marketplace = store.domain
    _check_signature_scope(request, store)
    if not services.throttle.allow(access_key):
        raise _rejected(429, "TooManyRequestsException", "TooManyRequests", _THROTTLE_MESSAGE)
    if body is None:
        raise _rejected(
            400, "ValidationException", "InvalidParameterValue", "The request body is not valid JSON."
        )
    fields = camel_keys(body)
    partner_tag = _partner_tag(fields)
    resources = _resources(fields, operation)
    call = Request(
        store, partner_tag, fields, resources, API_LABEL, legacy_offers=True, image_base=request.base_url
    )
    return _reply(OPERATIONS[operation](services.catalog, call))


def _reply(outcome: Outcome) -> Reply:
    errors = [
        {"__type": "com.amazon.paapi5#ErrorData", "Code": code, "Message": message}
        for code, message in outcome.errors
    ]
    if outcome.invalid_field:
        name, message = outcome.invalid_field
        text = f"The value provided in the request for {name[:1].upper() + name[1:]} is invalid. {message}"
        raise _rejected(400, "ValidationException", "InvalidParameterValue", text)
    if outcome.not_found:
        # Every id was bad: PA-API answers with only the errors, as a client error.
        return json_reply(
            400, {"__type": "com.amazon.paapi5#InvalidParameterValueException", "Errors": errors}
        )
    payload = to_pascal(outcome.payload)
    if errors:
        payload["Errors"] = errors
    return json_reply(200, payload)


def _check_envelope(request: Incoming, operation: str) -> None:
    target = request.headers.get("x-amz-target", "")
    if target != TARGET_PREFIX + operation:
        message = f"The x-amz-target {target!r} does not match the operation {operation} of the path."
        raise _rejected(400, "UnknownOperationException", "UnknownOperation", message)
    if request.headers.get("content-encoding", "").lower() != "amz-1.0":
        raise _rejected(
            400, "ValidationException", "InvalidParameterValue", "Content-Encoding must be amz-1.0."
        )


def _check_signature(request: Incoming, services: Services) -> str:
    ok, reason = sigv4.verify(
        method=request.method,
        path=request.path,
        query=request.query,
        headers=request.headers,
        body=request.body,
        secrets=services.paapi_keys,
    )
    if not ok:
        status, message = _SIGNATURE_FAILURES[reason]
        raise _rejected(status, f"{reason}Exception", reason, message)
    parsed = sigv4.parse_authorization(request.headers["authorization"])
    assert parsed is not None  # verify() accepted it
    return parsed.access_key


def _check_signature_scope(request: Incoming, store: Store) -> None:
    parsed = sigv4.parse_authorization(request.headers["authorization"])
    assert parsed is not None
    if parsed.region != store.paapi_region:
        message = (
            f"Credential should be scoped to a valid region, not '{parsed.region}' ({store.paapi_region})."
        )
        raise _rejected(401, "InvalidSignatureException", "InvalidSignature", message)
    try:
        signed_at = datetime.strptime(request.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise _rejected(
            400, "IncompleteSignatureException", "IncompleteSignature", "Bad x-amz-date."
        ) from None
    if abs(time.time() - signed_at.timestamp()) > MAX_CLOCK_SKEW_SECONDS:
        raise _rejected(
            401, "RequestExpiredException", "RequestExpired", "Signature expired: the request is too old."
        )


def _store(request: Incoming, body: JsonObject | None) -> Store:
    named = (body or {}).get("Marketplace")
    store = store_for_paapi_host(request.host)
    if store is None:
        if not named:
            message = "The request must contain the parameter Marketplace when the host is not a PA-API host."
            raise _rejected(400, "ValidationException", "MissingParameter", message)
        store = store_for_host(str(named))
        if store is None or store.paapi_host is None or store.domain != str(named).lower():
            raise _rejected(
                400, "ValidationException", "InvalidParameterValue", f"Unknown Marketplace {named!r}."
            )
    elif named is not None and str(named).lower() != store.domain:
        message = f"The Marketplace {named!r} does not match the host {request.host}."
        raise _rejected(400, "ValidationException", "InvalidParameterValue", message)
    return store


def _partner_tag(fields: JsonObject) -> str:
    tag = fields.get("partnerTag")
    if not tag:
        raise _rejected(
            400,
            "ValidationException",
            "MissingParameter",
            "The request must contain the parameter PartnerTag.",
        )
    if fields.get("partnerType", "Associates") != "Associates":
        raise _rejected(
            400, "ValidationException", "InvalidParameterValue", "PartnerType must be Associates."
        )
    if not isinstance(tag, str) or not PARTNER_TAG.match(tag):
        message = f"The partner tag {tag} is invalid. Please check the partner tag and try again."
        raise _rejected(400, "InvalidPartnerTagException", "InvalidPartnerTag", message)
    return tag


def _valid_resource(camel: str, operation: str) -> bool:
    if camel.endswith(".highRes"):  # PA-API images have no HighRes
        return False
    return camel in CREATORS_RESOURCES[operation] or camel.startswith(("offers.listings", "offers.summaries"))


def _resources(fields: JsonObject, operation: str) -> tuple[str, ...]:
    value = fields.get("resources", [])
    if not isinstance(value, list) or not all(
        isinstance(r, str) and _valid_resource(camel_path(r), operation) for r in value
    ):
        raise _rejected(
            400,
            "ValidationException",
            "InvalidParameterValue",
            "The value provided in the request for Resources is invalid.",
        )
    return tuple(camel_path(r) for r in value)


__all__ = ["API_LABEL", "DEPRECATION_MESSAGE", "OPERATION_PATHS", "TARGET_PREFIX", "error", "handle"]
