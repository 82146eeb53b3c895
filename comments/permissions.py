"""The Moderators group: review comments, and nothing else."""

from .models import MODERATORS_GROUP

MODERATOR_PERMISSIONS = [
    ("comments", "blogcomment", ["view", "change"]),
    ("comments", "commenthistory", ["view"]),
]


def ensure_moderators_group(**kwargs):
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    codenames = [
        f"{action}_{model}" for _, model, actions in MODERATOR_PERMISSIONS for action in actions
    ]
    permissions = Permission.objects.filter(
        content_type__app_label="comments", codename__in=codenames
    )
    group.permissions.set(permissions)
