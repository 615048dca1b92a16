/*
 * cli_batch.c - `ordex batch`: many documents in, one JSON Lines file out.
 *
 * Part of the ordex command, not of the library: a client of ordex.h only.
 * The parent builds the input list (files, folders walked for *.pdf,
 * @LIST files; sorted by path, duplicates dropped), compiles one engine,
 * then forks one worker process per document.  Fork per document rather
 * than persistent workers because it isolates every document completely
 * (a crash, a hang, a leak or a corrupted heap in Poppler dies with its
 * process and cannot poison the next document), it costs little next to
 * a PDF parse (the compiled grammars are shared copy-on-write), and there
 * is no worker protocol to recover after a death.  The parent never
 * starts a thread, so fork() is safe.  A worker applies RLIMIT_AS
 * (--max-memory), parses its document and sends one message through a
 * pipe; its standard error goes to an unlinked temporary file whose last
 * line ends up in crash messages.  The parent polls the pipes, kills a
 * worker past --timeout with SIGKILL, retries a worker that crashed,
 * hung or ran out of memory once, and then writes an error record; the
 * batch always goes on.
 *
 * Output: one line per document, written with a single write() on an
 * O_APPEND descriptor as soon as the document is done (or, with
 * --sorted, when its turn comes).  Without --resume an existing output
 * file is truncated and rewritten in place, so that a run killed at any
 * moment leaves complete lines plus at most one partial last line, which
 * --resume removes before processing exactly the inputs that have no
 * complete line yet (--retry-failed: or only an error record).  A write
 * that fails (a full disk) cuts a regular output file back to its last
 * complete line and stops the run; only documents whose lines are out
 * count in the summary.
 *
 * Test-only hook: with ORDEX_BATCH_TEST_HOOKS=1 in the environment, a
 * worker whose input's base name starts with "crash-" calls abort(),
 * "hang-" sleeps forever and "oom-" allocates memory without bound.  The
 * fault tests (tests/run_batch.sh) use it; it is not a feature.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cli.h"
#include "ordex.h"

static const char batch_help[] =
    "Each INPUT is a PDF, a folder (searched recursively for *.pdf) or\n"
    "@LIST, a file of paths one a line (@- reads standard input).  The\n"
    "inputs are sorted by path; duplicates are dropped.  Every document\n"
    "gives one line of JSON: its record, or\n"
    "  {\"source\":{\"file\":PATH},\"error\":{\"code\":C,\"exit\":N,\"message\":M}}\n"
    "with C one of io, not_pdf, corrupt, encrypted, empty, utf8, limit,\n"
    "timeout, memory, crash, internal, or output (the --highlight-dir copy\n"
    "could not be written).  These lines are valid under the JSON schema\n"
    "(schema/ordex.schema.json).  --resume keeps the complete lines of -o\n"
    "FILE and processes the other inputs; --retry-failed also processes\n"
    "the inputs whose line is an error record again.\n"
    "\n"
    "Exit status:\n"
    "  0  every document succeeded\n"
    "  2  usage error\n"
    "  3  a grammar folder cannot be read\n"
    "  6  error in a grammar file\n"
    "  7  output cannot be written\n"
    " 10  some documents failed (error records written)\n"
    " 130, 143  interrupted by SIGINT, SIGTERM (rerun with --resume)\n";

static struct {
    char *output;
    char *shard;
    char *failed;
    char *ocr;
    char *password;
    char *highlight_dir;
    char *ics;
    char **grammar_dirs;
    gboolean resume;
    gboolean retry_failed;
    gboolean progress;
    gboolean sorted;
    gboolean no_default_grammars;
    gboolean list;
    gboolean binding_only;
    gint jobs;
    gint timeout;
    gint max_memory;
    gint max_pages;
} bopt = {
    .timeout = 120, .max_memory = 2048, .max_pages = INT_MIN, /* INT_MIN: not given */
};

