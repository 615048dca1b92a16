/*
 * main.c - the ordex command: a thin client of include/ordex.h.
 *
 * Parses the command line with GLib's option parser, sets up one engine,
 * runs one document through the library and writes its JSON (or a dump
 * of an intermediate stage) to standard output or to -o (cli_write_file:
 * never half-written, links followed, devices written in place).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "cli.h"
#include "ordex.h"

/* The subcommands, listed by --help above the options. */
static const char commands_help[] =
    "Commands:\n"
    "  ordex [OPTION...] FILE          one document (a PDF, a text file or -)\n"
    "  ordex batch [OPTION...] INPUT...  many documents in worker processes,\n"
    "                                  one JSON line each (ordex batch --help)\n"
    "  ordex timeline [OPTION...] INPUT...  a case's deadlines across its\n"
    "                                  orders (ordex timeline --help)\n"
    "  ordex serve [OPTION...]         an HTTP service (ordex serve --help)";

static const char exit_codes_help[] =
    "Exit status:\n"
    "  0  success\n"
    "  1  internal error\n"
    "  2  usage error (also: an output that is the input file)\n"
    "  3  input missing, unreadable or a directory\n"
    "  4  not a PDF, damaged or truncated PDF, empty file, undecodable text\n"
    "  5  encrypted PDF and no or a wrong password\n"
    "  6  error in a grammar file\n"
    "  7  output cannot be written\n"
    "  8  a limit was exceeded (--max-pages, --max-page-text, --timeout)\n"
    "  9  JSON written, but some pages had no readable text (see warnings)\n"
    " 10  batch: some documents failed (error records written)\n";

/* A limit option not given (any value given must be 0 or more). */
#define LIMIT_UNSET G_MININT

static struct {
    char *dump;
    char *output;
    char *password;
    char *input_kind;
    char *encoding;
    char **grammar_dirs;
    char *check_grammars;
    char *print_grammars;
    char *highlight;
    char *ics;
    char *ocr;
    gboolean no_default_grammars;
    gboolean pretty;
    gboolean binding_only;
    gboolean profile;
    gboolean version;
    gint max_pages;
    gint max_page_text;
    gint timeout;
    gint regex_time;
    gint jobs;
} opt = {
    .max_pages = LIMIT_UNSET, .max_page_text = LIMIT_UNSET,
    .timeout = LIMIT_UNSET, .regex_time = LIMIT_UNSET, .jobs = LIMIT_UNSET,
};

static GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt.output,
     "Write to FILE (atomically) instead of standard output", "FILE"},
    {"pretty", 'p', 0, G_OPTION_ARG_NONE, &opt.pretty,
     "Indent the JSON", NULL},
    {"binding-only", 0, 0, G_OPTION_ARG_NONE, &opt.binding_only,
     "Leave out directives and deadlines that bind no one (\"binding\": false)",
     NULL},
    {"dump", 0, 0, G_OPTION_ARG_STRING, &opt.dump,
     "Print a stage instead of the JSON: text, segments or matches", "STAGE"},
    {"highlight", 0, 0, G_OPTION_ARG_FILENAME, &opt.highlight,
     "Also write a copy of the PDF with every record highlighted", "OUT.pdf"},
    {"ics", 0, 0, G_OPTION_ARG_FILENAME, &opt.ics,
     "Also write every dated deadline as an iCalendar event", "FILE.ics"},
    {"jobs", 'j', 0, G_OPTION_ARG_INT, &opt.jobs,
     "Read the document's pages (text layers and OCR) with N threads "
     "(default: the number of cores; the output is the same)", "N"},
    {"ocr", 0, 0, G_OPTION_ARG_STRING, &opt.ocr,
     "OCR pages without a usable text layer: auto, always or never "
     "(default auto)", "WHEN"},
    {"password", 0, 0, G_OPTION_ARG_STRING, &opt.password,
     "Password of an encrypted PDF", "PASSWORD"},
    {"input", 0, 0, G_OPTION_ARG_STRING, &opt.input_kind,
     "Input kind: pdf, text or auto (default: auto, by content; a name "
     "ending in .pdf is a PDF)", "KIND"},
    {"encoding", 0, 0, G_OPTION_ARG_STRING, &opt.encoding,
     "Encoding of text input, e.g. ISO-8859-1 (default: UTF-8 when valid, "
     "else detected)", "NAME"},
    {"grammars", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.grammar_dirs,
     "Add a folder of *.rules after the shipped ones (repeatable)", "DIR"},
    {"no-default-grammars", 0, 0, G_OPTION_ARG_NONE, &opt.no_default_grammars,
     "Do not load the shipped grammars", NULL},
    {"check-grammars", 0, 0, G_OPTION_ARG_FILENAME, &opt.check_grammars,
     "Check the grammars of DIR (with the shipped ones) and exit", "DIR"},
    {"print-grammars", 0, 0, G_OPTION_ARG_FILENAME, &opt.print_grammars,
     "Write the shipped grammars into DIR (created if needed) and exit", "DIR"},
    {"max-pages", 0, 0, G_OPTION_ARG_INT, &opt.max_pages,
     "Refuse documents of more than N pages (default 10000, 0: no limit)", "N"},
    {"max-page-text", 0, 0, G_OPTION_ARG_INT, &opt.max_page_text,
     "Refuse pages of more than N characters (default 200000)", "N"},
    {"timeout", 0, 0, G_OPTION_ARG_INT, &opt.timeout,
     "Give up on a document after N seconds (default: none)", "N"},
    {"regex-time-limit", 0, 0, G_OPTION_ARG_INT, &opt.regex_time,
     "ICU regex time limit per match (default 50)", "N"},
    {"profile", 0, 0, G_OPTION_ARG_NONE, &opt.profile,
     "Print the time of each stage on standard error", NULL},
    {"version", 'V', 0, G_OPTION_ARG_NONE, &opt.version,
     "Print the version and exit", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

static ordex_engine *make_engine(int *code)
{
    ordex_status st;
    ordex_engine *e = cli_engine_new(opt.no_default_grammars, opt.grammar_dirs,
                                     opt.check_grammars, &st);

    if (opt.max_pages != LIMIT_UNSET)
        ordex_engine_set_limit(e, ORDEX_LIMIT_MAX_PAGES, opt.max_pages);
    if (opt.max_page_text != LIMIT_UNSET)
        ordex_engine_set_limit(e, ORDEX_LIMIT_MAX_PAGE_TEXT, opt.max_page_text);
    if (opt.timeout != LIMIT_UNSET)
        ordex_engine_set_limit(e, ORDEX_LIMIT_MAX_SECONDS, opt.timeout);
    if (opt.regex_time != LIMIT_UNSET)
        ordex_engine_set_limit(e, ORDEX_LIMIT_REGEX_TIME, opt.regex_time);
    ordex_engine_set_ocr(e, cli_ocr_mode(opt.ocr));
    /* like batch's -j: N at once, by default one a core */
    ordex_engine_set_threads(e, opt.jobs != LIMIT_UNSET ? opt.jobs : 0);
    ordex_engine_set_input(e, cli_input_kind(opt.input_kind));
    if (st == ORDEX_OK && opt.encoding)
        st = ordex_engine_set_encoding(e, opt.encoding) == ORDEX_OK
                 ? ORDEX_OK : ORDEX_ERR_ARG;
    *code = cli_exit_for(st);
    return e;
}

/* The --timeout watchdog.  The library checks its time limit between
 * pages, but one hostile page can keep Poppler busy for minutes; SIGALRM
 * ends the command wherever it is.  The handler uses only
 * async-signal-safe calls: it removes a temporary output, writes a
 * prepared one-line message and exits with EXIT_LIMIT. */
static char timeout_msg[512];
static char tmp_path[4096];

static void on_alarm(int sig)
{
    ssize_t n;

    (void)sig;
    if (tmp_path[0])
        unlink(tmp_path);
    n = write(STDERR_FILENO, timeout_msg, strlen(timeout_msg));
    (void)n;
    _exit(EXIT_LIMIT);
}

static void arm_watchdog(const char *file, int seconds)
{
    struct sigaction sa;

    if (seconds <= 0)
        return;
    g_snprintf(timeout_msg, sizeof timeout_msg,
               "ordex: %s: more than %d seconds\n", file, seconds);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL);
    alarm((unsigned)seconds);
}

/* Writes data to standard output (no path, or "-") or to the file path
 * (cli_write_file: never half-written).  Returns the exit code. */
static int write_output(const char *path, const char *data)
{
    size_t len = strlen(data);

    if (!path || strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "ordex: <stdout>: %s\n", g_strerror(errno));
            return EXIT_OUTPUT;
        }
        return EXIT_OK;
    }
    return cli_write_file(path, data, len, tmp_path, sizeof tmp_path);
}

/* An output (-o or --highlight) that is the input file itself, or both
 * outputs the same file: refused before any work (exit 2). */
static int check_outputs(const char *input)
{
    const char *outs[2] = {opt.output, opt.highlight};

    for (int i = 0; i < 2; i++) {
        if (!outs[i] || strcmp(outs[i], "-") == 0)
            continue;
        if (strcmp(input, "-") != 0 && cli_same_file(input, outs[i])) {
            fprintf(stderr, "ordex: %s: is the input file; choose another output\n",
                    outs[i]);
            return EXIT_USAGE;
        }
    }
    if (opt.output && opt.highlight && strcmp(opt.output, "-") != 0) {
        char *a = cli_resolve_output(opt.output), *b = cli_resolve_output(opt.highlight);
        int same = strcmp(a, b) == 0 || cli_same_file(a, b);
        g_free(a);
        g_free(b);
        if (same) {
            fprintf(stderr, "ordex: %s: is both -o and --highlight\n", opt.highlight);
            return EXIT_USAGE;
        }
    }
    return EXIT_OK;
}

