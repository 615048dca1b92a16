/*
 * cli.h - shared between the parts of the ordex command (main.c and
 * cli_*.c).  The command is a client of include/ordex.h only.
 */
#ifndef ORDEX_CLI_H
#define ORDEX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "ordex.h"

/* Exit codes; the README and --help list them. */
enum {
    EXIT_OK = 0,
    EXIT_INTERNAL = 1,   /* a bug or a library failure */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_INPUT = 3,      /* input missing, unreadable, a directory */
    EXIT_BAD_PDF = 4,    /* not a PDF, damaged, truncated, empty, bad UTF-8 */
    EXIT_ENCRYPTED = 5,  /* encrypted: no or wrong password */
    EXIT_GRAMMAR = 6,    /* a grammar file has errors */
    EXIT_OUTPUT = 7,     /* the output cannot be written */
    EXIT_LIMIT = 8,      /* a limit was exceeded */
    EXIT_INCOMPLETE = 9, /* JSON written, but some pages had no readable text */
    EXIT_BATCH_FAILED = 10, /* batch: some documents failed */
};

/* The exit code of a library status. */
int cli_exit_for(ordex_status st);

/* An engine with the grammars of the command line: the library's default
 * grammars (shipped, or $ORDEX_GRAMMAR_DIR) unless no_default_grammars,
 * then grammar_dirs (NULL-terminated, may be NULL),
 * then extra_dir (may be NULL); compiled.  *status says whether all went
 * well; errors have been reported through the engine's handler. */
ordex_engine *cli_engine_new(int no_default_grammars, char **grammar_dirs,
                             const char *extra_dir, ordex_status *status);

/* SHA-256 (hex, g_free) of the grammar files an engine of
 * cli_engine_new(no_default_grammars, grammar_dirs, NULL) reads: each
 * folder in load order, its *.rules by name, each file's name and bytes. */
char *cli_grammar_digest(int no_default_grammars, char **grammar_dirs);

/* The library's mode for --ocr=WHEN (NULL: auto); -1 for an unknown word. */
int cli_ocr_mode(const char *when);

/* The library's input kind for --input=KIND (NULL: auto); -1 for an
 * unknown word. */
int cli_input_kind(const char *kind);

/* Tesseract's OpenMP threads would oversubscribe the cores next to
 * parallel workers, and OpenMP reads OMP_THREAD_LIMIT only when it is
 * loaded: when the variable is unset, sets it to 1 and executes the
 * command again (argv as main received it).  Returns when that fails. */
void cli_limit_openmp(char **argv);

/* ---- Worker processes (cli_worker.c), for batch and serve ---- */

/* One document for a worker. */
typedef struct {
    const char *name;     /* in messages and source.file; the file to open
                           * when data is NULL */
    const void *data;     /* the document in memory, or NULL */
    size_t len;
    bool is_text;         /* data is text (else a PDF) */
    const char *charset;  /* of the text; NULL: UTF-8 */
    int ocr;              /* ORDEX_OCR_* for this document, -1: the engine's */
    unsigned json_flags;  /* ORDEX_JSON_* */
    bool highlight;       /* reply with the highlighted PDF, not the JSON */
    const char *highlight_path; /* also write the highlighted copy of a PDF
                                 * here (folders made as needed), or NULL */
    const char *password; /* of an encrypted PDF, or NULL */
    int max_memory;       /* MB of address space, 0: no limit */
} cli_work;

/* One running worker. */
typedef struct {
    pid_t pid;       /* 0: the slot is free */
    int fd;          /* read end of the worker's pipe */
    int errfd;       /* the worker's standard error (unlinked file) */
    guint job;       /* the caller's: what the worker works on */
    gint64 started;  /* g_get_monotonic_time() */
    GString *buf;    /* what the worker sent */
} cli_worker;

/* What became of a worker. */
typedef struct {
    bool abnormal;     /* crash, timeout, memory: worth one retry */
    const char *code;  /* error code, NULL on success */
    int exit_code;
    char *message;     /* error message (g_free) */
    char *line;        /* success: the reply, NUL-terminated (g_free) */
    size_t len;        /* its length */
    bool incomplete;   /* success, but some pages had no readable text */
    gint64 pages;
} cli_outcome;

/* Forks a worker for w (which must live until the fork returns) into the
 * free slot s.  The caller must not have started a thread.  In the child,
 * in_child(data) runs first (may be NULL: to close the caller's
 * descriptors).  Returns false, with "PROG: pipe|fork: reason" printed,
 * when no worker could be started. */
bool cli_worker_start(cli_worker *s, ordex_engine *e, const cli_work *w,
                      const char *prog, void (*in_child)(void *),
                      void *data);

