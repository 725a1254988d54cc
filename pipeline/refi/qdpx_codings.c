/* qdpx_codings.c - the coded selections of a document: one per hit, or one per
 * unit (sentence, paragraph, turn) and code, positions in characters (code
 * points) as the standard counts them, and each coding's note saying which rule
 * fired on which words. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "qdpx_writer.h"
#include "util/text.h"

/* Counts characters (code points) along a text, forward from where it last
 * stopped; a position before that starts again from the beginning. */
typedef struct char_cursor {
    const char *text;
    size_t byte;
    long chars;
} char_cursor;

/* Returns the character position of byte offset `at` (at a character's start). */
static long chars_at(char_cursor *c, size_t at)
{
    if (at < c->byte)
        c->byte = 0, c->chars = 0;
    for (; c->byte < at; c->byte++)
        c->chars += ((unsigned char)c->text[c->byte] & 0xc0) != 0x80;
    return c->chars;
}

/* A hit placed for writing: the span its coding covers (the hit, or its unit),
 * its code, and which hit it is. */
typedef struct selection {
    uint32_t start, end;
    const char *code;
    size_t hit; /* index into the document's hits */
} selection;

static int by_span_then_code(const void *a, const void *b)
{
    const selection *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    int c = strcmp(x->code, y->code);
    if (c)
        return c;
    return x->hit < y->hit ? -1 : x->hit > y->hit;
}

/* Appends to note b the line `rule RULE matched "WORDS"` for hit h. Returns 0,
 * or -1 when out of memory. */
static int note_line(qp_buf *b, const qp_doc *doc, const qp_hit *h)
{
    return (b->len && qp_buf_append(b, "\n", 1) < 0) || qp_buf_append(b, "rule ", 5) < 0 ||
                   qp_buf_append(b, h->rule, strlen(h->rule)) < 0 ||
                   qp_buf_append(b, " matched \"", 10) < 0 ||
                   qp_buf_append(b, doc->text + h->start, h->end - h->start) < 0 ||
                   qp_buf_append(b, "\"", 1) < 0
               ? -1
               : 0;
}

/* Writes selections sel[0, n) (sorted; equal span and code make one coding)
 * into the document's TextSource, and their notes. Returns 0, or -1 with err. */
static int write_selections(qdpx_writer *w, const qp_doc *doc, const selection *sel, size_t n)
{
    xmlTextWriter *x = w->sources.xml, *nx = w->notes.xml;
    char_cursor cur = {.text = doc->text};
    for (size_t i = 0, j; i < n; i = j) {
        qp_buf note = {0};
        for (j = i; j < n && sel[j].start == sel[i].start && sel[j].end == sel[i].end &&
                    strcmp(sel[j].code, sel[i].code) == 0;
             j++)
            if (note_line(&note, doc, &doc->hits[sel[j].hit]) < 0)
                goto nomem;
        const char *code_guid = json_string_value(json_object_get(w->code_guids, sel[i].code));
        if (!code_guid) {
            qp_buf_free(&note);
            snprintf(w->err->message, sizeof w->err->message,
                     "document %.200s: a hit of code \"%.200s\", which the codebooks lack", doc->id,
                     sel[i].code);
            return -1;
        }
        char start[24], end[24], sel_guid[QP_GUID_LEN + 1], coding_guid[QP_GUID_LEN + 1],
            note_guid[QP_GUID_LEN + 1];
        snprintf(start, sizeof start, "%ld", chars_at(&cur, sel[i].start));
        snprintf(end, sizeof end, "%ld", chars_at(&cur, sel[i].end));
        const char *key[] = {"selection", doc->id, sel[i].code, start, end};
        qp_guid_of(sel_guid, key, 5);
        qp_guid_of(coding_guid, (const char *[]){"coding", sel_guid}, 2);
        qp_guid_of(note_guid, (const char *[]){"note", sel_guid}, 2);
        char note_name[300];
        snprintf(note_name, sizeof note_name, "qualpipe: why %.200s", sel[i].code);
        int bad = xmlTextWriterStartElement(x, X("PlainTextSelection")) < 0 ||
                  qdpx_attr(x, "guid", sel_guid) < 0 || qdpx_attr(x, "startPosition", start) < 0 ||
                  qdpx_attr(x, "endPosition", end) < 0 ||
                  qdpx_attr(x, "creatingUser", w->user_guid) < 0 ||
                  xmlTextWriterStartElement(x, X("Coding")) < 0 ||
                  qdpx_attr(x, "guid", coding_guid) < 0 ||
                  qdpx_attr(x, "creatingUser", w->user_guid) < 0 ||
                  qdpx_ref(x, "CodeRef", code_guid) < 0 || qdpx_ref(x, "NoteRef", note_guid) < 0 ||
                  xmlTextWriterEndElement(x) < 0 || xmlTextWriterEndElement(x) < 0;
        bad = bad || xmlTextWriterStartElement(nx, X("Note")) < 0 ||
              qdpx_attr(nx, "guid", note_guid) < 0 || qdpx_attr(nx, "name", note_name) < 0 ||
              qdpx_attr(nx, "creatingUser", w->user_guid) < 0 ||
              qdpx_element_text(nx, "PlainTextContent", note.data, note.len) < 0 ||
              xmlTextWriterEndElement(nx) < 0;
        qp_buf_free(&note);
        if (bad) {
            snprintf(w->err->message, sizeof w->err->message, "%s: cannot write: %s", w->o.path,
                     strerror(errno));
            return -1;
        }
        w->notes.n++;
    }
    return 0;
nomem:
    snprintf(w->err->message, sizeof w->err->message, "out of memory");
    return -1;
}

int qdpx_write_codings(qdpx_writer *w, const qp_doc *doc)
{
    if (!doc->n_hits)
        return 0;
    selection *sel = malloc(doc->n_hits * sizeof *sel);
    if (!sel) {
        snprintf(w->err->message, sizeof w->err->message, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < doc->n_hits; i++) {
        const qp_hit *h = &doc->hits[i];
        int in_unit =
            w->o.unit_scope && h->segment != QP_NO_SEGMENT && h->segment < doc->n_segments;
        sel[i] = (selection){in_unit ? doc->segments[h->segment].start : h->start,
                             in_unit ? doc->segments[h->segment].end : h->end, h->code, i};
    }
    qsort(sel, doc->n_hits, sizeof *sel, by_span_then_code);
    int rc = write_selections(w, doc, sel, doc->n_hits);
    free(sel);
    return rc;
}
