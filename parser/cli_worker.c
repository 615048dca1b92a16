/*
 * cli_worker.c - one worker process per document, for `ordex batch` and
 * `ordex serve`.
 *
 * Part of the ordex command, not of the library: a client of ordex.h only.
 * The caller compiles one engine and forks a worker per document (the
 * compiled grammars are shared copy-on-write); the caller must not have
 * started a thread.  A worker applies RLIMIT_AS (max_memory), parses its
 * document, from a file or from bytes in memory, and sends one message
 * through a pipe; its standard error goes to an unlinked temporary file
 * whose last line ends up in crash messages.  The caller polls the pipe
 * (appending to buf), kills a worker it gives up on with SIGKILL, and
 * then calls cli_worker_end, which reaps the process and says what became
 * of the document: its reply, an error of the library, or a crash, a
 * timeout or an exhausted memory limit.
 *
 * Test-only hook: with ORDEX_BATCH_TEST_HOOKS=1 in the environment, a
 * worker whose document's base name starts with "crash-" calls abort(),
 * "hang-" sleeps forever, "slow-" sleeps two seconds before it goes on, and
 * "oom-" allocates memory without bound.  The
 * fault tests (tests/run_batch.sh, tests/test_serve.py) use it; it is
 * not a feature.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib.h>
#include <glib/gstdio.h>

#include "cli.h"
#include "ordex.h"

/* Sanitizer builds reserve terabytes of address space: no RLIMIT_AS. */
#if defined(__SANITIZE_ADDRESS__)
#define BATCH_NO_RLIMIT_AS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BATCH_NO_RLIMIT_AS 1
#endif
#endif

