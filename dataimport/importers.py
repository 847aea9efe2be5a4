"""The importers the pages offer, by target: the same classes the commands run."""

from django.apps import apps

from dataimport.models import Target


def importer_classes() -> dict:
    """{target: Importer subclass}; no opportunities when the prospection module is off."""
    from contacts.importing import ContactImport
    from notes.importing import NoteImport

    classes = {Target.CONTACTS: ContactImport, Target.NOTES: NoteImport}
    if apps.is_installed("prospection"):  # the app, not the setting: a test may switch the setting alone
        from prospection.importing import OpportunityImport

        classes[Target.OPPORTUNITIES] = OpportunityImport
    return classes


def targets() -> list[tuple[str, str]]:
    """The (value, label) choices of what may be imported on this site."""
    offered = importer_classes()
    return [(value, label) for value, label in Target.choices if value in offered]


def target_of(importer) -> str:
    for target, cls in importer_classes().items():
        if isinstance(importer, cls):
            return target
    return ""


def history_models(target: str) -> list:
    """The models an import of `target` writes history rows for, children before parents (the order in
    which an undo deletes)."""
    from contacts.models import Contact, ContactPerson
    from notes.models import Note

    if target == Target.CONTACTS:
        return [ContactPerson, Contact]
    if target == Target.NOTES:
        return [Note]
    if target == Target.OPPORTUNITIES and apps.is_installed("prospection"):
        from prospection.models import Opportunity

        return [Opportunity]
    return []
