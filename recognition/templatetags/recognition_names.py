from django import template

from recognition.names import public_name as _public_name

register = template.Library()


@register.filter
def public_name(person) -> str:
    return _public_name(person)
