#!/usr/bin/python3
"""lag.py ACKS_OF_A SEEN_BY_B — publish-to-visible lag of A's changes as seen
by B: for each `ACK a seq ms` of A, the first `SEEN a seq ms` of B. Prints
`LAG n=N unseen=N median_ms=X max_ms=X last_ms=X`."""
import statistics, sys

acks = {}
for line in open(sys.argv[1]):
    f = line.split()
    if f and f[0] == "ACK":
        acks[(f[1], int(f[2]))] = int(f[3])
seen = {}
for line in open(sys.argv[2]):
    f = line.split()
    if f and f[0] == "SEEN":
        seen.setdefault((f[1], int(f[2])), int(f[3]))
lags = [max(0, seen[k] - t) for k, t in acks.items() if k in seen]
unseen = sum(1 for k in acks if k not in seen)
last = max(acks, key=lambda k: k[1]) if acks else None
last_lag = max(0, seen[last] - acks[last]) if last in seen else -1
med = statistics.median(lags) if lags else -1
print(f"LAG n={len(lags)} unseen={unseen} median_ms={med} max_ms={max(lags) if lags else -1} "
      f"last_ms={last_lag}")
