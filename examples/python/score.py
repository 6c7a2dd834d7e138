#!/usr/bin/env python3
"""Score a feature CSV (`tenure features` output) with a Tenure model from Python, through libtenurec and ctypes.

    swift build -c release --product tenurec
    python3 examples/python/score.py models/demo-churn-gbdt.tenure features.csv > scores.csv

Columns are matched to the model's features by name; empty fields and "nan" are missing values (NaN).
Prints `user_id,probability` (17 significant digits: the exact doubles). The library is found through
$TENURE_LIB, else .build/release/libtenurec.so, else .build/debug/libtenurec.so under the repository root.
Only the standard library is needed (with numpy, pass `array.ctypes.data_as(POINTER(c_double))` instead).
"""
import csv
import ctypes
import math
import os
import sys
from ctypes import POINTER, c_char_p, c_double, c_int, c_size_t, c_void_p


def find_library():
    if os.environ.get("TENURE_LIB"):
        return os.environ["TENURE_LIB"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for config in ("release", "debug"):
        path = os.path.join(root, ".build", config, "libtenurec.so")
        if os.path.exists(path):
            return path
    raise OSError("libtenurec.so not found: run `swift build -c release --product tenurec` or set TENURE_LIB")


lib = ctypes.CDLL(find_library())
lib.tenure_version.restype = c_char_p
lib.tenure_status_message.argtypes = [c_int]
lib.tenure_status_message.restype = c_char_p
lib.tenure_model_load.argtypes = [c_char_p, ctypes.c_char_p, c_size_t]
lib.tenure_model_load.restype = c_void_p
lib.tenure_model_free.argtypes = [c_void_p]
lib.tenure_model_feature_count.argtypes = [c_void_p]
lib.tenure_model_feature_count.restype = c_size_t
lib.tenure_model_feature_name.argtypes = [c_void_p, c_size_t]
lib.tenure_model_feature_name.restype = c_char_p
lib.tenure_model_kind.argtypes = [c_void_p]
lib.tenure_model_kind.restype = c_char_p
lib.tenure_model_score.argtypes = [c_void_p, POINTER(c_double), c_size_t, POINTER(c_double)]
lib.tenure_model_score.restype = c_int
lib.tenure_model_score_batch.argtypes = [c_void_p, POINTER(c_double), c_size_t, c_size_t, POINTER(c_double)]
lib.tenure_model_score_batch.restype = c_int


class TenureError(Exception):
    pass


class Model:
    """A loaded model; use as a context manager or call close(). Safe to share between threads."""

    def __init__(self, path):
        err = ctypes.create_string_buffer(1024)
        self._handle = lib.tenure_model_load(os.fsencode(path), err, len(err))
        if not self._handle:
            raise TenureError(err.value.decode("utf-8"))
        n = lib.tenure_model_feature_count(self._handle)
        self.feature_names = [lib.tenure_model_feature_name(self._handle, i).decode("utf-8") for i in range(n)]
        self.kind = lib.tenure_model_kind(self._handle).decode("utf-8")

    def close(self):
        if self._handle:
            lib.tenure_model_free(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def score(self, row):
        """Probability for one row of len(feature_names) floats (NaN = missing)."""
        x = (c_double * len(row))(*row)
        out = c_double()
        status = lib.tenure_model_score(self._handle, x, len(row), ctypes.byref(out))
        if status != 0:
            raise TenureError(lib.tenure_status_message(status).decode("utf-8"))
        return out.value

    def score_batch(self, rows):
        """Probabilities for a list of rows, scored in one call (all cores for large batches)."""
        n = len(self.feature_names)
        flat = (c_double * (len(rows) * n))(*[v for row in rows for v in row])
        out = (c_double * len(rows))()
        status = lib.tenure_model_score_batch(self._handle, flat, len(rows), n, out)
        if status != 0:
            raise TenureError(lib.tenure_status_message(status).decode("utf-8"))
        return list(out)


def parse(field):
    return math.nan if field in ("", "nan") else float(field)


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} MODEL FEATURES.csv", file=sys.stderr)
        return 64
    try:
        model = Model(argv[1])
    except TenureError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    with model, open(argv[2], newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        missing = [name for name in model.feature_names if name not in header]
        if missing:
            print(f"error: {argv[2]}: no column for feature(s) {', '.join(missing)}", file=sys.stderr)
            return 2
        columns = [header.index(name) for name in model.feature_names]
        users, rows = [], []
        for record in reader:
            users.append(record[0])
            rows.append([parse(record[c]) for c in columns])
        probabilities = model.score_batch(rows)
        # The single-row call gives the same doubles as the batch.
        assert all(model.score(rows[i]) == probabilities[i] for i in range(0, len(rows), 97))
        print(f"libtenurec {lib.tenure_version().decode()}: {model.kind} model, {len(rows)} rows", file=sys.stderr)
        print("user_id,probability")
        for user, p in zip(users, probabilities):
            print(f"{user},{p:.17g}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
