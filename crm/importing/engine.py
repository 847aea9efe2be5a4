"""The import engine: read, check every row, then write everything or nothing.

An importer describes its columns (Column) and says how to check and write a
batch of rows; the engine does the rest:

1. header → columns (accepted names in French and English, any case or
   accents); an unknown or repeated header stops at once;
2. check pass: every row is parsed and checked, batch by batch (the
   importer's check_batch looks the batch up in the database with a few
   queries); checked rows are spilled to a temporary file so the file is read
   and parsed once and memory stays bounded;
3. any error → ImportFailed with the first 50 errors, nothing written;
4. write pass (skipped by a dry run): the spilled batches go to the
   importer's write_batch. Both passes run inside ONE transaction.atomic, so
   the write pass may rely on what the check pass found in the database.
   On PostgreSQL its COPYs run in a worker thread
   (bulk_sql.copies_in_background): the database indexes one batch while
   Python plans the next.
"""

import pickle
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator, URLValidator
from django.db import DatabaseError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crm import writes
from crm.importing import bulk_sql, values
from crm.importing.sources import SourceError, open_source
from crm.importing.values import CellError
from crm.text import fold

MAX_ERRORS = 50


def header_key(name) -> str:
    """'Courriel ', 'E-MAIL', 'postal_code' → 'courriel', 'e-mail', 'postal code'."""
    return " ".join(fold(str(name or "")).replace("\ufeff", "").replace("_", " ").split())


@dataclass(frozen=True)
class Column:
    """One column an importer accepts.

    key: the name the importer uses (and the export writes); names: the other
    accepted header names, French and English; parse: cell → value, raising
    CellError; field: the model field whose validators (length, e-mail, web
    address) the value must pass; required: the header must be there and every
    row needs a value.
    """

    key: str
    names: tuple[str, ...] = ()
    parse: Callable[[Any], Any] = values.text
    field: Any = None
    required: bool = False

    @property
    def accepted(self) -> list[str]:
        names = [self.key]
        for name in self.names:
            if header_key(name) not in {header_key(other) for other in names}:
                names.append(name)
        return names


def columns_by_name(columns: list[Column]) -> dict[str, Column]:
    """header_key(an accepted name) → its column."""
    return {header_key(name): column for column in columns for name in column.accepted}


# Everyday e-mail and web addresses, matched by one cheap expression that
# accepts only what Django's (much slower) validators accept too: anything
# else still goes through the real validator, which gives the error message.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
PLAINLY_VALID = {
    EmailValidator: re.compile(
        r"[-!#$%&'*+/=?^_`{}|~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*@(?:" + _LABEL + r"\.)+[a-z]{2,63}\Z",
        re.IGNORECASE | re.ASCII,
    ),
    URLValidator: re.compile(r"https?://(?:" + _LABEL + r"\.)+[a-z]{2,63}(?:[/?#][^\s]*)?\Z",
                             re.IGNORECASE | re.ASCII),
}


class ParsePlan:
    """How to read one column of this file: where it is, and its checks made cheap.

    The length limit is compared directly and the other validators (e-mail,
    web address: regular expressions) are skipped when the value is the same
    as on the row before, as it is on the repeated rows of a contact.
    """

    __slots__ = ("index", "column", "plain_text", "max_length", "length_validators", "validators", "last_valid",
                 "plainly_valid")

    def __init__(self, index: int, column: Column):
        self.index = index
        self.column = column
        self.plain_text = column.parse is values.text
        field = column.field
        all_validators = list(field.validators) if field is not None else []
        self.max_length = getattr(field, "max_length", None) if isinstance(getattr(field, "max_length", None), int) else None
        self.length_validators = [v for v in all_validators if isinstance(v, MaxLengthValidator)]
        self.validators = [v for v in all_validators if not isinstance(v, MaxLengthValidator)]
        self.last_valid = None
        self.plainly_valid = None
        if len(self.validators) == 1:
            validator = self.validators[0]
            if not isinstance(validator, URLValidator) or {"http", "https"} <= set(validator.schemes):
                self.plainly_valid = PLAINLY_VALID.get(type(validator))

    def validate(self, value) -> str | None:
        """The reason the value is refused, or None."""
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            for validator in self.length_validators:
                try:
                    validator(value)
                except ValidationError as error:
                    return " ".join(error.messages)
        if self.validators and value != self.last_valid:
            if self.plainly_valid is not None and len(value) <= 200 and self.plainly_valid.match(value):
                return None
            for validator in self.validators:
                try:
                    validator(value)
                except ValidationError as error:
                    return " ".join(error.messages)
            self.last_valid = value
        return None


