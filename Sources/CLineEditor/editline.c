#include "CLineEditor.h"

#include <dlfcn.h>
#include <stddef.h>

/* libedit's entry points, found with dlsym once the library is loaded. */
static struct {
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    const char *(*el_gets)(EditLine *, int *);
    const LineInfo *(*el_line)(EditLine *);
    int (*el_insertstr)(EditLine *, const char *);
    int (*el_source)(EditLine *, const char *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} editline;

static int loaded = 0;
static const char *load_error = "libedit is not loaded";

int tally_editline_load(void) {
    if (loaded) return 1;
    static const char *names[] = { "libedit.so.2", "libedit.so.0", "libedit.so" };
    void *library = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !library; i++) library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *why = dlerror();
        load_error = why ? why : "libedit.so.2 not found";
        return 0;
    }
#define FIND(name) if (!(*(void **)&editline.name = dlsym(library, #name))) { load_error = "libedit lacks " #name; return 0; }
    FIND(el_init) FIND(el_end) FIND(el_gets) FIND(el_line) FIND(el_insertstr) FIND(el_source)
    FIND(el_set) FIND(el_get) FIND(history_init) FIND(history_end) FIND(history)
#undef FIND
    loaded = 1;
    return 1;
}

const char *tally_editline_error(void) { return load_error; }

EditLine *tally_el_init(const char *program, FILE *in, FILE *out, FILE *err) { return editline.el_init(program, in, out, err); }
void tally_el_end(EditLine *e) { editline.el_end(e); }
const char *tally_el_gets(EditLine *e, int *count) { return editline.el_gets(e, count); }
const LineInfo *tally_el_line(EditLine *e) { return editline.el_line(e); }
int tally_el_insertstr(EditLine *e, const char *text) { return editline.el_insertstr(e, text); }
int tally_el_source(EditLine *e, const char *file) { return editline.el_source(e, file); }
History *tally_history_init(void) { return editline.history_init(); }
void tally_history_end(History *h) { editline.history_end(h); }

int tally_el_set_prompt(EditLine *e, char *(*f)(EditLine *)) { return editline.el_set(e, EL_PROMPT, f); }
int tally_el_set_editor(EditLine *e, const char *mode) { return editline.el_set(e, EL_EDITOR, mode); }
int tally_el_set_signal(EditLine *e, int on) { return editline.el_set(e, EL_SIGNAL, on); }
int tally_el_set_history(EditLine *e, History *h) { return editline.el_set(e, EL_HIST, editline.history, h); }
int tally_el_add_function(EditLine *e, const char *name, const char *help, unsigned char (*f)(EditLine *, int)) {
    return editline.el_set(e, EL_ADDFN, name, help, f);
}
int tally_el_bind(EditLine *e, const char *key, const char *command) { return editline.el_set(e, EL_BIND, key, command, NULL); }
int tally_el_set_clientdata(EditLine *e, void *data) { return editline.el_set(e, EL_CLIENTDATA, data); }
void *tally_el_get_clientdata(EditLine *e) {
    void *data = NULL;
    editline.el_get(e, EL_CLIENTDATA, &data);
    return data;
}
int tally_el_keep_interrupt_key(EditLine *e) { return editline.el_set(e, EL_SETTY, "-d", "-isig", NULL); }
int tally_history_set_size(History *h, int n) { HistEvent ev; return editline.history(h, &ev, H_SETSIZE, n); }
int tally_history_enter(History *h, const char *line) { HistEvent ev; return editline.history(h, &ev, H_ENTER, line); }
int tally_history_set_unique(History *h, int on) { HistEvent ev; return editline.history(h, &ev, H_SETUNIQUE, on); }
