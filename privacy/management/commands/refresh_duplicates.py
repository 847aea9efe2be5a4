from django.core.management.base import BaseCommand

from privacy import duplicates


class Command(BaseCommand):
    help = ("Compute the possible duplicates of the contacts changed since the last look (all of them the "
            "first time: minutes for 100,000 contacts). The duplicates page does it itself for small changes.")

    def handle(self, *args, **options):
        self.stdout.write(f"{duplicates.refresh()} contact(s) looked at again.")
