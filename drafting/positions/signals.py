"""What the positions area announces, for other areas to act on without being imported here.

Receivers run in the sender's transaction, before it commits: what they add to `db.session` (an
outbox message, say) commits or rolls back together with the move. They must not commit.

- `position_moved(position, event=StageEvent, comment_visibility="shared"|"internal"|None)`:
  `transition()` changed a position's stage (or recorded an approval that does not change it yet).
- `comment_added(comment, comment=Comment)`: someone commented on a position.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

position_moved = _signals.signal("position-moved")
comment_added = _signals.signal("comment-added")
