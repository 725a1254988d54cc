/* cmd_kwic.c - `qualpipe kwic`: the hits of chosen codes as keyword-in-context
 * lines, for reading in a terminal or loading as TSV. The corpus goes through the
 * same read, segment, tokenise and code stages as `qualpipe run`; a sink of the
 * host's own prints each hit as its document reaches it, in corpus order. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "commands.h"
#include "session.h"
#include "util/grow.h"
#include "util/text.h"

#define KWIC_DEFAULT_WIDTH 40
#define KWIC_MAX_WIDTH 1000

#define STR(x) #x
#define XSTR(x) STR(x)

static const qp_option_spec kwic_options[] = {
    {.name = "code",
     .flags = QP_OPT_REPEAT | QP_OPT_REQUIRED,
     .arg_name = "ID",
     .help = "show the hits of code ID and of the codes below it (repeat for several)"},
    {.name = "width",
     .short_name = 'w',
     .type = QP_TYPE_INTEGER,
     .min = 0,
     .max = KWIC_MAX_WIDTH,
     .default_value = XSTR(KWIC_DEFAULT_WIDTH),
     .arg_name = "N",
     .help = "show N columns of context on each side of the hit"},
    {.name = "tsv",
     .type = QP_TYPE_FLAG,
     .help = "print tab-separated columns with a header instead: doc, line, start, end, code, "
             "rule, speaker, left, match, right"},
    {.name = "stages",
     .arg_name = "LIST",
     .help = "the stages to chain before the hits are printed, separated by commas",
     .default_value = QP_DEFAULT_KWIC_CHAIN},
    QP_SPEC_PLUGIN_DIR,
    QP_SPEC_JOBS,
    QP_SPEC_HELP,
    {0},
};

/* What the printing sink needs. */
typedef struct kwic_state {
    char **codes; /* the chosen codes and every code below them */
    size_t n_codes, codes_cap;
    const qp_parsed *requested; /* the command's options, with every --code */
    int show_code;              /* more than one code: name it on each line */
    unsigned width;
    int tsv;
    size_t printed;
    int output_closed; /* the reader of stdout went away */
    /* Per unit of the document being printed: where its context may reach. */
    uint32_t *reach_from, *reach_to;
    size_t reach_cap;
} kwic_state;

/* Returns 1 when code is one of the chosen codes, else 0. */
static int chosen(const kwic_state *st, const char *code)
{
    for (size_t i = 0; i < st->n_codes; i++)
        if (strcmp(st->codes[i], code) == 0)
            return 1;
    return 0;
}

/* Returns the display columns of character cp, counting white space and
 * control characters as one column. */
static int columns_of(int32_t cp)
{
    if (cp < 0x20 || cp == 0x7f)
        return 1;
    int w = utf8proc_charwidth(cp);
    return w < 0 ? 1 : w;
}

/* Decodes the character starting at text[i]; sets *cp and returns its length
 * (1 for a byte that does not start a valid character). */
static size_t decode(const char *text, size_t i, size_t end, int32_t *cp)
{
    utf8proc_ssize_t n =
        utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(end - i), cp);
    if (n <= 0) {
        *cp = '?';
        return 1;
    }
    return (size_t)n;
}

static int is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v';
}

/* Writes text[a, b) to out with runs of white space (and, for TSV, tabs) as one
 * space. */
static void put_flat(FILE *out, const char *text, size_t a, size_t b)
{
    int in_space = 0;
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)text[i];
        if (is_space(c)) {
            if (!in_space)
                fputc(' ', out);
            in_space = 1;
        } else {
            fputc(c < 0x20 || c == 0x7f ? '?' : c, out);
            in_space = 0;
        }
    }
}

/* Returns the columns character cp adds to a context in which a run of white
 * space shows as one space; *prev_space says whether the last one was space. */
static unsigned added_columns(int32_t cp, int *prev_space)
{
    int space = is_space(cp);
    unsigned w = space && *prev_space ? 0 : (unsigned)columns_of(cp);
    *prev_space = space;
    return w;
}

