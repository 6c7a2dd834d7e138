"""The nightly churn job built from peers: DuckDB features → LightGBM predict → pandas rank → CSV.

Usage: python peer_nightly.py LOG.csv AS_OF(YYYY-MM-DD) MODEL.txt LOOKBACK_DAYS OUT.csv [THREADS]

The same job as `tenure score --reasons 0`, step by step, each step done by the tool a team would reach for:
1. DuckDB (threads=THREADS) reads the CSV and computes Tenure's default feature columns as of AS_OF with the
   SQL of duckdb_features.py, keeping only users eligible under the churn label (an event in the LOOKBACK_DAYS
   before AS_OF, i.e. recency_days <= lookback), straight into a pandas DataFrame.
2. LightGBM (num_threads=THREADS) predicts with MODEL.txt (a `tenure export --format lightgbm` of the Tenure
   model), on the columns in the model's feature order.
3. pandas ranks like Tenure's Scorer.rank: probability descending, ties by user id; score = round(p·1000)/10;
   percentile = share of users with probability ≤ p, ·100, to 0.1; tier high ≥ 75, medium ≥ 50, else low.
   Then writes user_id,probability,score,percentile,tier with `to_csv`.
Timings of each step go to stderr as `phase NAME SECONDS`.
"""
import os
import sys
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import duckdb  # noqa: E402
import lightgbm as lgb  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import duckdb_features as F  # noqa: E402

TIER_MEDIUM, TIER_HIGH = 50.0, 75.0


def phase(name, start):
    now = time.perf_counter()
    print(f"phase {name} {now - start:.3f}", file=sys.stderr, flush=True)
    return now


def event_count_names(feature_names):
    """Per-event count columns the model uses (`count_<event>_1d`), minus the group columns: the model fixes
    them at training time, so the peer takes them from the model rather than from tonight's log."""
    groups = {g for g, _ in F.GROUPS}
    names = [n[len("count_"):-len("_1d")] for n in feature_names if n.startswith("count_") and n.endswith("_1d")]
    return sorted(n for n in names if n not in groups)


def main():
    log, as_of, model_path, lookback_days, out = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
    threads = int(sys.argv[6]) if len(sys.argv) > 6 else 2
    t0 = time.perf_counter()
    booster = lgb.Booster(model_file=model_path)
    names = booster.feature_name()
    cutoff_ms = int(datetime.strptime(as_of, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()) * 1000

    con = duckdb.connect()
    con.execute(f"SET threads={threads}")
    con.execute("SET preserve_insertion_order=false")
    con.execute(f"""
CREATE TABLE ev AS
SELECT user_id, epoch_ms(timestamp) AS t, event, value
FROM read_csv({F.quote(log)}, header=true, delim=',', quote='"',
              columns={{'user_id': 'VARCHAR', 'timestamp': 'TIMESTAMP', 'event': 'VARCHAR', 'value': 'DOUBLE'}},
              timestampformat='%Y-%m-%dT%H:%M:%SZ')""")
    t = phase("read", t0)
    sql = F.build_sql(cutoff_ms, as_of, event_count_names(names))
    features = con.execute(f"SELECT * FROM ({sql}) WHERE recency_days <= {lookback_days!r}").df()
    con.close()
    missing = [n for n in names if n not in features.columns]
    if missing:
        sys.exit(f"peer_nightly: the model needs columns the SQL does not compute: {missing}")
    t = phase("features", t)

    x = np.ascontiguousarray(features[names].to_numpy(dtype=np.float64))
    p = booster.predict(x, num_threads=threads)
    ranked = pd.DataFrame({"user_id": features["user_id"].to_numpy(), "probability": p})
    del features, x
    t = phase("predict", t)

    ranked = ranked.sort_values(["probability", "user_id"], ascending=[False, True], kind="stable")
    n = max(1, len(ranked))
    # round-half-up on these non-negative values, like Swift's .rounded()
    ranked["score"] = np.floor(ranked["probability"].to_numpy() * 1000 + 0.5) / 10
    at_or_below = ranked["probability"].rank(method="max").to_numpy()
    ranked["percentile"] = np.floor(at_or_below / n * 1000 + 0.5) / 10
    score = ranked["score"].to_numpy()
    ranked["tier"] = np.select([score >= TIER_HIGH, score >= TIER_MEDIUM], ["high", "medium"], "low")
    t = phase("rank", t)

    tmp = out + f".tmp-{os.getpid()}"
    ranked.to_csv(tmp, index=False)
    os.replace(tmp, out)
    phase("write", t)
    print(f"scored {len(ranked)} eligible users as of {as_of}", file=sys.stderr)


if __name__ == "__main__":
    main()