const char *cli_signal_name(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGABRT, "SIGABRT"}, {SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"},
        {SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"},
        {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},   {SIGPIPE, "SIGPIPE"},
        {SIGXCPU, "SIGXCPU"}, {SIGTRAP, "SIGTRAP"}, {SIGSYS, "SIGSYS"},
        {SIGHUP, "SIGHUP"},   {SIGQUIT, "SIGQUIT"}, {SIGXFSZ, "SIGXFSZ"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (names[i].sig == sig)
            return names[i].name;
    return "an unknown signal";
}

/* What a worker sends instead of a library status when the document was
 * read but its highlight_path copy could not be written. */
#define WORKER_OUTPUT_FAILED 100

/* The stable error code and exit status of a library status (or of
 * WORKER_OUTPUT_FAILED). */
static const char *status_code(int st, int *exit_code)
{
    if (st == WORKER_OUTPUT_FAILED) {
        *exit_code = EXIT_OUTPUT;
        return "output";
    }
    switch ((ordex_status)st) {
    case ORDEX_ERR_IO: *exit_code = EXIT_INPUT; return "io";
    case ORDEX_ERR_NOT_PDF: *exit_code = EXIT_BAD_PDF; return "not_pdf";
    case ORDEX_ERR_CORRUPT: *exit_code = EXIT_BAD_PDF; return "corrupt";
    case ORDEX_ERR_ENCRYPTED: *exit_code = EXIT_ENCRYPTED; return "encrypted";
    case ORDEX_ERR_EMPTY: *exit_code = EXIT_BAD_PDF; return "empty";
    case ORDEX_ERR_UTF8: *exit_code = EXIT_BAD_PDF; return "utf8";
    case ORDEX_ERR_LIMIT: *exit_code = EXIT_LIMIT; return "limit";
    case ORDEX_OK:
    case ORDEX_ERR_ARG:
    case ORDEX_ERR_GRAMMAR:
    case ORDEX_ERR_INTERNAL: break;
    }
    *exit_code = EXIT_INTERNAL;
    return "internal";
}

/* ---- Worker ---------------------------------------------------------- */

static int worker_fd = -1;
static GString *worker_msg;
static pid_t worker_parent;  /* the parent's pid, seen from a worker */

static void worker_error(const char *message, void *user_data)
{
    (void)user_data;
    if (worker_msg->len == 0)
        g_string_append(worker_msg, message);
}

/* GLib reports a failed allocation with g_error("... failed to allocate
 * N bytes") and aborts; tell the parent first with one byte. */
static void worker_log(const gchar *domain, GLogLevelFlags level,
                       const gchar *message, gpointer data)
{
    if ((level & G_LOG_LEVEL_ERROR) && message
        && strstr(message, "failed to allocate") && worker_fd >= 0) {
        ssize_t w = write(worker_fd, "M", 1);
        (void)w;
    }
    g_log_default_handler(domain, level, message, data);
}

static void test_hooks(const char *path, int max_memory)
{
    const char *hooks = g_getenv("ORDEX_BATCH_TEST_HOOKS");
    char *base;

    if (!hooks || strcmp(hooks, "1") != 0)
        return;
    base = g_path_get_basename(path);
    if (g_str_has_prefix(base, "crash-"))
        abort();
    if (g_str_has_prefix(base, "hang-"))
        for (;;)
            pause();
    if (g_str_has_prefix(base, "slow-"))
        g_usleep(2 * G_USEC_PER_SEC);
    if (g_str_has_prefix(base, "oom-")) {
        /* Without RLIMIT_AS (sanitizer builds) fail as GLib would once
         * four times the limit is held, rather than eat the machine. */
        gsize chunk = 16u << 20, held = 0;
        gsize cap = (gsize)(max_memory > 0 ? max_memory : 2048) << 22;
        for (;;) {
            char *p = g_malloc(chunk);
            memset(p, 1, chunk);
            held += chunk;
            if (held > cap)
                g_error("oom hook: failed to allocate %" G_GSIZE_FORMAT
                        " bytes", chunk);
        }
    }
    g_free(base);
}

/* Opens the document of work: the file, PDF bytes, or text.  Text is
 * decoded by the library: in the declared charset when there is one
 * (ordex_engine_set_encoding), else as the CLI decodes it (UTF-8 when
 * valid, else what ICU's charset detector finds). */
static ordex_status open_work(ordex_engine *e, const cli_work *w,
                              ordex_document **doc)
{
    if (!w->data)
        return ordex_document_open_file(e, w->name, w->password, doc);
    if (!w->is_text) {
        /* declared a PDF (application/pdf): never read as text */
        ordex_status st = ordex_engine_set_input(e, ORDEX_INPUT_PDF);
        if (st != ORDEX_OK)
            return st;
        return ordex_document_open_memory(e, w->data, w->len, w->password,
                                          w->name, doc);
    }
    if (w->charset) {
        ordex_status st = ordex_engine_set_encoding(e, w->charset);
        if (st != ORDEX_OK)
            return st;
    }
    return ordex_document_open_text(e, w->data, w->len, w->name, doc);
}

/* The highlighted copy of the PDF, through an unlinked temporary file
 * that the worker names itself. */
static ordex_status highlight_bytes(ordex_document *doc,
                                    const ordex_result *res, char **out,
                                    size_t *len)
{
    char *name = NULL;
    gsize n = 0;
    int fd = g_file_open_tmp("ordex-serve-XXXXXX.pdf", &name, NULL);
    ordex_status st;

    if (fd < 0)
        return ORDEX_ERR_INTERNAL;
    close(fd);
    st = ordex_result_highlight(doc, res, name, NULL);
    if (st == ORDEX_OK && !g_file_get_contents(name, out, &n, NULL))
        st = ORDEX_ERR_INTERNAL;
    *len = n;
    g_unlink(name);
    g_free(name);
    return st;
}

/* The copy of a PDF at w->highlight_path (text inputs have none).  An
 * error (ORDEX_ERR_IO, reported) when it cannot be written. */
static ordex_status highlight_to(ordex_document *doc, const ordex_result *res,
                                 const char *out)
{
    char *dir = g_path_get_dirname(out);
    ordex_status st = ORDEX_OK;

    if (g_mkdir_with_parents(dir, 0755) != 0) {
        g_string_printf(worker_msg, "%s: cannot write: %s", out,
                        g_strerror(errno));
        st = ORDEX_ERR_IO;
    } else {
        st = ordex_result_highlight(doc, res, out, NULL);
        if (st == ORDEX_ERR_ARG) /* text input: nothing to highlight */
            st = ORDEX_OK;
    }
    g_free(dir);
    return st;
}

/* Runs in the child: parses one document and sends
 *   "R PAGES INCOMPLETE\nREPLY\n"  or  "E STATUS PAGES\nMESSAGE\n"
 * where REPLY is the JSON (or the highlighted PDF) as ordex_result_to_json
 * made it, then exits 0.  Any other end (signal, exit status) is a crash. */
G_GNUC_NORETURN static void worker_main(ordex_engine *e, const cli_work *w,
                                        int fd, int errfd)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    ordex_status st;
    char *reply = NULL;
    size_t reply_len = 0;
    GString *msg;
    int pages = 0;
    bool ok;

    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != worker_parent)
        _exit(4); /* the parent died before we could ask to follow it */
    if (errfd >= 0) {
        dup2(errfd, STDERR_FILENO);
        close(errfd);
    }
#ifndef BATCH_NO_RLIMIT_AS
    if (w->max_memory > 0) {
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)w->max_memory << 20;
        if (setrlimit(RLIMIT_AS, &rl) != 0)
            fprintf(stderr, "ordex: setrlimit: %s\n", g_strerror(errno));
    }
