/* qdpx_write.c - a corpus and its hits streamed into a REFI-QDA project.
 *
 * Project.xsd fixes the order Users, CodeBook, Variables, Cases, Sources, Notes,
 * but cases, sources and notes are only known document by document. So each of
 * them is written as it comes to a file of its own (unlinked at once, beside the
 * output, so it lives on the output's file system and vanishes on a crash), the
 * texts to another, and project.qde is put together at the end; the archive then
 * reads the texts back from their file. Memory holds a few numbers per document. */
#include "config.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guid.h"
#include "qdpx_writer.h"
#include "qdpx_zip.h"
#include "util/fileio.h"
#include "util/grow.h"
#include "util/text.h"

#define PROJECT_NS "urn:QDA-XML:project:1.0"

/* Opens an anonymous file on the file system of `beside`. Returns it, or NULL
 * with err filled. */
static FILE *scratch_file(const char *beside, qp_error *err)
{
    char *tmp;
    int fd = qp_temp_beside(beside, &tmp, err);
    if (fd < 0)
        return NULL;
    unlink(tmp);
    free(tmp);
    FILE *fp = fdopen(fd, "w+");
    if (!fp) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", beside,
                 strerror(errno));
        close(fd);
    }
    return fp;
}

/* Opens a part and its XML writer. Returns 0, or -1 with err. */
static int part_open(part *p, const char *beside, qp_error *err)
{
    if (!(p->fp = scratch_file(beside, err)))
        return -1;
    xmlOutputBuffer *out = xmlOutputBufferCreateFile(p->fp, NULL);
    if (!out || !(p->xml = xmlNewTextWriter(out))) {
        if (out)
            xmlOutputBufferClose(out);
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    xmlTextWriterSetIndent(p->xml, 1);
    xmlTextWriterSetIndentString(p->xml, X(" "));
    return 0;
}

/* Flushes a part's writer and frees it, keeping the file. Returns 0, or -1. */
static int part_flush(part *p)
{
    if (!p->xml)
        return 0;
    int bad = xmlTextWriterFlush(p->xml) < 0;
    xmlFreeTextWriter(p->xml); /* closes the output buffer, not the FILE */
    p->xml = NULL;
    return bad || fflush(p->fp) != 0 ? -1 : 0;
}

static void part_close(part *p)
{
    if (p->xml)
        xmlFreeTextWriter(p->xml);
    if (p->fp)
        fclose(p->fp);
    memset(p, 0, sizeof *p);
}

/* Returns s with every character XML 1.0 cannot hold (controls other than tab,
 * newline and CR) as U+FFFD, malloc'd; NULL when out of memory. */
static char *xml_safe(const char *s, size_t n)
{
    qp_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int bad = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        if ((bad ? qp_buf_append(&b, "\xEF\xBF\xBD", 3) : qp_buf_append(&b, s + i, 1)) < 0) {
            qp_buf_free(&b);
            return NULL;
        }
    }
    return b.data ? b.data : strdup(""); /* qp_buf_append ends the data with a NUL */
}

/* Writes attribute name="value" with value made XML-safe. Returns 0, or -1. */
int qdpx_attr(xmlTextWriter *w, const char *name, const char *value)
{
    char *v = xml_safe(value, strlen(value));
    int rc = v ? xmlTextWriterWriteAttribute(w, X(name), X(v)) : -1;
    free(v);
    return rc < 0 ? -1 : 0;
}

/* Writes <name>text[0, n)</name> made XML-safe. Returns 0, or -1. */
int qdpx_element_text(xmlTextWriter *w, const char *name, const char *text, size_t n)
{
    char *v = xml_safe(text, n);
    int rc = v ? xmlTextWriterWriteElement(w, X(name), X(v)) : -1;
    free(v);
    return rc < 0 ? -1 : 0;
}

