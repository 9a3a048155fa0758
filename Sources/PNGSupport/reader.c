#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pngsupport_reader {
    png_structp png;
    png_infop info;
    /* Set when reading from a file; `data` is then unused. */
    FILE *file;
    /* Valid only during one call; see the header. */
    const uint8_t *data;
    size_t size;
    size_t offset;
    /* Sticky: once set, every call returns it. Also libpng's error pointer. */
    pngsupport_status error;
    int started;
    uint32_t width;
    uint32_t height;
    uint32_t next_row;
    size_t row_bytes;
    /* Adam7 images only: the whole decoded image. */
    uint8_t *image;
};

static void read_bytes(png_structp png, png_bytep out, size_t length) {
    pngsupport_reader *reader = (pngsupport_reader *)png_get_io_ptr(png);
    if (reader->file != NULL) {
        if (fread(out, 1, length, reader->file) == length) return;
        if (ferror(reader->file)) {
            reader->error.code = PNGSUPPORT_UNREADABLE;
            png_error(png, "read error");
        }
        reader->error.code = PNGSUPPORT_TRUNCATED;
        png_error(png, "Not enough data: read beyond the end of the file");
    }
    if (reader->data == NULL || length > reader->size - reader->offset) {
        reader->error.code = PNGSUPPORT_TRUNCATED;
        png_error(png, "Not enough data: read beyond the end of the file");
    }
    memcpy(out, reader->data + reader->offset, length);
    reader->offset += length;
}

/* Sets `status` and returns its code. */
static int finish(pngsupport_status *status, int code, const char *message) {
    pngsupport_set_status(status, code, message);
    return code;
}

/* Copies the reader's sticky error into `status` and returns its code. */
static int report(const pngsupport_reader *reader, pngsupport_status *status) {
    if (status != NULL) *status = reader->error;
    return reader->error.code;
}

static void attach(pngsupport_reader *reader, const uint8_t *data, size_t size) {
    reader->data = data;
    reader->size = size;
}

static void detach(pngsupport_reader *reader) {
    reader->data = NULL;
}

static int read_info(pngsupport_reader *reader, pngsupport_header *header) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(png_jmpbuf(png))) return 0;

    png_set_read_fn(png, reader, read_bytes);
    png_set_sig_bytes(png, 8);
    /* Accept every size the format allows (libpng's default stops at 1,000,000 with
     * "Invalid IHDR data"): the caller's limits, checked after this, decide, and can
     * name the size in their error. */
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
#if defined(PNG_SET_OPTION_SUPPORTED) && defined(PNG_IGNORE_ADLER32)
    /* zlib's Adler-32 of the inflated stream costs about 5% of a large decode and checks
     * nothing the CRC-32 of every IDAT chunk (still verified) does not: corruption is an
     * error either way. libvips reads PNGs with the same option. */
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
#endif
    png_read_info(png, info);

    memset(header, 0, sizeof *header);
    header->width = png_get_image_width(png, info);
    header->height = png_get_image_height(png, info);
    header->bit_depth = png_get_bit_depth(png, info);
    header->color_type = png_get_color_type(png, info);
    header->interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    header->has_transparency = (header->color_type & PNG_COLOR_MASK_ALPHA) != 0
        || png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    png_uint_32 x = 0, y = 0;
    int unit = 0;
    if (png_get_pHYs(png, info, &x, &y, &unit) != 0) {
        header->has_phys = 1;
        header->phys_unit_is_meter = unit == PNG_RESOLUTION_METER;
        header->phys_x = x;
        header->phys_y = y;
    }
    reader->width = header->width;
    reader->height = header->height;
    return 1;
}