/* --print-grammars DIR: the library's shipped grammars as files, for a
 * user who wants to start from them.  Never overwrites: an existing file
 * of the same name is an error (exit 7) and nothing is written. */
static int print_grammars(const char *dir)
{
    const char *name, *data;
    size_t len;
    int n = 0;

    if (g_mkdir_with_parents(dir, 0755) != 0) {
        fprintf(stderr, "ordex: %s: cannot create: %s\n", dir, g_strerror(errno));
        return EXIT_OUTPUT;
    }
    for (size_t i = 0; (name = ordex_shipped_grammar(i, NULL, NULL)); i++) {
        char *path = g_build_filename(dir, name, NULL);
        bool exists = g_file_test(path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK);
        if (exists)
            fprintf(stderr, "ordex: %s: exists, not overwritten\n", path);
        g_free(path);
        if (exists)
            return EXIT_OUTPUT;
    }
    for (size_t i = 0; (name = ordex_shipped_grammar(i, &data, &len)); i++) {
        char *path = g_build_filename(dir, name, NULL);
        GError *err = NULL;
        bool ok = g_file_set_contents(path, data, (gssize)len, &err);
        if (!ok) {
            fprintf(stderr, "ordex: %s: cannot write: %s\n", path, err->message);
            g_error_free(err);
        }
        g_free(path);
        if (!ok)
            return EXIT_OUTPUT;
        n++;
    }
    fprintf(stderr, "ordex: %s: %d grammar files written\n", dir, n);
    return EXIT_OK;
}

/* Limits are counts and seconds, -j a count: a negative one is a usage
 * error. */
static bool limits_ok(void)
{
    static const struct { const char *name; const gint *value; } lim[] = {
        {"--max-pages", &opt.max_pages},
        {"--max-page-text", &opt.max_page_text},
        {"--timeout", &opt.timeout},
        {"--regex-time-limit", &opt.regex_time},
        {"--jobs", &opt.jobs},
    };

    for (size_t i = 0; i < G_N_ELEMENTS(lim); i++)
        if (*lim[i].value != LIMIT_UNSET && *lim[i].value < 0) {
            fprintf(stderr, "ordex: %s must be 0 or more, not %d\n", lim[i].name,
                    *lim[i].value);
            return false;
        }
    return true;
}

/* serialise: seconds ordex_result_to_json took, added to the library's
 * JSON stage (which builds the tree). */
static void print_profile(const ordex_document *doc, double serialise)
{
    static const char *const names[ORDEX_N_PROFILE_STAGES] = {
        "poppler", "normalise", "segment", "match", "records", "json", "ocr",
    };
    double sec[ORDEX_N_PROFILE_STAGES];
    double total = 0;

    if (ordex_document_profile(doc, sec, ORDEX_N_PROFILE_STAGES) != ORDEX_OK)
        return;
    sec[ORDEX_N_PROFILE_STAGES - 1] += serialise;
    for (int i = 0; i < ORDEX_N_PROFILE_STAGES; i++)
        total += sec[i];
    fprintf(stderr, "profile: %d pages\n", ordex_document_page_count(doc));
    for (int i = 0; i < ORDEX_N_PROFILE_STAGES; i++)
        fprintf(stderr, "  %-10s %9.4f s %5.1f%%\n", names[i], sec[i],
                total > 0 ? 100.0 * sec[i] / total : 0.0);
    fprintf(stderr, "  %-10s %9.4f s\n", "total", total);
}

