"""Deterministic benchmark data: users, contacts, people, notes and opportunities at a scale.

The same --seed and --anchor (the day taken as "today") give the same rows;
only the created/updated stamps differ (Django sets them when inserting).
Everything is written with bulk_create in large batches: search_text is built
in Python with Contact.build_search_text(people=...), never row by row.

Shape of the data (scale L): 20 users (16 sales reps, 4 managers), 100,000
contacts with 150,000 people, 1,000,000 notes over three years (975 days back,
120 days ahead) — about 87 % history, 11 % follow-ups, 1.5 % overdue, a few
due today; 1 % pinned, 4 % admin-only — with four contacts holding 2,000 to
5,000 notes each, and 100,000 opportunities over every stage, product and
success band.
"""

import datetime
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from contacts.models import Contact, ContactPerson
from crm.permissions import MANAGERS, SALES_REPS
from notes.models import CalendarFeed, Note, NoteType

BENCH_PASSWORD = "bench-password"
REF_PREFIX = "BENCH-"
BATCH = 5000
PAST_DAYS, FUTURE_DAYS = 975, 120


@dataclass(frozen=True)
class Scale:
    contacts: int
    people: int
    notes: int
    opportunities: int
    big: tuple[int, ...]  # note counts of the few very big contact files


SCALES = {
    # XS is for the harness's own test: a handful of rows, seconds to load.
    "XS": Scale(contacts=20, people=30, notes=150, opportunities=15, big=(40,)),
    "S": Scale(contacts=1_000, people=1_500, notes=10_000, opportunities=1_000, big=(2_000,)),
    "M": Scale(contacts=10_000, people=15_000, notes=100_000, opportunities=10_000, big=(3_000, 2_000)),
    "L": Scale(contacts=100_000, people=150_000, notes=1_000_000, opportunities=100_000,
               big=(5_000, 3_000, 2_500, 2_000)),
}

# (username, first name, last name, group); the first rep and manager are the benchmark's personas.
USERS = (
    [("bench-rep", "Luc", "Gagnon", SALES_REPS), ("bench-manager", "Marie", "Tremblay", MANAGERS)]
    + [(f"bench-rep-{n:02d}", first, last, SALES_REPS) for n, (first, last) in enumerate([
        ("Sophie", "Roy"), ("Marc", "Côté"), ("Nadia", "Bouchard"), ("Kevin", "Gauthier"), ("Amélie", "Morin"),
        ("Réjean", "Lavoie"), ("Chloé", "Fortin"), ("François", "Gagné"), ("Geneviève", "Ouellet"),
        ("Émilie", "Pelletier"), ("Jean", "Bélanger"), ("Julie", "Lévesque"), ("Hugo", "Bergeron"),
        ("Karine", "Leblanc"), ("Samuel", "Paquette"),
    ], start=2)]
    + [(f"bench-manager-{n:02d}", first, last, MANAGERS) for n, (first, last) in enumerate([
        ("Isabelle", "Girard"), ("Patrick", "Simard"), ("Nathalie", "Boucher"),
    ], start=2)]
)
PREFIXES = ["Boulangerie", "Atelier", "Clinique", "Studio", "Ferme", "Imprimerie", "Garage", "Café", "Librairie",
            "Pâtisserie", "Quincaillerie", "Fromagerie", "Cabinet", "Agence", "Groupe", "Entreprises",
            "Construction", "Transport", "Services", "Distribution"]
SURNAMES = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
            "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard",
            "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc",
            "Lefebvre", "Poulin", "Thibault", "St-Pierre", "Nadeau", "Martin", "Landry", "Martel", "Bédard",
            "Grenier", "Lessard", "Nguyen"]
FIRST_NAMES = ["Émilie", "Jean", "Sophie", "Marc", "Nadia", "Luc", "Amélie", "Kevin", "Réjean", "Geneviève",
               "François", "Chloé", "Olivier", "Catherine", "Mathieu", "Valérie", "Alexandre", "Mélanie",
               "David", "Stéphanie", "Philippe", "Annie", "Éric", "Josée"]
ROLES = ["Propriétaire", "Directrice générale", "Directeur des achats", "Comptable", "Adjointe", "Gérant", ""]
CITIES = [("Montréal", "QC", "H2X 1Y4"), ("Québec", "QC", "G1K 3A9"), ("Trois-Rivières", "QC", "G9A 5H3"),
          ("Toronto", "ON", "M5V 2T6"), ("Gatineau", "QC", "J8X 3X7"), ("Sherbrooke", "QC", "J1H 1Z1"),
          ("Laval", "QC", "H7N 4Z6"), ("Lévis", "QC", "G6V 6N7"), ("Ottawa", "ON", "K1P 5J2")]
