#ifndef PNGSUPPORT_H
#define PNGSUPPORT_H

/*
 * The parts of libpng that need its classic API: a row-by-row encoder with a
 * chosen zlib level, filter set and strategy plus a pHYs chunk, and a
 * row-by-row decoder reading from memory or from a file.
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
    /* A file could not be opened or read (the message holds strerror's text). */
    PNGSUPPORT_UNREADABLE = 6,
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
    int channels;               /* 3 (RGB8) or 4 (RGBA8) */
    int compression_level;      /* 0...9 */
    unsigned filters;           /* PNGSUPPORT_FILTER_* bits, at least one */
    int strategy;               /* PNGSUPPORT_STRATEGY_* */
    uint32_t pixels_per_meter;  /* 0: no pHYs chunk */
} pngsupport_encode_options;

/*
 * Row-by-row encoder. The encoded bytes collect in a small pending buffer
 * (about one IDAT chunk) that the caller empties as it goes, so neither the
 * image nor the whole encoded file has to be held by C.
 *
 * Order: open (writes the signature and header chunks) -> write_row, once per
 * row, top to bottom -> finish (writes IEND) -> close. Take the pending bytes
 * with pngsupport_writer_pending and then pngsupport_writer_clear_pending
 * after any call that succeeded.
 *
 * After any error the writer is unusable; later calls repeat that error.
 */
typedef struct pngsupport_writer pngsupport_writer;

pngsupport_writer *pngsupport_writer_open(const pngsupport_encode_options *options,
                                          pngsupport_status *status);

/* Compresses the next row: width * channels bytes. */
int pngsupport_writer_write_row(pngsupport_writer *writer, const uint8_t *row, size_t size,
                                pngsupport_status *status);

/* After the last row: flushes the compressed data and writes IEND. */
int pngsupport_writer_finish(pngsupport_writer *writer, pngsupport_status *status);

/* The encoded bytes not yet taken; valid until the next call on the writer. */
const uint8_t *pngsupport_writer_pending(const pngsupport_writer *writer, size_t *count);

/* Forgets the pending bytes (the caller has copied them). */
void pngsupport_writer_clear_pending(pngsupport_writer *writer);

void pngsupport_writer_close(pngsupport_writer *writer);

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
 * pngsupport_reader_open_file reads from a file instead: the reader then
 * holds a FILE and is passed NULL/0 for `data`/`size`, so the encoded bytes
 * never have to be in memory whole either.
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

pngsupport_reader *pngsupport_reader_open_file(const char *path,
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
