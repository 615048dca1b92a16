/*
 * cli_serve.c - `ordex serve`: the extraction as an HTTP service.
 *
 * Part of the ordex command, not of the library: a client of ordex.h
 * only, on libsoup 3's server.  One process, one GLib main loop, no
 * thread: the server compiles one engine and forks a worker per document
 * with the mechanism of `ordex batch` (cli_worker.c), so a crash, a hang
 * or a memory blow-up ends one worker and answers one request with an
 * error.  Signals come through a self-pipe and workers are reaped when
 * their pipe closes, so that GLib never starts its worker thread and
 * fork() stays safe.
 *
 * Admission: an early handler sees each request's headers before its
 * body is read and refuses what cannot succeed (unknown path 404, wrong
 * method 405, missing token 401, wrong type 415, no length 411, a body
 * over --max-body 413, a full queue or a shutdown 503), so that no
 * refused body is ever read.  At most -j documents run at once and
 * --queue wait; beyond that 503 with Retry-After.  A worker past
 * --timeout is killed (504); a client that takes more than --read-timeout
 * seconds to send its request is disconnected.
 *
 * No part of a request reaches the file system: the routes are a fixed
 * table, documents travel in memory, and the `name` parameter is only a
 * label for messages and source.file.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cli.h"
#include "ordex.h"

static const char serve_help[] =
    "Endpoints:\n"
    "  POST /v1/extract    body: a PDF (application/pdf) or text\n"
    "                      (text/plain; charset=...); query: ocr=auto|always|never,\n"
    "                      pretty, name=LABEL; answers the JSON of `ordex FILE`\n"
    "  POST /v1/highlight  body: a PDF; answers the highlighted PDF\n"
    "  GET  /v1/health     GET /v1/version     GET /metrics (Prometheus)\n"
    "Errors are JSON: {\"error\":{\"code\":C,\"exit\":N,\"message\":M}}, N the\n"
    "exit status `ordex FILE` would have had.\n"
    "\n"
    "Exit status:\n"
    "  0  stopped by SIGTERM or SIGINT after finishing the work in hand\n"
    "  1  cannot listen\n"
    "  2  usage error\n"
    "  3  a grammar folder or the token file cannot be read\n"
    "  6  error in a grammar file\n";

static struct {
    char *listen;
    char *token_file;
    char *ocr;
    char **grammar_dirs;
    gboolean no_default_grammars;
    gint jobs;
    gint queue;
    gint64 max_body;
    gint timeout;
    gint read_timeout;
    gint max_memory;
} sopt = {
    .queue = 16, .max_body = 64 << 20, .timeout = 120, .read_timeout = 30,
    .max_memory = 2048,
};

static GOptionEntry serve_entries[] = {
    {"listen", 'l', 0, G_OPTION_ARG_STRING, &sopt.listen,
     "Listen on ADDR:PORT (default 127.0.0.1:8080; port 0: any free port)",
     "ADDR:PORT"},
    {"jobs", 'j', 0, G_OPTION_ARG_INT, &sopt.jobs,
     "Extract N documents at once (default: the number of cores)", "N"},
    {"queue", 0, 0, G_OPTION_ARG_INT, &sopt.queue,
     "Let N more documents wait for a worker; beyond, 503 (default 16)", "N"},
    {"max-body", 0, 0, G_OPTION_ARG_INT64, &sopt.max_body,
     "Refuse bodies of more than BYTES with 413 (default 67108864)", "BYTES"},
    {"timeout", 0, 0, G_OPTION_ARG_INT, &sopt.timeout,
     "Kill a worker after SEC seconds, 504 (default 120)", "SEC"},
    {"read-timeout", 0, 0, G_OPTION_ARG_INT, &sopt.read_timeout,
     "Disconnect a client that takes more than SEC seconds to send a "
     "request (default 30)", "SEC"},
    {"max-memory", 0, 0, G_OPTION_ARG_INT, &sopt.max_memory,
     "Address space of a worker in MB (default 2048, 0: no limit)", "MB"},
    {"ocr", 0, 0, G_OPTION_ARG_STRING, &sopt.ocr,
     "Default OCR mode: auto, always or never (default auto)", "WHEN"},
    {"token-file", 0, 0, G_OPTION_ARG_FILENAME, &sopt.token_file,
     "Require \"Authorization: Bearer TOKEN\", TOKEN the file's first line",
     "FILE"},
    {"grammars", 'g', 0, G_OPTION_ARG_FILENAME_ARRAY, &sopt.grammar_dirs,
     "Add a folder of *.rules after the shipped ones (repeatable)", "DIR"},
    {"no-default-grammars", 0, 0, G_OPTION_ARG_NONE,
     &sopt.no_default_grammars, "Do not load the installed grammars", NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* The endpoints: a fixed table, matched exactly. */
typedef enum {
    R_EXTRACT, R_HIGHLIGHT, R_HEALTH, R_VERSION, R_METRICS, R_OTHER, N_ROUTES
} route;

static const struct {
    const char *path;
    const char *method;
} routes[N_ROUTES] = {
    [R_EXTRACT] = {"/v1/extract", "POST"},
    [R_HIGHLIGHT] = {"/v1/highlight", "POST"},
    [R_HEALTH] = {"/v1/health", "GET"},
    [R_VERSION] = {"/v1/version", "GET"},
    [R_METRICS] = {"/metrics", "GET"},
    [R_OTHER] = {"other", NULL},
};

