"""Mixed traffic from 32 simulated users under gunicorn with the production settings.

    .venv/bin/python bench/reliability_load.py [--scale L] [--minutes 5] [--users 32]
    .venv/bin/python bench/reliability_load.py --database-url postgres://...  # an already seeded database

Each user signs in (a session of its own, one of the 20 benchmark users) and,
until the time is up, reads contact files, adds notes, toggles them done,
opens the calendar (mine and everyone) and the opportunity dashboard. Then
it checks: no 5xx, no lost or duplicated write (every acknowledged note
exists once; each note's done state matches the acknowledged toggles), and
the memory of each gunicorn worker stayed flat. Loopback only; bounded in
time. Writes bench/results/reliability-load.json.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pgcluster import ThrowawayPostgres, app_env  # noqa: E402
from reliability_restart import Client, free_port, manage  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

SESSIONS_SNIPPET = """
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from contacts.models import Contact
from notes.models import NoteType
users = get_user_model().objects.filter(username__startswith="bench-").order_by("username")
for user in users:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "crm.auth_backends.OneQueryModelBackend"  # one that settings list
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print("SESSION", session.session_key, user.pk)
print("TYPE", NoteType.objects.first().pk)
print("CONTACTS", ",".join(str(pk) for pk in Contact.objects.order_by("?").values_list("pk", flat=True)[:2000]))
"""


def worker_rss(master_pid: int) -> dict[int, int]:
    """Resident memory (kB) of each gunicorn worker."""
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    sizes = {}
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        sizes[int(pid)] = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS")))
    return sizes


class User(threading.Thread):
    def __init__(self, number, port, session, user_pk, type_pk, contacts, stop_at, run_id, lookup):
        super().__init__(name=f"u{number}")
        self.lookup = lookup  # description -> note id, asked of the database once per note
        self.client = Client(port, session)
        self.user_pk, self.type_pk, self.contacts, self.stop_at = user_pk, type_pk, contacts, stop_at
        self.rng = random.Random(number)
        self.run_id = run_id
        self.results = []
        self.created = []  # (description, contact) acknowledged
        self.toggles = Counter()  # description -> acknowledged toggles
        self.note_urls = {}

    def record(self, kind, status, latency):
        self.results.append((kind, status, latency))

    def run(self):
        number = 0
        while time.monotonic() < self.stop_at:
            action = self.rng.choices(["file", "add", "toggle", "calendar", "dashboard"], [40, 15, 15, 15, 15])[0]
            contact = self.rng.choice(self.contacts)
            if action == "file":
                status, latency, _ = self.client.request("GET", f"/contacts/{contact}/?tab=notes")
            elif action == "add" or (action == "toggle" and not self.created):
                description = f"load-{self.run_id}-{self.name}-{number}"
                body = urlencode({"csrfmiddlewaretoken": self.client.csrf, "assigned_to": self.user_pk,
                                  "date": "2026-11-28", "type": self.type_pk, "description": description})
                status, latency, _ = self.client.request("POST", f"/contacts/{contact}/notes/new/", body)
                action = "add"
                if status == 302:
                    self.created.append(description)
            elif action == "toggle":
                description = self.rng.choice(self.created)
                pk = self.note_pk(description)
                body = urlencode({"csrfmiddlewaretoken": self.client.csrf})
                status, latency, _ = self.client.request("POST", f"/notes/{pk}/done/", body)
                if status == 302:
                    self.toggles[description] += 1
            elif action == "calendar":
                assignee = self.rng.choice(["", "everyone"])
                status, latency, _ = self.client.request("GET", f"/calendar/?assignee={assignee}")
            else:
                status, latency, _ = self.client.request("GET", "/prospection/?representative=" + str(self.user_pk))
            self.record(action, status, latency)
            number += 1

    def note_pk(self, description):
        if description not in self.note_urls:
            self.note_urls[description] = self.lookup(description)
        return self.note_urls[description]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="L")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="an already seeded PostgreSQL database (else a throw-away one)")
    options = parser.parse_args()

    pg = None if options.database_url else ThrowawayPostgres(port=55433)
    static_root = tempfile.mkdtemp(prefix="relance-static-")
    gunicorn = None
    try:
        if pg:
            pg.start()
        url = options.database_url or pg.url
        env = app_env(url, static_root)
        # The bench's settings on the production ones: seed_bench is a bench command.
        env.update({"DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_PRODUCTION": "on"})
        manage(env, "migrate", "--no-input")
        seeded_at = time.monotonic()
        manage(env, "seed_bench", "--scale", options.scale, "--if-needed")
        seed_seconds = time.monotonic() - seeded_at
        manage(env, "collectstatic", "--no-input")
        lines = manage(env, "shell", "-c", SESSIONS_SNIPPET).stdout.splitlines()
        sessions = [line.split()[1:] for line in lines if line.startswith("SESSION")]
        type_pk = next(line.split()[1] for line in lines if line.startswith("TYPE"))
        contacts = next(line.split()[1] for line in lines if line.startswith("CONTACTS")).split(",")

        psql = psql_for(url)

        def lookup(description):
            return psql(f"select id from notes_note where description = '{description}'")

        port = free_port()
        gunicorn = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "crm.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(options.workers), "--threads", "4", "--timeout", "30"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            if Client(port, sessions[0][0]).request("GET", "/login/")[0] == 200:
                break
            time.sleep(0.1)

        run_id = str(int(time.time()))
        stop_at = time.monotonic() + options.minutes * 60
        users = [User(n, port, *sessions[n % len(sessions)], type_pk, contacts, stop_at, run_id, lookup)
                 for n in range(options.users)]
        memory = []
        for user in users:
            user.start()
        while any(user.is_alive() for user in users):
            memory.append(worker_rss(gunicorn.pid))
            time.sleep(10)
        report = analyse(users, memory, psql, run_id, options, seed_seconds)
    finally:
        if gunicorn:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if pg:
            pg.destroy()

    print(json.dumps(report, indent=2))
    out = ROOT / "bench" / "results" / "reliability-load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    failed = [name for name, ok in report["verdict"].items() if not ok]
    print("FAILED: " + ", ".join(failed) if failed else "All checks passed.")
    sys.exit(1 if failed else 0)


def psql_for(url):
    def run(sql):
        return subprocess.run(["psql", url, "-tAc", sql], check=True, capture_output=True, text=True).stdout.strip()
    return run


def analyse(users, memory, psql, run_id, options, seed_seconds) -> dict:
    results = [row for user in users for row in user.results]
    by_action = defaultdict(list)
    for kind, status, latency in results:
        by_action[kind].append((status, latency))

    def stats(rows):
        latencies = sorted(latency for _status, latency in rows) or [0]
        return {"requests": len(rows), "statuses": dict(Counter(str(status) for status, _ in rows)),
                "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
                "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1)}

    in_db = dict(line.split("|") for line in psql(
        f"select description, is_done from notes_note where description like 'load-{run_id}-%'").splitlines() if line)
    duplicates = int(psql(f"select count(*) from (select description from notes_note where description like "
                          f"'load-{run_id}-%' group by description having count(*) > 1) d"))
    acknowledged = [description for user in users for description in user.created]
    toggles = Counter()
    for user in users:
        toggles.update(user.toggles)
    wrong_state = [d for d in acknowledged if (in_db.get(d) == "t") != (toggles[d] % 2 == 1)]
    first = memory[1] if len(memory) > 1 else (memory[0] if memory else {})
    last = memory[-1] if memory else {}
    growth = {pid: round((last.get(pid, 0) - first.get(pid, 0)) / 1024, 1) for pid in first}
    total = len(results)
    five_xx = sum(1 for _kind, status, _ in results if not isinstance(status, int) or status >= 500)
    report = {
        "scale": options.scale, "seed_seconds": round(seed_seconds, 1), "minutes": options.minutes,
        "users": options.users, "workers": options.workers, "requests": total,
        "requests_per_second": round(total / (options.minutes * 60), 1),
        "by_action": {kind: stats(rows) for kind, rows in by_action.items()},
        "notes_acknowledged": len(acknowledged), "notes_in_database": len(in_db), "duplicated_notes": duplicates,
        "toggles_acknowledged": sum(toggles.values()), "notes_in_wrong_state": len(wrong_state),
        "worker_rss_mb_start": {pid: round(kb / 1024, 1) for pid, kb in first.items()},
        "worker_rss_mb_end": {pid: round(kb / 1024, 1) for pid, kb in last.items()},
        "worker_rss_growth_mb": growth,
    }
    report["verdict"] = {
        "no 5xx and no connection error": five_xx == 0,
        "no lost note": set(acknowledged) <= set(in_db),
        "no duplicated note": duplicates == 0 and len(in_db) == len(set(acknowledged)),
        "done state matches the acknowledged toggles": not wrong_state,
        "worker memory flat (under 50 MB growth)": all(mb < 50 for mb in growth.values()),
    }
    return report


if __name__ == "__main__":
    main()
