/*
 * slowfs: a FUSE passthrough filesystem that makes every fsync and fdatasync take longer.
 *
 *   slowfs SOURCE_DIR MOUNT_POINT DELAY_MICROS [fuse options, e.g. -f]
 *
 * Every operation is passed to SOURCE_DIR unchanged; fsync, fdatasync and a directory's fsync are
 * passed on and then held DELAY_MICROS more before they return. It stands in for a slow disk when
 * the kernel has no dm-delay: whatever runs on the mount point pays the same added cost per sync,
 * so two systems measured on it are slowed the same way. Each request runs on its own thread of
 * libfuse's pool, so syncs in parallel are delayed in parallel, as on a device with that latency.
 *
 * Writes land in the kernel's page cache first (FUSE's writeback cache), as they do on a disk: a
 * write() costs what it costs on the source, and the dirty pages travel here, in large requests,
 * when a sync or the kernel's writeback sends them. Without it every write() would be a round trip
 * through this process, a cost no real disk has, and a system that makes many small writes between
 * two syncs would pay it where a slow disk would charge nothing.
 *
 * Build: gcc -O2 -Wall -o slowfs slowfs.c $(pkg-config --cflags --libs fuse3)
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int source_fd = -1;
static long delay_micros;
/* Whether the kernel caches writes (FUSE_CAP_WRITEBACK_CACHE): then it may read a page of a file
   opened write-only to complete a partial page, and it keeps the file offset for O_APPEND itself. */
static int writeback;

/* A path of the mount, relative to the source directory ("/" is "."). */
static const char *rel(const char *path) {
  while (*path == '/') path++;
  return *path ? path : ".";
}

static void hold(void) {
  struct timespec left = {delay_micros / 1000000, (delay_micros % 1000000) * 1000};
  while (nanosleep(&left, &left) == -1 && errno == EINTR) {
  }
}

static void *sf_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
  if (conn->capable & FUSE_CAP_WRITEBACK_CACHE) {
    conn->want |= FUSE_CAP_WRITEBACK_CACHE;
    writeback = 1;
  }
  cfg->use_ino = 1;
  /* The source can change only through this mount: let the kernel cache what it learns. */
  cfg->entry_timeout = 1.0;
  cfg->attr_timeout = 1.0;
  cfg->negative_timeout = 0;
  return NULL;
}

static int sf_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
  int r = fi ? fstat(fi->fh, st) : fstatat(source_fd, rel(path), st, AT_SYMLINK_NOFOLLOW);
  return r == -1 ? -errno : 0;
}

static int sf_access(const char *path, int mask) {
  return faccessat(source_fd, rel(path), mask, 0) == -1 ? -errno : 0;
}

static int sf_readlink(const char *path, char *buf, size_t size) {
  ssize_t n = readlinkat(source_fd, rel(path), buf, size - 1);
  if (n == -1) return -errno;
  buf[n] = '\0';
  return 0;
}

static int sf_opendir(const char *path, struct fuse_file_info *fi) {
  int fd = openat(source_fd, rel(path), O_RDONLY | O_DIRECTORY);
  if (fd == -1) return -errno;
  fi->fh = fd;
  return 0;
}

static int sf_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
                      struct fuse_file_info *fi, enum fuse_readdir_flags flags) {
  (void)path;
  (void)off;
  (void)flags;
  int fd = dup(fi->fh);
  if (fd == -1) return -errno;
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    int e = errno;
    close(fd);
    return -e;
  }
  rewinddir(d);
  for (struct dirent *e = readdir(d); e != NULL; e = readdir(d)) {
    struct stat st = {0};
    st.st_ino = e->d_ino;
    st.st_mode = DTTOIF(e->d_type);
    if (fill(buf, e->d_name, &st, 0, 0)) break;
  }
  closedir(d);
  return 0;
}

static int sf_releasedir(const char *path, struct fuse_file_info *fi) {
  (void)path;
  close(fi->fh);
  return 0;
}

static int sf_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)path;
  int r = datasync ? fdatasync(fi->fh) : fsync(fi->fh);
  if (r == -1) return -errno;
  hold();
  return 0;
}

static int sf_mknod(const char *path, mode_t mode, dev_t rdev) {
  return mknodat(source_fd, rel(path), mode, rdev) == -1 ? -errno : 0;
}

static int sf_mkdir(const char *path, mode_t mode) {
  return mkdirat(source_fd, rel(path), mode) == -1 ? -errno : 0;
}

static int sf_unlink(const char *path) {
  return unlinkat(source_fd, rel(path), 0) == -1 ? -errno : 0;
}

static int sf_rmdir(const char *path) {
  return unlinkat(source_fd, rel(path), AT_REMOVEDIR) == -1 ? -errno : 0;
}

static int sf_symlink(const char *target, const char *path) {
  return symlinkat(target, source_fd, rel(path)) == -1 ? -errno : 0;
}

static int sf_rename(const char *from, const char *to, unsigned int flags) {
  return renameat2(source_fd, rel(from), source_fd, rel(to), flags) == -1 ? -errno : 0;
}

static int sf_link(const char *from, const char *to) {
  return linkat(source_fd, rel(from), source_fd, rel(to), 0) == -1 ? -errno : 0;
}

