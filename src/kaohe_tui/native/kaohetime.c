/* kaohe_time(text, end_of_day): a case-file time as platforms write it -> 'YYYY-MM-DD HH:MM:SS',
 * or NULL when it is not one of the forms below (the bulk import then refuses the file and the
 * careful path, case_times.parse_time, reads it and names the row). Every text this accepts,
 * parse_time accepts and turns into the same value; it takes a subset of parse_time's forms:
 *   YYYY[-/.]M[M][-/.]D[D]  then optionally  [ T]+ H[H]:M[M] [:S[S] [.f{1,6}]]
 *   YYYY-MM-DD[T ]HH:MM[:SS[.f{1,6}]](Z|+HH:MM|-HH:MM)   converted to China time (UTC+8)
 *   YYYYMMDD, YYYYMMDDHHMM, YYYYMMDDHHMMSS
 * A date alone is the start of its day, or with end_of_day (a deadline) its last second.
 * ASCII spaces around the text are ignored (the careful path strips every cell). */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <string.h>

static int digits(const unsigned char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 1;
}

/* one or two digits at *p, advancing it */
static int small(const unsigned char **p, const unsigned char *end, int *out) {
  const unsigned char *s = *p;
  if (s >= end || *s < '0' || *s > '9') return 0;
  int v = *s++ - '0';
  if (s < end && *s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  *p = s;
  *out = v;
  return 1;
}

static int leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

static int valid(int y, int mo, int d, int h, int mi, int s) {
  return y >= 1 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 && d <= month_days(y, mo) && h >= 0 && h <= 23 &&
         mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

/* days since 1970-01-01 (Howard Hinnant's days_from_civil) and back */
static long long civil_days(int y, int m, int d) {
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from(long long z, int *y, int *m, int *d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  long long doe = z - era * 146097;
  long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0: not a form taken here; 1: a date and time; 2: a date alone */
static int parse(const unsigned char *s, int n, int *t) {
  const unsigned char *end = s + n, *p;
  int y, mo, d, h = 0, mi = 0, sec = 0;
  while (s < end && *s == ' ') s++;
  while (end > s && end[-1] == ' ') end--;
  n = (int)(end - s);
  if ((n == 8 || n == 12 || n == 14) && digits(s, n > 9 ? 9 : n, &y)) { /* compact digits */
    if (!digits(s, 4, &y) || !digits(s + 4, 2, &mo) || !digits(s + 6, 2, &d)) return 0;
    if (n >= 12 && (!digits(s + 8, 2, &h) || !digits(s + 10, 2, &mi))) return 0;
    if (n == 14 && !digits(s + 12, 2, &sec)) return 0;
    if (!valid(y, mo, d, h, mi, sec)) return 0;
    t[0] = y, t[1] = mo, t[2] = d, t[3] = h, t[4] = mi, t[5] = sec;
    return n == 8 ? 2 : 1;
  }
  if (n < 8 || !digits(s, 4, &y)) return 0;
  p = s + 4;
  unsigned char sep = *p;
  if (sep != '-' && sep != '/' && sep != '.') return 0;
  p++;
  if (!small(&p, end, &mo) || p >= end || (*p != '-' && *p != '/' && *p != '.')) return 0;
  p++;
  if (!small(&p, end, &d)) return 0;
  int dated_only = p == end;
  int zoned = 0, offset = 0; /* minutes east of UTC */
  if (!dated_only) {
    if (*p != ' ' && *p != 'T') return 0;
    const unsigned char *time_start = p;
    while (p < end && (*p == ' ' || *p == 'T')) p++;
    const unsigned char *hp = p;
    if (!small(&p, end, &h) || p >= end || *p != ':') return 0;
    p++;
    const unsigned char *mp = p;
    if (!small(&p, end, &mi)) return 0;
    int two_digit_hm = (mp - hp == 3) && (p - mp == 2);
    int two_digit_s = 1;
    if (p < end && *p == ':') {
      p++;
      const unsigned char *sp = p;
      if (!small(&p, end, &sec)) return 0;
      two_digit_s = p - sp == 2;
      if (p < end && *p == '.') {
        p++;
        int k = 0;
        while (p < end && *p >= '0' && *p <= '9' && k < 7) p++, k++;
        if (k < 1 || k > 6) return 0;
      }
    }
    if (p < end) { /* a zone: only after the ISO form YYYY-MM-DD[T ]HH:MM[:SS[.f]] */
      if (sep != '-' || s[7] != '-' || time_start - s != 10 || hp - time_start != 1 || !two_digit_hm || !two_digit_s)
        return 0;
      if (*p == 'Z' && p + 1 == end) {
        zoned = 1;
      } else if ((*p == '+' || *p == '-') && end - p == 6 && p[3] == ':') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || !digits(p + 4, 2, &om) || oh > 23 || om > 59) return 0;
        offset = (oh * 60 + om) * (*p == '-' ? -1 : 1);
        zoned = 1;
      } else {
        return 0;
      }
    }
  }
  if (!valid(y, mo, d, h, mi, sec)) return 0;
  if (zoned) { /* to China time, as parse_time keeps it */
    long long minutes = civil_days(y, mo, d) * 1440 + h * 60 + mi - offset + 8 * 60;
    long long days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    int rest = (int)(minutes - days * 1440);
    civil_from(days, &y, &mo, &d);
    h = rest / 60, mi = rest % 60;
    if (y < 1 || y > 9999) return 0;
  }
  t[0] = y, t[1] = mo, t[2] = d, t[3] = h, t[4] = mi, t[5] = sec;
  return dated_only ? 2 : 1;
}

/* The stored form YYYY-MM-DD HH:MM:SS of a time parse() takes (a date alone: its start, or its end
 * with end_of_day) into out[20]; 0 when parse() does not take it. kaohe_time and the reader share it. */
static int stored_time(const unsigned char *s, int n, int end_of_day, char *out) {
  int t[6];
  int kind = parse(s, n, t);
  if (kind == 0) return 0;
  if (kind == 2 && end_of_day) t[3] = 23, t[4] = 59, t[5] = 59;
  out[0] = '0' + t[0] / 1000, out[1] = '0' + t[0] / 100 % 10, out[2] = '0' + t[0] / 10 % 10, out[3] = '0' + t[0] % 10;
  out[4] = '-', out[5] = '0' + t[1] / 10, out[6] = '0' + t[1] % 10, out[7] = '-';
  out[8] = '0' + t[2] / 10, out[9] = '0' + t[2] % 10, out[10] = ' ';
  out[11] = '0' + t[3] / 10, out[12] = '0' + t[3] % 10, out[13] = ':';
  out[14] = '0' + t[4] / 10, out[15] = '0' + t[4] % 10, out[16] = ':';
  out[17] = '0' + t[5] / 10, out[18] = '0' + t[5] % 10, out[19] = 0;
  return 1;
}

static void kaohe_time(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const unsigned char *s = sqlite3_value_text(argv[0]);
  char out[20];
  if (s == 0) return;
  if (!stored_time(s, sqlite3_value_bytes(argv[0]), argc > 1 && sqlite3_value_int(argv[1]), out)) return;
  sqlite3_result_text(ctx, out, 19, SQLITE_TRANSIENT);
}

/* kaohe_count(text, most_digits): a count of extensions or failed checks as the careful path reads
 * it: empty (or NULL) is 0, digits only and at most most_digits of them its value; anything else
 * (a space, a sign, a decimal point) NULL, and the file goes the careful way. */
static void kaohe_count(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const unsigned char *s = sqlite3_value_text(argv[0]);
  int n = s ? sqlite3_value_bytes(argv[0]) : 0, most = argc > 1 ? sqlite3_value_int(argv[1]) : 6;
  sqlite3_int64 v = 0;
  if (n > most || n > 18) return;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return;
    v = v * 10 + (s[i] - '0');
  }
  sqlite3_result_int64(ctx, v);
}

/* kaohe_odd(a, b, …): 1 when any text holds whitespace other than the ASCII space (a tab, a line
 * break, U+3000 from Chinese input methods, U+00A0 …: what Python's str.isspace() calls space),
 * which only the careful path strips; 0 otherwise. A GLOB over the same set costs ten times as much. */
static int odd_space(const unsigned char *s, int n) {
  for (int i = 0; i < n; i++) {
    unsigned c = s[i];
    if (c < 0x80) {
      if ((c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f)) return 1;
      continue;
    }
    unsigned cp;
    if ((c & 0xe0) == 0xc0 && i + 1 < n) cp = ((c & 0x1f) << 6) | (s[i + 1] & 0x3f), i += 1;
    else if ((c & 0xf0) == 0xe0 && i + 2 < n) cp = ((c & 0x0f) << 12) | ((s[i + 1] & 0x3f) << 6) | (s[i + 2] & 0x3f), i += 2;
    else if ((c & 0xf8) == 0xf0 && i + 3 < n) { i += 3; continue; }
    else continue;
    if (cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
        cp == 0x202f || cp == 0x205f || cp == 0x3000)
      return 1;
  }
  return 0;
}

static void kaohe_odd(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  for (int i = 0; i < argc; i++) {
    const unsigned char *s = sqlite3_value_text(argv[i]);
    if (s && odd_space(s, sqlite3_value_bytes(argv[i]))) {
      sqlite3_result_int(ctx, 1);
      return;
    }
  }
  sqlite3_result_int(ctx, 0);
}


/* kaohe_tally(unit, month, v1, …, vN): adds the row's values to the sums of its (unit, month)
 * group and returns 1; kaohe_tallied() gives every group as JSON [[unit, month, sum1, …], …] and
 * starts afresh. It is SQL's GROUP BY unit, month with sum(v1) … sum(vN) (the test suite holds it
 * to that), done by a hash table during the one pass the bulk import makes over the file:
 * what each value counts is the SQL expression the caller passes, never decided here. */
typedef struct {
  char *key; /* per key: a byte 0 (NULL) or 1 (text), 4 bytes of length, the text */
  int klen;
  sqlite3_int64 *sums;
} Group;

typedef struct {
  Group *slots;
  int cap, used, width; /* width: values a row, fixed by the first row */
} Tally;

static unsigned long long fnv(const char *s, int n) {
  unsigned long long h = 1469598103934665603ULL;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

static void tally_clear(Tally *t) {
  for (int i = 0; i < t->cap; i++) sqlite3_free(t->slots[i].key), sqlite3_free(t->slots[i].sums);
  sqlite3_free(t->slots);
  t->slots = 0, t->cap = t->used = t->width = 0;
}

static void tally_free(void *p) {
  tally_clear((Tally *)p);
  sqlite3_free(p);
}

static Group *tally_slot(Group *slots, int cap, const char *key, int klen) {
  unsigned long long i = fnv(key, klen) & (unsigned long long)(cap - 1);
  while (slots[i].key && (slots[i].klen != klen || memcmp(slots[i].key, key, klen) != 0)) i = (i + 1) & (cap - 1);
  return &slots[i];
}

static int tally_grow(Tally *t) {
  int cap = t->cap ? t->cap * 2 : 1024;
  Group *slots = sqlite3_malloc64(sizeof(Group) * (sqlite3_uint64)cap);
  if (!slots) return 0;
  memset(slots, 0, sizeof(Group) * (size_t)cap);
  for (int i = 0; i < t->cap; i++)
    if (t->slots[i].key) *tally_slot(slots, cap, t->slots[i].key, t->slots[i].klen) = t->slots[i];
  sqlite3_free(t->slots);
  t->slots = slots, t->cap = cap;
  return 1;
}

static int put_key(char *out, sqlite3_value *v) {
  const unsigned char *s = sqlite3_value_text(v);
  if (!s) {
    out[0] = 0;
    return 1;
  }
  int n = sqlite3_value_bytes(v);
  out[0] = 1;
  memcpy(out + 1, &n, 4);
  memcpy(out + 5, s, (size_t)n);
  return 5 + n;
}

static void kaohe_tally(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Tally *t = sqlite3_user_data(ctx);
  if (argc < 2) return sqlite3_result_error(ctx, "kaohe_tally: unit, month, values", -1);
  if (t->width == 0) t->width = argc - 2;
  if (argc - 2 != t->width) return sqlite3_result_error(ctx, "kaohe_tally: a row of another width", -1);
  int n0 = sqlite3_value_bytes(argv[0]), n1 = sqlite3_value_bytes(argv[1]);
  char small_key[256], *key = small_key;
  if (10 + n0 + n1 > (int)sizeof small_key && !(key = sqlite3_malloc(10 + n0 + n1)))
    return sqlite3_result_error_nomem(ctx);
  int klen = put_key(key, argv[0]);
  klen += put_key(key + klen, argv[1]);
  if ((t->used + 1) * 2 > t->cap && !tally_grow(t)) goto nomem;
  Group *g = tally_slot(t->slots, t->cap, key, klen);
  if (!g->key) {
    g->key = sqlite3_malloc(klen);
    g->sums = sqlite3_malloc64(sizeof(sqlite3_int64) * (sqlite3_uint64)t->width);
    if (!g->key || !g->sums) {
      sqlite3_free(g->key), sqlite3_free(g->sums);
      g->key = 0, g->sums = 0;
      goto nomem;
    }
    memcpy(g->key, key, (size_t)klen);
    memset(g->sums, 0, sizeof(sqlite3_int64) * (size_t)t->width);
    g->klen = klen;
    t->used++;
  }
  for (int i = 0; i < t->width; i++) g->sums[i] += sqlite3_value_int64(argv[i + 2]); /* NULL adds 0, as sum() */
  if (key != small_key) sqlite3_free(key);
  sqlite3_result_int(ctx, 1);
  return;
nomem:
  if (key != small_key) sqlite3_free(key);
  sqlite3_result_error_nomem(ctx);
}

static void json_key(sqlite3_str *out, const char **p) {
  const unsigned char *s = (const unsigned char *)*p;
  if (s[0] == 0) {
    sqlite3_str_appendall(out, "null");
    *p += 1;
    return;
  }
  int n;
  memcpy(&n, s + 1, 4);
  s += 5;
  sqlite3_str_appendchar(out, 1, '"');
  for (int i = 0; i < n; i++) {
    if (s[i] == '"' || s[i] == '\\') sqlite3_str_appendchar(out, 1, '\\'), sqlite3_str_appendchar(out, 1, (char)s[i]);
    else if (s[i] < 0x20) sqlite3_str_appendf(out, "\\u%04x", s[i]);
    else sqlite3_str_appendchar(out, 1, (char)s[i]);
  }
  sqlite3_str_appendchar(out, 1, '"');
  *p += 5 + n;
}

static void kaohe_tallied(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc, (void)argv;
  Tally *t = sqlite3_user_data(ctx);
  sqlite3_str *out = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  sqlite3_str_appendchar(out, 1, '[');
  int first = 1;
  for (int i = 0; i < t->cap; i++) {
    Group *g = &t->slots[i];
    if (!g->key) continue;
    const char *p = g->key;
    sqlite3_str_appendall(out, first ? "[" : ",[");
    first = 0;
    json_key(out, &p);
    sqlite3_str_appendchar(out, 1, ',');
    json_key(out, &p);
    for (int j = 0; j < t->width; j++) sqlite3_str_appendf(out, ",%lld", g->sums[j]);
    sqlite3_str_appendchar(out, 1, ']');
  }
  sqlite3_str_appendchar(out, 1, ']');
  tally_clear(t);
  int n = sqlite3_str_length(out);
  char *text = sqlite3_str_finish(out);
  if (!text) return sqlite3_result_error_nomem(ctx);
  sqlite3_result_text(ctx, text, n, sqlite3_free);
}

/* -- kaohe_cases: a case file read straight into the rows ``cases`` stores ---------------------
 * CREATE VIRTUAL TABLE temp.x USING kaohe_cases('<job>'): the job is "key=value" items separated
 * by RS (0x1e), lists inside a value by US (0x1f) (bulk_cases.NativeCaseFile writes it). Each row
 * of the file (after its header; wholly blank rows skipped) becomes the values the careful path
 * (case_import.case_rows) would store: times normalised by parse() above, counts, the answer's
 * class, the platform stage's status, a forced closing. Whatever the careful path might read
 * otherwise (a form parse() does not take, odd whitespace, a bad count, an unknown answer, a
 * cell beyond the header, a quote where CSV has none, bytes that are not UTF-8 ...) ends the
 * statement with an error: the bulk import then refuses the file and the careful path names the
 * row. So SQLite is handed finished values: its INSERT runs no per-row expression but the tally. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { F_ID, F_UNIT, F_SOURCE, F_PERIOD, F_FIRST, F_DEADLINE, F_CLOSING, F_FORCED, F_STATUS, F_EXT, F_FAILED, F_SAT, NF };
static const char *const field_keys[NF] = {"id", "unit", "source", "period", "first", "deadline",
                                           "closing", "forced", "status", "ext", "failed", "sat"};
enum { L_VOID, L_FORCE, L_SATISFIED, L_UNSATISFIED, L_NOT_VISITED, NL };
static const char *const list_keys[NL] = {"void", "force_closed", "satisfied", "unsatisfied", "not_visited"};
enum { C_ID, C_UNIT, C_SOURCE, C_REPORTED, C_DEADLINE, C_CLOSED, C_EXT, C_FAILED, C_ANSWER, C_SATISFIED, C_STATUS,
       C_UNTIMED, C_MONTH, NC };
#define CELL_MOST (16 << 20) /* as the careful path's csv.field_size_limit */
#define BUF_SIZE (1 << 20)
#define RING 1024 /* rows the reading thread may be ahead of SQLite (threads=1) */

typedef struct {
  char **items;
  int *lens, n;
} List;

typedef struct {
  sqlite3_vtab base;
  char *path;
  int col[NF], width, untimed;
  List lists[NL];
  List units;     /* key, name, key, name ...: a unit's normalised name or alias -> its name */
  int *unit_slot; /* open addressing over the keys: index of the key in units, or -1 */
  int unit_cap;
  int unique;     /* refuse a case id written twice (a later export: no key of the table says so) */
  int threads;    /* read and check the file in a thread of its own, ahead of SQLite's insert */
} CaseTab;

typedef struct {
  sqlite3_vtab_cursor base;
  FILE *fh;
  unsigned char *buf;
  size_t pos, len;
  int eof, done;
  sqlite3_int64 row;           /* records read, the header included: the rowid */
  char *text;                  /* the record's cells, one after another */
  size_t text_len, text_cap;
  size_t *start;               /* cell i: text + start[i], len[i] bytes */
  int *clen, ncells, cell_cap;
  /* the row's values */
  const char *id, *unit, *source, *answer, *status;
  int id_len, unit_len, source_len, answer_len;
  char reported[20], deadline[20], closed[20];
  unsigned long long *ids; /* with unique: the 64-bit hashes of the ids read (0: a free slot) */
  sqlite3_int64 ids_cap, ids_used;
  int has_deadline, has_closed;
  sqlite3_int64 ext, failed;
  int satisfied; /* 1, 0, or -1: NULL */
  const char *why;             /* refused: why, at record why_row (the statement's error: tell) */
  sqlite3_int64 why_row;
  struct Ahead *ahead;         /* threads=1: the reading thread and the rows it has read */
} CaseCursor;

/* One row read ahead (threads=1): the row's values, its texts copied (the reader's own change
 * with the next record), or the file's end, or the refusal that ends the statement. */
typedef struct {
  int kind; /* ROW_READ, ROW_END, ROW_REFUSED */
  sqlite3_int64 row;
  const char *why;
  char *text; /* id, unit, source, answer one after another */
  size_t cap;
  int id_len, unit_len, source_len, answer_len;
  const char *status;
  char reported[20], deadline[20], closed[20];
  int has_deadline, has_closed, satisfied;
  sqlite3_int64 ext, failed;
} Ahead1;
enum { ROW_READ = 1, ROW_END, ROW_REFUSED };

/* A second cursor of its own reads and checks the file (read_record, case_row: as without a
 * thread) and hands each row over through a ring of RING slots; SQLite's thread takes them in
 * order. The rows and their refusal are those of the thread-less reader, one by one. */
struct Ahead {
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t filled, freed;
  CaseCursor reader;
  Ahead1 slots[RING];
  sqlite3_int64 head, tail; /* rows put in by the reader / taken by SQLite (the last taken in use) */
  int stop, reader_waits, sqlite_waits;
};

static void list_free(List *l) {
  for (int i = 0; i < l->n; i++) sqlite3_free(l->items[i]);
  sqlite3_free(l->items), sqlite3_free(l->lens);
  l->items = 0, l->lens = 0, l->n = 0;
}

static int list_parse(List *l, const char *s, int n) {
  int count = 1;
  for (int i = 0; i < n; i++) count += s[i] == 0x1f;
  if (n == 0) count = 0;
  l->items = sqlite3_malloc64(sizeof(char *) * (sqlite3_uint64)(count + 1));
  l->lens = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)(count + 1));
  if (!l->items || !l->lens) return 0;
  l->n = 0;
  int from = 0;
  for (int i = 0; count && i <= n; i++) {
    if (i == n || s[i] == 0x1f) {
      l->items[l->n] = sqlite3_mprintf("%.*s", i - from, s + from);
      if (!l->items[l->n]) return 0;
      l->lens[l->n++] = i - from;
      from = i + 1;
    }
  }
  return 1;
}

