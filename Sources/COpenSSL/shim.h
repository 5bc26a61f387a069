// OpenSSL 3 libcrypto as seen from Swift. Macros that do not import are wrapped here.
#ifndef PIAOJUE_COPENSSL_SHIM_H
#define PIAOJUE_COPENSSL_SHIM_H
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

/// BIO_get_mem_data is a macro around BIO_ctrl.
static inline long piaojue_bio_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}
#endif
