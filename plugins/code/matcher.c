/* matcher.c - matching one tokenised document against a codebook: token forms,
 * words, globs, phrases, proximity and regexes, then negation, exclusions and the
 * longest match within each code. */
#include "config.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matcher_impl.h"
#include "util/grow.h"

/* Returns the matcher for cb, or NULL when out of memory. */
matcher *matcher_new(const qp_codebook *cb)
{
    matcher *m = calloc(1, sizeof *m);
    size_t n = cb->n_patterns ? cb->n_patterns : 1;
    if (!m || !(m->index = match_index_new(cb)) || !(m->regexes = calloc(n, sizeof *m->regexes)) ||
        !(m->info = calloc(n, sizeof *m->info))) {
        matcher_free(m);
        return NULL;
    }
    m->cb = cb;
    for (size_t i = 0; i < cb->n_patterns; i++) {
        const qp_pattern *p = &cb->patterns[i];
        if (p->kind == QP_PAT_REGEX)
            m->regexes[m->n_regexes++] = (uint32_t)i;
        m->info[i] =
            (pattern_info){.rule = p->text,
                           .code = (uint32_t)p->code,
                           .exclusion = p->exclusion != 0,
                           .proximity = p->kind == QP_PAT_NEAR || p->kind == QP_PAT_BEFORE ||
                                        p->kind == QP_PAT_WITH};
    }
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
    free(m->info);
    free(m);
}

