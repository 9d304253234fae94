"""The accounts' background job: answering "Forgot password?".

The page only queues this job, whether or not the address has an account, so its answer and its
timing say nothing about which addresses exist; the worker looks the account up and writes the
e-mail (drafting/accounts/links.py), which the outbox then sends.
"""

from __future__ import annotations

from drafting.accounts import links
from drafting.worker import huey


@huey.task()
def request_password_reset(email: str) -> None:
    links.request_reset(email)
