"""Pages of the content library, guidelines and training. Thin: forms validate,
services write, selectors read; every row comes through the organization."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.ids import as_id
from advocacy.tenancy.item_figures import item_figures_for
from advocacy.tenancy.permissions import ADMINS, CURATORS, EVERYONE
from advocacy.tenancy.tasks import enqueue_on_commit
from advocacy.tenancy.views import OrgView

from . import selectors, services
from .forms import (
    CaptionFormSet,
    ContentItemForm,
    CourseForm,
    FeedSourceForm,
    GuidelinesForm,
    LessonForm,
    LibraryFilterForm,
    LibrarySettingsForm,
    QuizQuestionForm,
    RejectForm,
    SuggestionForm,
)
from .models import Caption, ContentItem, Course, FeedSource, GuidelinesVersion, Lesson, Suggestion
from .networks import LINK_LENGTH, NETWORK_LIMITS
from .tasks import feed_source_poll_task


def _url(view: OrgView, name: str, **kwargs) -> str:
    return reverse(f"content_library:{name}", kwargs={"org_slug": view.organization.slug, **kwargs})


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- the library ---------------------------------------------------------------------------


class LibraryView(OrgView):
    allowed_roles = CURATORS

    def get(self, request):
        form = LibraryFilterForm(request.GET or None, organization=self.organization)
        filters = form.cleaned_data if form.is_valid() else {}
        items = selectors.content_list(
            organization=self.organization,
            search=filters.get("q") or "",
            status=filters.get("status") or "",
            topic=filters.get("topic"),
            kind=filters.get("kind") or "",
            language=filters.get("language") or "",
            audience=filters.get("audience") or "",
            created_from=filters.get("created_from"),
            created_to=filters.get("created_to"),
        )
        page = Paginator(items, 25).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        # Each item's performance, from whichever app knows it (analytics), for the
        # whole page at once.
        figures = item_figures_for(
            organization=self.organization, kind="content", ids=[item.pk for item in page]
        )
        for item in page:
            item.figures = [value for found in figures for value in found["values"][item.pk]]
        return render(
            request,
            "content_library/library.html",
            {
                "filter_form": form,
                "page": page,
                "figures": figures,
                "query": query.urlencode(),
                "review_count": selectors.review_queue(
                    organization=self.organization, membership=self.membership
                ).count(),
                "suggestion_count": selectors.suggestion_list(
                    organization=self.organization
                ).count(),
            },
        )


class BulkActionView(OrgView):
    allowed_roles = CURATORS

    def post(self, request):
        ids = [pk for pk in map(as_id, request.POST.getlist("items")) if pk]
        action = request.POST.get("action", "")
        try:
            done, failed = services.content_bulk_action(
                organization=self.organization,
                actor=self.membership,
                content_ids=ids,
                action=action,
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            if done:
                messages.success(request, _("%(count)s items updated.") % {"count": len(done)})
            for reason in sorted(set(failed.values())):
                messages.warning(request, reason)
        return redirect(request.POST.get("next") or _url(self, "library"))


class ItemCreateView(OrgView):
    allowed_roles = CURATORS

    def get(self, request):
        form = ContentItemForm(
            organization=self.organization, initial={"url": request.GET.get("url", "")}
        )
        return render(
            request,
            "content_library/item_form.html",
            {
                "form": form,
                "captions": CaptionFormSet(prefix="captions"),
                **_editor(self.organization),
            },
        )

    def post(self, request):
        form = ContentItemForm(request.POST, request.FILES, organization=self.organization)
        captions = CaptionFormSet(request.POST, prefix="captions")
        if form.is_valid() and captions.is_valid():
            try:
                item = services.content_create(
                    organization=self.organization,
                    actor=self.membership,
                    data=form.service_data(),
                    topics=form.chosen_topics(services.topic_get_or_create),
                    audience=form.audience(),
                    captions=_caption_pairs(captions),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved as a draft."))
                return redirect(_url(self, "item_edit", pk=item.pk))
        return render(
            request,
            "content_library/item_form.html",
            {"form": form, "captions": captions, **_editor(self.organization)},
            status=400,
        )


def _caption_pairs(formset) -> list[tuple[str, str]]:
    return [
        (f.cleaned_data.get("network") or "", f.cleaned_data["text"].strip())
        for f in formset.forms
        if f.cleaned_data.get("text", "").strip()
    ]


def _editor(organization) -> dict:
    """What the editor's script needs to count and preview like each network."""
    rules = selectors.library_settings_get(organization=organization)
    disclosure = rules.disclosure.strip() if rules.disclosure_required else ""
    return {
        "disclosure": disclosure,
        "network_limits": {
            "limits": NETWORK_LIMITS,
            "link_length": LINK_LENGTH,
            "disclosure": disclosure,
            "disclosure_networks": rules.disclosure_networks or [],
        },
    }