/* A reader with its libpng structs, or NULL (and `status` set). */
static pngsupport_reader *create_reader(pngsupport_status *status) {
    pngsupport_reader *reader = calloc(1, sizeof *reader);
    if (reader == NULL) {
        finish(status, PNGSUPPORT_OUT_OF_MEMORY, "out of memory creating the reader");
        return NULL;
    }
    reader->offset = 8;
    reader->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader->error,
                                         pngsupport_on_error, pngsupport_on_warning);
    reader->info = reader->png == NULL ? NULL : png_create_info_struct(reader->png);
    if (reader->info == NULL) {
        pngsupport_reader_close(reader);
        finish(status, PNGSUPPORT_OUT_OF_MEMORY, "out of memory creating the libpng reader");
        return NULL;
    }
    return reader;
}

/* The signature has been checked and consumed; reads the rest of the header. Takes `reader`. */
static pngsupport_reader *open_after_signature(pngsupport_reader *reader, const uint8_t *data, size_t size,
                                               pngsupport_header *header, pngsupport_status *status) {
    attach(reader, data, size);
    int succeeded = read_info(reader, header);
    detach(reader);
    if (!succeeded) {
        report(reader, status);
        pngsupport_reader_close(reader);
        return NULL;
    }
    return reader;
}

pngsupport_reader *pngsupport_reader_open(const uint8_t *data, size_t size,
                                          pngsupport_header *header,
                                          pngsupport_status *status) {
    pngsupport_set_status(status, PNGSUPPORT_OK, "");
    if (data == NULL || size == 0 || header == NULL) {
        finish(status, PNGSUPPORT_NOT_PNG, "Not a PNG file: no data");
        return NULL;
    }
    size_t signature_bytes = size < 8 ? size : 8;
    if (png_sig_cmp(data, 0, signature_bytes) != 0) {
        finish(status, PNGSUPPORT_NOT_PNG, "Not a PNG file: bad signature");
        return NULL;
    }
    if (size < 8) {
        finish(status, PNGSUPPORT_TRUNCATED, "Not enough data: file ends inside the signature");
        return NULL;
    }
    pngsupport_reader *reader = create_reader(status);
    if (reader == NULL) return NULL;
    return open_after_signature(reader, data, size, header, status);
}

pngsupport_reader *pngsupport_reader_open_file(const char *path,
                                               pngsupport_header *header,
                                               pngsupport_status *status) {
    pngsupport_set_status(status, PNGSUPPORT_OK, "");
    if (path == NULL || header == NULL) {
        finish(status, PNGSUPPORT_INVALID_ARGUMENT, "no path or header");
        return NULL;
    }
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        finish(status, PNGSUPPORT_UNREADABLE, strerror(errno));
        return NULL;
    }
    uint8_t signature[8];
    size_t got = fread(signature, 1, sizeof signature, file);
    int unreadable = ferror(file);
    if (unreadable || got == 0 || png_sig_cmp(signature, 0, got) != 0 || got < sizeof signature) {
        fclose(file);
        if (unreadable) finish(status, PNGSUPPORT_UNREADABLE, "read error");
        else if (got == 0) finish(status, PNGSUPPORT_NOT_PNG, "Not a PNG file: no data");
        else if (png_sig_cmp(signature, 0, got) != 0) finish(status, PNGSUPPORT_NOT_PNG, "Not a PNG file: bad signature");
        else finish(status, PNGSUPPORT_TRUNCATED, "Not enough data: file ends inside the signature");
        return NULL;
    }
    pngsupport_reader *reader = create_reader(status);
    if (reader == NULL) {
        fclose(file);
        return NULL;
    }
    reader->file = file;
    return open_after_signature(reader, NULL, 0, header, status);
}

int pngsupport_read_header(const uint8_t *data, size_t size,
                           pngsupport_header *header, pngsupport_status *status) {
    pngsupport_reader *reader = pngsupport_reader_open(data, size, header, status);
    if (reader == NULL) return status->code;
    pngsupport_reader_close(reader);
    return PNGSUPPORT_OK;
}