static int list_has(const List *l, const char *s, int n) {
  for (int i = 0; i < l->n; i++)
    if (l->lens[i] == n && memcmp(l->items[i], s, (size_t)n) == 0) return 1;
  return 0;
}

static int cases_free(CaseTab *t) {
  if (!t) return SQLITE_OK;
  sqlite3_free(t->path);
  for (int i = 0; i < NL; i++) list_free(&t->lists[i]);
  list_free(&t->units);
  sqlite3_free(t->unit_slot);
  sqlite3_free(t);
  return SQLITE_OK;
}

static unsigned long long fnv(const char *s, int n);

static int units_index(CaseTab *t) {
  int cap = 64;
  while (cap < t->units.n * 2) cap *= 2;
  if (!(t->unit_slot = sqlite3_malloc64(sizeof(int) * (sqlite3_uint64)cap))) return 0;
  t->unit_cap = cap;
  for (int i = 0; i < cap; i++) t->unit_slot[i] = -1;
  for (int i = 0; i + 1 < t->units.n; i += 2) {
    int h = (int)(fnv(t->units.items[i], t->units.lens[i]) & (unsigned long long)(cap - 1));
    while (t->unit_slot[h] >= 0) h = (h + 1) & (cap - 1);
    t->unit_slot[h] = i;
  }
  return 1;
}