static route route_of(const char *path)
{
    for (int r = 0; r < R_OTHER; r++)
        if (path && strcmp(path, routes[r].path) == 0)
            return (route)r;
    return R_OTHER;
}

/* A document on its way through a worker. */
typedef struct {
    SoupServerMessage *msg; /* a reference */
    route rt;
    char *name;
    char *charset;
    GBytes *body;
    cli_work work;
    cli_worker w;           /* w.pid > 0 while running */
    guint watch;            /* the source on w.fd */
    bool gone;              /* the client went away */
} serve_doc;

/* What the server knows about one message, from request-started on. */
typedef struct {
    gint64 t0;
    bool reading;           /* the request is not in yet */
    bool cut;               /* disconnected by on_tick */
    serve_doc *doc;         /* queued or running, or NULL */
} msg_info;

static struct {
    SoupServer *server;
    ordex_engine *engine;
    GMainLoop *loop;
    GHashTable *msgs;       /* SoupServerMessage * -> msg_info * */
    GQueue queue;           /* serve_doc * waiting */
    serve_doc **running;    /* n_slots entries, NULL: free */
    int n_slots;
    int n_running;
    guint work_open;        /* documents accepted, not yet answered */
    bool stopping;
    int sig_pipe[2];
    guint8 token[32];       /* SHA-256 of the token */
    bool has_token;
    char *version_json;
    /* metrics */
    GHashTable *answered;   /* "route\tstatus" -> count */
    double seconds[N_ROUTES];
    guint64 aborted[N_ROUTES];
    guint64 read_timeouts;
    guint64 workers_started;
    guint64 worker_restarts;
    double worker_seconds;
    double doc_avg;         /* running mean of a document's seconds */
} S;

static volatile sig_atomic_t stop_signal;

/* ---- Answers -------------------------------------------------------- */

static void set_json(SoupServerMessage *msg, guint status, char *json)
{
    soup_server_message_set_status(msg, status, NULL);
    soup_server_message_set_response(msg, "application/json",
                                     SOUP_MEMORY_TAKE, json, strlen(json));
}

/* An error answer: {"error":{"code":..,"exit":..,"message":..}}. */
static void set_error(SoupServerMessage *msg, guint status, const char *code,
                      int exit_code, const char *message)
{
    JsonBuilder *b = json_builder_new();
    JsonGenerator *gen = json_generator_new();
    JsonNode *root;
    char *s, *line;
    char exit_s[16];

    json_builder_begin_object(b);
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
    line = g_strconcat(s, "\n", NULL);
    g_free(s);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    g_snprintf(exit_s, sizeof exit_s, "%d", exit_code);
    soup_message_headers_replace(soup_server_message_get_response_headers(msg),
                                 "Ordex-Exit", exit_s);
    set_json(msg, status, line);
}

/* A refusal from the early handler.  A client that sent "Expect:
 * 100-continue" gets it at once and never sends its body; from any other
 * client libsoup reads the body first, and it is thrown away as it comes
 * (never stored).  The connection is not reused. */
static void refuse(SoupServerMessage *msg, guint status, const char *code,
                   const char *message)
{
    soup_message_body_set_accumulate(soup_server_message_get_request_body(msg),
                                     FALSE);
    soup_message_headers_replace(soup_server_message_get_response_headers(msg),
                                 "Connection", "close");
    set_error(msg, status, code, EXIT_USAGE, message);
}

/* The HTTP status of a worker's error code. */
static guint http_status_of(const char *code)
{
    static const struct {
        const char *code;
        guint status;
    } map[] = {
        {"not_pdf", 422}, {"corrupt", 422}, {"empty", 422}, {"utf8", 422},
        {"limit", 422},   {"memory", 422},  {"encrypted", 423},
        {"timeout", 504}, {"io", 400},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++)
        if (strcmp(code, map[i].code) == 0)
            return map[i].status;
    return 500; /* crash, internal */
}

/* Seconds a client should wait: the documents ahead of it over the
 * workers, at the mean time of a document; at least 1. */
static char *retry_after(void)
{
    double ahead = (double)(S.n_running + (int)S.queue.length);
    double secs = S.doc_avg * ahead / (S.n_slots > 0 ? S.n_slots : 1);
    long n = (long)(secs + 0.999);

    return g_strdup_printf("%ld", n < 1 ? 1 : n > 3600 ? 3600 : n);
}

static void refuse_busy(SoupServerMessage *msg, const char *message)
{
    char *ra = retry_after();

    soup_message_headers_replace(soup_server_message_get_response_headers(msg),
                                 "Retry-After", ra);
    g_free(ra);
    refuse(msg, 503, "busy", message);
}

/* ---- Workers -------------------------------------------------------- */

static void doc_free(serve_doc *d)
{
    if (!d)
        return;
    g_object_unref(d->msg);
    g_free(d->name);
    g_free(d->charset);
    g_bytes_unref(d->body);
    g_free(d);
}

/* In a new worker: it needs none of the server's sockets (listening or
 * connected), nor the other workers' pipes, nor the signal pipe. */
