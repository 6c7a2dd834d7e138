#!/usr/bin/env python3
"""Writes the Parquet fixtures of Tests/ParquetTests/Fixtures (committed; rerun only to change them).

One table of 300 rows (strings with repeats and non-ASCII, timestamps, optional doubles with nulls, ints, floats,
booleans, a decimal, a date and a nested struct the reader must skip) written by pyarrow in every codec, both
data page versions, with and without dictionaries, in each non-default encoding, with each timestamp unit and
INT96; and by DuckDB in its codecs. `expected.json` holds the table's values as the test compares them:
integers as numbers, doubles as their repr, timestamps as epoch nanoseconds, null as null.
Usage: python3 Tests/ParquetTests/make_fixtures.py   (pyarrow and duckdb)
"""
import datetime as dt, decimal, json, os
import pyarrow as pa, pyarrow.parquet as pq

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures")
os.makedirs(HERE, exist_ok=True)
N = 300
base = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)  # whole milliseconds, so every unit holds them exactly
events = ["view", "add_to_cart", "purchase", "search", "vue_produit_é"]
rows = {
    "user_id": [f"u{(k * 7919) % 53:04d}" for k in range(N)],
    "timestamp": [base + dt.timedelta(seconds=k * 3607 + (k % 7) * 0.123) for k in range(N)],
    "event": [events[(k * 3) % len(events)] for k in range(N)],
    "value": [None if k % 5 == 0 else round((k % 17) * 1.25 + 0.01 * k, 6) for k in range(N)],
    "count32": [((k * 2654435761) % 2000) - 1000 for k in range(N)],
    "big64": [k * 1_000_000_007 - 150 * 1_000_000_007 for k in range(N)],
    "ratio": [float((k % 9) / 8.0) for k in range(N)],
    "flag": [k % 3 == 0 for k in range(N)],
    "price": [decimal.Decimal(f"{k % 97}.{k % 100:02d}") for k in range(N)],
    "day": [dt.date(2026, 1, 1) + dt.timedelta(days=k % 60) for k in range(N)],
    "nested": [{"a": k, "b": str(k)} for k in range(N)],
}
schema = pa.schema([
    ("user_id", pa.string()), ("timestamp", pa.timestamp("us", tz="UTC")), ("event", pa.string()),
    ("value", pa.float64()), ("count32", pa.int32()), ("big64", pa.int64()), ("ratio", pa.float32()),
    ("flag", pa.bool_()), ("price", pa.decimal128(5, 2)), ("day", pa.date32()),
    ("nested", pa.struct([("a", pa.int64()), ("b", pa.string())])),
])
table = pa.table(rows, schema=schema)

def ns(t): return int((t - dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)) / dt.timedelta(microseconds=1)) * 1000
expected = {
    "rows": N,
    "user_id": rows["user_id"], "event": rows["event"],
    "timestamp_ns": [ns(t) for t in rows["timestamp"]],
    "value": [None if v is None else repr(float(v)) for v in rows["value"]],
    "count32": rows["count32"], "big64": rows["big64"],
    "ratio": [repr(float(v)) for v in rows["ratio"]],
    "flag": [1 if f else 0 for f in rows["flag"]],
    "price_unscaled": [int(p * 100) for p in rows["price"]],
    "day": [(d - dt.date(1970, 1, 1)).days for d in rows["day"]],
}
with open(os.path.join(HERE, "expected.json"), "w") as f: json.dump(expected, f)

written = []
def write(name, t=table, **kw):
    path = os.path.join(HERE, name + ".parquet")
    pq.write_table(t, path, row_group_size=128, data_page_size=512, **kw)
    written.append(name)

for codec in ["none", "snappy", "gzip", "zstd", "lz4"]:
    for version in ["1.0", "2.0"]:
        write(f"pyarrow-{codec}-v{version[0]}", compression=codec, data_page_version=version)
write("pyarrow-plain", use_dictionary=False, compression="snappy")
# A dictionary too small for the column: pyarrow writes a dictionary page, then falls back to PLAIN pages.
write("pyarrow-dict-fallback", compression="snappy", dictionary_pagesize_limit=64)
flat = table.drop_columns(["nested"])
write("pyarrow-delta", flat, use_dictionary=False, compression="zstd", data_page_version="2.0", column_encoding={
    "user_id": "DELTA_BYTE_ARRAY", "event": "DELTA_LENGTH_BYTE_ARRAY", "count32": "DELTA_BINARY_PACKED",
    "big64": "DELTA_BINARY_PACKED", "value": "BYTE_STREAM_SPLIT", "ratio": "BYTE_STREAM_SPLIT",
    "timestamp": "DELTA_BINARY_PACKED"})
