#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Bigger deflate output chunks mean fewer IDAT chunks (less CRC and header work). */
#define PNGSUPPORT_IDAT_SIZE (128 * 1024)

typedef struct {
    pngsupport_buffer *buffer;
    pngsupport_status *status;
} write_context;

static void write_bytes(png_structp png, png_bytep bytes, size_t length) {
    write_context *context = (write_context *)png_get_io_ptr(png);
    pngsupport_buffer *buffer = context->buffer;
    if (length > SIZE_MAX - buffer->count) {
        context->status->code = PNGSUPPORT_OUT_OF_MEMORY;
        png_error(png, "encoded PNG too large for memory");
    }
    size_t needed = buffer->count + length;
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity < 64 * 1024 ? 64 * 1024 : buffer->capacity;
        while (capacity < needed) {
            capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
        }
        uint8_t *grown = realloc(buffer->bytes, capacity);
        if (grown == NULL) {
            context->status->code = PNGSUPPORT_OUT_OF_MEMORY;
            png_error(png, "out of memory growing the output buffer");
        }
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->count, bytes, length);
    buffer->count = needed;
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

static const char *invalid_options(const pngsupport_encode_options *o, size_t size) {
    if (o->width == 0 || o->height == 0) return "width and height must be positive";
    if (o->channels != 3 && o->channels != 4) return "channels must be 3 or 4";
    if (o->compression_level < 0 || o->compression_level > 9) return "compression level must be 0...9";
    if (libpng_filters(o->filters) == 0) return "at least one filter is required";
    if (o->strategy < PNGSUPPORT_STRATEGY_DEFAULT || o->strategy > PNGSUPPORT_STRATEGY_FIXED) return "unknown strategy";
    if (o->pixels_per_meter > PNG_UINT_31_MAX) return "resolution too large for pHYs";
    size_t row_bytes = (size_t)o->width * (size_t)o->channels;
    if (row_bytes / (size_t)o->channels != o->width || o->stride < row_bytes) return "stride is smaller than a row";
    size_t last = (size_t)(o->height - 1);
    if (last != 0 && o->stride > (SIZE_MAX - row_bytes) / last) return "image too large for memory";
    if (size < last * o->stride + row_bytes) return "pixel buffer is smaller than height rows of stride bytes";
    return NULL;
}

/* All libpng calls of one encode; setjmp is here and nothing is used after a longjmp. */
static int encode_rows(png_structp png, png_infop info, const uint8_t *pixels,
                       const pngsupport_encode_options *o, write_context *context) {
    if (setjmp(png_jmpbuf(png))) return 0;

    png_set_write_fn(png, context, write_bytes, flush_nothing);
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
    for (uint32_t y = 0; y < o->height; y++) {
        png_write_row(png, pixels + (size_t)y * o->stride);
    }
    png_write_end(png, info);
    return 1;
}

int pngsupport_encode(const uint8_t *pixels, size_t size,
                      const pngsupport_encode_options *options,
                      pngsupport_buffer *out, pngsupport_status *status) {
    memset(out, 0, sizeof *out);
    pngsupport_set_status(status, PNGSUPPORT_OK, "");
    if (pixels == NULL || options == NULL) {
        pngsupport_set_status(status, PNGSUPPORT_INVALID_ARGUMENT, "missing pixels or options");
        return status->code;
    }
    const char *invalid = invalid_options(options, size);
    if (invalid != NULL) {
        pngsupport_set_status(status, PNGSUPPORT_INVALID_ARGUMENT, invalid);
        return status->code;
    }

    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, status,
                                              pngsupport_on_error, pngsupport_on_warning);
    png_infop info = png == NULL ? NULL : png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        pngsupport_set_status(status, PNGSUPPORT_OUT_OF_MEMORY, "out of memory creating the libpng writer");
        return status->code;
    }

    write_context context = { out, status };
    int succeeded = encode_rows(png, info, pixels, options, &context);
    png_destroy_write_struct(&png, &info);
    if (!succeeded) {
        pngsupport_buffer_free(out);
        return status->code;
    }
    return PNGSUPPORT_OK;
}

void pngsupport_buffer_free(pngsupport_buffer *buffer) {
    if (buffer == NULL) return;
    free(buffer->bytes);
    memset(buffer, 0, sizeof *buffer);
}
