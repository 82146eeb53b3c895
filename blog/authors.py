"""How the blog names the people who write it."""


def display_name(user):
    """The name readers see: the full name, or the username when there is none."""
    return user.get_full_name() or user.get_username()
