/* segment.c - the segment stage: finds speaker turns and splits documents into
 * units (sentences, paragraphs, turns, or pieces between a delimiter), recording
 * each unit's span and speaker so later stages code and count by unit. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <qualpipe/stage.h>

#include "sentences.h"

#define STAGE "segment"
#define MAX_SPEAKERS 64
/* A label at the start of a line: up to three capitalised words, then a colon. */
#define DEFAULT_LABEL                                                                              \
    "^[ \\t]*((?:[\\p{Lu}\\d][\\w.'-]*)(?:[ \\t][\\p{Lu}\\d][\\w.'-]*){0,2})[ \\t]*:[ \\t]+"

typedef enum unit { UNIT_SENTENCE, UNIT_PARAGRAPH, UNIT_TURN, UNIT_REGEX, UNIT_DOCUMENT } unit;

typedef struct segment_ctx {
    const qp_host *host;
    unit unit;
    pcre2_code *label;     /* speaker label, or NULL when speakers are not used */
    pcre2_code *delimiter; /* UNIT_REGEX */
    pcre2_match_data *md;
    const char *speaker_field; /* metadata field naming a document's one speaker */
    char *include[MAX_SPEAKERS];
    size_t n_include;
    char *exclude[MAX_SPEAKERS];
    size_t n_exclude;
    /* While splitting one document. */
    qp_doc *doc;
    const char *speaker;
    int failed;
    int left_out; /* some of the text was left out by the speaker filters */
} segment_ctx;

static const char *const unit_names[] = {"sentence", "paragraph", "turn",
                                         "regex",    "document",  NULL};

static const qp_option_spec segment_options[] = {
    {.name = "unit",
     .type = QP_TYPE_ENUM,
     .choices = unit_names,
     .default_value = "sentence",
     .arg_name = "UNIT",
     .help = "sentence, paragraph, turn, regex (with --delimiter) or document"},
    {.name = "delimiter",
     .type = QP_TYPE_REGEX,
     .arg_name = "REGEX",
     .help = "with --unit regex: units end where REGEX matches"},
    {.name = "speaker-field",
     .arg_name = "NAME",
     .default_value = "speaker",
     .help = "with the speaker options: a document whose text has no speaker label but whose "
             "metadata has field NAME (as a JSON Lines record of one turn, "
             "{\"speaker\": \"P07\", \"text\": ...}) is one turn of that speaker"},
    {.name = "speaker-label",
     .type = QP_TYPE_REGEX,
     .arg_name = "REGEX",
     .help = "a line starting with a match begins a speaker turn; group 1 is the speaker "
             "(default: up to three capitalised words and a colon, as 'P07:' or 'Interviewer:')"},
    {.name = "speakers",
     .type = QP_TYPE_FLAG,
     .help = "find speaker turns with the default label (implied by --unit turn and the "
             "speaker options)"},
    {.name = "speakers-exclude",
     .flags = QP_OPT_REPEAT,
     .arg_name = "NAMES",
     .help = "leave out what these speakers say (comma-separated, any case), e.g. "
             "Interviewer,Dan"},
    {.name = "speakers-include",
     .flags = QP_OPT_REPEAT,
     .arg_name = "NAMES",
     .help = "code only what these speakers say (comma-separated, any case)"},
    {0},
};

static void segment_destroy(void *ctx)
{
    segment_ctx *s = ctx;
    if (!s)
        return;
    pcre2_code_free(s->label);
    pcre2_code_free(s->delimiter);
    pcre2_match_data_free(s->md);
    for (size_t i = 0; i < s->n_include; i++)
        free(s->include[i]);
    for (size_t i = 0; i < s->n_exclude; i++)
        free(s->exclude[i]);
    free(s);
}

/* Compiles an option's regex. Returns it, or NULL with err naming the option,
 * PCRE2's message and the offset. */
static pcre2_code *compile(const char *option, const char *pattern, uint32_t flags, qp_error *err)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP | flags, &code, &offset, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err->message, sizeof err->message, "--%s: regex error at offset %zu: %s", option,
                 (size_t)offset, (char *)msg);
        return NULL;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

