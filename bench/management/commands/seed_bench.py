import datetime

from django.core.management.base import BaseCommand, CommandError

from bench import seed as bench_seed
from bench.seed import SCALES, is_seeded


class Command(BaseCommand):
    help = ("Load the benchmark data set (S, M or L; XS for the harness's test) into this database: "
            "deterministic for a given --seed and --anchor.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="S")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--anchor", type=datetime.date.fromisoformat,
                            help="The day the data treats as today (YYYY-MM-DD); default: today.")
        parser.add_argument("--replace", action="store_true",
                            help="Empty the CRM tables (contacts, people, notes, opportunities) first.")
        parser.add_argument("--if-needed", action="store_true",
                            help="Do nothing when the database already holds this scale's data.")

    def handle(self, *args, scale, seed: int, anchor, replace, if_needed, **options):
        if if_needed and is_seeded(SCALES[scale]):
            self.stdout.write(f"Scale {scale} already loaded; nothing to do.")
            return
        try:
            counts = bench_seed.seed(scale=scale, seed=seed, anchor=anchor, replace=replace or if_needed,
                          stream=self.stderr._out)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in counts.items()))
