/* matcher.h - the matching engine: a codebook's word, glob, phrase and proximity
 * patterns indexed once as a trie over tokens (match_index.h), regexes compiled
 * once with JIT, and a per-instance scratch so documents are matched without
 * touching shared state. */
#ifndef QP_MATCHER_H
#define QP_MATCHER_H

#include <qualpipe/plugin.h>

#include "codebook/codebook.h"

typedef struct matcher matcher;
typedef struct match_scratch match_scratch;

/* Builds the index for cb (borrowed; it must outlive the matcher). Returns the
 * matcher, or NULL when out of memory. */
matcher *matcher_new(const qp_codebook *cb);
void matcher_free(matcher *m);

/* Per-instance working memory, including PCRE2 match data with its limits;
 * the regexes of one document may run for at most `regex_seconds` in all (0:
 * no limit). Returns NULL when out of memory. */
match_scratch *match_scratch_new(unsigned regex_seconds);
void match_scratch_free(match_scratch *s);

/* Receives each hit matcher_run keeps, in text order. Returns QP_OK or an error. */
typedef int (*hit_adder)(void *ctx, const qp_hit *hit);

/* Codes one tokenised document: finds every pattern match, runs the plugin
 * matcher `plugin` (may be NULL), drops hits an exclusion of the same code covers
 * and hits inside a longer hit of the same code, then adds the rest through `add`
 * in text order. Returns QP_OK; QP_ERR_NOMEM; or QP_ERR_PLUGIN with err filled
 * when the document cannot be coded whole (the caller skips it): the plugin
 * matcher failed, or a regex hit its match limit or the time the regexes of a
 * document may take. */
int matcher_run(const matcher *m, match_scratch *s, void *plugin, const qp_doc *doc, hit_adder add,
                void *add_ctx, qp_error *err);

#endif
