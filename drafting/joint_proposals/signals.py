"""What the joint proposal announces, for other areas (the notifications) to act on.

Receivers run in the sender's transaction, before it commits, and must not commit.

- `proposal_asked(proposal, networks=[Organisation], positions={organisation id: Position})`: a joint
  proposal was recorded, or its wording or kind changed (a new round): the networks whose amendments it
  concerns are asked to answer. `positions` gives, for each, a position of theirs with an amendment to
  the paragraph (what the message is about).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

proposal_asked = _signals.signal("joint-proposal-asked")
