/*
 * The vendor's IREAD_NODE position stream (SPEC §5) and lingyun's decoder for it.
 *
 * Part 1 declares the structs exactly as the vendor's document does -- same type and field
 * names, natural alignment -- and pins their layout at compile time, so that a compiler
 * that lays them out differently refuses to build instead of decoding garbage.
 *
 * Part 2 declares the decoder: one entry point, iread_decode, that decodes one or many
 * streams into one caller-owned arena in one pass over the input, validating as it goes
 * (the first bad node stops it).  It leaves one packed section per output array in the
 * arena and returns their offsets and counts in ly_result.  The caller sizes the arena by
 * the upper bound LY_ARENA_PER_NODE bytes per input node, so no second call is ever
 * needed, and builds its array views from the offsets once.
 * The decoder allocates nothing and keeps no state; it reads the input through memcpy, so
 * any buffer alignment is fine.  Each output record begins with its node's union member,
 * byte for byte (still little-endian), followed by the parent indices the decoder derives,
 * also stored little-endian: the records are laid out exactly like the explicit '<' numpy
 * dtypes in lingyun/iread/dtypes.py on any host (a test holds the two together with
 * ffi.offsetof).
 *
 * This header is read both by the C compiler and by cffi's cdef parser: everything between
 * the IREAD_CDEF_BEGIN/END markers must stay plain declarations.
 */
#ifndef LINGYUN_IREAD_H
#define LINGYUN_IREAD_H

#include <stddef.h>
#include <stdint.h>

/* IREAD_CDEF_BEGIN */
typedef unsigned char IREAD_BYTE;
typedef unsigned short IREAD_WORD;
typedef unsigned int IREAD_UINT;
typedef int IREAD_INT;
typedef int IREAD_BOOL;

typedef struct IREAD_RECT_T {
    IREAD_INT nLeft;
    IREAD_INT nTop;
    IREAD_INT nRight;
    IREAD_INT nBottom;
} IREAD_RECT;

typedef struct IREAD_PAGENODE_T {
    IREAD_INT nWidth;
    IREAD_INT nHeight;
    IREAD_INT nSkewAngle;
} IREAD_PAGENODE;

typedef struct IREAD_REGIONNODE_T {
    IREAD_RECT rcBound;
    IREAD_WORD wRegionType;
    IREAD_WORD wRecogLang;
} IREAD_REGIONNODE;

typedef struct IREAD_TABLECELLNODE_T {
    IREAD_RECT rcBound;
} IREAD_TABLECELLNODE;

typedef struct IREAD_LINENODE_T {
    IREAD_WORD nBaseLine;
    IREAD_WORD nLineSize;
    IREAD_WORD nAverageCharWidth;
    IREAD_WORD nAverageCharHeight;
} IREAD_LINENODE;

typedef struct IREAD_CHARNODE_T {
    IREAD_WORD wCode;
    IREAD_WORD nSpaceBefore;
    IREAD_RECT rcBlock;
    IREAD_BOOL bSuspect;
    IREAD_WORD wAttribute[2];
    IREAD_WORD wCandidate[5];
    IREAD_BYTE nDistance[5];
    IREAD_BYTE nReserved;
} IREAD_CHARNODE;

typedef struct IREAD_NODE_T {
    IREAD_WORD wType;
    union {
        IREAD_PAGENODE page;
        IREAD_REGIONNODE region;
        IREAD_TABLECELLNODE tableCell;
        IREAD_LINENODE line;
        IREAD_CHARNODE character;
    } node;
} IREAD_NODE;

/* ---- decoder output records (mirrored by the numpy dtypes) ---------------------------- */

typedef struct {
    int32_t width, height, skew;
} ly_page;                                   /* 12 bytes */

typedef struct {
    int32_t left, top, right, bottom;
    uint16_t region_type, lang;
    int32_t page;
} ly_region;                                 /* 24 bytes */

typedef struct {
    int32_t left, top, right, bottom;
    int32_t region, page;
} ly_cell;                                   /* 24 bytes */

typedef struct {
    uint16_t baseline, size, avg_char_width, avg_char_height;
    int32_t region, cell, page, first_char, char_count;
} ly_line;                                   /* 28 bytes */

typedef struct {
    uint16_t code, space_before;             /* bytes 0..43 are the CHARNODE, verbatim */
    int32_t left, top, right, bottom;
    int32_t suspect;
    uint16_t attributes[2];
    uint16_t candidates[5];
    uint8_t distances[5];
    uint8_t reserved;
    int32_t line, region, cell, page;
    uint32_t text;                           /* UCS-4 code point; numpy reads it as '<U1' */
} ly_char;                                   /* 64 bytes */

typedef struct {
    size_t pages, regions, cells, lines, chars;
} ly_counts;

/* Arena sections; ly_result.offsets[LY_SECTION_*] is each one's byte offset.  Sections 0..5
 * are packed in this order from offset 0; node types sit at 64 * nodes.  Every record size
 * is a multiple of 4, so every section is 4-byte aligned when the arena is. */
enum {
    LY_SECTION_CHAR = 0,          /* ly_char[counts.chars]                               */
    LY_SECTION_LINE = 1,          /* ly_line[counts.lines]                               */
    LY_SECTION_REGION = 2,        /* ly_region[counts.regions]                           */
    LY_SECTION_CELL = 3,          /* ly_cell[counts.cells]                               */
    LY_SECTION_PAGE = 4,          /* ly_page[counts.pages]                               */
    LY_SECTION_PAGE_STREAM = 5,   /* int32 (LE) per page: index of the stream it came from */
    LY_SECTION_NODE_TYPE = 6,     /* uint8 per node: its wType                           */
    LY_SECTIONS = 7
};