static GOptionEntry batch_entries[] = {
    {"jobs", 'j', 0, G_OPTION_ARG_INT, &bopt.jobs,
     "Run N workers at once (default: the number of cores)", "N"},
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &bopt.output,
     "Write the JSON Lines to FILE instead of standard output", "FILE"},
    {"resume", 0, 0, G_OPTION_ARG_NONE, &bopt.resume,
     "Keep the complete lines of FILE and process only the rest", NULL},
    {"retry-failed", 0, 0, G_OPTION_ARG_NONE, &bopt.retry_failed,
     "Like --resume, but also process again the inputs whose line is an "
     "error record (their lines are replaced)", NULL},
    {"password", 0, 0, G_OPTION_ARG_STRING, &bopt.password,
     "Password of the encrypted PDFs", "PASSWORD"},
    {"max-pages", 0, 0, G_OPTION_ARG_INT, &bopt.max_pages,
     "Refuse documents of more than N pages (default 10000, 0: no limit)",
     "N"},
    {"highlight-dir", 0, 0, G_OPTION_ARG_FILENAME, &bopt.highlight_dir,
     "Also write a highlighted copy of each PDF to DIR/INPUT (the input's "
     "path below DIR)", "DIR"},
    {"progress", 0, 0, G_OPTION_ARG_NONE, &bopt.progress,
     "Print the progress line even when standard error is not a terminal "
     "(then a line a second)", NULL},
    {"sorted", 0, 0, G_OPTION_ARG_NONE, &bopt.sorted,
     "Write the lines in input order (default: as documents finish)", NULL},
    {"timeout", 0, 0, G_OPTION_ARG_INT, &bopt.timeout,
     "Kill a worker after SEC seconds (default 120, 0: never)", "SEC"},
    {"max-memory", 0, 0, G_OPTION_ARG_INT, &bopt.max_memory,
     "Address space of a worker in MB (default 2048, 0: no limit)", "MB"},
    {"ocr", 0, 0, G_OPTION_ARG_STRING, &bopt.ocr,
     "OCR pages without a usable text layer: auto, always or never "
     "(default auto)", "WHEN"},
    {"ics", 0, 0, G_OPTION_ARG_FILENAME, &bopt.ics,
     "Also write every dated deadline as an iCalendar event (cli_ics.c)",
     "FILE.ics"},
    {"shard", 0, 0, G_OPTION_ARG_STRING, &bopt.shard,
     "Process only the inputs i (0-based) with i % N == K-1", "K/N"},
    {"failed", 0, 0, G_OPTION_ARG_FILENAME, &bopt.failed,
     "Write the paths of the failed inputs to FILE, one a line", "FILE"},
    {"grammars", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &bopt.grammar_dirs,
     "Add a folder of *.rules after the shipped ones (repeatable)", "DIR"},
    {"no-default-grammars", 0, 0, G_OPTION_ARG_NONE,
     &bopt.no_default_grammars, "Do not load the installed grammars", NULL},
    {"binding-only", 0, 0, G_OPTION_ARG_NONE, &bopt.binding_only,
     "Leave out directives and deadlines that bind no one (\"binding\": false)",
     NULL},
    {"list", 0, 0, G_OPTION_ARG_NONE, &bopt.list,
     "Print the inputs (of the --shard) one a line, in order, and exit",
     NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* One input document. */
typedef struct {
    char *path;
    int tries;       /* workers started for it */
    bool failed;     /* its line is an error record */
    bool finished;   /* its line exists (kept from before, or written) */
    char *line;      /* --sorted: the finished line, waiting for its turn */
    gint64 pages;    /* pages of its document, counted once its line is out */
} batch_job;

/* One running worker; job is an index into run[]. */
typedef cli_worker batch_slot;

typedef struct {
    ordex_engine *engine;
    GPtrArray *jobs;  /* batch_job *, every input in input order */
    GPtrArray *run;   /* borrowed batch_job *, the ones to process now */
    guint next_out;   /* --sorted: next index of run[] to write */
    GQueue queue;     /* GUINT_TO_POINTER(index into run[]) to start */
    batch_slot *slots;
    int n_slots;
    int n_running;
    int out_fd;
    const char *out_name;
    bool out_failed;
    bool stopping;    /* no more lines: workers are being killed */
    /* counts of this run */
    guint done, failed;
    gint64 pages;
    gint64 t0;
    gint64 last_progress;
    bool tty;
} batch_ctx;

static volatile sig_atomic_t stop_signal;
static cli_calendar *batch_ics; /* --ics: the events of every line */

static void on_stop_signal(int sig)
{
    stop_signal = sig;
}

/* ---- Input list ------------------------------------------------------ */

static bool has_pdf_suffix(const char *name)
{
    size_t n = strlen(name);
    return n >= 4 && g_ascii_strcasecmp(name + n - 4, ".pdf") == 0;
}

/* Adds every *.pdf below dir.  Symbolic links to folders are not
 * followed (no loops); links to files are.  Iterative, not recursive. */
static void walk_folder(const char *top, GPtrArray *out)
{
    GPtrArray *todo = g_ptr_array_new_with_free_func(g_free);

    g_ptr_array_add(todo, g_strdup(top));
    while (todo->len > 0) {
        char *dir = g_ptr_array_steal_index(todo, todo->len - 1);
        GError *err = NULL;
        GDir *d = g_dir_open(dir, 0, &err);
        const char *name;

        if (!d) {
            fprintf(stderr, "ordex batch: %s\n", err->message);
            g_error_free(err);
            g_free(dir);
            continue;
        }
        while ((name = g_dir_read_name(d))) {
            char *p = g_build_filename(dir, name, NULL);
            struct stat sb;
            if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
                g_ptr_array_add(todo, p);
            else if (has_pdf_suffix(name) && stat(p, &sb) == 0
                     && S_ISREG(sb.st_mode))
                g_ptr_array_add(out, p);
            else
                g_free(p);
        }
        g_dir_close(d);
        g_free(dir);
    }
    g_ptr_array_free(todo, TRUE);
}

static void add_input(const char *path, GPtrArray *out)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR))
        walk_folder(path, out);
    else
        g_ptr_array_add(out, g_strdup(path));
}

