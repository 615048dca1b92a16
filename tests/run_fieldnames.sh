#!/bin/sh
# run_fieldnames.sh - every field name that stage 5 asks a match for in
# parser/*.c (a string literal passed to od_match_field, od_field_text,
# field_is, field_str, field_date, field_time or set_value) is declared by
# some 'fields' block of the shipped grammars, so that a name misspelt in
# C, or a field renamed in a grammar, fails here rather than reading null.
# (At run time od_match_field reports such a name too; this also covers
# the code paths the tests do not reach.)  Under 1 s.
set -u
cd "$(dirname "$0")/.." || exit 2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# Declared: the first word of each line inside a 'fields KIND' ... 'end'.
awk '/^fields[ \t]/ { inb = 1; next }
     inb && /^[ \t]*end[ \t]*(#.*)?$/ { inb = 0; next }
     inb && !/^[ \t]*(#|$)/ { print $1 }' grammars/*.rules | sort -u >"$T/declared"

# Asked for: the string literal in the call.
grep -oh -E '\b(od_match_field|od_field_text|field_is|field_str|field_date|field_time|set_value)\([^;]*' parser/*.c |
    grep -v -E '^(od_match_field|od_field_text|field_is|field_str|field_date|field_time|set_value)\((const|static|int|char|bool)\b' |
    sed -n 's/^[a-z_]*([^"]*"\([A-Za-z0-9_]*\)".*/\1/p' | sort -u >"$T/asked"

n=$(wc -l <"$T/asked")
if [ "$n" -lt 20 ]; then
    echo "FAIL fieldnames: only $n names found in parser/*.c: the pattern no longer sees the calls"
    exit 1
fi
missing=$(comm -23 "$T/asked" "$T/declared")
if [ -n "$missing" ]; then
    echo "FAIL fieldnames: parser/*.c asks for fields no 'fields' block declares:" $missing
    exit 1
fi
echo "fieldnames: $n names asked for by stage 5, all declared"
