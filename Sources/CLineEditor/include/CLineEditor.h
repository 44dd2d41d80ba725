#ifndef CLINEEDITOR_H
#define CLINEEDITOR_H

#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <histedit.h>

/* libedit, loaded with dlopen the first time the interactive prompt starts,
   so no other command pays for loading and relocating it and the libraries
   it brings (libtinfo, libbsd, libmd). <histedit.h> gives the types and
   constants; every call goes through these functions. */

/* Loads libedit; 0 when it cannot be found, and then `tally_editline_error`
   says why. */
int tally_editline_load(void);
const char *tally_editline_error(void);

EditLine *tally_el_init(const char *program, FILE *in, FILE *out, FILE *err);
void tally_el_end(EditLine *e);
const char *tally_el_gets(EditLine *e, int *count);
const LineInfo *tally_el_line(EditLine *e);
int tally_el_insertstr(EditLine *e, const char *text);
int tally_el_source(EditLine *e, const char *file);
History *tally_history_init(void);
void tally_history_end(History *h);

/* libedit's el_set, el_get and history take variable arguments, which Swift
   cannot call; these fixed-argument forms can be. */
int tally_el_set_prompt(EditLine *e, char *(*f)(EditLine *));
int tally_el_set_editor(EditLine *e, const char *mode);
int tally_el_set_signal(EditLine *e, int on);
int tally_el_set_history(EditLine *e, History *h);
int tally_el_add_function(EditLine *e, const char *name, const char *help, unsigned char (*f)(EditLine *, int));
int tally_el_bind(EditLine *e, const char *key, const char *command);
int tally_el_set_clientdata(EditLine *e, void *data);
void *tally_el_get_clientdata(EditLine *e);
/* Ctrl-C reaches the editor as a key instead of a signal while editing. */
int tally_el_keep_interrupt_key(EditLine *e);
int tally_history_set_size(History *h, int n);
int tally_history_enter(History *h, const char *line);
int tally_history_set_unique(History *h, int on);

/* The standard streams, as functions: Swift 6 does not read C globals. */
static inline FILE *tally_stdin(void) { return stdin; }
static inline FILE *tally_stdout(void) { return stdout; }
static inline FILE *tally_stderr(void) { return stderr; }

#endif
