"""Soak test: 50 simulated users for 60 s against gunicorn (4 workers) on PostgreSQL, with the worker.

    python bench/soak.py                       # users=50 seconds=60
    python bench/soak.py --users 20 --seconds 30 --keep

It creates a PostgreSQL database of its own (`soak_drafting` on SOAK_PG_URL, default
postgresql://postgres@127.0.0.1:5432/postgres; dropped at the end unless --keep), upgrades it, loads
the reference data, accounts and positions (calendar pinned to 10 February 2018, Round 2 open), and
starts `gunicorn --workers 4 wsgi:app` and `flask --app wsgi worker` on it (the queue in a SQLite
file of a temporary instance folder; no mail server, so the worker writes mail to its log).

Then the simulated people work, each a thread with its own `requests` session that logs in through
the login form and posts forms as a browser would (CSRF tokens read from the pages):

- contributors open one of their network's positions, edit its text (each save carries a unique
  marker) and sometimes submit it; co-drafters of a network meet conflicts, as in life;
- reviewers pick positions from the review queue: start the review, approve or request changes;
- the secretariat looks at the tracker and compiles Round 2 now and then.

Afterwards it checks the database: no 5xx answer; no lost update (the marker of every save that the
server confirmed is in a revision of that position); every position's stage changes form a chain of
audit events ending at its stage; every edition's files match their SHA-256. Before the soak, one
user alone replays the same pages for a few seconds: the latency figures under load print next to
that same-run baseline. The last line reads `users=50 seconds=60 requests=... errors=0 lost=0`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
PASSWORD = "soak test password 2018"
TODAY = "2018-02-10"
NETWORKS = ("CEMR", "Metropolis", "UCLG-MEWA", "UCLG Africa")


# Forms as a browser sees them ---------------------------------------------------------------------

class _Forms(HTMLParser):
    """Every <form> of a page: its action and the values a browser would send (hidden and filled
    fields, checked boxes, selected options, textareas), and its buttons' formactions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action", ""), "fields": [], "buttons": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if not a.get("name") or kind in ("file", "submit", "button", "image", "reset"):
                if kind == "submit" and a.get("name"):
                    self._form["buttons"].append((a["name"], a.get("value", ""), a.get("formaction")))
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "button":
            self._form["buttons"].append((a.get("name"), a.get("value", ""), a.get("formaction")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"].append((self._textarea, ""))
        elif tag == "select" and a.get("name"):
            self._select, self._select_first = a["name"], None
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self._form["fields"].append((self._select, a.get("value", "")))
                self._select_first = "chosen"

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select_first not in (None, "chosen") and self._form is not None:
                self._form["fields"].append((self._select, self._select_first))
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    # A textarea's first newline belongs to the markup, not the value (as browsers read it).
    for form in parser.forms:
        form["fields"] = [(n, v[1:] if v.startswith("\n") else v) for n, v in form["fields"]]
    return parser.forms


def form_with(html: str, action_pattern: str) -> dict | None:
    for form in forms_of(html):
        if re.search(action_pattern, form["action"]) or any(
                b[2] and re.search(action_pattern, b[2]) for b in form["buttons"]):
            return form
    return None


# The simulated people ------------------------------------------------------------------------------

@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    errors: list[str] = field(default_factory=list)  # 5xx and broken connections
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    outcomes: Counter = field(default_factory=Counter)
    saves: list[tuple[int, str]] = field(default_factory=list)  # (position id, marker) confirmed by the server


class Person:
    def __init__(self, base: str, email: str, role: str, tally: Tally, rng: random.Random, positions=()):
        self.base, self.email, self.role, self.tally, self.rng = base, email, role, tally, rng
        self.positions = list(positions)
        self.compile_chance = 0.25  # the secretariat compiles now and then (always, in the baseline)
        self.http = requests.Session()

    def request(self, kind: str, method: str, path: str, **kwargs) -> requests.Response | None:
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 60)
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, **kwargs)
        except requests.RequestException as error:
            with self.tally.lock:
                self.tally.requests += 1
                self.tally.errors.append(f"{method} {path}: {type(error).__name__}")
            return None
        elapsed = time.perf_counter() - started
        with self.tally.lock:
            self.tally.requests += 1
            self.tally.latencies[kind].append(elapsed)
            if response.status_code >= 500:
                self.tally.errors.append(f"{method} {path}: {response.status_code}")
        return response

    def post_form(self, kind: str, form: dict, path: str | None = None, **values) -> requests.Response | None:
        data = [(n, v) for n, v in form["fields"] if n not in values]
        data += [(n, v) for n, v in values.items() if v is not None]
        return self.request(kind, "POST", _path(path or form["action"]), data=data)

    def log_in(self) -> None:
        page = self.request("login", "GET", "/login")
        form = next(f for f in forms_of(page.text) if any(name == "password" for name, _ in f["fields"]))
        response = self.post_form("login", form, path="/login", email=self.email, password=PASSWORD)
        assert response is not None and response.status_code in (302, 303), f"login of {self.email} failed"

    def outcome(self, name: str) -> None:
        with self.tally.lock:
            self.tally.outcomes[name] += 1

    # One step of each role's work -------------------------------------------------------------

    def step(self) -> None:
        getattr(self, f"step_{self.role}")()

    def step_contributor(self) -> None:
        position_id = self.rng.choice(self.positions)
        edit = self.request("edit form", "GET", f"/positions/{position_id}/edit")
        if edit is None or edit.status_code != 200:  # not editable in its stage: read it instead
            self.request("position page", "GET", f"/positions/{position_id}")
            return
        form = form_with(edit.text, rf"/positions/{position_id}/edit")
        fields = dict(form["fields"])
        marker = f"soak-{uuid.uuid4().hex[:12]}"
        text = fields.get("text", "") + f"\n\nEdited in the soak test ({marker})."
        if len(text) > 90_000:  # stay within the text's limit
            text = f"Edited in the soak test ({marker})."
        submit = self.rng.random() < 0.3
        button = "save_and_submit" if submit else "save"
        response = self.post_form("save", form, text=text, **{button: "1"})
        if response is None:
            return
        if response.status_code in (302, 303):
            with self.tally.lock:
                self.tally.saves.append((position_id, marker))
            self.outcome("saved and submitted" if submit else "saved")
        elif response.status_code == 409:
            self.outcome("edit conflict (someone saved first)")
        else:
            self.outcome(f"save answered {response.status_code}")

    def step_reviewer(self) -> None:
        queue = self.request("review queue", "GET", "/review")
        ids = sorted(set(int(i) for i in re.findall(r'href="/positions/(\d+)"', queue.text))) if queue else []
        if not ids:
            return
        position_id = self.rng.choice(ids)
        page = self.request("position page", "GET", f"/positions/{position_id}")
        if page is None or page.status_code != 200:
            return
        form = form_with(page.text, r"/(start_review|approve|request_changes)$")
        if form is None:
            self.outcome("nothing to decide")
            return
        actions = {urlsplit(b[2]).path.rsplit("/", 1)[1]: b[2] for b in form["buttons"] if b[2]}
        if "start_review" in actions:
            action, comment = "start_review", ""
        elif "approve" in actions and self.rng.random() < 0.7:
            action, comment = "approve", ""
        elif "request_changes" in actions:
            action, comment = "request_changes", "Please name the paragraph of the compact."
        else:
            return
        response = self.post_form("decision", form, path=actions[action], **{"decision-comment": comment})
        if response is not None and response.status_code in (302, 303):
            self.outcome(action)

    def step_secretariat(self) -> None:
        self.request("tracker", "GET", "/tracker")
        if self.rng.random() < self.compile_chance:
            milestone_id = self.positions[0]
            page = self.request("compile form", "GET", f"/milestones/{milestone_id}/compile")
            if page is None or page.status_code != 200:
                return
            form = form_with(page.text, rf"/milestones/{milestone_id}/compile")
            response = self.post_form("compile", form, submit="Compile")
            if response is not None:
                self.outcome("compiled" if response.status_code in (302, 303) else f"compile answered "
                             f"{response.status_code}")


