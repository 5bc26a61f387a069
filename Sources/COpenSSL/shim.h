// OpenSSL 3 libcrypto as seen from Swift. Macros that do not import are wrapped here.
#ifndef PIAOJUE_COPENSSL_SHIM_H
#define PIAOJUE_COPENSSL_SHIM_H
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// BIO_get_mem_data is a macro around BIO_ctrl.
static inline long piaojue_bio_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

/// MBSTRING_UTF8 is a macro expression, for X509_NAME_add_entry_by_txt.
static inline int piaojue_mbstring_utf8(void) {
    return MBSTRING_UTF8;
}
#endif
