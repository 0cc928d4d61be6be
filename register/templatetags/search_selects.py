"""Whether a form has search selects (``register.widgets.SearchSelect``): then its page loads their scripts
and the form names the options endpoint they ask."""

from django import template

register = template.Library()


@register.filter
def searches(form):
    return any("data-options" in field.widget.attrs for field in form.fields.values())