/* @LIST: one path a line; blank lines are skipped. */
static bool add_list(const char *list, GPtrArray *out)
{
    FILE *f = strcmp(list, "-") == 0 ? stdin : fopen(list, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool ok;

    if (!f) {
        fprintf(stderr, "ordex batch: %s: %s\n", list, g_strerror(errno));
        return false;
    }
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n > 0)
            add_input(line, out);
    }
    ok = !ferror(f);
    if (!ok)
        fprintf(stderr, "ordex batch: %s: %s\n", list, g_strerror(errno));
    free(line);
    if (f != stdin)
        fclose(f);
    return ok;
}

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void job_free(gpointer p)
{
    batch_job *j = p;
    g_free(j->path);
    g_free(j->line);
    g_free(j);
}

/* All inputs, sorted by path (byte order), each once. */
static GPtrArray *build_jobs(int argc, char **argv, bool *ok)
{
    GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *jobs = g_ptr_array_new_with_free_func(job_free);

    *ok = true;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '@')
            *ok = add_list(argv[i] + 1, paths) && *ok;
        else
            add_input(argv[i], paths);
    }
    g_ptr_array_sort(paths, cmp_str);
    for (guint i = 0; i < paths->len; i++) {
        const char *p = paths->pdata[i];
        batch_job *j;
        if (i > 0 && strcmp(p, paths->pdata[i - 1]) == 0)
            continue;
        j = g_new0(batch_job, 1);
        j->path = g_strdup(p);
        g_ptr_array_add(jobs, j);
    }
    g_ptr_array_free(paths, TRUE);
    return jobs;
}

/* ---- Output ------------------------------------------------------------ */

/* Writes text to path atomically: a temporary file beside it, then
 * rename.  Returns false (errno set) on failure, leaving nothing. */
static bool write_atomic(const char *path, const char *data, size_t len)
{
    char *dir = g_path_get_dirname(path);
    char *tmpl = g_build_filename(dir, ".ordex-batch-XXXXXX", NULL);
    int fd, saved = 0;
    bool ok;

    g_free(dir);
    fd = g_mkstemp(tmpl);
    if (fd < 0) {
        saved = errno;
        g_free(tmpl);
        errno = saved;
        return false;
    }
    ok = cli_write_all(fd, data, len) && fchmod(fd, 0644) == 0;
    if (!ok)
        saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && g_rename(tmpl, path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok)
        g_unlink(tmpl);
    g_free(tmpl);
    errno = saved;
    return ok;
}

static char *error_record(const char *path, const char *code, int exit_code,
                          const char *message)
{
    JsonBuilder *b = json_builder_new();
    JsonGenerator *gen = json_generator_new();
    JsonNode *root;
    char *s;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "source");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "file");
    json_builder_add_string_value(b, path);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "error");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "code");
    json_builder_add_string_value(b, code);
    json_builder_set_member_name(b, "exit");
    json_builder_add_int_value(b, exit_code);
    json_builder_set_member_name(b, "message");
    json_builder_add_string_value(b, message);
    json_builder_end_object(b);
    json_builder_end_object(b);
    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    s = json_generator_to_data(gen, NULL);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    return s;
}

/* Writes the line of job j and its newline with one write(), then frees
 * the line; the summary counts j only once its line is out.  When the
 * write fails (a full disk, a file size limit), a regular output file is
 * cut back to its last complete line, so that a reader never sees a
 * fragment, and no further line is written. */
static void put_line(batch_ctx *c, batch_job *j, char *line)
{
    size_t len = strlen(line);
    char *buf = g_malloc(len + 1);
    struct stat st;
    bool regular = false;
    off_t end = 0;

    memcpy(buf, line, len);
    buf[len] = '\n';
    if (!c->out_failed && fstat(c->out_fd, &st) == 0 && S_ISREG(st.st_mode)) {
        int fl = fcntl(c->out_fd, F_GETFL);
        /* where the line goes: the end with O_APPEND (-o), else the
         * offset (a standard output redirected to a file) */
        end = fl >= 0 && (fl & O_APPEND) ? st.st_size : lseek(c->out_fd, 0, SEEK_CUR);
        regular = end >= 0;
    }
    if (!c->out_failed && !cli_write_all(c->out_fd, buf, len + 1)) {
        int saved = errno;
        if (regular && ftruncate(c->out_fd, end) != 0)
            fprintf(stderr, "ordex batch: %s: cannot remove a partial line: %s\n",
                    c->out_name, g_strerror(errno));
        fprintf(stderr, "ordex batch: %s: cannot write: %s\n", c->out_name,
                g_strerror(saved));
        c->out_failed = true;
    } else if (!c->out_failed) {
        c->done++;
        c->pages += j->pages;
        c->failed += j->failed;
        if (batch_ics)
            cli_calendar_add_document(batch_ics, line, (long)len);
    }
    g_free(buf);
    g_free(line);
}