/* Returns where the left context of a hit at `start` begins: as far back as fits
 * in `width` columns, runs of white space counting as one, never before `from`.
 * Sets *cols to the columns it takes. */
static size_t left_start(const char *text, size_t from, size_t start, unsigned width,
                         unsigned *cols)
{
    size_t a = start;
    unsigned used = 0;
    int prev_space = 0;
    while (a > from) {
        size_t p = a - 1;
        while (p > 0 && ((unsigned char)text[p] & 0xc0) == 0x80)
            p--;
        int32_t cp;
        decode(text, p, a, &cp);
        unsigned w = added_columns(cp, &prev_space);
        if (used + w > width)
            break;
        used += w;
        a = p;
    }
    *cols = used;
    return a;
}

/* Returns where the right context of a hit ending at `end` stops, as for
 * left_start, never after len. */
static size_t right_end(const char *text, size_t len, size_t end, unsigned width)
{
    size_t b = end;
    unsigned used = 0;
    int prev_space = 0;
    while (b < len) {
        int32_t cp;
        size_t n = decode(text, b, len, &cp);
        unsigned w = added_columns(cp, &prev_space);
        if (used + w > width)
            break;
        used += w;
        b += n;
    }
    return b;
}

/* Prints one hit as a KWIC line (or TSV row). */
static void print_hit(kwic_state *st, const qp_doc *doc, const qp_hit *hit)
{
    FILE *out = stdout;
    unsigned left_cols;
    int in_unit = hit->segment != QP_NO_SEGMENT && hit->segment < doc->n_segments;
    size_t from = in_unit ? st->reach_from[hit->segment] : 0;
    size_t to = in_unit ? st->reach_to[hit->segment] : doc->text_len;
    size_t a = left_start(doc->text, from, hit->start, st->width, &left_cols);
    size_t b = right_end(doc->text, to, hit->end, st->width);
    const char *speaker = hit->segment != QP_NO_SEGMENT && hit->segment < doc->n_segments
                              ? doc->segments[hit->segment].speaker
                              : NULL;
    size_t line = qp_text_line_of(doc->text, hit->start);
    if (st->tsv) {
        put_flat(out, doc->id, 0, strlen(doc->id));
        fprintf(out, "\t%zu\t%u\t%u\t%s\t", line, hit->start, hit->end, hit->code);
        put_flat(out, hit->rule, 0, strlen(hit->rule));
        fputc('\t', out);
        if (speaker)
            put_flat(out, speaker, 0, strlen(speaker));
        fputc('\t', out);
        put_flat(out, doc->text, a, hit->start);
        fputc('\t', out);
        put_flat(out, doc->text, hit->start, hit->end);
        fputc('\t', out);
        put_flat(out, doc->text, hit->end, b);
        fputc('\n', out);
        return;
    }
    fprintf(out, "%*s", (int)(st->width - left_cols), "");
    put_flat(out, doc->text, a, hit->start);
    fputc('[', out);
    put_flat(out, doc->text, hit->start, hit->end);
    fputc(']', out);
    put_flat(out, doc->text, hit->end, b);
    fprintf(out, "  (%s:%zu", doc->id, line);
    if (speaker)
        fprintf(out, ", %s", speaker);
    if (st->show_code)
        fprintf(out, ", %s", hit->code);
    fputs(")\n", out);
}

/* Returns 1 when text[a, b) holds a word: text that was left out of the units
 * (an excluded speaker's turn, a label), not only the space between sentences. */
static int holds_word(const char *text, size_t a, size_t b)
{
    size_t pos = 0, s, e;
    return b > a && qp_token_next(text + a, b - a, &pos, &s, &e);
}

/* Sets, for each unit of doc, how far its hits' context may reach: over the
 * units next to it with nothing but space and punctuation between, so the
 * context never shows words the units left out. Returns 0, or -1 when out of
 * memory. */
