import json
import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bench import runner
from bench.seed import SCALES


class Command(BaseCommand):
    help = ("Time the pages (in process, Django's test client) and the imports on the bench data; "
            "print a table and write JSON under bench/results/. --compare A.json B.json prints ratios.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="S",
                            help="The scale loaded by seed_bench (labels the report, sizes the imports).")
        parser.add_argument("--repeat", type=int, default=10, help="Timed requests per page.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed requests per page first.")
        parser.add_argument("--only", action="append", default=[],
                            help="Measure only pages whose name contains this (repeatable).")
        parser.add_argument("--skip", action="append", default=[],
                            help="Leave out pages whose name contains this (repeatable).")
        parser.add_argument("--persona", choices=["rep", "manager"], action="append",
                            help="Only this persona (default: both).")
        parser.add_argument("--no-imports", action="store_true", help="Skip the import timings.")
        parser.add_argument("--no-pages", action="store_true", help="Only the imports.")
        parser.add_argument("--import", dest="imports", action="append", default=[],
                            choices=["import_contacts", "import_notes", "import_opportunities", "web_import_contacts",
                                     "bulk_reassign_contacts"],
                            help="Time only this import (repeatable); all of them when not given.")
        parser.add_argument("--output", type=Path, default=runner.RESULTS_DIR, help="Folder of the JSON report.")
        parser.add_argument("--profile", metavar="PAGE",
                            help="Profile this page (cProfile and the slowest queries' plans) instead of timing.")
        parser.add_argument("--markdown", type=Path, metavar="REPORT.json",
                            help="Print a report as a Markdown table, and stop.")
        parser.add_argument("--compare", nargs=2, type=Path, metavar=("A.json", "B.json"),
                            help="Print B's figures as ratios of A's, and stop.")

    def handle(self, *args, scale, repeat, warmup, only, skip, persona, no_imports, no_pages, imports, output, profile, compare, markdown,
               **options):
        if markdown:
            self.stdout.write(runner.markdown(json.loads(markdown.read_text())))
            return
        if compare:
            try:
                first, second = (json.loads(path.read_text()) for path in compare)
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read the reports: {error}") from None
            self.stdout.write(runner.compare(first, second))
            return
        if not runner.counts()["contacts"]:
            raise CommandError("No contacts in this database: run seed_bench --scale S first.")
        pages = runner.default_pages(tuple(persona or ("rep", "manager")))
        if only:
            pages = [page for page in pages if any(word in page.name for word in only)]
        if skip:
            pages = [page for page in pages if not any(word in page.name for word in skip)]
        if profile:
            chosen = [page for page in pages if page.name == profile]
            if not chosen:
                raise CommandError(f"No page named {profile!r}: " + ", ".join(sorted({p.name for p in pages})))
            self.stdout.write(runner.profile_page(chosen[0]))
            return

        def echo(result):
            self.stderr.write(runner.row_line(result.__dict__, runner.database()["vendor"], scale))
            sys.stderr.flush()

        load_before = [round(load, 2) for load in os.getloadavg()]
        self.stderr.write(runner.HEADER)
        results = [] if no_pages else runner.measure_pages(pages, repeat=repeat, warmup=warmup, echo=echo)
        if not no_imports:
            sizes = SCALES[scale]
            results += runner.measure_imports(contacts=sizes.contacts, notes=max(sizes.notes // 10, 10),
                                              opportunities=max(sizes.opportunities // 10, 10), only=imports,
                                              echo=echo)
        report = runner.build_report(results, scale=scale, repeat=repeat, warmup=warmup,
                                     load_before=load_before)
        path = runner.write_report(report, output)
        self.stdout.write(runner.format_report(report))
        self.stdout.write(f"\nWritten to {path}")
