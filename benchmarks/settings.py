"""Settings for `make bench`: the production settings with a URLconf that adds a minimal view.

The minimal view is served by the same server, middleware and database connection as the
product's pages, so that every figure can be given as a ratio to it.
"""

from vernetzt.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
