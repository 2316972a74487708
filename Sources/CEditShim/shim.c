#include "CEditShim.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* libedit's functions, resolved once from the shared library (see CEditShim.h for why). */
static struct {
    EditLine *(*el_init)(const char *, FILE *, FILE *, FILE *);
    void (*el_end)(EditLine *);
    int (*el_set)(EditLine *, int, ...);
    int (*el_get)(EditLine *, int, ...);
    int (*el_source)(EditLine *, const char *);
    const char *(*el_gets)(EditLine *, int *);
    const LineInfo *(*el_line)(EditLine *);
    int (*el_insertstr)(EditLine *, const char *);
    History *(*history_init)(void);
    void (*history_end)(History *);
    int (*history)(History *, HistEvent *, int, ...);
} lib;

static int loaded = 0;
static char load_error[512];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/* The library's name differs between systems: Debian's soname, other Linux distributions', macOS's. */
static const char *const library_names[] = {"libedit.so.2", "libedit.so.0", "libedit.so", "libedit.3.dylib", "libedit.dylib"};

static int resolve(void *handle, void **slot, const char *name) {
    *slot = dlsym(handle, name);
    if (*slot != NULL) return 1;
    snprintf(load_error, sizeof load_error, "libedit lacks %s", name);
    return 0;
}

static void load_library(void) {
    void *handle = NULL;
    for (size_t i = 0; i < sizeof library_names / sizeof library_names[0] && handle == NULL; i++) {
        handle = dlopen(library_names[i], RTLD_NOW | RTLD_LOCAL);
        /* The first name's failure is the one worth telling: it is this system's own library. */
        const char *reason = handle == NULL ? dlerror() : NULL;
        if (i == 0 && reason != NULL) snprintf(load_error, sizeof load_error, "%s", reason);
    }
    if (handle == NULL) return;
    load_error[0] = '\0';
    loaded = resolve(handle, (void **)&lib.el_init, "el_init") && resolve(handle, (void **)&lib.el_end, "el_end") &&
             resolve(handle, (void **)&lib.el_set, "el_set") && resolve(handle, (void **)&lib.el_get, "el_get") &&
             resolve(handle, (void **)&lib.el_source, "el_source") && resolve(handle, (void **)&lib.el_gets, "el_gets") &&
             resolve(handle, (void **)&lib.el_line, "el_line") && resolve(handle, (void **)&lib.el_insertstr, "el_insertstr") &&
             resolve(handle, (void **)&lib.history_init, "history_init") &&
             resolve(handle, (void **)&lib.history_end, "history_end") && resolve(handle, (void **)&lib.history, "history");
}

const char *regimen_edit_load_error(void) { return load_error[0] != '\0' ? load_error : NULL; }

static volatile sig_atomic_t interrupted = 0;

/* Ctrl-C while editing: the terminal sends it as a key (ISIG is off in edit mode), and this
   ends the line marked as abandoned. */
static unsigned char on_interrupt_key(EditLine *el, int ch) {
    (void)el;
    (void)ch;
    interrupted = 1;
    return CC_NEWLINE;
}

EditLine *regimen_el_open(const char *program) {
    pthread_once(&load_once, load_library);
    if (!loaded) return NULL;
    EditLine *el = lib.el_init(program, stdin, stdout, stderr);
    if (el == NULL) return NULL;
    lib.el_set(el, EL_EDITOR, "emacs");
    lib.el_set(el, EL_SETTY, "-d", "-isig", NULL);
    lib.el_set(el, EL_ADDFN, "regimen-interrupt", "Abandon the current input", on_interrupt_key);
    lib.el_set(el, EL_BIND, "^C", "regimen-interrupt", NULL);
    lib.el_source(el, NULL); /* ~/.editrc may say `bind -v` for vi */
    return el;
}

void regimen_el_close(EditLine *el) { lib.el_end(el); }

int regimen_el_set_prompt(EditLine *el, char *(*prompt)(EditLine *)) { return lib.el_set(el, EL_PROMPT, prompt); }

int regimen_el_set_clientdata(EditLine *el, void *data) { return lib.el_set(el, EL_CLIENTDATA, data); }

void *regimen_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    lib.el_get(el, EL_CLIENTDATA, &data);
    return data;
}

int regimen_el_bind_completion(EditLine *el, unsigned char (*complete)(EditLine *, int)) {
    if (lib.el_set(el, EL_ADDFN, "regimen-complete", "Complete a name or command", complete) != 0) return -1;
    return lib.el_set(el, EL_BIND, "^I", "regimen-complete", NULL);
}

const char *regimen_el_gets(EditLine *el, int *count) { return lib.el_gets(el, count); }

int regimen_el_insert(EditLine *el, const char *text) { return lib.el_insertstr(el, text); }

int regimen_el_text_before_cursor(EditLine *el, char *buffer, int size) {
    const LineInfo *info = lib.el_line(el);
    int length = (int)(info->cursor - info->buffer);
    if (length >= size) length = size - 1;
    memcpy(buffer, info->buffer, (size_t)length);
    buffer[length] = '\0';
    return length;
}

static void on_interrupt(int signal) {
    (void)signal;
    interrupted = 1;
}

void regimen_install_interrupt_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0; /* no SA_RESTART: el_gets returns with EINTR */
    sigaction(SIGINT, &action, NULL);
}

int regimen_take_interrupt(void) {
    int was = interrupted;
    interrupted = 0;
    return was;
}

History *regimen_history_open(int size) {
    HistEvent event;
    if (!loaded) return NULL;
    History *h = lib.history_init();
    if (h == NULL) return NULL;
    lib.history(h, &event, H_SETSIZE, size);
    lib.history(h, &event, H_SETUNIQUE, 1);
    return h;
}

void regimen_history_close(History *h) { lib.history_end(h); }

int regimen_history_enter(History *h, const char *line) {
    HistEvent event;
    return lib.history(h, &event, H_ENTER, line);
}

int regimen_el_use_history(EditLine *el, History *h) { return lib.el_set(el, EL_HIST, lib.history, h); }