NOTE_TEXTS = [
    "Appel de suivi, le client réfléchit encore.",
    "Rencontre au bureau du client : présentation de l'offre.",
    "Envoyé la soumission révisée par courriel.",
    "Laissé un message, rappeler la semaine prochaine.",
    "Le client demande une démonstration.\nPrévoir la salle et le projecteur.",
    "Relancer pour la signature du contrat.",
    "Discussion sur les délais de livraison ; voir https://example.com/delais",
    "Commande reçue, merci !",
    "Problème de facturation réglé avec la comptabilité.",
    "Visite de l'usine prévue, confirmer l'heure.",
    "Nouveau responsable des achats, refaire la présentation.",
    "Renouvellement annuel à préparer.\nVérifier les volumes de l'an dernier.\nProposer un rabais de 5 %.",
]


class Progress:
    """A progress bar on a terminal, a line every 10 % otherwise; silent when stream is None."""

    def __init__(self, stream=None):
        self.stream = stream
        self.tty = bool(stream) and hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.stream is None:
            return
        fraction = done / total if total else 1.0
        if self.tty:
            bar = "█" * int(30 * fraction) + "·" * (30 - int(30 * fraction))
            self.stream.write(f"\r{label:<14} [{bar}] {done:>9,}/{total:,}" + ("\n" if done >= total else ""))
            self.stream.flush()
        elif done >= total or int(fraction * 10) != int(max(done - 1, 0) / total * 10):
            self.stream.write(f"{label:<14} {int(fraction * 100):3d} % ({done:,}/{total:,})\n")
            self.stream.flush()


def bench_tables() -> list[str]:
    """The tables seed_bench empties before loading (with --replace)."""
    models = [Note, CalendarFeed, ContactPerson, Contact, apps.get_model("sessions", "Session"),
              apps.get_model("notes", "ReminderLog")]
    if apps.is_installed("prospection"):
        models.insert(0, apps.get_model("prospection", "Opportunity"))
    return [model._meta.db_table for model in models]


def existing_rows() -> dict:
    counts = {"contacts": Contact.objects.count(), "people": ContactPerson.objects.count(),
              "notes": Note.objects.count()}
    if apps.is_installed("prospection"):
        counts["opportunities"] = apps.get_model("prospection", "Opportunity").objects.count()
    return counts


def is_seeded(scale: Scale) -> bool:
    """This database already holds exactly this scale's bench data (a few count queries)."""
    User = get_user_model()
    if not User.objects.filter(username="bench-rep").exists():
        return False
    wanted = {"contacts": scale.contacts, "people": scale.people, "notes": scale.notes}
    if apps.is_installed("prospection"):
        wanted["opportunities"] = scale.opportunities
    return existing_rows() == wanted


def empty_bench_tables() -> None:
    """TRUNCATE (PostgreSQL) or DELETE (SQLite) the CRM's data tables, then remove the bench users."""
    statements = connection.ops.sql_flush(no_style(), bench_tables(), allow_cascade=True)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # Inside a transaction (a test's), deferred foreign key checks must run before TRUNCATE.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(statements)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        connection.ops.execute_sql_flush(statements)
    get_user_model().objects.filter(username__startswith="bench-").delete()


def seed_users(password_hash: str) -> list:
    User = get_user_model()
    groups = {name: Group.objects.get(name=name) for name in (SALES_REPS, MANAGERS)}
    users = []
    for username, first, last, group in USERS:
        user = User.objects.create(username=username, first_name=first, last_name=last,
                                   email=f"{username}@bench.example", password=password_hash)
        user.groups.add(groups[group])
        users.append(user)
    for user in users[:2]:
        CalendarFeed.objects.create(user=user)
    return users


def split_people(rng: random.Random, scale: Scale) -> list[int]:
    """How many people each contact has: one each, the rest spread at random (exactly scale.people in all)."""
    counts = [1] * scale.contacts
    extra = scale.people - scale.contacts
    for index in rng.choices(range(scale.contacts), k=max(extra, 0)):
        counts[index] += 1
    return counts


