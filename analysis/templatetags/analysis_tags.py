"""Template helpers of the analyses."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value):
    """A fraction as a percentage with one decimal, in the number format of the current language."""
    return f"{number_format(round(float(value) * 100, 1), decimal_pos=1)}\u00a0%"
