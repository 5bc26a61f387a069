// libxml2 as seen from Swift: the SAX2 push parser that PiaojueWorkbook feeds part by part; and
// zlib's crc32, which checks each inflated part (ZIPFoundation's own CRC, in Swift, is 5x slower).
#ifndef PIAOJUE_CLIBXML2_SHIM_H
#define PIAOJUE_CLIBXML2_SHIM_H
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <zlib.h>
#endif
