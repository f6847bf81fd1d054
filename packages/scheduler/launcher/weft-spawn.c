// weft-spawn: weft's native spawn launcher (DESIGN §4, §6; docs/execution_model/SCHEDULING.md).
//
// Does what launcher/spawn-launcher.mjs does — start `/bin/sh -c command` in its own session and process group,
// stdin /dev/null, stdout and stderr the task's log file opened for append, and report spawns and exits — but with
// posix_spawn(3), which glibc implements with clone(CLONE_VM|CLONE_VFORK): no page tables are copied and no page
// takes a copy-on-write fault, where Node's spawn() fork()s a ~50 MB process. On the 2-vCPU machine of
// docs/benchmarks.md, 1,000 sequential-by-two `/bin/sh -c true` cost ~6 s of machine CPU this way against ~12.5 s
// from a Node process.
//
// Built by scripts/build-native.mjs (`pnpm build`) where a C compiler is available; src/spawn-launcher.ts uses it
// when `weft-spawn --version` answers PROTOCOL below, else the Node launcher. Linux only (posix_spawn_file_actions_
// addchdir_np and POSIX_SPAWN_SETSID are glibc ≥ 2.29 / 2.26 extensions).
//
// Protocol. Output: NDJSON, the same messages as the Node launcher —
//   {"t":"spawned","id":1,"pid":123,"offset":456}  {"t":"exit","id":1,"code":0,"signal":null}
//   {"t":"error","id":1,"message":"…"}             {"t":"dropped","id":2}
// Input: records of NUL-terminated fields (nothing weft sends can contain a NUL: exec(2) could not take it):
//   S \0 id \0 after \0 cwd \0 log \0 header \0 command \0 n \0 KEY=VALUE \0 … (n of them)
//     after: the id of the command this one starts behind (launch ahead), or empty; header: text appended to the
//     log before the command starts, "{at}" → start time (ISO-8601, UTC), or empty; cwd empty: the launcher's own.
//   C \0 id \0      drop launch-ahead request `id` if it is still waiting
// stdin closing ends the launcher; running commands are left alone (the next `weft run` finds them by pid).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PROTOCOL "weft-spawn 1"
#define RECENT 256

extern char **environ;

typedef struct {
  long id;
  long after; /* -1: none */
  char *cwd, *log, *header, *command;
  size_t nenv;
  char **env;
  char *block; /* owns the strings above */
} Request;

typedef struct {
  pid_t pid;
  long id;
} Running;

static Running *running;
static size_t nrunning, caprunning;
static Request **waiting;
static size_t nwaiting, capwaiting;
static struct {
  long id;
  int code; /* exit code; -1: killed by a signal */
} recent[RECENT];
static size_t nrecent, recentnext;
static volatile sig_atomic_t childflag;
static char **baseenv; /* the environment at start, nbase entries */
static size_t nbase;

/* ---------- output: buffered NDJSON on stdout ---------- */
static char *out;
static size_t outlen, outcap;

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n);
  if (q == NULL) {
    fputs("weft-spawn: out of memory\n", stderr);
    _exit(70);
  }
  return q;
}

static void put(const char *s, size_t n) {
  if (outlen + n > outcap) {
    outcap = (outlen + n) * 2 + 256;
    out = xrealloc(out, outcap);
  }
  memcpy(out + outlen, s, n);
  outlen += n;
}
static void puts_(const char *s) { put(s, strlen(s)); }
static void putlong(long v) {
  char b[32];
  put(b, (size_t)snprintf(b, sizeof b, "%ld", v));
}
static void putjson(const char *s) {
  put("\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char b[8];
    if (*p == '"' || *p == '\\') {
      b[0] = '\\';
      b[1] = (char)*p;
      put(b, 2);
    } else if (*p < 0x20) {
      put(b, (size_t)snprintf(b, sizeof b, "\\u%04x", *p));
    } else {
      put((const char *)p, 1);
    }
  }
  put("\"", 1);
}