static void close_in_child(void *data)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *de;

    (void)data;
    for (int i = 0; i < S.n_slots; i++)
        if (S.running[i] && S.running[i]->w.pid > 0) {
            close(S.running[i]->w.fd);
            if (S.running[i]->w.errfd >= 0)
                close(S.running[i]->w.errfd);
        }
    close(S.sig_pipe[0]);
    close(S.sig_pipe[1]);
    if (!dir)
        return;
    while ((de = readdir(dir))) {
        int fd = atoi(de->d_name);
        struct stat sb;
        if (fd > 2 && fd != dirfd(dir) && fstat(fd, &sb) == 0
            && S_ISSOCK(sb.st_mode))
            close(fd);
    }
    closedir(dir);
}

static void start_next(void);

/* The worker of slot i is done (or was killed: killed_why). */
static void finish_doc(int i, const char *killed_why)
{
    serve_doc *d = S.running[i];
    SoupServerMessage *msg = d->msg;
    SoupMessageHeaders *h = soup_server_message_get_response_headers(msg);
    double secs = (double)(g_get_monotonic_time() - d->w.started) / 1e6;
    cli_outcome o;

    if (d->watch)
        g_source_remove(d->watch);
    d->watch = 0;
    cli_worker_end(&d->w, d->name, sopt.max_memory, killed_why, &o);
    S.running[i] = NULL;
    S.n_running--;
    S.worker_seconds += secs;
    S.doc_avg = S.doc_avg > 0 ? 0.9 * S.doc_avg + 0.1 * secs : secs;
    if (o.abnormal)
        S.worker_restarts++;
    if (!d->gone) {
        if (o.code) {
            set_error(msg, http_status_of(o.code), o.code, o.exit_code,
                      o.message);
        } else {
            soup_message_headers_replace(h, "Ordex-Exit",
                                         o.incomplete ? "9" : "0");
            soup_server_message_set_status(msg, 200, NULL);
            soup_server_message_set_response(
                msg, d->work.highlight ? "application/pdf" : "application/json",
                SOUP_MEMORY_TAKE, o.line, o.len);
            o.line = NULL;
        }
        soup_server_message_unpause(msg);
    }
    g_free(o.line);
    g_free(o.message);
    msg_info *mi = g_hash_table_lookup(S.msgs, msg);
    if (mi && mi->doc == d)
        mi->doc = NULL;
    doc_free(d);
    start_next();
}

static gboolean on_worker_io(gint fd, GIOCondition cond, gpointer data)
{
    int i = GPOINTER_TO_INT(data);
    serve_doc *d = S.running[i];
    char buf[65536];
    ssize_t got;

    (void)cond;
    got = read(fd, buf, sizeof buf);
    if (got > 0) {
        g_string_append_len(d->w.buf, buf, got);
        return G_SOURCE_CONTINUE;
    }
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return G_SOURCE_CONTINUE;
    d->watch = 0;
    finish_doc(i, NULL);
    return G_SOURCE_REMOVE;
}

/* Starts queued documents while a slot is free. */
static void start_next(void)
{
    for (int i = 0; i < S.n_slots && !g_queue_is_empty(&S.queue); i++) {
        serve_doc *d;
        gsize len;

        if (S.running[i])
            continue;
        d = g_queue_pop_head(&S.queue);
        if (d->gone) {
            doc_free(d);
            i--;
            continue;
        }
        d->work.data = g_bytes_get_data(d->body, &len);
        d->work.len = len;
        if (!cli_worker_start(&d->w, S.engine, &d->work, "ordex serve",
                              close_in_child, NULL)) {
            set_error(d->msg, 500, "internal", EXIT_INTERNAL,
                      "cannot start a worker");
            soup_server_message_unpause(d->msg);
            doc_free(d);
            continue;
        }
        S.workers_started++;
        S.running[i] = d;
        S.n_running++;
        d->watch = g_unix_fd_add(d->w.fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                 on_worker_io, GINT_TO_POINTER(i));
    }
}

/* ---- Requests ------------------------------------------------------- */

/* SHA-256 of data into out[32]. */
static void sha256(const void *data, size_t len, guint8 out[32])
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
    gsize n = 32;

    g_checksum_update(c, data, (gssize)len);
    g_checksum_get_digest(c, out, &n);
    g_checksum_free(c);
}

/* Whether the request carries the token.  Both sides are hashed first,
 * so the comparison takes the same time whatever the length and the
 * content of what was sent. */
static bool authorised(SoupServerMessage *msg)
{
    const char *h = soup_message_headers_get_one(
        soup_server_message_get_request_headers(msg), "Authorization");
    guint8 got[32];
    unsigned diff = 0;

    if (!S.has_token)
        return true;
    if (!h || g_ascii_strncasecmp(h, "Bearer ", 7) != 0)
        return false;
    h += 7;
    sha256(h, strlen(h), got);
    for (int i = 0; i < 32; i++)
        diff |= (unsigned)(got[i] ^ S.token[i]);
    return diff == 0;
}

/* The kind of a body from its Content-Type: 1 PDF, 2 text, 0 neither. */
static int body_kind(SoupServerMessage *msg, char **charset)
{
    GHashTable *params = NULL;
    const char *ct = soup_message_headers_get_content_type(
        soup_server_message_get_request_headers(msg), &params);
    int kind = 0;

    if (ct && g_ascii_strcasecmp(ct, "application/pdf") == 0)
        kind = 1;
    else if (ct && g_ascii_strcasecmp(ct, "text/plain") == 0) {
        const char *cs = params ? g_hash_table_lookup(params, "charset") : NULL;
        kind = 2;
        if (charset)
            *charset = cs ? g_strdup(cs) : NULL;
    }
    if (params)
        g_hash_table_destroy(params);
    return kind;
}