/* the unit named (its trimmed cell) by a key of the job's, else the text itself: another
 * spelling is left to the helper, which matches it by its normalised name (names.norm) */
static void unit_named(CaseTab *t, const char **s, int *n) {
  int h = (int)(fnv(*s, *n) & (unsigned long long)(t->unit_cap - 1));
  for (int i; (i = t->unit_slot[h]) >= 0; h = (h + 1) & (t->unit_cap - 1)) {
    if (t->units.lens[i] == *n && memcmp(t->units.items[i], *s, (size_t)*n) == 0) {
      *s = t->units.items[i + 1], *n = t->units.lens[i + 1];
      return;
    }
  }
}

/* the job: one SQL string literal, its quotes doubled */
static int cases_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out, char **err) {
  (void)aux;
  if (argc != 4) {
    *err = sqlite3_mprintf("kaohe_cases: one argument, the job");
    return SQLITE_ERROR;
  }
  const char *a = argv[3];
  int n = (int)strlen(a);
  if (n < 2 || a[0] != '\'' || a[n - 1] != '\'') {
    *err = sqlite3_mprintf("kaohe_cases: the job is a string");
    return SQLITE_ERROR;
  }
  char *job = sqlite3_malloc(n);
  CaseTab *t = sqlite3_malloc(sizeof(CaseTab));
  if (!job || !t) {
    sqlite3_free(job), sqlite3_free(t);
    return SQLITE_NOMEM;
  }
  memset(t, 0, sizeof *t);
  int len = 0;
  for (int i = 1; i < n - 1; i++) {
    job[len++] = a[i];
    if (a[i] == '\'') i++; /* '' stands for ' */
  }
  job[len] = 0; /* atoi stops there, or at the RS after a value */
  for (int f = 0; f < NF; f++) t->col[f] = -1;
  int rc = SQLITE_OK;
  for (int from = 0, i = 0; i <= len; i++) {
    if (i < len && job[i] != 0x1e) continue;
    const char *item = job + from, *eq = memchr(item, '=', (size_t)(i - from));
    from = i + 1;
    if (!eq) continue;
    int klen = (int)(eq - item), vlen = (int)(job + i - eq - 1);
    const char *v = eq + 1;
#define KEY(k) (klen == (int)strlen(k) && memcmp(item, k, (size_t)klen) == 0)
    if (KEY("path")) t->path = sqlite3_mprintf("%.*s", vlen, v);
    else if (KEY("width")) t->width = atoi(v);
    else if (KEY("untimed")) t->untimed = vlen > 0 && v[0] == '1';
    else if (KEY("unique")) t->unique = vlen > 0 && v[0] == '1';
    else if (KEY("threads")) t->threads = vlen > 0 && v[0] == '1';
    for (int f = 0; f < NF; f++)
      if (KEY(field_keys[f])) t->col[f] = atoi(v);
    for (int l = 0; l < NL; l++)
      if (KEY(list_keys[l]) && !list_parse(&t->lists[l], v, vlen)) rc = SQLITE_NOMEM;
    if (KEY("units") && !list_parse(&t->units, v, vlen)) rc = SQLITE_NOMEM;
#undef KEY
  }
  sqlite3_free(job);
  if (rc == SQLITE_OK && (!t->path || t->width <= 0 || t->col[F_ID] < 0 || t->col[F_UNIT] < 0 || t->col[F_PERIOD] < 0)) {
    *err = sqlite3_mprintf("kaohe_cases: the job lacks the path, the width or a required column");
    rc = SQLITE_ERROR;
  }
  if (rc == SQLITE_OK && !units_index(t)) rc = SQLITE_NOMEM;
  if (rc == SQLITE_OK)
    rc = sqlite3_declare_vtab(db, "CREATE TABLE x(case_id, unit, source, reported_at, deadline, closed_at, extensions, "
                                  "failed_checks, satisfaction, satisfied, status, untimed, month HIDDEN)");
  if (rc != SQLITE_OK) {
    cases_free(t);
    return rc;
  }
  *out = &t->base;
  return SQLITE_OK;
}

