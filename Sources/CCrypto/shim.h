// OpenSSL's libcrypto (Debian libssl-dev): SHA-256 for the natural keys of records without an id.
#include <openssl/sha.h>