/* A document is done: its line goes out now, or with --sorted once every
 * document before it in the input order is out. */
static void emit_line(batch_ctx *c, guint idx, char *line)
{
    batch_job *j = c->run->pdata[idx];

    j->finished = true;
    if (!bopt.sorted) {
        put_line(c, j, line);
        return;
    }
    j->line = line;
    while (c->next_out < c->run->len) {
        batch_job *n = c->run->pdata[c->next_out];
        if (!n->finished)
            break;
        put_line(c, n, n->line);
        n->line = NULL;
        c->next_out++;
    }
}

/* ---- Resume -------------------------------------------------------------- */

/* The source.file of a complete JSON line, or NULL; *is_error says
 * whether it is an error record. */
static char *line_source(const char *line, gssize len, bool *is_error)
{
    JsonParser *p = json_parser_new();
    char *file = NULL;

    if (json_parser_load_from_data(p, line, len, NULL)) {
        JsonNode *root = json_parser_get_root(p);
        if (root && JSON_NODE_HOLDS_OBJECT(root)) {
            JsonObject *o = json_node_get_object(root);
            JsonNode *src = json_object_get_member(o, "source");
            if (src && JSON_NODE_HOLDS_OBJECT(src)) {
                JsonNode *f = json_object_get_member(
                    json_node_get_object(src), "file");
                if (f && JSON_NODE_HOLDS_VALUE(f)
                    && json_node_get_value_type(f) == G_TYPE_STRING)
                    file = g_strdup(json_node_get_string(f));
            }
            *is_error = json_object_has_member(o, "error");
        }
    }
    g_object_unref(p);
    return file;
}

/* Reads the existing output: fills done (path -> GINT_TO_POINTER(1 +
 * is_error)), truncates a partial last line, and rewrites the file when
 * a bad or repeated line sits before good ones.  With --retry-failed the
 * error records are dropped too (*retried counts them).  Returns false (message
 * printed) when the file cannot be read or repaired. */
static bool resume_scan(const char *path, GHashTable *done, guint *kept,
                        guint *retried)
{
    FILE *f = fopen(path, "r");
    GString *good = g_string_new(NULL);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    off_t good_end = 0, pos = 0;
    bool dropped = false, rewrite = false, ok = true;

    *kept = 0;
    *retried = 0;
    if (!f) {
        g_string_free(good, TRUE);
        if (errno == ENOENT)
            return true;
        fprintf(stderr, "ordex batch: %s: cannot read: %s\n", path,
                g_strerror(errno));
        return false;
    }
    while ((n = getline(&line, &cap, f)) >= 0) {
        bool is_error = false;
        char *file = NULL;

        pos += n;
        if (n > 0 && line[n - 1] == '\n')
            file = line_source(line, n - 1, &is_error);
        if (file && is_error && bopt.retry_failed
            && !g_hash_table_contains(done, file)) {
            /* dropped: the input runs again */
            (*retried)++;
            g_free(file);
            dropped = true;
        } else if (file && !g_hash_table_contains(done, file)) {
            g_hash_table_insert(done, file, GINT_TO_POINTER(1 + is_error));
            g_string_append_len(good, line, n);
            if (batch_ics)
                cli_calendar_add_document(batch_ics, line, (long)(n - 1));
            (*kept)++;
            good_end = pos;
            if (dropped)
                rewrite = true;
        } else {
            g_free(file);
            dropped = true;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "ordex batch: %s: cannot read: %s\n", path,
                g_strerror(errno));
        ok = false;
    }
    fclose(f);
    free(line);
    if (ok && rewrite && !write_atomic(path, good->str, good->len)) {
        fprintf(stderr, "ordex batch: %s: cannot write: %s\n", path,
                g_strerror(errno));
        ok = false;
    } else if (ok && !rewrite && dropped && truncate(path, good_end) != 0) {
        fprintf(stderr, "ordex batch: %s: cannot write: %s\n", path,
                g_strerror(errno));
        ok = false;
    }
    g_string_free(good, TRUE);
    return ok;
}

/* ---- Parent: scheduling ------------------------------------------------ */


/* The highlighted copy of path: DIR/path, with an absolute path's
 * leading "/" and every "." dropped and ".." written as "_", so that it
 * stays below DIR and inputs of the same name in different folders do
 * not collide. */
