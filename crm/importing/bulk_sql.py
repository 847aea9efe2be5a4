"""The bulk SQL layer: many rows inserted or updated with a few statements, below the ORM.

What every function here keeps true (callers rely on it):

1. It never opens, commits or rolls back a transaction: the caller's holds
   it (the import engine runs both its passes in ONE transaction.atomic), so
   an error anywhere leaves nothing written.
2. It checks nothing: values are written as the caller gives them, prepared
   by each field (get_db_prep_save) as Django would. Validation is the
   caller's (the engine's check pass).
3. No signals are sent (like bulk_create); the history rows that
   django-simple-history would write from them are written here
   (record_history), by the reason and user of history_by().
4. An UPDATE of a versioned model (crm.concurrency) that writes a field a
   form edits bumps `version` in SQL (version = version + 1), never from the
   value in memory, so a form opened before the write is refused after it.
5. auto_now / auto_now_add fields get one timestamp per call.
6. Inside copies_in_background() the PostgreSQL COPYs run in a worker
   thread and any other statement first waits for them; no server-side cursor
   (QuerySet.iterator()) may be open across an insert().

Why: QuerySet.bulk_create spends most of its time preparing each value
through several layers of its SQL compiler: on this project's 2-core machine
it takes about 130 µs of CPU per contact, which makes it most of the
30-second budget of a 100,000-contact import. insert() writes the same rows
(same defaults, stamps, prepared values) with a third of the CPU: multi-row
VALUES … RETURNING id on SQLite (3.35+), which returns the new ids in the
order the rows were given (bulk_create relies on that too); COPY on
PostgreSQL, with ids drawn from the table's sequence beforehand. update()
joins the table to the new values instead of bulk_update's CASE WHEN. Any
other database falls back to bulk_create / bulk_update.

The rows may be model instances or, cheaper, Blueprint drafts (the field
values as plain attributes).
"""

import contextvars
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from operator import attrgetter
from types import SimpleNamespace

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import DEFERRED
from django.utils import timezone

# Fields whose Python value is already what the database driver takes.
_PLAIN = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


def insert(model, objects: list, *, set_pks: bool = True) -> None:
    """INSERT `objects`: unsaved instances of `model`, or drafts from its Blueprint.

    Sets their pk when set_pks (always for a model with a history), and their
    auto_now / auto_now_add fields. No signals, like bulk_create; the history
    rows the signals would have written are written here (record_history).
    """
    if not objects:
        return
    history = history_model(model)
    _insert(model, objects, set_pks=set_pks or history is not None)
    if history is not None:
        record_history(history, objects, "+")


def _insert(model, objects: list, *, set_pks: bool) -> None:
    if connection.vendor not in {"sqlite", "postgresql"}:
        _bulk_create(model, objects)
        return
    meta = model._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key and not field.generated]
    # auto_now / auto_now_add: one timestamp for the whole call, prepared once, written last.
    stamped = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    given = [field for field in fields if field not in stamped]
    now = timezone.now()
    stamps = [field.get_db_prep_save(now, connection) for field in stamped]
    prepared = [(index, field) for index, field in enumerate(given) if not isinstance(field, _PLAIN)]
    values_of = _reader([field.attname for field in given])
    rows = []
    for obj in objects:
        row = [*values_of(obj), *stamps]
        for index, field in prepared:
            row[index] = field.get_db_prep_save(field.pre_save(obj, True), connection)
        rows.append(row)
        for field in stamped:
            setattr(obj, field.attname, now)
    columns = given + stamped
    if connection.vendor == "postgresql":
        _copy(meta, columns, rows, objects if set_pks else None)
        return
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in columns)}) "
    returning = f" RETURNING {quote(meta.pk.column)}" if set_pks else ""
    limit = connection.features.max_query_params or 30000
    per_statement = max(1, min(500, limit // len(columns)))
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), per_statement):
            part = rows[start:start + per_statement]
            cursor.execute(head + "VALUES " + ", ".join([one_row] * len(part)) + returning,
                           [value for row in part for value in row])
            if set_pks:
                for obj, (pk,) in zip(objects[start:start + per_statement], cursor.fetchall(), strict=True):
                    _saved(obj, pk)


