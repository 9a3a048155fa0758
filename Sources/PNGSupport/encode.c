#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Bigger deflate output chunks mean fewer IDAT chunks (less CRC and header work). */
#define PNGSUPPORT_IDAT_SIZE (128 * 1024)

struct pngsupport_writer {
    png_structp png;
    png_infop info;
    /* Sticky: once set, every call returns it. Also libpng's error pointer. */
    pngsupport_status error;
    /* Encoded bytes the caller has not taken yet: at most about one IDAT chunk. */
    uint8_t *pending;
    size_t pending_count;
    size_t pending_capacity;
    uint32_t height;
    uint32_t next_row;
    size_t row_bytes;
    int finished;
};

static void write_bytes(png_structp png, png_bytep bytes, size_t length) {
    pngsupport_writer *writer = (pngsupport_writer *)png_get_io_ptr(png);
    if (length > SIZE_MAX - writer->pending_count) {
        writer->error.code = PNGSUPPORT_OUT_OF_MEMORY;
        png_error(png, "encoded PNG too large for memory");
    }
    size_t needed = writer->pending_count + length;
    if (needed > writer->pending_capacity) {
        size_t capacity = writer->pending_capacity < 64 * 1024 ? 64 * 1024 : writer->pending_capacity;
        while (capacity < needed) {
            capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
        }
        uint8_t *grown = realloc(writer->pending, capacity);
        if (grown == NULL) {
            writer->error.code = PNGSUPPORT_OUT_OF_MEMORY;
            png_error(png, "out of memory growing the output buffer");
        }
        writer->pending = grown;
        writer->pending_capacity = capacity;
    }
    memcpy(writer->pending + writer->pending_count, bytes, length);
    writer->pending_count = needed;
}

static void flush_nothing(png_structp png) { (void)png; }

static int libpng_filters(unsigned filters) {
    int result = 0;
    if (filters & PNGSUPPORT_FILTER_NONE) result |= PNG_FILTER_NONE;
    if (filters & PNGSUPPORT_FILTER_SUB) result |= PNG_FILTER_SUB;
    if (filters & PNGSUPPORT_FILTER_UP) result |= PNG_FILTER_UP;
    if (filters & PNGSUPPORT_FILTER_AVERAGE) result |= PNG_FILTER_AVG;
    if (filters & PNGSUPPORT_FILTER_PAETH) result |= PNG_FILTER_PAETH;
    return result;
}

static int zlib_strategy(int strategy) {
    switch (strategy) {
    case PNGSUPPORT_STRATEGY_FILTERED: return Z_FILTERED;
    case PNGSUPPORT_STRATEGY_HUFFMAN_ONLY: return Z_HUFFMAN_ONLY;
    case PNGSUPPORT_STRATEGY_RLE: return Z_RLE;
    case PNGSUPPORT_STRATEGY_FIXED: return Z_FIXED;
    default: return Z_DEFAULT_STRATEGY;
    }
}

static const char *invalid_options(const pngsupport_encode_options *o) {
    if (o->width == 0 || o->height == 0) return "width and height must be positive";
    if (o->width > PNG_UINT_31_MAX || o->height > PNG_UINT_31_MAX) return "width and height must fit in 31 bits";
    if (o->channels != 3 && o->channels != 4) return "channels must be 3 or 4";
    if (o->compression_level < 0 || o->compression_level > 9) return "compression level must be 0...9";
    if (libpng_filters(o->filters) == 0) return "at least one filter is required";
    if (o->strategy < PNGSUPPORT_STRATEGY_DEFAULT || o->strategy > PNGSUPPORT_STRATEGY_FIXED) return "unknown strategy";
    if (o->pixels_per_meter > PNG_UINT_31_MAX) return "resolution too large for pHYs";
    return NULL;
}

/* Sets `status` and returns its code. */
static int finish_status(pngsupport_status *status, int code, const char *message) {
    pngsupport_set_status(status, code, message);
    return code;
}

/* Copies the writer's sticky error into `status` and returns its code. */
static int report(const pngsupport_writer *writer, pngsupport_status *status) {
    if (status != NULL) *status = writer->error;
    return writer->error.code;
}

