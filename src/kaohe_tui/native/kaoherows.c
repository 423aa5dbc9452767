/* kaohe_case_months(u, r, e, f, v0, v1, ...): for kaohe verify (case_fingerprint.py), with
 * v[u] the unit, v[r] reported_at, v[e] extensions and v[f] failed_checks (each column is read
 * once), each unit-month's (unit, first 7 characters of reported_at) case count,
 * extensions, failed checks and fingerprint, in one pass without the sort a GROUP BY costs: rows
 * "unit US month US n US extensions US failed_checks US fingerprint", each followed by RS
 * (US = 0x1f, RS = 0x1e; a unit name holding either is an error). The fingerprint: each row's
 * values v1, v2, ... (type and bytes) are mixed into two independent 64-bit lanes, and the rows'
 * lanes summed modulo 2^64 (32 hex digits), so it does not depend on row order and the
 * fingerprints of disjoint sets of rows add up to that of their union. Each row's values (type and bytes) are mixed into two independent
 * 64-bit lanes; the rows' lane values are summed modulo 2^64, so the result does not depend on
 * the order SQLite visits the rows in, and the fingerprints of disjoint sets of rows (a period's
 * unit-months) add up to the fingerprint of their union. Returns 32 hex digits (lane 1, lane 2),
 * or NULL for no rows.
 *
 * Not a cryptographic hash: any edit made without aiming at this function changes the result
 * (a changed value, a row added or removed); like the audit chain, it has no secret. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <stdint.h>
#include <string.h>

static uint64_t fmix(uint64_t k) { /* a 64-bit finaliser: every input bit moves every output bit */
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

static void mix(uint64_t *a, uint64_t *b, uint64_t x) {
  *a = (*a ^ x) * 0x9e3779b97f4a7c15ULL;
  *a ^= *a >> 31;
  *b = (*b ^ (x + 0x632be59bd9b4e019ULL)) * 0xc2b2ae3d27d4eb4fULL;
  *b ^= *b >> 29;
}

static void mix_bytes(uint64_t *a, uint64_t *b, const unsigned char *p, int n) {
  mix(a, b, (uint64_t)n);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    mix(a, b, w);
  }
  if (i < n) {
    uint64_t w = 0;
    memcpy(&w, p + i, (size_t)(n - i));
    mix(a, b, w ^ ((uint64_t)(n - i) << 59));
  }
}

static void row_hash(int argc, sqlite3_value **argv, uint64_t *out_a, uint64_t *out_b) {
  uint64_t a = 0x243f6a8885a308d3ULL ^ (uint64_t)argc, b = 0x13198a2e03707344ULL ^ (uint64_t)argc;
  for (int i = 0; i < argc; i++) {
    int type = sqlite3_value_type(argv[i]);
    mix(&a, &b, 0xa5a5a5a500000000ULL | (uint64_t)(type * 131 + i));
    if (type == SQLITE_INTEGER) {
      mix(&a, &b, (uint64_t)sqlite3_value_int64(argv[i]));
    } else if (type == SQLITE_FLOAT) {
      double d = sqlite3_value_double(argv[i]);
      uint64_t w;
      memcpy(&w, &d, 8);
      mix(&a, &b, w);
    } else if (type == SQLITE_TEXT) {
      const unsigned char *s = sqlite3_value_text(argv[i]);
      mix_bytes(&a, &b, s, sqlite3_value_bytes(argv[i]));
    } else if (type == SQLITE_BLOB) {
      const unsigned char *s = (const unsigned char *)sqlite3_value_blob(argv[i]);
      mix_bytes(&a, &b, s, sqlite3_value_bytes(argv[i]));
    }
  }
  *out_a = fmix(a);
  *out_b = fmix(b ^ 0x452821e638d01377ULL);
}

static void put_hex(char *out, uint64_t v) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) out[i] = hex[(v >> (60 - 4 * i)) & 15];
}

/* -- by unit and month: an open-addressing table of keys (a city's year: ~10^3 of them) -- */
typedef struct {
  char *key; /* unit US month, malloc'd; NULL: free slot */
  int len;
  uint64_t hash, a, b;
  int64_t n, ext, failed;
} Slot;

typedef struct {
  Slot *slots;
  int cap, used, bad;
} Months;

static uint64_t key_hash(const unsigned char *p, int n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ULL;
  return fmix(h);
}

static Slot *find(Months *m, const char *key, int len, uint64_t h) {
  int i = (int)(h & (uint64_t)(m->cap - 1));
  while (m->slots[i].key && !(m->slots[i].hash == h && m->slots[i].len == len && memcmp(m->slots[i].key, key, (size_t)len) == 0))
    i = (i + 1) & (m->cap - 1);
  return &m->slots[i];
}

