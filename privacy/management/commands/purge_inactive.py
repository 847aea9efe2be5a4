from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from privacy.erasure import ErasureBlocked, erase_contact
from privacy.retention import inactive_contacts


class Command(BaseCommand):
    help = ("Erase the inactive contacts with no note and no change for PRIVACY_RETENTION_YEARS years "
            "(with their people, notes, opportunities and history). Each contact is erased in its own "
            "transaction, so a run stopped half-way leaves whole contacts; safe to run again from cron.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what the rule selects; change nothing.")
        parser.add_argument("--years", type=int, help="Override PRIVACY_RETENTION_YEARS for this run.")

    def handle(self, *args, dry_run=False, years=None, **options):
        years = settings.PRIVACY_RETENTION_YEARS if years is None else years
        if years <= 0:
            raise CommandError("No retention rule: set PRIVACY_RETENTION_YEARS (years, e.g. 7) or pass --years.")
        selected = list(inactive_contacts(years).only("pk", "name"))
        erased, blocked = 0, 0
        for contact in selected:
            self.stdout.write(f"{contact.pk}\t{contact.name}")
            if not dry_run:
                try:
                    erase_contact(contact=contact, user=None, action="purge")
                except ErasureBlocked as error:  # rolled back; the others go on
                    self.stderr.write(f"{contact.pk}: not erased, {error.args[0]} still refer to it")
                    blocked += 1
                else:
                    erased += 1
        if dry_run:
            self.stdout.write(f"{len(selected)} contact(s) would be erased (dry run: nothing changed).")
        else:
            self.stdout.write(f"{erased} contact(s) erased.")
        if blocked:
            raise CommandError(f"{blocked} contact(s) could not be erased: see the lines above.")