static char *highlight_path(const char *path)
{
    char **parts = g_strsplit(path, "/", -1);
    GPtrArray *keep = g_ptr_array_new();
    char *out;

    g_ptr_array_add(keep, bopt.highlight_dir);
    for (char **p = parts; *p; p++) {
        if (**p == '\0' || strcmp(*p, ".") == 0)
            continue;
        g_ptr_array_add(keep, strcmp(*p, "..") == 0 ? (char *)"_" : *p);
    }
    g_ptr_array_add(keep, NULL);
    out = g_build_filenamev((char **)keep->pdata);
    g_ptr_array_free(keep, TRUE);
    g_strfreev(parts);
    return out;
}

/* In a new worker: the descriptors of the other workers and the output
 * are not its business. */
static void close_in_child(void *data)
{
    batch_ctx *c = data;

    for (int i = 0; i < c->n_slots; i++) {
        if (c->slots[i].pid > 0) {
            close(c->slots[i].fd);
            if (c->slots[i].errfd >= 0)
                close(c->slots[i].errfd);
        }
    }
    if (c->out_fd != STDOUT_FILENO)
        close(c->out_fd);
}

static bool start_worker(batch_ctx *c, batch_slot *s, guint idx)
{
    batch_job *j = c->run->pdata[idx];
    char *hl = bopt.highlight_dir ? highlight_path(j->path) : NULL;
    cli_work w = {.name = j->path, .ocr = -1, .max_memory = bopt.max_memory,
                  .json_flags = bopt.binding_only ? ORDEX_JSON_BINDING_ONLY : 0,
                  .password = bopt.password, .highlight_path = hl};

    bool started = cli_worker_start(s, c->engine, &w, "ordex batch",
                                    close_in_child, c);

    g_free(hl);
    if (!started)
        return false;
    j->tries++;
    s->job = idx;
    c->n_running++;
    return true;
}

/* Ends a worker and decides its document's line, or a retry.
 * killed_why is non-NULL when the parent killed it (timeout). */
static void finish_worker(batch_ctx *c, batch_slot *s, const char *killed_why)
{
    guint idx = s->job;
    batch_job *j = c->run->pdata[idx];
    cli_outcome o;

    cli_worker_end(s, j->path, bopt.max_memory, killed_why, &o);
    c->n_running--;

    if (stop_signal || c->stopping) {
        /* interrupted: --resume redoes this document */
        g_free(o.line);
        g_free(o.message);
        return;
    }
    if (o.abnormal && j->tries < 2) {
        g_queue_push_head(&c->queue, GUINT_TO_POINTER(idx));
        g_free(o.message);
        return;
    }
    j->pages = o.pages;
    if (o.code) {
        j->failed = true;
        emit_line(c, idx, error_record(j->path, o.code, o.exit_code,
                                       o.message));
        g_free(o.message);
    } else {
        emit_line(c, idx, g_strchomp(o.line));
    }
}

static void kill_all(batch_ctx *c)
{
    c->stopping = true;
    for (int i = 0; i < c->n_slots; i++)
        if (c->slots[i].pid > 0)
            kill(c->slots[i].pid, SIGKILL);
    for (int i = 0; i < c->n_slots; i++)
        if (c->slots[i].pid > 0)
            finish_worker(c, &c->slots[i], "stopped");
}

/* The progress line: counts, speed, ETA, and the document that has been
 * running longest with its time so far, so that a stall is seen and
 * named.  On a terminal it is rewritten in place five times a second;
 * with --progress and no terminal a line a second is printed. */
static void show_progress(batch_ctx *c, bool force)
{
    gint64 now = g_get_monotonic_time();
    double secs = (double)(now - c->t0) / 1e6;
    guint total = c->run->len;
    char eta[32] = "--:--";
    const batch_slot *oldest = NULL;

    if (!c->tty && !bopt.progress)
        return;
    if (!force && now - c->last_progress < (c->tty ? 200000 : 1000000))
        return;
    c->last_progress = now;
    if (c->done > 0 && c->done < total) {
        long left = (long)(secs / c->done * (total - c->done) + 0.5);
        g_snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    } else if (c->done >= total) {
        g_strlcpy(eta, "0:00", sizeof eta);
    }
    for (int i = 0; i < c->n_slots; i++)
        if (c->slots[i].pid > 0
            && (!oldest || c->slots[i].started < oldest->started))
            oldest = &c->slots[i];
    fprintf(stderr, "%s[%u/%u] %" G_GINT64_FORMAT
                    " pages, %.1f pages/s, %u failed, ETA %s",
            c->tty ? "\r\033[K" : "", c->done, total, c->pages,
            secs > 0 ? (double)c->pages / secs : 0.0, c->failed, eta);
    if (oldest)
        fprintf(stderr, "; reading %s (%" G_GINT64_FORMAT " s)",
                ((const batch_job *)c->run->pdata[oldest->job])->path,
                (now - oldest->started) / G_USEC_PER_SEC);
    if (!c->tty)
        fputc('\n', stderr);
    fflush(stderr);
}

