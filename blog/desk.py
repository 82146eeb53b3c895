"""The author's desk in the admin: revisions, autosave, preview of unsaved text and
the editor's word count, for posts and pages (`DeskAdminMixin`).

Every journey works without JavaScript: revisions, compare and restore are plain
links and forms; Preview is a submit button that sends the form to a new tab.
static/desk/desk.js adds the live word count and the autosave.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from core.ids import MAX_BIGINT, parse_id

from . import revisions
from .extensions import post_context
from .models import WORDS_PER_MINUTE
from .revisions import Kind, Revision
from .sanitizer import html_to_text


def reading_figures(words):
    """'1,234 words · 5 min read', by the same rule as Post.reading_minutes."""
    minutes = max(1, round(words / WORDS_PER_MINUTE))
    return f"{words:,} word{'' if words == 1 else 's'} · {minutes} min read"


def local_time(moment):
    moment = timezone.localtime(moment)
    if moment.date() == timezone.localdate():
        return date_format(moment, "H:i")
    return date_format(moment, "M j, Y, H:i")


class DeskAdminMixin:
    """For the post and page admins (blog/admin.py)."""

    change_form_template = "admin/blog/desk_change_form.html"
    preview_template = None  # the reader template, e.g. "blog/post_detail.html"

    class Media:
        css = {"all": ["desk/desk.css"]}
        js = ["desk/desk.js"]

    # URLs ---------------------------------------------------------------------

    def get_urls(self):
        def view(func, methods=None):
            if methods == "POST":
                func = require_POST(func)
            return self.admin_site.admin_view(func)

        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("preview/", view(self.preview_view, "POST"), name=f"{name}_preview"),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view, "POST"),
                name=f"{name}_autosave",
            ),
            path(
                "<path:object_id>/autosave/dismiss/",
                view(self.dismiss_autosave_view, "POST"),
                name=f"{name}_dismiss_autosave",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name=f"{name}_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                view(self.restore_view),
                name=f"{name}_restore_revision",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/preview/",
                view(self.revision_preview_view),
                name=f"{name}_preview_revision",
            ),
            # After the revision URLs: <path:…> would swallow them.
            path(
                "<path:object_id>/preview/",
                view(self.preview_view, "POST"),
                name=f"{name}_preview",
            ),
            *super().get_urls(),
        ]

    def desk_url(self, action, *args):
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{action}",
            args=args,
        )

    def editable_object(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(f"No {self.opts.verbose_name} with the id “{object_id}”.")
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    # The change form -----------------------------------------------------------

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        # "Restore" in the autosave offer: the form opens with the autosave's text;
        # nothing is stored until the author saves.
        wanted = parse_id(request.GET.get("autosave"), maximum=MAX_BIGINT)
        if obj is not None and request.method == "GET" and wanted is not None:
            autosave = (
                Revision.objects.of(obj).autosaves().filter(pk=wanted, author=request.user).first()
            )
            if autosave is not None:
                for name, value in autosave.fields().items():
                    if hasattr(obj, name):
                        setattr(obj, name, value)
                request.desk_loaded_autosave = autosave
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "body" in form.base_fields:
            words = len(html_to_text(obj.body).split()) if obj else 0
            form.base_fields["body"].help_text = format_html(
                '<span class="desk-words" data-words-per-minute="{}" aria-live="polite">{}</span>',
                WORDS_PER_MINUTE,
                reading_figures(words),
            )
        return form

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            loaded = getattr(request, "desk_loaded_autosave", None)
            if loaded is not None:
                context["desk_loaded_autosave"] = loaded
                context["desk_loaded_time"] = local_time(loaded.created_at)
            else:
                offer = revisions.newer_autosave(obj, request.user)
                if offer is not None:
                    context["desk_autosave"] = offer
                    context["desk_autosave_time"] = local_time(offer.created_at)
            context.update(
                desk_revisions_count=Revision.objects.of(obj).count(),
                desk_revisions_url=self.desk_url("revisions", obj.pk),
                desk_autosave_url=self.desk_url("autosave", obj.pk),
                desk_dismiss_url=self.desk_url("dismiss_autosave", obj.pk),
                desk_preview_url=self.desk_url("preview", obj.pk),
            )
        else:
            context["desk_preview_url"] = self.desk_url("preview")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        latest = Revision.objects.of(obj).saved().first()
        if latest is None or latest.fields() != revisions.tracked_values(obj):
            revisions.record(obj, request.user)
        else:
            # The text is the latest revision's: the author's autosave is settled.
            Revision.objects.of(obj).autosaves().filter(author=request.user).delete()

    # Autosave ------------------------------------------------------------------

    def autosave_view(self, request, object_id):
        obj = self.editable_object(request, object_id)
        values = {
            name: request.POST[name]
            for name in revisions.tracked_names(type(obj))
            if name in request.POST
        }
        if not values:
            return JsonResponse(
                {"error": "Nothing to autosave: no title or text sent."}, status=400
            )
        if any("\x00" in value for value in values.values()):  # no text column holds one
            return JsonResponse(
                {"error": "The text holds a NUL character; not autosaved."}, status=400
            )
        limit = Revision._meta.get_field("title").max_length
        if len(values.get("title", "")) > limit:
            return JsonResponse(
                {"error": f"The title is longer than {limit} characters; not autosaved."},
                status=400,
            )
        saved = revisions.autosave(obj, request.user, values)
        if saved is None:
            return JsonResponse({"saved": False, "message": "No changes to autosave."})
        return JsonResponse(
            {"saved": True, "message": f"Autosaved at {local_time(saved.created_at)}."}
        )

    def dismiss_autosave_view(self, request, object_id):
        obj = self.editable_object(request, object_id)
        Revision.objects.of(obj).autosaves().filter(author=request.user).delete()
        messages.info(request, "The autosave was dismissed.")
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                                args=[obj.pk]))  # fmt: skip

    # Preview -------------------------------------------------------------------

    def preview_view(self, request, object_id=None):
        """The reader's page with the form's unsaved text; nothing is stored."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            obj = self.model()
            if hasattr(obj, "author_id"):
                obj.author = request.user
        else:
            obj = self.editable_object(request, object_id)
        for name in ("title", "slug", *revisions.tracked_names(self.model)):
            if name in request.POST:
                setattr(obj, name, request.POST[name])
        return self.render_preview(request, obj)

    def revision_preview_view(self, request, object_id, revision_id):
        obj = self.editable_object(request, object_id)
        revision = get_object_or_404(Revision.objects.of(obj), pk=revision_id)
        for name, value in revision.fields().items():
            if hasattr(obj, name):
                setattr(obj, name, value)
        return self.render_preview(request, obj)

    def render_preview(self, request, obj):
        obj.slug = obj.slug or "preview"
        now = timezone.now()
        # An item never saved or published shows the dates it would carry if it were now.
        obj.published_at = obj.published_at or now
        obj.created_at, obj.updated_at = obj.created_at or now, obj.updated_at or now
        obj.prepare_body()  # the sanitiser, as on save
        if obj.pk is None:
            # An item never saved has no relations yet; id 0 finds none of them.
            obj.pk = obj.id = 0
        context = {
            "object": obj,
            self.opts.model_name: obj,
            "page_title": obj.title,
            "unsaved_preview": True,
            "fragment_seconds": 0,  # nothing of an unsaved text goes into the cache
        }
        if hasattr(obj, "summary"):
            context.update(page_description=obj.summary, og_type="article")
            context.update(post_context(obj, request))
        response = TemplateResponse(request, self.preview_template, context)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    # Revisions -----------------------------------------------------------------

    def revisions_view(self, request, object_id):
        obj = self.editable_object(request, object_id)
        rows = list(Revision.objects.of(obj).select_related("author"))
        by_id = {str(revision.pk): revision for revision in rows}
        saved = [revision for revision in rows if revision.kind != Kind.AUTOSAVE]
        names = revisions.tracked_names(self.model)
        older, newer, problem = None, None, ""
        if "a" in request.GET or "b" in request.GET:
            older, newer = by_id.get(request.GET.get("a")), by_id.get(request.GET.get("b"))
            if older is None or newer is None:
                problem = f"Choose two revisions of this {self.opts.verbose_name} to compare."
                older = newer = None
            elif older.created_at > newer.created_at:
                older, newer = newer, older
        elif len(saved) >= 2:
            older, newer = saved[1], saved[0]
        comparison = revisions.compare(older.fields(), newer.fields(), names) if newer else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Revisions of “{obj}”",
            "subtitle": None,
            "revisions": rows,
            "older": older,
            "newer": newer,
            "comparison": comparison,
            "problem": problem,
            "change_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
            ),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/blog/revisions.html", context)

    def restore_view(self, request, object_id, revision_id):
        obj = self.editable_object(request, object_id)
        revision = get_object_or_404(
            Revision.objects.of(obj).select_related("author"), pk=revision_id
        )
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk]
        )
        if request.method == "POST":
            revisions.restore(obj, revision, request.user)
            messages.success(
                request,
                f"The revision of {local_time(revision.created_at)} was restored and saved; "
                "the text before it is kept as a revision too.",
            )
            return redirect(change_url)
        names = revisions.tracked_names(self.model)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "title": f"Restore a revision of “{obj}”",
            "subtitle": None,
            "revision": revision,
            "revision_time": local_time(revision.created_at),
            "comparison": revisions.compare(
                revisions.tracked_values(obj), revision.fields(), names
            ),
            "change_url": change_url,
            "revisions_url": self.desk_url("revisions", obj.pk),
            "preview_url": self.desk_url("preview_revision", obj.pk, revision.pk),
        }
        return TemplateResponse(request, "admin/blog/revision_restore.html", context)