/* Adds each comma-separated name of list to names. Returns QP_OK or QP_ERR_USAGE. */
static int add_names(char **names, size_t *n, const char *list, qp_error *err)
{
    const char *p = list;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && (*p == ' '))
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            if (*n == MAX_SPEAKERS) {
                snprintf(err->message, sizeof err->message, "at most %d speaker names",
                         MAX_SPEAKERS);
                return QP_ERR_USAGE;
            }
            if (!(names[*n] = strndup(p, len)))
                return QP_ERR_NOMEM;
            (*n)++;
        }
        p = comma ? comma + 1 : p + strlen(p);
    }
    return QP_OK;
}

/* Returns QP_OK with the instance, or QP_ERR_USAGE with err for a bad unit,
 * regex or combination. */
static int segment_create(const qp_host *host, const qp_option_value *opts, size_t n_opts,
                          void **ctx, qp_error *err)
{
    segment_ctx *s = calloc(1, sizeof *s);
    if (!s)
        return QP_ERR_NOMEM;
    s->host = host;
    const char *label = NULL, *delimiter = NULL;
    int speakers = 0, rc = QP_OK;
    for (size_t i = 0; i < n_opts && rc == QP_OK; i++) {
        const char *name = opts[i].name, *value = opts[i].value;
        if (strcmp(name, "unit") == 0) {
            s->unit = (unit)opts[i].number;
            speakers |= s->unit == UNIT_TURN;
        } else if (strcmp(name, "delimiter") == 0) {
            delimiter = value;
        } else if (strcmp(name, "speaker-label") == 0) {
            label = value;
            speakers = 1;
        } else if (strcmp(name, "speakers") == 0) {
            speakers = 1;
        } else if (strcmp(name, "speaker-field") == 0) {
            s->speaker_field = value;
        } else if (strcmp(name, "speakers-exclude") == 0) {
            rc = add_names(s->exclude, &s->n_exclude, value, err);
            speakers = 1;
        } else if (strcmp(name, "speakers-include") == 0) {
            rc = add_names(s->include, &s->n_include, value, err);
            speakers = 1;
        }
    }
    if (rc == QP_OK && (s->unit == UNIT_REGEX) != (delimiter != NULL)) {
        snprintf(err->message, sizeof err->message,
                 "--unit regex and --delimiter REGEX go together");
        rc = QP_ERR_USAGE;
    }
    if (rc == QP_OK && s->unit == UNIT_DOCUMENT && speakers) {
        snprintf(err->message, sizeof err->message,
                 "--unit document keeps whole documents: speaker options need another unit");
        rc = QP_ERR_USAGE;
    }
    if (rc == QP_OK && speakers &&
        !(s->label = compile("speaker-label", label ? label : DEFAULT_LABEL, PCRE2_MULTILINE, err)))
        rc = QP_ERR_USAGE;
    if (rc == QP_OK && delimiter && !(s->delimiter = compile("delimiter", delimiter, 0, err)))
        rc = QP_ERR_USAGE;
    uint32_t groups = 0;
    if (rc == QP_OK && s->label) {
        pcre2_pattern_info(s->label, PCRE2_INFO_CAPTURECOUNT, &groups);
        if (groups < 1) {
            snprintf(err->message, sizeof err->message,
                     "--speaker-label: the regex needs a group, ( ... ), around the speaker's "
                     "name");
            rc = QP_ERR_USAGE;
        }
    }
    if (rc == QP_OK && !(s->md = pcre2_match_data_create(4, NULL)))
        rc = QP_ERR_NOMEM;
    if (rc != QP_OK) {
        segment_destroy(s);
        return rc;
    }
    *ctx = s;
    return QP_OK;
}

/* Records in the stream header what a unit is ("units"). Returns QP_OK, or
 * QP_ERR_NOMEM. */
static int segment_begin(void *ctx, json_t *header, qp_error *err)
{
    segment_ctx *s = ctx;
    if (json_object_set_new(header, "units", json_string(unit_names[s->unit])) < 0) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return QP_ERR_NOMEM;
    }
    return QP_OK;
}

/* Returns 1 when the current speaker's words are to be kept. */
static int speaker_wanted(const segment_ctx *s, const char *speaker)
{
    if (s->n_include) {
        for (size_t i = 0; i < s->n_include; i++)
            if (speaker && strcasecmp(s->include[i], speaker) == 0)
                return 1;
        return 0;
    }
    for (size_t i = 0; i < s->n_exclude; i++)
        if (speaker && strcasecmp(s->exclude[i], speaker) == 0)
            return 0;
    return 1;
}