typedef struct {
    guint idx;
    goffset size;
} sized_job;

static int cmp_larger_first(gconstpointer a, gconstpointer b)
{
    const sized_job *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The start order.  In completion order, the largest files go first, so
 * that a long document does not start last and keep one worker busy
 * while the others idle.  With --sorted, input order, which keeps the
 * lines waiting for their turn few. */
static void queue_jobs(batch_ctx *c)
{
    GArray *a;

    if (bopt.sorted || c->n_slots < 2) {
        for (guint i = 0; i < c->run->len; i++)
            g_queue_push_tail(&c->queue, GUINT_TO_POINTER(i));
        return;
    }
    a = g_array_sized_new(FALSE, FALSE, sizeof(sized_job), c->run->len);
    for (guint i = 0; i < c->run->len; i++) {
        struct stat sb;
        sized_job sj = {i, 0};
        if (stat(((batch_job *)c->run->pdata[i])->path, &sb) == 0)
            sj.size = sb.st_size;
        g_array_append_val(a, sj);
    }
    g_array_sort(a, cmp_larger_first);
    for (guint i = 0; i < a->len; i++)
        g_queue_push_tail(&c->queue,
                          GUINT_TO_POINTER(g_array_index(a, sized_job, i).idx));
    g_array_free(a, TRUE);
}

/* Runs every job of c->run; returns false when output failed or a
 * worker could not be started. */
static bool run_jobs(batch_ctx *c)
{
    struct pollfd *pfd = g_new0(struct pollfd, c->n_slots);
    int *which = g_new0(int, c->n_slots);
    bool ok = true;

    queue_jobs(c);
    while (!stop_signal && !c->out_failed) {
        int n = 0, wait_ms = -1;
        gint64 now;

        for (int i = 0; i < c->n_slots && !g_queue_is_empty(&c->queue); i++) {
            if (c->slots[i].pid == 0) {
                guint idx = GPOINTER_TO_UINT(g_queue_pop_head(&c->queue));
                if (!start_worker(c, &c->slots[i], idx)) {
                    ok = false;
                    break;
                }
            }
        }
        if (!ok || c->n_running == 0)
            break;
        now = g_get_monotonic_time();
        for (int i = 0; i < c->n_slots; i++) {
            if (c->slots[i].pid == 0)
                continue;
            pfd[n].fd = c->slots[i].fd;
            pfd[n].events = POLLIN;
            pfd[n].revents = 0;
            which[n++] = i;
            if (bopt.timeout > 0) {
                gint64 left = c->slots[i].started
                              + (gint64)bopt.timeout * G_USEC_PER_SEC - now;
                int ms = left <= 0 ? 0 : (int)MIN(left / 1000 + 1, INT_MAX);
                wait_ms = wait_ms < 0 ? ms : MIN(wait_ms, ms);
            }
        }
        /* wake up now and then: progress, and a stop signal that came
         * between the check above and poll() */
        wait_ms = wait_ms < 0 ? 250 : MIN(wait_ms, 250);
        if (poll(pfd, (nfds_t)n, wait_ms) < 0 && errno != EINTR) {
            fprintf(stderr, "ordex batch: poll: %s\n", g_strerror(errno));
            ok = false;
            break;
        }
        for (int k = 0; k < n && !stop_signal; k++) {
            batch_slot *s = &c->slots[which[k]];
            if (pfd[k].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
                char buf[65536];
                ssize_t got = read(s->fd, buf, sizeof buf);
                if (got > 0)
                    g_string_append_len(s->buf, buf, got);
                else if (got == 0 || errno != EINTR)
                    finish_worker(c, s, NULL);
            }
        }
        now = g_get_monotonic_time();
        for (int i = 0; i < c->n_slots && bopt.timeout > 0 && !stop_signal;
             i++) {
            batch_slot *s = &c->slots[i];
            if (s->pid > 0
                && now - s->started >= (gint64)bopt.timeout * G_USEC_PER_SEC) {
                char *why = g_strdup_printf("%s: timeout after %d s",
                                            ((batch_job *)c->run->pdata[s->job])
                                                ->path,
                                            bopt.timeout);
                kill(s->pid, SIGKILL);
                finish_worker(c, s, why);
                g_free(why);
            }
        }
        show_progress(c, false);
    }
    kill_all(c);
    g_free(pfd);
    g_free(which);
    return ok && !c->out_failed;
}

/* ---- Engine ---------------------------------------------------------- */

static ordex_engine *make_engine(int *code)
{
    ordex_status st;
    ordex_engine *e = cli_engine_new(bopt.no_default_grammars,
                                     bopt.grammar_dirs, NULL, &st);

    ordex_engine_set_ocr(e, cli_ocr_mode(bopt.ocr));
    if (bopt.max_pages >= 0)
        ordex_engine_set_limit(e, ORDEX_LIMIT_MAX_PAGES, bopt.max_pages);
    *code = cli_exit_for(st);
    return e;
}

/* ---- Main -------------------------------------------------------------- */

static bool parse_shard(const char *s, int *k, int *n)
{
    char *end;
    long a, b;

    errno = 0;
    a = strtol(s, &end, 10);
    if (end == s || *end != '/' || errno)
        return false;
    s = end + 1;
    b = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno || b < 1 || b > INT_MAX || a < 1
        || a > b)
        return false;
    *k = (int)a;
    *n = (int)b;
    return true;
}

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "ordex batch: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see ordex batch --help)\n");
    return EXIT_USAGE;
}

