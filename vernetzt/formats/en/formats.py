"""English as written in Europe: British formats (31/12/2025), never US dates (12/31/2025)."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
