#!/usr/bin/env bash
# Installs or removes Tenure under a prefix (called by `make install` / `make uninstall`):
#   scripts/install.sh install ROOT BIN LIB HEADER    # ROOT = $(DESTDIR)$(PREFIX)
#   scripts/install.sh uninstall ROOT
# The Swift runtime libraries the binary and the library load (those ldd resolves inside the toolchain they
# were built with) are copied into ROOT/lib/tenure, and the RUNPATHs are set relative to $ORIGIN, so the
# installed files need neither the toolchain nor LD_LIBRARY_PATH and can be moved or staged (DESTDIR) as a whole.
set -euo pipefail

# What lives where under the prefix: the one list install and uninstall both read.
BIN_PATH=bin/tenure
LIB_PATH=lib/libtenurec.so
HEADER_PATH=include/tenure.h
RUNTIME_DIR=lib/tenure                        # the private copy of the Swift runtime
BIN_RUNPATH='$ORIGIN/../lib/tenure'
LIB_RUNPATH='$ORIGIN/tenure'

usage() { echo "usage: $0 install ROOT BIN LIB HEADER | uninstall ROOT" >&2; exit 64; }

# The toolchain's runtime directory: where `swift` on PATH keeps libswiftCore.so.
toolchain_runtime() {
  local swift
  swift=$(command -v swift) || { echo "install: swift is not on PATH (needed to find its runtime libraries)" >&2; exit 1; }
  local dir
  dir=$(readlink -m "$(dirname "$(readlink -f "$swift")")/../lib/swift/linux")
  [ -f "$dir/libswiftCore.so" ] || { echo "install: $dir has no libswiftCore.so (the runtime of $swift)" >&2; exit 1; }
  echo "$dir"
}

# The shared libraries under $1 that the objects $2… load, directly or through each other.
runtime_libraries() {
  local runtime=$1; shift
  ldd "$@" | awk -v dir="$runtime/" 'index($3, dir) == 1 { print $3 }' | sort -u
}

install_tenure() {
  local root=$1 bin=$2 lib=$3 header=$4
  for f in "$bin" "$lib" "$header"; do [ -f "$f" ] || { echo "install: $f is missing (build it first)" >&2; exit 1; }; done
  command -v patchelf >/dev/null || { echo "install: patchelf is needed (apt-get install patchelf)" >&2; exit 1; }
  local runtime libraries
  runtime=$(toolchain_runtime)
  libraries=$(runtime_libraries "$runtime" "$bin" "$lib")
  [ -n "$libraries" ] || { echo "install: ldd found no library of $runtime in $bin" >&2; exit 1; }

  install -d "$root/bin" "$root/lib" "$root/include" "$root/$RUNTIME_DIR"
  # A previous install's runtime may hold libraries this build no longer needs.
  rm -f "$root/$RUNTIME_DIR"/*.so
  for l in $libraries; do install -m 644 "$l" "$root/$RUNTIME_DIR/"; done
  install -m 755 "$bin" "$root/$BIN_PATH"
  install -m 755 "$lib" "$root/$LIB_PATH"
  install -m 644 "$header" "$root/$HEADER_PATH"
  patchelf --set-rpath "$BIN_RUNPATH" "$root/$BIN_PATH"
  patchelf --set-rpath "$LIB_RUNPATH" "$root/$LIB_PATH"
  echo "installed $root/$BIN_PATH, $root/$LIB_PATH, $root/$HEADER_PATH and $(echo "$libraries" | wc -l) Swift runtime libraries in $root/$RUNTIME_DIR"
}

uninstall_tenure() {
  local root=$1
  rm -f "$root/$BIN_PATH" "$root/$LIB_PATH" "$root/$HEADER_PATH"
  rm -rf "${root:?}/$RUNTIME_DIR"
  # bin, lib and include stay: they are the prefix's standard directories, not Tenure's.
  echo "removed Tenure from $root"
}

case ${1:-} in
  install) [ $# = 5 ] || usage; install_tenure "$2" "$3" "$4" "$5" ;;
  uninstall) [ $# = 2 ] || usage; uninstall_tenure "$2" ;;
  *) usage ;;
esac
