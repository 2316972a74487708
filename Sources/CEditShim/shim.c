#include "CEditShim.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

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
    EditLine *el = el_init(program, stdin, stdout, stderr);
    if (el == NULL) return NULL;
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_SETTY, "-d", "-isig", NULL);
    el_set(el, EL_ADDFN, "regimen-interrupt", "Abandon the current input", on_interrupt_key);
    el_set(el, EL_BIND, "^C", "regimen-interrupt", NULL);
    el_source(el, NULL); /* ~/.editrc may say `bind -v` for vi */
    return el;
}

void regimen_el_close(EditLine *el) { el_end(el); }

int regimen_el_set_prompt(EditLine *el, char *(*prompt)(EditLine *)) { return el_set(el, EL_PROMPT, prompt); }

int regimen_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }

void *regimen_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

int regimen_el_bind_completion(EditLine *el, unsigned char (*complete)(EditLine *, int)) {
    if (el_set(el, EL_ADDFN, "regimen-complete", "Complete a name or command", complete) != 0) return -1;
    return el_set(el, EL_BIND, "^I", "regimen-complete", NULL);
}

const char *regimen_el_gets(EditLine *el, int *count) { return el_gets(el, count); }

int regimen_el_text_before_cursor(EditLine *el, char *buffer, int size) {
    const LineInfo *info = el_line(el);
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
    History *h = history_init();
    if (h == NULL) return NULL;
    history(h, &event, H_SETSIZE, size);
    history(h, &event, H_SETUNIQUE, 1);
    return h;
}

void regimen_history_close(History *h) { history_end(h); }

int regimen_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}

int regimen_el_use_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
