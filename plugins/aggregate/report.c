/* report.c - the result as one self-contained HTML page (see report.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "report.h"

static const char style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:68em;color:#222;"
    "padding:0 1em}h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .6em;text-align:right;"
    "border-bottom:1px solid #eee}th{background:#f4f4f4}td.l,th.l{text-align:left}"
    ".more{background:#f6c8a0}.fewer{background:#b9d3ef}.note{color:#555;font-size:.9em}"
    "svg text{font:12px system-ui,sans-serif;fill:#222}svg text.light{fill:#fff}"
    "rect.track{fill:#eef1f5}rect.bar{fill:#3b6ea8}blockquote{margin:.4em 0 .8em 1em;"
    "padding-left:.8em;border-left:3px solid #3b6ea8}code{background:#f4f4f4;padding:0 .2em}";

void html_text(FILE *out, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
}

static json_int_t int_of(const json_t *obj, const char *key)
{
    return json_integer_value(json_object_get(obj, key));
}

/* Returns a code's hits: over its subtree when it has one. */
static json_int_t hits_of(const json_t *code)
{
    const json_t *sub = json_object_get(code, "subtree_hits");
    return json_integer_value(sub ? sub : json_object_get(code, "hits"));
}

static void totals_section(FILE *out, const json_t *result)
{
    const json_t *t = json_object_get(result, "totals");
    fprintf(out,
            "<table class=\"totals\"><tr><th class=\"l\">documents coded</th><td>%lld</td></tr>"
            "<tr><th class=\"l\">skipped</th><td>%lld</td></tr><tr><th class=\"l\">tokens</th>"
            "<td>%lld</td></tr><tr><th class=\"l\">hits</th><td>%lld</td></tr><tr><th "
            "class=\"l\">per 1,000 tokens</th><td>%.2f</td></tr><tr><th class=\"l\">%% of "
            "tokens</th><td>%.2f</td></tr></table>\n",
            (long long)int_of(t, "documents"), (long long)int_of(t, "skipped"),
            (long long)int_of(t, "tokens"), (long long)int_of(t, "hits"),
            json_real_value(json_object_get(t, "per_1000_tokens")),
            json_real_value(json_object_get(t, "pct")));
}

/* The codes of each codebook: hits, pct, documents, and the bars by group. */
static void codes_section(FILE *out, const json_t *result, const char *by)
{
    const json_t *codes = json_object_get(result, "codes");
    const json_t *groups = by ? json_object_get(json_object_get(result, "groups"), by) : NULL;
    size_t n_groups = 0, b, i;
    const char **names = groups ? sorted_keys(groups, &n_groups) : NULL;
    json_t *book, *id;
    fputs("<h2>Codes</h2>\n", out);
    if (names)
        fprintf(out,
                "<p class=\"note\">Bars: the documents of each %s with the code (or a "
                "code below it).</p>\n",
                by);
    json_array_foreach(json_object_get(json_object_get(result, "provenance"), "codebooks"), b, book)
    {
        fputs("<h3>", out);
        html_text(out, json_string_value(json_object_get(book, "name")));
        fputs("</h3>\n<table class=\"codes\"><tr><th class=\"l\">code</th><th>hits</th><th>% "
              "of tokens</th><th>documents</th><th class=\"l\">by group</th></tr>\n",
              out);
        json_array_foreach(json_object_get(book, "codes"), i, id)
        {
            const char *code = json_string_value(id);
            const json_t *c = json_object_get(codes, code);
            const json_t *sub = json_object_get(c, "subtree_documents");
            fputs("<tr><td class=\"l\">", out);
            html_text(out, code);
            fprintf(out, "<br><span class=\"note\">");
            html_text(out, json_string_value(json_object_get(c, "label")));
            fprintf(out, "</span></td><td>%lld</td><td>%.2f</td><td>%lld</td><td class=\"l\">",
                    (long long)hits_of(c),
                    json_real_value(json_object_get(c, sub ? "subtree_pct" : "pct")),
                    (long long)json_integer_value(sub ? sub : json_object_get(c, "documents")));
            if (names)
                svg_bars(out, groups, names, n_groups, code);
            fputs("</td></tr>\n", out);
        }
        fputs("</table>\n", out);
    }
    free(names);
}

static void absent_section(FILE *out, const json_t *result)
{
    const json_t *none = json_object_get(result, "codes_without_hits");
    const json_t *codes = json_object_get(result, "codes");
    fputs("<h2>Codes never found</h2>\n", out);
    if (!json_array_size(none)) {
        fputs("<p>Every code has hits.</p>\n", out);
        return;
    }
    fputs("<ul class=\"absent\">", out);
    size_t i;
    json_t *id;
    json_array_foreach(none, i, id)
    {
        fputs("<li><code>", out);
        html_text(out, json_string_value(id));
        fputs("</code> ", out);
        html_text(out, json_string_value(json_object_get(
                           json_object_get(codes, json_string_value(id)), "label")));
        fputs("</li>", out);
    }
    fputs("</ul>\n", out);
}

int report_write(FILE *out, const json_t *result, const char *by)
{
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>qualpipe result</title><style>%s</style></head>\n<body>\n"
            "<h1>qualpipe result</h1>\n",
            style);
    totals_section(out, result);
    codes_section(out, result, by);
    absent_section(out, result);
    tests_section(out, result, by);
    heatmap_section(out, result);
    quotes_section(out, result);
    provenance_section(out, result);
    fputs("</body></html>\n", out);
    return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