/* Writes <name targetGUID="guid"/>. Returns 0, or -1. */
int qdpx_ref(xmlTextWriter *w, const char *name, const char *guid)
{
    return xmlTextWriterStartElement(w, X(name)) < 0 || qdpx_attr(w, "targetGUID", guid) < 0 ||
                   xmlTextWriterEndElement(w) < 0
               ? -1
               : 0;
}

qdpx_writer *qdpx_writer_open(const qdpx_options *o, qp_error *err)
{
    qdpx_writer *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return NULL;
    }
    w->o = *o;
    w->code_guids = json_object();
    w->variables = json_object();
    w->seen_ids = json_object();
    qp_guid_of(w->user_guid, (const char *[]){"user", o->user_name}, 2);
    if (part_open(&w->cases, o->path, err) < 0 || part_open(&w->sources, o->path, err) < 0 ||
        part_open(&w->notes, o->path, err) < 0 || !(w->texts = scratch_file(o->path, err))) {
        qdpx_writer_abort(w);
        return NULL;
    }
    w->head_buf = xmlBufferCreate();
    w->head = w->head_buf ? xmlNewTextWriterMemory(w->head_buf, 0) : NULL;
    w->tail_buf = xmlBufferCreate();
    w->tail = w->tail_buf ? xmlNewTextWriterMemory(w->tail_buf, 0) : NULL;
    int bad = !w->head || !w->tail || !w->code_guids || !w->variables || !w->seen_ids;
    bad = bad || xmlTextWriterSetIndent(w->head, 1) < 0 ||
          xmlTextWriterSetIndentString(w->head, X(" ")) < 0 ||
          xmlTextWriterStartDocument(w->head, "1.0", "utf-8", NULL) < 0 ||
          xmlTextWriterStartElementNS(w->head, NULL, X("Project"), X(PROJECT_NS)) < 0 ||
          qdpx_attr(w->head, "name", "qualpipe coding") < 0 ||
          qdpx_attr(w->head, "origin", o->user_name) < 0 ||
          qdpx_attr(w->head, "creatingUserGUID", w->user_guid) < 0 ||
          xmlTextWriterStartElement(w->head, X("Users")) < 0 ||
          xmlTextWriterStartElement(w->head, X("User")) < 0 ||
          qdpx_attr(w->head, "guid", w->user_guid) < 0 ||
          qdpx_attr(w->head, "name", o->user_name) < 0 || xmlTextWriterEndElement(w->head) < 0 ||
          xmlTextWriterEndElement(w->head) < 0;
    if (bad) {
        snprintf(err->message, sizeof err->message, "%s: cannot start the project: out of memory",
                 o->path);
        qdpx_writer_abort(w);
        return NULL;
    }
    return w;
}

xmlTextWriter *qdpx_writer_xml(qdpx_writer *w)
{
    return w->head;
}

xmlTextWriter *qdpx_writer_tail_xml(qdpx_writer *w)
{
    return w->tail;
}

int qdpx_writer_code(qdpx_writer *w, const char *id, const char *guid)
{
    return json_object_set_new(w->code_guids, id, json_string(guid));
}

/* Returns a metadata value as text (strings as they are, the rest as JSON),
 * malloc'd; NULL for JSON null or when out of memory. */
static char *meta_text(const json_t *v)
{
    if (json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return strdup(json_string_value(v));
    return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
}

/* Writes the document's case: its name, its metadata as variable values, and
 * its source. Returns 0, or -1. */
static int write_case(qdpx_writer *w, const qp_doc *doc, const char *source_guid)
{
    xmlTextWriter *x = w->cases.xml;
    char guid[QP_GUID_LEN + 1];
    qp_guid_of(guid, (const char *[]){"case", doc->id}, 2);
    int bad = xmlTextWriterStartElement(x, X("Case")) < 0 || qdpx_attr(x, "guid", guid) < 0 ||
              qdpx_attr(x, "name", doc->id) < 0;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)doc->meta, key, v)
    {
        char *text = meta_text(v);
        if (bad || !text) {
            free(text);
            continue;
        }
        const char *var = json_string_value(json_object_get(w->variables, key));
        if (!var) {
            char vg[QP_GUID_LEN + 1];
            qp_guid_of(vg, (const char *[]){"variable", key}, 2);
            bad = json_object_set_new(w->variables, key, json_string(vg)) < 0;
            var = json_string_value(json_object_get(w->variables, key));
        }
        bad = bad || !var || xmlTextWriterStartElement(x, X("VariableValue")) < 0 ||
              qdpx_ref(x, "VariableRef", var) < 0 ||
              qdpx_element_text(x, "TextValue", text, strlen(text)) < 0 ||
              xmlTextWriterEndElement(x) < 0;
        free(text);
    }
    bad = bad || qdpx_ref(x, "SourceRef", source_guid) < 0 || xmlTextWriterEndElement(x) < 0;
    w->cases.n++;
    return bad ? -1 : 0;
}