static int cases_disconnect(sqlite3_vtab *v) { return cases_free((CaseTab *)v); }

static int cases_best_index(sqlite3_vtab *v, sqlite3_index_info *info) {
  (void)v;
  info->estimatedCost = 1e9;
  info->estimatedRows = 1000000;
  return SQLITE_OK;
}

static int cases_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out) {
  (void)v;
  CaseCursor *c = sqlite3_malloc(sizeof(CaseCursor));
  if (!c) return SQLITE_NOMEM;
  memset(c, 0, sizeof *c);
  *out = &c->base;
  return SQLITE_OK;
}

static void stop_ahead(CaseCursor *c);
static void free_reading(CaseCursor *c);

static int cases_close(sqlite3_vtab_cursor *cur) {
  CaseCursor *c = (CaseCursor *)cur;
  stop_ahead(c);
  free_reading(c);
  sqlite3_free(c);
  return SQLITE_OK;
}

/* why the row is refused, kept with its record number (tell gives SQLite the message: a reading
 * thread must not touch the table) */
static int refuse(CaseCursor *c, const char *why) {
  c->why = why, c->why_row = c->row;
  return SQLITE_ERROR;
}

static int tell(CaseCursor *c) {
  sqlite3_vtab *v = c->base.pVtab;
  sqlite3_free(v->zErrMsg);
  v->zErrMsg = sqlite3_mprintf("kaohe_cases: record %lld: %s", (long long)c->why_row, c->why ? c->why : "refused");
  return SQLITE_ERROR;
}