#endif
    worker_fd = fd;
    g_log_set_default_handler(worker_log, NULL);
    worker_msg = g_string_new(NULL);
    ordex_engine_set_error_handler(e, worker_error, NULL);
    if (w->ocr >= 0)
        ordex_engine_set_ocr(e, (ordex_ocr_mode)w->ocr);
    test_hooks(w->name, w->max_memory);

    st = open_work(e, w, &doc);
    if (st == ORDEX_OK) {
        pages = ordex_document_page_count(doc);
        st = ordex_extract(doc, &res);
    }
    if (st == ORDEX_OK && w->highlight_path
        && highlight_to(doc, res, w->highlight_path) != ORDEX_OK)
        st = (ordex_status)WORKER_OUTPUT_FAILED;
    if (st == ORDEX_OK && w->highlight) {
        st = highlight_bytes(doc, res, &reply, &reply_len);
        if (st == ORDEX_ERR_INTERNAL && worker_msg->len == 0)
            g_string_printf(worker_msg, "%s: cannot make the highlighted "
                                        "copy", w->name);
    } else if (st == ORDEX_OK) {
        char *json = ordex_result_to_json(res, w->json_flags);
        if (!json) {
            st = ORDEX_ERR_INTERNAL;
            g_string_assign(worker_msg, "cannot serialise the result");
        } else {
            reply = g_strdup(json);
            reply_len = strlen(json);
            ordex_free(json);
        }
    }
    msg = g_string_new(NULL);
    if (st == ORDEX_OK) {
        g_string_printf(msg, "R %d %d\n", pages,
                        ordex_result_incomplete(res) ? 1 : 0);
        g_string_append_len(msg, reply, (gssize)reply_len);
    } else {
        g_string_printf(msg, "E %d %d\n", (int)st, pages);
        if (st == (ordex_status)WORKER_OUTPUT_FAILED && worker_msg->len == 0)
            g_string_append_printf(msg, "%s: cannot write the highlighted copy",
                                   w->name);
        else if (worker_msg->len > 0)
            g_string_append(msg, worker_msg->str);
        else
            g_string_append_printf(msg, "%s: %s", w->name, ordex_strerror(st));
    }
    g_string_append_c(msg, '\n');
    ok = cli_write_all(fd, msg->str, msg->len);
    g_string_free(msg, TRUE);
    g_string_free(worker_msg, TRUE);
    g_free(reply);
    ordex_result_free(res);
    ordex_document_free(doc);
    _exit(ok ? 0 : 3);
}

/* ---- Parent ------------------------------------------------------------ */

static int make_errfd(void)
{
    char *name = NULL;
    GError *err = NULL;
    int fd = g_file_open_tmp("ordex-batch-XXXXXX", &name, &err);

    if (fd < 0) {
        g_error_free(err);
        return -1;
    }
    g_unlink(name);
    g_free(name);
    return fd;
}

bool cli_worker_start(cli_worker *s, ordex_engine *e, const cli_work *w,
                      const char *prog, void (*in_child)(void *),
                      void *data)
{
    int p[2];
    pid_t pid;

    if (pipe(p) != 0) {
        fprintf(stderr, "%s: pipe: %s\n", prog, g_strerror(errno));
        return false;
    }
    s->errfd = make_errfd();
    fflush(stdout);
    fflush(stderr);
    worker_parent = getpid();
    pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: fork: %s\n", prog, g_strerror(errno));
        close(p[0]);
        close(p[1]);
        if (s->errfd >= 0)
            close(s->errfd);
        s->errfd = -1;
        return false;
    }
    if (pid == 0) {
        close(p[0]);
        if (in_child)
            in_child(data);
        worker_main(e, w, p[1], s->errfd);
    }
    close(p[1]);
    s->pid = pid;
    s->fd = p[0];
    s->started = g_get_monotonic_time();
    s->buf = g_string_new(NULL);
    return true;
}

