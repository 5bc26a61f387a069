// OpenSSL 3 libcrypto as seen from Swift. Macros that do not import are wrapped here.
#ifndef PIAOJUE_COPENSSL_SHIM_H
#define PIAOJUE_COPENSSL_SHIM_H
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ec.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/// BIO_get_mem_data is a macro around BIO_ctrl.
static inline long piaojue_bio_mem_data(BIO *bio, char **out) {
    return BIO_get_mem_data(bio, out);
}

/// EVP_PKEY_KEYPAIR and EVP_PKEY_KEY_PARAMETERS are macros combining selection bits.
static inline int piaojue_selection_keypair(void) { return EVP_PKEY_KEYPAIR; }
static inline int piaojue_selection_key_parameters(void) { return EVP_PKEY_KEY_PARAMETERS; }

/// OSSL_PARAM names are string macros; OSSL_PARAM_BLD keeps the name pointer, so these return the
/// literals themselves (static storage) rather than a temporary copy.
static inline const char *piaojue_param_group_name(void) { return OSSL_PKEY_PARAM_GROUP_NAME; }
static inline const char *piaojue_param_private_key(void) { return OSSL_PKEY_PARAM_PRIV_KEY; }
static inline const char *piaojue_param_public_key(void) { return OSSL_PKEY_PARAM_PUB_KEY; }
static inline const char *piaojue_param_point_format(void) { return OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT; }
/// The value strings pushed into an OSSL_PARAM_BLD, which copies them only when the array is built.
static inline const char *piaojue_sm2_group_name(void) { return "SM2"; }
static inline const char *piaojue_point_format_uncompressed(void) { return OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED; }
/// MBSTRING_UTF8 is a macro expression, for X509_NAME_add_entry_by_txt.
static inline int piaojue_mbstring_utf8(void) {
    return MBSTRING_UTF8;
}
#endif
