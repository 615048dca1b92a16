#!/usr/bin/env python3
"""no_words.py - English word lists belong in grammars/, not in C.

Reads parser/*.c (comments removed, string literals kept) and reports, as
FILE:LINE: message,

  * a brace initialiser holding 3 or more string literals that are words
    ("street", "pro hac vice", "Jr."): a word list;
  * a comparison (strcmp, strstr, g_str_has_prefix, g_ascii_strncasecmp,
    ...) against a string literal that is a word: a list spelt out as
    calls;

unless the literal is in tests/no_words.allow for that file (format names:
JSON keys and values, record kinds, field names and their values set by
the grammars, option names; see that file).  A literal is a word when it
is made of letters (with . ' - & inside) and blanks, maybe with blanks
and , ; : around it, and holds two letters or more; "%s", "-", ".pdf" and "\\n" are not words.

An allowed literal that no longer occurs in its file is reported too, so
that the list of what is not moved yet only shrinks.

Exit status 0 when nothing is found, 1 when something is (each finding on
standard output), 2 on a usage error.  Usage: no_words.py [ROOT]
"""
import os
import re
import sys

WORD = re.compile(r"^[A-Za-z][A-Za-z.'&-]*(?: [A-Za-z][A-Za-z.'&-]*)* ?$")
CALLS = ("strcmp", "strncmp", "strcasecmp", "strncasecmp", "strstr", "strcasestr",
         "g_strcmp0", "g_str_equal", "g_str_has_prefix", "g_str_has_suffix",
         "g_ascii_strcasecmp", "g_ascii_strncasecmp", "g_strstr_len", "g_strrstr",
         "has_ci", "has_word", "field_is", "od_lexicon_lookup")
CALL = re.compile(r"\b(" + "|".join(CALLS) + r")\s*\(")
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def is_word(s):
    """A word or a short phrase (blanks and , ; : around it aside: " LLP",
    ", PA"); five words or more make a message."""
    w = s.strip(" ,;:")
    return (bool(WORD.match(w)) and sum(c.isalpha() for c in w) >= 2
            and len(w.split()) < 5)


def strip_comments(src):
    """src with comments replaced by blanks (line breaks kept), strings and
    character constants kept."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def line_of(src, pos):
    return src.count("\n", 0, pos) + 1


def close_paren(src, i):
    """Index just after the ')' that closes the '(' at src[i-1]."""
    depth = 1
    while i < len(src) and depth:
        m = LITERAL.match(src, i)
        if m:
            i = m.end()
            continue
        depth += {"(": 1, ")": -1}.get(src[i], 0)
        i += 1
    return i


def findings(path, src, allowed):
    rel = os.path.basename(path)
    # GOptionEntry rows: an option's name and its help are the CLI's format
    # and messages
    src = re.sub(r"\{[^{};]*G_OPTION_ARG_[^{};]*\}", lambda m: re.sub(r"[^\n]", " ", m.group(0)), src)
    ok = allowed.get(rel, set())
    # 1. initialisers: innermost { ... } (no ';') after '=', ',' or '{'
    for m in re.finditer(r"\{([^{};]*)\}", src):
        body = m.group(1)
        before = src[:m.start()].rstrip()[-1:]
        if before not in ("=", ",", "{"):
            continue  # a block of statements, not an initialiser
        lits = [x for x in LITERAL.findall(body) if is_word(x)]
        bad = [x for x in lits if x not in ok]
        # rows of a table ({"a", "b"}, {"c", "d"}): the whole table counts
        if len(lits) >= 3 and bad:
            yield (line_of(src, m.start()), "a list of %d words in C (%s)" % (
                len(lits), ", ".join('"%s"' % x for x in bad[:4]) + (", ..." if len(bad) > 4 else "")))
    tables = {}
    for m in re.finditer(r"\{\s*(\{[^{}]*\}\s*,?\s*){2,}\}", src):
        lits = [x for x in LITERAL.findall(m.group(0)) if is_word(x)]
        bad = [x for x in lits if x not in ok]
        if len(lits) >= 3 and bad:
            tables[line_of(src, m.start())] = bad
    for ln, bad in sorted(tables.items()):
        yield (ln, "a table of words in C (%s)" % ", ".join('"%s"' % x for x in bad[:4]))
    # 2. comparisons against a word
    for m in CALL.finditer(src):
        end = close_paren(src, m.end())
        for x in LITERAL.findall(src[m.end():end]):
            if is_word(x) and x not in ok:
                yield (line_of(src, m.start()), '%s against the word "%s"' % (m.group(1), x))


def load_allow(path):
    allowed = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].rstrip("\n")
            if not line.strip():
                continue
            m = re.match(r'^(\S+\.c)\s+"([^"]*)"\s*$', line.strip())
            if not m:
                sys.exit("%s:%d: expected 'FILE.c \"literal\"'" % (path, n))
            allowed.setdefault(m.group(1), set()).add(m.group(2))
    return allowed


def main(argv):
    if len(argv) > 2:
        print("usage: no_words.py [ROOT]", file=sys.stderr)
        return 2
    root = argv[1] if len(argv) == 2 else os.path.join(os.path.dirname(__file__), "..")
    allowed = load_allow(os.path.join(root, "tests", "no_words.allow"))
    found = 0
    pdir = os.path.join(root, "parser")
    for name in sorted(os.listdir(pdir)):
        if not name.endswith(".c"):
            continue
        with open(os.path.join(pdir, name), encoding="utf-8") as f:
            src = strip_comments(f.read())
        seen = set()
        for lit in sorted(allowed.get(name, ())):
            if '"%s"' % lit not in src:
                print('tests/no_words.allow: %s "%s" is no longer in parser/%s: '
                      'remove the line' % (name, lit, name))
                found += 1
        for ln, msg in findings(name, src, allowed):
            if (ln, msg) in seen:
                continue
            seen.add((ln, msg))
            print("parser/%s:%d: %s" % (name, ln, msg))
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
