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

static void kaohe_time(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  const unsigned char *s = sqlite3_value_text(argv[0]);
  int n = sqlite3_value_bytes(argv[0]);
  int t[6];
  if (s == 0) return;
  int kind = parse(s, n, t);
  if (kind == 0) return;
  if (kind == 2 && argc > 1 && sqlite3_value_int(argv[1])) t[3] = 23, t[4] = 59, t[5] = 59;
  char out[20];
  out[0] = '0' + t[0] / 1000, out[1] = '0' + t[0] / 100 % 10, out[2] = '0' + t[0] / 10 % 10, out[3] = '0' + t[0] % 10;
  out[4] = '-', out[5] = '0' + t[1] / 10, out[6] = '0' + t[1] % 10, out[7] = '-';
  out[8] = '0' + t[2] / 10, out[9] = '0' + t[2] % 10, out[10] = ' ';
  out[11] = '0' + t[3] / 10, out[12] = '0' + t[3] % 10, out[13] = ':';
  out[14] = '0' + t[4] / 10, out[15] = '0' + t[4] % 10, out[16] = ':';
  out[17] = '0' + t[5] / 10, out[18] = '0' + t[5] % 10, out[19] = 0;
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
  return sqlite3_create_function(db, "kaohe_tallied", 0, SQLITE_UTF8 | SQLITE_DIRECTONLY, t, kaohe_tallied, 0, 0);
}
