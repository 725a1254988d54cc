/* matcher.c - matching one tokenised document against a codebook: token forms,
 * words, globs, phrases, proximity and regexes, then negation, exclusions and the
 * longest match within each code. */
#include "config.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "match_index.h"
#include "util/radix.h"
#include "matcher.h"
#include "util/text.h"

#define REGEX_MATCH_LIMIT 10000000u
#define REGEX_DEPTH_LIMIT 10000u
#define REGEX_HEAP_LIMIT_KIB 65536u
#define PLUGIN_RULE UINT32_MAX
/* A token's segment when the document has none: the whole text is one unit. */
#define WHOLE_TEXT (QP_NO_SEGMENT - 1)
#define NO_TOKEN UINT32_MAX

struct matcher {
    const qp_codebook *cb;
    match_index *index;
    uint32_t *regexes; /* indices of regex patterns */
    size_t n_regexes;
    int negation; /* some code has a negation rule */
};

typedef struct match_hit {
    uint32_t code, pattern, start, end, segment;
    uint32_t tok;     /* first token of the hit, or NO_TOKEN */
    const char *rule; /* for plugin hits */
    int exclusion;
} match_hit;

struct match_scratch {
    qp_buf folded, stems;
    token_form *forms[QP_N_FORMS];
    size_t forms_cap[QP_N_FORMS];
    uint32_t *seg_of; /* each token's segment, or QP_NO_SEGMENT when outside all */
    size_t seg_cap;
    match_hit *hits, *spare; /* spare: the other half of a sort */
    size_t n_hits, hits_cap, spare_cap;
    qp_keyed *keys;
    size_t keys_cap;
    struct code_sweep *sweep; /* per code, for resolve_hits */
    size_t sweep_cap;
    uint32_t stamp;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    struct sb_stemmer *stemmer;
    char *stemmer_language;
    match_memo *memo; /* of memo_index */
    const match_index *memo_index;
    /* Set while matching one document. */
    const matcher *m;
    const qp_doc *doc;
    size_t token;
    int failed;
};

/* Returns the matcher for cb, or NULL when out of memory. */
matcher *matcher_new(const qp_codebook *cb)
{
    matcher *m = calloc(1, sizeof *m);
    if (!m || !(m->index = match_index_new(cb)) ||
        !(m->regexes = calloc(cb->n_patterns ? cb->n_patterns : 1, sizeof *m->regexes))) {
        matcher_free(m);
        return NULL;
    }
    m->cb = cb;
    for (size_t i = 0; i < cb->n_patterns; i++)
        if (cb->patterns[i].kind == QP_PAT_REGEX)
            m->regexes[m->n_regexes++] = (uint32_t)i;
    for (size_t i = 0; i < cb->n_codes; i++)
        m->negation |= cb->codes[i].negation != QP_NEGATION_NONE;
    return m;
}

void matcher_free(matcher *m)
{
    if (!m)
        return;
    match_index_free(m->index);
    free(m->regexes);
    free(m);
}

/* Returns new scratch with PCRE2 limits set, or NULL when out of memory. */
match_scratch *match_scratch_new(void)
{
    match_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->md = pcre2_match_data_create(1, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    s->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!s->md || !s->mctx || !s->jit) {
        match_scratch_free(s);
        return NULL;
    }
    pcre2_set_match_limit(s->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, REGEX_DEPTH_LIMIT);
    pcre2_set_heap_limit(s->mctx, REGEX_HEAP_LIMIT_KIB);
    pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    return s;
}

void match_scratch_free(match_scratch *s)
{
    if (!s)
        return;
    qp_buf_free(&s->folded);
    qp_buf_free(&s->stems);
    for (int k = 0; k < QP_N_FORMS; k++)
        free(s->forms[k]);
    free(s->seg_of);
    free(s->hits);
    free(s->spare);
    free(s->keys);
    free(s->sweep);
    if (s->stemmer)
        sb_stemmer_delete(s->stemmer);
    free(s->stemmer_language);
    match_memo_free(s->memo);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit);
    free(s);
}

