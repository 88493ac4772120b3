/*
 * The IREAD_NODE decoder: one entry point, one validating and filling pass over the input
 * into one caller-owned arena, then a short move of the structural records into place.
 *
 * Stream order implies the tree (SPEC §5).  The rules, identical in the numpy fallback:
 *   PAGE       starts a page; forgets the current region, cell and line;
 *   REGION     needs a page before it;   forgets the current cell and line;
 *   TABLECELL  needs a region before it (in the same page); forgets the current line;
 *   LINE       needs a region before it (its cell is the last cell after that region, or -1);
 *   CHAR       needs a line before it.
 * A node breaking a rule is an orphan; a wType outside 0..4 is unknown; a length that is not
 * a whole number of 48-byte nodes has a ragged tail, reported at the index of the partial
 * node -- after every whole node was checked, so the first bad node is always the one
 * reported.  Each stream of a many-stream call starts with nothing open, exactly as if it
 * were decoded alone; only the output indices run on across streams.
 *
 * Input fields are little-endian on the wire and are assembled byte by byte; output records
 * begin with the node's union member copied verbatim and continue with little-endian
 * parent indices.  Both are free of alignment and aliasing undefined behaviour on any host,
 * and compilers turn them into plain loads, stores and a memcpy on little-endian machines.
 *
 * Speed: every input byte is read once.  Structural nodes (a few percent of a page) go
 * through a table-driven state machine; the run of characters after each LINE is copied in
 * a tight inner loop (44 bytes of node, 16 bytes of parent indices prepared once per line,
 * 4 bytes of text).  How the arena holds records of unknown counts in one pass is described
 * above iread_decode.  Because the input is read once, a buffer that another thread writes
 * during the call (cffi releases the GIL) can give odd records but never a write outside
 * the arena: every bound depends only on the lengths.
 */
#include "iread.h"

#include <string.h>

enum { PAGE = 0, REGION = 1, TABLECELL = 2, LINE = 3, CHAR = 4 };

static inline uint16_t ld_u16(const unsigned char *p) {
    return (uint16_t)((unsigned)p[0] | ((unsigned)p[1] << 8));
}

static inline void st_u32(unsigned char *dst, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    memcpy(dst, b, 4);
}

static inline void st_i32(unsigned char *dst, int32_t v) {
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    st_u32(dst, u);
}

/* What is open so far: the validation's whole state.  A CHAR is valid only in the run right
 * after a LINE (or after CHARs of that run), and that run is consumed by the LINE's branch;
 * so a CHAR reaching the table is always an orphan. */
enum { S_NONE = 0, S_PAGE = 1, S_REGION = 2, S_LINE = 3, S_BAD = 4 };
static const unsigned char NEXT[4][5] = {
    /*             PAGE    REGION    TABLECELL LINE    CHAR   */
    /* S_NONE   */ {S_PAGE, S_BAD,    S_BAD,    S_BAD,  S_BAD},
    /* S_PAGE   */ {S_PAGE, S_REGION, S_BAD,    S_BAD,  S_BAD},
    /* S_REGION */ {S_PAGE, S_REGION, S_REGION, S_LINE, S_BAD},
    /* S_LINE   */ {S_PAGE, S_REGION, S_REGION, S_LINE, S_BAD},
};

/* A structural node's record while the pass runs: 32-byte slots stacked downwards from the
 * end of the character area (see iread_decode).  The record comes first, in its final
 * form; a page's 12 bytes are followed by its stream index. */
enum { SLOT = 32, SLOT_KIND = 28 };
LY_ASSERT(sizeof(ly_line) <= SLOT_KIND && sizeof(ly_region) <= SLOT_KIND
          && sizeof(ly_cell) <= SLOT_KIND && sizeof(ly_page) + 4 <= SLOT_KIND,
          "every structural record and its slot's kind byte fit in a slot");
LY_ASSERT(2 * SLOT <= sizeof(ly_char), "slots and characters never meet (see iread_decode)");

