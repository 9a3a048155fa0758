#ifndef PNGSUPPORT_H
#define PNGSUPPORT_H

/*
 * The parts of libpng that need its classic API: encoding with a chosen zlib
 * level, filter set and strategy plus a pHYs chunk, and a row-by-row decoder.
 *
 * The classic API reports errors with setjmp/longjmp. Every setjmp lives in
 * this C target and no longjmp ever leaves it: each function returns a status
 * code and copies libpng's message into a caller-provided status. The header
 * deliberately does not include <png.h>, so the Swift wrapper sees only these
 * plain C types.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    PNGSUPPORT_OK = 0,
    /* The signature is not PNG's. */
    PNGSUPPORT_NOT_PNG = 1,
    /* The data ended before libpng had what it needed. */
    PNGSUPPORT_TRUNCATED = 2,
    /* libpng reported an error; classify it by `message`. */
    PNGSUPPORT_LIBPNG_ERROR = 3,
    /* A parameter was out of range or a call came in the wrong order. */
    PNGSUPPORT_INVALID_ARGUMENT = 4,
    /* malloc/realloc failed. */
    PNGSUPPORT_OUT_OF_MEMORY = 5,
} pngsupport_code;

typedef struct {
    int code;           /* a pngsupport_code */
    char message[160];  /* NUL-terminated; libpng's text or ours */
} pngsupport_status;

/* Filter bits (combine with |); mapped to PNG_FILTER_* inside. */
enum {
    PNGSUPPORT_FILTER_NONE = 1 << 0,
    PNGSUPPORT_FILTER_SUB = 1 << 1,
    PNGSUPPORT_FILTER_UP = 1 << 2,
    PNGSUPPORT_FILTER_AVERAGE = 1 << 3,
    PNGSUPPORT_FILTER_PAETH = 1 << 4,
};

/* zlib strategies; mapped to Z_* inside. */
enum {
    PNGSUPPORT_STRATEGY_DEFAULT = 0,
    PNGSUPPORT_STRATEGY_FILTERED = 1,
    PNGSUPPORT_STRATEGY_HUFFMAN_ONLY = 2,
    PNGSUPPORT_STRATEGY_RLE = 3,
    PNGSUPPORT_STRATEGY_FIXED = 4,
};

typedef struct {
    uint32_t width;
    uint32_t height;
    size_t stride;              /* bytes from one row to the next, >= width * channels */
    int channels;               /* 3 (RGB8) or 4 (RGBA8) */
    int compression_level;      /* 0...9 */
    unsigned filters;           /* PNGSUPPORT_FILTER_* bits, at least one */
    int strategy;               /* PNGSUPPORT_STRATEGY_* */
    uint32_t pixels_per_meter;  /* 0: no pHYs chunk */
} pngsupport_encode_options;

/* Encoded bytes, owned by C; release with pngsupport_buffer_free. */
typedef struct {
    uint8_t *bytes;
    size_t count;
    size_t capacity;
} pngsupport_buffer;

/*
 * Encodes `height` rows of `pixels` (which holds `size` bytes). On success
 * returns PNGSUPPORT_OK and fills `out`; on failure `out` is empty.
 */
int pngsupport_encode(const uint8_t *pixels, size_t size,
                      const pngsupport_encode_options *options,
                      pngsupport_buffer *out, pngsupport_status *status);

void pngsupport_buffer_free(pngsupport_buffer *buffer);

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;        /* 1, 2, 4, 8 or 16 */
    int color_type;       /* PNG colour type: 0, 2, 3, 4 or 6 */
    int interlaced;       /* 1 for Adam7 */
    int has_transparency; /* alpha channel or tRNS chunk */
    int has_phys;
    int phys_unit_is_meter;
    uint32_t phys_x;      /* pixels per unit */
    uint32_t phys_y;
} pngsupport_header;

/*
 * Reads the signature and every chunk up to the first IDAT: no pixel data is
 * decoded and nothing proportional to the image size is allocated.
 */
int pngsupport_read_header(const uint8_t *data, size_t size,
                           pngsupport_header *header, pngsupport_status *status);

/*
 * Row-by-row decoder producing RGBA8 rows.
 *
 * The reader never keeps a pointer to the encoded data between calls: every
 * call gets `data`/`size` again (they must describe the same bytes each time)
 * and the reader only remembers how far it has read. That lets Swift hand in
 * an array's storage for the duration of each call only.
 *
 * Order: open (reads the header, allocates nothing image-sized) -> the caller
 * checks its limits on `header` -> start (sets up the RGBA8 transforms; an
 * interlaced image is decoded whole here, since Adam7 rows cannot be produced
 * one at a time) -> read_row per row -> close.
 *
 * After any error the reader is unusable; later calls repeat that error.
 */
typedef struct pngsupport_reader pngsupport_reader;

pngsupport_reader *pngsupport_reader_open(const uint8_t *data, size_t size,
                                          pngsupport_header *header,
                                          pngsupport_status *status);

int pngsupport_reader_start(pngsupport_reader *reader,
                            const uint8_t *data, size_t size,
                            pngsupport_status *status);

/* Writes the next row (width * 4 bytes) into `row`, which holds `row_size` bytes. */
int pngsupport_reader_read_row(pngsupport_reader *reader,
                               const uint8_t *data, size_t size,
                               uint8_t *row, size_t row_size,
                               pngsupport_status *status);

void pngsupport_reader_close(pngsupport_reader *reader);

#ifdef __cplusplus
}
#endif

#endif /* PNGSUPPORT_H */
