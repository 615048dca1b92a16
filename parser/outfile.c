/*
 * outfile.c - how the library writes a file (the highlighted PDF, stage 6
 * output side): never a half-written file in place of a good one.
 *
 * A path that names a symbolic link is followed to its target, so that
 * the link stays a link.  An existing target that is not a regular file
 * (a device such as /dev/null or /dev/full, a FIFO) is opened and written
 * in place; it cannot be replaced.  Any other target is written as a
 * temporary file beside it, every write checked, its size checked, synced
 * to the disk, then renamed over the target; on failure the temporary
 * file is removed and the target is untouched.  The command line's -o
 * follows the same rules (cli_common.c, which may not include this
 * library's private headers).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "ordex_p.h"

/* Links followed before giving up (the kernel's own limit is 40). */
#define MAX_LINKS 40

char *od_resolve_output(const char *path)
{
    char *cur = g_strdup(path);

    for (int i = 0; i < MAX_LINKS; i++) {
        GStatBuf st;
        char *target, *dir, *next;

        if (g_lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return cur;
        target = g_file_read_link(cur, NULL);
        if (!target)
            return cur;
        if (g_path_is_absolute(target)) {
            next = target;
        } else {
            dir = g_path_get_dirname(cur);
            next = g_build_filename(dir, target, NULL);
            g_free(dir);
            g_free(target);
        }
        g_free(cur);
        cur = next;
    }
    return cur; /* a loop: open() reports it */
}

static bool write_fd(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return false;
        if (w == 0) {
            errno = ENOSPC;
            return false;
        }
        data += w;
        len -= (size_t)w;
    }
    return true;
}

bool od_write_file(const char *path, const char *data, size_t len, char **msg)
{
    char *target, *dir, *tmpl = NULL;
    GStatBuf st;
    struct stat fst;
    int fd, err = 0;
    bool ok;

    if (g_stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a device or a FIFO (also through a link such as /dev/stdout,
         * which open() follows): written in place */
        if (S_ISDIR(st.st_mode)) {
            od_set_msg(msg, "cannot write: %s", g_strerror(EISDIR));
            return false;
        }
        fd = g_open(path, O_WRONLY | O_CLOEXEC, 0);
        ok = fd >= 0 && write_fd(fd, data, len);
        if (!ok)
            err = errno;
        if (fd >= 0 && close(fd) != 0 && ok) {
            ok = false;
            err = errno;
        }
        if (!ok)
            od_set_msg(msg, "cannot write: %s", g_strerror(err));
        return ok;
    }
    target = od_resolve_output(path);
    dir = g_path_get_dirname(target);
    tmpl = g_build_filename(dir, ".ordex-XXXXXX", NULL);
    g_free(dir);
    fd = g_mkstemp(tmpl);
    if (fd < 0) {
        od_set_msg(msg, "cannot write: %s", g_strerror(errno));
        g_free(tmpl);
        g_free(target);
        return false;
    }
    ok = write_fd(fd, data, len);
    if (ok && fstat(fd, &fst) != 0) {
        ok = false;
    } else if (ok && (size_t)fst.st_size != len) {
        ok = false;
        errno = EIO;
    }
    ok = ok && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
    if (!ok)
        err = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        err = errno;
    }
    if (ok && g_rename(tmpl, target) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        od_set_msg(msg, "cannot write: %s", g_strerror(err ? err : EIO));
        g_unlink(tmpl);
    }
    g_free(tmpl);
    g_free(target);
    return ok;
}
