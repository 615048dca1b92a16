/*
 * extract.c - a small program built against the installed libordex.
 *
 * It shows the library's record accessors: it opens the PDF named on the
 * command line, runs the whole pipeline (ordex_extract) and prints the
 * case and each deadline (date, directive, party, page, text) without
 * going through the JSON; --json prints the document JSON instead.  It
 * includes nothing of ordex but <ordex.h>:
 *
 *     cc -o extract extract.c $(pkg-config --cflags --libs ordex)
 *     ./extract [--json] [--password PW] order.pdf
 *
 * Exit status: 0 success, 1 the document could not be read, 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include <ordex.h>

/* The library's messages ("order.pdf: encrypted PDF and no password
 * given") go to standard error under this program's name. */
static void on_error(const char *message, void *user_data)
{
    fprintf(stderr, "%s: %s\n", (const char *)user_data, message);
}

static const char *or_dash(const char *s)
{
    return s ? s : "-";
}

static void print_deadlines(const ordex_result *res)
{
    const ordex_record *c = ordex_result_record(res, "case", 0);
    size_t n = ordex_result_count(res, "deadlines");

    printf("case %s, dated %s: %zu deadline%s\n",
           or_dash(ordex_record_string(c, "case_number")),
           or_dash(ordex_record_string(c, "date")), n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        const ordex_record *t = ordex_result_record(res, "deadlines", i);
        int page = 0;

        ordex_record_position(t, &page, NULL, NULL, NULL);
        printf("%s  %s  %s  %s  page %d  %s\n",
               or_dash(ordex_record_string(t, "id")),
               or_dash(ordex_record_string(t, "date")),
               or_dash(ordex_record_string(t, "directive")),
               or_dash(ordex_record_string(t, "party")), page,
               or_dash(ordex_record_string(t, "text")));
    }
}

static int usage(const char *prog)
{
    fprintf(stderr, "usage: %s [--json] [--password PW] FILE.pdf\n", prog);
    return 2;
}

int main(int argc, char **argv)
{
    const char *prog = argc > 0 && argv[0][0] ? argv[0] : "extract";
    const char *path = NULL, *password = NULL;
    int json = 0, status = 1;
    ordex_engine *engine;
    ordex_document *doc = NULL;
    ordex_result *res = NULL;

    if (strrchr(prog, '/'))
        prog = strrchr(prog, '/') + 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (strcmp(argv[i], "--password") == 0 && i + 1 < argc)
            password = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return usage(prog);
        else if (path)
            return usage(prog);
        else
            path = argv[i];
    }
    if (!path)
        return usage(prog);

    engine = ordex_engine_new(0);
    if (!engine)
        return 1;
    ordex_engine_set_error_handler(engine, on_error, (void *)prog);
    if (ordex_engine_compile(engine) == ORDEX_OK
        && ordex_document_open_file(engine, path, password, &doc) == ORDEX_OK
        && ordex_extract(doc, &res) == ORDEX_OK) {
        if (json) {
            char *text = ordex_result_to_json(res, 0);
            if (text) {
                fputs(text, stdout);
                ordex_free(text);
                status = 0;
            }
        } else {
            print_deadlines(res);
            status = 0;
        }
    }
    ordex_result_free(res);
    ordex_document_free(doc);
    ordex_engine_free(engine);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write the output\n", prog);
        status = 1;
    }
    return status;
}