static int sf_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
  int r = fi ? fchmod(fi->fh, mode) : fchmodat(source_fd, rel(path), mode, 0);
  return r == -1 ? -errno : 0;
}

static int sf_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
  int r = fi ? fchown(fi->fh, uid, gid)
             : fchownat(source_fd, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW);
  return r == -1 ? -errno : 0;
}

static int sf_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
  if (fi) return ftruncate(fi->fh, size) == -1 ? -errno : 0;
  int fd = openat(source_fd, rel(path), O_WRONLY);
  if (fd == -1) return -errno;
  int r = ftruncate(fd, size) == -1 ? -errno : 0;
  close(fd);
  return r;
}

static int sf_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
  int r = fi ? futimens(fi->fh, tv) : utimensat(source_fd, rel(path), tv, AT_SYMLINK_NOFOLLOW);
  return r == -1 ? -errno : 0;
}

/* The flags to open the source file with, given the flags the mount's file was opened with. */
static int source_flags(int flags) {
  if (writeback) {
    if ((flags & O_ACCMODE) == O_WRONLY) flags = (flags & ~O_ACCMODE) | O_RDWR;
    flags &= ~O_APPEND;
  }
  return flags;
}

static int sf_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
  int fd = openat(source_fd, rel(path), source_flags(fi->flags) | O_CREAT, mode);
  if (fd == -1) return -errno;
  fi->fh = fd;
  return 0;
}

static int sf_open(const char *path, struct fuse_file_info *fi) {
  int fd = openat(source_fd, rel(path), source_flags(fi->flags) & ~O_NOFOLLOW);
  if (fd == -1) return -errno;
  fi->fh = fd;
  return 0;
}

static int sf_read(const char *path, char *buf, size_t size, off_t off,
                   struct fuse_file_info *fi) {
  (void)path;
  ssize_t n = pread(fi->fh, buf, size, off);
  return n == -1 ? -errno : (int)n;
}

static int sf_write(const char *path, const char *buf, size_t size, off_t off,
                    struct fuse_file_info *fi) {
  (void)path;
  ssize_t n = pwrite(fi->fh, buf, size, off);
  return n == -1 ? -errno : (int)n;
}

static int sf_statfs(const char *path, struct statvfs *st) {
  (void)path;
  return fstatvfs(source_fd, st) == -1 ? -errno : 0;
}

static int sf_flush(const char *path, struct fuse_file_info *fi) {
  (void)path;
  /* close() of a dup reports a delayed write error, as close() of the original would. */
  int fd = dup(fi->fh);
  if (fd == -1) return -errno;
  return close(fd) == -1 ? -errno : 0;
}

static int sf_release(const char *path, struct fuse_file_info *fi) {
  (void)path;
  close(fi->fh);
  return 0;
}

static int sf_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
  (void)path;
  int r = datasync ? fdatasync(fi->fh) : fsync(fi->fh);
  if (r == -1) return -errno;
  hold();
  return 0;
}

static int sf_fallocate(const char *path, int mode, off_t off, off_t len,
                        struct fuse_file_info *fi) {
  (void)path;
  return fallocate(fi->fh, mode, off, len) == -1 ? -errno : 0;
}

static off_t sf_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi) {
  (void)path;
  off_t r = lseek(fi->fh, off, whence);
  return r == -1 ? -errno : r;
}

static const struct fuse_operations ops = {
    .init = sf_init,
    .getattr = sf_getattr,
    .access = sf_access,
    .readlink = sf_readlink,
    .opendir = sf_opendir,
    .readdir = sf_readdir,
    .releasedir = sf_releasedir,
    .fsyncdir = sf_fsyncdir,
    .mknod = sf_mknod,
    .mkdir = sf_mkdir,
    .unlink = sf_unlink,
    .rmdir = sf_rmdir,
    .symlink = sf_symlink,
    .rename = sf_rename,
    .link = sf_link,
    .chmod = sf_chmod,
    .chown = sf_chown,
    .truncate = sf_truncate,
    .utimens = sf_utimens,
    .create = sf_create,
    .open = sf_open,
    .read = sf_read,
    .write = sf_write,
    .statfs = sf_statfs,
    .flush = sf_flush,
    .release = sf_release,
    .fsync = sf_fsync,
    .fallocate = sf_fallocate,
    .lseek = sf_lseek,
};

int main(int argc, char *argv[]) {
  if (argc < 4) {
    fprintf(stderr, "usage: slowfs SOURCE_DIR MOUNT_POINT DELAY_MICROS [fuse options]\n");
    return 2;
  }
  char *end;
  delay_micros = strtol(argv[3], &end, 10);
  if (*end != '\0' || delay_micros < 0 || delay_micros > 10000000) {
    fprintf(stderr, "slowfs: DELAY_MICROS '%s': write whole microseconds, 0 to 10000000\n",
            argv[3]);
    return 2;
  }
  source_fd = open(argv[1], O_RDONLY | O_DIRECTORY);
  if (source_fd == -1) {
    fprintf(stderr, "slowfs: SOURCE_DIR %s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  umask(0);
  /* fuse_main sees: slowfs MOUNT_POINT [options] */
  char *fargv[argc - 1];
  fargv[0] = argv[0];
  fargv[1] = argv[2];
  for (int i = 4; i < argc; i++) fargv[i - 2] = argv[i];
  return fuse_main(argc - 2, fargv, &ops, NULL);
}