/* The last non-empty line the worker wrote on standard error, or NULL. */
static char *last_stderr_line(int fd)
{
    char buf[4096];
    off_t size = lseek(fd, 0, SEEK_END);
    off_t from;
    ssize_t n;
    char *end, *start;

    if (size <= 0)
        return NULL;
    from = size > (off_t)sizeof buf - 1 ? size - (off_t)sizeof buf + 1 : 0;
    n = pread(fd, buf, sizeof buf - 1, from);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    end = buf + strlen(buf);
    while (end > buf && (end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    start = strrchr(buf, '\n');
    start = start ? start + 1 : buf;
    return *start ? g_utf8_make_valid(start, -1) : NULL;
}

static void judge_worker(cli_worker *s, const char *path, int max_memory,
                         int status, pid_t r, const struct rusage *ru,
                         const char *killed_why, cli_outcome *o)
{
    bool exited_ok = r == s->pid && WIFEXITED(status)
                     && WEXITSTATUS(status) == 0;
    char *tail = NULL;

    memset(o, 0, sizeof *o);
    o->abnormal = true;
    o->exit_code = EXIT_INTERNAL;
    if (killed_why) {
        o->code = "timeout";
        o->exit_code = EXIT_LIMIT;
        o->message = g_strdup(killed_why);
        return;
    }
    if (exited_ok && s->buf->len > 2 && s->buf->str[s->buf->len - 1] == '\n'
        && strchr(s->buf->str, '\n')) {
        char *body = strchr(s->buf->str, '\n') + 1;
        int st = 0, pg = 0, inc = 0;

        s->buf->str[s->buf->len - 1] = '\0';
        o->abnormal = false;
        if (sscanf(s->buf->str, "R %d %d", &pg, &inc) == 2) {
            o->len = s->buf->len - 1 - (size_t)(body - s->buf->str);
            o->line = g_memdup2(body, o->len + 1);
            o->incomplete = inc != 0;
        } else if (sscanf(s->buf->str, "E %d %d", &st, &pg) == 2) {
            o->code = status_code(st, &o->exit_code);
            o->message = g_strdup(body);
        } else {
            o->code = "internal";
            o->message = g_strdup_printf("%s: garbled worker reply", path);
        }
        o->pages = pg;
        return;
    }
    /* The parent sees RSS in KiB; RLIMIT_AS counts address space, which
     * is always larger, so half the limit resident means it was hit. */
    if ((s->buf->len > 0 && s->buf->str[0] == 'M')
        || (max_memory > 0 && r == s->pid && WIFSIGNALED(status)
            && (gint64)ru->ru_maxrss >= (gint64)max_memory * 512)) {
        o->code = "memory";
        o->exit_code = EXIT_LIMIT;
        o->message = g_strdup_printf("%s: memory limit of %d MB exceeded",
                                     path, max_memory);
        return;
    }
    tail = s->errfd >= 0 ? last_stderr_line(s->errfd) : NULL;
    o->code = "crash";
    if (r == s->pid && WIFSIGNALED(status))
        o->message = g_strdup_printf(
            "%s: worker killed by %s (%s)%s%s", path,
            cli_signal_name(WTERMSIG(status)), g_strsignal(WTERMSIG(status)),
            tail ? "; last message: " : "", tail ? tail : "");
    else if (r == s->pid && WIFEXITED(status))
        o->message = g_strdup_printf(
            "%s: worker exited with status %d%s%s", path,
            WEXITSTATUS(status), tail ? "; last message: " : "",
            tail ? tail : "");
    else
        o->message = g_strdup_printf("%s: worker lost: %s", path,
                                     g_strerror(errno));
    g_free(tail);
}

void cli_worker_end(cli_worker *s, const char *name, int max_memory,
                    const char *killed_why, cli_outcome *o)
{
    struct rusage ru;
    int status = 0;
    pid_t r;

    memset(&ru, 0, sizeof ru);
    do
        r = wait4(s->pid, &status, 0, &ru);
    while (r < 0 && errno == EINTR);
    judge_worker(s, name, max_memory, status, r, &ru, killed_why, o);
    close(s->fd);
    if (s->errfd >= 0)
        close(s->errfd);
    g_string_free(s->buf, TRUE);
    memset(s, 0, sizeof *s);
    s->errfd = -1;
}
