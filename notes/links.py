from crm.links import url_with_pk

# A note row's buttons: key in the template → URL name.
NOTE_ACTIONS = {"done": "notes:toggle_done", "pin": "notes:toggle_pin", "edit": "notes:update", "delete": "notes:delete",
                "reschedule": "notes:reschedule"}


def with_links(notes) -> list:
    """The notes, each with .links, its action URLs, reversed once for them all (a page shows 20 notes)."""
    makers = {key: url_with_pk(name) for key, name in NOTE_ACTIONS.items()}
    notes = list(notes)
    for note in notes:
        note.links = {key: make(note.pk) for key, make in makers.items()}
    return notes
