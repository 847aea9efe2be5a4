"""import_opportunities: sales opportunities on existing contacts, from CSV or .xlsx.

Lives in the prospection app so that it goes away with the module. An
opportunity is the same one when it has the same contact and subject: with
--update its other columns are brought up to date, without it such a row is
refused, so running a file twice never doubles anything.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.management.references import contact_column, find_contacts
from contacts.models import ContactPerson
from crm.importing import values, writing
from crm.importing.command import ImportCommand
from crm.importing.engine import Column, Importer, Tally
from crm.text import fold
from prospection.figures import opportunities_changed
from prospection.models import Category, LostReason, Opportunity, Product, Stage

OPPORTUNITY_ATTRS = {
    "subject": "subject", "product": "product_id", "stage": "stage_id", "category": "category_id",
    "value": "value", "purchase_costs": "purchase_costs", "success_percent": "success_percent",
    "representative": "representative_id", "expected_close_date": "expected_close_date",
    "closed_on": "closed_on", "lost_reason": "lost_reason_id", "lost_comment": "lost_comment",
}
# What the stage rules (Opportunity.apply_stage_rules) may change besides the file's columns.
RULED_ATTRS = ("success_percent", "probability_set_by_hand", "closed_on", "lost_reason_id", "lost_comment")


class OpportunityImport(Importer):
    def get_columns(self):
        field = Opportunity._meta.get_field

        def listed(model, message):
            return values.labelled(model.objects.all(), unknown_message=message)

        return [
            contact_column(),
            Column("subject", ("objet", "sujet", "subject", "titre", "title", "opportunité", "opportunity"),
                   field=field("subject"), required=True),
            Column("product", ("produit", "product"),
                   parse=listed(Product, _("“%(value)s” is not a product."))),
            Column("stage", ("étape", "stage", "étape de vente", "sales stage"),
                   parse=listed(Stage, _("“%(value)s” is not a stage.")), required=True),
            Column("category", ("catégorie", "category", "source", "provenance"),
                   parse=listed(Category, _("“%(value)s” is not a category."))),
            Column("contact_person", ("personne contact", "personne-contact", "contact person", "personne", "person")),
            Column("value", ("valeur", "value", "montant", "amount", "valeur de l'opportunité", "opportunity value"),
                   parse=values.decimal, field=field("value")),
            Column("purchase_costs", ("coûts d'achat", "coût d'achat", "frais d'achat", "purchase costs",
                                      "purchase cost", "coûts", "costs"),
                   parse=values.decimal, field=field("purchase_costs")),
            Column("success_percent", ("% de succès", "pourcentage de succès", "succès", "probabilité",
                                       "success %", "success percent", "success", "probability"),
                   parse=values.percent, field=field("success_percent")),
            Column("representative", ("représentant", "représentante", "représentant·e", "representative",
                                      "vendeur", "sales rep", "rep"), parse=values.Users()),
            Column("expected_close_date", ("date de clôture prévue", "clôture prévue", "date de clôture",
                                           "expected close date", "close date"), parse=values.date),
            Column("closed_on", ("fermée le", "date de fermeture", "closed on", "closed date", "date closed"),
                   parse=values.date),
            Column("lost_reason", ("raison de la perte", "raison de perte", "motif de perte", "lost reason",
                                   "loss reason"),
                   parse=listed(LostReason, _("“%(value)s” is not a lost reason."))),
            Column("lost_comment", ("commentaire sur la perte", "commentaire de perte", "lost comment",
                                    "loss comment"), field=field("lost_comment")),
        ]

    def reset(self):
        if self.writing:
            return  # the write pass only writes what the check pass counted
        self.versioned = writing.is_versioned(Opportunity)
        self.new_opportunity = writing.Blueprint(Opportunity)
        self.opportunities = Tally()
        self.seen: dict[tuple, int] = {}  # (contact pk, subject) → row
        self.active_users = set(get_user_model().objects.filter(is_active=True).values_list("pk", flat=True))
        self.stages = {stage.pk: stage for stage in Stage.objects.all()}

    def changes(self):
        return bool(self.opportunities.created or self.opportunities.updated)

    def summary(self):
        return [_("Opportunities — created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.")
                % vars(self.opportunities)]

    def check_batch(self, rows):
        """2 queries for the contacts, 1 for their people, 1 for the keys of their opportunities, 1 to load
        those the file changes.

        Both passes share one transaction, so what is found here is written on
        the rows (keys starting with "_") and the write pass looks nothing up.
        """
        contacts = find_contacts(self, rows, only=("name", "external_ref", "account_manager_id"))
        contact_ids = {contact.pk for contact in contacts.values()}
        people = defaultdict(list)
        if contact_ids and "contact_person" in self.header_names:
            for person in ContactPerson.objects.filter(contact_id__in=contact_ids).order_by("pk"):
                people[person.contact_id].append(person)
        found = defaultdict(list)
        if contact_ids:
            for pk, contact_id, subject in Opportunity.objects.filter(
                contact_id__in=contact_ids, subject__in={row["subject"] for row in rows if "subject" in row},
            ).order_by("pk").values_list("pk", "contact_id", "subject"):
                found[(contact_id, subject)].append(pk)
        matched = {}
        for row in rows:
            contact = contacts.get(row.number)
            if contact is None or "subject" not in row:
                continue
            key = (contact.pk, row["subject"])
            if key in self.seen:
                self.error(row, "subject", _("This contact already has an opportunity with this subject on row "
                                             "%(row)s.") % {"row": self.seen[key]})
                continue
            self.seen[key] = row.number
            if "contact_person" in row:
                person = self.find_person(row, people.get(contact.pk, []))
                if person is None:
                    continue
                row.values["_person"] = person.pk
            matches = found.get(key, [])
            if len(matches) > 1:
                self.error(row, "subject", _("%(count)s opportunities of this contact have this subject; change "
                                             "one of them first.") % {"count": len(matches)})
            elif matches and not self.update:
                self.error(row, "subject", _("This contact already has this opportunity; run the import with "
                                             "--update to update it."))
            elif matches:
                matched[row] = matches[0]
            elif "stage" in row:  # else already reported: a value is required
                if "representative" not in row:
                    if contact.account_manager_id not in self.active_users:
                        self.error(row, "representative" if "representative" in self.header_names else None,
                                   _("Give a representative: the contact has no active account manager to "
                                     "take instead."))
                        continue
                    row.values["_representative"] = contact.account_manager_id
                if self.breaks_rules(row, self.follow_rules, self.new_opportunity(self.fields(row))) is True:
                    continue
                row.values["_contact"] = contact.pk
                self.opportunities.created += 1
        opportunities = Opportunity.objects.in_bulk(matched.values()) if matched else {}
        for row, pk in matched.items():
            changed = self.breaks_rules(row, self.apply, opportunities[pk], row, timezone.now())
            if changed is True:
                continue
            if changed:
                row.values["_opportunity"] = pk
                self.opportunities.updated += 1
            else:
                self.opportunities.unchanged += 1

    def breaks_rules(self, row, check, *args):
        """check(*args)'s answer; True when it breaks a stage rule (lost without a reason): the row's error."""
        try:
            return check(*args)
        except ValidationError as error:
            column = "lost_reason" if "lost_reason" in self.header_names else "stage"
            for message in error.message_dict.get("lost_reason", error.messages):
                self.error(row, column, message)
            return True

    def follow_rules(self, opportunity):
        """The model's stage rules (% of the stage, won 100 %, lost 0 %, close date, lost reason),
        without a query: the stages are known."""
        loaded = getattr(opportunity, "_loaded", None)
        if loaded and loaded["stage_id"] in self.stages:
            loaded["outcome_of"], loaded["outcome"] = loaded["stage_id"], self.stages[loaded["stage_id"]].outcome
        opportunity.stage = self.stages[opportunity.stage_id]
        opportunity.apply_stage_rules()
        return opportunity

    def write_batch(self, rows):
        new = []
        for row in rows:
            if "_contact" in row:
                fields = self.fields(row)
                fields["contact_id"] = row["_contact"]
                fields.setdefault("representative_id", row.get("_representative"))
                new.append(self.follow_rules(self.new_opportunity(fields)))
        writing.insert(Opportunity, new, set_pks=False)
        changed = {row["_opportunity"]: row for row in rows if "_opportunity" in row}
        if changed:
            now = timezone.now()
            writing.update_changed(Opportunity, ((opportunity, self.apply(opportunity, changed[pk], now))
                                                 for pk, opportunity in Opportunity.objects.in_bulk(changed).items()))
        opportunities_changed()  # bulk writes send no signals: the dashboard's sums are refreshed on commit

    @staticmethod
    def fields(row) -> dict:
        fields = {attr: row[column] for column, attr in OPPORTUNITY_ATTRS.items() if column in row}
        if "_person" in row:
            fields["contact_person_id"] = row["_person"]
        return fields

    def apply(self, opportunity, row, now) -> set:
        """Give the opportunity the row's values; the fields to write (none when nothing changed)."""
        fields = self.fields(row)
        before = {attr: getattr(opportunity, attr) for attr in {*fields, *RULED_ATTRS}}
        for attr, value in fields.items():
            setattr(opportunity, attr, value)
        self.follow_rules(opportunity)  # may raise ValidationError: checked in the first pass
        updated = {attr for attr, value in before.items() if getattr(opportunity, attr) != value}
        if not updated:
            return updated
        opportunity.updated_at = now
        updated.add("updated_at")
        if self.versioned:
            opportunity.version += 1
            updated.add("version")
        return updated

    def find_person(self, row, people):
        """One of the contact's people, by full name or e-mail (any case or accents)."""
        wanted = fold(row["contact_person"])
        found = [person for person in people
                 if wanted in {fold(person.full_name), fold(person.email), fold(f"{person.last_name} {person.first_name}")}]
        if len(found) == 1:
            return found[0]
        if found:
            self.error(row, "contact_person", _("Several people of this contact match “%(value)s”; use the "
                                                "person’s e-mail.") % {"value": row["contact_person"]})
        else:
            self.error(row, "contact_person", _("“%(value)s” is not one of this contact’s people.")
                       % {"value": row["contact_person"]})
        return None


class Command(ImportCommand):
    help = gettext_lazy(
        "Import sales opportunities on existing contacts from a CSV file or an .xlsx workbook. Every row is "
        "checked first; one bad row and nothing is written. See “Importing data” in the README."
    )
    importer = OpportunityImport