class ItemEditView(OrgView):
    allowed_roles = CURATORS

    def _context(self, item, form, captions) -> dict:
        return {
            "item": item,
            "form": form,
            "captions": captions,
            "reject_form": RejectForm(),
            "events": selectors.content_events(organization=self.organization, content=item)[:50],
            "can_compliance": self.membership.is_admin
            and item.approved_by_id != self.membership.pk,
            **_editor(self.organization),
        }

    def get(self, request, pk):
        item = self.get_org_object(ContentItem, pk=pk)
        initial = [
            {"network": c.network, "text": c.text}
            for c in Caption.objects.for_org(self.organization).filter(content=item)
        ]
        form = ContentItemForm(instance=item, organization=self.organization)
        return render(
            request,
            "content_library/item_edit.html",
            self._context(item, form, CaptionFormSet(prefix="captions", initial=initial)),
        )

    def post(self, request, pk):
        item = self.get_org_object(ContentItem, pk=pk)
        form = ContentItemForm(
            request.POST, request.FILES, instance=item, organization=self.organization
        )
        captions = CaptionFormSet(request.POST, prefix="captions")
        if form.is_valid() and captions.is_valid():
            try:
                item = services.content_update(
                    organization=self.organization,
                    actor=self.membership,
                    content=item,
                    data=form.service_data(),
                    topics=form.chosen_topics(services.topic_get_or_create),
                    audience=form.audience(),
                    captions=_caption_pairs(captions),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect(_url(self, "item_edit", pk=item.pk))
        item.refresh_from_db()
        return render(
            request,
            "content_library/item_edit.html",
            self._context(item, form, captions),
            status=400,
        )


class ItemPreviewView(OrgView):
    """The link preview card; htmx polls it while the fetch is running."""

    allowed_roles = CURATORS

    def get(self, request, pk):
        item = self.get_org_object(ContentItem, pk=pk)
        return render(
            request, "content_library/partials/preview_card.html", {"item": item, "poll": True}
        )


class ItemRefetchView(OrgView):
    allowed_roles = CURATORS

    def post(self, request, pk):
        item = self.get_org_object(ContentItem, pk=pk)
        if item.url:
            services.content_preview_request(organization=self.organization, content=item)
        return redirect(_url(self, "item_edit", pk=item.pk))


class ItemTransitionView(OrgView):
    """Submit, approve, reject, archive or restore one item."""

    allowed_roles = CURATORS
    action = ""

    def post(self, request, pk):
        item = self.get_org_object(ContentItem, pk=pk)
        kwargs = {"organization": self.organization, "actor": self.membership, "content": item}
        try:
            if self.action == "reject":
                services.content_reject(**kwargs, note=request.POST.get("note", ""))
            else:
                getattr(services, f"content_{self.action}")(**kwargs)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            item.refresh_from_db()
            messages.success(
                request,
                _("The item's status is now: %(status)s.") % {"status": item.get_status_display()},
            )
        return redirect(request.POST.get("next") or _url(self, "item_edit", pk=item.pk))


class ReviewQueueView(OrgView):
    allowed_roles = CURATORS

    def get(self, request):
        items = selectors.review_queue(
            organization=self.organization, membership=self.membership
        ).prefetch_related("captions")
        return render(
            request, "content_library/review.html", {"items": items, "reject_form": RejectForm()}
        )


# --- suggestions -----------------------------------------------------------------------------


class SuggestView(OrgView):
    allowed_roles = EVERYONE

    def _mine(self):
        return self.org_queryset(Suggestion).filter(suggested_by=self.membership)[:20]

    def get(self, request):
        return render(
            request,
            "content_library/suggest.html",
            {"form": SuggestionForm(), "mine": self._mine()},
        )

    def post(self, request):
        form = SuggestionForm(request.POST)
        if form.is_valid():
            services.suggestion_create(
                organization=self.organization, membership=self.membership, **form.cleaned_data
            )
            messages.success(request, _("Thank you! The content team will have a look."))
            return redirect(_url(self, "suggest"))
        return render(
            request,
            "content_library/suggest.html",
            {"form": form, "mine": self._mine()},
            status=400,
        )


class SuggestionQueueView(OrgView):
    allowed_roles = CURATORS

    def get(self, request):
        return render(
            request,
            "content_library/suggestions.html",
            {
                "suggestions": selectors.suggestion_list(organization=self.organization),
            },
        )


class SuggestionDecisionView(OrgView):
    allowed_roles = CURATORS
    accept = True

    def post(self, request, pk):
        suggestion = self.get_org_object(Suggestion, pk=pk)
        try:
            if self.accept:
                item = services.suggestion_accept(
                    organization=self.organization, actor=self.membership, suggestion=suggestion
                )
                messages.success(request, _("Added to the library as a draft."))
                return redirect(_url(self, "item_edit", pk=item.pk))
            services.suggestion_decline(
                organization=self.organization, actor=self.membership, suggestion=suggestion
            )
            messages.success(request, _("Suggestion declined."))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect(_url(self, "suggestions"))


# --- feed sources and settings -----------------------------------------------------------------


class SourcesView(OrgView):
    allowed_roles = CURATORS

    def get(self, request):
        return self._render(request, FeedSourceForm(organization=self.organization))

    def post(self, request):
        form = FeedSourceForm(request.POST, organization=self.organization)
        if form.is_valid():
            try:
                source = services.feed_source_save(
                    organization=self.organization, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                enqueue_on_commit(
                    feed_source_poll_task, organization_id=self.organization.pk, source_id=source.pk
                )
                messages.success(
                    request,
                    _("Feed added; its new entries will arrive in the review queue as drafts."),
                )
                return redirect(_url(self, "sources"))
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(
            request,
            "content_library/sources.html",
            {
                "form": form,
                "sources": selectors.feed_source_list(organization=self.organization),
            },
            status=status,
        )


class SourcePollView(OrgView):
    allowed_roles = CURATORS

    def post(self, request, pk):
        # "Poll now" is queued like the API's: no fetch runs inside a web request.
        source = self.get_org_object(FeedSource, pk=pk)
        enqueue_on_commit(
            feed_source_poll_task, organization_id=self.organization.pk, source_id=source.pk
        )
        messages.info(
            request,
            _(
                "The feed is being checked. New entries appear in the library in a minute; "
                "a problem with the feed shows on this page."
            ),
        )
        return redirect(_url(self, "sources"))


class LibrarySettingsView(OrgView):
    allowed_roles = ADMINS

    def get(self, request):
        rules = selectors.library_settings_get(organization=self.organization)
        return render(
            request, "content_library/settings.html", {"form": LibrarySettingsForm(instance=rules)}
        )

    def post(self, request):
        rules = selectors.library_settings_get(organization=self.organization)
        form = LibrarySettingsForm(request.POST, instance=rules)
        if form.is_valid():
            services.library_settings_update(
                organization=self.organization,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
            messages.success(request, _("Library settings saved."))
            return redirect(_url(self, "settings"))
        return render(request, "content_library/settings.html", {"form": form}, status=400)


# --- guidelines ------------------------------------------------------------------------------------


class GuidelinesView(OrgView):
    allowed_roles = EVERYONE

    def get(self, request):
        current = selectors.guidelines_current(organization=self.organization)
        return render(
            request,
            "content_library/guidelines.html",
            {
                "current": current,
                "acknowledged": selectors.guidelines_acknowledged(
                    organization=self.organization, membership=self.membership
                ),
                "versions": selectors.guidelines_version_list(organization=self.organization)
                if self.membership.is_admin
                else None,
                "form": GuidelinesForm(
                    initial={"title": current.title, "body": current.body} if current else None
                )
                if self.membership.is_admin
                else None,
                "next": request.GET.get("next", ""),
            },
        )

    def post(self, request):
        """Acknowledge the current version."""
        try:
            services.guidelines_acknowledge(
                organization=self.organization, membership=self.membership
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Thank you for reading the guidelines."))
        next_url = request.POST.get("next", "")
        if next_url.startswith(f"/o/{self.organization.slug}/"):
            return redirect(next_url)
        return redirect(_url(self, "guidelines"))


class GuidelinesPublishView(OrgView):
    allowed_roles = ADMINS

    def post(self, request):
        form = GuidelinesForm(request.POST)
        if form.is_valid():
            try:
                version = services.guidelines_publish(
                    organization=self.organization, actor=self.membership, **form.cleaned_data
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(
                    request,
                    _("Version %(number)s published. Everyone will be asked to acknowledge it.")
                    % {"number": version.number},
                )
        else:
            messages.error(request, _("The guidelines need a title and a text."))
        return redirect(_url(self, "guidelines"))


class GuidelinesAcknowledgementsView(OrgView):
    allowed_roles = ADMINS

    def get(self, request, pk):
        version = self.get_org_object(GuidelinesVersion, pk=pk)
        rows = selectors.guidelines_acknowledgement_status(
            organization=self.organization, version=version
        )
        return render(
            request,
            "content_library/guidelines_acks.html",
            {
                "version": version,
                "rows": rows,
                "done": sum(1 for r in rows if r["acknowledged_at"]),
            },
        )


# --- training --------------------------------------------------------------------------------------


class TrainingView(OrgView):
    allowed_roles = EVERYONE

    def get(self, request):
        context = {
            "courses": selectors.course_list_for_member(
                organization=self.organization, membership=self.membership
            )
        }
        if self.membership.is_admin:
            context["all_courses"] = self.org_queryset(Course)
            context["course_form"] = CourseForm(organization=self.organization)
        return render(request, "content_library/training.html", context)


class CourseCreateView(OrgView):
    allowed_roles = ADMINS

    def post(self, request):
        form = CourseForm(request.POST, organization=self.organization)
        if form.is_valid():
            course = services.course_save(
                organization=self.organization,
                audience=form.audience(),
                **{name: form.cleaned_data[name] for name in CourseForm.Meta.fields},
            )
            return redirect(_url(self, "course_manage", pk=course.pk))
        messages.error(request, _("Please check the course details."))
        return redirect(_url(self, "training"))


class CourseView(OrgView):
    allowed_roles = EVERYONE

    def get(self, request, pk):
        course = self.get_org_object(Course, pk=pk)
        if not self.membership.is_admin and not (
            course.is_published
            and selectors.course_assigned_to(
                organization=self.organization, course=course, membership=self.membership
            )
        ):
            return render(request, "content_library/course_unavailable.html", status=404)
        lessons = selectors.lessons_with_progress(
            organization=self.organization, course=course, membership=self.membership
        )
        done = sum(1 for row in lessons if row["progress"])
        return render(
            request,
            "content_library/course.html",
            {
                "course": course,
                "lessons": lessons,
                "done": done,
                "percent": round(100 * done / len(lessons)) if lessons else 0,
            },
        )


class LessonView(OrgView):
    allowed_roles = EVERYONE

    def _lesson(self, pk):
        lesson = self.get_org_object(Lesson, pk=pk)
        course = lesson.course
        if not self.membership.is_admin and not (
            course.is_published
            and selectors.course_assigned_to(
                organization=self.organization, course=course, membership=self.membership
            )
        ):
            return None
        return lesson

    def get(self, request, pk):
        lesson = self._lesson(pk)
        if lesson is None:
            return render(request, "content_library/course_unavailable.html", status=404)
        return render(
            request,
            "content_library/lesson.html",
            {"lesson": lesson, "questions": lesson.questions.all()},
        )

    def post(self, request, pk):
        lesson = self._lesson(pk)
        if lesson is None:
            return render(request, "content_library/course_unavailable.html", status=404)
        answers = {}
        for question in lesson.questions.all():
            value = request.POST.get(f"q{question.pk}", "")
            if value.isdigit():
                answers[question.pk] = int(value)
        try:
            services.lesson_complete(
                organization=self.organization,
                membership=self.membership,
                lesson=lesson,
                answers=answers,
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return render(
                request,
                "content_library/lesson.html",
                {
                    "lesson": lesson,
                    "questions": lesson.questions.all(),
                    "answers": answers,
                },
                status=400,
            )
        messages.success(request, _("Lesson completed."))
        return redirect(_url(self, "course", pk=lesson.course_id))


class CourseManageView(OrgView):
    """Admins edit a course, add lessons and quiz questions, and see completion by team."""

    allowed_roles = ADMINS

    def _render(
        self, request, course, *, form=None, lesson_form=None, question_form=None, status=200
    ):
        return render(
            request,
            "content_library/course_manage.html",
            {
                "course": course,
                "form": form or CourseForm(instance=course, organization=self.organization),
                "lesson_form": lesson_form or LessonForm(),
                "question_form": question_form or QuizQuestionForm(),
                "lessons": self.org_queryset(Lesson)
                .filter(course=course)
                .prefetch_related("questions"),
                "by_team": selectors.course_completion_by_team(
                    organization=self.organization, course=course
                ),
            },
            status=status,
        )

    def get(self, request, pk):
        return self._render(request, self.get_org_object(Course, pk=pk))

    def post(self, request, pk):
        course = self.get_org_object(Course, pk=pk)
        part = request.POST.get("part")
        if part == "lesson":
            form = LessonForm(request.POST)
            if not form.is_valid():
                return self._render(request, course, lesson_form=form, status=400)
            services.lesson_save(organization=self.organization, course=course, **form.cleaned_data)
        elif part == "question":
            form = QuizQuestionForm(request.POST)
            lesson = (
                self.org_queryset(Lesson)
                .filter(course=course, pk=request.POST.get("lesson") or 0)
                .first()
            )
            if not form.is_valid() or lesson is None:
                return self._render(request, course, question_form=form, status=400)
            services.quiz_question_add(
                organization=self.organization,
                lesson=lesson,
                prompt=form.cleaned_data["prompt"],
                choices=form.cleaned_data["choice_list"],
                correct_index=form.cleaned_data["correct"] - 1,
            )
        else:
            form = CourseForm(request.POST, instance=course, organization=self.organization)
            if not form.is_valid():
                return self._render(request, course, form=form, status=400)
            services.course_save(
                organization=self.organization,
                course=course,
                audience=form.audience(),
                **{name: form.cleaned_data[name] for name in CourseForm.Meta.fields},
            )
        messages.success(request, _("The course is saved."))
        return redirect(_url(self, "course_manage", pk=course.pk))
