from django import template

from core import live_fragments

register = template.Library()


@register.simple_tag
def live_fragment(name):
    """A placeholder the page cache middleware fills with the fragment's current HTML."""
    return live_fragments.placeholder(name)