/* the buffer refilled: 1, or 0 at the file's end (c->eof; -2 from next_byte: a read error) */
static int refill(CaseCursor *c) {
  if (c->eof) return 0;
  c->len = fread(c->buf, 1, BUF_SIZE, c->fh);
  c->pos = 0;
  if (c->len < BUF_SIZE) c->eof = 1 + (ferror(c->fh) != 0);
  return c->len > 0;
}

/* the next byte of the file, or -1 at its end (-2: a read error) */
static inline int next_byte(CaseCursor *c) {
  if (c->pos == c->len && !refill(c)) return c->eof == 2 ? -2 : -1;
  return c->buf[c->pos++];
}

static int append(CaseCursor *c, const unsigned char *s, size_t n) {
  if (c->text_len + n > c->text_cap) {
    size_t cap = c->text_cap ? c->text_cap : 4096;
    while (cap < c->text_len + n) cap *= 2;
    char *text = sqlite3_realloc64(c->text, cap);
    if (!text) return 0;
    c->text = text, c->text_cap = cap;
  }
  memcpy(c->text + c->text_len, s, n);
  c->text_len += n;
  return 1;
}

static int put(CaseCursor *c, int ch) {
  unsigned char b = (unsigned char)ch;
  return append(c, &b, 1);
}

/* bytes up to the first of ``stop`` (a table of 256) into the cell; the stop byte is left unread */
static int span(CaseCursor *c, const unsigned char *stop, size_t from) {
  for (;;) {
    size_t i = c->pos;
    while (i < c->len && !stop[c->buf[i]]) i++;
    if (!append(c, c->buf + c->pos, i - c->pos)) return 0;
    c->pos = i;
    if (c->text_len - from > CELL_MOST) return 0;
    if (i < c->len || !refill(c)) return 1;
  }
}

static const unsigned char unquoted_stop[256] = {[','] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1};
static const unsigned char quoted_stop[256] = {['"'] = 1};

static int end_cell(CaseCursor *c, size_t from) {
  if (c->ncells == c->cell_cap) {
    int cap = c->cell_cap ? c->cell_cap * 2 : 64;
    size_t *start = sqlite3_realloc64(c->start, sizeof(size_t) * (sqlite3_uint64)cap);
    if (!start) return 0;
    c->start = start;
    int *clen = sqlite3_realloc64(c->clen, sizeof(int) * (sqlite3_uint64)cap);
    if (!clen) return 0;
    c->clen = clen, c->cell_cap = cap;
  }
  c->start[c->ncells] = from;
  c->clen[c->ncells++] = (int)(c->text_len - from);
  return 1;
}

static int valid_utf8(const unsigned char *s, int n) {
  for (int i = 0; i < n;) {
    unsigned c = s[i];
    if (c == 0) return 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    int k;
    unsigned cp;
    if ((c & 0xe0) == 0xc0) k = 1, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) k = 2, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) k = 3, cp = c & 0x07;
    else return 0;
    for (int j = 1; j <= k; j++) {
      if (i + j >= n || (s[i + j] & 0xc0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + j] & 0x3f);
    }
    if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return 0;
    i += k + 1;
  }
  return 1;
}

/* one CSV record into c->text and the cells; 0: the file's end; -1: refused (refuse: why) */
static int read_record(CaseCursor *c) {
  c->text_len = 0, c->ncells = 0;
  int ch = next_byte(c);
  if (ch == -1) return 0;
  c->row++;
  for (;;) { /* a cell */
    size_t from = c->text_len;
    if (ch == '"') {
      for (;;) {
        if (!span(c, quoted_stop, from)) return refuse(c, "a cell too long (or out of memory)"), -1;
        ch = next_byte(c);
        if (ch < 0) return refuse(c, "a quoted cell not closed"), -1;
        ch = next_byte(c); /* after the quote: another (one quote), or the cell's end */
        if (ch != '"') break;
        if (!put(c, ch)) return refuse(c, "out of memory"), -1;
      }
    } else if (ch >= 0 && ch != ',' && ch != '\n' && ch != '\r') {
      if (!put(c, ch) || !span(c, unquoted_stop, from)) return refuse(c, "a cell too long (or out of memory)"), -1;
      ch = next_byte(c);
      if (ch == '"') return refuse(c, "a quote inside a cell not quoted"), -1;
    }
    if (!end_cell(c, from)) return refuse(c, "out of memory"), -1;
    if (!valid_utf8((const unsigned char *)c->text + from, (int)(c->text_len - from)))
      return refuse(c, "a cell not UTF-8 (or holding NUL)"), -1;
    if (ch == ',') {
      ch = next_byte(c);
      continue;
    }
    if (ch == '\r') {
      ch = next_byte(c);
      if (ch != '\n') return refuse(c, "a line ending in CR alone"), -1;
    }
    if (ch == '\n' || ch == -1) return 1;
    if (ch == -2) return refuse(c, "the file could not be read"), -1;
    return refuse(c, "text after a closing quote"), -1;
  }
}