def _reader(names: list[str]):
    """obj → the tuple of its values for `names`, in one C-level call (a getattr per field was a
    tenth of the insert's CPU)."""
    read = attrgetter(*names)
    return read if len(names) > 1 else lambda obj: (read(obj),)


def _bulk_create(model, objects) -> None:
    """Other databases: Django's bulk_create, on instances made from the drafts."""
    instances = [obj if isinstance(obj, models.Model) else model(**{name: value for name, value in vars(obj).items()
                                                                     if name != "pk"}) for obj in objects]
    model.objects.bulk_create(instances)
    for obj, instance in zip(objects, instances, strict=True):
        if obj is not instance:  # a draft: it gets the id and the timestamps the instance got
            vars(obj).update({name: getattr(instance, name) for name in vars(obj)})
def _copy(meta, fields, rows, objects) -> None:
    """PostgreSQL: COPY … FROM STDIN, its fastest way in; ids (when wanted) drawn from the table's sequence first.

    Inside copies_in_background() the COPY itself is left to the worker thread.
    """
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in fields]
    if objects is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(rows)])
            pks = [pk for (pk,) in cursor.fetchall()]
        columns.insert(0, quote(meta.pk.column))
        rows = [[pk, *row] for pk, row in zip(pks, rows, strict=True)]
        for obj, pk in zip(objects, pks, strict=True):
            _saved(obj, pk)
    sql = f"COPY {quote(meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    background = getattr(_active, "background", None)
    if background is not None:
        background.submit(_copy_rows, sql, rows)
    else:
        _copy_rows(sql, rows)


def _copy_rows(sql, rows, db=connection) -> None:
    # The driver's own cursor (Django has no COPY); its errors made Django's like any query's.
    with db.wrap_database_errors:
        with db.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


class _Background:
    """The COPYs handed to one worker thread, in order, and what waits for them."""

    # Rows wait in memory until their COPY is done: at most this many COPYs
    # (two batches of contacts and people) are queued, so memory stays bounded
    # even when the database is slower than the file is read.
    QUEUED = 4

    def __init__(self):
        self.db = connections[DEFAULT_DB_ALIAS]  # this thread's (`connection` finds the caller's)
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-copy")
        self.pending = []

    def submit(self, copy_rows, sql, rows) -> None:
        self.wait(keep=self.QUEUED - 1)
        # The worker gets this thread's database connection: Django's are per thread.
        self.pending.append(self.worker.submit(copy_rows, sql, rows, self.db))

    def wait(self, keep: int = 0) -> None:
        """Until at most `keep` COPYs are queued; raises the error of a COPY waited for."""
        while len(self.pending) > keep:
            error = self.pending.pop(0).exception()
            if error is not None:
                raise error

    def __call__(self, execute, sql, params, many, context):
        # An execute wrapper: one connection, one statement at a time.
        self.wait()
        return execute(sql, params, many, context)


# The _Background of this thread's copies_in_background() block (Django's connections are per thread).
_active = threading.local()


@contextmanager
def copies_in_background():
    """PostgreSQL: insert()'s COPYs run in a worker thread while this one goes on.

    The database spends most of a contact COPY updating the trigram index of
    search_text, on its own core; meanwhile Python can prepare the next batch.
    Any statement sent on the connection first waits for the COPYs handed
    over (an execute wrapper), so the connection still runs one thing at a
    time; leaving the block waits for the last ones and raises their error.
    Ids drawn for insert(set_pks=True) are known at once. Elsewhere: nothing changes.

    Only statements pass through execute wrappers: no QuerySet.iterator()
    (a server-side cursor fetches without one) may be open across an insert().
    """
    if connection.vendor != "postgresql" or getattr(_active, "background", None) is not None:
        yield
        return
    background = _active.background = _Background()
    try:
        with connection.execute_wrapper(background):
            yield
            background.wait()
    finally:
        _active.background = None
        # After an error: nothing may be left running when the transaction ends;
        # the error already raised is the one to report.
        background.worker.shutdown(wait=True, cancel_futures=True)


