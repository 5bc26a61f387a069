// zlib as seen from Swift, only for crc32, which checks each inflated workbook part (ZIPFoundation's
// own CRC-32, written in Swift, is about 5x slower). Named apart from ZIPFoundation's CZlib module
// over the same system zlib.
#ifndef PIAOJUE_CZLIBCRC_SHIM_H
#define PIAOJUE_CZLIBCRC_SHIM_H
#include <zlib.h>
#endif
