"""Bring existing images and bodies up to date with responsive serving.

    python manage.py responsive_images            # missing copies, then every body
    python manage.py responsive_images --remake   # make every image's copies again

Images uploaded before renditions existed get their copies; then every post and
page body with an image gets the markup a save would give it (srcset, sizes,
width, height, lazy loading), written without touching its modification time.
Running it twice changes nothing the second time.
"""

from django.core.management.base import BaseCommand

from blog.models import Image, Page, Post, prepare_html
from core.content_version import bump_content_version


class Command(BaseCommand):
    help = "Make missing image copies and add responsive markup to existing bodies."

    def add_arguments(self, parser):
        parser.add_argument("--remake", action="store_true", help="make every image's copies again")

    def handle(self, *args, remake=False, **options):
        made = 0
        for image in Image.objects.order_by("pk").iterator(chunk_size=200):
            if remake or not image.renditions:
                image.renditions = {}
                image.save()
                made += 1
        self.stdout.write(f"Images: {made} given their copies.")

        updated = 0
        for model in (Post, Page):
            with_images = model.objects.filter(body__contains="<img").only("pk", "body")
            for item in with_images.order_by("pk").iterator(chunk_size=200):
                body = prepare_html(item.body)
                if body != item.body:
                    model.objects.filter(pk=item.pk).update(body=body)
                    updated += 1
        if updated or made:
            bump_content_version()  # update() bypasses the signals that usually do this
        self.stdout.write(f"Bodies: {updated} updated.")