def seed_contacts(rng, scale, users, progress) -> tuple[list[int], dict[int, list[int]], list]:
    """Contacts and people: returns contact ids, person ids by contact id, and each contact's account manager."""
    reps = [user for user in users if user.username.startswith("bench-rep")]
    people_counts = split_people(rng, scale)
    contact_ids, people_by_contact, managers = [], {}, []
    done = 0
    for start in range(0, scale.contacts, BATCH):
        contacts, people = [], []
        for number in range(start + 1, min(start + BATCH, scale.contacts) + 1):
            city, region, postal = rng.choice(CITIES)
            slug = f"entreprise{number}"
            manager = rng.choice(reps) if rng.random() < 0.8 else None
            contact = Contact(
                kind=Contact.Kind.ORGANIZATION if rng.random() < 0.85 else Contact.Kind.INDIVIDUAL,
                name=f"{rng.choice(PREFIXES)} {rng.choice(SURNAMES)} {number}",
                status=rng.choices(["prospect", "client", "inactive"], weights=[55, 35, 10])[0],
                email=f"info@{slug}.example", phone=f"514 555-{number % 10000:04d}",
                website=f"https://{slug}.example" if rng.random() < 0.7 else "",
                street=f"{number % 999 + 1}, rue Principale", city=city, region=region, postal_code=postal,
                country="Canada", language="fr" if rng.random() < 0.8 else "en",
                description="" if number % 3 else f"Client depuis {2000 + number % 25}.\nÀ rappeler au besoin.",
                external_ref=f"{REF_PREFIX}{number:06d}", account_manager=manager, created_by=manager,
            )
            own = []
            for index in range(people_counts[number - 1]):
                first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
                own.append(ContactPerson(
                    first_name=first, last_name=last, role=rng.choice(ROLES),
                    email=f"p{index}.{slug}@example.com", phone=f"514 555-{number % 10000:04d} poste {index + 10}",
                    is_primary=index == 0,
                ))
            contact.search_text = contact.build_search_text(people=own)
            contacts.append(contact)
            people.append(own)
            managers.append(manager)
        with transaction.atomic():
            Contact.objects.bulk_create(contacts, batch_size=BATCH)
            for contact, own in zip(contacts, people):
                for person in own:
                    person.contact_id = contact.pk
            flat = [person for own in people for person in own]
            ContactPerson.objects.bulk_create(flat, batch_size=BATCH)
        for contact, own in zip(contacts, people):
            contact_ids.append(contact.pk)
            people_by_contact[contact.pk] = [person.pk for person in own]
        done += len(contacts)
        progress("contacts", done, scale.contacts)
    return contact_ids, people_by_contact, managers


def note_contacts(rng, scale, contact_ids) -> tuple[list[int], list[float]]:
    """Which contact each note goes to: the big files get their counts, the rest a skewed share."""
    # A few files are big; most have a handful of notes, some dozens (Pareto weights).
    ordinary = contact_ids[len(scale.big):]
    weights = [min(rng.paretovariate(1.6), 40.0) for _ in ordinary]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return ordinary, cumulative


def seed_notes(rng, scale, users, contact_ids, managers, anchor, progress) -> None:
    types = list(NoteType.objects.order_by("order", "pk").values_list("pk", flat=True))
    type_weights = [30, 15, 30, 15, 5, 3, 2][: len(types)] + [1] * max(0, len(types) - 7)
    user_ids = [user.pk for user in users]
    manager_of = dict(zip(contact_ids, managers))
    ordinary, cumulative = note_contacts(rng, scale, contact_ids)
    big_targets = []
    for contact_id, count in zip(contact_ids, scale.big):
        big_targets += [contact_id] * count
    rest = scale.notes - len(big_targets)
    # Big files' notes are spread through the table as a real history would be.
    targets_iter_big = iter(rng.sample(range(scale.notes), len(big_targets)))
    big_positions = dict(zip(targets_iter_big, big_targets))
    one_day = datetime.timedelta(days=1)
    done = 0
    while done < scale.notes:
        count = min(BATCH * 4, scale.notes - done)
        chosen = rng.choices(ordinary, cum_weights=cumulative, k=count) if rest else []
        notes = []
        for offset in range(count):
            contact_id = big_positions.get(done + offset) or chosen[offset]
            roll = rng.random()
            if roll < 0.87:  # history
                is_done, day = True, anchor - rng.randint(1, PAST_DAYS) * one_day
            elif roll < 0.9845:  # follow-up
                is_done, day = False, anchor + rng.randint(1, FUTURE_DAYS) * one_day
            elif roll < 0.9995:  # overdue, mostly recent
                is_done, day = False, anchor - min(int(rng.expovariate(1 / 45)) + 1, PAST_DAYS) * one_day
            else:  # due today
                is_done, day = False, anchor
            manager = manager_of.get(contact_id)
            assignee = manager.pk if manager is not None and rng.random() < 0.6 else rng.choice(user_ids)
            at = datetime.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))) if rng.random() < 0.65 else None
            notes.append(Note(
                contact_id=contact_id, assigned_to_id=assignee, created_by_id=assignee, date=day, time=at,
                is_done=is_done,
                done_at=datetime.datetime.combine(day, at or datetime.time(12), tzinfo=datetime.UTC) if is_done else None,
                is_pinned=rng.random() < 0.01, admin_only=rng.random() < 0.04,
                type_id=rng.choices(types, weights=type_weights)[0], description=rng.choice(NOTE_TEXTS),
            ))
        with transaction.atomic():
            Note.objects.bulk_create(notes, batch_size=BATCH)
        done += count
        progress("notes", done, scale.notes)


