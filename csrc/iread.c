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
 * All multi-byte fields are little-endian on the wire and are assembled byte by byte, which
 * is free of alignment and aliasing undefined behaviour on any host; compilers turn it into
 * plain loads on little-endian machines.
 */
#include "iread.h"

#include <string.h>

enum { PAGE = 0, REGION = 1, TABLECELL = 2, LINE = 3, CHAR = 4 };

static inline uint16_t ld_u16(const unsigned char *p) {
    return (uint16_t)((unsigned)p[0] | ((unsigned)p[1] << 8));
}

static inline int32_t ld_i32(const unsigned char *p) {
    uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                 ((uint32_t)p[3] << 24);
    int32_t r;
    memcpy(&r, &v, sizeof r);
    return r;
}

int iread_scan(const unsigned char *data, size_t length, ly_counts *counts, size_t *bad_node) {
    size_t n = length / IREAD_NODE_SIZE;
    int have_page = 0, have_region = 0, have_line = 0;
    memset(counts, 0, sizeof *counts);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *node = data + i * IREAD_NODE_SIZE;
        switch (ld_u16(node)) {
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

static void read_rect(const unsigned char *p, int32_t *l, int32_t *t, int32_t *r, int32_t *b) {
    *l = ld_i32(p);
    *t = ld_i32(p + 4);
    *r = ld_i32(p + 8);
    *b = ld_i32(p + 12);
}

int iread_fill(const unsigned char *data, size_t length, const ly_counts *capacity,
               ly_page *pages, ly_region *regions, ly_cell *cells, ly_line *lines,
               ly_char *chars, uint8_t *node_types, size_t *bad_node) {
    size_t n = length / IREAD_NODE_SIZE;
    size_t np = 0, nr = 0, nc = 0, nl = 0, nch = 0;
    int32_t page = -1, region = -1, cell = -1, line = -1;
    for (size_t i = 0; i < n; i++) {
        const unsigned char *node = data + i * IREAD_NODE_SIZE;
        const unsigned char *u = node + IREAD_UNION_OFFSET;
        uint16_t type = ld_u16(node);
        *bad_node = i;
        switch (type) {
        case PAGE: {
            if (np >= capacity->pages) return LY_CAPACITY;
            ly_page *o = &pages[np];
            o->width = ld_i32(u);
            o->height = ld_i32(u + 4);
            o->skew = ld_i32(u + 8);
            page = (int32_t)np++;
            region = cell = line = -1;
            break;
        }
        case REGION: {
            if (page < 0) return LY_ORPHAN;
            if (nr >= capacity->regions) return LY_CAPACITY;
            ly_region *o = &regions[nr];
            read_rect(u, &o->left, &o->top, &o->right, &o->bottom);
            o->region_type = ld_u16(u + 16);
            o->lang = ld_u16(u + 18);
            o->page = page;
            region = (int32_t)nr++;
            cell = line = -1;
            break;
        }
        case TABLECELL: {
            if (region < 0) return LY_ORPHAN;
            if (nc >= capacity->cells) return LY_CAPACITY;
            ly_cell *o = &cells[nc];
            read_rect(u, &o->left, &o->top, &o->right, &o->bottom);
            o->region = region;
            o->page = page;
            cell = (int32_t)nc++;
            line = -1;
            break;
        }
        case LINE: {
            if (region < 0) return LY_ORPHAN;
            if (nl >= capacity->lines) return LY_CAPACITY;
            ly_line *o = &lines[nl];
            o->baseline = ld_u16(u);
            o->size = ld_u16(u + 2);
            o->avg_char_width = ld_u16(u + 4);
            o->avg_char_height = ld_u16(u + 6);
            o->region = region;
            o->cell = cell;
            o->page = page;
            o->first_char = -1;
            o->char_count = 0;
            line = (int32_t)nl++;
            break;
        }
        case CHAR: {
            if (line < 0) return LY_ORPHAN;
            if (nch >= capacity->chars) return LY_CAPACITY;
            ly_char *o = &chars[nch];
            o->code = ld_u16(u);
            o->space_before = ld_u16(u + 2);
            read_rect(u + 4, &o->left, &o->top, &o->right, &o->bottom);
            o->suspect = ld_i32(u + 20);
            for (int k = 0; k < 5; k++) {
                o->candidates[k] = ld_u16(u + 28 + 2 * k);
                o->distances[k] = u[38 + k];
            }
            o->reserved = u[43];
            o->line = line;
            o->region = region;
            o->cell = cell;
            o->page = page;
            o->text = o->code;
            if (lines[line].char_count == 0) lines[line].first_char = (int32_t)nch;
            lines[line].char_count++;
            nch++;
            break;
        }
        default:
            return LY_UNKNOWN_TYPE;
        }
        node_types[i] = (uint8_t)type;
    }
    if (length % IREAD_NODE_SIZE) {
        *bad_node = n;
        return LY_RAGGED_TAIL;
    }
    return LY_OK;
}
