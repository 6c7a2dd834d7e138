#!/usr/bin/env python3
"""Writes the feature-matrix fixtures of Tests/ParquetTests/Fixtures/matrix (committed; rerun only to change them).

`tenure features` writes matrix.csv from a small generated log; pyarrow and DuckDB then write it as Parquet the ways a
warehouse would (types inferred, `nan` read as null by pyarrow and as a NaN double by DuckDB; several row groups;
other codecs and page versions; every column as text; the cutoff as a timestamp). Train, predict and evaluate from
each must match the CSV byte for byte (Tests/CLITests/ParquetMatrixTests.swift). Three small files are broken on
purpose: a boolean feature, a null label and a text feature that is not a number.
Usage: TENURE_BIN=.build/debug/tenure python3 Tests/ParquetTests/make_matrix_fixtures.py   (pyarrow and duckdb)
"""
import os, subprocess, tempfile
import pyarrow as pa, pyarrow.csv as pacsv, pyarrow.parquet as pq

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Fixtures", "matrix")
os.makedirs(HERE, exist_ok=True)
tenure = os.environ.get("TENURE_BIN", ".build/debug/tenure")
csv = os.path.join(HERE, "matrix.csv")
with tempfile.TemporaryDirectory() as tmp:
    events = os.path.join(tmp, "events.csv")
    subprocess.run([tenure, "generate", "--users", "120", "--days", "120", "--seed", "7", "--out", events], check=True)
    subprocess.run([tenure, "features", "--events", events, "--cutoff", "2026-03-01..2026-03-29/14d", "--out", csv], check=True)

def write(name, table, **kw):
    pq.write_table(table, os.path.join(HERE, name + ".parquet"), **kw)

inferred = pacsv.read_csv(csv)   # nan → null; integral columns int64; cutoff date32
write("matrix", inferred, row_group_size=64, compression="snappy")
write("matrix-zstd-v2-plain", inferred, row_group_size=100, compression="zstd", data_page_version="2.0", use_dictionary=False)
text = pacsv.read_csv(csv, convert_options=pacsv.ConvertOptions(
    column_types={n: pa.string() for n in inferred.column_names}, null_values=[], strings_can_be_null=False))
write("matrix-text", text, row_group_size=50, compression="gzip")
cut = inferred.column_names.index("cutoff")
write("matrix-timestamp-cutoff", inferred.set_column(cut, "cutoff", inferred.column("cutoff").cast(pa.timestamp("ms", tz="UTC"))),
      row_group_size=64)

import duckdb
duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{csv}', header=true)) TO '{os.path.join(HERE, 'matrix-duckdb.parquet')}' "
                         "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)")

small = inferred.slice(0, 20)
feature = [n for n in small.column_names if n not in ("user_id", "cutoff", "label")][0]
f = small.column_names.index(feature)
write("bad-boolean-feature", small.set_column(f, feature, pa.array([k % 2 == 0 for k in range(20)])))
lab = small.column_names.index("label")
write("bad-null-label", small.set_column(lab, "label", pa.array([None if k == 6 else v for k, v in enumerate(small.column("label").to_pylist())], pa.int64())))
t = text.slice(0, 20)
write("bad-text-feature", t.set_column(f, feature, pa.array(["1.5" if k != 11 else "many" for k in range(20)])))
print(f"matrix fixtures in {HERE}: {inferred.num_rows} rows × {inferred.num_columns} columns")
