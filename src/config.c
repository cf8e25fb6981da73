/* config.c — resolving plan, store, member and today from flags, environment,
 * the config file and defaults (precedence in that order). */
#include "certboard/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#ifndef CB_DATADIR
#define CB_DATADIR "/usr/local/share/certboard"
#endif

#define DEFAULT_PLAN "de-professional.yaml"

static bool is_file(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static const char *xdg_dir(cb_opts *o, const char *var, const char *fallback)
{
    const char *v = getenv(var);
    if (v && v[0] == '/')
        return v;
    const char *home = getenv("HOME");
    return arena_printf(o->arena, "%s/%s", home && *home ? home : ".", fallback);
}

const char *config_default_plan(cb_opts *o)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *p = arena_printf(o->arena, "%s/../plans/" DEFAULT_PLAN, exe);
            if (is_file(p))
                return p;
            p = arena_printf(o->arena, "%s/../share/certboard/plans/" DEFAULT_PLAN, exe);
            if (is_file(p))
                return p;
        }
    }
    const char *p = CB_DATADIR "/plans/" DEFAULT_PLAN;
    if (is_file(p))
        return p;
    return "plans/" DEFAULT_PLAN;
}

const char *config_default_store(cb_opts *o, const char *plan_id)
{
    const char *data = xdg_dir(o, "XDG_DATA_HOME", ".local/share");
    return arena_printf(o->arena, "%s/certboard/%s", data, plan_id ? plan_id : "default");
}

/* A path from the config file: a leading "~", "$HOME" or "${HOME}" (alone or
 * before a '/') is the home directory, as a shell would have it. */
static const char *expand_home(cb_opts *o, const char *s)
{
    static const char *const forms[] = {"~", "${HOME}", "$HOME"};
    const char *home = getenv("HOME");
    if (!s || !home || !*home)
        return s;
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        size_t n = strlen(forms[i]);
        if (strncmp(s, forms[i], n) == 0 && (s[n] == '\0' || s[n] == '/'))
            return arena_printf(o->arena, "%s%s", home, s + n);
    }
    return s;
}

/* Reads the flat key: value config file. Missing file is fine. */
static int read_config(cb_opts *o, const char *path, const char **plan, const char **store,
                       const char **member, const char **today, const char **mouse,
                       const char **home, cb_diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        diags_add(d, CB_ERROR, path, 0, 0, "cannot read config file: %s", strerror(errno));
        return -1;
    }
    yaml_parser_t p;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    int depth = 0, rc = 0;
    const char *key = NULL;
    int key_line = 0, key_col = 0;
    for (int guard = 0; guard < 100000; guard++) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            diags_add(d, CB_ERROR, path, (int)p.problem_mark.line + 1,
                      (int)p.problem_mark.column + 1, "%s",
                      p.problem ? p.problem : "invalid YAML");
            rc = -1;
            break;
        }
        yaml_event_type_t t = ev.type;
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            depth++;
            if (depth > 1) {
                diags_add(d, CB_ERROR, path, (int)ev.start_mark.line + 1,
                          (int)ev.start_mark.column + 1, "config values must be plain strings");
                rc = -1;
            }
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            depth--;
        } else if (t == YAML_SCALAR_EVENT && depth == 1) {
            const char *s = arena_strndup(o->arena, (const char *)ev.data.scalar.value,
                                          ev.data.scalar.length);
            if (!key) {
                key = s;
                key_line = (int)ev.start_mark.line + 1;
                key_col = (int)ev.start_mark.column + 1;
            } else {
                if (strcmp(key, "plan") == 0)
                    *plan = s;
                else if (strcmp(key, "store") == 0)
                    *store = s;
                else if (strcmp(key, "member") == 0)
                    *member = s;
                else if (strcmp(key, "today") == 0)
                    *today = s;
                else if (strcmp(key, "mouse") == 0)
                    *mouse = s;
                else if (strcmp(key, "home") == 0)
                    *home = s;
                else
                    diags_add(d, CB_WARNING, path, key_line, key_col,
                              "unknown config key '%s' (known: plan, store, member, today, "
                              "mouse, home)",
                              key);
                key = NULL;
            }
        }
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    fclose(f);
    return rc;
}

int config_resolve(cb_opts *o, cb_diags *d)
{
    if (!o->arena)
        o->arena = arena_new();
    const char *cfg_plan = NULL, *cfg_store = NULL, *cfg_member = NULL, *cfg_today = NULL,
               *cfg_mouse = NULL, *cfg_home = NULL;
    const char *cfg_dir = xdg_dir(o, "XDG_CONFIG_HOME", ".config");
    const char *cfg = arena_printf(o->arena, "%s/certboard/config.yaml", cfg_dir);
    if (read_config(o, cfg, &cfg_plan, &cfg_store, &cfg_member, &cfg_today, &cfg_mouse,
                    &cfg_home, d) != 0)
        return -1;
    cfg_plan = expand_home(o, cfg_plan);
    cfg_store = expand_home(o, cfg_store);

    const char *env;
    o->today_flag = o->today_str != NULL;
    const char *mouse = (env = getenv("CERTBOARD_MOUSE")) && *env ? env : cfg_mouse;
    if (mouse && strcmp(mouse, "on") != 0 && strcmp(mouse, "off") != 0 &&
        strcmp(mouse, "true") != 0 && strcmp(mouse, "false") != 0)
        diags_add(d, CB_WARNING, NULL, 0, 0,
                  "mouse: '%s' is neither on nor off (mouse stays on)", mouse);
    o->mouse_off = mouse && (strcmp(mouse, "off") == 0 || strcmp(mouse, "false") == 0);
    if (!o->plan_path)
        o->plan_path = (env = getenv("CERTBOARD_PLAN")) && *env ? env : cfg_plan;
    if (!o->plan_path)
        o->plan_path = config_default_plan(o);
    if (!o->store_dir)
        o->store_dir = (env = getenv("CERTBOARD_STORE")) && *env ? env : cfg_store;
    if (!o->member)
        o->member = (env = getenv("CERTBOARD_MEMBER")) && *env ? env : cfg_member;
    if (!o->today_str)
        o->today_str = (env = getenv("CERTBOARD_TODAY")) && *env ? env : cfg_today;
    if (!o->home)
        o->home = (env = getenv("CERTBOARD_HOME")) && *env ? env : cfg_home;

    if (o->today_str) {
        if (!date_parse(o->today_str, &o->today)) {
            diags_add(d, CB_ERROR, NULL, 0, 0,
                      "invalid date '%s' for --today (want YYYY-MM-DD)", o->today_str);
            return -1;
        }
    } else {
        o->today = date_today();
    }
    return 0;
}

void config_free(cb_opts *o)
{
    arena_free(o->arena);
    o->arena = NULL;
}