int main(int argc, char **argv)
{
    GOptionContext *ctx;
    GError *err = NULL;
    ordex_engine *e = NULL;
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    ordex_status st;
    char *out = NULL;
    double serialise = 0;
    int code = EXIT_OK;
    int stage = -1;

    cli_limit_openmp(argv);
    if (argc > 1 && strcmp(argv[1], "batch") == 0)
        return cli_batch_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "serve") == 0)
        return cli_serve_main(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "timeline") == 0)
        return cli_timeline_main(argc - 1, argv + 1);

    ctx = g_option_context_new("FILE  - extract orders, deadlines and names from a court PDF");
    g_option_context_set_summary(
        ctx, "FILE is a PDF or a text file (\"-\": standard input), told apart "
             "by content.\n\n"
             "  ordex batch [OPTION...] INPUT...  many documents, one JSON "
             "line each\n"
             "                                    (see ordex batch --help)");
    g_option_context_add_main_entries(ctx, entries, NULL);
    g_option_context_set_summary(ctx, commands_help);
    g_option_context_set_description(ctx, exit_codes_help);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "ordex: %s (see ordex --help)\n", err->message);
        g_error_free(err);
        g_option_context_free(ctx);
        return EXIT_USAGE;
    }
    g_option_context_free(ctx);

    if (opt.version) {
        printf("ordex %s (JSON schema %s)\n", ordex_version(),
               ORDEX_SCHEMA_VERSION);
        return EXIT_OK;
    }
    if (opt.print_grammars) {
        code = print_grammars(opt.print_grammars);
        goto done;
    }
    if (!limits_ok()) {
        code = EXIT_USAGE;
        goto done;
    }
    if (opt.dump) {
        if (strcmp(opt.dump, "text") == 0)
            stage = ORDEX_STAGE_TEXT;
        else if (strcmp(opt.dump, "segments") == 0)
            stage = ORDEX_STAGE_SEGMENTS;
        else if (strcmp(opt.dump, "matches") == 0)
            stage = ORDEX_STAGE_MATCHES;
        else {
            fprintf(stderr, "ordex: unknown --dump stage '%s' "
                            "(expected text, segments or matches)\n", opt.dump);
            return EXIT_USAGE;
        }
    }
    if (opt.ics && opt.dump) {
        fprintf(stderr, "ordex: --ics cannot be combined with --dump\n");
        return EXIT_USAGE;
    }
    if (opt.highlight && opt.dump) {
        fprintf(stderr, "ordex: --highlight cannot be combined with --dump\n");
        return EXIT_USAGE;
    }
    if (opt.ocr && cli_ocr_mode(opt.ocr) < 0) {
        fprintf(stderr, "ordex: unknown --ocr mode '%s' "
                        "(expected auto, always or never)\n", opt.ocr);
        return EXIT_USAGE;
    }
    if (opt.input_kind && cli_input_kind(opt.input_kind) < 0) {
        fprintf(stderr, "ordex: unknown --input kind '%s' "
                        "(expected pdf, text or auto)\n", opt.input_kind);
        return EXIT_USAGE;
    }

    e = make_engine(&code);
    if (opt.check_grammars) {
        if (code == EXIT_OK)
            fprintf(stderr, "ordex: %s: grammars OK\n", opt.check_grammars);
        goto done;
    }
    if (code != EXIT_OK)
        goto done;
    if (argc != 2) {
        fprintf(stderr, "ordex: expected one input file (see ordex --help)\n");
        code = EXIT_USAGE;
        goto done;
    }

    code = check_outputs(argv[1]);
    if (code != EXIT_OK)
        goto done;
    arm_watchdog(strcmp(argv[1], "-") == 0 ? "<stdin>" : argv[1], opt.timeout);
    st = ordex_document_open_file(e, argv[1], opt.password, &doc);
    if (st == ORDEX_OK && stage >= 0)
        st = ordex_document_dump(doc, (ordex_stage)stage, &out);
    else if (st == ORDEX_OK) {
        st = ordex_extract(doc, &res);
        if (st == ORDEX_OK) {
            gint64 t0 = g_get_monotonic_time();
            out = ordex_result_to_json(res, (opt.pretty ? ORDEX_JSON_PRETTY : 0)
                                                | (opt.binding_only ? ORDEX_JSON_BINDING_ONLY : 0));
            serialise = (double)(g_get_monotonic_time() - t0) / 1e6;
        }
    }
    if (st != ORDEX_OK) {
        code = cli_exit_for(st);
        goto done;
    }
    if (opt.highlight) {
        int n = 0;
        if (ordex_result_highlight(doc, res, opt.highlight, &n) != ORDEX_OK) {
            code = EXIT_OUTPUT;
            goto done;
        }
    }
    if (opt.ics) {
        cli_calendar *cal = cli_calendar_new();
        cli_calendar_add_document(cal, out, (long)strlen(out));
        code = cli_calendar_write(cal, opt.ics);
        cli_calendar_free(cal);
        if (code != EXIT_OK)
            goto done;
    }
    if (opt.profile)
        print_profile(doc, serialise);
    code = write_output(opt.output, out);
    if (code == EXIT_OK && res && ordex_result_incomplete(res))
        code = EXIT_INCOMPLETE;

done:
    ordex_free(out);
    ordex_result_free(res);
    ordex_document_free(doc);
    ordex_engine_free(e);
    g_free(opt.dump);
    g_free(opt.output);
    g_free(opt.password);
    g_free(opt.input_kind);
    g_free(opt.encoding);
    g_free(opt.check_grammars);
    g_free(opt.print_grammars);
    g_free(opt.highlight);
    g_free(opt.ics);
    g_free(opt.ocr);
    g_strfreev(opt.grammar_dirs);
    return code;
}