/* Records a hit. Returns 0, or -1 when out of memory. */
static int push_hit(match_scratch *s, uint32_t code, uint32_t pattern, uint32_t start, uint32_t end,
                    uint32_t segment, uint32_t tok, const char *rule, int exclusion)
{
    if (qp_grow(&s->hits, &s->hits_cap, s->n_hits + 1, sizeof *s->hits, 256) < 0)
        return -1;
    s->hits[s->n_hits++] = (match_hit){code, pattern, start, end, segment, tok, rule, exclusion};
    return 0;
}

/* Returns the text of token i in `form`. */
static const char *form_text(const match_scratch *s, const qp_doc *doc, qp_form form, size_t i)
{
    const char *base = form == QP_FORM_FOLD   ? s->folded.data
                       : form == QP_FORM_STEM ? s->stems.data
                                              : doc->text;
    return base + s->forms[form][i].off;
}

/* Returns 1 when token i matches the part, in the part's form. */
static int part_matches(const match_scratch *s, const qp_doc *doc, const qp_pattern_part *part,
                        size_t i)
{
    const char *text = form_text(s, doc, part->form, i);
    uint32_t len = s->forms[part->form][i].len;
    if (part->is_glob)
        return qp_glob_match(part->folded, part->len, text, len);
    return part->len == len && memcmp(part->folded, text, len) == 0;
}

/* Returns 1 when parts[0, n) match tokens j, j+1, ... inside segment `seg`. */
static int operand_at(const match_scratch *s, const qp_doc *doc, const qp_pattern_part *parts,
                      size_t n, size_t j, uint32_t seg)
{
    if (j + n > doc->n_tokens)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (s->seg_of[j + k] != seg || !part_matches(s, doc, &parts[k], j + k))
            return 0;
    return 1;
}

/* Finds the second operand of a proximity pattern anchored at tokens [i, a_end]:
 * the nearest occurrence with at most `distance` tokens between the two (after
 * the anchor first, on a tie), never outside the anchor's segment; WITH looks
 * through the whole segment. Returns its first token, or NO_TOKEN. */
static uint32_t find_second(const match_scratch *s, const qp_doc *doc, const qp_pattern *p,
                            size_t i, size_t a_end)
{
    uint32_t seg = s->seg_of[i];
    size_t nb = p->n_b_parts;
    size_t reach = p->kind == QP_PAT_WITH ? doc->n_tokens : p->distance;
    int look_before = p->kind != QP_PAT_BEFORE;
    for (size_t gap = 0; gap <= reach; gap++) {
        size_t after = a_end + 1 + gap;
        int after_in = after < doc->n_tokens && s->seg_of[after] == seg;
        int before_in = look_before && i >= gap + 1 && s->seg_of[i - 1 - gap] == seg;
        if (!after_in && !before_in)
            break;
        if (after_in && operand_at(s, doc, p->b_parts, nb, after, seg))
            return (uint32_t)after;
        if (before_in && i >= gap + nb && operand_at(s, doc, p->b_parts, nb, i - gap - nb, seg))
            return (uint32_t)(i - gap - nb);
    }
    return NO_TOKEN;
}

/* Pattern `pattern`'s parts matched tokens s->token..last (the index keeps a
 * phrase inside one segment): finds a proximity pattern's second operand and
 * records the hit. Returns 0, or -1 when out of memory. */
static int found_pattern(void *ctx, uint32_t pattern, size_t last)
{
    match_scratch *s = ctx;
    const matcher *m = s->m;
    const qp_doc *doc = s->doc;
    const qp_pattern *p = &m->cb->patterns[pattern];
    size_t i = s->token, first = i;
    uint32_t seg = s->seg_of[i];
    if (p->kind == QP_PAT_NEAR || p->kind == QP_PAT_BEFORE || p->kind == QP_PAT_WITH) {
        uint32_t j = find_second(s, doc, p, i, last);
        if (j == NO_TOKEN)
            return 0;
        size_t j_end = j + p->n_b_parts - 1;
        first = j < first ? j : first;
        last = j_end > last ? j_end : last;
    }
    return push_hit(s, (uint32_t)p->code, pattern, doc->tokens[first].start, doc->tokens[last].end,
                    seg, (uint32_t)first, NULL, p->exclusion);
}

