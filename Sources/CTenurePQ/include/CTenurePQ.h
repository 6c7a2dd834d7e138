// libpq, PostgreSQL's client library (Debian: libpq-dev), for reading events from a table or query and writing
// the recall list back. Only the Postgres module imports this.
#ifndef CTENURE_PQ_H
#define CTENURE_PQ_H
#include <postgresql/libpq-fe.h>
#endif