class Row:
    """A parsed row: its number as the user sees it, its non-empty values by column key."""

    __slots__ = ("number", "values", "bad")

    def __init__(self, number: int, values: dict, bad=None):
        self.number = number
        self.values = values
        self.bad = bad  # keys of columns whose cell could not be read

    def get(self, key, default=None):
        return self.values.get(key, default)

    def __getitem__(self, key):
        return self.values[key]

    def __contains__(self, key):
        return key in self.values

    def failed(self, key) -> bool:
        return bool(self.bad) and key in self.bad


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportFailed(Exception):
    """Nothing was written; `errors` are sentences, `total` counts them all (only the first are kept)."""

    def __init__(self, errors: list[str], total: int | None = None):
        self.errors = errors
        self.total = len(errors) if total is None else total
        super().__init__(self.render())

    def render(self) -> str:
        lines = [ngettext(
            "The import was cancelled, nothing was written: %(count)d error.",
            "The import was cancelled, nothing was written: %(count)d errors.",
            self.total,
        ) % {"count": self.total}]
        lines += self.errors
        hidden = self.total - len(self.errors)
        if hidden > 0:
            lines.append(ngettext("… and %(count)d more error.", "… and %(count)d more errors.", hidden)
                         % {"count": hidden})
        return "\n".join(lines)


@dataclass
class Inspection:
    """What Importer.inspect() found; encoding and delimiter are None for workbooks."""

    encoding: str | None
    delimiter: str | None
    header: list[str]
    matched: list[str]
    columns: list[Column]
    rows: list[Row]
    errors: list[str]


@dataclass
class Report:
    lines: list[str]
    seconds: float
    dry_run: bool
    rows: int
    ignored: list[str] = dataclass_field(default_factory=list)  # the columns left out (--ignore-unknown, the page's menu)


class Progress:
    """A one-line progress bar on a terminal; silent when `stream` is None."""

    WIDTH = 30

    def __init__(self, stream=None):
        self.stream = stream
        self.label = ""
        self.shown_at = 0.0

    def start(self, label: str, *, total: int | None = None) -> None:
        """A new pass: "check" or "write" (`label` is what a terminal shows); `total` rows when known."""
        self.label = label
        self.shown_at = 0.0
        self.update(0.0, force=True)

    def update(self, fraction: float, *, force: bool = False, rows: int | None = None) -> None:
        """`fraction` of the pass done; `rows` the rows done so far (for those who show them)."""
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self.shown_at < 0.2:
            return
        self.shown_at = now
        filled = int(self.WIDTH * fraction)
        bar = "█" * filled + "·" * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label} [{bar}] {int(fraction * 100):3d} %", ending="")
        self.stream.flush()

    def done(self) -> None:
        if self.stream is not None:
            self.update(1.0, force=True)
            self.stream.write("")


