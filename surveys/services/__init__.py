"""Writes for surveys and 1:1s, one module per use case:

- `design`: the anonymity threshold, surveys, their audience and questions
- `rounds`: opening, closing and freezing rounds, invitations and reminders
- `answering`: validating and sealing one person's answers
- `one_on_ones`: 1:1 series, meetings, agenda, notes and actions
"""

from .answering import MAX_COMMENT, response_submit
from .design import (
    PERIOD_DAYS,
    question_add,
    question_add_from_bank,
    question_remove,
    survey_audience_update,
    survey_create,
    survey_schedule_validate,
    survey_settings_update,
)
from .errors import AlreadyAnswered, AnswersUnavailable, FrozenBySurveyRound, RoundNotOpen
from .one_on_ones import (
    MEETING_REMINDER_BEFORE,
    action_item_add,
    action_item_toggle,
    agenda_item_add,
    agenda_item_toggle,
    meeting_ensure_next,
    meeting_reminders_send,
    one_on_one_create,
    private_note_save,
    shared_notes_save,
)
from .rounds import (
    REMINDER_BEFORE_CLOSE,
    round_close,
    round_ensure_frozen,
    round_finalize,
    round_invitations_send,
    round_open,
    round_reminders_send,
    rounds_finalize_due,
    rounds_open_due,
    rounds_remind_due,
)
from .schedule import next_occurrence

__all__ = [
    "MAX_COMMENT",
    "MEETING_REMINDER_BEFORE",
    "PERIOD_DAYS",
    "REMINDER_BEFORE_CLOSE",
    "AlreadyAnswered",
    "AnswersUnavailable",
    "FrozenBySurveyRound",
    "RoundNotOpen",
    "action_item_add",
    "action_item_toggle",
    "agenda_item_add",
    "agenda_item_toggle",
    "meeting_ensure_next",
    "meeting_reminders_send",
    "next_occurrence",
    "one_on_one_create",
    "private_note_save",
    "question_add",
    "question_add_from_bank",
    "question_remove",
    "response_submit",
    "round_close",
    "round_ensure_frozen",
    "round_finalize",
    "round_invitations_send",
    "round_open",
    "round_reminders_send",
    "rounds_finalize_due",
    "rounds_open_due",
    "rounds_remind_due",
    "shared_notes_save",
    "survey_audience_update",
    "survey_create",
    "survey_schedule_validate",
    "survey_settings_update",
]
