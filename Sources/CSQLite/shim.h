// The system's SQLite (Debian's libsqlite3-dev), the in-process peer the benchmark compares with.
#include <sqlite3.h>
#include <malloc.h>
// SQLITE_TRANSIENT is a cast macro Swift cannot import.
static inline sqlite3_destructor_type cql_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline size_t cql_heap_in_use(void) { return mallinfo2().uordblks; }
