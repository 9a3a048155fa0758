#ifndef PNGSUPPORT_INTERNAL_H
#define PNGSUPPORT_INTERNAL_H

#include <png.h>
#include "PNGSupport.h"

/* Records `code` and `message` in `status` (message truncated to fit). */
void pngsupport_set_status(pngsupport_status *status, int code, const char *message);

/*
 * libpng error callback. The error pointer must be a pngsupport_status. Keeps
 * a code an I/O callback already recorded (truncation, out of memory), copies
 * libpng's message, and longjmps back to the setjmp in this target.
 */
void pngsupport_on_error(png_structp png, png_const_charp message);

/* libpng warning callback: warnings (e.g. a bad ancillary-chunk CRC) are ignored. */
void pngsupport_on_warning(png_structp png, png_const_charp message);

#endif
