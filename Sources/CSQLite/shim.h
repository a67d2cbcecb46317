// The system's SQLite (Debian's libsqlite3-dev), the in-process peer the benchmark compares with.
#include <sqlite3.h>
#include <malloc.h>
// SQLITE_TRANSIENT is a cast macro Swift cannot import.
static inline sqlite3_destructor_type cql_sqlite_transient(void) { return SQLITE_TRANSIENT; }
// In use: small blocks (uordblks) plus the large ones malloc maps directly (hblkhd), as big arrays are.
static inline size_t cql_heap_in_use(void) { struct mallinfo2 m = mallinfo2(); return m.uordblks + m.hblkhd; }
// Gives freed heap back to the system, so that a resident-set baseline holds no freed memory.
static inline void cql_trim_heap(void) { malloc_trim(0); }
