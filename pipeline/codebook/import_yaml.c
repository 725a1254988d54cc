/* import_yaml.c - quanteda's YAML dictionaries (.yml, .yaml), as
 * quanteda's as.yaml() writes them: a mapping of category names to a list of
 * patterns (or one pattern), or to a mapping of subcategories, where the key
 * "__" (or '') holds the category's own patterns. Parsed with libyaml. */
#include "config.h"

#include <string.h>
#include <yaml.h>

#include "import.h"

/* What the reader carries down the tree. */
typedef struct yaml_state {
    qp_codebook *cb;
    qp_id_maker ids;
    yaml_document_t *doc;
    const char *path;
    qp_warn_fn warn;
    qp_error *err;
} yaml_state;

/* Returns the text of a scalar node, or NULL when node is not one. */
static const char *scalar(const yaml_node_t *node)
{
    return node && node->type == YAML_SCALAR_NODE ? (const char *)node->data.scalar.value : NULL;
}

/* Adds the scalar `node` as a pattern of code. Returns 0, or -1 with err. */
static int add_value(yaml_state *st, long code, const yaml_node_t *node)
{
    size_t line = node->start_mark.line + 1;
    const char *text = scalar(node);
    if (!text) {
        st->warn("codebook", "%s:%zu: a list inside a list of patterns; left out", st->path, line);
        return 0;
    }
    if (qp_import_pattern(st->cb, (size_t)code, text, st->path, line, st->warn) < 0) {
        snprintf(st->err->message, sizeof st->err->message, "%s: out of memory", st->path);
        return -1;
    }
    return 0;
}

static int read_mapping(yaml_state *st, const yaml_node_t *map, long parent);

/* Reads what a category's key maps to: patterns (a list or one), or
 * subcategories (a mapping). Returns 0, or -1 with err filled. */
static int read_value(yaml_state *st, const yaml_node_t *value, long code)
{
    if (value->type == YAML_MAPPING_NODE)
        return read_mapping(st, value, code);
    if (value->type == YAML_SCALAR_NODE)
        return value->data.scalar.length ? add_value(st, code, value) : 0;
    for (yaml_node_item_t *i = value->data.sequence.items.start; i < value->data.sequence.items.top;
         i++)
        if (add_value(st, code, yaml_document_get_node(st->doc, *i)) < 0)
            return -1;
    return 0;
}

/* Reads each key of `map` as a category under `parent` (-1: the top).
 * Returns 0, or -1 with err filled. */
static int read_mapping(yaml_state *st, const yaml_node_t *map, long parent)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *key = yaml_document_get_node(st->doc, p->key);
        const yaml_node_t *value = yaml_document_get_node(st->doc, p->value);
        const char *name = scalar(key);
        size_t line = key->start_mark.line + 1;
        int own = name && (strcmp(name, "__") == 0 || !*name); /* the parent's own patterns */
        if (!name || (own && parent < 0)) {
            snprintf(st->err->message, sizeof st->err->message,
                     "%s:%zu: a category name must be text", st->path, line);
            return -1;
        }
        long code = own ? parent : qp_import_category(st->cb, &st->ids, parent, name, "");
        if (code < 0) {
            snprintf(st->err->message, sizeof st->err->message, "%.300s:%zu: %.600s", st->path,
                     line, st->cb->error);
            return -1;
        }
        if (read_value(st, value, code) < 0)
            return -1;
    }
    return 0;
}

/* Returns the codebook of a YAML dictionary, or NULL with err naming the file and line. */
qp_codebook *qp_import_yaml(const char *path, const char *data, size_t len, qp_warn_fn warn,
                            qp_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(err->message, sizeof err->message, "%s:%zu: not YAML: %s", path,
                 parser.problem_mark.line + 1, parser.problem ? parser.problem : "unreadable");
        yaml_parser_delete(&parser);
        return NULL;
    }
    yaml_parser_delete(&parser);
    yaml_state st = {.doc = &doc, .path = path, .warn = warn, .err = err};
    const yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE)
        snprintf(err->message, sizeof err->message,
                 "%s: a YAML dictionary is a mapping of category names to patterns", path);
    else if ((st.cb = qp_import_start(path, "YAML dictionary", err)) &&
             (qp_id_maker_init(&st.ids, 1, 1) < 0 || read_mapping(&st, root, -1) < 0)) {
        if (!st.ids.numbered)
            snprintf(err->message, sizeof err->message, "%s: out of memory", path);
        qp_codebook_free(st.cb);
        st.cb = NULL;
    }
    qp_id_maker_free(&st.ids);
    yaml_document_delete(&doc);
    return st.cb;
}
