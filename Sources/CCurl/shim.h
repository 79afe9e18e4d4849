// libcurl (Debian libcurl4-openssl-dev): the HTTP client of `mailhound pull`.
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these typed
// wrappers pass each kind of value the way libcurl's documentation asks.
#include <curl/curl.h>

typedef size_t (*mh_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode mh_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode mh_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode mh_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode mh_curl_set_callback(CURL *handle, CURLoption option, mh_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode mh_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