static bool write_failed_list(batch_ctx *c)
{
    GString *s = g_string_new(NULL);
    bool ok;

    for (guint i = 0; i < c->jobs->len; i++) {
        batch_job *j = c->jobs->pdata[i];
        if (j->failed) {
            g_string_append(s, j->path);
            g_string_append_c(s, '\n');
        }
    }
    ok = write_atomic(bopt.failed, s->str, s->len);
    if (!ok)
        fprintf(stderr, "ordex batch: %s: cannot write: %s\n", bopt.failed,
                g_strerror(errno));
    g_string_free(s, TRUE);
    return ok;
}

static void free_options(void)
{
    g_free(bopt.output);
    g_free(bopt.shard);
    g_free(bopt.failed);
    g_free(bopt.ocr);
    g_free(bopt.password);
    g_free(bopt.highlight_dir);
    g_strfreev(bopt.grammar_dirs);
}

/* GLib's parser takes "-j 4" but not the make-style "-j4": split it.
 * Returns a new vector (free the container only, with g_free). */
static char **split_short_jobs(int *argc, char **argv)
{
    char **v = g_new0(char *, 2 * (gsize)*argc + 1);
    int n = 0;
    bool options = true;

    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            options = false;
        if (options && i > 0 && a[0] == '-' && a[1] == 'j'
            && g_ascii_isdigit(a[2])) {
            v[n++] = (char *)"-j";
            v[n++] = (char *)a + 2;
        } else {
            v[n++] = argv[i];
        }
    }
    if (n > 0)
        v[0] = (char *)"ordex batch"; /* for --help and messages */
    *argc = n;
    return v;
}

