// PostgreSQL's client library (Debian's libpq-dev), for `--engine postgres:CONNINFO` and the tests.
#include <libpq-fe.h>
