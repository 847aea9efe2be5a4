import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from notes.reminders import CLAIM_LEASE, send_followup_reminders

MINUTES = int(CLAIM_LEASE.total_seconds() // 60)


class Command(BaseCommand):
    help = gettext_lazy(
        "E-mail each user one digest of their overdue and today's actions, in their language. "
        "Run it daily from cron; running it again the same day sends nothing new, except the digests "
        "a run that died had claimed and not sent (after %(minutes)d minutes)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The help, too, in the site's language (argparse wants real strings).
        with translation.override(settings.LANGUAGE_CODE):
            self.help = str(self.help) % {"minutes": MINUTES}
            return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help=_("The day to remind about, as YYYY-MM-DD (default: today)."),
        )

    def handle(self, *args, date=None, **options):
        # What the command prints is in the site's language, whatever the shell's;
        # each digest is still written in its reader's language.
        with translation.override(settings.LANGUAGE_CODE):
            self.send(date)

    def send(self, date):
        try:
            report = send_followup_reminders(day=date)
        except OSError as error:
            raise CommandError(_("Could not reach the mail server: %(error)s. Nothing was recorded; run again later.")
                               % {"error": error}) from error
        self.stdout.write(ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", report.sent)
                          % {"count": report.sent})
        if report.claimed_elsewhere:
            self.stdout.write(ngettext(
                "%(count)d digest was claimed by another run less than %(minutes)d minutes ago and is not sent "
                "yet; if no other run is going on, run again in %(minutes)d minutes to send it.",
                "%(count)d digests were claimed by another run less than %(minutes)d minutes ago and are not sent "
                "yet; if no other run is going on, run again in %(minutes)d minutes to send them.",
                report.claimed_elsewhere,
            ) % {"count": report.claimed_elsewhere, "minutes": MINUTES})
        if report.failed:
            for failure in report.failed:
                self.stderr.write(_("Not sent: %(failure)s") % {"failure": failure})
            raise CommandError(ngettext(
                "%(count)d reminder could not be sent; run again to retry it.",
                "%(count)d reminders could not be sent; run again to retry them.",
                len(report.failed),
            ) % {"count": len(report.failed)})
