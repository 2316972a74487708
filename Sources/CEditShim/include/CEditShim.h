// Fixed-argument wrappers around libedit for Swift, which cannot call C variadic functions
// (el_set, el_get, history) nor touch the C globals stdin/stdout/stderr.
//
// libedit is loaded with dlopen when the first editor opens, not linked: only `regimen repl`
// on a terminal edits lines, and loading libedit with its dependencies (libtinfo, libbsd,
// libmd) cost every other command about half a millisecond of start-up. Without libedit,
// regimen_el_open fails and regimen_edit_load_error says why; the REPL then reads plain lines.
#ifndef CEDITSHIM_H
#define CEDITSHIM_H

#include <histedit.h>

/// Why libedit could not be loaded, or NULL when it was (or has not been tried yet).
const char *regimen_edit_load_error(void);

/// el_init on the process's standard streams, emacs bindings, Ctrl-C bound to abandon the
/// input (the terminal's ISIG is off while editing), then the user's editrc (which may choose vi).
/// NULL when libedit cannot be loaded or cannot start.
EditLine *regimen_el_open(const char *program);
void regimen_el_close(EditLine *el);

/// The prompt function; it reads the prompt text from the client data.
int regimen_el_set_prompt(EditLine *el, char *(*prompt)(EditLine *));
int regimen_el_set_clientdata(EditLine *el, void *data);
void *regimen_el_get_clientdata(EditLine *el);

/// Binds Tab to a completion function.
int regimen_el_bind_completion(EditLine *el, unsigned char (*complete)(EditLine *, int));

/// Reads one line; NULL at end of input or when interrupted (see regimen_take_interrupt).
const char *regimen_el_gets(EditLine *el, int *count);

/// The text before the cursor, copied into buffer (NUL-terminated); returns its length.
int regimen_el_text_before_cursor(EditLine *el, char *buffer, int size);

/// Inserts text at the cursor.
int regimen_el_insert(EditLine *el, const char *text);

/// Ctrl-C outside editing: a handler that only records the interrupt, so the session goes on.
/// regimen_take_interrupt tells (and clears) whether Ctrl-C came, while editing or not.
void regimen_install_interrupt_handler(void);
int regimen_take_interrupt(void);

/// History: an in-memory list of at most `size` entries. Open it after the editor.
History *regimen_history_open(int size);
void regimen_history_close(History *h);
int regimen_history_enter(History *h, const char *line);
int regimen_el_use_history(EditLine *el, History *h);

#endif
