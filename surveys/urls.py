"""Pulse surveys and 1:1s: pages under /o/<org_slug>/surveys/."""

from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.InboxView.as_view(), name="inbox"),
    path("surveys/prompt/", views.PromptView.as_view(), name="prompt"),
    path("surveys/rounds/<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("surveys/manage/", views.ManageView.as_view(), name="manage"),
    path("surveys/settings/", views.SettingsView.as_view(), name="settings"),
    path("surveys/new/", views.SurveyCreateView.as_view(), name="survey_create"),
    path("surveys/<int:pk>/", views.SurveyDetailView.as_view(), name="survey"),
    path("surveys/<int:pk>/questions/", views.QuestionAddView.as_view(), name="question_add"),
    path(
        "surveys/questions/<int:pk>/remove/",
        views.QuestionRemoveView.as_view(),
        name="question_remove",
    ),
    path("surveys/<int:pk>/open/", views.RoundOpenView.as_view(), name="round_open"),
    path("surveys/rounds/<int:pk>/close/", views.RoundCloseView.as_view(), name="round_close"),
    path("surveys/rounds/<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("surveys/rounds/<int:pk>/export.csv", views.ExportView.as_view(), name="export"),
    path("surveys/one-on-ones/", views.OneOnOneListView.as_view(), name="one_on_ones"),
    path("surveys/meetings/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("surveys/meetings/<int:pk>/agenda/", views.AgendaAddView.as_view(), name="agenda_add"),
    path("surveys/agenda/<int:pk>/toggle/", views.AgendaToggleView.as_view(), name="agenda_toggle"),
    path(
        "surveys/meetings/<int:pk>/notes/<str:which>/", views.NotesSaveView.as_view(), name="notes"
    ),
    path("surveys/meetings/<int:pk>/actions/", views.ActionAddView.as_view(), name="action_add"),
    path(
        "surveys/actions/<int:pk>/toggle/", views.ActionToggleView.as_view(), name="action_toggle"
    ),
]