/* Makes sure the form arrays hold n tokens. Returns 0, or -1. */
static int reserve_forms(match_scratch *s, size_t n)
{
    for (int k = 0; k < QP_N_FORMS; k++)
        if (qp_grow(&s->forms[k], &s->forms_cap[k], n + 1, sizeof *s->forms[k], 256) < 0)
            return -1;
    return 0;
}

/* Lower-cases the ASCII letters of eight bytes at once (bytes with the high bit
 * set are left as they are; the caller folds those tokens with utf8proc). */
static inline uint64_t ascii_lower8(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t low7 = w & ~high;
    uint64_t ge_a = low7 + (0x80 - 'A') * ones, gt_z = low7 + (0x80 - 'Z' - 1) * ones;
    uint64_t upper = ge_a & ~gt_z & ~w & high;
    return w | (upper >> 2);
}

/* Loads up to eight bytes of p[0, n) into a word, little-endian, zero-padded. */
static inline uint64_t load8(const unsigned char *p, size_t n)
{
    uint64_t w = 0;
    memcpy(&w, p, n < 8 ? n : 8);
    return w;
}

/* Folds ASCII token bytes in[start, end) into out at the same offsets, eight at
 * a time, and returns their hash (as match_hash of the folded bytes); sets *high
 * when a byte is not ASCII (the result is then to be redone by utf8proc). */
static uint64_t fold_ascii(const unsigned char *in, size_t text_len, unsigned char *out,
                           uint32_t start, uint32_t end, int *high)
{
    uint64_t h = MATCH_HASH_SEED, w = 0, any = 0;
    size_t n = end - start;
    for (size_t k = 0; k < n; k += 8) {
        size_t take = n - k < 8 ? n - k : 8;
        w = start + k + 8 <= text_len ? load8(in + start + k, 8) : load8(in + start + k, take);
        if (take < 8)
            w &= (1ull << (8 * take)) - 1;
        any |= w;
        w = ascii_lower8(w);
        memcpy(out + start + k, &w, 8); /* the buffer has 8 bytes to spare */
        if (take == 8) {
            h = match_hash_mix(h, w);
            w = 0;
        }
    }
    *high = (any & 0x8080808080808080ull) != 0;
    return match_hash_end(h, w, n);
}

/* Computes each token's forms once: the folded form (lower-cased and hashed
 * eight bytes at a time; folded by utf8proc when not ASCII), and where patterns
 * need them the form as written and the stem. Returns 0, or -1 when out of
 * memory. */
