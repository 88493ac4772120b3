/*
 * The IREAD_NODE decoder: a validating scan, then a filling pass into caller-owned records.
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
 * reported.
 *
 * Input fields are little-endian on the wire and are assembled byte by byte; output records
 * begin with the node's union member copied verbatim and continue with little-endian
 * parent indices.  Both are free of alignment and aliasing undefined behaviour on any host,
 * and compilers turn them into plain loads, stores and a memcpy on little-endian machines.
 */
#include "iread.h"

#include <string.h>

enum { PAGE = 0, REGION = 1, TABLECELL = 2, LINE = 3, CHAR = 4 };

static inline uint16_t ld_u16(const unsigned char *p) {
    return (uint16_t)((unsigned)p[0] | ((unsigned)p[1] << 8));
}

static inline void st_u32(void *dst, uint32_t v) {
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    memcpy(dst, b, 4);
}

static inline void st_i32(void *dst, int32_t v) {
    uint32_t u;
    memcpy(&u, &v, sizeof u);
    st_u32(dst, u);
}

int iread_scan(const unsigned char *data, size_t length, ly_counts *counts, size_t *bad_node) {
    size_t n = length / IREAD_NODE_SIZE;
    int have_page = 0, have_region = 0, have_line = 0;
    memset(counts, 0, sizeof *counts);
    for (size_t i = 0; i < n; i++) {
        switch (ld_u16(data + i * IREAD_NODE_SIZE)) {
        case PAGE:
            counts->pages++;
            have_page = 1;
            have_region = have_line = 0;
            break;
        case REGION:
            if (!have_page) goto orphan;
            counts->regions++;
            have_region = 1;
            have_line = 0;
            break;
        case TABLECELL:
            if (!have_region) goto orphan;
            counts->cells++;
            have_line = 0;
            break;
        case LINE:
            if (!have_region) goto orphan;
            counts->lines++;
            have_line = 1;
            break;
        case CHAR:
            if (!have_line) goto orphan;
            counts->chars++;
            break;
        default:
            *bad_node = i;
            return LY_UNKNOWN_TYPE;
        }
        continue;
    orphan:
        *bad_node = i;
        return LY_ORPHAN;
    }
    if (length % IREAD_NODE_SIZE) {
        *bad_node = n;
        return LY_RAGGED_TAIL;
    }
    return LY_OK;
}

/* Finish the line whose characters were chars[first .. first+count). */
static void close_line(ly_line *lines, int32_t line, int32_t first, int32_t count) {
    if (line < 0) return;
    st_i32(&lines[line].first_char, count ? first : -1);
    st_i32(&lines[line].char_count, count);
}

int iread_fill(const unsigned char *data, size_t length, const ly_counts *capacity,
               ly_page *pages, ly_region *regions, ly_cell *cells, ly_line *lines,
               ly_char *chars, uint8_t *node_types, size_t *surrogates, size_t *bad_node) {
    size_t n = length / IREAD_NODE_SIZE;
    size_t np = 0, nr = 0, nc = 0, nl = 0, nch = 0, nsur = 0;
    int32_t page = -1, region = -1, cell = -1, line = -1, first = 0, count = 0;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *node = data + i * IREAD_NODE_SIZE;
        const unsigned char *u = node + IREAD_UNION_OFFSET;
        uint16_t type = ld_u16(node);
        *bad_node = i;
        if (type != CHAR && type <= CHAR) {   /* any structural node ends the current line */
            close_line(lines, line, first, count);
            line = -1;
        }
        switch (type) {
        case PAGE:
            if (np >= capacity->pages) return LY_CAPACITY;
            memcpy(&pages[np], u, sizeof(IREAD_PAGENODE));
            page = (int32_t)np++;
            region = cell = -1;
            break;
        case REGION: {
            if (page < 0) return LY_ORPHAN;
            if (nr >= capacity->regions) return LY_CAPACITY;
            ly_region *o = &regions[nr];
            memcpy(o, u, sizeof(IREAD_REGIONNODE));
            st_i32(&o->page, page);
            region = (int32_t)nr++;
            cell = -1;
            break;
        }
        case TABLECELL: {
            if (region < 0) return LY_ORPHAN;
            if (nc >= capacity->cells) return LY_CAPACITY;
            ly_cell *o = &cells[nc];
            memcpy(o, u, sizeof(IREAD_TABLECELLNODE));
            st_i32(&o->region, region);
            st_i32(&o->page, page);
            cell = (int32_t)nc++;
            break;
        }
        case LINE: {
            if (region < 0) return LY_ORPHAN;
            if (nl >= capacity->lines) return LY_CAPACITY;
            ly_line *o = &lines[nl];
            memcpy(o, u, sizeof(IREAD_LINENODE));
            st_i32(&o->region, region);
            st_i32(&o->cell, cell);
            st_i32(&o->page, page);
            line = (int32_t)nl++;
            first = (int32_t)nch;
            count = 0;
            break;
        }
        case CHAR: {
            if (line < 0) return LY_ORPHAN;
            if (nch >= capacity->chars) return LY_CAPACITY;
            ly_char *o = &chars[nch++];
            uint16_t code = ld_u16(u);
            memcpy(o, u, sizeof(IREAD_CHARNODE));
            st_i32(&o->line, line);
            st_i32(&o->region, region);
            st_i32(&o->cell, cell);
            st_i32(&o->page, page);
            st_u32(&o->text, code);
            nsur += (code & 0xF800) == 0xD800;
            count++;
            break;
        }
        default:
            return LY_UNKNOWN_TYPE;
        }
        node_types[i] = (uint8_t)type;
    }
    close_line(lines, line, first, count);
    *surrogates = nsur;
    if (length % IREAD_NODE_SIZE) {
        *bad_node = n;
        return LY_RAGGED_TAIL;
    }
    return LY_OK;
}