static void flush(void) {
  size_t done = 0;
  while (done < outlen) {
    ssize_t n = write(1, out + done, outlen - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(0); /* the orchestrator is gone */
    done += (size_t)n;
  }
  outlen = 0;
}

static void send_simple(const char *t, long id) {
  puts_("{\"t\":\"");
  puts_(t);
  puts_("\",\"id\":");
  putlong(id);
  puts_("}\n");
}

static void send_error(long id, int err, const char *what, const char *path) {
  /* like Node's fs errors: "ENOENT: no such file or directory, chdir '/x'" */
  char msg[4096];
  const char *name = strerrorname_np(err);
  snprintf(msg, sizeof msg, "%s: %s, %s '%s'", name ? name : "E?", strerror(err), what, path);
  puts_("{\"t\":\"error\",\"id\":");
  putlong(id);
  puts_(",\"message\":");
  putjson(msg);
  puts_("}\n");
}

/* ---------- bookkeeping ---------- */
static int running_has(long id) {
  for (size_t i = 0; i < nrunning; i++)
    if (running[i].id == id) return 1;
  return 0;
}

/* 1 and the exit code when `id` ended recently */
static int recent_code(long id, int *code) {
  for (size_t i = 0; i < nrecent; i++)
    if (recent[i].id == id) {
      *code = recent[i].code;
      return 1;
    }
  return 0;
}

static void free_request(Request *r) {
  free(r->env);
  free(r->block);
  free(r);
}

static void start(Request *r);

static void ended(long id, int code) {
  recent[recentnext].id = id;
  recent[recentnext].code = code;
  recentnext = (recentnext + 1) % RECENT;
  if (nrecent < RECENT) nrecent++;
  for (size_t i = 0; i < nwaiting; i++) {
    Request *next = waiting[i];
    if (next->after != id) continue;
    waiting[i] = waiting[--nwaiting];
    if (code == 0)
      start(next);
    else
      send_simple("dropped", next->id);
    free_request(next);
    return;
  }
}

/* ---------- starting a command ---------- */
static void iso_now(char *b, size_t n) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t k = strftime(b, n, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(b + k, n - k, ".%03ldZ", ts.tv_nsec / 1000000);
}

static int write_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

static int write_header(int fd, const char *h) {
  const char *at = strstr(h, "{at}");
  if (at == NULL) return write_all(fd, h, strlen(h));
  char now[64];
  iso_now(now, sizeof now);
  if (write_all(fd, h, (size_t)(at - h)) < 0 || write_all(fd, now, strlen(now)) < 0) return -1;
  return write_all(fd, at + 4, strlen(at + 4));
}

/* the launcher's environment with the request's variables added (a request's KEY replaces the base's) */
static char **build_env(const Request *r) {
  char **env = xrealloc(NULL, (nbase + r->nenv + 1) * sizeof *env);
  size_t k = 0;
  for (size_t i = 0; i < nbase; i++) {
    const char *eq = strchr(baseenv[i], '=');
    size_t keylen = eq ? (size_t)(eq - baseenv[i]) : strlen(baseenv[i]);
    int replaced = 0;
    for (size_t j = 0; j < r->nenv && !replaced; j++)
      replaced = strncmp(r->env[j], baseenv[i], keylen) == 0 && r->env[j][keylen] == '=';
    if (!replaced) env[k++] = baseenv[i];
  }
  for (size_t j = 0; j < r->nenv; j++) env[k++] = r->env[j];
  env[k] = NULL;
  return env;
}

static void start(Request *r) {
  int fd = open(r->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) {
    send_error(r->id, errno, "open", r->log);
    ended(r->id, -1);
    return;
  }
  struct stat st;
  if ((r->header[0] && write_header(fd, r->header) < 0) || fstat(fd, &st) < 0) {
    send_error(r->id, errno, "write", r->log);
    close(fd);
    ended(r->id, -1);
    return;
  }
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  /* glibc keeps signals 32 and 33 for itself (SIGCANCEL, SIGSETXID): sigfillset() and sigaddset() leave them out,
     and its spawn then sets them to SIG_IGN in the child, which exec keeps. Named in the set, they get SIG_DFL like
     every other signal — as after Node's spawn. (Bit n-1 of a sigset_t is signal n on Linux.) */
  unsigned long *words = (unsigned long *)(void *)&all;
#if __SIZEOF_LONG__ == 8
  words[0] |= 3UL << 31;
#else
  words[0] |= 1UL << 31;
  words[1] |= 1UL;
#endif
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fd, 1);
  posix_spawn_file_actions_adddup2(&fa, fd, 2);
  if (r->cwd[0]) posix_spawn_file_actions_addchdir_np(&fa, r->cwd);
  posix_spawnattr_init(&at);
  /* detached like Node's spawn(…, {detached: true}): own session and process group; every signal at its default
     disposition and none blocked, whatever the launcher's own (it blocks SIGCHLD and ignores SIGPIPE) */
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setsigmask(&at, &none);
  posix_spawnattr_setsigdefault(&at, &all);
  char *argv[] = {"/bin/sh", "-c", r->command, NULL};
  char **env = build_env(r);
  pid_t pid;
  int rc = posix_spawn(&pid, "/bin/sh", &fa, &at, argv, env);
  free(env);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  close(fd);
  if (rc != 0) {
    /* glibc reports the child's failure before exec: a missing cwd is ENOENT here */
    if (r->cwd[0] && access(r->cwd, X_OK) != 0)
      send_error(r->id, rc, "chdir", r->cwd);
    else
      send_error(r->id, rc, "spawn", "/bin/sh");
    ended(r->id, -1);
    return;
  }
  if (nrunning == caprunning) {
    caprunning = caprunning * 2 + 8;
    running = xrealloc(running, caprunning * sizeof *running);
  }
  running[nrunning].pid = pid;
  running[nrunning].id = r->id;
  nrunning++;
  puts_("{\"t\":\"spawned\",\"id\":");
  putlong(r->id);
  puts_(",\"pid\":");
  putlong(pid);
  puts_(",\"offset\":");
  putlong((long)st.st_size);
  puts_("}\n");
}