/* Before the body: everything that can be refused without it. */
static void early_handler(SoupServer *server, SoupServerMessage *msg,
                          const char *path, GHashTable *query, gpointer data)
{
    SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
    const char *method = soup_server_message_get_method(msg);
    route rt = route_of(path);
    char *m;

    (void)server;
    (void)query;
    (void)data;
    if (rt == R_OTHER) {
        refuse(msg, 404, "not_found", "no such endpoint");
        return;
    }
    if (rt != R_HEALTH && !authorised(msg)) {
        soup_message_headers_replace(soup_server_message_get_response_headers(msg),
                                     "WWW-Authenticate", "Bearer");
        refuse(msg, 401, "unauthorized", "missing or wrong bearer token");
        return;
    }
    if (strcmp(method, routes[rt].method) != 0
        && !(strcmp(method, "HEAD") == 0 && strcmp(routes[rt].method, "GET") == 0)) {
        soup_message_headers_replace(soup_server_message_get_response_headers(msg),
                                     "Allow", routes[rt].method);
        m = g_strdup_printf("%s needs %s, not %s", routes[rt].path,
                            routes[rt].method, method);
        refuse(msg, 405, "method", m);
        g_free(m);
        return;
    }
    if (rt != R_EXTRACT && rt != R_HIGHLIGHT)
        return;
    if (S.stopping) {
        refuse_busy(msg, "shutting down");
        return;
    }
    if (body_kind(msg, NULL) == 0 || (rt == R_HIGHLIGHT && body_kind(msg, NULL) != 1)) {
        refuse(msg, 415, "type",
               rt == R_HIGHLIGHT ? "expected Content-Type application/pdf"
                                 : "expected Content-Type application/pdf or "
                                   "text/plain");
        return;
    }
    if (soup_message_headers_get_encoding(h) != SOUP_ENCODING_CONTENT_LENGTH) {
        refuse(msg, 411, "length", "a Content-Length is required");
        return;
    }
    if (soup_message_headers_get_content_length(h) > sopt.max_body) {
        m = g_strdup_printf("body of %" G_GINT64_FORMAT " bytes; the limit is "
                            "%" G_GINT64_FORMAT,
                            (gint64)soup_message_headers_get_content_length(h),
                            (gint64)sopt.max_body);
        refuse(msg, 413, "too_large", m);
        g_free(m);
        return;
    }
    if ((int)S.queue.length >= sopt.queue && S.n_running >= S.n_slots)
        refuse_busy(msg, "too many documents waiting");
}

/* pretty, pretty=1|true|yes, pretty=0|false|no. */
static int parse_bool(const char *v)
{
    if (!v || !*v || strcmp(v, "1") == 0 || strcmp(v, "true") == 0
        || strcmp(v, "yes") == 0)
        return 1;
    if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0)
        return 0;
    return -1;
}

/* A label for messages and source.file: printable UTF-8, no slash. */
static bool good_name(const char *n)
{
    if (!*n || strlen(n) > 255 || !g_utf8_validate(n, -1, NULL))
        return false;
    for (const char *p = n; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == '/' || c == '\\' || g_unichar_iscntrl(c))
            return false;
    }
    return strcmp(n, ".") != 0 && strcmp(n, "..") != 0;
}

/* The query of a document request into d; false with an answer set. */
static bool parse_query(SoupServerMessage *msg, GHashTable *query,
                        serve_doc *d)
{
    GHashTableIter it;
    gpointer k, v;

    d->work.ocr = -1;
    if (!query)
        return true;
    g_hash_table_iter_init(&it, query);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        char *m = NULL;
        if (strcmp(k, "ocr") == 0 && cli_ocr_mode(v) >= 0)
            d->work.ocr = cli_ocr_mode(v);
        else if (strcmp(k, "ocr") == 0)
            m = g_strdup_printf("unknown ocr mode '%s' (expected auto, always "
                                "or never)", (char *)v);
        else if (strcmp(k, "pretty") == 0 && d->rt == R_EXTRACT
                 && parse_bool(v) >= 0)
            d->work.json_flags = parse_bool(v) ? ORDEX_JSON_PRETTY : 0;
        else if (strcmp(k, "pretty") == 0 && d->rt == R_EXTRACT)
            m = g_strdup_printf("bad pretty value '%s' (expected 1 or 0)",
                                (char *)v);
        else if (strcmp(k, "name") == 0 && good_name(v)) {
            g_free(d->name);
            d->name = g_strdup(v);
        }
        else if (strcmp(k, "name") == 0)
            m = g_strdup("bad name (a label of 1 to 255 printable characters "
                         "without /)");
        else
            m = g_strdup_printf("unknown parameter '%s'", (char *)k);
        if (m) {
            set_error(msg, 400, "usage", EXIT_USAGE, m);
            g_free(m);
            return false;
        }
    }
    return true;
}

