// Debian's libqrencode (apt libqrencode-dev) as seen from Swift.
#ifndef PIAOJUE_CQRENCODE_SHIM_H
#define PIAOJUE_CQRENCODE_SHIM_H
#include <qrencode.h>
#endif