static int grow(Months *m) {
  int cap = m->cap ? m->cap * 2 : 1024;
  Slot *slots = (Slot *)sqlite3_malloc64(sizeof(Slot) * (sqlite3_uint64)cap);
  if (!slots) return 0;
  memset(slots, 0, sizeof(Slot) * (size_t)cap);
  Months bigger = {slots, cap, m->used, m->bad};
  for (int i = 0; i < m->cap; i++)
    if (m->slots[i].key) *find(&bigger, m->slots[i].key, m->slots[i].len, m->slots[i].hash) = m->slots[i];
  sqlite3_free(m->slots);
  *m = bigger;
  return 1;
}

static void month_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  Months *m = (Months *)sqlite3_aggregate_context(ctx, sizeof(Months));
  if (!m || argc < 4) return;
  if ((m->used + 1) * 2 > m->cap && !grow(m)) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  int n = argc - 4, iu = sqlite3_value_int(argv[0]), ir = sqlite3_value_int(argv[1]);
  int ie = sqlite3_value_int(argv[2]), iff = sqlite3_value_int(argv[3]);
  sqlite3_value **v = argv + 4;
  if (iu < 0 || iu >= n || ir < 0 || ir >= n || ie < 0 || ie >= n || iff < 0 || iff >= n) {
    sqlite3_result_error(ctx, "kaohe_case_months: a column index out of range", -1);
    return;
  }
  if (sqlite3_value_type(v[iu]) != SQLITE_TEXT || sqlite3_value_type(v[ir]) != SQLITE_TEXT) {
    m->bad = 1; /* checked before reading them as text, which would convert them */
    return;
  }
  const unsigned char *unit = sqlite3_value_text(v[iu]);
  int ulen = sqlite3_value_bytes(v[iu]);
  const unsigned char *at = sqlite3_value_text(v[ir]);
  int alen = sqlite3_value_bytes(v[ir]);
  if (!unit || !at) {
    m->bad = 1;
    return;
  }
  if (alen > 7) alen = 7;
  char key[512];
  if (ulen + 1 + alen > (int)sizeof(key)) {
    m->bad = 1;
    return;
  }
  for (int i = 0; i < ulen; i++)
    if (unit[i] == 0x1e || unit[i] == 0x1f) m->bad = 1;
  memcpy(key, unit, (size_t)ulen);
  key[ulen] = 0x1f;
  memcpy(key + ulen + 1, at, (size_t)alen);
  int len = ulen + 1 + alen;
  uint64_t h = key_hash((const unsigned char *)key, len);
  Slot *s = find(m, key, len, h);
  if (!s->key) {
    s->key = (char *)sqlite3_malloc(len);
    if (!s->key) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
    memcpy(s->key, key, (size_t)len);
    s->len = len;
    s->hash = h;
    m->used++;
  }
  uint64_t a, b;
  row_hash(n, v, &a, &b);
  s->a += a;
  s->b += b;
  s->n++;
  s->ext += sqlite3_value_int64(v[ie]);
  s->failed += sqlite3_value_int64(v[iff]);
}

static void month_final(sqlite3_context *ctx) {
  Months *m = (Months *)sqlite3_aggregate_context(ctx, 0);
  if (!m || !m->slots) {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    return;
  }
  if (m->bad) {
    sqlite3_result_error(ctx, "kaohe_case_months: a unit or time it cannot key", -1);
  } else {
    sqlite3_str *out = sqlite3_str_new(0);
    for (int i = 0; i < m->cap; i++) {
      Slot *s = &m->slots[i];
      if (!s->key) continue;
      char a[17], b[17];
      put_hex(a, s->a);
      put_hex(b, s->b);
      a[16] = b[16] = 0;
      sqlite3_str_appendf(out, "%.*s\x1f%lld\x1f%lld\x1f%lld\x1f%s%s\x1e", s->len, s->key, (long long)s->n,
                          (long long)s->ext, (long long)s->failed, a, b);
    }
    int n = sqlite3_str_length(out);
    char *text = sqlite3_str_finish(out);
    if (text) sqlite3_result_text(ctx, text, n, sqlite3_free);
    else sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
  }
  for (int i = 0; i < m->cap; i++) sqlite3_free(m->slots[i].key);
  sqlite3_free(m->slots);
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_kaoherows_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  SQLITE_EXTENSION_INIT2(api);
  return sqlite3_create_function(db, "kaohe_case_months", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, 0, month_step,
                                 month_final);
}