static void trim_spaces(const char **s, int *n) {
  while (*n > 0 && (*s)[0] == ' ') (*s)++, (*n)--;
  while (*n > 0 && (*s)[*n - 1] == ' ') (*n)--;
}

/* cell i of field f (after the spaces are trimmed when trim), or "" when the file lacks it */
static const char *cell_of(CaseCursor *c, int f, int *n, int trim) {
  int i = ((CaseTab *)c->base.pVtab)->col[f];
  if (i < 0 || i >= c->ncells) {
    *n = 0;
    return "";
  }
  const char *s = c->text + c->start[i];
  *n = c->clen[i];
  if (trim) trim_spaces(&s, n);
  return s;
}

/* 1: a time (or an empty cell: *out ""), 0: a cell parse() does not take */
static int time_of(CaseCursor *c, int f, int end_of_day, char *out) {
  int n;
  const char *s = cell_of(c, f, &n, 0);
  out[0] = 0;
  if (n == 0) return 1;
  return stored_time((const unsigned char *)s, n, end_of_day, out);
}

/* kaohe_count's rule: empty 0, else at most 6 digits and nothing else */
static int count_of(CaseCursor *c, int f, sqlite3_int64 *out) {
  int n;
  const char *s = cell_of(c, f, &n, 0);
  *out = 0;
  if (n > 6) return 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return 0;
    *out = *out * 10 + (s[i] - '0');
  }
  return 1;
}

static int starts_bracket(const char *s, int n, int at_end) { /* [ ] 【 】: 1 or 3 bytes, else 0 */
  const unsigned char *p = (const unsigned char *)s;
  if (n >= 1) {
    unsigned char b = at_end ? p[n - 1] : p[0];
    if (b == '[' || b == ']') return 1;
  }
  if (n >= 3) {
    const unsigned char *q = at_end ? p + n - 3 : p;
    if (q[0] == 0xe3 && q[1] == 0x80 && (q[2] == 0x90 || q[2] == 0x91)) return 3;
  }
  return 0;
}

static unsigned long long mix64(unsigned long long k) { /* every input bit moves every output bit */
  k ^= k >> 33, k *= 0xff51afd7ed558ccdULL, k ^= k >> 33, k *= 0xc4ceb9fe1a85ec53ULL, k ^= k >> 33;
  return k;
}

/* 1: the id was not read before (two ids of one 64-bit hash are taken for one: the file is
 * then refused and read by the careful path, which tells them apart); 0: out of memory */
static int id_first_seen(CaseCursor *c, const char *id, int n, int *first) {
  if ((c->ids_used + 1) * 2 > c->ids_cap) {
    sqlite3_int64 cap = c->ids_cap ? c->ids_cap * 2 : 1 << 16;
    unsigned long long *ids = sqlite3_malloc64(sizeof *ids * (sqlite3_uint64)cap);
    if (!ids) return 0;
    memset(ids, 0, sizeof *ids * (size_t)cap);
    for (sqlite3_int64 i = 0; i < c->ids_cap; i++) {
      if (!c->ids[i]) continue;
      sqlite3_int64 j = (sqlite3_int64)(c->ids[i] & (unsigned long long)(cap - 1));
      while (ids[j]) j = (j + 1) & (cap - 1);
      ids[j] = c->ids[i];
    }
    sqlite3_free(c->ids);
    c->ids = ids, c->ids_cap = cap;
  }
  unsigned long long h = mix64(fnv(id, n)) | 1; /* never 0 */
  sqlite3_int64 j = (sqlite3_int64)(h & (unsigned long long)(c->ids_cap - 1));
  for (; c->ids[j]; j = (j + 1) & (c->ids_cap - 1))
    if (c->ids[j] == h) {
      *first = 0;
      return 1;
    }
  c->ids[j] = h, c->ids_used++;
  *first = 1;
  return 1;
}

static int case_row(CaseCursor *c) {
  CaseTab *t = (CaseTab *)c->base.pVtab;
  int n;
  for (int i = 0; i < c->ncells; i++) { /* beyond the header: empty, or the careful path says why */
    if (i >= t->width && c->clen[i] > 0) return refuse(c, "a cell beyond the header");
  }
  static const int odd_checked[] = {F_ID, F_SOURCE, F_SAT, F_STATUS};
  for (int k = 0; k < 4; k++) {
    const char *s = cell_of(c, odd_checked[k], &n, 0);
    if (odd_space((const unsigned char *)s, n)) return refuse(c, "whitespace only the careful path strips");
  }
  c->id = cell_of(c, F_ID, &c->id_len, 1);
  if (c->id_len == 0 || memchr(c->id, ' ', (size_t)c->id_len)) return refuse(c, "an empty case id, or a space in one");
  int chars = 0;
  for (int i = 0; i < c->id_len; i++) chars += ((unsigned char)c->id[i] & 0xc0) != 0x80;
  if (chars > 200) return refuse(c, "a case id too long");
  int first_seen = 1;
  if (t->unique && !id_first_seen(c, c->id, c->id_len, &first_seen)) return refuse(c, "out of memory");
  if (!first_seen) return refuse(c, "a case id written twice");
  c->unit = cell_of(c, F_UNIT, &c->unit_len, 1);
  unit_named(t, &c->unit, &c->unit_len);
  c->source = cell_of(c, F_SOURCE, &c->source_len, 1);
  char first[20], forced[20];
  if (!time_of(c, F_PERIOD, 0, c->reported) || !c->reported[0]) return refuse(c, "the case's time");
  if (!time_of(c, F_FIRST, 0, first) || (first[0] && strcmp(c->reported, first) < 0)) return refuse(c, "the 上报 time");
  if (!time_of(c, F_DEADLINE, 1, c->deadline)) return refuse(c, "the deadline");
  if (!time_of(c, F_CLOSING, 0, c->closed)) return refuse(c, "the closing time");
  if (!time_of(c, F_FORCED, 0, forced)) return refuse(c, "the forced closing time");
  if (!count_of(c, F_EXT, &c->ext) || !count_of(c, F_FAILED, &c->failed)) return refuse(c, "a count");
  /* the stage as case_import._status_text reads it: spaces, then [ ] 【 】, then spaces trimmed */
  const char *stage = cell_of(c, F_STATUS, &n, 1);
  for (int k; (k = starts_bracket(stage, n, 0));) stage += k, n -= k;
  for (int k; (k = starts_bracket(stage, n, 1));) n -= k;
  trim_spaces(&stage, &n);
  int is_void = list_has(&t->lists[L_VOID], stage, n);
  int marked = forced[0] || (list_has(&t->lists[L_FORCE], stage, n) && !is_void);
  c->status = is_void ? "void" : marked ? "force_closed" : 0;
  if (marked && !c->closed[0]) memcpy(c->closed, forced, sizeof forced);
  if (c->closed[0] && strcmp(c->closed, c->reported) < 0) return refuse(c, "closed before reported");
  c->answer = cell_of(c, F_SAT, &c->answer_len, 1);
  if (list_has(&t->lists[L_SATISFIED], c->answer, c->answer_len)) c->satisfied = 1;
  else if (list_has(&t->lists[L_UNSATISFIED], c->answer, c->answer_len)) c->satisfied = 0;
  else if (c->answer_len == 0 || list_has(&t->lists[L_NOT_VISITED], c->answer, c->answer_len)) c->satisfied = -1;
  else return refuse(c, "an answer of no list");
  c->has_deadline = c->deadline[0] != 0, c->has_closed = c->closed[0] != 0;
  return SQLITE_OK;
}

