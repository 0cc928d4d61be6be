"""The OpenAPI description says what the server does: who may call, every answer, every limit.

* Reading is public: GET operations accept no authentication as well as a token (``security`` lists
  ``{}`` beside ``tokenAuth``), so that generated clients do not demand a token for reading.
* Every operation lists the answers the server really gives besides success (``errors``): 400, 401,
  403, 404, 409, 415 and 429, each with the JSON body it has.
* Text fields carry the rule the server applies to requests as a ``pattern`` (``fields``), numbers
  their ``minimum`` and ``maximum``, references the range of keys.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import SAFE_METHODS

from .fields import StrictCharField

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each field (or non_field_errors, or detail) with what is wrong with it.",
    "additionalProperties": {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    },
}
DESCRIPTIONS = {
    "400": _(
        "The request is malformed: a parameter or field the description does not allow, or a body that is no JSON."
    ),
    "401": _("The key is unknown, expired or revoked (or missing, for a write)."),
    "403": _("The token's user or the token's scope may not make this change."),
    "404": _("There is no such record (or the cursor is not one the API gave)."),
    "409": _(
        "The register's rules refuse the request: a name already taken, a record referred to that does not "
        "exist, a rule between fields – or the record is still referred to elsewhere."
    ),
    "415": _("The body is not JSON."),
    "429": _("Too many requests; Retry-After says after how many seconds to try again."),
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}


def error_codes(method, is_list, has_object):
    if method == "GET":
        return ["400", "401", "404", "429"] if is_list else (["401", "404", "429"] if has_object else ["401", "429"])
    codes = ["400", "401", "403", "409", "415", "429"]
    if has_object:
        codes.insert(3, "404")
    if method == "DELETE":
        codes = [code for code in codes if code not in ("400", "415")]
    return codes


class RegisterAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, StrictCharField):
            schema["pattern"] = field.request_pattern
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        has_object = "{id}" in self.path
        for code in error_codes(self.method, self._is_list_view(), has_object):
            if code in responses:
                continue
            component = self.error_component("FieldErrors" if code in ("400", "409") else "Error")
            response = {"description": str(DESCRIPTIONS[code]), "content": {"application/json": {"schema": component}}}
            if code == "429":
                response["headers"] = RETRY_AFTER
            responses[code] = response
        return responses

    def error_component(self, name):
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema=FIELD_ERRORS if name == "FieldErrors" else ERROR,
        )
        self.registry.register_on_missing(component)
        return component.ref
