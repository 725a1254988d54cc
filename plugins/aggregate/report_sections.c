/* report_sections.c - the report's tests, heatmap, quotes and provenance
 * (see report.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "report.h"

#define HEATMAP_MAX 40 /* codes in the heatmap: those with the most hits */

/* Writes one test's statistics as table cells. */
static void test_cells(FILE *out, const json_t *t)
{
    const json_t *fisher = json_object_get(t, "fisher_p");
    fprintf(out, "<td>%.2f</td><td>%lld</td><td>%.3g%s</td><td>%.2f</td>",
            json_real_value(json_object_get(t, "chi_square")),
            (long long)json_integer_value(json_object_get(t, "df")),
            json_real_value(fisher ? fisher : json_object_get(t, "p")), fisher ? " (Fisher)" : "",
            json_real_value(json_object_get(t, "cramers_v")));
}

void tests_section(FILE *out, const json_t *result, const char *by)
{
    const json_t *t =
        json_object_get(json_object_get(json_object_get(result, "tests"), by), "documents");
    const json_t *groups = json_object_get(json_object_get(result, "groups"), by);
    if (!by || !t)
        return;
    size_t n;
    const char **names = sorted_keys(groups, &n);
    if (!names)
        return;
    fputs("<h2>Codes across ", out);
    html_text(out, by);
    fputs("</h2>\n<p class=\"note\">Documents with each code in each group; a chi-square test "
          "of documents with and without the code across the groups (Fisher's exact test for "
          "2 groups with an expected count under 5). <span class=\"more\">More</span> or "
          "<span class=\"fewer\">fewer</span> documents than independence gives: adjusted "
          "residual beyond &plusmn;1.96.</p>\n<table class=\"tests\"><tr><th "
          "class=\"l\">code</th>",
          out);
    for (size_t g = 0; g < n; g++) {
        fputs("<th>", out);
        html_text(out, names[g]);
        fputs("</th>", out);
    }
    fputs("<th>chi-square</th><th>df</th><th>p</th><th>V</th></tr>\n", out);
    const char *code;
    json_t *test;
    size_t b, i;
    json_t *book, *id;
    json_array_foreach(json_object_get(json_object_get(result, "provenance"), "codebooks"), b, book)
        json_array_foreach(json_object_get(book, "codes"), i, id)
    {
        code = json_string_value(id);
        if (!(test = json_object_get(json_object_get(t, "codes"), code)))
            continue;
        fputs("<tr><td class=\"l\">", out);
        html_text(out, code);
        fputs("</td>", out);
        for (size_t g = 0; g < n; g++) {
            const json_t *gc =
                json_object_get(json_object_get(json_object_get(groups, names[g]), "codes"), code);
            const json_t *sub = json_object_get(gc, "subtree_documents");
            double r =
                json_real_value(json_object_get(json_object_get(test, "residuals"), names[g]));
            fprintf(out, "<td class=\"%s\">%lld</td>",
                    r >= 1.96    ? "more"
                    : r <= -1.96 ? "fewer"
                                 : "",
                    (long long)json_integer_value(sub ? sub : json_object_get(gc, "documents")));
        }
        test_cells(out, test);
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    const json_t *table = json_object_get(t, "table");
    if (json_is_object(table)) {
        fputs("<p>The code &times; group table of documents with each code: <table><tr><th>"
              "chi-square</th><th>df</th><th>p</th><th>V</th></tr><tr>",
              out);
        test_cells(out, table);
        fputs("</tr></table></p>\n", out);
    }
    free(names);
}

/* Orders codes by hits, most first, then by id. */
static const json_t *ranked_codes;
static int by_hits(const void *x, const void *y)
{
    const char *a = *(const char *const *)x, *b = *(const char *const *)y;
    const json_t *ca = json_object_get(ranked_codes, a), *cb = json_object_get(ranked_codes, b);
    json_int_t ha = json_integer_value(json_object_get(ca, "hits")),
               hb = json_integer_value(json_object_get(cb, "hits"));
    return ha != hb ? (ha < hb ? 1 : -1) : strcmp(a, b);
}

void heatmap_section(FILE *out, const json_t *result)
{
    const json_t *codes = json_object_get(result, "codes");
    const json_t *matrix = json_object_get(json_object_get(result, "cooccurrence"), "segments");
    size_t n = 0, k = 0;
    const char **all = sorted_keys(codes, &n);
    if (!all)
        return;
    for (size_t i = 0; i < n; i++)
        if (json_integer_value(json_object_get(json_object_get(codes, all[i]), "hits")))
            all[k++] = all[i];
    ranked_codes = codes;
    qsort(all, k, sizeof *all, by_hits);
    size_t shown = k < HEATMAP_MAX ? k : HEATMAP_MAX;
    fputs("<h2>Co-occurrence</h2>\n", out);
    fprintf(out,
            "<p class=\"note\">Segments with both codes (their own patterns), shaded by the "
            "Jaccard index (both / either)%s.</p>\n",
            shown < k ? "; the 40 codes with the most hits" : "");
    if (shown > 1)
        svg_heatmap(out, matrix, all, shown);
    else
        fputs("<p>Fewer than two codes have hits.</p>\n", out);
    free(all);
}

void quotes_section(FILE *out, const json_t *result)
{
    const json_t *codes = json_object_get(result, "codes");
    size_t b, i, k;
    json_t *book, *id, *q;
    fputs("<h2>Quotes</h2>\n", out);
    json_array_foreach(json_object_get(json_object_get(result, "provenance"), "codebooks"), b, book)
        json_array_foreach(json_object_get(book, "codes"), i, id)
    {
        const json_t *quotes =
            json_object_get(json_object_get(codes, json_string_value(id)), "quotes");
        if (!json_array_size(quotes))
            continue;
        fputs("<h3>", out);
        html_text(out, json_string_value(id));
        fputs("</h3>\n", out);
        json_array_foreach(quotes, k, q)
        {
            fputs("<blockquote class=\"quote\">", out);
            html_text(out, json_string_value(json_object_get(q, "text")));
            fputs("<br><span class=\"note\">", out);
            html_text(out, json_string_value(json_object_get(q, "doc")));
            const char *speaker = json_string_value(json_object_get(q, "speaker"));
            if (speaker) {
                fputs(", ", out);
                html_text(out, speaker);
            }
            fputs(" &middot; rule <code>", out);
            html_text(out, json_string_value(json_object_get(q, "rule")));
            fputs("</code></span></blockquote>\n", out);
        }
    }
}

void provenance_section(FILE *out, const json_t *result)
{
    const json_t *prov = json_object_get(result, "provenance");
    size_t i;
    json_t *e;
    fputs("<h2>Provenance</h2>\n<p>qualpipe ", out);
    html_text(out, json_string_value(json_object_get(prov, "qualpipe_version")));
    fputs(
        "</p>\n<table class=\"provenance\"><tr><th class=\"l\">codebook</th><th "
        "class=\"l\">version</th><th class=\"l\">SHA-256</th><th class=\"l\">citation</th></tr>\n",
        out);
    json_array_foreach(json_object_get(prov, "codebooks"), i, e)
    {
        static const char *const fields[] = {"name", "version", "sha256", "citation"};
        fputs("<tr>", out);
        for (size_t f = 0; f < 4; f++) {
            fputs("<td class=\"l\">", out);
            html_text(out, json_string_value(json_object_get(e, fields[f])));
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n<ul class=\"stages\">", out);
    json_array_foreach(json_object_get(prov, "stages"), i, e)
    {
        char *opts = json_dumps(json_object_get(e, "options"), JSON_COMPACT | JSON_SORT_KEYS);
        fputs("<li>", out);
        html_text(out, json_string_value(json_object_get(e, "name")));
        fputs(" ", out);
        html_text(out, json_string_value(json_object_get(e, "version")));
        if (opts && strcmp(opts, "{}") != 0) {
            fputs(" <code>", out);
            html_text(out, opts);
            fputs("</code>", out);
        }
        free(opts);
        fputs("</li>", out);
    }
    fputs("</ul>\n", out);
}