class Importer:
    """Base class: subclasses give get_columns(), check_batch(), write_batch() and `counted`.

    crm.importing.records.RecordImport is the shape of an importer of one model's rows (notes,
    opportunities); contacts.importing.ContactImport writes contacts and their people.
    """

    batch_size = 2000
    # What the import counts → the summary line of its Tally, e.g. {"notes": gettext_lazy("Notes — …")}:
    # reset_counts() makes them, tallies(), changes() and summary() read them.
    counted: dict = {}

    def __init__(self, *, update=False, dry_run=False, encoding=None, delimiter=None, progress=None,
                 mapping=None, ignore_unknown=False, user=None, origin="command", file_name=""):
        """mapping: {header position: column key, or "" to ignore the column}, as the import page sets it
        (the other columns are matched by name); ignore_unknown: skip unknown columns instead of refusing
        the file; user, origin ("command" or "web") and file_name: what the import log records."""
        self.update = update
        self.dry_run = dry_run
        self.encoding = encoding
        self.delimiter = delimiter
        self.progress = progress or Progress()
        self.mapping = {int(index): key for index, key in (mapping or {}).items()}
        self.ignore_unknown = ignore_unknown
        self.ignored: list[str] = []
        self.user = user
        self.origin = origin
        self.file_name = file_name
        self.before_commit: list[Callable[[], None]] = []  # run last inside the import's transaction
        self.errors: list[tuple] = []
        self.error_count = 0
        self.writing = False  # False in the check pass, True in the write pass
        self.rows_read = 0
        self.counts: dict[str, Tally] = {}
        self._pending: list[tuple] = []

    # What an importer describes --------------------------------------------

    def get_columns(self) -> list[Column]:
        raise NotImplementedError

    def vcard_reader(self):
        """(to_row, column keys) when this importer also reads vCards."""
        return None

    def check_header(self, keys: set[str]) -> list[str]:
        """Errors about columns that must be there together (beyond Column.required)."""
        return []

    def reset(self) -> None:
        """Called before each pass (self.writing says which): forget what the previous pass learnt."""

    def check_batch(self, rows: list[Row]) -> None:
        """Check rows against each other and the database (a few queries); count what would happen.

        What it finds may be noted on the rows (row.values keys starting with
        "_"): the rows are spilled after this, and the write pass, in the same
        transaction, gets them back as they are.
        """

    def write_batch(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """End of the write pass, still inside the transaction."""

    def reset_counts(self) -> dict[str, Tally]:
        """A fresh Tally for each thing `counted` (the check pass counts, the write pass writes what it counted)."""
        self.counts = {name: Tally() for name in self.counted}
        return self.counts

    def summary(self) -> list[str]:
        return [str(line) % vars(self.counts[name]) for name, line in self.counted.items()]

    def changes(self) -> bool:
        """After the check pass: whether the write pass has anything to write."""
        return any(tally.created or tally.updated for tally in self.counts.values())

    def tallies(self) -> dict[str, dict]:
        """What the import counted, by what it counts: {"contacts": {"created": 3, ...}, "people": {...}}."""
        return {name: vars(tally).copy() for name, tally in self.counts.items()}

    # Errors -------------------------------------------------------------------

    def error(self, row: Row | int, key: str | None, message) -> None:
        """Report a problem with a row (and a column, by its key)."""
        number = row.number if isinstance(row, Row) else row
        if isinstance(row, Row) and key:
            row.bad = (row.bad or set()) | {key}
        self._pending.append((number, self._column_order.get(key, -1), key, str(message)))

    def _flush_errors(self) -> None:
        self._pending.sort(key=lambda error: (error[0], error[1]))
        for number, _order, key, message in self._pending:
            self.error_count += 1
            if len(self.errors) < MAX_ERRORS:
                self.errors.append(self._describe(number, key, message))
        self._pending = []

    def _describe(self, number, key, message) -> str:
        where = str(self.source.row_word) if self.source is not None else _("Row")
        if key:
            return _("%(where)s %(row)s, column “%(column)s”: %(message)s") % {
                "where": where, "row": number, "column": self.header_names.get(key, key), "message": message}
        return _("%(where)s %(row)s: %(message)s") % {"where": where, "row": number, "message": message}

    # The run ------------------------------------------------------------------

    source = None
    header_names: dict = {}
    _column_order: dict = {}

    def run(self, path) -> Report:
        """Check the whole file, then (unless a dry run) write it in one transaction.

        Raises ImportFailed, with nothing written, when anything is wrong. Every
        run is recorded by `journal` (the import log), a dry run too.
        """
        started = time.monotonic()
        entry = journal.begin(self)
        try:
            report = self._run(path, started, entry)
        except ImportFailed as failure:
            journal.failed(entry, self, failure, time.monotonic() - started)
            raise
        journal.finished(entry, self, report)
        return report

    def _run(self, path, started, entry) -> Report:
        self.source = self.open(path)
        try:
            with tempfile.TemporaryFile() as spill:
                if self.dry_run:
                    self._check_pass(spill)
                else:
                    # One transaction for both passes: what the check found is
                    # still true when writing (on SQLite, other writers wait).
                    since = timezone.now()
                    with transaction.atomic(), bulk_sql.history_by(journal.reason(entry), self.user):
                        batches = self._check_pass(spill)
                        if self.changes():
                            self._write_pass(spill, batches)
                        journal.commit(entry, self, time.monotonic() - started)
                        for step in self.before_commit:
                            step()
                        writes.import_written.send(sender=type(self), reason=journal.reason(entry), since=since)
        except DatabaseError as error:
            raise ImportFailed([_("The database refused the import, nothing was written: %(error)s")
                                % {"error": error}]) from None
        finally:
            self.source.close()
        return Report(lines=self.summary(), seconds=time.monotonic() - started, dry_run=self.dry_run,
                      rows=self.rows_read, ignored=self.ignored)

    def open(self, path):
        """The file's source, past an Excel `sep=;` first line; ImportFailed when it cannot be read."""
        try:
            source = open_source(path, encoding=self.encoding, delimiter=self.delimiter,
                                 vcard_reader=self.vcard_reader())
            declared = separator_line(source)
            if declared is not None:
                if declared != source.delimiter:
                    source.close()
                    source = open_source(path, encoding=self.encoding, delimiter=declared)
                source = SeparatorLineSource(source)
        except SourceError as error:
            raise ImportFailed([str(error)]) from None
        return source

    def matching(self, header) -> list[str]:
        """The column key each header position is matched to by name ("" when none): what the import
        page shows before anyone changes it, and what the commands do."""
        by_name = columns_by_name(self.get_columns())
        return [by_name[header_key(name)].key if header_key(name) in by_name else "" for name in header]

    def inspect(self, path, *, rows: int = 5) -> "Inspection":
        """The file as the import page shows it: its encoding and separator, its header, each column's
        match (self.mapping first, then by name) and its first rows parsed as they will be stored, with
        the errors of those rows and of the header. Reads only the first rows; writes nothing."""
        self.source = self.open(path)
        try:
            header = [str(name if name is not None else "").strip() for name in self.source.header]
            matched = self.matching(header)
            for index, key in self.mapping.items():
                if index < len(matched):
                    matched[index] = key
            # Unknown columns are shown as ignored: the page asks what they are.
            self.mapping = dict(enumerate(matched))
            errors, preview = [], []
            try:
                plan = [(step.index, step.column.key, None if step.plain_text else step.column.parse,
                         step.max_length, step) for step in self._map_header()]
            except ImportFailed as failure:
                errors, plan = failure.errors, None
            if plan is not None:
                for number, cells in self.source.rows():
                    row = self._parse(number, cells, plan)
                    if row is not None:
                        preview.append(row)
                    if len(preview) >= rows:
                        break
                self._flush_errors()
                errors = self.errors
            return Inspection(
                encoding=getattr(self.source, "encoding", None), delimiter=getattr(self.source, "delimiter", None),
                header=header, matched=matched, columns=self.get_columns(), rows=preview, errors=errors,
            )
        except SourceError as error:
            raise ImportFailed([str(error)]) from None
        finally:
            self.source.close()

    def _map_header(self):
        columns = self.get_columns()
        by_name = columns_by_name(columns)
        by_key = {column.key: column for column in columns}
        plan, unknown, seen, self.blank_positions = [], [], {}, []
        for index, name in enumerate(self.source.header):
            key = header_key(name)
            if index in self.mapping:
                column = by_key.get(self.mapping[index])
                if column is None:  # "" (or a field this importer does not have): ignored
                    self.ignored.append(str(name).strip() or _("column %(position)s") % {"position": index + 1})
                    continue
            elif not key:
                self.blank_positions.append(index)
                continue
            else:
                column = by_name.get(key)
            if column is None and self.ignore_unknown:
                self.ignored.append(str(name).strip())
            elif column is None:
                unknown.append(str(name).strip())
            elif column.key in seen:
                raise ImportFailed([_("The columns “%(first)s” and “%(second)s” are the same column; keep one.")
                                    % {"first": seen[column.key], "second": str(name).strip()}])
            else:
                seen[column.key] = str(name).strip()
                plan.append(ParsePlan(index, column))
        errors = self._header_errors(columns, unknown, seen)
        if errors:
            raise ImportFailed(errors)
        self.header_names = seen
        self._column_order = {step.column.key: step.index for step in plan}
        self.required = [column.key for column in columns if column.required]
        self.width = len(self.source.header)
        return plan

    def _header_errors(self, columns, unknown: list[str], seen: dict) -> list[str]:
        """The unknown columns, the required ones missing, the importer's own header rules."""
        errors = []
        if unknown:
            accepted = "\n".join("  " + ", ".join(column.accepted) for column in columns)
            errors.append(ngettext(
                "Unknown column %(names)s. The accepted column names (any case, with or without accents) are:\n%(accepted)s",
                "Unknown columns %(names)s. The accepted column names (any case, with or without accents) are:\n%(accepted)s",
                len(unknown),
            ) % {"names": ", ".join(_("“%(name)s”") % {"name": name} for name in unknown), "accepted": accepted})
        for column in columns:
            if column.required and column.key not in seen:
                errors.append(_("The column “%(column)s” is missing (accepted names: %(names)s).")
                              % {"column": column.names[0] if column.names else column.key,
                                 "names": ", ".join(column.accepted)})
        return errors + self.check_header(set(seen))

    def _parse(self, number, cells, plan) -> Row | None:
        row_values, row = {}, Row(number, None)
        width = len(cells)
        cell_text = values.cell_text
        # Tuples, not attribute lookups: this loop runs for every cell of the file.
        for index, key, parse, max_length, step in plan:
            raw = cells[index] if index < width else None
            if raw is None or raw == "":
                continue
            if parse is None:
                # Plain text, the common case: spaces to trim, maybe the export's quote.
                value = raw.strip() if type(raw) is str else cell_text(raw)
                if value[:1] == "'":
                    value = cell_text(value)
                if not value:
                    continue
                if (max_length is None or len(value) <= max_length) and not step.validators:
                    row_values[key] = value
                    continue
            else:
                try:
                    value = parse(raw)
                except CellError as error:
                    self.error(row, key, error)
                    continue
                if value == "" or value is None:
                    continue
            message = step.validate(value)
            if message:
                self.error(row, key, message)
            row_values[key] = value
        row.values = row_values
        if not row_values and not row.bad:
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                return None  # an empty line: spreadsheets have them
        for key in self.required:
            if key not in row_values and not row.failed(key):
                self.error(row, key, _("A value is required."))
        if self.blank_positions or width > self.width:
            for index in self.blank_positions + list(range(self.width, width)):
                if index < width and cells[index] is not None and str(cells[index]).strip():
                    self.error(row, None, _("There is a value in column %(position)s, which has no header.")
                               % {"position": index + 1})
                    break
        return row

    def _check_pass(self, spill) -> int:
        """Parse and check every row; raise ImportFailed if any is wrong, else return the batches spilled."""
        plan = [(step.index, step.column.key, None if step.plain_text else step.column.parse, step.max_length, step)
                for step in self._map_header()]
        self.writing = False
        self.reset()
        self.progress.start(_("Checking"), total=getattr(self.source, "total_rows", None))
        batch, batches, rows = [], 0, 0
        for number, cells in self._rows():
            row = self._parse(number, cells, plan)
            if row is None:
                continue
            batch.append(row)
            rows += 1
            if not rows % 256:  # the bar moves while a batch is read, not only once it is checked
                self.progress.update(self.source.fraction(), rows=rows)
            if len(batch) >= self.batch_size:
                batches += self._check(batch, spill)
                batch = []
                self.progress.update(self.source.fraction(), rows=rows)
        if batch:
            batches += self._check(batch, spill)
        self.progress.done()
        self.rows_read = rows
        if self.error_count:
            raise ImportFailed(self.errors, self.error_count)
        return batches

    def _rows(self):
        try:
            yield from self.source.rows()
        except SourceError as error:
            self._flush_errors()
            raise ImportFailed(self.errors + [str(error)], self.error_count + 1) from None

    def _check(self, batch, spill) -> int:
        self.check_batch(batch)
        self._flush_errors()
        if self.error_count:
            return 0  # nothing will be written: no need to keep the rows
        pickle.dump([(row.number, row.values) for row in batch], spill, pickle.HIGHEST_PROTOCOL)
        return 1

    def _write_pass(self, spill, batches) -> None:
        spill.seek(0)
        self.writing = True
        self.reset()
        self.progress.start(_("Importing"), total=self.rows_read)
        rows = 0
        # PostgreSQL indexes what one batch inserted while Python reads and plans the next.
        with bulk_sql.copies_in_background():
            for done in range(batches):
                batch = [Row(number, row_values) for number, row_values in pickle.load(spill)]
                self.write_batch(batch)
                self._stop_on_errors()
                rows += len(batch)
                self.progress.update((done + 1) / batches, rows=rows)
            self.finish()
        self._stop_on_errors()
        self.progress.done()

    def _stop_on_errors(self) -> None:
        # The database changed between the check and the write (another user,
        # another import): roll everything back rather than write half a file.
        if self._pending:
            self._flush_errors()
            raise ImportFailed(self.errors, self.error_count)


# A first line "sep=;" is how Excel is told a CSV file's separator; it writes one too.
SEPARATOR_LINE = re.compile(r"\ufeff?sep=(.)\Z", re.IGNORECASE)


def separator_line(source) -> str | None:
    """The separator a CSV file's `sep=X` first line declares, or None."""
    delimiter = getattr(source, "delimiter", None)
    if delimiter is None:
        return None
    # Read with ";", "sep=;" is ["sep=", ""]: joined again, it is the line as written.
    match = SEPARATOR_LINE.match(delimiter.join(str(cell) for cell in source.header).strip(" \r\n"))
    return match.group(1) if match else None


class SeparatorLineSource:
    """A CSV source past its `sep=` line: the next line is the header. Rows keep the numbers Excel
    shows, which hides the `sep=` line (the header is row 1)."""

    def __init__(self, source):
        self.source = source
        self.row_word = source.row_word
        self.delimiter = source.delimiter
        self.encoding = getattr(source, "encoding", None)
        self.rows_iter = source.rows()
        try:
            self.header = next(self.rows_iter)[1]
        except StopIteration:
            source.close()
            raise SourceError(_("The file is empty.")) from None

    def rows(self):
        for number, cells in self.rows_iter:
            yield number - 1, cells

    def fraction(self) -> float:
        return self.source.fraction()

    def close(self):
        self.source.close()


class Journal:
    """Where imports are recorded: nothing here; the import log (dataimport) puts its own in `journal`.

    begin() is called before anything is read, outside any transaction; commit() last inside the
    import's transaction (what it writes is committed with the import, or not at all); finished()
    and failed() after. reason(entry) is the history rows' change reason."""

    def begin(self, importer):
        return None

    def reason(self, entry) -> str:
        return bulk_sql.IMPORT_REASON

    def commit(self, entry, importer, seconds: float) -> None:
        pass

    def finished(self, entry, importer, report: Report) -> None:
        pass

    def failed(self, entry, importer, failure: ImportFailed, seconds: float) -> None:
        pass


journal = Journal()


def elapsed(seconds: float) -> str:
    return formats.number_format(round(seconds, 1), 1, use_l10n=True)


def report_lines(report: Report) -> list[str]:
    """What a command prints after a successful run (or dry run)."""
    lines = []
    if report.dry_run:
        lines.append(_("Dry run: every row is valid; nothing was written. The import would give:"))
    if report.ignored:
        lines.append(ngettext("Ignored column: %(names)s.", "Ignored columns: %(names)s.", len(report.ignored))
                     % {"names": ", ".join(_("“%(name)s”") % {"name": name} for name in report.ignored)})
    lines += report.lines
    numbers = {"count": report.rows, "seconds": elapsed(report.seconds)}
    if report.dry_run:
        lines.append(ngettext("Checked %(count)d row in %(seconds)s s.",
                              "Checked %(count)d rows in %(seconds)s s.", report.rows) % numbers)
    else:
        lines.append(ngettext("Imported %(count)d row in %(seconds)s s.",
                              "Imported %(count)d rows in %(seconds)s s.", report.rows) % numbers)
    return lines

