// zlib for gzip-compressed event logs (Debian: zlib1g-dev). Only EventLog imports this.
#ifndef CTENURE_ZLIB_H
#define CTENURE_ZLIB_H
#include <zlib.h>
#endif
