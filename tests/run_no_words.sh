#!/bin/sh
# run_no_words.sh - parser/*.c holds no English word lists: they live in
# grammars/ as lexicons (tests/no_words.py says what it looks for, and
# tests/no_words.allow what it lets through: format names, and the lists
# not moved yet).  Then the check itself is checked: a word list put back
# into a copy of parser/ (an array, and strstr calls) must be reported.
# The argument (the ordex binary) is not used.  Final line: "no_words: N
# passed, M failed".  Under 1 s.
set -u
cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if python3 tests/no_words.py . >"$T/out" 2>&1; then ok
else bad "word lists in parser/*.c (move them to a lexicon in grammars/):"; cat "$T/out"; fi

# A list that comes back is found.
mkdir -p "$T/root/tests" "$T/root/parser"
cp tests/no_words.allow "$T/root/tests/"
cp parser/*.c "$T/root/parser/"
cat >>"$T/root/parser/records.c" <<'EOC'

static bool back_again(const char *s)
{
    static const char *const words[] = {"hearing", "conference", "trial", NULL};
    (void)words;
    return strstr(s, "continued") || g_str_has_prefix(s, "Magistrate Judge ");
}
EOC
python3 tests/no_words.py "$T/root" >"$T/out" 2>&1
rc=$?
n=$(wc -l <parser/records.c)
want="parser/records.c:$((n + 4)): a list of 3 words in C (\"hearing\", \"conference\", \"trial\")
parser/records.c:$((n + 6)): strstr against the word \"continued\"
parser/records.c:$((n + 6)): g_str_has_prefix against the word \"Magistrate Judge \""
if [ "$rc" = 1 ] && [ "$(cat "$T/out")" = "$want" ]; then ok
else bad "a word list put back: exit $rc, output '$(cat "$T/out")' (want 1, '$want')"; fi

echo "no_words: $pass passed, $fail failed"
[ "$fail" = 0 ]
