"""Load test: every main page under gunicorn, next to a bare Flask endpoint measured in the same run.

    python bench/load.py --database perf_bench --n 10000
    python bench/load.py --database perf_bench --n 10000 --workers 4 --redis redis://127.0.0.1:6379/2
    python bench/load.py --database perf_bench --n 10000 --pages search   # one area, quicker

1. Seeds N positions (six paragraphs each, spread over milestones, networks, stages and languages) into
   the PostgreSQL database named on the command line (created and migrated if needed; reseeded only when
   it does not hold N positions), with COPY: 10,000 positions take seconds.
2. Starts the app (`wsgi:app`) and the bare endpoint (`bench/bare.py`) under the same gunicorn settings
   (gunicorn.conf.py, sync workers, access log off so that it does not weigh on the figures).
3. Logs in as each role, checks that every page answers 200 for it, then runs `wrk` on each page:
   a one-second warm-up at --connections, not counted (every worker compiles the page's templates and
   statements on its first request, 30-150 ms; the figures are the steady state), then --connections (20)
   for requests/s, then 2 connections for the latency (p50, p99). After each run the server is given a
   second to answer what the run's connections had already sent, so that each run starts on idle workers.
   The bare endpoint is measured first and again last: a shared machine's speed drifts over a run of
   minutes (10 % here), so each page's share is taken against the mean of the two, and the drift is printed.
4. Prints one row per page (requests/s, share of the bare endpoint, p50, p99, non-2xx) and a last line
   `n=... list_share=... search_share=... worst_p99_ms=... errors=...`.

With --pages WORD, only the pages whose label contains WORD are measured (plus the bare endpoint, so
that shares stay comparable; several words separated by commas: any of them); the last line's shares
then cover those pages only.

With --redis, the login rate limit and the task queue use that Redis database, and the test also checks
that 11 failed logins spread over the workers get a 429 (the limit is 10 a minute per address).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load test password 2018"
SERVER = "postgresql://postgres@127.0.0.1:5432"
APP_PORT, BARE_PORT = 8731, 8732
SEED_CHUNK = 10_000
DRAIN_SECONDS = 1.0

EN = ("local regional governments cities migrants refugees newcomers inclusion services housing health "
      "education employment language courses reception integration participation dialogue mayors networks "
      "municipalities partnership national frameworks funding capacity data evidence rights dignity access "
      "public transport safety cohesion diversity culture community volunteers employers skills recognition "
      "detention alternatives children families labour mobility remittances diaspora climate displacement "
      "the of and to in for with by on across from their our all every a an local authorities").split()
FR = ("les collectivités territoriales accueillent migrants réfugiés logement santé éducation emploi "
      "intégration participation dialogue maires réseaux villes droits dignité accès services publics "
      "de la le et des pour avec dans par sur").split()
ES = ("las ciudades gobiernos locales acogen personas migrantes refugiadas vivienda salud educación empleo "
      "integración participación diálogo alcaldes redes derechos dignidad acceso servicios públicos "
      "de la el y los para con en por sobre").split()
AR = ("المدن الحكومات المحلية المهاجرين اللاجئين السكن الصحة التعليم العمل الإدماج الحقوق الكرامة الخدمات "
      "في من إلى على").split()
VOCABULARY = {"en": EN, "fr": FR, "es": ES, "ar": AR}
LANGUAGE_MIX = ["en"] * 14 + ["fr"] * 2 + ["es"] * 2 + ["ar"] * 2
STAGE_MIX = ["draft"] * 3 + ["submitted"] * 2 + ["in_review"] * 2 + ["changes_requested", "approved", "approved",
                                                                       "rejected", "withdrawn", "included"]


# Seeding ---------------------------------------------------------------------------------------

def _words(rng: random.Random, language: str, count: int) -> str:
    vocabulary = VOCABULARY[language]
    # A Zipf-like pick: a few words are everywhere, most are rarer, as in real prose.
    return " ".join(vocabulary[min(int(rng.paretovariate(1.1)) - 1, len(vocabulary) - 1)]
                    if rng.random() < 0.5 else rng.choice(vocabulary) for _ in range(count))


def _position_text(rng: random.Random, language: str) -> str:
    return "\n\n".join(_words(rng, language, 70).capitalize() + "." for _ in range(6))


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(v) for v in row) + "\n")
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def database_url(name: str) -> str:
    return f"{SERVER}/{name}"


def prepare_database(name: str, n: int) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database_url(name), "DRAFTING_ENV": "development"}
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["seed-reference"], cwd=ROOT, env=env, check=True, capture_output=True)

    with psycopg.connect(database_url(name)) as connection:
        count = connection.execute("SELECT count(*) FROM positions").fetchone()[0]
        if count == n and connection.execute("SELECT count(*) FROM users WHERE email LIKE '%%@load.test'"
                                             ).fetchone()[0] == 3:
            print(f"database {name}: {n} positions already there", flush=True)
            return
    started = time.perf_counter()
    seed(name, n)
    print(f"database {name}: seeded {n} positions in {time.perf_counter() - started:.1f} s", flush=True)


def seed(name: str, n: int) -> None:
    import psycopg
    from werkzeug.security import generate_password_hash

    rng = random.Random(2018)
    with psycopg.connect(database_url(name)) as connection, connection.cursor() as cursor:
        # position_counts too: a TRUNCATE fires no trigger (drafting.models.position_counts).
        cursor.execute("TRUNCATE positions, revisions, position_themes, stage_events, comments, approvals, "
                       "position_counts RESTART IDENTITY CASCADE")
        cursor.execute("DELETE FROM users WHERE email LIKE '%%@load.test'")
        organisations = dict(cursor.execute(
            "SELECT short_name, id FROM organisations WHERE contributes_positions").fetchall())
        uclg = cursor.execute("SELECT id FROM organisations WHERE short_name = 'UCLG'").fetchone()[0]
        milestones = [row[0] for row in cursor.execute(
            "SELECT id FROM milestones WHERE submission_deadline IS NOT NULL ORDER BY start_date").fetchall()]
        themes = [row[0] for row in cursor.execute("SELECT id FROM themes").fetchall()]
        password = generate_password_hash(PASSWORD)
        users = {}
        for role, organisation in (("secretariat", uclg), ("reviewer", uclg), ("contributor", organisations["CEMR"])):
            users[role] = cursor.execute(
                "INSERT INTO users (email, name, organisation_id, role, active, locale, password_hash, created_at) "
                "VALUES (%s, %s, %s, %s, true, 'en', %s, now()) RETURNING id",
                (f"{role}@load.test", f"Load {role}", organisation, role, password)).fetchone()[0]
        authors = users["contributor"]
        start = datetime(2017, 6, 1)
        org_ids = list(organisations.values())
        timings = {"build": 0.0, "positions": 0.0, "revisions": 0.0, "themes": 0.0}
        # In chunks, so that 100,000 positions (about 700 MB of text with their revisions) are never
        # all in memory; each chunk is three COPY statements.
        for first in range(1, n + 1, SEED_CHUNK):
            began = time.perf_counter()
            positions, revisions, links = [], [], []
            for number in range(first, min(first + SEED_CHUNK, n + 1)):
                language = rng.choice(LANGUAGE_MIX)
                stage = rng.choice(STAGE_MIX)
                moment = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
                title = _words(rng, language, 6).capitalize()
                summary = _words(rng, language, 30).capitalize() + "."
                text = _position_text(rng, language)
                submitted = None if stage == "draft" else moment
                approved = moment if stage in ("approved", "included") else None
                positions.append((number, org_ids[number % len(org_ids)], milestones[number % len(milestones)],
                                  stage, language, title, summary, text, "[]", 1, authors, moment, moment, moment,
                                  submitted, approved, 1))
                revisions.append((number, 1, authors, moment, title, summary, text, language, "[]", "[]"))
                for theme in rng.sample(themes, 2):
                    links.append((number, theme))
            timings["build"] += time.perf_counter() - began
            for table, columns, rows in (
                ("positions", ["id", "organisation_id", "milestone_id", "stage", "language", "title", "summary",
                               "text", "amendments", "revision_number", "created_by_id", "created_at", "updated_at",
                               "stage_changed_at", "submitted_at", "approved_at", "version_id"], positions),
                ("revisions", ["position_id", "number", "author_id", "created_at", "title", "summary", "text",
                               "language", "theme_ids", "amendments"], revisions),
                ("themes", ["position_id", "theme_id"], links),
            ):
                began = time.perf_counter()
                _copy(cursor, "position_themes" if table == "themes" else table, columns, rows)
                timings[table] += time.perf_counter() - began
        print("seeding: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in timings.items())
              + " (COPY into positions includes its triggers: full-text document and counts)", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('positions', 'id'), %s)", (n,))
        connection.commit()
    with psycopg.connect(database_url(name), autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


# Serving ---------------------------------------------------------------------------------------

def start_gunicorn(module: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
               "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
               "--max-requests", "0", "--log-level", "warning", module]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn {module} stopped (is port {port} taken?)")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ok" if module.startswith("bench") else
                                   f"http://127.0.0.1:{port}/login", timeout=5)
            return process
        except OSError:  # not listening yet, or still importing
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn {module} did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


class Session:
    """A logged-in browser: the session cookie, kept by hand (production cookies are Secure)."""

    def __init__(self, base: str):
        self.base, self.cookies = base, {}

    def _open(self, path: str, data: dict | None = None):
        request = urllib.request.Request(self.base + path, data=urllib.parse.urlencode(data).encode() if data else None)
        if self.cookies:
            request.add_header("Cookie", self.cookie_header())
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode("utf-8", "replace")

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def get(self, path: str):
        return self._open(path)

    def log_in(self, email: str, password: str) -> int:
        _, page = self.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        status, _ = self._open("/login", {"csrf_token": token, "email": email, "password": password})
        return status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Measuring -------------------------------------------------------------------------------------

def wrk(url: str, connections: int, seconds: int, header: str | None) -> dict:
    """`header`: the session's "Cookie: ..." for a page, the token's "Authorization: Bearer ..." for the API."""
    command = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    if header:
        command += ["-H", header]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    # When wrk stops, the requests its connections had sent are still queued at the server, and each
    # worker answers them (20 connections: up to 19 requests, 0.1-0.3 s). The next measurement starts on
    # idle workers, or its first requests would wait behind them and count as its own latency.
    time.sleep(DRAIN_SECONDS)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    latency = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", output).group(1)) for p in ("50", "99")}
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "errors": errors}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def late_page(connection, n: int, organisation: str | None = None) -> tuple[int, str]:
    """A page halfway down the list (page 200 of 400 at N=10,000), as its "Next" link reaches it: the
    sort key of the row before it (drafting.pagination.keyset_paginate), not an offset."""
    where = "WHERE organisation_id = (SELECT id FROM organisations WHERE short_name = %s)" if organisation else ""
    rows = connection.execute(f"SELECT count(*) FROM positions {where}",  # noqa: S608 (no user input)
                              (organisation,) if organisation else ()).fetchone()[0]
    page = max(2, rows // 25 // 2)
    updated_at, position_id = connection.execute(
        f"SELECT updated_at, id FROM positions {where} ORDER BY updated_at DESC, id DESC "  # noqa: S608
        "OFFSET %s LIMIT 1", ((organisation,) if organisation else ()) + ((page - 1) * 25 - 1,)).fetchone()
    return page, f"/positions?after={updated_at.isoformat()}_{position_id}&page={page}"


def pages(ids: dict) -> list[tuple[str, str, str]]:
    """(label, role, path) of every page measured."""
    position, milestone = ids["position"], ids["milestone"]
    (late, late_path), (late_own, late_own_path) = ids["late"], ids["late_contributor"]
    return [
        ("positions (secretariat)", "secretariat", "/positions"),
        (f"positions page {late} (secretariat)", "secretariat", late_path),
        ("positions (reviewer)", "reviewer", "/positions"),
        ("positions (contributor)", "contributor", "/positions"),
        (f"positions page {late_own} (contributor)", "contributor", late_own_path),
        ("review queue (reviewer)", "reviewer", "/review"),
        ("tracker", "secretariat", "/tracker"),
        ("search housing", "secretariat", "/search?q=housing"),
        ("search phrase -word", "secretariat", "/search?q=%22local+authorities%22+-detention"),
        ("search housing (reviewer)", "reviewer", "/search?q=housing"),
        ("position page", "secretariat", f"/positions/{position}"),
        ("position history", "secretariat", f"/positions/{position}/history"),
        ("milestones", "secretariat", "/milestones"),
        ("compile page", "secretariat", f"/milestones/{milestone}/compile"),
        # The JSON API beside the pages: the same lists and position, read with a token.
        ("api positions (secretariat)", "secretariat", "/api/v1/positions"),
        (f"api positions page {late} (secretariat)", "secretariat", ids["late_api"]),
        ("api positions (contributor)", "contributor", "/api/v1/positions"),
        ("api positions q=housing (secretariat)", "secretariat", "/api/v1/positions?q=housing"),
        ("api position (secretariat)", "secretariat", f"/api/v1/positions/{position}"),
        ("api milestones (contributor)", "contributor", "/api/v1/milestones"),
    ]


def api_tokens(connection) -> dict[str, str]:
    """A write token for each load user, stored as the app stores them (drafting.accounts.tokens)."""
    connection.execute("DELETE FROM access_tokens WHERE user_id IN (SELECT id FROM users WHERE email LIKE "
                       "'%%@load.test')")
    found = {}
    for role in ("secretariat", "reviewer", "contributor"):
        secret = "dft_" + secrets.token_urlsafe(32)
        connection.execute(
            "INSERT INTO access_tokens (user_id, name, scope, token_hash, prefix, created_at, expires_at) "
            "SELECT id, 'load', 'write', %s, %s, now(), now() + interval '30 days' FROM users WHERE email = %s",
            (hashlib.sha256(secret.encode()).hexdigest(), secret[:12], f"{role}@load.test"))
        found[role] = secret
    connection.commit()
    return found


def rate_limit_check(base: str) -> str:
    """11 failed logins, each on a new connection (so spread over the workers): the 11th must be a 429."""
    statuses = []
    for _ in range(11):
        statuses.append(Session(base).log_in("nobody@load.test", "wrong password, wrong"))
    verdict = "ok" if statuses[:10] == [200] * 10 and statuses[10] == 429 else "FAILED"
    return f"rate limit over workers: {verdict} (statuses {statuses})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="perf_bench", help="PostgreSQL database (created if missing)")
    parser.add_argument("--n", type=int, default=10_000, help="positions to seed")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=8, help="wrk duration per page and connection count")
    parser.add_argument("--redis", help="Redis URL for the login limit and the task queue (several workers)")
    parser.add_argument("--pages", metavar="WORD", help="measure only the pages whose label contains WORD "
                                                        "(or any of several, separated by commas)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make system-packages)")

    prepare_database(args.database, args.n)
    env = {**os.environ, "DRAFTING_ENV": "production", "SECRET_KEY": "load-test-" + "x" * 40,
           "DATABASE_URL": database_url(args.database), "DRAFTING_TODAY": "2018-02-10",
           "GUNICORN_ACCESSLOG": "/dev/null",
           # The API's per-token limit is checked on every request but not reached by a measurement.
           "API_RATE_LIMIT": "100000000 per hour"}
    if args.redis:
        env.update(RATELIMIT_STORAGE_URI=args.redis, TASK_QUEUE_URL=args.redis)
        import redis

        redis.Redis.from_url(args.redis).flushdb()
    app = start_gunicorn("wsgi:app", APP_PORT, args.workers, env)
    try:
        bare = start_gunicorn("bench.bare:app", BARE_PORT, args.workers, env)
    except SystemExit:
        stop(app)
        raise
    try:
        base = f"http://127.0.0.1:{APP_PORT}"
        sessions = {}
        for role in ("secretariat", "reviewer", "contributor"):
            sessions[role] = Session(base)
            assert sessions[role].log_in(f"{role}@load.test", PASSWORD) == 303, f"{role} could not log in"
        import psycopg

        with psycopg.connect(database_url(args.database)) as connection:
            ids = {"position": connection.execute("SELECT max(id) FROM positions WHERE stage = 'in_review'")
                   .fetchone()[0],
                   "milestone": connection.execute("SELECT milestone_id FROM positions WHERE stage = 'approved' "
                                                    "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()[0],
                   "late": late_page(connection, args.n), "late_contributor": late_page(connection, args.n, "CEMR")}
            late_path = ids["late"][1]
            ids["late_api"] = "/api/v1/positions?" + late_path.split("?", 1)[1].split("&page=")[0]
            tokens = api_tokens(connection)
        words = args.pages.split(",") if args.pages else None
        measured = [page for page in pages(ids) if words is None or any(word in page[0] for word in words)]
        if not measured:
            raise SystemExit(f"no page's label contains {args.pages!r}")
        def header(role: str, path: str) -> str:
            if path.startswith("/api/"):
                return f"Authorization: Bearer {tokens[role]}"
            return f"Cookie: {sessions[role].cookie_header()}"

        for label, role, path in measured:
            if path.startswith("/api/"):
                request = urllib.request.Request(base + path, headers=dict([header(role, path).split(": ", 1)]))
                with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (our own server)
                    status, page = answer.status, ""
                    assert "after=" not in path or 'rel="next"' in answer.headers.get("Link", ""), f"{label}: no next"
            else:
                status, page = sessions[role].get(path)
            assert status == 200, f"{label}: {path} answered {status} for {role}"
            if "after=" in path and not path.startswith("/api/"):  # a late page links on by its last row's key
                assert re.search(r'href="/positions\?page=\d+&amp;after=[^"]+" rel="next"', page), f"{label}: no Next"

        def measure(url: str, sent: str | None) -> tuple[dict, dict]:
            wrk(url, args.connections, 1, sent)  # warm-up: each worker's first requests
            return (wrk(url, args.connections, args.seconds, sent),
                    wrk(url, 2, max(3, args.seconds // 2), sent))

        rows = [("bare endpoint /ok (first)", *measure(f"http://127.0.0.1:{BARE_PORT}/ok", None))]
        for label, role, path in measured:
            rows.append((label, *measure(base + path, header(role, path))))
            print(f"  measured {label}", file=sys.stderr, flush=True)
        # The bare endpoint again at the end: a shared machine's speed drifts over a run of minutes, and
        # each share is taken against the mean of the two (the drift is printed).
        rows.append(("bare endpoint /ok (last)", *measure(f"http://127.0.0.1:{BARE_PORT}/ok", None)))
        first, last = rows[0][1]["rps"], rows[-1][1]["rps"]
        baseline = {"rps": (first + last) / 2}

        print(f"\nN={args.n} positions, {args.workers} sync workers, {args.connections} connections "
              f"(latency at 2), {os.cpu_count()} cores, {datetime.now():%Y-%m-%d %H:%M}")
        print(f"{'page':36} {'req/s':>8} {'share':>7} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
        for label, load, latency in rows:
            share = 100 * load["rps"] / baseline["rps"]
            errors = load["errors"] + latency["errors"]
            print(f"{label:36} {load['rps']:8.1f} {share:6.2f}% {latency['p50']:8.2f} {latency['p99']:8.2f} "
                  f"{errors:8d}")
        print(f"yardstick: the bare endpoint's mean, {baseline['rps']:.1f} requests/s "
              f"(last against first: {100 * (last - first) / first:+.1f} %)")
        results = rows[1:-1]
        shares = {label: 100 * load["rps"] / baseline["rps"] for label, load, _ in results}
        list_share = min((v for k, v in shares.items() if k.startswith("positions (")), default=0)
        api_share = min((v for k, v in shares.items() if k.startswith("api positions (")), default=0)
        search_share = min((v for k, v in shares.items() if k.startswith("search")), default=0)
        worst_p99 = max(latency["p99"] for _, _, latency in results)
        errors = sum(load["errors"] + latency["errors"] for _, load, latency in results)
        if args.redis:
            print(rate_limit_check(base))
        print(json.dumps({"shares": {k: round(v, 2) for k, v in shares.items()}}), file=sys.stderr)
        print(f"n={args.n} list_share={list_share:.2f}% api_list_share={api_share:.2f}% "
              f"search_share={search_share:.2f}% "
              f"worst_p99_ms={worst_p99:.1f} errors={errors}")
    finally:
        stop(app)
        stop(bare)


if __name__ == "__main__":
    main()