/* Output cursors and counts; they run on across streams. */
typedef struct {
    unsigned char *chars, *slots_end, *types;
    size_t counts[5], node, surrogates;
} decoder;

/* Decode one stream, validating as it goes: every node is read once. */
static int decode_stream(decoder *d, const unsigned char *data, size_t length, int32_t stream,
                         size_t *bad) {
    size_t n = length / IREAD_NODE_SIZE;
    size_t *counts = d->counts;
    int32_t page = -1, region = -1, cell = -1;
    unsigned state = S_NONE;
    unsigned char *types = d->types + d->node;
    size_t i = 0;
    while (i < n) {
        const unsigned char *node = data + i * IREAD_NODE_SIZE;
        const unsigned char *u = node + IREAD_UNION_OFFSET;
        unsigned type = ld_u16(node);
        if (type > CHAR) {
            *bad = i;
            return LY_UNKNOWN_TYPE;
        }
        state = NEXT[state][type];
        if (state == S_BAD) {
            *bad = i;
            return LY_ORPHAN;
        }
        size_t structural = counts[PAGE] + counts[REGION] + counts[TABLECELL] + counts[LINE];
        unsigned char *slot = d->slots_end - (structural + 1) * SLOT;
        slot[SLOT_KIND] = (unsigned char)type;
        types[i++] = (unsigned char)type;
        switch (type) {
        case PAGE:
            memcpy(slot, u, sizeof(IREAD_PAGENODE));
            st_i32(slot + sizeof(ly_page), stream);
            page = (int32_t)counts[PAGE]++;
            region = cell = -1;
            break;
        case REGION:
            memcpy(slot, u, sizeof(IREAD_REGIONNODE));
            st_i32(slot + offsetof(ly_region, page), page);
            region = (int32_t)counts[REGION]++;
            cell = -1;
            break;
        case TABLECELL:
            memcpy(slot, u, sizeof(IREAD_TABLECELLNODE));
            st_i32(slot + offsetof(ly_cell, region), region);
            st_i32(slot + offsetof(ly_cell, page), page);
            cell = (int32_t)counts[TABLECELL]++;
            break;
        default: {  /* LINE, and the run of characters that follows it */
            unsigned char parents[16];  /* ly_char.line, region, cell, page */
            int32_t line = (int32_t)counts[LINE]++;
            memcpy(slot, u, sizeof(IREAD_LINENODE));
            st_i32(slot + offsetof(ly_line, region), region);
            st_i32(slot + offsetof(ly_line, cell), cell);
            st_i32(slot + offsetof(ly_line, page), page);
            st_i32(parents, line);
            st_i32(parents + 4, region);
            st_i32(parents + 8, cell);
            st_i32(parents + 12, page);
            size_t first = counts[CHAR], run = 0, surrogates = 0;
            unsigned char *out = d->chars + first * sizeof(ly_char);
            const unsigned char *c = data + i * IREAD_NODE_SIZE;
            for (; i + run < n && ld_u16(c) == CHAR; run++, c += IREAD_NODE_SIZE) {
                uint16_t code = ld_u16(c + IREAD_UNION_OFFSET);
                unsigned char *o = out + run * sizeof(ly_char);
                memcpy(o, c + IREAD_UNION_OFFSET, sizeof(IREAD_CHARNODE));
                memcpy(o + offsetof(ly_char, line), parents, sizeof parents);
                st_u32(o + offsetof(ly_char, text), code);
                surrogates += (code & 0xF800) == 0xD800;
            }
            memset(types + i, CHAR, run);
            i += run;
            counts[CHAR] += run;
            d->surrogates += surrogates;
            st_i32(slot + offsetof(ly_line, first_char), run ? (int32_t)first : -1);
            st_i32(slot + offsetof(ly_line, char_count), (int32_t)run);
            break;
        }
        }
    }
    d->node += n;
    if (length % IREAD_NODE_SIZE) {
        *bad = n;
        return LY_RAGGED_TAIL;
    }
    return LY_OK;
}