/* Expands everything to 8-bit RGBA, gamma-corrected to sRGB as the simplified API does. */
static int set_up_rgba8(pngsupport_reader *reader) {
    png_structp png = reader->png;
    png_infop info = reader->info;
    if (setjmp(png_jmpbuf(png))) return 0;

    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    int has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (has_trns) png_set_tRNS_to_alpha(png);
    if (bit_depth == 16) png_set_scale_16(png);
    if ((color_type & PNG_COLOR_MASK_COLOR) == 0) png_set_gray_to_rgb(png);
    if ((color_type & PNG_COLOR_MASK_ALPHA) == 0 && !has_trns) {
        png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
    }
    /* Output sRGB, alpha not premultiplied; a file without gAMA/sRGB is taken as sRGB. */
    png_set_alpha_mode(png, PNG_ALPHA_PNG, PNG_DEFAULT_sRGB);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);

    reader->row_bytes = png_get_rowbytes(png, info);
    if (reader->row_bytes != (size_t)reader->width * 4) {
        png_error(png, "unexpected row size after RGBA8 transforms");
    }
    if (passes > 1) {
        /* Adam7 needs every pass before any row is complete. */
        if (reader->height > SIZE_MAX / reader->row_bytes) png_error(png, "image too large for memory");
        reader->image = malloc((size_t)reader->height * reader->row_bytes);
        if (reader->image == NULL) {
            reader->error.code = PNGSUPPORT_OUT_OF_MEMORY;
            png_error(png, "out of memory for an interlaced image");
        }
        for (int pass = 0; pass < passes; pass++) {
            for (uint32_t y = 0; y < reader->height; y++) {
                png_read_row(png, reader->image + (size_t)y * reader->row_bytes, NULL);
            }
        }
    }
    return 1;
}

int pngsupport_reader_start(pngsupport_reader *reader,
                            const uint8_t *data, size_t size,
                            pngsupport_status *status) {
    if (reader == NULL) return finish(status, PNGSUPPORT_INVALID_ARGUMENT, "no reader");
    if (reader->error.code != PNGSUPPORT_OK) return report(reader, status);
    if (reader->started) return finish(status, PNGSUPPORT_INVALID_ARGUMENT, "reader already started");
    reader->started = 1;
    attach(reader, data, size);
    int succeeded = set_up_rgba8(reader);
    detach(reader);
    if (!succeeded) return report(reader, status);
    return finish(status, PNGSUPPORT_OK, "");
}

static int read_one_row(pngsupport_reader *reader, uint8_t *row) {
    if (setjmp(png_jmpbuf(reader->png))) return 0;
    png_read_row(reader->png, row, NULL);
    return 1;
}

int pngsupport_reader_read_row(pngsupport_reader *reader,
                               const uint8_t *data, size_t size,
                               uint8_t *row, size_t row_size,
                               pngsupport_status *status) {
    if (reader == NULL || row == NULL) return finish(status, PNGSUPPORT_INVALID_ARGUMENT, "no reader or row");
    if (reader->error.code != PNGSUPPORT_OK) return report(reader, status);
    if (!reader->started) return finish(status, PNGSUPPORT_INVALID_ARGUMENT, "reader not started");
    if (row_size < reader->row_bytes) return finish(status, PNGSUPPORT_INVALID_ARGUMENT, "row buffer too small");
    if (reader->next_row >= reader->height) return finish(status, PNGSUPPORT_INVALID_ARGUMENT, "no rows left");

    if (reader->image != NULL) {
        memcpy(row, reader->image + (size_t)reader->next_row * reader->row_bytes, reader->row_bytes);
    } else {
        attach(reader, data, size);
        int succeeded = read_one_row(reader, row);
        detach(reader);
        if (!succeeded) return report(reader, status);
    }
    reader->next_row++;
    return finish(status, PNGSUPPORT_OK, "");
}

void pngsupport_reader_close(pngsupport_reader *reader) {
    if (reader == NULL) return;
    if (reader->png != NULL) png_destroy_read_struct(&reader->png, &reader->info, NULL);
    if (reader->file != NULL) fclose(reader->file);
    free(reader->image);
    free(reader);
}
