/* Drives iread_scan/iread_fill over hostile inputs for scripts/sanitize.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iread.h"

static unsigned long long rng = 0x9E3779B97F4A7C15ull;
static unsigned next(void) {
    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
    return (unsigned)rng;
}

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }

/* Decode `len` bytes at `data` exactly as the Python wrapper does. */
static int decode(const unsigned char *data, size_t len) {
    ly_counts counts;
    size_t bad = 0, surrogates = 0;
    int status = iread_scan(data, len, &counts, &bad);
    if (status != LY_OK) return status;
    /* Exact-size heap blocks, so that any overrun is caught by ASan. */
    ly_page *pages = malloc(counts.pages * sizeof *pages + 1);
    ly_region *regions = malloc(counts.regions * sizeof *regions + 1);
    ly_cell *cells = malloc(counts.cells * sizeof *cells + 1);
    ly_line *lines = malloc(counts.lines * sizeof *lines + 1);
    ly_char *chars = malloc(counts.chars * sizeof *chars + 1);
    uint8_t *types = malloc(len / IREAD_NODE_SIZE + 1);
    status = iread_fill(data, len, &counts, pages, regions, cells, lines, chars, types,
                        &surrogates, &bad);
    /* A fill with too little room must stop, not overrun. */
    if (status == LY_OK && counts.chars) {
        ly_counts small = counts;
        small.chars--;
        if (iread_fill(data, len, &small, pages, regions, cells, lines, chars, types,
                       &surrogates, &bad) != LY_CAPACITY) {
            fprintf(stderr, "capacity not enforced\n");
            exit(1);
        }
    }
    free(pages); free(regions); free(cells); free(lines); free(chars); free(types);
    return status;
}

static size_t golden(unsigned char *buf) {
    static const unsigned kinds[] = {0, 1, 3, 4, 4, 2, 3, 4, 4, 4, 1, 3, 4, 0, 1, 3, 4};
    size_t n = sizeof kinds / sizeof kinds[0];
    memset(buf, 0, n * 48);
    for (size_t i = 0; i < n; i++) {
        put16(buf + i * 48, kinds[i]);
        for (int k = 4; k < 48; k++) buf[i * 48 + k] = (unsigned char)next();
        if (kinds[i] == 4) put16(buf + i * 48 + 4, (i % 3) ? 0x4E00 + i : 0xD83D + (i & 1));
    }
    return n * 48;
}

int main(void) {
    unsigned char *storage = malloc(48 * 64 + 8);
    unsigned long runs = 0, ok = 0;
    size_t n = golden(storage + 1);
    for (size_t offset = 0; offset < 4; offset++) {          /* odd alignments */
        unsigned char *buf = storage + offset;
        memmove(buf, storage + 1, n);
        for (size_t cut = 0; cut <= n; cut++, runs++) ok += decode(buf, cut) == LY_OK;
        for (size_t i = 0; i < n; i++) {                    /* every single-byte mutation */
            unsigned char saved = buf[i];
            for (int v = 0; v < 256; v += 17, runs++) {
                buf[i] = (unsigned char)v;
                ok += decode(buf, n) == LY_OK;
            }
            buf[i] = saved;
        }
        memmove(storage + 1, buf, n);
    }
    for (int trial = 0; trial < 20000; trial++, runs++) {    /* random buffers */
        size_t len = next() % (48 * 64);
        unsigned char *buf = malloc(len + 1);
        for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)(next() % 7 == 0 ? next() : next() % 5);
        ok += decode(buf, len) == LY_OK;
        free(buf);
    }
    free(storage);
    printf("sanitizer run: %lu decodes (%lu valid, %lu rejected), no ASan/UBSan report\n",
           runs, ok, runs - ok);
    return 0;
}
