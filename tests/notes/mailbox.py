"""Settings for tests that run `manage.py send_followup_reminders` in another process.

    DJANGO_SETTINGS_MODULE=tests.notes.mailbox RELANCE_TEST_MAILBOX=/tmp/x manage.py ...

The test settings, with a mail backend that writes each message to its own file in
RELANCE_TEST_MAILBOX (what the users received, across processes). When
RELANCE_TEST_MAIL_STALL names a file, sending touches it and then hangs as a stalled
mail server would: the test kills the process there, after the claim, before the send.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

from crm.settings_test import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "tests.notes.mailbox.MailboxBackend"}}


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, messages):
        stall = os.environ.get("RELANCE_TEST_MAIL_STALL")
        if stall:
            Path(stall).touch()
            time.sleep(120)
        box = Path(os.environ["RELANCE_TEST_MAILBOX"])
        for message in messages:
            (box / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        return len(messages)


def received(box: Path) -> list[str]:
    """The recipients of the messages in the mailbox, one entry per message, sorted."""
    from email import message_from_bytes

    return sorted(message_from_bytes(path.read_bytes())["To"] for path in box.glob("*.eml"))
