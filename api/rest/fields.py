"""Fields of the JSON API that take exactly what the OpenAPI description promises, and nothing else.

DRF is lenient by default: ``"name": 0`` becomes the name "0", ``"since_year": "2010"`` a year,
``"open_to_public": "yes"`` true. A client generated from the description would never send those, and
an API that accepts them hides mistakes. So a text field takes only strings, a number only a JSON
number without fraction, a yes/no only ``true`` or ``false``, a date only ``YYYY-MM-DD``, a reference
only the integer key of a record. Every rule that can be written into the description is written there
(as a ``pattern``, ``minimum``, ``maximum`` or ``maxLength``), so that the description and the server agree:
what the description allows is never refused as malformed (400) – only the register's rules can
refuse it (409, see ``serializers``).
"""

import datetime
import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from register.languages import LANGUAGES
from register.models.fields import validate_name

# The largest key the API takes (18 digits, as in its URLs).
MAX_KEY = 10**18 - 1
# Text holds no control characters (C0, DEL, C1); text of several lines may hold tabs and line breaks.
# The patterns match no empty text: where a field may be empty, the description offers "" beside them.
SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f]+$"
NOT_EMPTY_SINGLE_LINE = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+$"
# Web and e-mail addresses: what the register's validators take, without IP addresses, user names in
# web addresses and international domain names.
_HOST = r"([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
WEB_ADDRESS = rf"^[hH][tT][tT][pP][sS]?://{_HOST}(:[0-9]{{1,5}})?([/?#][^\s\x00-\x1f\x7f-\x9f]*)?$"
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
EMAIL_ADDRESS = rf"^{_ATOM}(\.{_ATOM})*@{_HOST}$"
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class StrictCharField(serializers.CharField):
    """A single line of text: only a JSON string, without control characters.

    ``request_pattern`` is the rule as the OpenAPI description states it for requests (answers may show
    older data that was entered before the rule).
    """

    pattern = SINGLE_LINE
    default_error_messages = {
        "invalid": _("Give text (a string)."),
        "pattern": _("Text must not contain control characters."),
    }

    @property
    def request_pattern(self):
        return NOT_EMPTY_SINGLE_LINE if self.pattern == SINGLE_LINE and not self.allow_blank else self.pattern

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if value and not re.fullmatch(self.pattern, value):
            self.fail("pattern")
        return value


class StrictTextField(StrictCharField):
    """Text of several lines: only a JSON string; tabs and line breaks are its only control characters."""

    pattern = MULTI_LINE


class StrictNameField(StrictCharField):
    """A name (``NameField``). Its rule against characters nobody can see is the register's: the model
    applies it (``full_clean``) and the answer is 409 with the characters named, as for every rule of
    the register that a pattern of the description cannot state."""

    def __init__(self, **kwargs):
        kwargs["validators"] = [check for check in kwargs.get("validators", []) if check is not validate_name]
        super().__init__(**kwargs)


class LanguageListField(StrictCharField):
    """Languages as stored: the tags of ``register.languages`` separated by commas ("de,ar"), or ""."""

    pattern = "^({tags})(,({tags}))*$".format(tags="|".join(code for code, _name in LANGUAGES))
    default_error_messages = {"pattern": _("Give language tags from the list, separated by commas, such as de,ar.")}

    @property
    def request_pattern(self):
        return self.pattern


class StrictURLField(StrictCharField):
    pattern = WEB_ADDRESS
    default_error_messages = {"pattern": _("Give a web address such as https://example.org.")}


class StrictEmailField(StrictCharField):
    pattern = EMAIL_ADDRESS
    default_error_messages = {"pattern": _("Give an e-mail address such as info@example.org.")}


class StrictIntegerField(serializers.IntegerField):
    """A whole number: only a JSON number without fraction (not "5", not 5.0, not true)."""

    default_error_messages = {"invalid": _("Give a whole number.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """Yes or no: only ``true`` or ``false``."""

    default_error_messages = {"invalid": _("Give true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictChoiceField(serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictDateField(serializers.DateField):
    """A date: only a string YYYY-MM-DD."""

    default_error_messages = {"invalid": _("Give a date as YYYY-MM-DD.")}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not DATE.fullmatch(data):
            self.fail("invalid", format="YYYY-MM-DD")
        try:
            return datetime.date.fromisoformat(data)
        except ValueError:
            self.fail("invalid", format="YYYY-MM-DD")


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_KEY})
class KeyField(serializers.PrimaryKeyRelatedField):
    """A reference by the key of a record: only a JSON integer between 1 and ``MAX_KEY``.

    A key of that form that names no record is no malformed request but one the register cannot
    follow: its error has the code "does_not_exist", which the API answers with 409.
    """

    default_error_messages = {"incorrect_type": _("Give the id of a record (a whole number from 1).")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= MAX_KEY:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(data)


def parse_key(value):
    """An id from a query parameter (digits only, 1 to ``MAX_KEY``), or None."""
    if not value.isascii() or not value.isdigit() or len(value) > len(str(MAX_KEY)) or int(value) < 1:
        return None
    return int(value)
