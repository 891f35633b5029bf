"""Writes of the content library, one module per use case:

- `items`: creating and editing items with their captions, topics and audience; previews
- `workflow`: submit, approve (with compliance review), reject, archive, restore, expire
- `rules`: library settings, topics, banned words
- `suggestions`, `guidelines`, `training`, `feeds`

Every function takes `organization=`, checks what it is handed with the core's access
helper, touches only that organization's rows and owns its transaction: a view or API
view calls one of them and never opens `atomic` itself. Status changes go through
`_common.status_change` (lock, check, save, record).
"""

from .feeds import feed_source_poll, feed_source_save
from .guidelines import guidelines_acknowledge, guidelines_publish
from .items import (
    EDITABLE_FIELDS,
    SUBSTANTIVE_FIELDS,
    content_create,
    content_preview_fetch,
    content_preview_request,
    content_set_audience,
    content_set_captions,
    content_update,
)
from .rules import banned_words_in, library_settings_update, topic_get_or_create
from .suggestions import suggestion_accept, suggestion_create, suggestion_decline
from .training import (
    PASS_MARK,
    course_save,
    lesson_complete,
    lesson_save,
    quiz_question_add,
)
from .workflow import (
    content_approve,
    content_archive,
    content_bulk_action,
    content_expire_due,
    content_reject,
    content_restore,
    content_submit,
)

__all__ = [
    "EDITABLE_FIELDS",
    "PASS_MARK",
    "SUBSTANTIVE_FIELDS",
    "banned_words_in",
    "content_approve",
    "content_archive",
    "content_bulk_action",
    "content_create",
    "content_expire_due",
    "content_preview_fetch",
    "content_preview_request",
    "content_reject",
    "content_restore",
    "content_set_audience",
    "content_set_captions",
    "content_submit",
    "content_update",
    "course_save",
    "feed_source_poll",
    "feed_source_save",
    "guidelines_acknowledge",
    "guidelines_publish",
    "lesson_complete",
    "lesson_save",
    "library_settings_update",
    "quiz_question_add",
    "suggestion_accept",
    "suggestion_create",
    "suggestion_decline",
    "topic_get_or_create",
]
