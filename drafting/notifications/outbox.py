"""The outbox: emails are queued in the same transaction as the action, and sent after it commits."""


def queue_for_event(event, comment_visibility=None) -> None:
    """Queue the emails a stage event causes. Filled in with the notifications work."""


def queue_for_comment(comment) -> None:
    """Queue the emails a shared comment causes. Filled in with the notifications work."""
