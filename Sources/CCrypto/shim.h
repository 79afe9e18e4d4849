// OpenSSL's libcrypto (Debian libssl-dev): SHA-256 for the natural keys of records without an id.
#include <openssl/sha.h>
// The RS256 client assertion and certificate thumbprints of `mailhound pull`, and its random ids.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/rand.h>
