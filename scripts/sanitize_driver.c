/* Drives iread_decode over hostile inputs for scripts/sanitize.sh: single streams, the same
 * bytes split into many streams, and arenas one byte short of the bound. */
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

/* Decode the `count` streams exactly as the Python wrapper does: an exact-size heap arena
 * of LY_ARENA_PER_NODE bytes per node, so that any overrun is caught by ASan. */
static int decode_streams(const unsigned char *const *streams, const size_t *lengths,
                          size_t count) {
    size_t nodes = 0;
    for (size_t s = 0; s < count; s++) nodes += lengths[s] / IREAD_NODE_SIZE;
    size_t size = nodes * LY_ARENA_PER_NODE;
    unsigned char *arena = malloc(size + 1);
    ly_result result;
    int status = iread_decode(streams, lengths, count, arena, size, &result);
    if (status == LY_OK && (result.used > size
                            || result.offsets[LY_SECTION_PAGE_STREAM] + 4 * result.counts.pages
                                   > result.offsets[LY_SECTION_NODE_TYPE])) {
        fprintf(stderr, "sections overlap or overrun the arena\n");
        exit(1);
    }
    /* An arena with too little room must be refused before anything is written. */
    if (nodes && iread_decode(streams, lengths, count, arena, size - 1, &result) != LY_CAPACITY) {
        fprintf(stderr, "capacity not enforced\n");
        exit(1);
    }
    free(arena);
    return status;
}

static int decode(const unsigned char *data, size_t len) {
    return decode_streams(&data, &len, 1);
}

/* The same bytes as three streams cut at random node boundaries (the later ones usually
 * begin with something other than a PAGE: each must be judged alone). */
static int decode_split(const unsigned char *data, size_t len) {
    size_t nodes = len / IREAD_NODE_SIZE;
    size_t a = next() % (nodes + 1);
    size_t b = a + next() % (nodes + 1 - a);
    const unsigned char *streams[3] = {data, data + a * IREAD_NODE_SIZE,
                                       data + b * IREAD_NODE_SIZE};
    size_t lengths[3] = {a * IREAD_NODE_SIZE, (b - a) * IREAD_NODE_SIZE,
                         len - b * IREAD_NODE_SIZE};
    return decode_streams(streams, lengths, 3);
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
        for (size_t cut = 0; cut <= n; cut++, runs += 2) {
            ok += decode(buf, cut) == LY_OK;
            ok += decode_split(buf, cut) == LY_OK;
        }
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
