"""Texts staff wrote, in the visitor's language: ``{{ network|translated:"description" }}``.

The result knows its language; ``{{ text|lang_attr }}`` writes ` lang="de"` where the visitor reads
the German text because no translation exists yet, so that screen readers read it as German, and
notes the text for the page's one hint that some texts are not yet translated
(``register.translations.collecting_untranslated``).
"""

from django import template
from django.utils.html import format_html

from register import translations

register = template.Library()


@register.filter
def translated(record, field):
    return translations.translated(record, field)


@register.filter
def lang_attr(text):
    if getattr(text, "untranslated", False):
        translations.shown_untranslated(text)
        return format_html(' lang="{}"', text.lang)
    return ""
