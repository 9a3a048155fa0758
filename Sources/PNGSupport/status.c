#include "internal.h"

#include <string.h>

void pngsupport_set_status(pngsupport_status *status, int code, const char *message) {
    if (status == NULL) return;
    status->code = code;
    if (message == NULL) message = "";
    size_t length = strlen(message);
    if (length >= sizeof status->message) length = sizeof status->message - 1;
    memcpy(status->message, message, length);
    status->message[length] = '\0';
}

void pngsupport_on_error(png_structp png, png_const_charp message) {
    pngsupport_status *status = (pngsupport_status *)png_get_error_ptr(png);
    int code = status->code == PNGSUPPORT_OK ? PNGSUPPORT_LIBPNG_ERROR : status->code;
    pngsupport_set_status(status, code, message);
    png_longjmp(png, 1);
}

void pngsupport_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}
