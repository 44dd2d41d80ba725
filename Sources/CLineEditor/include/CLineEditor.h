#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <histedit.h>
#include <editline/readline.h>

/* libedit's el_set, el_get and history take variable arguments, which Swift
   cannot call; these fixed-argument forms can be. */

static inline int tally_el_set_prompt(EditLine *e, char *(*f)(EditLine *)) { return el_set(e, EL_PROMPT, f); }
static inline int tally_el_set_editor(EditLine *e, const char *mode) { return el_set(e, EL_EDITOR, mode); }
static inline int tally_el_set_signal(EditLine *e, int on) { return el_set(e, EL_SIGNAL, on); }
static inline int tally_el_set_history(EditLine *e, History *h) { return el_set(e, EL_HIST, history, h); }
static inline int tally_el_add_function(EditLine *e, const char *name, const char *help,
                                        unsigned char (*f)(EditLine *, int)) {
    return el_set(e, EL_ADDFN, name, help, f);
}
static inline int tally_el_bind(EditLine *e, const char *key, const char *command) {
    return el_set(e, EL_BIND, key, command, NULL);
}
static inline int tally_el_set_clientdata(EditLine *e, void *data) { return el_set(e, EL_CLIENTDATA, data); }
static inline void *tally_el_get_clientdata(EditLine *e) {
    void *data = NULL;
    el_get(e, EL_CLIENTDATA, &data);
    return data;
}
/* Ctrl-C reaches the editor as a key instead of a signal while editing. */
static inline int tally_el_keep_interrupt_key(EditLine *e) { return el_set(e, EL_SETTY, "-d", "-isig", NULL); }
static inline int tally_history_set_size(History *h, int n) { HistEvent ev; return history(h, &ev, H_SETSIZE, n); }
static inline int tally_history_enter(History *h, const char *line) { HistEvent ev; return history(h, &ev, H_ENTER, line); }
static inline int tally_history_set_unique(History *h, int on) { HistEvent ev; return history(h, &ev, H_SETUNIQUE, on); }

/* The standard streams, as functions: Swift 6 does not read C globals. */
static inline FILE *tally_stdin(void) { return stdin; }
static inline FILE *tally_stdout(void) { return stdout; }
static inline FILE *tally_stderr(void) { return stderr; }
