/* report_svg.c - the report's charts as inline SVG (see report.h). */
#include "config.h"

#include <string.h>

#include "report.h"

#define BAR_ROW 18     /* pixels per group */
#define BAR_LABEL 190  /* the group names' column */
#define BAR_LENGTH 240 /* a share of 1 */
#define CELL 22        /* a heatmap cell */
#define HEAT_LABEL 190 /* the code names' column and row */

/* Returns the documents with the code in a group entry: over its subtree when
 * it has one. */
static double docs_with(const json_t *code)
{
    const json_t *sub = json_object_get(code, "subtree_documents");
    return (double)json_integer_value(sub ? sub : json_object_get(code, "documents"));
}

void svg_bars(FILE *out, const json_t *groups, const char *const *names, size_t n, const char *code)
{
    int height = (int)n * BAR_ROW + 4;
    fprintf(out,
            "<svg class=\"bars\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">",
            BAR_LABEL + BAR_LENGTH + 80, height, BAR_LABEL + BAR_LENGTH + 80, height);
    for (size_t g = 0; g < n; g++) {
        const json_t *group = json_object_get(groups, names[g]);
        double all = (double)json_integer_value(json_object_get(group, "documents"));
        double with = docs_with(json_object_get(json_object_get(group, "codes"), code));
        double share = all > 0 ? with / all : 0;
        int y = (int)g * BAR_ROW + 2;
        fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", BAR_LABEL - 6, y + 12);
        html_text(out, names[g]);
        fprintf(out,
                "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"track\"/>"
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"bar\"/>"
                "<text x=\"%d\" y=\"%d\">%.0f of %.0f</text>",
                BAR_LABEL, y, BAR_LENGTH, BAR_ROW - 4, BAR_LABEL, y, share * BAR_LENGTH,
                BAR_ROW - 4, BAR_LABEL + BAR_LENGTH + 6, y + 12, with, all);
    }
    fputs("</svg>\n", out);
}

/* Returns the cell of the pair (a, b) in either order, or NULL. */
static const json_t *pair(const json_t *matrix, const char *a, const char *b)
{
    const json_t *cell = json_object_get(json_object_get(matrix, a), b);
    return cell ? cell : json_object_get(json_object_get(matrix, b), a);
}

void svg_heatmap(FILE *out, const json_t *matrix, const char *const *ids, size_t n)
{
    /* Room on the right for the slanted names of the last columns. */
    int size = HEAT_LABEL + (int)n * CELL + 4, width = size + HEAT_LABEL / 2;
    fprintf(out,
            "<svg class=\"heatmap\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d "
            "%d\">",
            width, size, width, size);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", HEAT_LABEL - 6,
                HEAT_LABEL + (int)i * CELL + 15);
        html_text(out, ids[i]);
        fprintf(out, "</text><text transform=\"translate(%d %d) rotate(-60)\">",
                HEAT_LABEL + (int)i * CELL + 15, HEAT_LABEL - 6);
        html_text(out, ids[i]);
        fputs("</text>", out);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            const json_t *cell = i == j ? NULL : pair(matrix, ids[i], ids[j]);
            double jac = json_real_value(json_object_get(cell, "jaccard"));
            long long count = (long long)json_integer_value(json_object_get(cell, "count"));
            /* White for none, to a deep blue for a Jaccard index of 1. */
            int r = (int)(255 - 205 * jac), gr = (int)(255 - 160 * jac), b = (int)(255 - 75 * jac);
            fprintf(out,
                    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                    "fill=\"%s\" stroke=\"#ddd\"",
                    HEAT_LABEL + (int)j * CELL, HEAT_LABEL + (int)i * CELL, CELL, CELL,
                    i == j ? "#eee" : "none");
            if (i != j)
                fprintf(out, " style=\"fill:rgb(%d,%d,%d)\"", r, gr, b);
            fputs("/>", out);
            if (count)
                fprintf(out,
                        "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" class=\"%s\">%lld</text>",
                        HEAT_LABEL + (int)j * CELL + CELL / 2, HEAT_LABEL + (int)i * CELL + 15,
                        jac > 0.5 ? "light" : "dark", count);
        }
    fputs("</svg>\n", out);
}