def seed_opportunities(rng, scale, users, contact_ids, people_by_contact, managers, anchor, progress) -> int:
    """Opportunities over every stage, product, category and success band; 0 when prospection is off."""
    if not apps.is_installed("prospection"):
        return 0
    from prospection.figures import opportunities_changed  # only when the module is installed

    Opportunity = apps.get_model("prospection", "Opportunity")
    stages = list(apps.get_model("prospection", "Stage").objects.values_list("pk", flat=True))
    products = list(apps.get_model("prospection", "Product").objects.values_list("pk", flat=True))
    categories = list(apps.get_model("prospection", "Category").objects.values_list("pk", flat=True))
    reps = [user.pk for user in users]
    percents = list(range(0, 101, 5))
    done = 0
    while done < scale.opportunities:
        count = min(BATCH, scale.opportunities - done)
        rows = []
        for _ in range(count):
            index = rng.randrange(len(contact_ids))
            contact_id, manager = contact_ids[index], managers[index]
            value = Decimal(rng.randrange(50_000, 25_000_000)) / 100
            people = people_by_contact.get(contact_id) or [None]
            rows.append(Opportunity(
                contact_id=contact_id,
                subject=f"{rng.choice(['Renouvellement', 'Nouvelle commande', 'Projet', 'Soumission', 'Contrat'])}"
                        f" {rng.randint(1, 9999)}",
                product_id=rng.choice(products) if products and rng.random() < 0.9 else None,
                stage_id=rng.choice(stages),
                category_id=rng.choice(categories) if categories and rng.random() < 0.8 else None,
                contact_person_id=rng.choice(people) if rng.random() < 0.7 else None,
                value=value,
                purchase_costs=(value * Decimal(rng.randint(0, 60)) / 100).quantize(Decimal("0.01")),
                success_percent=rng.choice(percents),
                representative_id=manager.pk if manager is not None else rng.choice(reps),
                expected_close_date=anchor + datetime.timedelta(days=rng.randint(-365, 365)),
                created_by_id=rng.choice(reps),
            ))
        with transaction.atomic():
            Opportunity.objects.bulk_create(rows, batch_size=BATCH)
            opportunities_changed()  # bulk_create sends no signal: cached dashboard sums must go
        done += count
        progress("opportunities", done, scale.opportunities)
    return done


def analyze() -> None:
    """Fresh planner statistics (and, on PostgreSQL, the visibility map for index-only scans)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM cannot run in a transaction (a test's): ANALYZE alone then.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            for table in bench_tables():
                cursor.execute(f'{command} "{table}"')
        else:
            cursor.execute("ANALYZE")


def seed(*, scale: str, seed: int = 1, anchor: datetime.date | None = None, replace: bool = False,
         stream=None) -> dict:
    """Load the bench data set `scale` (XS, S, M, L); returns the row counts and seconds taken.

    Refuses a database that already holds contacts unless replace=True (which empties the CRM tables).
    """
    sizes = SCALES[scale]
    anchor = anchor or timezone.localdate()
    progress = Progress(stream)
    if Contact.objects.exists() or get_user_model().objects.filter(username__startswith="bench-").exists():
        if not replace:
            raise ValueError("This database already holds data; use --replace to empty it first.")
        empty_bench_tables()
    started = time.monotonic()
    rng = random.Random(seed)
    users = seed_users(make_password(BENCH_PASSWORD))
    contact_ids, people_by_contact, managers = seed_contacts(rng, sizes, users, progress)
    seed_notes(rng, sizes, users, contact_ids, managers, anchor, progress)
    opportunities = seed_opportunities(rng, sizes, users, contact_ids, people_by_contact, managers, anchor, progress)
    loaded = time.monotonic() - started
    if stream:
        stream.write("analyze …\n")
    analyze()
    return {"scale": scale, "seed": seed, "anchor": anchor.isoformat(), "users": len(users),
            **existing_rows(), "opportunities": opportunities, "load_seconds": round(loaded, 1),
            "total_seconds": round(time.monotonic() - started, 1)}


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Use: manage.py seed_bench --scale S (with DJANGO_SETTINGS_MODULE=bench.settings).")