static int find_reach(kwic_state *st, const qp_doc *doc)
{
    size_t n = doc->n_segments;
    if (qp_grow(&st->reach_from, &st->reach_cap, n + 1, sizeof *st->reach_from, 64) < 0)
        return -1;
    uint32_t *to = realloc(st->reach_to, st->reach_cap * sizeof *to);
    if (!to)
        return -1;
    st->reach_to = to;
    const qp_segment *g = doc->segments;
    for (size_t i = 0; i < n; i++)
        st->reach_from[i] = i && !holds_word(doc->text, g[i - 1].end, g[i].start)
                                ? st->reach_from[i - 1]
                                : g[i].start;
    for (size_t i = n; i-- > 0;)
        st->reach_to[i] = i + 1 < n && !holds_word(doc->text, g[i].end, g[i + 1].start)
                              ? st->reach_to[i + 1]
                              : g[i].end;
    return 0;
}

/* Prints the document's hits of the chosen codes. Returns QP_OK, QP_ERR_NOMEM,
 * or QP_ERR_IO when standard output cannot be written (output_closed set when
 * its reader left). */
static int print_hits(void *ctx, qp_doc *doc, qp_error *err)
{
    kwic_state *st = ctx;
    if (doc->skipped)
        return QP_OK;
    if (find_reach(st, doc) < 0) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return QP_ERR_NOMEM;
    }
    for (size_t i = 0; i < doc->n_hits; i++)
        if (chosen(st, doc->hits[i].code)) {
            print_hit(st, doc, &doc->hits[i]);
            st->printed++;
        }
    if (ferror(stdout)) {
        st->output_closed = errno == EPIPE;
        snprintf(err->message, sizeof err->message, "cannot write to standard output: %s",
                 strerror(errno));
        return QP_ERR_IO;
    }
    return QP_OK;
}

/* Adds code id to st unless it is there. Returns 0, or -1 when out of memory. */
static int choose(kwic_state *st, const char *id)
{
    if (chosen(st, id))
        return 0;
    if (qp_grow(&st->codes, &st->codes_cap, st->n_codes + 1, sizeof *st->codes, 16) < 0 ||
        !(st->codes[st->n_codes] = strdup(id)))
        return -1;
    st->n_codes++;
    return 0;
}

/* Returns 1 when some codebook described in `books` has code id, else 0. */
static int known(const json_t *books, const char *id)
{
    size_t b, k;
    const json_t *book, *code;
    json_array_foreach(books, b, book) json_array_foreach(json_object_get(book, "codes"), k, code)
    {
        const char *known_id = json_string_value(json_object_get(code, "id"));
        if (known_id && strcmp(known_id, id) == 0)
            return 1;
    }
    return 0;
}

/* The sink's begin: resolves every --code against the codebooks the code stage
 * put in the stream header, adding the codes below each, and prints the TSV
 * header. Returns QP_OK, QP_ERR_USAGE naming an unknown code, or QP_ERR_NOMEM. */
static int resolve_codes(void *ctx, json_t *header, qp_error *err)
{
    kwic_state *st = ctx;
    const json_t *books = json_object_get(header, "codebooks");
    for (size_t i = 0; i < st->requested->n; i++) {
        const char *id = st->requested->values[i].value;
        if (strcmp(st->requested->values[i].name, "code") != 0)
            continue;
        if (!known(books, id)) {
            snprintf(err->message, sizeof err->message,
                     "--code %s: no such code in the codebook%s given with -c ('qualpipe "
                     "codebook check CODEBOOK' lists the codes)",
                     id, json_array_size(books) == 1 ? "" : "s");
            return QP_ERR_USAGE;
        }
        if (choose(st, id) < 0)
            return QP_ERR_NOMEM;
    }
    /* Then every code whose parent is chosen, until no more join. */
    for (size_t before = 0; before != st->n_codes;) {
        before = st->n_codes;
        size_t b, k;
        const json_t *book, *code;
        json_array_foreach(books, b, book)
            json_array_foreach(json_object_get(book, "codes"), k, code)
        {
            const char *parent = json_string_value(json_object_get(code, "parent"));
            if (parent && chosen(st, parent) &&
                choose(st, json_string_value(json_object_get(code, "id"))) < 0)
                return QP_ERR_NOMEM;
        }
    }
    st->show_code = st->n_codes > 1;
    if (st->tsv)
        fputs("doc\tline\tstart\tend\tcode\trule\tspeaker\tleft\tmatch\tright\n", stdout);
    return QP_OK;
}