int cli_batch_main(int argc, char **argv)
{
    GOptionContext *ctx;
    char **args = split_short_jobs(&argc, argv);
    GError *err = NULL;
    GHashTable *done = NULL;
    batch_ctx c;
    struct sigaction sa;
    int code = EXIT_OK, shard_k = 1, shard_n = 1;
    guint kept = 0, kept_failed = 0, retried = 0;
    bool list_ok;
    double secs;

    memset(&c, 0, sizeof c);
    c.out_fd = -1;
    argv = args;
    ctx = g_option_context_new("INPUT...  - run ordex over many PDFs, "
                               "one JSON line each");
    g_option_context_add_main_entries(ctx, batch_entries, NULL);
    g_option_context_set_description(ctx, batch_help);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        code = usage("%s", err->message);
        g_error_free(err);
        g_option_context_free(ctx);
        free_options();
        g_free(args);
        return code;
    }
    g_option_context_free(ctx);
    if (argc < 2)
        code = usage("%s", "expected at least one input");
    else if (bopt.shard && !parse_shard(bopt.shard, &shard_k, &shard_n))
        code = usage("bad --shard '%s' (expected K/N with 1 <= K <= N)",
                     bopt.shard);
    else if (bopt.ocr && cli_ocr_mode(bopt.ocr) < 0)
        code = usage("unknown --ocr mode '%s' (expected auto, always or never)",
                     bopt.ocr);
    else if (bopt.jobs < 0)
        code = usage("%s", "-j must be at least 1");
    else if (bopt.timeout < 0)
        code = usage("%s", "--timeout must be 0 or more seconds");
    else if (bopt.max_memory < 0)
        code = usage("%s", "--max-memory must be 0 or more MB");
    else if (bopt.max_pages != INT_MIN && bopt.max_pages < 0)
        code = usage("%s", "--max-pages must be 0 or more");
    else if ((bopt.resume || bopt.retry_failed)
             && (!bopt.output || strcmp(bopt.output, "-") == 0))
        code = usage("%s", bopt.retry_failed ? "--retry-failed needs -o FILE"
                                             : "--resume needs -o FILE");
    if (code != EXIT_OK) {
        free_options();
        g_free(args);
        return code;
    }
    if (bopt.output && strcmp(bopt.output, "-") == 0)
        g_clear_pointer(&bopt.output, g_free);
    if (bopt.retry_failed)
        bopt.resume = TRUE;

    c.jobs = build_jobs(argc, argv, &list_ok);
    if (!list_ok) {
        code = EXIT_USAGE;
        goto done;
    }
    if (bopt.list) {
        for (guint i = (guint)shard_k - 1; i < c.jobs->len; i += shard_n)
            printf("%s\n", ((batch_job *)c.jobs->pdata[i])->path);
        if (fflush(stdout) != 0) {
            fprintf(stderr, "ordex batch: <stdout>: %s\n", g_strerror(errno));
            code = EXIT_OUTPUT;
        }
        goto done;
    }
    c.engine = make_engine(&code);
    if (code != EXIT_OK)
        goto done;

    /* The output, with what a previous run finished. */
    c.out_name = bopt.output ? bopt.output : "<stdout>";
    done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (bopt.ics)
        batch_ics = cli_calendar_new();
    if (bopt.resume && !resume_scan(bopt.output, done, &kept, &retried)) {
        code = EXIT_OUTPUT;
        goto done;
    }
    if (bopt.output) {
        c.out_fd = open(bopt.output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC
                                         | (bopt.resume ? 0 : O_TRUNC),
                        0644);
        if (c.out_fd < 0) {
            fprintf(stderr, "ordex batch: %s: cannot write: %s\n",
                    bopt.output, g_strerror(errno));
            code = EXIT_OUTPUT;
            goto done;
        }
    } else {
        c.out_fd = STDOUT_FILENO;
    }

    /* This run: the shard, less what is done. */
    c.run = g_ptr_array_new();
    for (guint i = 0; i < c.jobs->len; i++) {
        batch_job *j = c.jobs->pdata[i];
        gpointer prev;
        if ((int)(i % (guint)shard_n) != shard_k - 1)
            continue;
        prev = g_hash_table_lookup(done, j->path);
        if (prev) {
            j->finished = true;
            j->failed = GPOINTER_TO_INT(prev) == 2;
            kept_failed += j->failed;
            continue;
        }
        g_ptr_array_add(c.run, j);
    }
    if (bopt.resume && (kept > 0 || retried > 0))
        fprintf(stderr, "ordex batch: %s: %u documents already done "
                        "(%u failed), %u to go%s\n", bopt.output, kept,
                kept_failed, c.run->len,
                retried ? " (failed ones again)" : "");

    c.n_slots = bopt.jobs > 0 ? bopt.jobs : (int)g_get_num_processors();
    if (c.n_slots > (int)c.run->len)
        c.n_slots = c.run->len > 0 ? (int)c.run->len : 1;
    c.slots = g_new0(batch_slot, c.n_slots);
    for (int i = 0; i < c.n_slots; i++)
        c.slots[i].errfd = -1;
    c.tty = isatty(STDERR_FILENO) == 1;
    c.t0 = g_get_monotonic_time();

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (!run_jobs(&c))
        code = c.out_failed ? EXIT_OUTPUT : EXIT_INTERNAL;
    if (c.tty) {
        show_progress(&c, true);
        fprintf(stderr, "\r\033[K");
    }
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);

    secs = (double)(g_get_monotonic_time() - c.t0) / 1e6;
    if (stop_signal) {
        fprintf(stderr, "ordex batch: stopped by %s after %u of %u "
                        "documents; rerun with --resume to finish\n",
                cli_signal_name(stop_signal), c.done, c.run->len);
        code = 128 + stop_signal;
        goto done;
    }
    fprintf(stderr, "ordex batch: %u documents, %" G_GINT64_FORMAT
                    " pages, %u failed, %.1f s (%.1f pages/s)",
            c.done, c.pages, c.failed, secs,
            secs > 0 ? (double)c.pages / secs : 0.0);
    if (kept_failed > 0)
        fprintf(stderr, "; %u failed in an earlier run (--retry-failed runs "
                        "them again)", kept_failed);
    fputc('\n', stderr);
    if (code == EXIT_OK && batch_ics)
        code = cli_calendar_write(batch_ics, bopt.ics);
    if (code == EXIT_OK && bopt.failed && !write_failed_list(&c))
        code = EXIT_OUTPUT;
    if (code == EXIT_OK && c.failed + kept_failed > 0)
        code = EXIT_BATCH_FAILED;

done:
    if (c.out_fd >= 0 && c.out_fd != STDOUT_FILENO && close(c.out_fd) != 0
        && code == EXIT_OK) {
        fprintf(stderr, "ordex batch: %s: cannot write: %s\n", c.out_name,
                g_strerror(errno));
        code = EXIT_OUTPUT;
    }
    g_queue_clear(&c.queue);
    g_free(c.slots);
    if (c.run)
        g_ptr_array_free(c.run, TRUE);
    if (c.jobs)
        g_ptr_array_free(c.jobs, TRUE);
    if (done)
        g_hash_table_destroy(done);
    ordex_engine_free(c.engine);
    cli_calendar_free(batch_ics);
    batch_ics = NULL;
    free_options();
    g_free(args);
    return code;
}
