"""The browsable HTML view of the JSON API under the Content-Security-Policy.

Django REST framework's templates position a few buttons and form parts with ``style`` attributes.
Its HTML pages (never the JSON) may use such attributes; scripts and style sheets stay restricted
to this site. The header is set here, on the answer itself, so that a cached copy keeps it. The
inline style element for code highlighting is left out (the JSON shows unhighlighted).
"""

from csp.utils import build_policy
from rest_framework.renderers import BrowsableAPIRenderer

STYLE_ATTRIBUTES = {"style-src-attr": ["'unsafe-inline'"]}


class PolicyBrowsableAPIRenderer(BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Security-Policy"] = build_policy(update=STYLE_ATTRIBUTES)
        return super().render(data, accepted_media_type, renderer_context)

    def get_context(self, data, accepted_media_type, renderer_context):
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        return context