/* Records one unit for the current speaker. Returns 0, or 1 to stop on error. */
static int add_unit(void *ctx, size_t start, size_t end)
{
    segment_ctx *s = ctx;
    if (s->host->doc_add_segment(s->doc, (uint32_t)start, (uint32_t)end, s->speaker) != QP_OK) {
        s->failed = 1;
        return 1;
    }
    return 0;
}

/* Splits text[start, end) at matches of the delimiter. Returns 0, or 1 on error. */
static int split_regex(segment_ctx *s, size_t start, size_t end)
{
    const char *text = s->doc->text;
    size_t from = start, at = start;
    while (at <= end) {
        int rc =
            pcre2_match(s->delimiter, (PCRE2_SPTR)text, end, at, PCRE2_NO_UTF_CHECK, s->md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
        size_t a = ov[0], b = ov[1];
        if (b == a) { /* an empty match: step on by one character, never into one */
            at = b + 1;
            while (at < end && ((unsigned char)text[at] & 0xc0) == 0x80)
                at++;
            continue;
        }
        size_t t0 = from, t1 = a;
        while (t0 < t1 && strchr(" \t\r\n", text[t0]))
            t0++;
        while (t1 > t0 && strchr(" \t\r\n", text[t1 - 1]))
            t1--;
        if (t0 < t1 && add_unit(s, t0, t1))
            return 1;
        from = at = b;
    }
    size_t t0 = from, t1 = end;
    while (t0 < t1 && strchr(" \t\r\n", text[t0]))
        t0++;
    while (t1 > t0 && strchr(" \t\r\n", text[t1 - 1]))
        t1--;
    return t0 < t1 ? add_unit(s, t0, t1) : 0;
}

/* Splits one speaker's stretch of text into units. Returns 0, or 1 on error. */
static int split_body(segment_ctx *s, size_t start, size_t end)
{
    if (!speaker_wanted(s, s->speaker)) {
        s->left_out = 1;
        return 0;
    }
    switch (s->unit) {
    case UNIT_SENTENCE:
        return qp_split_sentences(s->doc->text, start, end, add_unit, s);
    case UNIT_PARAGRAPH:
        return qp_split_paragraphs(s->doc->text, start, end, add_unit, s);
    case UNIT_REGEX:
        return split_regex(s, start, end);
    default: {
        size_t a = start, b = end;
        const char *t = s->doc->text;
        while (a < b && strchr(" \t\r\n", t[a]))
            a++;
        while (b > a && strchr(" \t\r\n", t[b - 1]))
            b--;
        return a < b ? add_unit(s, a, b) : 0;
    }
    }
}

/* Collects the pieces turns are assembled from: paragraphs, cut again before
 * every line inside them that starts with a speaker label. */
typedef struct paragraphs {
    size_t (*spans)[2];
    size_t n, cap;
    const segment_ctx *s;
} paragraphs;

/* Appends text[start, end) without its trailing white space. Returns 0, or 1
 * when out of memory. */
static int add_piece(paragraphs *p, size_t start, size_t end)
{
    const char *t = p->s->doc->text;
    while (end > start && strchr(" \t\r\n", t[end - 1]))
        end--;
    if (end == start)
        return 0;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        size_t(*q)[2] = realloc(p->spans, cap * sizeof *q);
        if (!q)
            return 1;
        p->spans = q;
        p->cap = cap;
    }
    p->spans[p->n][0] = start;
    p->spans[p->n][1] = end;
    p->n++;
    return 0;
}

/* Returns 1 when a speaker label matches at text[at], within [at, end). */
static int label_at(const segment_ctx *s, size_t at, size_t end)
{
    return pcre2_match(s->label, (PCRE2_SPTR)s->doc->text, end, at,
                       PCRE2_NO_UTF_CHECK | PCRE2_ANCHORED, s->md, NULL) >= 2;
}

/* Adds one paragraph as pieces, cut before each later line that starts with a
 * label, so turns written on consecutive lines are told apart. Returns 0, or 1
 * when out of memory. */
static int add_paragraph(void *ctx, size_t start, size_t end)
{
    paragraphs *p = ctx;
    const char *t = p->s->doc->text;
    size_t from = start;
    for (size_t i = start; i + 1 < end; i++)
        if (t[i] == '\n' && label_at(p->s, i + 1, end)) {
            if (add_piece(p, from, i + 1))
                return 1;
            from = i + 1;
        }
    return add_piece(p, from, end);
}

