import datetime

from django.core.management.base import BaseCommand, CommandError

from notes.reminders import send_followup_reminders


class Command(BaseCommand):
    help = (
        "E-mail each user one digest of their overdue and today's actions, in their language. "
        "Run it daily from cron; running it again the same day sends nothing new."
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
        if report.failed:
            for failure in report.failed:
                self.stderr.write(f"Not sent: {failure}")
            raise CommandError(f"{len(report.failed)} reminder(s) could not be sent; run again to retry them.")
