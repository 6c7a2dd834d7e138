"""Point-in-time features for uplift learning, computed in DuckDB: one row per contact (user, campaign) from the
events strictly before contacted_at (the night before the contact: the generator contacts at midnight).

Columns: event counts per name in the last 7, 14, 28 and 56 days, sessions-per-day trend (7 d ÷ the 28 d before),
days since the last event, tenure (days since the first event), purchase value in 28 days, and the share of
bonus-only sessions. Used by bench/stages/07_uplift.py for scikit-uplift's TwoModels."""
import duckdb

EVENTS = ["session_start", "page_view", "purchase", "post", "comment", "like", "daily_bonus"]
WINDOWS = [7, 14, 28, 56]


def feature_sql():
    cols = []
    for w in WINDOWS:
        inside = f"e.t >= c.at - INTERVAL {w} DAY"
        cols.append(f"sum(({inside})::INT) AS events_{w}d")
        for name in EVENTS:
            cols.append(f"sum(({inside} AND e.event = '{name}')::INT) AS {name}_{w}d")
    cols += [
        "sum((e.t >= c.at - INTERVAL 28 DAY AND e.event = 'purchase')::INT * coalesce(e.value, 0)) AS value_28d",
        "date_diff('second', max(e.t), c.at) / 86400.0 AS recency_days",
        "date_diff('second', min(e.t), c.at) / 86400.0 AS tenure_days",
    ]
    return f"""
        SELECT c.user_id, c.campaign, c.treatment, {', '.join(cols)}
        FROM contacts c JOIN events e ON e.user_id = c.user_id AND e.t < c.at
        GROUP BY c.user_id, c.campaign, c.treatment, c.at
    """


def outcome_sql(horizon_days):
    """Retained: any event in [contacted_at, contacted_at + horizon)."""
    return f"""
        SELECT c.user_id, c.campaign,
               max((e.t >= c.at AND e.t < c.at + INTERVAL {horizon_days} DAY)::INT) AS retained
        FROM contacts c LEFT JOIN events e ON e.user_id = c.user_id
        GROUP BY c.user_id, c.campaign
    """


def compute(log_path, contacts_path, horizon_days=14, threads=2):
    con = duckdb.connect()
    con.execute(f"SET threads={threads}")
    con.execute("SET enable_progress_bar=false")
    con.execute(f"""CREATE TABLE events AS SELECT user_id, CAST(timestamp AS TIMESTAMP) AS t, event, value
                    FROM read_csv('{log_path}', header=true,
                                  columns={{'user_id': 'VARCHAR', 'timestamp': 'VARCHAR', 'event': 'VARCHAR', 'value': 'DOUBLE'}})""")
    con.execute(f"""CREATE TABLE contacts AS SELECT user_id, CAST(replace(replace(contacted_at, 'T', ' '), 'Z', '') AS TIMESTAMP) AS at,
                           campaign, (\"group\" = 'treatment')::INT AS treatment
                    FROM read_csv('{contacts_path}', header=true, all_varchar=true)""")
    features = con.execute(feature_sql()).df()
    outcomes = con.execute(outcome_sql(horizon_days)).df()
    frame = features.merge(outcomes, on=["user_id", "campaign"])
    for w in WINDOWS:
        frame[f"bonus_share_{w}d"] = frame[f"daily_bonus_{w}d"] / frame[f"events_{w}d"].clip(lower=1)
    frame["trend_7_28"] = (frame["session_start_7d"] / 7) / ((frame["session_start_28d"] - frame["session_start_7d"]) / 21 + 1e-9)
    return frame