static void kwic_help(const qp_session *s, int loaded)
{
    printf("Usage: qualpipe kwic -c CODEBOOK --code ID [-w N] INPUT...\n"
           "\n"
           "Print every hit of code ID (and of the codes below it) in its context, one\n"
           "line each, in corpus order: the matched words in [brackets] between N\n"
           "columns of context on either side, then the document, its line and the\n"
           "speaker. INPUT is read as by 'qualpipe run'.\n"
           "\n"
           "Examples:\n"
           "  qualpipe kwic -c edmondson --code process_inadequacy corpora/pln-interviews\n"
           "  qualpipe kwic -c iparihs --code facilitation --tsv corpora/pln-interviews \\\n"
           "      > facilitation.tsv\n"
           "\n"
           "Options:\n");
    if (loaded)
        qp_session_print_options(s);
    else
        qp_options_print(stdout, (qp_option_table[]){{NULL, kwic_options}}, 1, 0);
}

/* Ends a kwic run: flushes standard output and says when nothing was found.
 * Returns the exit status. */
static int kwic_end(const qp_session *s, const kwic_state *st, int rc)
{
    if (st->output_closed)
        return QP_EXIT_OK;
    if (rc != QP_OK) {
        qp_errorf("%s", s->runner.error.message);
        return qp_exit_for(rc);
    }
    if (fflush(stdout) != 0) {
        if (errno != EPIPE)
            qp_errorf("cannot write to standard output: %s", strerror(errno));
        return errno == EPIPE ? QP_EXIT_OK : QP_EXIT_USAGE;
    }
    size_t seen = s->runner.counts.docs_seen;
    if (st->printed == 0)
        qp_errorf("kwic: the chosen code%s no hits in %zu document%s",
                  st->n_codes > 1 ? "s have" : " has", seen, seen == 1 ? "" : "s");
    return s->runner.counts.skipped_seen ? QP_EXIT_SKIPPED : QP_EXIT_OK;
}

int qp_cmd_kwic(int argc, char **argv)
{
    qp_session s;
    if (qp_session_start(&s, "kwic", argc, argv) < 0)
        return QP_EXIT_CODEBOOK;
    kwic_state st = {0};
    int loaded = qp_session_load_chain(&s, argc, argv, QP_DEFAULT_KWIC_CHAIN,
                                       QP_CHAIN_FOR_HOST_SINK, kwic_options) == 0;
    int status = QP_EXIT_CODEBOOK;
    if (qp_options_want_help(argc, argv)) {
        kwic_help(&s, loaded);
        status = QP_EXIT_OK;
    } else if (loaded && qp_session_parse(&s, argc, argv) < 0) {
        status = QP_EXIT_USAGE;
    } else if (loaded) {
        st.tsv = qp_options_get(&s.parsed[0], "tsv") != NULL;
        st.width = (unsigned)qp_option_find(s.parsed[0].values, s.parsed[0].n, "width")->number;
        const qp_option_value *jobs = qp_option_find(s.parsed[0].values, s.parsed[0].n, "jobs");
        s.runner.jobs = jobs ? (size_t)jobs->number : qp_default_jobs();
        st.requested = &s.parsed[0];
        qp_session_add_stages(&s);
        qp_runner_add_host_sink(&s.runner, "kwic", resolve_codes, print_hits, &st);
        status = kwic_end(&s, &st, qp_runner_run(&s.runner));
    }
    qp_session_end(&s);
    for (size_t i = 0; i < st.n_codes; i++)
        free(st.codes[i]);
    free(st.codes);
    free(st.reach_from);
    free(st.reach_to);
    return status;
}
