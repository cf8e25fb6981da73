/* ui.h — the full-screen terminal front end (src/ui_*.c, the only curses code).
 *
 * ui_run() takes over the terminal, shows the dashboard for an open app until
 * the user quits or a SIGTERM/SIGINT/SIGHUP arrives, and always restores the
 * terminal (also on a fatal error, through cb_set_fatal_hook). It polls the
 * store a few times a second, so other members' changes appear without a key.
 * notice, when not NULL, is shown in the status line at start. Returns the
 * process exit status. */
#ifndef CERTBOARD_UI_H
#define CERTBOARD_UI_H

#include "certboard/app.h"
#include "certboard/date.h"

int ui_run(cb_app *app, cb_day today, const char *notice);

#endif
