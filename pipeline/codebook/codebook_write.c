/* codebook_write.c - a codebook in memory written out as qualpipe's JSON format. */
#include "config.h"

#include <jansson.h>
#include <string.h>

#include "import.h"

/* Returns the JSON array of the patterns (exclusions when `exclusion`) of code c. */
static json_t *patterns_of(const qp_codebook *cb, size_t c, int exclusion)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < cb->n_patterns; i++)
        if (cb->patterns[i].code == c && cb->patterns[i].exclusion == exclusion)
            json_array_append_new(a, json_string(cb->patterns[i].text));
    return a;
}

/* Returns a copy of JSON object o without its "codes", or NULL when out of memory. */
static json_t *copy_without_codes(const json_t *o)
{
    json_t *copy = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)o, key, value)
    {
        if (strcmp(key, "codes") != 0 &&
            json_object_set_new(copy, key, json_deep_copy(value)) < 0) {
            json_decref(copy);
            return NULL;
        }
    }
    return copy;
}

int qp_code_is_negated_sibling(const qp_code *c)
{
    size_t n = strlen(c->id);
    return n > 8 && strcmp(c->id + n - 8, "_negated") == 0;
}

json_t *qp_code_json(const qp_codebook *cb, size_t i)
{
    const qp_code *c = &cb->codes[i];
    if (c->own) /* as the codebook wrote it, every field kept */
        return copy_without_codes(c->own);
    json_t *o = json_pack("{s:s, s:s}", "id", c->id, "label", c->label);
    if (o && c->definition && *c->definition)
        json_object_set_new(o, "definition", json_string(c->definition));
    if (o && c->color)
        json_object_set_new(o, "color", json_string(c->color));
    json_t *p = patterns_of(cb, i, 0), *x = patterns_of(cb, i, 1);
    if (o && json_array_size(p))
        json_object_set(o, "patterns", p);
    if (o && json_array_size(x))
        json_object_set(o, "exclude", x);
    json_decref(p);
    json_decref(x);
    return o;
}

json_t *qp_codebook_settings_json(const qp_codebook *cb)
{
    if (cb->own)
        return copy_without_codes(cb->own);
    return json_pack("{s:i, s:s, s:s, s:s}", "qualpipe_codebook", 1, "name",
                     cb->name ? cb->name : "", "version", cb->version ? cb->version : "",
                     "citation", cb->citation ? cb->citation : "");
}

/* Returns the JSON array of the codes under `parent`, each with its children. */
static json_t *codes_under(const qp_codebook *cb, long parent)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < cb->n_codes; i++) {
        const qp_code *c = &cb->codes[i];
        if (c->parent != parent || qp_code_is_negated_sibling(c))
            continue; /* a negated sibling is made by its code's rule, not written */
        json_t *o = qp_code_json(cb, i), *k = codes_under(cb, (long)i);
        if (o && json_array_size(k))
            json_object_set(o, "codes", k);
        json_decref(k);
        if (o)
            json_array_append_new(a, o);
    }
    return a;
}

int qp_codebook_write_json(const qp_codebook *cb, FILE *out)
{
    json_t *root = qp_codebook_settings_json(cb);
    if (!root || json_object_set_new(root, "codes", codes_under(cb, -1)) < 0) {
        json_decref(root);
        return -1;
    }
    int rc =
        json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', out) != EOF
            ? 0
            : -1;
    json_decref(root);
    return rc;
}