def update(model, objects: list, fields) -> None:
    """UPDATE the given fields (names) of saved instances, from their values in memory: what bulk_update
    does, without its CASE WHEN per object, which costs about 1 ms of CPU per object here.

    One statement per chunk joins the table to the new values: UPDATE … FROM (VALUES …) on SQLite (3.33+),
    UPDATE … FROM UNNEST(one array per column) on PostgreSQL.
    """
    if not objects:
        return
    _update(model, objects, fields)
    history = history_model(model)
    if history is not None and {model._meta.get_field(name).attname for name in fields} & tracked(history):
        record_history(history, objects, "~")


def update_changed(model, changes) -> None:
    """UPDATE saved objects given as (object, names of the fields it changed): one update() per set of
    fields, as a narrow UPDATE is much faster than a wide one. Objects that changed nothing are left."""
    groups = defaultdict(list)
    for obj, fields in changes:
        if fields:
            groups[frozenset(fields)].append(obj)
    for fields, group in groups.items():
        update(model, group, sorted(fields))


def bumps_version(model, fields) -> bool:
    """Whether an UPDATE of these fields counts as a change of the rows (crm.concurrency): of a versioned
    model, when it writes a field a form edits (not only search_text or updated_at), or the version."""
    if not is_versioned(model):
        return False
    return any(name == "version" or model._meta.get_field(name).editable for name in fields)