/* Walks the document's paragraphs (and lines starting with a label): one
 * starting with a speaker label begins a turn, one without continues the current
 * turn (text before the first label has
 * no known speaker). With --unit paragraph every paragraph is a unit; otherwise
 * each turn, from the end of its label to the end of its last continuation, is
 * split into units. Returns 0, or 1 on error. */
static int split_turns(segment_ctx *s)
{
    const qp_doc *doc = s->doc;
    paragraphs p = {.s = s};
    if (qp_split_paragraphs(doc->text, 0, doc->text_len, add_paragraph, &p)) {
        free(p.spans);
        return 1;
    }
    char *speaker = NULL;
    size_t turn_start = 0, turn_end = 0;
    int in_turn = 0, rc = 0;
    for (size_t i = 0; i < p.n && !rc; i++) {
        size_t a = p.spans[i][0], b = p.spans[i][1], body = a;
        if (label_at(s, a, b)) {
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
            if (in_turn && s->unit != UNIT_PARAGRAPH) {
                s->speaker = speaker;
                rc = split_body(s, turn_start, turn_end);
            }
            free(speaker);
            if (!(speaker = strndup(doc->text + ov[2], ov[3] - ov[2])))
                rc = 1;
            body = ov[1];
            turn_start = body;
            in_turn = 1;
        } else if (!in_turn) {
            turn_start = a;
            in_turn = 1;
        }
        turn_end = b;
        if (!rc && s->unit == UNIT_PARAGRAPH) {
            s->speaker = speaker;
            rc = split_body(s, body, b);
        }
    }
    if (!rc && in_turn && s->unit != UNIT_PARAGRAPH) {
        s->speaker = speaker;
        rc = split_body(s, turn_start, turn_end);
    }
    free(speaker);
    free(p.spans);
    s->speaker = NULL;
    return rc;
}

/* Splits a document into turns: by the labels in its text, or, when it has
 * none, as one turn of the speaker its metadata names (--speaker-field), or of
 * no known speaker. Returns 0, or 1 on error. */
static int split_document_turns(segment_ctx *s)
{
    const qp_doc *doc = s->doc;
    const char *said_by =
        s->speaker_field ? json_string_value(json_object_get(doc->meta, s->speaker_field)) : NULL;
    if (said_by && pcre2_match(s->label, (PCRE2_SPTR)doc->text, doc->text_len, 0,
                               PCRE2_NO_UTF_CHECK, s->md, NULL) < 2) {
        s->speaker = said_by;
        return split_body(s, 0, doc->text_len);
    }
    return split_turns(s);
}

/* Splits one document. Returns QP_OK, or QP_ERR_NOMEM. */
static int segment_process(void *ctx, qp_doc *doc, qp_error *err)
{
    segment_ctx *s = ctx;
    if (s->unit == UNIT_DOCUMENT)
        return QP_OK;
    if (doc->n_segments) {
        s->host->doc_skip(doc, STAGE, "already segmented (segment runs once per document)");
        return QP_OK;
    }
    s->doc = doc;
    s->failed = 0;
    s->left_out = 0;
    s->speaker = NULL;
    int rc = s->label ? split_document_turns(s) : split_body(s, 0, doc->text_len);
    /* Every word left out by the speaker filters: nothing is left to code, and a
     * document without segments would be coded whole. */
    if (!rc && !s->failed && s->left_out && doc->n_segments == 0)
        rc = s->host->doc_drop(doc, STAGE) != QP_OK;
    if (rc || s->failed) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return QP_ERR_NOMEM;
    }
    return QP_OK;
}

const qp_stage_descriptor qualpipe_stage_descriptor = {
    .abi_major = QP_STAGE_ABI_MAJOR,
    .abi_minor = QP_STAGE_ABI_MINOR,
    .kind = QP_STAGE_FILTER,
    .name = STAGE,
    .version = PACKAGE_VERSION,
    .description = "splits documents into sentences, paragraphs or speaker turns",
    .options = segment_options,
    .create = segment_create,
    .begin = segment_begin,
    .process = segment_process,
    .destroy = segment_destroy,
};