/* Appends the document's text to the texts file. Returns 0, or -1. */
static int keep_text(qdpx_writer *w, const qp_doc *doc, const char *source_guid)
{
    if (qp_grow(&w->entries, &w->entries_cap, w->n_entries + 1, sizeof *w->entries, 256) < 0 ||
        (doc->text_len && fwrite(doc->text, 1, doc->text_len, w->texts) != doc->text_len))
        return -1;
    text_entry *e = &w->entries[w->n_entries++];
    memcpy(e->guid, source_guid, sizeof e->guid);
    e->off = w->texts_len;
    e->len = doc->text_len;
    w->texts_len += (off_t)doc->text_len;
    return 0;
}

int qdpx_writer_add(qdpx_writer *w, const qp_doc *doc, qp_error *err)
{
    w->err = err;
    if (doc->skipped || doc->dropped_by)
        return QP_OK;
    if (json_object_get(w->seen_ids, doc->id)) {
        snprintf(err->message, sizeof err->message,
                 "document id \"%.200s\" comes twice; a project needs each source once (give "
                 "the documents ids of their own)",
                 doc->id);
        return QP_ERR_USAGE;
    }
    if (json_object_set_new(w->seen_ids, doc->id, json_true()) < 0) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return QP_ERR_NOMEM;
    }
    char guid[QP_GUID_LEN + 1], path[QP_GUID_LEN + 20];
    qp_guid_of(guid, (const char *[]){"source", doc->id}, 2);
    snprintf(path, sizeof path, "internal://%s.txt", guid);
    xmlTextWriter *x = w->sources.xml;
    int bad = keep_text(w, doc, guid) < 0 || write_case(w, doc, guid) < 0 ||
              xmlTextWriterStartElement(x, X("TextSource")) < 0 || qdpx_attr(x, "guid", guid) < 0 ||
              qdpx_attr(x, "name", doc->id) < 0 || qdpx_attr(x, "plainTextPath", path) < 0 ||
              qdpx_attr(x, "creatingUser", w->user_guid) < 0;
    if (!bad && qdpx_write_codings(w, doc) < 0)
        return QP_ERR_CODEBOOK;
    if (bad || xmlTextWriterEndElement(x) < 0) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", w->o.path,
                 errno ? strerror(errno) : "out of memory");
        return QP_ERR_IO;
    }
    w->sources.n++;
    return QP_OK;
}

/* Writes the Variables element from the fields seen. Returns 0, or -1. */
static int write_variables(qdpx_writer *w)
{
    if (!json_object_size(w->variables))
        return 0;
    xmlTextWriter *x = w->head;
    int bad = xmlTextWriterStartElement(x, X("Variables")) < 0;
    const char *name;
    const json_t *guid;
    json_object_foreach(w->variables, name, guid)
    {
        bad = bad || xmlTextWriterStartElement(x, X("Variable")) < 0 ||
              qdpx_attr(x, "guid", json_string_value(guid)) < 0 || qdpx_attr(x, "name", name) < 0 ||
              qdpx_attr(x, "typeOfVariable", "Text") < 0 || xmlTextWriterEndElement(x) < 0;
    }
    return bad || xmlTextWriterEndElement(x) < 0 ? -1 : 0;
}