/* the next row not blank into c's values: SQLITE_OK (c->done at the file's end) or SQLITE_ERROR (refuse: why) */
static int next_row(CaseCursor *c) {
  for (;;) {
    int got = read_record(c);
    if (got < 0) return SQLITE_ERROR;
    if (got == 0) {
      c->done = 1;
      return SQLITE_OK;
    }
    int blank = 1; /* a blank line, or cells of spaces only: skipped, as the careful path skips them */
    for (size_t i = 0; blank && i < c->text_len; i++) blank = c->text[i] == ' ';
    if (!blank) return case_row(c);
  }
}

static void free_reading(CaseCursor *c) { /* the file and the buffers a cursor reads with */
  if (c->fh) fclose(c->fh);
  sqlite3_free(c->buf), sqlite3_free(c->text), sqlite3_free(c->start), sqlite3_free(c->clen), sqlite3_free(c->ids);
  c->fh = 0, c->buf = 0, c->text = 0, c->start = 0, c->clen = 0, c->ids = 0;
  c->text_cap = 0, c->cell_cap = 0, c->ids_cap = c->ids_used = 0;
}

/* -- threads=1: the file read by a thread of its own, a ring of rows ahead of SQLite ------------ */
static int keep_row(Ahead1 *s, const CaseCursor *r) { /* r's row copied into s: 1, or 0 out of memory */
  size_t need = (size_t)r->id_len + (size_t)r->unit_len + (size_t)r->source_len + (size_t)r->answer_len;
  if (need > s->cap) {
    size_t cap = need < 256 ? 256 : need * 2;
    char *text = sqlite3_realloc64(s->text, cap);
    if (!text) return 0;
    s->text = text, s->cap = cap;
  }
  char *p = s->text;
  if (r->id_len) memcpy(p, r->id, (size_t)r->id_len), p += r->id_len;
  if (r->unit_len) memcpy(p, r->unit, (size_t)r->unit_len), p += r->unit_len;
  if (r->source_len) memcpy(p, r->source, (size_t)r->source_len), p += r->source_len;
  if (r->answer_len) memcpy(p, r->answer, (size_t)r->answer_len);
  s->id_len = r->id_len, s->unit_len = r->unit_len, s->source_len = r->source_len, s->answer_len = r->answer_len;
  s->status = r->status, s->has_deadline = r->has_deadline, s->has_closed = r->has_closed;
  s->satisfied = r->satisfied, s->ext = r->ext, s->failed = r->failed;
  memcpy(s->reported, r->reported, 20), memcpy(s->deadline, r->deadline, 20), memcpy(s->closed, r->closed, 20);
  return 1;
}

static void *read_ahead(void *arg) {
  struct Ahead *a = arg;
  CaseCursor *r = &a->reader;
  for (;;) {
    pthread_mutex_lock(&a->lock);
    while (a->head - a->tail >= RING - 1 && !a->stop) { /* the slot SQLite holds is never written */
      a->reader_waits = 1;
      pthread_cond_wait(&a->freed, &a->lock);
    }
    a->reader_waits = 0;
    int stop = a->stop;
    pthread_mutex_unlock(&a->lock);
    if (stop) return 0;
    Ahead1 *s = &a->slots[a->head % RING];
    if (next_row(r) != SQLITE_OK) s->kind = ROW_REFUSED, s->why = r->why, s->row = r->why_row;
    else if (r->done) s->kind = ROW_END, s->row = r->row;
    else if (!keep_row(s, r)) s->kind = ROW_REFUSED, s->why = "out of memory", s->row = r->row;
    else s->kind = ROW_READ, s->row = r->row;
    pthread_mutex_lock(&a->lock);
    a->head++;
    if (a->sqlite_waits && (a->head - a->tail >= 64 || s->kind != ROW_READ)) pthread_cond_signal(&a->filled);
    pthread_mutex_unlock(&a->lock);
    if (s->kind != ROW_READ) return 0;
  }
}

/* SQLite's thread: the next row the reading thread has read (waiting for it) into c's values */
static int take_row(CaseCursor *c) {
  struct Ahead *a = c->ahead;
  pthread_mutex_lock(&a->lock);
  while (a->head == a->tail) {
    a->sqlite_waits = 1;
    pthread_cond_wait(&a->filled, &a->lock);
  }
  a->sqlite_waits = 0;
  Ahead1 *s = &a->slots[a->tail % RING];
  a->tail++; /* the slot before it is free again */
  if (a->reader_waits && a->head - a->tail <= RING / 2) pthread_cond_signal(&a->freed);
  pthread_mutex_unlock(&a->lock);
  c->row = s->row;
  if (s->kind == ROW_END) {
    c->done = 1;
    return SQLITE_OK;
  }
  if (s->kind == ROW_REFUSED) {
    c->why = s->why, c->why_row = s->row;
    return tell(c);
  }
  const char *p = s->text;
  c->id = p, c->id_len = s->id_len, p += s->id_len;
  c->unit = p, c->unit_len = s->unit_len, p += s->unit_len;
  c->source = p, c->source_len = s->source_len, p += s->source_len;
  c->answer = p, c->answer_len = s->answer_len;
  c->status = s->status, c->has_deadline = s->has_deadline, c->has_closed = s->has_closed;
  c->satisfied = s->satisfied, c->ext = s->ext, c->failed = s->failed;
  memcpy(c->reported, s->reported, 20), memcpy(c->deadline, s->deadline, 20), memcpy(c->closed, s->closed, 20);
  return SQLITE_OK;
}