for unit in ["ms", "us", "ns"]:
    t = flat.set_column(1, "timestamp", flat.column("timestamp").cast(pa.timestamp(unit, tz="UTC")))
    write(f"pyarrow-timestamp-{unit}", t, compression="snappy")
    naive = flat.set_column(1, "timestamp", flat.column("timestamp").cast(pa.timestamp(unit)))
    write(f"pyarrow-timestamp-{unit}-naive", naive, compression="snappy")
write("pyarrow-int96", flat, compression="snappy", use_deprecated_int96_timestamps=True)
# Many small row groups (43 of at most 7 rows, each with its own dictionaries), so the row groups spread over the
# threads: reading with 1 and with N threads must build the same store.
pq.write_table(table, os.path.join(HERE, "pyarrow-many-groups.parquet"), row_group_size=7, data_page_size=64, compression="zstd")
written.append("pyarrow-many-groups")

import duckdb
con = duckdb.connect()
con.register("t", flat.to_pandas())
for codec in ["uncompressed", "snappy", "gzip", "zstd", "lz4"]:
    path = os.path.join(HERE, f"duckdb-{codec}.parquet")
    con.execute(f"COPY (SELECT * FROM t) TO '{path}' (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 100)")
    written.append(f"duckdb-{codec}")
print(f"{len(written)} fixtures in {HERE}: {', '.join(written)}")

# The same events as a CSV export, for the test that features from each Parquet file equal the CSV's byte for byte.
with open(os.path.join(HERE, "events.csv"), "w", newline="") as f:
    f.write("user_id,timestamp,event,value\n")
    for k in range(N):
        t = rows["timestamp"][k].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        v = "" if rows["value"][k] is None else repr(float(rows["value"][k]))
        f.write(f"{rows['user_id'][k]},{t},{rows['event'][k]},{v}\n")
print("and events.csv, the same events as CSV")

# A users table and a contact export, each as Parquet and as its CSV twin: `features --users` and `measure
# --contacts` read from either give the same output. valid_from and contacted_at are whole days or seconds, so
# every representation (TIMESTAMP, DATE, INT96, text) holds them exactly. They live in Fixtures/tables, apart from
# the event logs every event test reads.
TABLES = os.path.join(HERE, "tables")
os.makedirs(TABLES, exist_ok=True)
users = sorted({u for u in rows["user_id"]})
plans = ["free", "pro", "team"]
urows = {"user_id": [], "valid_from": [], "plan": [], "seats": [], "mrr": [], "trial": []}
for k, u in enumerate(users):
    for version in range(1 + (k % 3 == 0)):  # every third user changed plan on 2026-03-06
        urows["user_id"].append(u)
        urows["valid_from"].append(dt.datetime(2026, 2, 1 + k % 20, tzinfo=dt.timezone.utc) if version == 0
                                   else dt.datetime(2026, 3, 6, tzinfo=dt.timezone.utc))
        urows["plan"].append(plans[(k + version) % 3])
        urows["seats"].append(1 + (k * 5 + version) % 12)
        urows["mrr"].append(None if k % 7 == 0 else round(9.5 * (1 + (k + version) % 5) + 0.25, 2))
        urows["trial"].append(k % 4 == 1)
utable = pa.table(urows, schema=pa.schema([
    ("user_id", pa.string()), ("valid_from", pa.timestamp("us", tz="UTC")), ("plan", pa.string()),
    ("seats", pa.int32()), ("mrr", pa.float64()), ("trial", pa.bool_())]))
pq.write_table(utable, os.path.join(TABLES, "users.parquet"), compression="zstd", row_group_size=30)
vf = utable.column("valid_from")
pq.write_table(utable.set_column(1, "valid_from", vf.cast(pa.date32())), os.path.join(TABLES, "users-date.parquet"), compression="snappy")
pq.write_table(utable, os.path.join(TABLES, "users-int96.parquet"), compression="snappy", use_deprecated_int96_timestamps=True)
pq.write_table(utable.set_column(1, "valid_from", pa.array([t.strftime("%Y-%m-%d") for t in urows["valid_from"]])),
               os.path.join(TABLES, "users-text.parquet"), compression="none", data_page_version="2.0")