/* Reaps the worker of s (after EOF on s->fd, or after the caller killed
 * it: killed_why is then the message) and fills *o; frees the slot. */
void cli_worker_end(cli_worker *s, const char *name, int max_memory,
                    const char *killed_why, cli_outcome *o);

/* "SIGKILL" for SIGKILL, and so on. */
const char *cli_signal_name(int sig);

/* Writes all len bytes of data to fd, again after EINTR and short writes.
 * False with errno set on failure (ENOSPC when write returns 0). */
bool cli_write_all(int fd, const char *data, size_t len);

/* path with its symbolic links followed (g_free). */
char *cli_resolve_output(const char *path);

/* Whether a and b name the same existing regular file (by device and
 * inode, links followed). */
int cli_same_file(const char *a, const char *b);

/* Writes len bytes of data to the output file path (README, "Output
 * files"): a symbolic link is followed and its target replaced; a device
 * or FIFO is written in place; any other path gets a temporary file
 * beside it (every write and the final size checked, fsync) renamed over
 * it.  tmp_path (tmp_size bytes, may be NULL) holds the temporary name
 * while it exists, for a signal handler to remove.  Returns EXIT_OK, or
 * EXIT_OUTPUT after printing "ordex: PATH: cannot write: REASON". */
int cli_write_file(const char *path, const char *data, size_t len,
                   char *tmp_path, size_t tmp_size);

/* `ordex batch ...`: argv[0] is "batch".  Returns the exit code. */
int cli_batch_main(int argc, char **argv);

/* `ordex serve ...`: argv[0] is "serve".  Returns the exit code. */
int cli_serve_main(int argc, char **argv);

/* `ordex timeline ...` (cli_timeline.c): argv[0] is "timeline". */
int cli_timeline_main(int argc, char **argv);

/* ---- Calendars (cli_ics.c, libical) ---------------------------------- */

/* One calendar event: date "YYYY-MM-DD", time "HH:MM" or NULL (all day),
 * zone an IANA name or NULL (floating time), stamp the date DTSTAMP
 * carries.  Every string is owned by the event. */
typedef struct cli_event {
    char *uid, *date, *time, *zone, *summary, *description, *stamp;
    int sequence;   /* how often the event changed (RFC 5545 SEQUENCE) */
    bool cancelled; /* STATUS:CANCELLED (a vacated or stayed date) */
} cli_event;

typedef struct cli_calendar cli_calendar;

cli_calendar *cli_calendar_new(void);
void cli_calendar_free(cli_calendar *c);
void cli_event_free(void *e);
/* Adds e (taken). */
void cli_calendar_take(cli_calendar *c, cli_event *e);
/* One event per dated deadline of a document's JSON (an error record adds
 * none).  Returns the number of events, -1 when json is not an object. */
int cli_calendar_add_document(cli_calendar *c, const char *json, long len);
/* The calendar as RFC 5545 text, events in date order (g_free it). */
char *cli_calendar_render(cli_calendar *c);
/* Writes the calendar to path ("-": standard output) atomically; returns
 * EXIT_OK or EXIT_OUTPUT after a one-line message. */
int cli_calendar_write(cli_calendar *c, const char *path);
/* Writes the string data to path: "-" is standard output, anything else
 * goes through cli_write_file.  EXIT_OK, or EXIT_OUTPUT after a one-line
 * message. */
int cli_write_output(const char *path, const char *data);

/* What an event says about deadline dl of document doc (both the
 * library's JSON): "PARTY: ACTION - EVENT [CASE]", the lines of its
 * DESCRIPTION (appended to s), and "SHA256-ID@ordex". */
char *cli_deadline_summary(JsonObject *doc, JsonObject *dl);
void cli_deadline_description(GString *s, JsonObject *doc, JsonObject *dl);
char *cli_deadline_uid(JsonObject *doc, JsonObject *dl);

/* Reading the library's JSON: members of o, NULL / 0 when absent, null
 * or of another type (borrowed). */
const char *cli_json_string(JsonObject *o, const char *key);
long cli_json_int(JsonObject *o, const char *key);
JsonArray *cli_json_array(JsonObject *o, const char *key);
JsonObject *cli_json_object(JsonObject *o, const char *key);
/* The record of doc's array key whose "id" is id. */
JsonObject *cli_json_by_id(JsonObject *doc, const char *key, const char *id);
/* The change record of doc that gave deadline dl its date. */
JsonObject *cli_change_of(JsonObject *doc, JsonObject *dl);

/* Inputs of `ordex timeline`: files, folders (searched recursively for
 * *.pdf and *.txt) and @LIST files, sorted by path, without duplicates.
 * NULL after a one-line message when a list cannot be read. */
GPtrArray *cli_collect_inputs(int argc, char **argv);

#endif