static void on_disconnected(SoupServerMessage *msg, gpointer data)
{
    msg_info *mi = g_hash_table_lookup(S.msgs, msg);

    (void)data;
    if (!mi || !mi->doc)
        return;
    mi->doc->gone = true;
    for (int i = 0; i < S.n_slots; i++)
        if (S.running[i] == mi->doc && mi->doc->w.pid > 0)
            kill(mi->doc->w.pid, SIGKILL);
}

static void handle_document(SoupServerMessage *msg, route rt,
                            GHashTable *query)
{
    serve_doc *d = g_new0(serve_doc, 1);
    msg_info *mi = g_hash_table_lookup(S.msgs, msg);

    d->msg = g_object_ref(msg);
    d->rt = rt;
    d->name = g_strdup("<request>");
    d->work.is_text = body_kind(msg, &d->charset) == 2;
    if (!parse_query(msg, query, d)) {
        doc_free(d);
        return;
    }
    if (S.stopping || ((int)S.queue.length >= sopt.queue
                       && S.n_running >= S.n_slots)) {
        refuse_busy(msg, S.stopping ? "shutting down"
                                    : "too many documents waiting");
        doc_free(d);
        return;
    }
    /* one copy of the document: ours, not libsoup's too */
    d->body = soup_message_body_flatten(soup_server_message_get_request_body(msg));
    soup_message_body_truncate(soup_server_message_get_request_body(msg));
    d->work.name = d->name;
    d->work.charset = d->charset;
    d->work.highlight = rt == R_HIGHLIGHT;
    d->work.max_memory = sopt.max_memory;
    if (mi)
        mi->doc = d;
    S.work_open++;
    g_object_set_data(G_OBJECT(msg), "ordex-work", GINT_TO_POINTER(1));
    g_signal_connect(msg, "disconnected", G_CALLBACK(on_disconnected), NULL);
    soup_server_message_pause(msg);
    g_queue_push_tail(&S.queue, d);
    start_next();
}

static void append_metric_header(GString *s, const char *name,
                                 const char *type, const char *help)
{
    g_string_append_printf(s, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
                           type);
}

static int cmp_strp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *metrics_text(void)
{
    GString *s = g_string_new(NULL);
    GPtrArray *keys = g_ptr_array_new();
    GHashTableIter it;
    gpointer k, v;

    append_metric_header(s, "ordex_requests_total", "counter",
                         "Requests answered, by endpoint and HTTP status.");
    g_hash_table_iter_init(&it, S.answered);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_ptr_array_add(keys, k);
    g_ptr_array_sort(keys, cmp_strp);
    for (guint i = 0; i < keys->len; i++) {
        const char *key = keys->pdata[i];
        const char *tab = strchr(key, '\t');
        g_string_append_printf(s,
                               "ordex_requests_total{endpoint=\"%.*s\","
                               "status=\"%s\"} %" G_GUINT64_FORMAT "\n",
                               (int)(tab - key), key, tab + 1,
                               *(guint64 *)g_hash_table_lookup(S.answered, key));
    }
    g_ptr_array_free(keys, TRUE);
    append_metric_header(s, "ordex_request_seconds_total", "counter",
                         "Seconds from the start of a request to the end of "
                         "its answer, by endpoint.");
    for (int r = 0; r < N_ROUTES; r++)
        g_string_append_printf(s,
                               "ordex_request_seconds_total{endpoint=\"%s\"} "
                               "%.6f\n", routes[r].path, S.seconds[r]);
    append_metric_header(s, "ordex_requests_aborted_total", "counter",
                         "Requests whose client went away before the answer.");
    for (int r = 0; r < N_ROUTES; r++)
        g_string_append_printf(s,
                               "ordex_requests_aborted_total{endpoint=\"%s\"} "
                               "%" G_GUINT64_FORMAT "\n", routes[r].path,
                               S.aborted[r]);
    append_metric_header(s, "ordex_read_timeouts_total", "counter",
                         "Connections closed because the request took longer "
                         "than --read-timeout to arrive.");
    g_string_append_printf(s, "ordex_read_timeouts_total %" G_GUINT64_FORMAT "\n",
                           S.read_timeouts);
    append_metric_header(s, "ordex_documents_in_flight", "gauge",
                         "Documents being extracted by a worker now.");
    g_string_append_printf(s, "ordex_documents_in_flight %d\n", S.n_running);
    append_metric_header(s, "ordex_documents_queued", "gauge",
                         "Documents waiting for a worker.");
    g_string_append_printf(s, "ordex_documents_queued %u\n", S.queue.length);
    append_metric_header(s, "ordex_workers_started_total", "counter",
                         "Worker processes started (one per document).");
    g_string_append_printf(s, "ordex_workers_started_total %" G_GUINT64_FORMAT
                              "\n", S.workers_started);
    append_metric_header(s, "ordex_worker_restarts_total", "counter",
                         "Workers that crashed, hung past --timeout or ran out "
                         "of memory, replaced by a new process.");
    g_string_append_printf(s, "ordex_worker_restarts_total %" G_GUINT64_FORMAT
                              "\n", S.worker_restarts);
    append_metric_header(s, "ordex_worker_seconds_total", "counter",
                         "Seconds workers spent on documents.");
    g_string_append_printf(s, "ordex_worker_seconds_total %.6f\n",
                           S.worker_seconds);
    return g_string_free(s, FALSE);
}