nulls = dict(urows, user_id=[None if k == 4 else u for k, u in enumerate(urows["user_id"])])
pq.write_table(pa.table(nulls, schema=utable.schema), os.path.join(TABLES, "users-null-id.parquet"))
with open(os.path.join(TABLES, "users.csv"), "w", newline="") as f:
    f.write("user_id,valid_from,plan,seats,mrr,trial\n")
    for k in range(len(urows["user_id"])):
        m = urows["mrr"][k]
        f.write(f"{urows['user_id'][k]},{urows['valid_from'][k].strftime('%Y-%m-%d')},{urows['plan'][k]},{urows['seats'][k]},"
                f"{'' if m is None else repr(m)},{'true' if urows['trial'][k] else 'false'}\n")

crows = {"user_id": [], "contacted_at": [], "campaign": [], "group": [], "action": []}
for k, u in enumerate(users):
    crows["user_id"].append(u)
    crows["contacted_at"].append(dt.datetime(2026, 3, 3, 9, k % 60, k % 59, tzinfo=dt.timezone.utc))
    crows["campaign"].append("winback" if k % 2 == 0 else "spring")
    crows["group"].append("control" if k % 3 == 0 else "treatment")
    crows["action"].append("email" if k % 5 else "discount")
ctable = pa.table(crows, schema=pa.schema([("user_id", pa.string()), ("contacted_at", pa.timestamp("ms", tz="UTC")),
                                           ("campaign", pa.string()), ("group", pa.string()), ("action", pa.string())]))
pq.write_table(ctable, os.path.join(TABLES, "contacts.parquet"), compression="gzip", row_group_size=20)
with open(os.path.join(TABLES, "contacts.csv"), "w", newline="") as f:
    f.write("user_id,contacted_at,campaign,group,action\n")
    for k in range(len(users)):
        f.write(f"{crows['user_id'][k]},{crows['contacted_at'][k].strftime('%Y-%m-%dT%H:%M:%SZ')},{crows['campaign'][k]},"
                f"{crows['group'][k]},{crows['action'][k]}\n")
print(f"and users*.parquet, users.csv, contacts.parquet, contacts.csv in {TABLES}")

# Tiny event logs (12 rows) as the fuzz suite's seeds (fuzz/corpus/parquet) and its structure-aware target's base
# files (fuzz/base/*.parquet): small enough for libFuzzer's input sizes, one per codec, page version and encoding.
FUZZ = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "fuzz")
seeds = os.path.join(FUZZ, "corpus", "parquet")
os.makedirs(seeds, exist_ok=True)
tiny = flat.select(["user_id", "timestamp", "event", "value"]).slice(0, 12)
def seed(name, t=tiny, folder=seeds, **kw):
    pq.write_table(t, os.path.join(folder, name + ".parquet"), row_group_size=6, data_page_size=128, store_schema=False, **kw)
for codec in ["none", "snappy", "gzip", "zstd", "lz4"]:
    seed(f"{codec}-v1", compression=codec)
    seed(f"{codec}-v2", compression=codec, data_page_version="2.0")
seed("plain", use_dictionary=False, compression="none")
seed("delta", use_dictionary=False, compression="none", data_page_version="2.0", column_encoding={
    "user_id": "DELTA_BYTE_ARRAY", "event": "DELTA_LENGTH_BYTE_ARRAY", "timestamp": "DELTA_BINARY_PACKED",
    "value": "BYTE_STREAM_SPLIT"})
seed("int96", compression="none", use_deprecated_int96_timestamps=True)
seed("timestamp-ms", tiny.set_column(1, "timestamp", tiny.column("timestamp").cast(pa.timestamp("ms"))), compression="none")
seed("nested", table.select(["user_id", "timestamp", "nested"]).slice(0, 8), compression="none")
con.register("tiny", tiny.to_pandas())
con.execute(f"COPY (SELECT * FROM tiny) TO '{os.path.join(seeds, 'duckdb-zstd.parquet')}' (FORMAT parquet, COMPRESSION zstd)")
base = os.path.join(FUZZ, "base")
seed("pages-dictionary", folder=base, compression="none")
seed("pages-delta", folder=base, use_dictionary=False, compression="none", data_page_version="2.0", column_encoding={
    "user_id": "DELTA_BYTE_ARRAY", "event": "DELTA_LENGTH_BYTE_ARRAY", "timestamp": "DELTA_BINARY_PACKED",
    "value": "BYTE_STREAM_SPLIT"})
seed("pages-snappy", folder=base, compression="snappy", data_page_version="2.0")
print(f"and fuzz seeds in {seeds}, structure-aware bases in {base}")