/* Copies part p, wrapped in <element>...</element>, to out (nothing when it
 * holds no elements). Returns 0, or -1. */
static int copy_part(part *p, const char *element, FILE *out)
{
    if (!p->n)
        return 0;
    if (part_flush(p) < 0 || fseek(p->fp, 0, SEEK_SET) != 0 || fprintf(out, "<%s>", element) < 0)
        return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p->fp)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            return -1;
    return ferror(p->fp) || fprintf(out, "\n</%s>\n", element) < 0 ? -1 : 0;
}

/* Writes project.qde whole to out. Returns 0, or -1. */
static int write_project(qdpx_writer *w, FILE *out)
{
    if (write_variables(w) < 0 || xmlTextWriterFlush(w->head) < 0)
        return -1;
    /* The head's Project element is still open: what follows goes inside it. */
    const char *head = (const char *)xmlBufferContent(w->head_buf);
    size_t n = (size_t)xmlBufferLength(w->head_buf);
    if (fwrite(head, 1, n, out) != n || fputc('\n', out) == EOF)
        return -1;
    if (copy_part(&w->cases, "Cases", out) < 0 || copy_part(&w->sources, "Sources", out) < 0 ||
        copy_part(&w->notes, "Notes", out) < 0 || xmlTextWriterFlush(w->tail) < 0)
        return -1;
    const char *tail = (const char *)xmlBufferContent(w->tail_buf);
    n = (size_t)xmlBufferLength(w->tail_buf);
    if (fwrite(tail, 1, n, out) != n || fputs("\n</Project>\n", out) == EOF || fflush(out) != 0)
        return -1;
    return 0;
}

int qdpx_writer_finish(qdpx_writer *w, qp_error *err)
{
    qdpx_zip_out z;
    FILE *qde = scratch_file(w->o.path, err);
    long long mtime = w->o.epoch >= 0 ? w->o.epoch : 315532800; /* 1980-01-01, zip's first day */
    int bad = !qde;
    if (!bad && (write_project(w, qde) < 0 || fflush(w->texts) != 0)) {
        snprintf(err->message, sizeof err->message, "%s: cannot write: %s", w->o.path,
                 errno ? strerror(errno) : "out of memory");
        bad = 1;
    }
    if (!bad && qdpx_zip_create(&z, w->o.path, mtime, err) == 0) {
        long qde_len = ftell(qde);
        bad = qde_len < 0 ||
              qdpx_zip_add_range(&z, "project.qde", fileno(qde), 0, (size_t)qde_len, err) < 0;
        for (size_t i = 0; i < w->n_entries && !bad; i++) {
            char name[QP_GUID_LEN + 16];
            snprintf(name, sizeof name, "sources/%s.txt", w->entries[i].guid);
            bad = qdpx_zip_add_range(&z, name, fileno(w->texts), w->entries[i].off,
                                     w->entries[i].len, err) < 0;
        }
        if (bad)
            qdpx_zip_abort(&z);
        else
            bad = qdpx_zip_close(&z, err) < 0 || qdpx_zip_publish(&z, err) < 0;
    } else {
        bad = 1;
    }
    if (qde)
        fclose(qde);
    qdpx_writer_abort(w);
    return bad ? QP_ERR_IO : QP_OK;
}

void qdpx_writer_abort(qdpx_writer *w)
{
    if (!w)
        return;
    part_close(&w->cases);
    part_close(&w->sources);
    part_close(&w->notes);
    if (w->texts)
        fclose(w->texts);
    if (w->head)
        xmlFreeTextWriter(w->head);
    if (w->head_buf)
        xmlBufferFree(w->head_buf);
    if (w->tail)
        xmlFreeTextWriter(w->tail);
    if (w->tail_buf)
        xmlBufferFree(w->tail_buf);
    json_decref(w->code_guids);
    json_decref(w->variables);
    json_decref(w->seen_ids);
    free(w->entries);
    free(w);
}
