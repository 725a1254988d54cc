/* quotes.c - keeping the first k quotes of each code. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quotes.h"

int quotes_init(quotes *q, size_t n_codes, size_t k)
{
    memset(q, 0, sizeof *q);
    q->k = k;
    q->n_codes = n_codes;
    if (k == 0 || n_codes == 0)
        return 0;
    q->q = calloc(n_codes * k, sizeof *q->q);
    q->used = calloc(n_codes, sizeof *q->used);
    q->late = calloc(n_codes, sizeof *q->late);
    return q->q && q->used && q->late ? 0 : -1;
}

static void quote_free(quote *x)
{
    free(x->doc);
    free(x->speaker);
    free(x->rule);
    free(x->text);
    memset(x, 0, sizeof *x);
}

void quotes_free(quotes *q)
{
    for (size_t i = 0; q->q && i < q->n_codes * q->k; i++)
        quote_free(&q->q[i]);
    free(q->q);
    free(q->used);
    free(q->late);
}

/* Orders by doc id, start, end, then rule. */
static int compare(const char *doc_a, uint32_t sa, uint32_t ea, const char *ra, const char *doc_b,
                   uint32_t sb, uint32_t eb, const char *rb)
{
    int c = strcmp(doc_a, doc_b);
    if (c)
        return c;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (ea != eb)
        return ea < eb ? -1 : 1;
    return strcmp(ra, rb);
}

/* Moves i back to the start of the UTF-8 character it is in. */
static size_t char_start(const char *text, size_t i)
{
    while (i > 0 && ((unsigned char)text[i] & 0xc0) == 0x80)
        i--;
    return i;
}

/* Returns the quote text: the segment, or a window around the hit, with "..."
 * where it was cut. NULL when out of memory. */
static char *quote_text(const qp_doc *doc, const qp_hit *hit)
{
    size_t a, b;
    if (hit->segment != QP_NO_SEGMENT && hit->segment < doc->n_segments &&
        doc->segments[hit->segment].end - doc->segments[hit->segment].start <= QUOTE_MAX) {
        a = doc->segments[hit->segment].start;
        b = doc->segments[hit->segment].end;
    } else {
        a = char_start(doc->text, hit->start > QUOTE_CONTEXT ? hit->start - QUOTE_CONTEXT : 0);
        b = hit->end + QUOTE_CONTEXT < doc->text_len
                ? char_start(doc->text, hit->end + QUOTE_CONTEXT)
                : doc->text_len;
    }
    int before =
        a > 0 && !(hit->segment != QP_NO_SEGMENT && a == doc->segments[hit->segment].start);
    int after = b < doc->text_len &&
                !(hit->segment != QP_NO_SEGMENT && b == doc->segments[hit->segment].end);
    char *t = malloc(b - a + 7);
    if (!t)
        return NULL;
    size_t n = 0;
    if (before)
        memcpy(t, "...", 3), n = 3;
    for (size_t i = a; i < b; i++)
        t[n++] = doc->text[i] == '\n' ? ' ' : doc->text[i];
    if (after)
        memcpy(t + n, "...", 3), n += 3;
    t[n] = '\0';
    return t;
}

int quotes_offer(quotes *q, size_t code, const qp_doc *doc, uint64_t stamp, const qp_hit *hit)
{
    if (!q->k || code >= q->n_codes || q->late[code] == stamp)
        return 0;
    quote *row = q->q + code * q->k;
    size_t used = q->used[code], at = used;
    if (used == q->k && strcmp(doc->id, row[used - 1].doc) > 0) {
        q->late[code] = stamp;
        return 0;
    }
    while (at > 0 && compare(doc->id, hit->start, hit->end, hit->rule, row[at - 1].doc,
                             row[at - 1].start, row[at - 1].end, row[at - 1].rule) < 0)
        at--;
    if (at == q->k)
        return 0; /* later than every quote kept */
    if (used == q->k)
        quote_free(&row[--used]);
    memmove(&row[at + 1], &row[at], (used - at) * sizeof *row);
    const char *speaker = hit->segment != QP_NO_SEGMENT && hit->segment < doc->n_segments
                              ? doc->segments[hit->segment].speaker
                              : NULL;
    quote x = {strdup(doc->id),   speaker ? strdup(speaker) : NULL,
               strdup(hit->rule), quote_text(doc, hit),
               hit->start,        hit->end};
    row[at] = x;
    q->used[code] = used + 1;
    return x.doc && x.rule && x.text && (!speaker || x.speaker) ? 0 : -1;
}

json_t *quotes_json(const quotes *q, size_t code)
{
    json_t *a = json_array();
    for (size_t i = 0; a && q->k && i < q->used[code]; i++) {
        const quote *x = &q->q[code * q->k + i];
        json_array_append_new(a,
                              json_pack("{s:s, s:I, s:I, s:s?, s:s, s:s}", "doc", x->doc, "start",
                                        (json_int_t)x->start, "end", (json_int_t)x->end, "speaker",
                                        x->speaker, "rule", x->rule, "text", x->text));
    }
    return a;
}
