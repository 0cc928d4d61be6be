"""What both interfaces take as the size of a page: ``limit`` is a whole number from 1; more than the
largest page gives the largest page. OParl and the JSON API answer 0, -5 or abc the same way: 400 with
this message."""

import re

from django.utils.translation import gettext as _

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
DIGITS = re.compile(r"[0-9]{1,4000}")


def parse_limit(text, name="limit"):
    """The page size for ``text``; ValueError with the message for the client if it is none."""
    if not DIGITS.fullmatch(text.strip()) or int(text) < 1:
        raise ValueError(_("The parameter %(name)s needs a whole number of at least 1.") % {"name": name})
    return min(int(text), MAX_PER_PAGE)