static void handler(SoupServer *server, SoupServerMessage *msg,
                    const char *path, GHashTable *query, gpointer data)
{
    route rt = route_of(path);

    (void)server;
    (void)data;
    if (soup_server_message_get_status(msg) != 0)
        return; /* refused by the early handler */
    switch (rt) {
    case R_EXTRACT:
    case R_HIGHLIGHT:
        handle_document(msg, rt, query);
        return;
    case R_HEALTH:
        set_json(msg, 200, g_strdup(S.stopping ? "{\"status\":\"stopping\"}\n"
                                               : "{\"status\":\"ok\"}\n"));
        return;
    case R_VERSION:
        set_json(msg, 200, g_strdup(S.version_json));
        return;
    case R_METRICS: {
        char *t = metrics_text();
        soup_server_message_set_status(msg, 200, NULL);
        soup_server_message_set_response(msg, "text/plain; version=0.0.4",
                                         SOUP_MEMORY_TAKE, t, strlen(t));
        return;
    }
    case R_OTHER:
    case N_ROUTES:
        break;
    }
    refuse(msg, 404, "not_found", "no such endpoint");
}

/* ---- Bookkeeping of messages ---------------------------------------- */

static void on_request_started(SoupServer *server, SoupServerMessage *msg,
                               gpointer data)
{
    msg_info *mi = g_new0(msg_info, 1);

    (void)server;
    (void)data;
    mi->t0 = g_get_monotonic_time();
    mi->reading = true;
    g_hash_table_insert(S.msgs, msg, mi);
}

static void on_request_read(SoupServer *server, SoupServerMessage *msg,
                            gpointer data)
{
    msg_info *mi = g_hash_table_lookup(S.msgs, msg);

    (void)server;
    (void)data;
    if (mi)
        mi->reading = false;
}

static void request_done(SoupServerMessage *msg, bool aborted)
{
    msg_info *mi = g_hash_table_lookup(S.msgs, msg);
    const char *method = soup_server_message_get_method(msg);
    GUri *uri = soup_server_message_get_uri(msg);
    route rt = uri ? route_of(g_uri_get_path(uri)) : R_OTHER;

    if (!mi)
        return;
    if (mi->doc) {
        /* answered nothing yet: the worker's answer would go nowhere */
        on_disconnected(msg, NULL);
        mi->doc->gone = true;
        mi->doc = NULL;
    }
    if (method && uri) {
        S.seconds[rt] += (double)(g_get_monotonic_time() - mi->t0) / 1e6;
        /* libsoup reports every 500 answer as aborted too, and answers
         * a request it could not read with a 500 of its own */
        if (aborted && (mi->reading || mi->cut
                        || soup_server_message_get_status(msg) == 0)) {
            S.aborted[rt]++;
        } else {
            char *key = g_strdup_printf("%s\t%u", routes[rt].path,
                                        soup_server_message_get_status(msg));
            guint64 *n = g_hash_table_lookup(S.answered, key);
            if (!n) {
                n = g_new0(guint64, 1);
                g_hash_table_insert(S.answered, key, n);
            } else {
                g_free(key);
            }
            (*n)++;
        }
    }
    if (g_object_get_data(G_OBJECT(msg), "ordex-work")) {
        g_object_set_data(G_OBJECT(msg), "ordex-work", NULL);
        S.work_open--;
    }
    g_hash_table_remove(S.msgs, msg);
    if (S.stopping && S.work_open == 0)
        g_main_loop_quit(S.loop);
}

static void on_request_finished(SoupServer *server, SoupServerMessage *msg,
                                gpointer data)
{
    (void)server;
    (void)data;
    request_done(msg, false);
}

static void on_request_aborted(SoupServer *server, SoupServerMessage *msg,
                               gpointer data)
{
    (void)server;
    (void)data;
    request_done(msg, true);
}

/* Every quarter second: workers past --timeout, clients past
 * --read-timeout (and, once stopping, every request not in yet). */
static gboolean on_tick(gpointer data)
{
    gint64 now = g_get_monotonic_time();
    GHashTableIter it;
    gpointer k, v;

    (void)data;
    for (int i = 0; i < S.n_slots && sopt.timeout > 0; i++) {
        serve_doc *d = S.running[i];
        if (d && now - d->w.started >= (gint64)sopt.timeout * G_USEC_PER_SEC) {
            char *why = g_strdup_printf("%s: timeout after %d s", d->name,
                                        sopt.timeout);
            kill(d->w.pid, SIGKILL);
            finish_doc(i, why);
            g_free(why);
        }
    }
    g_hash_table_iter_init(&it, S.msgs);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        msg_info *mi = v;
        GSocket *sock;
        if (!mi->reading
            || (!S.stopping && (sopt.read_timeout <= 0
                                || now - mi->t0 < (gint64)sopt.read_timeout
                                                      * G_USEC_PER_SEC)))
            continue;
        sock = soup_server_message_get_socket(k);
        if (sock) {
            g_socket_shutdown(sock, TRUE, TRUE, NULL);
            if (!S.stopping)
                S.read_timeouts++;
        }
        mi->reading = false;
        mi->cut = true;
    }
    return G_SOURCE_CONTINUE;
}

/* ---- Signals -------------------------------------------------------- */

