"""Signals of the writers that change many rows with set-based SQL (bulk changes, imports).

Those writers send no model signals (10,000 saves would take minutes): they send these instead,
inside their own transaction, so that what a receiver writes (the API's webhook deliveries,
api/bulk_events.py) is committed with the change, or rolled back with it.
"""

from django.dispatch import Signal

# crm.bulk.apply, before each chunk's UPDATE: sender=the model, ids=the chunk's ids, values=the
# QuerySet.update() arguments it is about to write.
bulk_changing = Signal()

# The import engine, last inside an import's transaction (after its write pass): sender=the
# importer's class, reason=the change reason of the history rows it wrote ("import 12"),
# since=a moment before its first write.
import_written = Signal()

# dataimport.undo, before each chunk's DELETE: sender=the model, objects=the instances about to go
# (their fields still loaded: a receiver can say what was deleted).
bulk_deleting = Signal()