/* Each function that calls libpng has its own setjmp; nothing is used after a longjmp. */
static int write_header(pngsupport_writer *writer, const pngsupport_encode_options *o) {
    png_structp png = writer->png;
    png_infop info = writer->info;
    if (setjmp(png_jmpbuf(png))) return 0;

    png_set_write_fn(png, writer, write_bytes, flush_nothing);
    png_set_IHDR(png, info, o->width, o->height, 8,
                 o->channels == 4 ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (o->pixels_per_meter != 0) {
        png_set_pHYs(png, info, o->pixels_per_meter, o->pixels_per_meter, PNG_RESOLUTION_METER);
    }
    png_set_compression_level(png, o->compression_level);
    png_set_compression_strategy(png, zlib_strategy(o->strategy));
    png_set_filter(png, PNG_FILTER_TYPE_BASE, libpng_filters(o->filters));
    png_set_compression_buffer_size(png, PNGSUPPORT_IDAT_SIZE);
    png_write_info(png, info);
    return 1;
}

static int write_one_row(pngsupport_writer *writer, const uint8_t *row) {
    if (setjmp(png_jmpbuf(writer->png))) return 0;
    png_write_row(writer->png, row);
    return 1;
}

static int write_end(pngsupport_writer *writer) {
    if (setjmp(png_jmpbuf(writer->png))) return 0;
    png_write_end(writer->png, writer->info);
    return 1;
}

pngsupport_writer *pngsupport_writer_open(const pngsupport_encode_options *options,
                                          pngsupport_status *status) {
    pngsupport_set_status(status, PNGSUPPORT_OK, "");
    if (options == NULL) {
        finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, "missing options");
        return NULL;
    }
    const char *invalid = invalid_options(options);
    if (invalid != NULL) {
        finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, invalid);
        return NULL;
    }
    pngsupport_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) {
        finish_status(status, PNGSUPPORT_OUT_OF_MEMORY, "out of memory creating the writer");
        return NULL;
    }
    writer->height = options->height;
    writer->row_bytes = (size_t)options->width * (size_t)options->channels;
    writer->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer->error,
                                          pngsupport_on_error, pngsupport_on_warning);
    writer->info = writer->png == NULL ? NULL : png_create_info_struct(writer->png);
    if (writer->info == NULL) {
        pngsupport_writer_close(writer);
        finish_status(status, PNGSUPPORT_OUT_OF_MEMORY, "out of memory creating the libpng writer");
        return NULL;
    }
    if (!write_header(writer, options)) {
        report(writer, status);
        pngsupport_writer_close(writer);
        return NULL;
    }
    return writer;
}

int pngsupport_writer_write_row(pngsupport_writer *writer, const uint8_t *row, size_t size,
                                pngsupport_status *status) {
    if (writer == NULL || row == NULL) return finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, "no writer or row");
    if (writer->error.code != PNGSUPPORT_OK) return report(writer, status);
    if (size != writer->row_bytes) return finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, "row is not width * channels bytes");
    if (writer->next_row >= writer->height) return finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, "more rows than the height");
    if (!write_one_row(writer, row)) return report(writer, status);
    writer->next_row++;
    return finish_status(status, PNGSUPPORT_OK, "");
}

int pngsupport_writer_finish(pngsupport_writer *writer, pngsupport_status *status) {
    if (writer == NULL) return finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, "no writer");
    if (writer->error.code != PNGSUPPORT_OK) return report(writer, status);
    if (writer->finished) return finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, "writer already finished");
    if (writer->next_row != writer->height) return finish_status(status, PNGSUPPORT_INVALID_ARGUMENT, "fewer rows than the height");
    if (!write_end(writer)) return report(writer, status);
    writer->finished = 1;
    return finish_status(status, PNGSUPPORT_OK, "");
}

const uint8_t *pngsupport_writer_pending(const pngsupport_writer *writer, size_t *count) {
    if (writer == NULL) {
        if (count != NULL) *count = 0;
        return NULL;
    }
    if (count != NULL) *count = writer->pending_count;
    return writer->pending;
}

void pngsupport_writer_clear_pending(pngsupport_writer *writer) {
    if (writer != NULL) writer->pending_count = 0;
}

void pngsupport_writer_close(pngsupport_writer *writer) {
    if (writer == NULL) return;
    if (writer->png != NULL) png_destroy_write_struct(&writer->png, &writer->info);
    free(writer->pending);
    free(writer);
}
