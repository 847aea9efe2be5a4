from crm.links import url_with_pk

# A note row's buttons: key in the template → URL name.
NOTE_ACTIONS = {"done": "notes:toggle_done", "pin": "notes:toggle_pin", "edit": "notes:update", "delete": "notes:delete",
                "reschedule": "notes:reschedule"}


class NoteLinks:
    """Makes a note's action URLs, {key: url}, each URL name reversed once for a page's notes (20 a page).

    Given to the renderer of the rows (notes.rows.NoteRows), which asks it for each note it draws.
    """

    def __init__(self):
        self.makers = {key: url_with_pk(name) for key, name in NOTE_ACTIONS.items()}

    def __call__(self, pk: int) -> dict[str, str]:
        return {key: make(pk) for key, make in self.makers.items()}
