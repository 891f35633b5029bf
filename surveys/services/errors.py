from django.core.exceptions import ValidationError


class AlreadyAnswered(ValidationError):
    pass


class RoundNotOpen(ValidationError):
    pass


class AnswersUnavailable(ValidationError):
    """Answers could not be kept safely just now; nothing was recorded."""


class FrozenBySurveyRound(ValidationError):
    """A change that would alter what a running or closed round asked or counted."""
