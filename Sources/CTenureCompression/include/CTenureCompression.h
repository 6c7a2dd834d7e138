// The block codecs Parquet pages use (Debian: libsnappy-dev, libzstd-dev, liblz4-dev). Only Parquet imports this.
#ifndef CTENURE_COMPRESSION_H
#define CTENURE_COMPRESSION_H
#include <snappy-c.h>
#include <zstd.h>
#include <lz4.h>
#endif
