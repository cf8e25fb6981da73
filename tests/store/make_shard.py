#!/usr/bin/python3
"""make_shard.py PATH CLIENT PLAN_ID HLC[:KEY=VALUE[|NOTE]] ... — writes a shard file
as a client would publish it: schema 1, meta, events numbered 1, 2, ... with
the given clocks and the checksum chain of src/store_shard.c (event_chain), so
nothing but the clocks themselves can tell it from an honest one. A clock
`now` means the current time; `max` means 2^64-1. --member M (first) sets the
member of every event (default mallory).

make_shard.py --many PATH CLIENT PLAN_ID N — N tiny events (no valid chain:
for budget tests, where the file must be refused before any row is parsed)."""
import os, sqlite3, sys, time

M64 = (1 << 64) - 1
PRIME = 1099511628211


def fnv_bytes(h, b):
    for x in b:
        h = ((h ^ x) * PRIME) & M64
    return h


def fnv_int(h, v):
    return fnv_bytes(h, (v & M64).to_bytes(8, "little"))


def fnv_str(h, s):
    if s is None:
        return ((h ^ 0xFF) * PRIME) & M64
    return fnv_bytes(h, s.encode("utf-8", "surrogateescape") + b"\0")


def chain(prev, e):
    h = fnv_int(prev ^ 1469598103934665603, e["seq"])
    h = fnv_int(h, e["hlc"])
    h = fnv_int(h, e["wall_ms"])
    for f in ("member", "os_user", "host", "key", "value"):
        h = fnv_str(h, e[f])
    h = fnv_str(h, e.get("note"))
    h = fnv_str(h, None)  # undoes_client
    return fnv_int(h, 0)


def text(s):
    """A str as SQLite TEXT; one holding bytes that are not UTF-8 (given on the
    command line, kept by surrogateescape) as those exact bytes."""
    try:
        return None if s is None else s.encode("utf-8").decode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-8", "surrogateescape")


def signed(v):
    return v - (1 << 64) if v >= 1 << 63 else v


SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE events(seq INTEGER PRIMARY KEY, hlc INTEGER NOT NULL, wall_ms INTEGER NOT NULL,
 member TEXT NOT NULL, os_user TEXT NOT NULL, host TEXT NOT NULL, key TEXT NOT NULL,
 value TEXT NOT NULL, note TEXT, undoes_client TEXT, undoes_seq INTEGER, chain INTEGER NOT NULL);
"""


def create(path, client, plan):
    if os.path.exists(path):
        os.unlink(path)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO meta VALUES('client',?),('plan_id',?)", (client, plan))
    db.execute("PRAGMA user_version=1")
    return db


def main():
    member = "mallory"
    if sys.argv[1] == "--member":
        member = sys.argv[2]
        del sys.argv[1:3]
    if sys.argv[1] == "--many":
        path, client, plan, n = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
        db = create(path, client, plan)
        base = int(time.time() * 1000) << 16
        db.executemany("INSERT INTO events VALUES(?,?,1,'m','u','h','k','1',NULL,NULL,NULL,0)",
                       ((i, base + i) for i in range(1, n + 1)))
        db.commit()
        db.close()
        return
    path, client, plan = sys.argv[1:4]
    db = create(path, client, plan)
    prev = 0
    now = int(time.time() * 1000)
    for i, spec in enumerate(sys.argv[4:], 1):
        clock, _, kv = spec.partition(":")
        kv, bar, note = kv.partition("|")
        key, _, value = (kv or "ms/x=1").partition("=")
        hlc = M64 if clock == "max" else (now << 16) if clock == "now" else int(clock)
        e = dict(seq=i, hlc=hlc, wall_ms=min(hlc >> 16, (1 << 63) - 1), member=member,
                 os_user="mallory", host="pc-m", key=key, value=value,
                 note=note if bar else None)
        prev = chain(prev, e)
        db.execute("INSERT INTO events VALUES(?,?,?,?,?,?,?,?,?,NULL,NULL,?)",
                   (i, signed(hlc), e["wall_ms"], e["member"], e["os_user"], e["host"], text(key),
                    text(value), text(e["note"]), signed(prev)))
    db.commit()
    db.close()


main()
