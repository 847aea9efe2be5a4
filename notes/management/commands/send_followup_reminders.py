import datetime

from django.core.management.base import BaseCommand, CommandError

from notes.reminders import CLAIM_LEASE, send_followup_reminders


class Command(BaseCommand):
    help = (
        "E-mail each user one digest of their overdue and today's actions, in their language. "
        "Run it daily from cron; running it again the same day sends nothing new, except the digests "
        "a run that died had claimed and not sent (after %d minutes)." % (CLAIM_LEASE.total_seconds() // 60)
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="The day to remind about, as YYYY-MM-DD (default: today).",
        )

    def handle(self, *args, date=None, **options):
        try:
            report = send_followup_reminders(day=date)
        except OSError as error:
            raise CommandError(f"Could not reach the mail server: {error}. Nothing was recorded; run again later.") from error
        self.stdout.write(f"{report.sent} reminder(s) sent.")
        if report.claimed_elsewhere:
            minutes = int(CLAIM_LEASE.total_seconds() // 60)
            self.stdout.write(
                f"{report.claimed_elsewhere} digest was claimed by another run less than {minutes} minutes ago "
                f"and is not sent yet; if no other run is going on, run again in {minutes} minutes to send it."
                if report.claimed_elsewhere == 1 else
                f"{report.claimed_elsewhere} digests were claimed by another run less than {minutes} minutes ago "
                f"and are not sent yet; if no other run is going on, run again in {minutes} minutes to send them."
            )
        if report.failed:
            for failure in report.failed:
                self.stderr.write(f"Not sent: {failure}")
            raise CommandError(f"{len(report.failed)} reminder(s) could not be sent; run again to retry them.")