static int make_forms(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    int need_raw = match_index_uses(m->index, QP_FORM_RAW);
    int need_stem = match_index_uses(m->index, QP_FORM_STEM);
    if (reserve_forms(s, doc->n_tokens) < 0)
        return -1;
    s->folded.len = 0;
    if (qp_buf_reserve(&s->folded, doc->text_len + 9) < 0)
        return -1;
    s->folded.len = doc->text_len + 9; /* room for eight-byte stores past the text */
    const unsigned char *in = (const unsigned char *)doc->text;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        const qp_span *t = &doc->tokens[i];
        int high;
        uint64_t h =
            fold_ascii(in, doc->text_len, (unsigned char *)s->folded.data, t->start, t->end, &high);
        token_form *f = &s->forms[QP_FORM_FOLD][i];
        if (!high) {
            *f = (token_form){t->start, t->end - t->start, h};
        } else {
            size_t off = s->folded.len;
            if (qp_fold_append(&s->folded, doc->text + t->start, t->end - t->start, 0) < 0 &&
                qp_fold_append(&s->folded, doc->text + t->start, t->end - t->start, 1) < 0)
                return -1; /* (not UTF-8: a hand-edited record; bytes are kept as they are) */
            *f = (token_form){(uint32_t)off, (uint32_t)(s->folded.len - off), 0};
            f->hash = match_hash(s->folded.data + off, f->len);
            s->folded.len++; /* keep the NUL as a separator */
        }
        if (need_raw)
            s->forms[QP_FORM_RAW][i] = (token_form){
                t->start, t->end - t->start, match_hash(doc->text + t->start, t->end - t->start)};
    }
    if (!need_stem)
        return 0;
    if (!s->stemmer || strcmp(s->stemmer_language, m->cb->language) != 0) {
        if (s->stemmer)
            sb_stemmer_delete(s->stemmer);
        free(s->stemmer_language);
        s->stemmer = sb_stemmer_new(m->cb->language, "UTF_8");
        s->stemmer_language = strdup(m->cb->language);
        if (!s->stemmer || !s->stemmer_language)
            return -1;
    }
    s->stems.len = 0;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        const token_form *f = &s->forms[QP_FORM_FOLD][i];
        const sb_symbol *stem =
            sb_stemmer_stem(s->stemmer, (const sb_symbol *)s->folded.data + f->off, (int)f->len);
        size_t n = stem ? (size_t)sb_stemmer_length(s->stemmer) : 0;
        if (!stem || qp_buf_reserve(&s->stems, n + 1) < 0)
            return -1;
        size_t off = s->stems.len;
        memcpy(s->stems.data + off, stem, n);
        s->stems.data[off + n] = '\0';
        s->stems.len += n + 1;
        s->forms[QP_FORM_STEM][i] =
            (token_form){(uint32_t)off, (uint32_t)n, match_hash(s->stems.data + off, n)};
    }
    return 0;
}

/* Finds each token's segment: tokens and segments are both in text order. A
 * document without segments is one segment, WHOLE_TEXT. Returns 0, or -1. */
static int map_segments(match_scratch *s, const qp_doc *doc)
{
    if (qp_grow(&s->seg_of, &s->seg_cap, doc->n_tokens + 1, sizeof *s->seg_of, 256) < 0)
        return -1;
    size_t g = 0;
    for (size_t i = 0; i < doc->n_tokens; i++) {
        if (!doc->n_segments) {
            s->seg_of[i] = WHOLE_TEXT;
            continue;
        }
        while (g < doc->n_segments && doc->segments[g].end <= doc->tokens[i].start)
            g++;
        s->seg_of[i] = g < doc->n_segments && doc->segments[g].start <= doc->tokens[i].start &&
                               doc->tokens[i].end <= doc->segments[g].end
                           ? (uint32_t)g
                           : QP_NO_SEGMENT;
    }
    return 0;
}

/* Walks the index from every token, in each form in use. Returns 0, or -1. */
static int match_all_tokens(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    if (s->memo_index != m->index) { /* the memo belongs to one index */
        match_memo_free(s->memo);
        s->memo = match_memo_new();
        s->memo_index = s->memo ? m->index : NULL;
    }
    for (int k = 0; k < QP_N_FORMS; k++) {
        if (!match_index_uses(m->index, (qp_form)k))
            continue;
        const char *base = k == QP_FORM_FOLD   ? s->folded.data
                           : k == QP_FORM_STEM ? s->stems.data
                                               : doc->text;
        match_tokens t = {base, s->forms[k], s->seg_of, doc->n_tokens};
        for (size_t i = 0; i < doc->n_tokens; i++) {
            if (s->seg_of[i] == QP_NO_SEGMENT)
                continue; /* outside every segment: not coded */
            s->token = i;
            if (match_index_walk(m->index, (qp_form)k, &t, i, s->memo, found_pattern, s) < 0)
                return -1;
        }
    }
    return 0;
}