static void on_signal(int sig)
{
    ssize_t w;

    stop_signal = sig;
    w = write(S.sig_pipe[1], "s", 1);
    (void)w;
}

static gboolean on_signal_pipe(gint fd, GIOCondition cond, gpointer data)
{
    char buf[16];
    ssize_t n = read(fd, buf, sizeof buf);

    (void)n;
    (void)cond;
    (void)data;
    if (!S.stopping) {
        fprintf(stderr, "ordex serve: %s: finishing %u documents, refusing "
                        "new ones\n", cli_signal_name(stop_signal),
                S.work_open);
        S.stopping = true;
    }
    if (S.work_open == 0)
        g_main_loop_quit(S.loop);
    return G_SOURCE_CONTINUE;
}

/* ---- Set-up ----------------------------------------------------------- */

/* ADDR:PORT, [IPv6]:PORT. */
static GSocketAddress *parse_listen(const char *s)
{
    const char *colon = strrchr(s, ':');
    char *host, *end;
    long port;
    GInetAddress *ia;
    GSocketAddress *sa;

    if (!colon || colon == s)
        return NULL;
    errno = 0;
    port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || errno || port < 0 || port > 65535)
        return NULL;
    if (s[0] == '[' && colon[-1] == ']')
        host = g_strndup(s + 1, (gsize)(colon - s - 2));
    else
        host = g_strndup(s, (gsize)(colon - s));
    ia = g_inet_address_new_from_string(host);
    g_free(host);
    if (!ia)
        return NULL;
    sa = g_inet_socket_address_new(ia, (guint16)port);
    g_object_unref(ia);
    return sa;
}

static bool read_token(const char *path)
{
    char *data = NULL;
    gsize len = 0;
    GError *err = NULL;
    char *nl;

    if (!g_file_get_contents(path, &data, &len, &err)) {
        fprintf(stderr, "ordex serve: %s: %s\n", path,
                g_strerror(err->code == G_FILE_ERROR_NOENT ? ENOENT
                           : err->code == G_FILE_ERROR_ACCES ? EACCES : EIO));
        g_error_free(err);
        return false;
    }
    nl = strpbrk(data, "\r\n");
    if (nl)
        *nl = '\0';
    g_strstrip(data);
    if (!*data) {
        fprintf(stderr, "ordex serve: %s: the token is empty\n", path);
        g_free(data);
        return false;
    }
    sha256(data, strlen(data), S.token);
    S.has_token = true;
    memset(data, 0, strlen(data));
    g_free(data);
    return true;
}

/* {"ordex":..,"schema":..,"grammars":[..],"grammars_sha256":..}: the
 * grammars' names and versions as the JSON of a document gives them. */
static char *version_json(void)
{
    ordex_document *doc = NULL;
    ordex_result *res = NULL;
    char *json = NULL, *digest, *out = NULL;
    JsonParser *p = json_parser_new();
    JsonBuilder *b = json_builder_new();
    JsonGenerator *gen = json_generator_new();
    JsonNode *root, *grammars = NULL;

    if (ordex_document_open_text(S.engine, "-", 1, "version", &doc) == ORDEX_OK
        && ordex_extract(doc, &res) == ORDEX_OK)
        json = ordex_result_to_json(res, 0);
    if (json && json_parser_load_from_data(p, json, -1, NULL)
        && JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p)))
        grammars = json_object_get_member(
            json_node_get_object(json_parser_get_root(p)), "grammars");
    digest = cli_grammar_digest(sopt.no_default_grammars, sopt.grammar_dirs);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "ordex");
    json_builder_add_string_value(b, ordex_version());
    json_builder_set_member_name(b, "schema");
    json_builder_add_string_value(b, ORDEX_SCHEMA_VERSION);
    json_builder_set_member_name(b, "grammars");
    if (grammars)
        json_builder_add_value(b, json_node_copy(grammars));
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "grammars_sha256");
    json_builder_add_string_value(b, digest);
    json_builder_end_object(b);
    root = json_builder_get_root(b);
    json_generator_set_root(gen, root);
    ordex_free(json);
    json = json_generator_to_data(gen, NULL);
    out = g_strconcat(json, "\n", NULL);
    g_free(json);
    json_node_unref(root);
    g_object_unref(gen);
    g_object_unref(b);
    g_object_unref(p);
    g_free(digest);
    ordex_result_free(res);
    ordex_document_free(doc);
    return out;
}

static void free_options(void)
{
    g_free(sopt.listen);
    g_free(sopt.token_file);
    g_free(sopt.ocr);
    g_strfreev(sopt.grammar_dirs);
}

static int usage(const char *what)
{
    fprintf(stderr, "ordex serve: %s (see ordex serve --help)\n", what);
    free_options();
    return EXIT_USAGE;
}