/*
 * The arena, for N whole nodes in all streams (the caller gives >= N * LY_ARENA_PER_NODE):
 *
 *   [0, 64N)      while decoding: characters grow up from 0, structural slots (32 bytes)
 *                 grow down from 64N.  Each node takes one or the other, and a slot is half
 *                 a character record, so they never meet.
 *                 afterwards: characters, then lines, regions, cells, pages, page streams
 *                 packed after them -- moved out of the slots, whose area lies wholly above
 *                 (each record is at most 28 of its slot's 32 bytes, so the packed records
 *                 end below where the slots begin) -- then unused bytes.
 *   [64N, 65N)    node types.
 */
int iread_decode(const unsigned char *const *streams, const size_t *lengths, size_t count,
                 unsigned char *arena, size_t arena_size, ly_result *result) {
    size_t nodes = 0;
    memset(result, 0, sizeof *result);
    for (size_t s = 0; s < count; s++) nodes += lengths[s] / IREAD_NODE_SIZE;
    result->nodes = nodes;
    if (arena_size / LY_ARENA_PER_NODE < nodes) return LY_CAPACITY;
    decoder d = {.chars = arena, .slots_end = arena + nodes * sizeof(ly_char),
                 .types = arena + nodes * sizeof(ly_char)};
    for (size_t s = 0; s < count; s++) {
        int status = decode_stream(&d, streams[s], lengths[s], (int32_t)s, &result->bad_node);
        if (status != LY_OK) {
            result->bad_stream = s;
            return status;
        }
    }
    const size_t *n = d.counts;
    const size_t sizes[LY_SECTIONS] = {
        n[CHAR] * sizeof(ly_char), n[LINE] * sizeof(ly_line), n[REGION] * sizeof(ly_region),
        n[TABLECELL] * sizeof(ly_cell), n[PAGE] * sizeof(ly_page), n[PAGE] * 4, nodes,
    };
    unsigned char *to[LY_SECTIONS];
    size_t at = 0;
    for (int k = 0; k < LY_SECTION_NODE_TYPE; k++) {
        result->offsets[k] = at;
        to[k] = arena + at;
        at += sizes[k];
    }
    result->offsets[LY_SECTION_NODE_TYPE] = nodes * sizeof(ly_char);
    result->used = nodes * LY_ARENA_PER_NODE;
    /* Move each structural record out of its slot, in stream order, to its section. */
    size_t structural = nodes - n[CHAR];
    for (size_t k = 0; k < structural; k++) {
        const unsigned char *slot = d.slots_end - (k + 1) * SLOT;
        switch (slot[SLOT_KIND]) {
        case PAGE:
            memcpy(to[LY_SECTION_PAGE], slot, sizeof(ly_page));
            memcpy(to[LY_SECTION_PAGE_STREAM], slot + sizeof(ly_page), 4);
            to[LY_SECTION_PAGE] += sizeof(ly_page);
            to[LY_SECTION_PAGE_STREAM] += 4;
            break;
        case REGION:
            memcpy(to[LY_SECTION_REGION], slot, sizeof(ly_region));
            to[LY_SECTION_REGION] += sizeof(ly_region);
            break;
        case TABLECELL:
            memcpy(to[LY_SECTION_CELL], slot, sizeof(ly_cell));
            to[LY_SECTION_CELL] += sizeof(ly_cell);
            break;
        default:
            memcpy(to[LY_SECTION_LINE], slot, sizeof(ly_line));
            to[LY_SECTION_LINE] += sizeof(ly_line);
            break;
        }
    }
    result->counts.pages = n[PAGE];
    result->counts.regions = n[REGION];
    result->counts.cells = n[TABLECELL];
    result->counts.lines = n[LINE];
    result->counts.chars = n[CHAR];
    result->surrogates = d.surrogates;
    return LY_OK;
}