typedef struct {
    ly_counts counts;
    size_t nodes;                 /* whole nodes in all streams                          */
    size_t offsets[7];            /* byte offset of each section in the arena            */
    size_t used;                  /* bytes of the arena the decode may have written      */
    size_t surrogates;            /* CHAR nodes whose code is a UTF-16 surrogate         */
    size_t bad_stream, bad_node;  /* on error: which stream, which node within it        */
} ly_result;

/* Status codes; on error bad_stream/bad_node locate the first bad node. */
enum {
    LY_OK = 0,
    LY_RAGGED_TAIL = 1,      /* length not a multiple of 48: the tail is a partial node */
    LY_UNKNOWN_TYPE = 2,     /* wType not 0..4 */
    LY_ORPHAN = 3,           /* a node whose parent kind has not appeared (see iread.c) */
    LY_CAPACITY = 4,         /* arena_size < LY_ARENA_PER_NODE * nodes: refused, nothing written */
    /* Upper bound of arena bytes per input node: the largest record (ly_char, 64) plus
     * its node-type byte; a page's 12-byte record plus its 4-byte stream index is less. */
    LY_ARENA_PER_NODE = 65
};

/* Decode streams[0..count) (lengths[i] bytes each) as if each were decoded alone -- parent
 * indices are global, and each stream starts afresh, so a stream must be empty or begin
 * with a PAGE -- into arena[0..arena_size).  Errors are reported for the first bad node in
 * stream order (a ragged tail only after every whole node of its stream was checked). */
int iread_decode(const unsigned char *const *streams, const size_t *lengths, size_t count,
                 unsigned char *arena, size_t arena_size, ly_result *result);
/* IREAD_CDEF_END */

#define IREAD_NODE_SIZE 48
#define IREAD_UNION_OFFSET 4

/* Compile-time layout checks against SPEC §5 (natural alignment, x86-64 and friends). */
#define LY_ASSERT(cond, msg) _Static_assert(cond, msg)
LY_ASSERT(sizeof(IREAD_RECT) == 16, "IREAD_RECT is 16 bytes");
LY_ASSERT(sizeof(IREAD_PAGENODE) == 12, "IREAD_PAGENODE is 12 bytes");
LY_ASSERT(sizeof(IREAD_REGIONNODE) == 20, "IREAD_REGIONNODE is 20 bytes");
LY_ASSERT(sizeof(IREAD_TABLECELLNODE) == 16, "IREAD_TABLECELLNODE is 16 bytes");
LY_ASSERT(sizeof(IREAD_LINENODE) == 8, "IREAD_LINENODE is 8 bytes");
LY_ASSERT(sizeof(IREAD_CHARNODE) == 44, "IREAD_CHARNODE is 44 bytes");
LY_ASSERT(sizeof(IREAD_NODE) == IREAD_NODE_SIZE, "IREAD_NODE is 48 bytes");
LY_ASSERT(offsetof(IREAD_NODE, node) == IREAD_UNION_OFFSET, "the union starts at byte 4");
LY_ASSERT(offsetof(IREAD_REGIONNODE, wRegionType) == 16, "wRegionType @16");
LY_ASSERT(offsetof(IREAD_REGIONNODE, wRecogLang) == 18, "wRecogLang @18");
LY_ASSERT(offsetof(IREAD_LINENODE, nAverageCharHeight) == 6, "nAverageCharHeight @6");
LY_ASSERT(offsetof(IREAD_CHARNODE, nSpaceBefore) == 2, "nSpaceBefore @2");
LY_ASSERT(offsetof(IREAD_CHARNODE, rcBlock) == 4, "rcBlock @4");
LY_ASSERT(offsetof(IREAD_CHARNODE, bSuspect) == 20, "bSuspect @20");
LY_ASSERT(offsetof(IREAD_CHARNODE, wAttribute) == 24, "wAttribute @24");
LY_ASSERT(offsetof(IREAD_CHARNODE, wCandidate) == 28, "wCandidate @28");
LY_ASSERT(offsetof(IREAD_CHARNODE, nDistance) == 38, "nDistance @38");
LY_ASSERT(offsetof(IREAD_CHARNODE, nReserved) == 43, "nReserved @43");
LY_ASSERT(sizeof(ly_page) == 12 && sizeof(ly_region) == 24 && sizeof(ly_cell) == 24,
          "output records have no hidden padding");
LY_ASSERT(sizeof(ly_line) == 28 && sizeof(ly_char) == 64, "output records have no hidden padding");
/* Each output record starts with its union member's bytes, so the decoder copies them. */
LY_ASSERT(offsetof(ly_char, line) == sizeof(IREAD_CHARNODE), "ly_char starts with a CHARNODE");
LY_ASSERT(offsetof(ly_region, page) == sizeof(IREAD_REGIONNODE), "ly_region starts with it");
LY_ASSERT(offsetof(ly_cell, region) == sizeof(IREAD_TABLECELLNODE), "ly_cell starts with it");
LY_ASSERT(offsetof(ly_line, region) == sizeof(IREAD_LINENODE), "ly_line starts with it");
LY_ASSERT(sizeof(ly_page) == sizeof(IREAD_PAGENODE), "ly_page is the PAGENODE");
LY_ASSERT(LY_ARENA_PER_NODE >= sizeof(ly_char) + 1 && LY_ARENA_PER_NODE >= sizeof(ly_line) + 1
          && LY_ARENA_PER_NODE >= sizeof(ly_region) + 1 && LY_ARENA_PER_NODE >= sizeof(ly_page) + 5,
          "LY_ARENA_PER_NODE bounds every node's output");

#endif
