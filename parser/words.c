/*
 * words.c - an English word list for stages 2 and 5: hunspell's en_US
 * dictionary through libhunspell.
 *
 * Stage 2 (text.c) asks whether a word broken at a line end is a word
 * when joined ("re-" + "viewed" -> "reviewed") and stage 5 (records.c)
 * asks for the stem of a gerund ("prohibited from filing" -> "file").
 * The dictionary is read once, by od_words_init (ordex_engine_compile's
 * one-time set-up, before any document; else on first use), from
 * $ORDEX_HUNSPELL_DIR or /usr/share/hunspell; without it every answer is "unknown" and the
 * callers fall back to their own rules.  Hunspell is not documented as
 * thread-safe, so calls are serialised.
 */
#include <string.h>

#include <hunspell.h>

#include "ordex_p.h"

static Hunhandle *dict;
static GMutex dict_lock;

static Hunhandle *dictionary(void)
{
    static gsize once = 0;

    if (g_once_init_enter(&once)) {
        const char *dir = g_getenv("ORDEX_HUNSPELL_DIR");
        char *aff = g_build_filename(dir ? dir : "/usr/share/hunspell", "en_US.aff", NULL);
        char *dic = g_build_filename(dir ? dir : "/usr/share/hunspell", "en_US.dic", NULL);
        if (g_file_test(aff, G_FILE_TEST_IS_REGULAR) && g_file_test(dic, G_FILE_TEST_IS_REGULAR))
            dict = Hunspell_create(aff, dic);
        g_free(aff);
        g_free(dic);
        g_once_init_leave(&once, 1);
    }
    return dict;
}

void od_words_init(void)
{
    (void)dictionary();
}

int od_word_known(const char *word)
{
    Hunhandle *h = dictionary();
    int r;

    if (!h)
        return -1;
    /* a hyphen would let hunspell check the parts one by one */
    if (!word || !*word || strchr(word, '-'))
        return 0;
    g_mutex_lock(&dict_lock);
    r = Hunspell_spell(h, word) != 0;
    g_mutex_unlock(&dict_lock);
    return r;
}

char *od_word_stem(const char *word)
{
    Hunhandle *h = dictionary();
    char **list = NULL, *r = NULL;
    int n;

    if (!h || !word || !*word)
        return NULL;
    g_mutex_lock(&dict_lock);
    n = Hunspell_stem(h, &list, word);
    /* the shortest stem: "filing" gives "filing" (a noun) and "file" */
    for (int i = 0; i < n; i++)
        if (!r || strlen(list[i]) < strlen(r))
            r = list[i];
    r = g_strdup(r);
    if (n > 0)
        Hunspell_free_list(h, &list, n);
    g_mutex_unlock(&dict_lock);
    return r;
}
