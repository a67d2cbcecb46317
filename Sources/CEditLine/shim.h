// libedit's el_set, el_wset and history_w are C variadic functions, which Swift cannot call.
// These small wrappers give each use a fixed signature.
#ifndef CENTREQL_EDITLINE_SHIM_H
#define CENTREQL_EDITLINE_SHIM_H

#include <histedit.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <sys/ioctl.h>
#include <poll.h>
#include <unistd.h>

typedef wchar_t *(*cql_prompt_function)(EditLine *);
typedef unsigned char (*cql_editor_function)(EditLine *, int);

static inline int cql_set_prompt(EditLine *e, cql_prompt_function f, wchar_t ignore) {
    return el_wset(e, EL_PROMPT_ESC, f, ignore);
}
static inline int cql_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int cql_set_history(EditLine *e, HistoryW *h) { return el_wset(e, EL_HIST, history_w, h); }
static inline int cql_add_function(EditLine *e, const char *name, const char *help, cql_editor_function f) {
    return el_set(e, EL_ADDFN, name, help, f);
}
static inline int cql_bind(EditLine *e, const char *key, const char *function) {
    return el_set(e, EL_BIND, key, function, (const char *)NULL);
}
typedef int (*cql_read_function)(EditLine *, wchar_t *);
/// Replaces the function libedit reads each character with (the REPL repaints the line in colour
/// just before it waits for a key, when libedit has drawn and flushed the line).
static inline int cql_set_read_function(EditLine *e, cql_read_function f) { return el_wset(e, EL_GETCFN, f); }
static inline int cql_set_client_data(EditLine *e, void *data) { return el_set(e, EL_CLIENTDATA, data); }
static inline void *cql_client_data(EditLine *e) {
    void *data = NULL;
    el_get(e, EL_CLIENTDATA, &data);
    return data;
}
/// Lets ^C reach a key binding while a line is edited (the tty's ISIG is off for the editor only).
static inline int cql_keep_interrupt_key(EditLine *e) {
    return el_set(e, EL_SETTY, "-d", "-isig", (const char *)NULL);
}
static inline int cql_set_signal_handling(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
/// Empties a terminal capability (used to avoid a cursor bug with double-width characters).
static inline int cql_clear_capability(EditLine *e, const char *name) {
    return el_set(e, EL_SETTC, name, "", (const char *)NULL);
}
static inline int cql_history_set_size(HistoryW *h, int size) { HistEventW ev; return history_w(h, &ev, H_SETSIZE, size); }
static inline int cql_history_set_unique(HistoryW *h, int on) { HistEventW ev; return history_w(h, &ev, H_SETUNIQUE, on); }
static inline int cql_history_enter(HistoryW *h, const wchar_t *line) { HistEventW ev; return history_w(h, &ev, H_ENTER, line); }

static inline int cql_terminal_columns(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 0;
}
static inline int cql_terminal_rows(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_row > 0) return size.ws_row;
    return 0;
}
// Whether flushing C's stdout (where Swift's print writes) failed now or earlier; `stdout` is a
// mutable C global that Swift 6 will not read.
static inline int cql_stdout_failed(void) { return fflush(stdout) != 0 || ferror(stdout) != 0; }


#endif
