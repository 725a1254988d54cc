/* codebook.h - a codebook in memory: codes in a tree and the patterns that code
 * them, whether read from a JSON file or defined by a codebook plugin. */
#ifndef QP_CODEBOOK_H
#define QP_CODEBOOK_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include <qualpipe/codebook.h>

typedef enum qp_pattern_kind {
    QP_PAT_WORD,   /* one token, compared whole */
    QP_PAT_GLOB,   /* one token with * or ? */
    QP_PAT_PHRASE, /* several tokens in a row, each a word or glob */
    QP_PAT_REGEX,  /* /.../ : PCRE2 over each segment's text */
    QP_PAT_NEAR,   /* A NEAR/n B: B within n tokens of A, either side */
    QP_PAT_BEFORE, /* A BEFORE/n B: B within n tokens after A */
    QP_PAT_WITH    /* A WITH B: A and B in the same segment */
} qp_pattern_kind;

/* Which form of a token a pattern part is compared with. */
typedef enum qp_form {
    QP_FORM_FOLD, /* Unicode case-folded (the default) */
    QP_FORM_RAW,  /* as written (case-sensitive codes) */
    QP_FORM_STEM, /* Snowball stem of the folded form (stemmed codes) */
    QP_N_FORMS
} qp_form;

typedef struct qp_pattern_part {
    char *folded; /* the part in its form: folded, as written, or stemmed */
    size_t len;
    int is_glob;
    int prefix_only; /* a glob "literal*": reaching its prefix is a match */
    qp_form form;
} qp_pattern_part;

/* How a code treats a hit with a negator shortly before it. */
typedef enum qp_negation {
    QP_NEGATION_NONE,
    QP_NEGATION_DROP,    /* the hit is not counted */
    QP_NEGATION_SEPARATE /* the hit is counted under the code's "_negated" sibling */
} qp_negation;

typedef struct qp_pattern {
    char *text; /* as written in the codebook */
    qp_pattern_kind kind;
    int exclusion;          /* 1: drops hits of its code that it covers */
    size_t code;            /* index into codebook codes */
    qp_pattern_part *parts; /* WORD and GLOB: 1; PHRASE: 2 or more; REGEX: 0; else A */
    size_t n_parts;
    qp_pattern_part *b_parts; /* NEAR, BEFORE, WITH: the second operand */
    size_t n_b_parts;
    unsigned distance; /* NEAR and BEFORE: at most this many tokens apart */
    pcre2_code *regex; /* REGEX: compiled, JIT where available */
} qp_pattern;

typedef struct qp_code {
    char *id;
    char *label;
    char *definition;
    char *color; /* "#RRGGBB" or "#RGB" as the codebook gives it, or NULL */
    long parent; /* index of the parent code, or -1 */
    unsigned depth;
    int case_sensitive; /* effective: set on the code, its parent, or the codebook */
    int stem;
    qp_negation negation;
    unsigned negation_window; /* tokens before the hit searched for a negator */
    long negated_code;        /* SEPARATE: index of the "_negated" sibling, else -1 */
    size_t n_patterns;
    size_t n_exclusions;
    void *own; /* json_t: the code's object as a JSON codebook wrote it (its "codes"
                * aside, nothing of it is lost on the way out), or NULL; read-only */
} qp_code;

typedef struct qp_codebook {
    char *name;
    char *version;
    char *citation;
    char *source;       /* the file or module it came from */
    char sha256[65];    /* hex digest of that file's bytes */
    int case_sensitive; /* defaults for codes that do not set their own */
    int stem;
    char *language;  /* Snowball stemmer language, "english" unless set */
    char **negators; /* folded; the defaults unless the codebook sets its own */
    size_t n_negators;
    void *stemmer; /* struct sb_stemmer *, made when a code first needs it */
    qp_code *codes;
    size_t n_codes, codes_cap;
    void *code_ids; /* json_t object: each code's id to its index, for qp_codebook_find */
    qp_pattern *patterns;
    size_t n_patterns, patterns_cap;
    const qp_codebook_descriptor *plugin; /* set when a plugin defined it */
    void *own;        /* json_t: the top-level object of a JSON codebook, or NULL; read-only */
    char error[1024]; /* the builder's last error */
} qp_codebook;

