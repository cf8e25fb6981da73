#!/usr/bin/python3
"""verify_history.py DUMP ACKS... — checks a merged store against what was
acknowledged (used by the store tests).

DUMP is the output of `cb_stress dump`; each ACKS file holds `ACK client seq ms
key value` lines of `cb_stress apply`. Prints the counts and one line
`RESULT acked=N missing=N dup=N replay_mismatch=N order_violations=N`;
exits 1 when anything acknowledged is missing or the values disagree."""
import sys

def main():
    dump, acks = sys.argv[1], sys.argv[2:]
    history, current = [], {}
    for line in open(dump):
        f = line.split()
        if f and f[0] == "EV":
            history.append((int(f[3]), f[1], int(f[2]), f[4], f[5]))
        elif f and f[0] == "CUR":
            current[f[1]] = f[2]
    seen = {}
    dup = 0
    for hlc, client, seq, key, value in history:
        if (client, seq) in seen:
            dup += 1
        seen[(client, seq)] = (key, value, hlc)
    acked = missing = 0
    for path in acks:
        for line in open(path):
            f = line.split()
            if not f or f[0] != "ACK":
                continue
            acked += 1
            got = seen.get((f[1], int(f[2])))
            if got is None or got[0] != f[4] or got[1] != f[5]:
                missing += 1
                if missing <= 5:
                    print("missing acknowledged change:", line.strip(), "found:", got)
    # A sequential replay of the history, sorted here independently.
    replay = {}
    for hlc, client, seq, key, value in sorted(history):
        replay[key] = value
    mismatch = sum(1 for k in set(replay) | set(current) if replay.get(k) != current.get(k))
    # Each client's clock rises with its seq.
    last = {}
    order = 0
    for hlc, client, seq, key, value in sorted(history, key=lambda e: (e[1], e[2])):
        if client in last and hlc <= last[client]:
            order += 1
        last[client] = hlc
    print(f"RESULT acked={acked} merged={len(history)} missing={missing} dup={dup} "
          f"replay_mismatch={mismatch} order_violations={order}")
    return 1 if missing or mismatch or dup or order else 0

if __name__ == "__main__":
    sys.exit(main())
