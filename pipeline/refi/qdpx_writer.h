/* qdpx_writer.h - what the project writer holds, shared by qdpx_write.c (the
 * project, its cases and sources, the archive) and qdpx_codings.c (the coded
 * selections and their notes). */
#ifndef QP_QDPX_WRITER_H
#define QP_QDPX_WRITER_H

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <sys/types.h>

#include "guid.h"
#include "qdpx.h"

#define X(s) ((const xmlChar *)(s))

/* One part of project.qde written as the documents come, to a file of its own. */
typedef struct part {
    FILE *fp;
    xmlTextWriter *xml;
    size_t n; /* elements written */
} part;

/* A document's text in the texts file, and the GUID that names its entry. */
typedef struct text_entry {
    char guid[QP_GUID_LEN + 1];
    off_t off;
    size_t len;
} text_entry;

struct qdpx_writer {
    qdpx_options o;
    char user_guid[QP_GUID_LEN + 1];
    xmlBuffer *head_buf;
    xmlTextWriter *head;
    xmlBuffer *tail_buf; /* after the Notes: the Sets */
    xmlTextWriter *tail;
    part cases, sources, notes;
    FILE *texts;
    off_t texts_len;
    text_entry *entries;
    size_t n_entries, entries_cap;
    json_t *code_guids; /* code id -> GUID */
    json_t *variables;  /* metadata field -> GUID, in order of first use */
    json_t *seen_ids;   /* document ids written, to refuse a second */
    qp_error *err;
};

/* Writes attribute name="value", value made XML-safe. Returns 0, or -1. */
int qdpx_attr(xmlTextWriter *w, const char *name, const char *value);
/* Writes <name>text[0, n)</name>, made XML-safe. Returns 0, or -1. */
int qdpx_element_text(xmlTextWriter *w, const char *name, const char *text, size_t n);
/* Writes <name targetGUID="guid"/>. Returns 0, or -1. */
int qdpx_ref(xmlTextWriter *w, const char *name, const char *guid);

/* Writes the document's codings into its open TextSource (one per hit, or one
 * per unit and code) and their notes. Returns 0, or -1 with w->err filled. */
int qdpx_write_codings(qdpx_writer *w, const qp_doc *doc);

#endif