static void stop_ahead(CaseCursor *c) {
  struct Ahead *a = c->ahead;
  if (!a) return;
  pthread_mutex_lock(&a->lock);
  a->stop = 1;
  pthread_cond_broadcast(&a->freed);
  pthread_mutex_unlock(&a->lock);
  pthread_join(a->thread, 0);
  free_reading(&a->reader);
  for (int i = 0; i < RING; i++) sqlite3_free(a->slots[i].text);
  pthread_mutex_destroy(&a->lock), pthread_cond_destroy(&a->filled), pthread_cond_destroy(&a->freed);
  sqlite3_free(a);
  c->ahead = 0;
}

/* the reading state (past the header) handed to a thread of its own; 0: none could be started
 * (c reads on, in SQLite's thread) */
static int start_ahead(CaseCursor *c) {
  struct Ahead *a = sqlite3_malloc(sizeof(struct Ahead));
  if (!a) return 0;
  memset(a, 0, sizeof *a);
  a->reader = *c;
  a->reader.ahead = 0;
  pthread_mutex_init(&a->lock, 0), pthread_cond_init(&a->filled, 0), pthread_cond_init(&a->freed, 0);
  if (pthread_create(&a->thread, 0, read_ahead, a) != 0) {
    pthread_mutex_destroy(&a->lock), pthread_cond_destroy(&a->filled), pthread_cond_destroy(&a->freed);
    sqlite3_free(a);
    return 0;
  }
  c->fh = 0, c->buf = 0, c->text = 0, c->start = 0, c->clen = 0, c->ids = 0; /* the thread's now */
  c->text_cap = 0, c->cell_cap = 0, c->ids_cap = c->ids_used = 0;
  c->ahead = a;
  return 1;
}

static int cases_next(sqlite3_vtab_cursor *cur) {
  CaseCursor *c = (CaseCursor *)cur;
  if (c->ahead) return take_row(c);
  return next_row(c) == SQLITE_OK ? SQLITE_OK : tell(c);
}

static int cases_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc, sqlite3_value **argv) {
  (void)idx, (void)idx_str, (void)argc, (void)argv;
  CaseCursor *c = (CaseCursor *)cur;
  CaseTab *t = (CaseTab *)cur->pVtab;
  stop_ahead(c);
  if (c->fh) fclose(c->fh);
  c->fh = fopen(t->path, "rb");
  c->row = 0;
  if (!c->fh) return refuse(c, "the file cannot be opened"), tell(c);
  if (!c->buf && !(c->buf = sqlite3_malloc(BUF_SIZE))) return SQLITE_NOMEM;
  c->pos = c->len = 0, c->eof = c->done = 0;
  if (c->ids) memset(c->ids, 0, sizeof *c->ids * (size_t)c->ids_cap), c->ids_used = 0;
  if (refill(c) && c->len >= 3 && memcmp(c->buf, "\xef\xbb\xbf", 3) == 0) c->pos = 3; /* a byte order mark */
  if (read_record(c) < 0) return tell(c); /* the header */
  if (t->threads && start_ahead(c)) return take_row(c);
  return cases_next(cur);
}

static int cases_eof(sqlite3_vtab_cursor *cur) { return ((CaseCursor *)cur)->done; }

/* The texts point into the cursor, valid until it moves on (SQLITE_STATIC: no copy a value): an
 * INSERT ... SELECT stores each row before it asks for the next, and a sort or a GROUP BY copies. */
static int cases_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i) {
  CaseCursor *c = (CaseCursor *)cur;
  CaseTab *t = (CaseTab *)cur->pVtab;
  switch (i) {
    case C_ID: sqlite3_result_text(ctx, c->id, c->id_len, SQLITE_STATIC); break;
    case C_UNIT: sqlite3_result_text(ctx, c->unit, c->unit_len, SQLITE_STATIC); break;
    case C_SOURCE:
      if (c->source_len) sqlite3_result_text(ctx, c->source, c->source_len, SQLITE_STATIC);
      break;
    case C_REPORTED: sqlite3_result_text(ctx, c->reported, 19, SQLITE_STATIC); break;
    case C_DEADLINE:
      if (c->has_deadline) sqlite3_result_text(ctx, c->deadline, 19, SQLITE_STATIC);
      break;
    case C_CLOSED:
      if (c->has_closed) sqlite3_result_text(ctx, c->closed, 19, SQLITE_STATIC);
      break;
    case C_EXT: sqlite3_result_int64(ctx, c->ext); break;
    case C_FAILED: sqlite3_result_int64(ctx, c->failed); break;
    case C_ANSWER:
      if (c->satisfied >= 0) sqlite3_result_text(ctx, c->answer, c->answer_len, SQLITE_STATIC);
      break;
    case C_SATISFIED:
      if (c->satisfied >= 0) sqlite3_result_int(ctx, c->satisfied);
      break;
    case C_STATUS:
      if (c->status) sqlite3_result_text(ctx, c->status, -1, SQLITE_STATIC);
      break;
    case C_UNTIMED: sqlite3_result_int(ctx, t->untimed); break;
    case C_MONTH: sqlite3_result_text(ctx, c->reported, 7, SQLITE_STATIC); break; /* the month it counts in */
  }
  return SQLITE_OK;
}

static int cases_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out) {
  *out = ((CaseCursor *)cur)->row;
  return SQLITE_OK;
}

static sqlite3_module cases_module = {
    .xCreate = cases_connect, .xConnect = cases_connect, .xBestIndex = cases_best_index,
    .xDisconnect = cases_disconnect, .xDestroy = cases_disconnect, .xOpen = cases_open, .xClose = cases_close,
    .xFilter = cases_filter, .xNext = cases_next, .xEof = cases_eof, .xColumn = cases_column, .xRowid = cases_rowid};

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_kaohetime_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  SQLITE_EXTENSION_INIT2(api);
  (void)err;
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc = sqlite3_create_function(db, "kaohe_time", -1, flags, 0, kaohe_time, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "kaohe_odd", -1, flags, 0, kaohe_odd, 0, 0);
  if (rc == SQLITE_OK) rc = sqlite3_create_function(db, "kaohe_count", -1, flags, 0, kaohe_count, 0, 0);
  if (rc != SQLITE_OK) return rc;
  Tally *t = sqlite3_malloc(sizeof(Tally)); /* one a connection, freed with it */
  if (!t) return SQLITE_NOMEM;
  memset(t, 0, sizeof *t);
  /* not deterministic: each call adds to the tally */
  rc = sqlite3_create_function_v2(db, "kaohe_tally", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, t, kaohe_tally, 0, 0, tally_free);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_create_function(db, "kaohe_tallied", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, t, kaohe_tallied, 0, 0);
  if (rc != SQLITE_OK) return rc;
  return sqlite3_create_module(db, "kaohe_cases", &cases_module, 0);
}
