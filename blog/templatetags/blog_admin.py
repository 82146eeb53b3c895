"""The admin's front page (templates/admin/index.html): the author's desk."""

from django import template

from blog.dashboard import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def author_desk(context):
    return desk(context["request"])
