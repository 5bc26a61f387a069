// SQLite 3 as seen from Swift. SQLITE_TRANSIENT is a cast macro that does not import.
#ifndef PIAOJUE_CSQLITE_SHIM_H
#define PIAOJUE_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
static inline sqlite3_destructor_type piaojue_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}
#endif
