"""PostgreSQL restarted in the middle of a load: clean failures, recovery, no half-done write.

    .venv/bin/python bench/reliability_restart.py [--seconds 40] [--down 5]

Runs gunicorn (production settings, 2 workers) against a throw-away PostgreSQL
on port 55432, sends reads and note creations from 8 client threads on
loopback, stops the database for a few seconds in the middle, then checks:
- during the outage every request ends quickly with an error page (no hang);
- afterwards requests succeed again without restarting the app;
- every note creation answered 302 exists exactly once (with its history
  record) and every one that failed wrote nothing;
- an import cut by the same restart writes nothing and says so.
Prints a summary and writes bench/results/reliability-restart.json.
"""

import argparse
import http.client
import json
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgcluster import ThrowawayPostgres, app_env  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, check=True, **kwargs):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=check,
                          capture_output=True, text=True, **kwargs)


SESSION_SNIPPET = """
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from contacts.models import Contact
from notes.models import NoteType
user = get_user_model().objects.get(username="luc")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "crm.auth_backends.OneQueryModelBackend"  # one that settings list
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key, user.pk, NoteType.objects.first().pk,
      ",".join(str(pk) for pk in Contact.objects.values_list("pk", flat=True)[:5]))
"""


class Client:
    def __init__(self, port, session_key):
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}; django_language=fr"

    def request(self, method, path, body=None):
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status, text = f"error: {type(error).__name__}", b""
        finally:
            connection.close()
        return status, time.monotonic() - started, text


def run_load(port, session_key, user_pk, type_pk, contacts, seconds, results, stop_at):
    from urllib.parse import urlencode

    client = Client(port, session_key)
    number = 0
    thread = threading.current_thread().name
    while time.monotonic() < stop_at:
        contact = contacts[number % len(contacts)]
        status, latency, _body = client.request("GET", f"/contacts/{contact}/?tab=notes")
        results.append({"t": time.monotonic(), "kind": "read", "status": status, "latency": latency})
        description = f"fault-{thread}-{number}"
        body = urlencode({"csrfmiddlewaretoken": client.csrf, "assigned_to": user_pk, "date": "2026-11-28",
                          "type": type_pk, "description": description})
        status, latency, _body = client.request("POST", f"/contacts/{contact}/notes/new/", body)
        results.append({"t": time.monotonic(), "kind": "write", "status": status, "latency": latency,
                        "description": description})
        number += 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--down", type=float, default=5)
    parser.add_argument("--threads", type=int, default=8)
    options = parser.parse_args()

    pg = ThrowawayPostgres()
    static_root = tempfile.mkdtemp(prefix="relance-static-")
    gunicorn = None
    try:
        pg.start()
        env = app_env(pg.url, static_root)
        env["DATABASE_CONN_MAX_AGE"] = "60"  # persistent connections: the hard case
        manage(env, "migrate", "--no-input")
        manage(env, "seed_demo")
        manage(env, "collectstatic", "--no-input")
        session_key, user_pk, type_pk, contacts = manage(env, "shell", "-c", SESSION_SNIPPET).stdout.split()[-4:]
        contacts = contacts.split(",")

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "crm.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--threads", "4", "--timeout", "30"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if Client(port, session_key).request("GET", "/login/")[0] == 200:
                break
            time.sleep(0.1)

        results = []
        started = time.monotonic()
        stop_at = started + options.seconds
        threads = [threading.Thread(target=run_load, name=f"t{n}", args=(
            port, session_key, user_pk, type_pk, contacts, options.seconds, results, stop_at))
            for n in range(options.threads)]
        for thread in threads:
            thread.start()
        time.sleep(options.seconds / 4)
        down, up = pg.restart_after(options.down)
        for thread in threads:
            thread.join()

        report = analyse(pg, results, started, down, up)
        report["import"] = interrupted_import(pg, env)
    finally:
        if gunicorn:
            gunicorn.terminate()
            gunicorn.wait(timeout=20)
        pg.destroy()

    print(json.dumps(report, indent=2, ensure_ascii=False))
    out = ROOT / "bench" / "results" / "reliability-restart.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    failed = [name for name, ok in report["verdict"].items() if not ok]
    print("FAILED: " + ", ".join(failed) if failed else "All checks passed.")
    sys.exit(1 if failed else 0)


def analyse(pg, results, started, down, up) -> dict:
    ok = {200, 302}
    before = [r for r in results if r["t"] < down]
    outage = [r for r in results if down <= r["t"] < up + 1]
    after = [r for r in results if r["t"] >= up + 1]
    recovered_at = next((r["t"] for r in sorted(results, key=lambda r: r["t"])
                         if r["t"] >= up and r["status"] in ok), None)

    written = set(pg.psql("select description from notes_note where description like 'fault-%'").split("\n")) - {""}
    duplicates = int(pg.psql("select count(*) from (select description from notes_note where description "
                             "like 'fault-%' group by description having count(*) > 1) d"))
    without_history = int(pg.psql(
        "select count(*) from notes_note n where n.description like 'fault-%' and not exists "
        "(select 1 from notes_historicalnote h where h.id = n.id)"))
    writes = [r for r in results if r["kind"] == "write"]
    acknowledged = {r["description"] for r in writes if r["status"] == 302}
    refused = {r["description"] for r in writes if r["status"] != 302}

    def summary(rows):
        statuses = Counter(str(r["status"]) for r in rows)
        latencies = sorted(r["latency"] for r in rows) or [0]
        return {"requests": len(rows), "statuses": dict(statuses),
                "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1), "max_ms": round(latencies[-1] * 1000, 1)}

    report = {
        "database_down_seconds": round(up - down, 1),
        "before": summary(before), "during_outage": summary(outage), "after": summary(after),
        "recovered_seconds_after_restart": round(recovered_at - up, 2) if recovered_at else None,
        "writes_acknowledged": len(acknowledged), "writes_refused": len(refused),
        "notes_in_database": len(written), "duplicated_notes": duplicates, "notes_without_history": without_history,
    }
    report["verdict"] = {
        "no request hung (all under 20 s)": all(isinstance(r["status"], int) for r in results),
        "outage answered with error pages": all(r["status"] in ok | {500, 503} for r in outage),
        "recovered without restarting the app": recovered_at is not None,
        "every request after recovery succeeded": all(r["status"] in ok for r in after),
        "every acknowledged note written once": acknowledged <= written and duplicates == 0,
        "no refused note written": not (refused & written),
        "no note without its history": without_history == 0,
    }
    return report


def interrupted_import(pg, env) -> dict:
    """An import cut by a database restart writes nothing and says so."""
    sample = Path(tempfile.mkdtemp()) / "contacts.csv"
    subprocess.run([PY, str(ROOT / "bench" / "make_import_sample.py"), str(sample), "--contacts", "60000"],
                   check=True, capture_output=True)
    before = int(pg.psql("select count(*) from contacts_contact"))
    command = subprocess.Popen([PY, "manage.py", "import_contacts", str(sample)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # past the checking pass, into the writing
    still_running = command.poll() is None
    pg.restart_after(2)
    stdout, stderr = command.communicate(timeout=300)
    after = int(pg.psql("select count(*) from contacts_contact"))
    message = (stderr or stdout).strip().splitlines()[-1] if (stderr or stdout).strip() else ""
    result = {"interrupted_while_running": still_running, "exit_code": command.returncode,
              "contacts_before": before, "contacts_after": after, "message": message[:300]}
    result["ok"] = command.returncode != 0 and after == before and bool(message)
    return result


if __name__ == "__main__":
    main()