static void handle(Request *r) {
  if (r->after < 0) {
    start(r);
    free_request(r);
    return;
  }
  int code;
  if (running_has(r->after)) {
    for (size_t i = 0; i < nwaiting; i++)
      if (waiting[i]->after == r->after) { /* one follower per command: the newer request wins */
        send_simple("dropped", waiting[i]->id);
        free_request(waiting[i]);
        waiting[i] = r;
        return;
      }
    if (nwaiting == capwaiting) {
      capwaiting = capwaiting * 2 + 8;
      waiting = xrealloc(waiting, capwaiting * sizeof *waiting);
    }
    waiting[nwaiting++] = r;
    return;
  }
  if (recent_code(r->after, &code) && code == 0)
    start(r);
  else
    send_simple("dropped", r->id);
  free_request(r);
}

static void cancel(long id) {
  for (size_t i = 0; i < nwaiting; i++) {
    if (waiting[i]->id != id) continue;
    send_simple("dropped", id);
    free_request(waiting[i]);
    waiting[i] = waiting[--nwaiting];
    return;
  }
}

/* ---------- children ---------- */
static void on_sigchld(int sig) {
  (void)sig;
  childflag = 1;
}

static void reap(void) {
  childflag = 0;
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    size_t i = 0;
    while (i < nrunning && running[i].pid != pid) i++;
    if (i == nrunning) continue;
    long id = running[i].id;
    running[i] = running[--nrunning];
    puts_("{\"t\":\"exit\",\"id\":");
    putlong(id);
    int code;
    if (WIFEXITED(status)) {
      code = WEXITSTATUS(status);
      puts_(",\"code\":");
      putlong(code);
      puts_(",\"signal\":null}\n");
    } else {
      code = -1;
      const char *abbrev = sigabbrev_np(WTERMSIG(status));
      puts_(",\"code\":null,\"signal\":");
      if (abbrev) {
        char name[32];
        snprintf(name, sizeof name, "SIG%s", abbrev);
        putjson(name);
      } else {
        puts_("null");
      }
      puts_("}\n");
    }
    /* written before a waiting command is started: the orchestrator settles this one while that one spawns */
    flush();
    ended(id, code);
  }
}

