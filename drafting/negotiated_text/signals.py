"""What the negotiated text announces, for other areas to act on without being imported here.

Receivers run in the sender's transaction, before it commits, and must not commit.

- `amendments_followed(revision, before=TextRevision, followed={position_id: [FollowedAmendment]})`:
  the amendments anchored to `before` were given their status in `revision` (only those given one
  by this run: a second run of the same job announces nothing new).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

amendments_followed = _signals.signal("amendments-followed")
