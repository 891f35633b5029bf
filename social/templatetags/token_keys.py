"""`{% token_keys_paused as paused %}`: whether work waits for a configuration fix."""

from django import template

from social.keycheck import keys_paused

register = template.Library()


@register.simple_tag
def token_keys_paused() -> bool:
    return keys_paused()