/* ---------- input ---------- */
/* the next NUL-terminated field of [*p, end), or NULL when the record is not complete yet */
static char *field(char **p, char *end) {
  char *nul = memchr(*p, '\0', (size_t)(end - *p));
  if (nul == NULL) return NULL;
  char *f = *p;
  *p = nul + 1;
  return f;
}

static long number(const char *s) {
  char *e;
  long v = strtol(s, &e, 10);
  if (*s == '\0' || *e != '\0') {
    fprintf(stderr, "weft-spawn: protocol error: bad number \"%.40s\"\n", s);
    _exit(2);
  }
  return v;
}

/* parses and handles the complete records of buf[0..len); returns how many bytes it used */
static size_t parse(char *buf, size_t len) {
  char *p = buf, *end = buf + len;
  for (;;) {
    char *rec = p, *kind = field(&p, end);
    if (kind == NULL) break;
    if (strcmp(kind, "C") == 0) {
      char *id = field(&p, end);
      if (id == NULL) return (size_t)(rec - buf);
      cancel(number(id));
      continue;
    }
    if (strcmp(kind, "S") != 0) {
      fprintf(stderr, "weft-spawn: protocol error: unknown record \"%.40s\"\n", kind);
      _exit(2);
    }
    char *f[7];
    for (int i = 0; i < 7; i++)
      if ((f[i] = field(&p, end)) == NULL) return (size_t)(rec - buf);
    long nenv = number(f[6]);
    char *envstart = p;
    for (long i = 0; i < nenv; i++)
      if (field(&p, end) == NULL) return (size_t)(rec - buf);
    /* complete: copy it out of the input buffer, fields pointing into the copy */
    Request *r = xrealloc(NULL, sizeof *r);
    size_t size = (size_t)(p - rec);
    r->block = xrealloc(NULL, size);
    memcpy(r->block, rec, size);
    char *base = r->block;
#define AT(x) (base + ((x) - rec))
    r->id = number(f[0]);
    r->after = f[1][0] ? number(f[1]) : -1;
    r->cwd = AT(f[2]);
    r->log = AT(f[3]);
    r->header = AT(f[4]);
    r->command = AT(f[5]);
    r->nenv = (size_t)nenv;
    r->env = xrealloc(NULL, ((size_t)nenv + 1) * sizeof *r->env);
    char *q = AT(envstart);
    for (long i = 0; i < nenv; i++) {
      r->env[i] = q;
      q += strlen(q) + 1;
    }
#undef AT
    handle(r);
  }
  return (size_t)(p - buf);
}

int main(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "--check") == 0)) {
    puts(PROTOCOL);
    return 0;
  }
  baseenv = environ;
  while (baseenv[nbase]) nbase++;
  /* whatever else we inherited (a parent's stray descriptors) is not for the commands: close-on-exec from here */
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
    for (int fd = 3; fd < 1024; fd++) {
      int flags = fcntl(fd, F_GETFD);
      if (flags >= 0) fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
    }
  }
  signal(SIGPIPE, SIG_IGN);
  sigset_t chld, waitmask;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, &waitmask); /* waitmask: the mask before, SIGCHLD unblocked only inside ppoll */
  sigdelset(&waitmask, SIGCHLD);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigchld;
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);

  size_t cap = 1 << 16, len = 0;
  char *in = xrealloc(NULL, cap);
  for (;;) {
    if (childflag) reap();
    flush();
    struct pollfd pfd = {.fd = 0, .events = POLLIN};
    int n = ppoll(&pfd, 1, NULL, &waitmask);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("weft-spawn: ppoll");
      return 1;
    }
    if (len == cap) {
      cap *= 2;
      in = xrealloc(in, cap);
    }
    ssize_t got = read(0, in + len, cap - len);
    if (got < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      perror("weft-spawn: read");
      return 1;
    }
    if (got == 0) { /* the orchestrator closed our stdin: done */
      if (childflag) reap();
      flush();
      free(in);
      return 0;
    }
    len += (size_t)got;
    size_t used = parse(in, len);
    memmove(in, in + used, len - used);
    len -= used;
  }
}