/* Returns new scratch with PCRE2 limits set, or NULL when out of memory. */
match_scratch *match_scratch_new(unsigned regex_seconds)
{
    match_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->regex_seconds = regex_seconds;
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
    free(s->taken);
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
static int push_hit(match_scratch *s, const match_hit *hit)
{
    if (qp_grow(&s->hits, &s->hits_cap, s->n_hits + 1, sizeof *s->hits, 256) < 0)
        return -1;
    s->hits[s->n_hits++] = *hit;
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

/* Pattern `pattern`'s parts matched tokens i..last (the index keeps a
 * phrase inside one segment): finds a proximity pattern's second operand and
 * records the hit. Returns 0, or -1 when out of memory. */
static int found_pattern(void *ctx, uint32_t pattern, size_t i, size_t last)
{
    match_scratch *s = ctx;
    const matcher *m = s->m;
    const qp_doc *doc = s->doc;
    const pattern_info *info = &m->info[pattern];
    match_hit h = {.code = info->code,
                   .pattern = pattern,
                   .segment = s->seg_of[i],
                   .a_first = (uint32_t)i,
                   .a_end = (uint32_t)last + 1,
                   .exclusion = info->exclusion};
    size_t first = i;
    if (info->proximity) {
        const qp_pattern *p = &m->cb->patterns[pattern];
        uint32_t j = find_second(s, doc, p, i, last);
        if (j == NO_TOKEN)
            return 0;
        size_t j_end = j + p->n_b_parts - 1;
        h.b_first = j;
        h.b_end = (uint32_t)j_end + 1;
        first = j < first ? j : first;
        last = j_end > last ? j_end : last;
    }
    h.tok = (uint32_t)first;
    h.start = doc->tokens[first].start;
    h.end = doc->tokens[last].end;
    return push_hit(s, &h);
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
        if (match_index_walk(m->index, (qp_form)k, &t, s->memo, found_pattern, s) < 0)
            return -1;
    }
    return 0;
}

/* Returns the index of the first token that ends after byte `at`, or
 * doc->n_tokens when none does. */
static uint32_t token_ending_after(const qp_doc *doc, uint32_t at)
{
    size_t lo = 0, hi = doc->n_tokens;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (doc->tokens[mid].end <= at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* Returns a hit of bytes [start, end) that no pattern of the index found (a
 * regex's or a plugin's): its tokens are those it overlaps, perhaps none. */
static match_hit span_hit(const qp_doc *doc, uint32_t code, uint32_t pattern, uint32_t start,
                          uint32_t end, uint32_t segment)
{
    uint32_t first = token_ending_after(doc, start), past = first;
    while (past < doc->n_tokens && doc->tokens[past].start < end)
        past++;
    return (match_hit){.code = code,
                       .pattern = pattern,
                       .start = start,
                       .end = end,
                       .segment = segment,
                       .tok = first < doc->n_tokens ? first : NO_TOKEN,
                       .a_first = first,
                       .a_end = past};
}

/* Returns 1 when the current document's regexes have run longer than allowed.
 * The coarse clock is read in a few nanoseconds; one call of pcre2_match is
 * itself bounded by the match limit. */
static int over_time(const match_scratch *s)
{
    if (!s->regex_seconds)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    double spent = (double)(now.tv_sec - s->regex_started.tv_sec) +
                   1e-9 * (double)(now.tv_nsec - s->regex_started.tv_nsec);
    return spent > (double)s->regex_seconds;
}

/* Runs one regex over text[from, to), recording hits in segment `segment`.
 * Returns 0, 1 when the regex hit a limit (err says which, and the document is
 * to be skipped: its counts would be short), or -1 when out of memory. */
static int match_regex_span(const matcher *m, match_scratch *s, const qp_doc *doc, uint32_t r,
                            size_t from, size_t to, uint32_t segment, qp_error *err)
{
    const qp_pattern *p = &m->cb->patterns[r];
    size_t offset = from;
    while (offset <= to) {
        /* Matches are sought starting in one stretch of the text at a time (the
         * offset limit): the same leftmost match as one search, but a regex
         * that backtracks on every start is checked against the clock between
         * stretches, not only at the end of a long text. */
        size_t last_start = to - offset > REGEX_STRETCH ? offset + REGEX_STRETCH : to;
        pcre2_set_offset_limit(s->mctx, last_start);
        int rc = pcre2_match(p->regex, (PCRE2_SPTR)doc->text, to, offset, PCRE2_NO_UTF_CHECK, s->md,
                             s->mctx);
        int none_in_stretch = rc == PCRE2_ERROR_NOMATCH;
        if (none_in_stretch && last_start == to)
            return 0;
        if (none_in_stretch) {
            offset = last_start + 1;
            while (offset < to && ((unsigned char)doc->text[offset] & 0xc0) == 0x80)
                offset++;
        } else if (rc < 0) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(rc, msg, sizeof msg);
            snprintf(err->message, sizeof err->message,
                     "pattern \"%.300s\" of code \"%.200s\" stopped: %.200s (a regex that "
                     "backtracks too much: make it stricter)",
                     p->text, m->cb->codes[p->code].id, (char *)msg);
            return 1;
        }
        if (over_time(s)) {
            snprintf(err->message, sizeof err->message,
                     "the regexes took more than %u s on this document (pattern \"%.300s\" of "
                     "code \"%.200s\" was running: a regex that backtracks too much; make it "
                     "stricter, or allow more with --regex-seconds)",
                     s->regex_seconds, p->text, m->cb->codes[p->code].id);
            return 1;
        }
        if (none_in_stretch)
            continue;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        if (ov[1] > ov[0]) {
            match_hit h =
                span_hit(doc, (uint32_t)p->code, r, (uint32_t)ov[0], (uint32_t)ov[1], segment);
            h.exclusion = p->exclusion != 0;
            if (push_hit(s, &h) < 0)
                return -1;
        }
        offset = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        while (offset < to && ((unsigned char)doc->text[offset] & 0xc0) == 0x80)
            offset++; /* never start inside a UTF-8 character */
    }
    return 0;
}

/* Runs every regex over the text, segment by segment when there are segments.
 * Returns 0, 1 when one hit its limit (err filled), or -1 when out of memory. */
static int match_regexes(const matcher *m, match_scratch *s, const qp_doc *doc, qp_error *err)
{
    if (m->n_regexes && s->regex_seconds)
        clock_gettime(CLOCK_MONOTONIC_COARSE, &s->regex_started);
    for (size_t r = 0; r < m->n_regexes; r++) {
        int rc = 0;
        if (!doc->n_segments)
            rc = match_regex_span(m, s, doc, m->regexes[r], 0, doc->text_len, WHOLE_TEXT, err);
        for (size_t g = 0; g < doc->n_segments && rc == 0; g++)
            rc = match_regex_span(m, s, doc, m->regexes[r], doc->segments[g].start,
                                  doc->segments[g].end, (uint32_t)g, err);
        if (rc != 0)
            return rc;
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
    match_hit h = span_hit(s->doc, (uint32_t)c, PLUGIN_RULE, start, end, segment);
    h.rule = rule;
    return push_hit(s, &h) < 0 ? QP_ERR_NOMEM : QP_OK;
}

/* Returns QP_OK, QP_ERR_NOMEM, or QP_ERR_PLUGIN with err filled. */
int matcher_run(const matcher *m, match_scratch *s, void *plugin, const qp_doc *doc, hit_adder add,
                void *add_ctx, qp_error *err)
{
    s->n_hits = 0;
    s->m = m;
    s->doc = doc;
    err->message[0] = '\0';
    if (map_segments(s, doc) < 0 || make_forms(m, s, doc) < 0 || match_all_tokens(m, s, doc) < 0)
        return QP_ERR_NOMEM;
    int limit = match_regexes(m, s, doc, err);
    if (limit < 0)
        return QP_ERR_NOMEM;
    if (limit > 0)
        return QP_ERR_PLUGIN;
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
    long n = resolve_hits(s, m->cb->n_codes, doc->n_tokens);
    if (n < 0)
        return QP_ERR_NOMEM;
    for (size_t i = 0; i < (size_t)n; i++) {
        const match_hit *h = &s->hits[i];
        qp_hit hit = {.code = m->cb->codes[h->code].id,
                      .rule = h->pattern == PLUGIN_RULE ? h->rule : m->info[h->pattern].rule,
                      .start = h->start,
                      .end = h->end,
                      .segment = h->segment == WHOLE_TEXT ? QP_NO_SEGMENT : h->segment};
        if (add(add_ctx, &hit) != QP_OK)
            return QP_ERR_NOMEM;
    }
    return QP_OK;
}
