#!/usr/bin/env bash
# test_identity.sh — identity is not self-declared when the plan maps members
# to OS logins: --as, CERTBOARD_MEMBER or the config file may name a member
# with a `login:` only when it is this OS user; members without one are
# unchanged, and the lead still changes others' items with --member.
. "$(dirname "$0")/../lib.sh"
PLAN="$ROOT/plans/de-professional.yaml"
if [ ! -f "$PLAN" ]; then skip identity "the default plan is not in this tree"; exit 0; fi
export CERTBOARD_STORE="$TMP/store" XDG_DATA_HOME="$TMP/data" XDG_CONFIG_HOME="$TMP/config"
me=$(id -un)
# int1 is this OS user; the lead exp1 is someone else.
sed -e "s/- {id: int1, name: Intermediate 1,/- {id: int1, login: $me, name: Intermediate 1,/" \
    -e "s/- {id: exp1, name: /- {id: exp1, login: not-$me, name: /" "$PLAN" >"$TMP/plan.yaml"
grep -q "login: not-$me" "$TMP/plan.yaml" || { fail setup "could not map the lead to a login"; exit 1; }
export CERTBOARD_PLAN="$TMP/plan.yaml"
out() { "$CB" "$@" >"$TMP/o" 2>&1; echo $? >"$TMP/rc"; }
has() { # NAME STATUS TEXT
    if [ "$(cat "$TMP/rc")" = "$2" ] && grep -qF -- "$3" "$TMP/o"; then pass "$1"
    else fail "$1" "exit $(cat "$TMP/rc"), want $2 and '$3': $(head -c 400 "$TMP/o")"; fi
}
out --as exp1 milestone foundations-complete done
has as-another-login-refused 1 "refused: member 'exp1' is OS user 'not-$me'"
CERTBOARD_MEMBER=exp1 out milestone foundations-complete done
has env-another-login-refused 1 "refused: member 'exp1' is OS user 'not-$me'"
mkdir -p "$XDG_CONFIG_HOME/certboard"
echo "member: exp1" >"$XDG_CONFIG_HOME/certboard/config.yaml"
out milestone foundations-complete done
has config-another-login-refused 1 "refused: member 'exp1' is OS user 'not-$me'"
rm "$XDG_CONFIG_HOME/certboard/config.yaml"
out log
[ "$(cat "$TMP/rc")" = 0 ] && ! grep -q "foundations-complete" "$TMP/o" && pass nothing-stored ||
    fail nothing-stored "$(head -c 300 "$TMP/o")"
out --as int1 export --format json
has as-my-own-login 0 "{"
out export --format json
has login-without-as 0 "{"
out --as nov1 export --format json
has member-without-login-unchanged 0 "{"
t_exit
