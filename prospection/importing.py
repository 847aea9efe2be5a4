"""Sales opportunities on existing contacts, from CSV or .xlsx (the import_opportunities command and the
import page).

Lives in the prospection app so that it goes away with the module. An
opportunity is the same one when it has the same contact and subject: with
--update its other columns are brought up to date, without it such a row is
refused, so running a file twice never doubles anything.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts.importing import contact_column, find_contacts
from contacts.models import ContactPerson
from crm.importing import values
from crm.importing.engine import Column
from crm.importing.records import RecordImport
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


class OpportunityImport(RecordImport):
    model = Opportunity
    attrs = OPPORTUNITY_ATTRS
    derived = RULED_ATTRS
    key_column = "subject"
    counted = {"opportunities": gettext_lazy(
        "Opportunities — created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s.")}
    repeated_message = gettext_lazy("This contact already has an opportunity with this subject on row %(row)s.")
    exists_message = gettext_lazy("This contact already has this opportunity; run the import with --update to "
                                  "update it.")
    ambiguous_message = gettext_lazy("%(count)s opportunities of this contact have this subject; change one of "
                                     "them first.")

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

    def reset_check(self):
        self.active_users = set(get_user_model().objects.filter(is_active=True).values_list("pk", flat=True))
        self.stages = {stage.pk: stage for stage in Stage.objects.all()}

    def locate(self, rows):
        """2 queries for the contacts, 1 for their people, 1 for the keys of their opportunities."""
        contacts = find_contacts(self, rows, only=("name", "external_ref", "account_manager_id"))
        contact_ids = {contact.pk for contact in contacts.values()}
        self.people_of = defaultdict(list)
        if contact_ids and "contact_person" in self.header_names:
            for person in ContactPerson.objects.filter(contact_id__in=contact_ids).order_by("pk"):
                self.people_of[person.contact_id].append(person)
        found = defaultdict(list)
        if contact_ids:
            for pk, contact_id, subject in Opportunity.objects.filter(
                contact_id__in=contact_ids, subject__in={row["subject"] for row in rows if "subject" in row},
            ).order_by("pk").values_list("pk", "contact_id", "subject"):
                found[(contact_id, subject)].append(pk)
        for row in rows:
            contact = contacts.get(row.number)
            if contact is not None and "subject" in row:
                key = (contact.pk, row["subject"])
                yield row, contact, key, found.get(key, [])

    def ready(self, row, contact):
        if "contact_person" in row:
            person = self.find_person(row, self.people_of.get(contact.pk, []))
            if person is None:
                return False
            row.values["_person"] = person.pk
        return True

    def plan_new(self, row, contact):
        if "stage" not in row:
            return False  # already reported: a value is required
        if "representative" not in row:
            if contact.account_manager_id not in self.active_users:
                self.error(row, "representative" if "representative" in self.header_names else None,
                           _("Give a representative: the contact has no active account manager to take instead."))
                return False
            row.values["_representative"] = contact.account_manager_id
        try:
            self.follow_rules(self.blueprint(self.fields(row)))
        except ValidationError as error:
            self.refuse(row, error)
            return False
        return True

    def refuse(self, row, error):
        """A stage rule the row breaks (lost without a reason)."""
        column = "lost_reason" if "lost_reason" in self.header_names else "stage"
        for message in error.message_dict.get("lost_reason", error.messages):
            self.error(row, column, message)

    def follow_rules(self, opportunity):
        """The model's stage rules (% of the stage, won 100 %, lost 0 %, close date, lost reason),
        without a query: the stages are known."""
        loaded = getattr(opportunity, "_loaded", None)
        if loaded and loaded["stage_id"] in self.stages:
            loaded["outcome_of"], loaded["outcome"] = loaded["stage_id"], self.stages[loaded["stage_id"]].outcome
        opportunity.stage = self.stages[opportunity.stage_id]
        opportunity.apply_stage_rules()
        return opportunity

    def derive(self, opportunity, before, now):
        self.follow_rules(opportunity)  # may raise ValidationError: checked in the first pass

    def build(self, row, now):
        fields = self.fields(row)
        fields["contact_id"] = row["_contact"]
        fields.setdefault("representative_id", row.get("_representative"))
        return self.follow_rules(self.blueprint(fields))

    def written(self):
        opportunities_changed()  # bulk writes send no signals: the dashboard's sums are refreshed on commit

    def fields(self, row):
        fields = super().fields(row)
        if "_person" in row:
            fields["contact_person_id"] = row["_person"]
        return fields

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
