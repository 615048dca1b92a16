/*
 * main.c - the ordex command: a thin client of include/ordex.h.
 *
 * Parses the command line with GLib's option parser, sets up one engine,
 * runs one document through the library and writes its JSON (or a dump
 * of an intermediate stage) to standard output or, atomically, to -o.
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

static const char exit_codes_help[] =
    "Exit status:\n"
    "  0  success\n"
    "  1  internal error\n"
    "  2  usage error\n"
    "  3  input missing, unreadable or a directory\n"
    "  4  not a PDF, damaged or truncated PDF, empty file, invalid UTF-8\n"
    "  5  encrypted PDF and no or a wrong password\n"
    "  6  error in a grammar file\n"
    "  7  output cannot be written\n"
    "  8  a limit was exceeded (--max-pages, --max-page-text, --timeout)\n"
    "  9  JSON written, but some pages had no readable text (see warnings)\n"
    " 10  batch: some documents failed (error records written)\n";

static struct {
    char *dump;
    char *output;
    char *password;
    char *input_kind;
    char **grammar_dirs;
    char *check_grammars;
    char *highlight;
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
} opt = {
    .max_pages = -1, .max_page_text = -1, .timeout = -1, .regex_time = -1,
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
    {"ocr", 0, 0, G_OPTION_ARG_STRING, &opt.ocr,
     "OCR pages without a usable text layer: auto, always or never "
     "(default auto)", "WHEN"},
    {"password", 0, 0, G_OPTION_ARG_STRING, &opt.password,
     "Password of an encrypted PDF", "PASSWORD"},
    {"input", 0, 0, G_OPTION_ARG_STRING, &opt.input_kind,
     "Input kind: pdf, text or auto (default: auto, by name and content)",
     "KIND"},
    {"grammars", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.grammar_dirs,
     "Add a folder of *.rules after the installed ones (repeatable)", "DIR"},
    {"no-default-grammars", 0, 0, G_OPTION_ARG_NONE, &opt.no_default_grammars,
     "Do not load the installed grammars", NULL},
    {"check-grammars", 0, 0, G_OPTION_ARG_FILENAME, &opt.check_grammars,
     "Check the grammars of DIR (with the installed ones) and exit", "DIR"},
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

    if (opt.max_pages >= 0)
        ordex_engine_set_limit(e, ORDEX_LIMIT_MAX_PAGES, opt.max_pages);
    if (opt.max_page_text >= 0)
        ordex_engine_set_limit(e, ORDEX_LIMIT_MAX_PAGE_TEXT, opt.max_page_text);
    if (opt.timeout >= 0)
        ordex_engine_set_limit(e, ORDEX_LIMIT_MAX_SECONDS, opt.timeout);
    if (opt.regex_time >= 0)
        ordex_engine_set_limit(e, ORDEX_LIMIT_REGEX_TIME, opt.regex_time);
    ordex_engine_set_ocr(e, cli_ocr_mode(opt.ocr));
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

/* Writes data to path atomically: a temporary file in the same folder,
 * then rename.  Nothing is left behind on failure. */
static int write_output(const char *path, const char *data)
{
    size_t len = strlen(data);
    char *dir, *tmpl;
    int fd, code = EXIT_OK;

    if (!path || strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "ordex: <stdout>: %s\n", g_strerror(errno));
            return EXIT_OUTPUT;
        }
        return EXIT_OK;
    }
    dir = g_path_get_dirname(path);
    tmpl = g_build_filename(dir, ".ordex-XXXXXX", NULL);
    g_free(dir);
    fd = g_mkstemp(tmpl);
    if (fd < 0) {
        fprintf(stderr, "ordex: %s: cannot write: %s\n", path, g_strerror(errno));
        g_free(tmpl);
        return EXIT_OUTPUT;
    }
    g_strlcpy(tmp_path, tmpl, sizeof tmp_path);
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            code = EXIT_OUTPUT;
            break;
        }
        off += (size_t)w;
    }
    if (code == EXIT_OK && fchmod(fd, 0644) != 0)
        code = EXIT_OUTPUT;
    if (close(fd) != 0)
        code = EXIT_OUTPUT;
    if (code == EXIT_OK && g_rename(tmpl, path) != 0)
        code = EXIT_OUTPUT;
    if (code != EXIT_OK) {
        fprintf(stderr, "ordex: %s: cannot write: %s\n", path, g_strerror(errno));
        g_unlink(tmpl);
    }
    tmp_path[0] = '\0';
    g_free(tmpl);
    return code;
}

static bool looks_like_text(const char *path)
{
    if (opt.input_kind && strcmp(opt.input_kind, "text") == 0)
        return true;
    if (opt.input_kind && strcmp(opt.input_kind, "pdf") == 0)
        return false;
    return g_str_has_suffix(path, ".txt") || g_str_has_suffix(path, ".TXT");
}

static ordex_status open_input(ordex_engine *e, const char *path,
                               ordex_document **doc)
{
    if (looks_like_text(path)) {
        char *data = NULL;
        gsize len = 0;
        GError *err = NULL;
        ordex_status st;
        bool is_stdin = strcmp(path, "-") == 0;

        if (is_stdin) {
            GString *s = g_string_new(NULL);
            char buf[65536];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
                g_string_append_len(s, buf, (gssize)n);
            len = s->len;
            data = g_string_free(s, FALSE);
        } else if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
            fprintf(stderr, "ordex: %s: is a directory\n", path);
            return ORDEX_ERR_IO;
        } else if (!g_file_get_contents(path, &data, &len, &err)) {
            fprintf(stderr, "ordex: %s: %s\n", path,
                    g_strerror(err->code == G_FILE_ERROR_NOENT ? ENOENT
                               : err->code == G_FILE_ERROR_ACCES ? EACCES
                                                                   : EIO));
            g_error_free(err);
            return ORDEX_ERR_IO;
        }
        st = ordex_document_open_text(e, data, len,
                                      is_stdin ? "<stdin>" : path, doc);
        g_free(data);
        return st;
    }
    return ordex_document_open_file(e, path, opt.password, doc);
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

    ctx = g_option_context_new("FILE  - extract orders, deadlines and names from a court PDF");
    g_option_context_add_main_entries(ctx, entries, NULL);
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
    if (opt.highlight && opt.dump) {
        fprintf(stderr, "ordex: --highlight cannot be combined with --dump\n");
        return EXIT_USAGE;
    }
    if (opt.ocr && cli_ocr_mode(opt.ocr) < 0) {
        fprintf(stderr, "ordex: unknown --ocr mode '%s' "
                        "(expected auto, always or never)\n", opt.ocr);
        return EXIT_USAGE;
    }
    if (opt.input_kind && strcmp(opt.input_kind, "pdf") != 0
        && strcmp(opt.input_kind, "text") != 0
        && strcmp(opt.input_kind, "auto") != 0) {
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

    arm_watchdog(strcmp(argv[1], "-") == 0 ? "<stdin>" : argv[1], opt.timeout);
    st = open_input(e, argv[1], &doc);
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
    g_free(opt.check_grammars);
    g_free(opt.highlight);
    g_free(opt.ocr);
    g_strfreev(opt.grammar_dirs);
    return code;
}
