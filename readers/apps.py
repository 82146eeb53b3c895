from django.apps import AppConfig


class ReadersConfig(AppConfig):
    name = "readers"
    verbose_name = "Readers' sign-in"

    def ready(self):
        from allauth.account.signals import user_logged_in

        from blog import extensions

        from . import privacy
        from .avatars import keep_picture_for_comments

        # The comment box: "sign in with …" for anonymous readers, "Log out?" after.
        extensions.add_to_slot("comment_form_sign_in", "readers/sign_in_links.html")
        extensions.add_to_slot("comment_form_signed_in", "readers/sign_out_link.html")
        # Readers' accounts at providers go with the rest of their personal data.
        extensions.add_personal_data("sign_in_accounts", privacy.export, privacy.erase)
        user_logged_in.connect(keep_picture_for_comments, dispatch_uid="readers-picture")
