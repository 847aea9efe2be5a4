"""Helpers for the import pages' tests: upload, then run the queued jobs as a worker would."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dataimport import jobs
from dataimport.models import Job

# A French Excel CSV: Windows-1252, semicolons, accents; "Secteur" is no field, "Tél." is the phone.
FRENCH_EXCEL = ("Référence;Nom;Ville;Secteur;Tél.;Prénom;Nom de famille\r\n"
                "R-1;Boulangerie Saint-Roch;Québec;Alimentation;418 555-0101;Émilie;Bouchard\r\n"
                "R-1;Boulangerie Saint-Roch;Québec;Alimentation;418 555-0101;Jean;Côté\r\n"
                "R-2;Garage Tremblay;Lévis;Auto;418 555-0202;;\r\n").encode("cp1252")


def upload(client, content: bytes = FRENCH_EXCEL, name="clients.csv", target="contacts"):
    """POST the file; the mapping page's response (followed)."""
    return client.post(reverse("dataimport:start"), {"target": target, "file": SimpleUploadedFile(name, content)},
                       follow=True)


def run_queued() -> list[Job]:
    """Run every queued job in this process, in order (what `db_worker` does); the jobs after."""
    done = []
    for pk in Job.objects.filter(status=Job.Status.QUEUED).order_by("pk").values_list("pk", flat=True):
        jobs.perform(pk)
        done.append(Job.objects.get(pk=pk))
    return done


def mapping_data(response, **changes) -> dict:
    """The mapping form's values as the page shows them, with `changes` ({field name: value})."""
    form = response.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "update"}
    if form["update"].value():
        data["update"] = "on"
    data.update(changes)
    return data