def _path(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def run_people(people: list[Person], seconds: float, think: tuple[float, float]) -> float:
    deadline = time.monotonic() + seconds

    def work(person: Person) -> None:
        try:
            person.log_in()
        except Exception as error:  # counted; the others go on
            with person.tally.lock:
                person.tally.errors.append(f"login {person.email}: {error}")
            return
        while time.monotonic() < deadline:
            try:
                person.step()
            except Exception as error:
                with person.tally.lock:
                    person.tally.errors.append(f"{person.role} step: {type(error).__name__}: {error}")
            time.sleep(person.rng.uniform(*think))

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(p,), daemon=True) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return time.monotonic() - started


# Setting up and checking the database ------------------------------------------------------------

def _app(database_url: str, instance: Path):
    os.environ["DRAFTING_INSTANCE_PATH"] = str(instance)
    from drafting import create_app

    return create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": database_url,
                       "DRAFTING_TODAY": TODAY, "TASK_QUEUE_URL": "memory://",
                       "PASSWORD_HASH_METHOD": "scrypt:16384:8:1"})


def seed(app, users: int, rng: random.Random) -> dict:
    """Accounts (about 60 % contributors, 30 % reviewers, the rest secretariat) and 8 positions a network."""
    from sqlalchemy import select

    from drafting.accounts.operations import create_user
    from drafting.extensions import db
    from drafting.models import Milestone, Organisation, Theme, User
    from drafting.positions.operations import PositionContent, create_position
    from drafting.positions.workflow import transition

    with app.app_context():
        orgs = {o.short_name: o for o in db.session.scalars(select(Organisation))}
        round2 = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
        themes = [t.id for t in db.session.scalars(select(Theme).limit(6))]
        secretariat = max(2, users // 12)
        reviewers = max(2, users * 3 // 10)
        contributors = users - secretariat - reviewers
        people = []
        for n in range(users):
            role = "secretariat" if n < secretariat else "reviewer" if n < secretariat + reviewers else "contributor"
            org = "UCLG" if role == "secretariat" else NETWORKS[n % len(NETWORKS)]
            user = create_user(email=f"soak{n}@soak.example.org", name=f"Soak {role} {n}", organisation=orgs[org],
                               role=role, password=PASSWORD)
            people.append((user.email, role, org))
        positions: dict[str, list[int]] = {}
        for org in NETWORKS:
            author = db.session.scalar(select(User).where(User.organisation_id == orgs[org].id,
                                                           User.role == "contributor").limit(1))
            positions[org] = []
            for k in range(8):
                text = "\n\n".join(f"Paragraph {p} of the {org} position {k}: local governments deliver services."
                                   for p in range(4))
                content = PositionContent(title=f"{org} soak position {k}", milestone_id=round2.id, language="en",
                                          summary="A position written for the soak test.", text=text,
                                          theme_ids=rng.sample(themes, 2), amendments=[])
                position = create_position(author, content)
                if k % 2:  # half of them already wait for a review
                    transition(position, "submit", author)
                positions[org].append(position.id)
        milestone_id = round2.id
        db.session.remove()
        return {"people": people, "positions": positions, "milestone_id": milestone_id,
                "counts": (contributors, reviewers, secretariat)}


def check(app, tally: Tally) -> dict:
    """What the database says after the soak."""
    from sqlalchemy import MetaData, Table, func, select

    from drafting.extensions import db
    from drafting.models import Position, Revision, StageEvent

    with app.app_context():
        lost = 0
        revisions: dict[int, list[str]] = defaultdict(list)
        for position_id, text in db.session.execute(select(Revision.position_id, Revision.text)):
            revisions[position_id].append(text)
        for position_id, marker in tally.saves:
            if not any(marker in text for text in revisions[position_id]):
                lost += 1
        unaudited = 0
        events: dict[int, list[StageEvent]] = defaultdict(list)
        for event in db.session.scalars(select(StageEvent).order_by(StageEvent.created_at, StageEvent.id)):
            events[event.position_id].append(event)
        for position in db.session.scalars(select(Position)):
            stage = "draft"
            for event in events[position.id]:
                if event.from_stage != stage:
                    unaudited += 1  # a stage change without its event between these two
                stage = event.to_stage
            if stage != position.stage:
                unaudited += 1
        editions = Table("editions", MetaData(), autoload_with=db.engine)
        pairs = [(column.name, column.name.replace("data", "sha256")) for column in editions.columns
                 if column.name.endswith("data") and column.name.replace("data", "sha256") in editions.columns]
        bad_files = checked_files = 0
        for row in db.session.execute(select(editions)).mappings():
            for data_column, sha_column in pairs:
                if row[data_column] is None:
                    continue
                checked_files += 1
                if hashlib.sha256(bytes(row[data_column])).hexdigest() != row[sha_column]:
                    bad_files += 1
        counts = {
            "revisions": db.session.scalar(select(func.count()).select_from(Revision)),
            "events": db.session.scalar(select(func.count()).select_from(StageEvent)),
            "editions": db.session.scalar(select(func.count()).select_from(editions)),
        }
        db.session.remove()
    return {"lost": lost, "unaudited": unaudited, "bad_files": bad_files, "checked_files": checked_files, **counts}


# Processes ---------------------------------------------------------------------------------------

def _wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            if requests.get(url + "/login", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within a minute")


def _stop(process: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if process is not None and process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _wait_for_queue(queue_url: str, instance: Path, seconds: float = 120) -> int:
    """Let the worker finish what the soak queued (editions, mail); return what is still waiting."""
    from drafting.worker import storage_for

    storage = storage_for(queue_url, str(instance))
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and storage.queue_size():
        time.sleep(1)
    time.sleep(2)  # the job taken last finishes
    return storage.queue_size()


_STARTED = time.monotonic()


def phase(name: str) -> None:
    print(f"[soak {time.monotonic() - _STARTED:6.1f} s] {name}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--database", default="soak_drafting")
    parser.add_argument("--baseline-seconds", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database and the logs afterwards")
    args = parser.parse_args()

    import psycopg

    admin_url = os.environ.get("SOAK_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(admin_url)
    database_url = urlunsplit((parts.scheme, parts.netloc, "/" + args.database, "", ""))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')

    instance = Path(tempfile.mkdtemp(prefix="soak-"))
    queue_url = f"sqlite:///{instance / 'queue.db'}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DRAFTING_ENV": "development", "SECRET_KEY": "soak-" + uuid.uuid4().hex,
           "DATABASE_URL": database_url, "DRAFTING_INSTANCE_PATH": str(instance), "DRAFTING_TODAY": TODAY,
           "TASK_QUEUE_URL": queue_url, "MAIL_SERVER": "", "RATELIMIT_STORAGE_URI": "memory://",
           "BASE_URL": base}
    rng = random.Random(2018)
    server = worker = None
    try:
        phase("database created; upgrading")
        subprocess.run([BIN / "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        subprocess.run([BIN / "flask", "--app", "wsgi", "seed-reference"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        phase("reference data loaded; adding accounts and positions")
        app = _app(database_url.replace("postgresql://", "postgresql+psycopg://", 1), instance)
        data = seed(app, args.users, rng)
        server_log = open(instance / "gunicorn.log", "w")  # noqa: SIM115 (closed with the process)
        worker_log = open(instance / "worker.log", "w")  # noqa: SIM115
        server = subprocess.Popen([BIN / "gunicorn", "--workers", str(args.gunicorn_workers), "--bind",
                                   f"127.0.0.1:{port}", "--timeout", "30", "wsgi:app"],
                                  cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
        worker = subprocess.Popen([BIN / "flask", "--app", "wsgi", "worker", "--workers", "2"],
                                  cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
        _wait_until_up(base, server)
        phase("gunicorn and the worker started; the baseline (one user at a time)")

        def people_for(tally: Tally, limit: int | None = None) -> list[Person]:
            out = []
            by_org = data["positions"]
            for n, (email, role, org) in enumerate(data["people"]):
                positions = (by_org[org] if role == "contributor" else
                             [data["milestone_id"]] if role == "secretariat" else [])
                out.append(Person(base, email, role, tally, random.Random(n), positions))
            if limit is None:
                return out
            # the baseline: one person of each role, one after the other
            alone = [next(p for p in out if p.role == role) for role in ("contributor", "reviewer", "secretariat")]
            alone[-1].compile_chance = 1.0
            return alone

        baseline = Tally()
        for person in people_for(baseline, limit=1):
            run_people([person], args.baseline_seconds, (0.0, 0.0))
        tally = Tally()
        phase(f"the soak: {args.users} users for {args.seconds} s")
        elapsed = run_people(people_for(tally), args.seconds, (0.3, 1.2))
        phase("waiting for the worker to finish its queue")
        waiting = _wait_for_queue(queue_url, instance)
        phase("checking the database")
        result = check(app, tally)
    finally:
        _stop(server)
        _stop(worker)
        if not args.keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    contributors, reviewers, secretariat = data["counts"]
    print(f"soak: {args.users} users ({contributors} contributors, {reviewers} reviewers, {secretariat} "
          f"secretariat), {args.seconds} s, gunicorn --workers {args.gunicorn_workers}, PostgreSQL, "
          f"worker queue {queue_url}")
    print(f"{'kind':<16} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}   alone: {'p50 ms':>7} {'p95 ms':>7}")
    for kind in sorted(tally.latencies):
        values, alone = tally.latencies[kind], baseline.latencies.get(kind, [])
        print(f"{kind:<16} {len(values):>6} {statistics.median(values) * 1000:>8.0f} "
              f"{_percentile(values, 0.95) * 1000:>8.0f} {max(values) * 1000:>8.0f}   alone: "
              f"{(statistics.median(alone) * 1000 if alone else 0):>7.0f} {_percentile(alone, 0.95) * 1000:>7.0f}")
    print("outcomes: " + ", ".join(f"{name} {count}" for name, count in sorted(tally.outcomes.items())))
    print(f"database: {result['revisions']} revisions, {result['events']} stage events, {result['editions']} "
          f"editions ({result['checked_files']} files checked, {result['bad_files']} not matching their SHA-256); "
          f"saves confirmed {len(tally.saves)}; stage changes without their event {result['unaudited']}; "
          f"jobs still queued {waiting}; throughput {tally.requests / elapsed:.1f} requests/s")
    for error in tally.errors[:10]:
        print(f"error: {error}")
    if args.keep:
        print(f"logs and queue kept in {instance}; database {args.database} kept")
    print(f"users={args.users} seconds={args.seconds} requests={tally.requests} errors={len(tally.errors)} "
          f"lost={result['lost']}")
    failed = tally.errors or result["lost"] or result["unaudited"] or result["bad_files"]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