/* Returns the index of the first token starting at or after byte `at`. */
static uint32_t token_at(const qp_doc *doc, uint32_t at)
{
    size_t lo = 0, hi = doc->n_tokens;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (doc->tokens[mid].end <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < doc->n_tokens ? (uint32_t)lo : NO_TOKEN;
}

/* Runs one regex over text[from, to), recording hits in segment `segment`.
 * Returns 0, 1 when the regex hit a limit (its hits in this document are then
 * dropped and reported), or -1 when out of memory. */
static int match_regex_span(const matcher *m, match_scratch *s, const qp_doc *doc, uint32_t r,
                            size_t from, size_t to, uint32_t segment,
                            void (*warn)(const char *, const char *, ...))
{
    const qp_pattern *p = &m->cb->patterns[r];
    size_t offset = from;
    while (offset <= to) {
        int rc = pcre2_match(p->regex, (PCRE2_SPTR)doc->text, to, offset, PCRE2_NO_UTF_CHECK, s->md,
                             s->mctx);
        if (rc == PCRE2_ERROR_NOMATCH)
            return 0;
        if (rc < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(rc, msg, sizeof msg);
            warn("code",
                 "%s (document %s): pattern \"%s\" of code \"%s\" stopped: %s; its "
                 "hits in this document are not counted",
                 doc->origin, doc->id, p->text, m->cb->codes[p->code].id, (char *)msg);
            return 1;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        if (ov[1] > ov[0] &&
            push_hit(s, (uint32_t)p->code, r, (uint32_t)ov[0], (uint32_t)ov[1], segment,
                     token_at(doc, (uint32_t)ov[0]), NULL, p->exclusion) < 0)
            return -1;
        offset = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        while (offset < to && ((unsigned char)doc->text[offset] & 0xc0) == 0x80)
            offset++; /* never start inside a UTF-8 character */
    }
    return 0;
}

/* Runs every regex over the text, segment by segment when there are segments.
 * Returns 0, or -1 when out of memory. */
static int match_regexes(const matcher *m, match_scratch *s, const qp_doc *doc,
                         void (*warn)(const char *, const char *, ...))
{
    for (size_t r = 0; r < m->n_regexes; r++) {
        size_t mark = s->n_hits;
        int rc = 0;
        if (!doc->n_segments)
            rc = match_regex_span(m, s, doc, m->regexes[r], 0, doc->text_len, WHOLE_TEXT, warn);
        for (size_t g = 0; g < doc->n_segments && rc == 0; g++)
            rc = match_regex_span(m, s, doc, m->regexes[r], doc->segments[g].start,
                                  doc->segments[g].end, (uint32_t)g, warn);
        if (rc < 0)
            return -1;
        if (rc > 0)
            s->n_hits = mark;
    }
    return 0;
}

/* The hit callback given to a plugin matcher (see qp_hit_fn). */
static int plugin_hit(void *sink, const char *code, const char *rule, uint32_t start, uint32_t end)
{
    match_scratch *s = sink;
    long c = code ? qp_codebook_find(s->m->cb, code) : -1;
    if (c < 0 || start >= end || end > s->doc->text_len || !rule) {
        s->failed = 1;
        return QP_ERR_PLUGIN;
    }
    uint32_t segment = WHOLE_TEXT;
    if (s->doc->n_segments) {
        /* The segment holding the hit; a hit outside every segment is not coded. */
        size_t lo = 0, hi = s->doc->n_segments;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (s->doc->segments[mid].end <= start)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == s->doc->n_segments || s->doc->segments[lo].start > start ||
            s->doc->segments[lo].end < end)
            return QP_OK;
        segment = (uint32_t)lo;
    }
    return push_hit(s, (uint32_t)c, PLUGIN_RULE, start, end, segment, token_at(s->doc, start), rule,
                    0) < 0
               ? QP_ERR_NOMEM
               : QP_OK;
}

/* Returns 1 when a negator stands within the code's window before the hit's first
 * token, in the same segment and sentence (no '.', '!', '?' or ';' between). */
static int negated(const matcher *m, const match_scratch *s, const qp_doc *doc, const match_hit *h)
{
    const qp_code *c = &m->cb->codes[h->code];
    if (h->tok == NO_TOKEN)
        return 0;
    for (uint32_t d = 1; d <= c->negation_window && d <= h->tok; d++) {
        uint32_t k = h->tok - d;
        if (s->seg_of[k] != s->seg_of[h->tok])
            return 0;
        for (uint32_t b = doc->tokens[k].end; b < doc->tokens[k + 1].start; b++)
            if (strchr(".!?;", doc->text[b]))
                return 0;
        const token_form *f = &s->forms[QP_FORM_FOLD][k];
        for (size_t n = 0; n < m->cb->n_negators; n++)
            if (strlen(m->cb->negators[n]) == f->len &&
                memcmp(m->cb->negators[n], s->folded.data + f->off, f->len) == 0)
                return 1;
    }
    return 0;
}

/* Applies each code's negation rule: a negated hit is dropped, or moved to the
 * code's "_negated" sibling. */
static void apply_negation(const matcher *m, match_scratch *s, const qp_doc *doc)
{
    size_t kept = 0;
    for (size_t i = 0; i < s->n_hits; i++) {
        match_hit h = s->hits[i];
        const qp_code *c = &m->cb->codes[h.code];
        if (!h.exclusion && c->negation != QP_NEGATION_NONE && negated(m, s, doc, &h)) {
            if (c->negation == QP_NEGATION_DROP)
                continue;
            h.code = (uint32_t)c->negated_code;
        }
        s->hits[kept++] = h;
    }
    s->n_hits = kept;
}

/* Reorders s->hits by two keys: by `primary`, and where equal by `secondary`
 * (both stable). Returns 0, or -1 when out of memory. */
static int sort_hits(match_scratch *s, uint64_t (*primary)(const match_hit *),
                     uint64_t (*secondary)(const match_hit *))
{
    size_t n = s->n_hits;
    if (qp_grow(&s->keys, &s->keys_cap, 2 * n + 1, sizeof *s->keys, 256) < 0 ||
        qp_grow(&s->spare, &s->spare_cap, n + 1, sizeof *s->spare, 256) < 0)
        return -1;
    qp_keyed *k = s->keys, *tmp = s->keys + n;
    for (size_t i = 0; i < n; i++)
        k[i] = (qp_keyed){secondary(&s->hits[i]), (uint32_t)i};
    qp_radix_sort(k, tmp, n);
    for (size_t i = 0; i < n; i++)
        k[i].key = primary(&s->hits[k[i].index]);
    qp_radix_sort(k, tmp, n);
    for (size_t i = 0; i < n; i++)
        s->spare[i] = s->hits[k[i].index];
    match_hit *t = s->hits;
    s->hits = s->spare;
    s->spare = t;
    size_t c = s->hits_cap;
    s->hits_cap = s->spare_cap;
    s->spare_cap = c;
    return 0;
}

/* Keys of the one order hits are put in: as the document reads (by start,
 * longest first), then in codebook order (code, then rule). */
static uint64_t start_then_longest(const match_hit *h)
{
    return (uint64_t)h->start << 32 | (UINT32_MAX - h->end);
}

static uint64_t code_then_rule(const match_hit *h)
{
    return (uint64_t)h->code << 32 | h->pattern;
}

/* Returns 1 when hit a comes before hit b in that order. */
static int hit_before(const match_hit *a, const match_hit *b)
{
    uint64_t pa = start_then_longest(a), pb = start_then_longest(b);
    return pa < pb || (pa == pb && code_then_rule(a) < code_then_rule(b));
}

/* Puts s->hits in reading order. Hits are found token by token, so they are
 * nearly in order already: a few hundred are sorted by insertion, more by two
 * stable radix passes. Returns 0, or -1 when out of memory. */
static int order_hits(match_scratch *s)
{
    if (s->n_hits > 512)
        return sort_hits(s, start_then_longest, code_then_rule);
    for (size_t i = 1; i < s->n_hits; i++) {
        match_hit h = s->hits[i];
        size_t j = i;
        for (; j > 0 && hit_before(&h, &s->hits[j - 1]); j--)
            s->hits[j] = s->hits[j - 1];
        s->hits[j] = h;
    }
    return 0;
}

/* Per-code state of the sweep in resolve_hits, valid when stamp == the sweep's. */
typedef struct code_sweep {
    uint32_t stamp;
    uint32_t excl_end, kept_end;
    unsigned char any_excl, any_kept;
} code_sweep;

/* Applies exclusions and the longest-match rule within each code, in place, in
 * one sweep of the hits in reading order: an exclusion covers a hit of its code
 * when one that starts at or before it ends at or after it; a hit inside a kept
 * hit of its code is dropped. Returns the number of hits kept at the front of
 * s->hits, or -1 when out of memory. */
static long resolve_hits(match_scratch *s, size_t n_codes)
{
    if (order_hits(s) < 0 ||
        qp_grow(&s->sweep, &s->sweep_cap, n_codes + 1, sizeof *s->sweep, 64) < 0)
        return -1;
    if (++s->stamp == 0) { /* wrapped: forget every code's state */
        memset(s->sweep, 0, s->sweep_cap * sizeof *s->sweep);
        s->stamp = 1;
    }
    size_t kept = 0;
    for (size_t i = 0; i < s->n_hits;) {
        size_t j = i; /* [i, j): the hits that start here */
        while (j < s->n_hits && s->hits[j].start == s->hits[i].start)
            j++;
        for (size_t k = i; k < j; k++) { /* exclusions first: start <= the hit's */
            const match_hit *h = &s->hits[k];
            code_sweep *c = &s->sweep[h->code];
            if (c->stamp != s->stamp)
                *c = (code_sweep){s->stamp, 0, 0, 0, 0};
            if (h->exclusion && (!c->any_excl || h->end > c->excl_end)) {
                c->excl_end = h->end;
                c->any_excl = 1;
            }
        }
        for (size_t k = i; k < j; k++) {
            match_hit h = s->hits[k];
            code_sweep *c = &s->sweep[h.code];
            if (h.exclusion || (c->any_excl && c->excl_end >= h.end) ||
                (c->any_kept && c->kept_end >= h.end))
                continue;
            if (!c->any_kept || h.end > c->kept_end)
                c->kept_end = h.end;
            c->any_kept = 1;
            s->hits[kept++] = h;
        }
        i = j;
    }
    s->n_hits = kept;
    return (long)kept;
}

/* Returns QP_OK, QP_ERR_NOMEM, or QP_ERR_PLUGIN with err filled. */
int matcher_run(const matcher *m, match_scratch *s, void *plugin, const qp_doc *doc, hit_adder add,
                void *add_ctx, void (*warn)(const char *stage, const char *fmt, ...), qp_error *err)
{
    s->n_hits = 0;
    s->m = m;
    s->doc = doc;
    if (map_segments(s, doc) < 0 || make_forms(m, s, doc) < 0 || match_all_tokens(m, s, doc) < 0 ||
        match_regexes(m, s, doc, warn) < 0)
        return QP_ERR_NOMEM;
    const qp_codebook_descriptor *d = m->cb->plugin;
    if (d && d->match) {
        s->m = m;
        s->doc = doc;
        s->failed = 0;
        err->message[0] = '\0';
        int rc = d->match(plugin, doc, plugin_hit, s, err);
        if (rc != QP_OK || s->failed) {
            if (!err->message[0])
                snprintf(err->message, sizeof err->message, "the codebook plugin's matcher %s",
                         s->failed ? "reported a hit for an unknown code or outside the text"
                                   : "failed");
            return QP_ERR_PLUGIN;
        }
    }
    if (m->negation)
        apply_negation(m, s, doc);
    long n = resolve_hits(s, m->cb->n_codes);
    if (n < 0)
        return QP_ERR_NOMEM;
    for (size_t i = 0; i < (size_t)n; i++) {
        const match_hit *h = &s->hits[i];
        qp_hit hit = {.code = m->cb->codes[h->code].id,
                      .rule =
                          h->pattern == PLUGIN_RULE ? h->rule : m->cb->patterns[h->pattern].text,
                      .start = h->start,
                      .end = h->end,
                      .segment = h->segment == WHOLE_TEXT ? QP_NO_SEGMENT : h->segment};
        if (add(add_ctx, &hit) != QP_OK)
            return QP_ERR_NOMEM;
    }
    return QP_OK;
}