/* A new empty codebook. NULL when out of memory. */
qp_codebook *qp_codebook_new(void);
/* Frees the codebook; NULL is ignored. */
void qp_codebook_free(qp_codebook *cb);
/* Sets code's colour, as QDA programs show it: "#RRGGBB" or "#RGB". Returns 0,
 * or -1 with cb->error set when color is not one. */
int qp_codebook_set_color(qp_codebook *cb, size_t code, const char *color);
/* Adds a code. Returns its index, or -1 with cb->error set (duplicate or empty id,
 * unknown parent, out of memory). */
long qp_codebook_add_code(qp_codebook *cb, const char *parent_id, const char *id, const char *label,
                          const char *definition);
/* Adds a pattern or exclusion to code `code`, classifying and compiling it in the
 * code's form (case, stemming). Returns 0, or -1 with cb->error set to why the
 * pattern is unusable. */
int qp_codebook_add_pattern(qp_codebook *cb, size_t code, const char *text, int exclusion);
/* Sets the negators (folded copies); NULL restores the defaults. Returns 0, or -1
 * with cb->error set. */
int qp_codebook_set_negators(qp_codebook *cb, const char *const *words, size_t n);
/* Sets the stemming language (a Snowball name). Returns 0, or -1 with cb->error
 * naming the languages libstemmer has. */
int qp_codebook_set_language(qp_codebook *cb, const char *language);
/* Gives code `code` a negation rule; SEPARATE adds its "_negated" sibling.
 * Returns 0, or -1 with cb->error set. */
int qp_codebook_set_negation(qp_codebook *cb, size_t code, qp_negation mode, unsigned window);
/* Appends the Snowball stem of folded word s[0, len) to out, a malloc'd string.
 * Returns 0, or -1 (no memory). */
int qp_stem(void *stemmer, const char *s, size_t len, char **out, size_t *out_len);

/* Returns the index of the code with this id, or -1. */
long qp_codebook_find(const qp_codebook *cb, const char *id);
/* Sets cb->sha256 to the hex SHA-256 of data[0, len). */
void qp_codebook_hash(qp_codebook *cb, const void *data, size_t len);
/* Returns the kind's name: "word", "glob", "phrase", "regex". */
const char *qp_pattern_kind_name(qp_pattern_kind kind);

/* Parses a JSON codebook (format 1) from text[0, len), naming it `path` in errors.
 * Returns the codebook, or NULL with err filled as "PATH:LINE: reason". */
qp_codebook *qp_codebook_parse_json(const char *path, const char *text, size_t len, qp_error *err);
/* Reads and parses a JSON codebook file, converting it from `encoding` when
 * that is not NULL (see qp_read_text_file). Returns it, or NULL with err filled. */
qp_codebook *qp_codebook_load_file(const char *path, const char *encoding, qp_error *err);
/* Builds a codebook by calling a plugin's define(). Returns it, or NULL with err. */
qp_codebook *qp_codebook_from_plugin(const qp_codebook_descriptor *desc, const char *path,
                                     qp_error *err);
/* Opens what -c names: an existing file (read in `encoding`, NULL for UTF-8),
 * NAME.json in one of `dirs`, or a codebook plugin through `host`. Returns the
 * codebook, or NULL with err filled. */
qp_codebook *qp_codebook_open(const qp_host *host, const char *spec, const char *encoding,
                              qp_error *err);
/* Describes the codebook for the stream header: name, version, citation, sha256,
 * source and the code tree. Returns a new reference, or NULL when out of memory. */
json_t *qp_codebook_describe(const qp_codebook *cb);

#endif