def _update(model, objects: list, fields) -> None:
    # The version is bumped in SQL (version = version + 1), never written from memory: the value read
    # before the import may be old already, and a form opened since must still be refused.
    bump = bumps_version(model, fields)
    fields = [name for name in fields if name != "version"] if bump else list(fields)
    if connection.vendor not in {"sqlite", "postgresql"}:
        _bulk_update(model, objects, fields, bump=bump)
        return
    meta = model._meta
    targets = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, pk_column = quote(meta.db_table), quote(meta.pk.column)
    rows = []
    for obj in objects:
        row = [obj.pk]
        for field in targets:
            value = getattr(obj, field.attname)
            row.append(value if isinstance(field, _PLAIN) else field.get_db_prep_save(value, connection))
        rows.append(row)
    names = ["pk"] + [f"v{index}" for index in range(len(targets))]
    assignments = [f"{quote(field.column)} = v.{name}" for field, name in zip(targets, names[1:])]
    if bump:
        version = quote(meta.get_field("version").column)
        assignments.append(f"{version} = {table}.{version} + 1")
    assignments = ", ".join(assignments)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [meta.pk.db_type(connection)] + [field.db_type(connection).split("(")[0] for field in targets]
            arrays = ", ".join(f"(%s)::{db_type}[]" for db_type in types)
            sql = (f"UPDATE {table} SET {assignments} FROM UNNEST({arrays}) AS v({', '.join(names)}) "
                   f"WHERE {table}.{pk_column} = v.pk")
            for start in range(0, len(rows), 5000):
                cursor.execute(sql, [list(column) for column in zip(*rows[start:start + 5000])])
            return
        # SQLite names the columns of VALUES column1, column2…
        columns = ", ".join(f"column{index + 1} AS {name}" for index, name in enumerate(names))
        one_row = "(" + ", ".join(["%s"] * len(names)) + ")"
        limit = connection.features.max_query_params or 30000
        per_statement = max(1, min(500, limit // len(names)))
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (SELECT {columns} FROM (VALUES "
                + ", ".join([one_row] * len(part)) + f")) AS v WHERE {table}.{pk_column} = v.pk",
                [value for row in part for value in row],
            )


def _bulk_update(model, objects, fields, *, bump: bool) -> None:
    """Other databases: Django's bulk_update, the version bumped by an F() expression."""
    if bump:
        for obj in objects:
            obj.version = models.F("version") + 1
        fields.append("version")
    model.objects.bulk_update(objects, fields)
    if bump:
        for obj in objects:
            del obj.version  # read again when asked for, not an F() left behind


# History ----------------------------------------------------------------------
# django-simple-history writes a row per save from signals, which these fast
# writes do not send. Without rows of their own, an import's changes would
# show in the History tab as made by the next person to edit the record (each
# record is compared with the one before it).

HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
IMPORT_REASON = "import"
# Who writes and why, for the history rows written meanwhile (history_by()): an import of the log
# ("import 12"), its undo ("undo import 12"), by the user who started it (None from a command).
_history_by = contextvars.ContextVar("history_by", default=(IMPORT_REASON, None))


@contextmanager
def history_by(reason: str, user=None):
    """The history rows record_history() writes in this block say `reason` and `user`."""
    token = _history_by.set((reason, getattr(user, "pk", user)))
    try:
        yield
    finally:
        _history_by.reset(token)


def history_model(model):
    """The model's historical model (django-simple-history), or None."""
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def tracked(history) -> set[str]:
    """The attnames the history keeps (the model's, less its excluded fields)."""
    return {field.attname for field in history._meta.concrete_fields if field.attname not in HISTORY_COLUMNS}


def record_history(history, objects: list, kind: str) -> None:
    """History rows ("+" created, "~" changed, "-" deleted) for saved objects as they are in memory, one
    stamp; by no user and for the reason "import" unless history_by() says otherwise."""
    names = sorted(tracked(history) - {"id"})
    values_of = _reader(names)
    when = timezone.now()
    reason, user_id = _history_by.get()
    rows = [SimpleNamespace(id=obj.pk, **dict(zip(names, values_of(obj))), history_date=when,
                            history_change_reason=reason, history_type=kind, history_user_id=user_id)
            for obj in objects]
    _insert(history, rows, set_pks=False)


def _saved(obj, pk) -> None:
    obj.pk = pk
    if isinstance(obj, models.Model):
        obj._state.adding = False
        obj._state.db = connection.alias


def is_versioned(model) -> bool:
    """Whether rows carry a version number (crm.concurrency): an update must then bump it,
    so that a form opened before the import refuses to overwrite what the import wrote."""
    return any(field.name == "version" for field in model._meta.concrete_fields)


class Blueprint:
    """Unsaved instances of `model` from {attname: value}, the other fields at their defaults;
    or, cheaper still, drafts of them.

    Calls Model(*values) in field order — the path Django itself takes to load
    rows — instead of Model(**values), whose keyword handling costs twice as
    much; at 250,000 rows that is seconds.
    """

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.position = {field.attname: index for index, field in enumerate(self.fields)}
        self.defaults, self.fresh = [], []
        for index, field in enumerate(self.fields):
            if field.generated:
                self.defaults.append(DEFERRED)
            elif field.has_default() and callable(field.default):
                self.defaults.append(None)
                self.fresh.append(index)  # today(), a new token...: one per instance
            else:
                self.defaults.append(field.get_default())
        # Drafts: every field but the id and generated columns, by attname, and pk None.
        self.draft_defaults = {"pk": None}
        self.draft_fresh = []
        for field in self.fields:
            if field.primary_key or field.generated:
                continue
            if field.has_default() and callable(field.default):
                self.draft_fresh.append(field)
            self.draft_defaults[field.attname] = field.get_default()
        self.attnames = self.draft_defaults.keys() - {"pk"}

    def __call__(self, values: dict):
        args = self.defaults.copy()
        for index in self.fresh:
            args[index] = self.fields[index].get_default()
        position = self.position
        for attname, value in values.items():
            args[position[attname]] = value
        return self.model(*args)

    def draft(self, values: dict) -> SimpleNamespace:
        """What Model(**values) holds, as plain attributes (pk None): for insert(), and for the model's
        methods that only read fields (Contact.build_search_text). A tenth of an instance's cost."""
        if not values.keys() <= self.attnames:
            raise KeyError(f"Not fields of {self.model.__name__}: {sorted(values.keys() - self.attnames)}")
        fields = {**self.draft_defaults, **values}
        for field in self.draft_fresh:
            if field.attname not in values:
                fields[field.attname] = field.get_default()
        return SimpleNamespace(**fields)