int cli_serve_main(int argc, char **argv)
{
    GOptionContext *ctx;
    GError *err = NULL;
    GSocketAddress *addr = NULL;
    struct sigaction sa;
    ordex_status st;
    int code = EXIT_OK;
    guint tick, sigwatch;
    char *m;

    argv[0] = (char *)"ordex serve";
    ctx = g_option_context_new("- answer extraction requests over HTTP");
    g_option_context_add_main_entries(ctx, serve_entries, NULL);
    g_option_context_set_description(ctx, serve_help);
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        m = g_strdup(err->message);
        g_error_free(err);
        g_option_context_free(ctx);
        code = usage(m);
        g_free(m);
        return code;
    }
    g_option_context_free(ctx);
    if (argc > 1)
        return usage("unexpected argument");
    if (sopt.jobs < 0)
        return usage("-j must be at least 1");
    if (sopt.queue < 0)
        return usage("--queue must be 0 or more");
    if (sopt.max_body < 0)
        return usage("--max-body must be 0 or more bytes");
    if (sopt.timeout < 0 || sopt.read_timeout < 0)
        return usage("a timeout must be 0 or more seconds");
    if (sopt.max_memory < 0)
        return usage("--max-memory must be 0 or more MB");
    if (sopt.ocr && cli_ocr_mode(sopt.ocr) < 0)
        return usage("unknown --ocr mode (expected auto, always or never)");
    addr = parse_listen(sopt.listen ? sopt.listen : "127.0.0.1:8080");
    if (!addr)
        return usage("bad --listen (expected ADDR:PORT, ADDR an IP address)");
    if (sopt.token_file && !read_token(sopt.token_file)) {
        g_object_unref(addr);
        free_options();
        return EXIT_INPUT;
    }

    S.engine = cli_engine_new(sopt.no_default_grammars, sopt.grammar_dirs,
                              NULL, &st);
    ordex_engine_set_ocr(S.engine, cli_ocr_mode(sopt.ocr));
    if (st != ORDEX_OK) {
        code = cli_exit_for(st);
        goto done;
    }
    S.version_json = version_json();
    S.n_slots = sopt.jobs > 0 ? sopt.jobs : (int)g_get_num_processors();
    S.running = g_new0(serve_doc *, S.n_slots);
    S.msgs = g_hash_table_new_full(NULL, NULL, NULL, g_free);
    S.answered = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_queue_init(&S.queue);

    if (!g_unix_open_pipe(S.sig_pipe, FD_CLOEXEC, NULL)) {
        fprintf(stderr, "ordex serve: pipe: %s\n", g_strerror(errno));
        code = EXIT_INTERNAL;
        goto done;
    }
    g_unix_set_fd_nonblocking(S.sig_pipe[0], TRUE, NULL);
    g_unix_set_fd_nonblocking(S.sig_pipe[1], TRUE, NULL);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    S.server = soup_server_new("server-header", "ordex/" ORDEX_VERSION, NULL);
    soup_server_add_early_handler(S.server, NULL, early_handler, NULL, NULL);
    soup_server_add_handler(S.server, NULL, handler, NULL, NULL);
    g_signal_connect(S.server, "request-started",
                     G_CALLBACK(on_request_started), NULL);
    g_signal_connect(S.server, "request-read", G_CALLBACK(on_request_read),
                     NULL);
    g_signal_connect(S.server, "request-finished",
                     G_CALLBACK(on_request_finished), NULL);
    g_signal_connect(S.server, "request-aborted",
                     G_CALLBACK(on_request_aborted), NULL);
    if (!soup_server_listen(S.server, addr, 0, &err)) {
        fprintf(stderr, "ordex serve: %s: %s\n",
                sopt.listen ? sopt.listen : "127.0.0.1:8080", err->message);
        g_error_free(err);
        code = EXIT_INTERNAL;
        goto done;
    }
    {
        GSList *uris = soup_server_get_uris(S.server);
        GInetAddress *ia = g_inet_socket_address_get_address(
            G_INET_SOCKET_ADDRESS(addr));
        for (GSList *u = uris; u; u = u->next) {
            char *s = g_uri_to_string(u->data);
            fprintf(stderr, "ordex serve: listening on %s (%d workers, queue "
                            "%d)\n", s, S.n_slots, sopt.queue);
            g_free(s);
        }
        g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
        if (!g_inet_address_get_is_loopback(ia) && !S.has_token)
            fprintf(stderr, "ordex serve: warning: listening beyond this host "
                            "without --token-file\n");
    }

    S.loop = g_main_loop_new(NULL, FALSE);
    sigwatch = g_unix_fd_add(S.sig_pipe[0], G_IO_IN, on_signal_pipe, NULL);
    tick = g_timeout_add(250, on_tick, NULL);
    g_main_loop_run(S.loop);
    g_source_remove(tick);
    g_source_remove(sigwatch);
    for (int i = 0; i < S.n_slots; i++)
        if (S.running[i]) {
            kill(S.running[i]->w.pid, SIGKILL);
            S.running[i]->gone = true;
            finish_doc(i, "stopped");
        }
    fprintf(stderr, "ordex serve: stopped\n");

done:
    if (S.server) {
        soup_server_disconnect(S.server);
        g_object_unref(S.server);
    }
    while (!g_queue_is_empty(&S.queue))
        doc_free(g_queue_pop_head(&S.queue));
    if (S.loop)
        g_main_loop_unref(S.loop);
    if (S.msgs)
        g_hash_table_destroy(S.msgs);
    if (S.answered)
        g_hash_table_destroy(S.answered);
    if (S.sig_pipe[0] > 0) {
        close(S.sig_pipe[0]);
        close(S.sig_pipe[1]);
    }
    g_free(S.running);
    g_free(S.version_json);
    g_object_unref(addr);
    ordex_engine_free(S.engine);
    free_options();
    return code;
}
