/* matcher_impl.h - the matcher's state, shared by its files: matcher.c (the
 * lookups and the run), forms.c (token forms and units), resolve.c (negation,
 * exclusions and the longest match). Not part of any interface. */
#ifndef QP_MATCHER_IMPL_H
#define QP_MATCHER_IMPL_H

#include <libstemmer.h>
#include <time.h>

#include "match_index.h"
#include "matcher.h"
#include "util/radix.h"
#include "util/text.h"

#define REGEX_MATCH_LIMIT 10000000u
#define REGEX_STRETCH 2048 /* bytes of start positions searched per call */
#define REGEX_DEPTH_LIMIT 10000u
#define REGEX_HEAP_LIMIT_KIB 65536u
#define PLUGIN_RULE UINT32_MAX
/* A token's segment when the document has none: the whole text is one unit. */
#define WHOLE_TEXT (QP_NO_SEGMENT - 1)
#define NO_TOKEN UINT32_MAX

/* What a hit needs of its pattern, packed small: its text, the code, and whether
 * it is an exclusion or a proximity pattern (which needs the whole qp_pattern). */
typedef struct pattern_info {
    const char *rule; /* the pattern as written */
    uint32_t code;
    uint8_t exclusion, proximity;
    uint16_t pad;
} pattern_info;

struct matcher {
    const qp_codebook *cb;
    pattern_info *info; /* per pattern of cb */
    match_index *index;
    uint32_t *regexes; /* indices of regex patterns */
    size_t n_regexes;
    int negation; /* some code has a negation rule */
};

/* A hit found in one document. Its tokens are [a_first, a_end) and, for a
 * proximity pattern, the second side's [b_first, b_end) (empty otherwise): the
 * tokens it takes, of which each serves at most one hit of a code. */
typedef struct match_hit {
    uint32_t code, pattern, start, end, segment;
    uint32_t tok; /* first token of the hit, or NO_TOKEN */
    uint32_t a_first, a_end, b_first, b_end;
    const char *rule; /* for plugin hits */
    uint8_t exclusion, dropped;
} match_hit;

struct code_sweep;

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
    uint32_t *taken; /* per token: the stamp of the code whose hit took it */
    size_t taken_cap;
    uint32_t taken_stamp;
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
    unsigned regex_seconds;        /* 0: no limit */
    struct timespec regex_started; /* when the current document's regexes began */
    struct sb_stemmer *stemmer;
    char *stemmer_language;
    match_memo *memo; /* of memo_index */
    const match_index *memo_index;
    /* Set while matching one document. */
    const matcher *m;
    const qp_doc *doc;
    int failed;
};

/* Computes each token's forms (forms.c). Returns 0, or -1 when out of memory. */
int make_forms(const matcher *m, match_scratch *s, const qp_doc *doc);
/* Finds each token's unit (forms.c). Returns 0, or -1 when out of memory. */
int map_segments(match_scratch *s, const qp_doc *doc);
/* Applies each code's negation rule to s->hits (resolve.c). */
void apply_negation(const matcher *m, match_scratch *s, const qp_doc *doc);
/* Applies exclusions and the longest match per code to the hits of a document
 * of n_tokens tokens (resolve.c). Returns the number of hits kept, or -1 when
 * out of memory. */
long resolve_hits(match_scratch *s, size_t n_codes, size_t n_tokens);

#endif
