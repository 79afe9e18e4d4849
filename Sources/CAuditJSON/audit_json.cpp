// simdjson On-Demand scanner for UAL records: one pass over the object's keys, any order.
#include "audit_json.h"

#include <simdjson.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <utility>
#include <vector>

using namespace simdjson;

struct mh_scanner {
    ondemand::parser outer;
    ondemand::parser inner;
    std::string envelope_record;  // the record text found inside an envelope, padded
    std::vector<std::string_view> folders;
    std::vector<std::pair<std::string_view, std::string_view>> parameters;
    std::string error;
};

namespace {

struct ScanFailure {
    std::string reason;
};

mh_str view(std::string_view s) { return mh_str{s.data(), s.size()}; }

mh_str empty_str() { return mh_str{nullptr, 0}; }

[[noreturn]] __attribute__((noinline, cold)) void fail(const std::string &reason) { throw ScanFailure{reason}; }

[[noreturn]] __attribute__((noinline, cold)) void fail_with(error_code code, std::string_view key) {
    fail(std::string("field ") + std::string(key) + ": " + error_message(code));
}

inline void check(error_code code, std::string_view key) {
    if (code != SUCCESS) [[unlikely]] fail_with(code, key);
}

// JSON null (checked to be the literal `null`) reads as absent.
void expect_null(ondemand::value value, std::string_view key) {
    bool is_null_literal = false;
    if (value.is_null().get(is_null_literal) != SUCCESS || !is_null_literal) {
        fail(std::string("field ") + std::string(key) + ": not valid JSON");
    }
}

// Length of a JSON string's text from just after its opening quote to its closing quote; false
// when an escape comes first. Most audit strings hold none, so they are used where they lie in
// the input instead of being unescaped into simdjson's string buffer. Reading 16 bytes at a time
// past the quote stays inside the input's padding.
inline bool plain_string_length(const char *text, size_t &length) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    for (size_t at = 0;; at += 16) {
        __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i *>(text + at));
        unsigned quotes = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, quote)));
        unsigned escapes = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, backslash)));
        if ((quotes | escapes) == 0) continue;
        unsigned first = unsigned(__builtin_ctz(quotes | escapes));
        if (!(quotes & (1u << first))) return false;
        length = at + first;
        return true;
    }
#else
    for (size_t at = 0;; at++) {
        if (text[at] == '\\') return false;
        if (text[at] == '"') {
            length = at;
            return true;
        }
    }
#endif
}

// A string value's text in place when it holds no escape; false for anything else.
inline bool plain_string(ondemand::value &value, std::string_view &text) {
    std::string_view token = value.raw_json_token();
    size_t length;
    if (token.empty() || token[0] != '"' || !plain_string_length(token.data() + 1, length)) return false;
    text = std::string_view(token.data() + 1, length);
    return true;
}

// A field's key in place, unescaped only when it holds an escape.
inline std::string_view key_of(simdjson_result<ondemand::field> &field, std::string_view context) {
    ondemand::raw_json_string raw;
    check(field.key().get(raw), context);
    size_t length;
    if (plain_string_length(raw.raw(), length)) [[likely]] return std::string_view(raw.raw(), length);
    std::string_view key;
    check(field.unescaped_key().get(key), context);
    return key;
}

// Text simdjson unescaped may hold a NUL byte (from \u0000), which the row encoder must replace.
inline std::string_view noting_nul(std::string_view text, mh_ual_record &out) {
    if (!text.empty() && memchr(text.data(), 0, text.size()) != nullptr) out.unescaped_nul = 1;
    return text;
}

mh_str read_string(mh_ual_record &out, ondemand::value value, std::string_view key) {
    std::string_view text;
    if (plain_string(value, text)) [[likely]] return view(text);
    ondemand::json_type type;
    check(value.type().get(type), key);
    if (type == ondemand::json_type::null) {
        expect_null(value, key);
        return empty_str();
    }
    if (type != ondemand::json_type::string) fail(std::string("field ") + std::string(key) + ": expected a string");
    check(value.get_string().get(text), key);
    return view(noting_nul(text, out));
}

int64_t read_int(ondemand::value value, std::string_view key) {
    int64_t number;
    if (value.get_int64().get(number) == SUCCESS) [[likely]] return number;
    ondemand::json_type type;
    check(value.type().get(type), key);
    if (type == ondemand::json_type::null) {
        expect_null(value, key);
        return -1;
    }
    if (type != ondemand::json_type::number) fail(std::string("field ") + std::string(key) + ": expected a number");
    int64_t n;
    check(value.get_int64().get(n), key);
    return n;
}

// Booleans arrive as JSON booleans or as "True"/"False" strings (admin records).
int32_t read_flag(ondemand::value value, std::string_view key) {
    ondemand::json_type type;
    check(value.type().get(type), key);
    if (type == ondemand::json_type::null) return -1;
    if (type == ondemand::json_type::boolean) {
        bool b;
        check(value.get_bool().get(b), key);
        return b ? 1 : 0;
    }
    if (type == ondemand::json_type::string) {
        std::string_view s;
        check(value.get_string().get(s), key);
        if (s == "True" || s == "true") return 1;
        if (s == "False" || s == "false") return 0;
    }
    fail(std::string("field ") + std::string(key) + ": expected true or false");
    return -1;
}

bool is_null(ondemand::value value, std::string_view key) {
    ondemand::json_type type;
    check(value.type().get(type), key);
    return type == ondemand::json_type::null;
}

std::string_view any_text(mh_ual_record &out, ondemand::value value, std::string_view key) {
    std::string_view s;
    if (plain_string(value, s)) return s;
    ondemand::json_type type;
    check(value.type().get(type), key);
    if (type == ondemand::json_type::string) {
        check(value.get_string().get(s), key);
        return noting_nul(s, out);
    }
    return value.raw_json_token();
}

// OperationProperties / Parameters: [{"Name": "...", "Value": "..."}]
template <typename Visit>
void read_name_values(mh_ual_record &out, ondemand::value value, std::string_view key, Visit visit) {
    if (is_null(value, key)) return;
    ondemand::array array;
    check(value.get_array().get(array), key);
    for (auto element : array) {
        ondemand::object pair;
        check(element.get_object().get(pair), key);
        std::string_view name, text;
        for (auto field : pair) {
            std::string_view k = key_of(field, key);
            ondemand::value v;
            check(field.value().get(v), key);
            if (k == "Name") name = any_text(out, v, key);
            else if (k == "Value") text = any_text(out, v, key);
        }
        visit(name, text);
    }
}

// A size is whatever the record says: a total that would pass 64 bits stops at the largest.
void add_size(int64_t &total, int64_t n) {
    if (n <= 0) return;
    total = n > INT64_MAX - total ? INT64_MAX : total + n;
}

// Folders[] = {Path, FolderItems[{SizeInBytes}]}; Messages[] = {Path, MessageItems[...]}.
void read_folders(mh_scanner &scanner, ondemand::value value, std::string_view key, mh_ual_record &out) {
    if (is_null(value, key)) return;
    ondemand::array folders;
    check(value.get_array().get(folders), key);
    for (auto element : folders) {
        ondemand::object folder;
        check(element.get_object().get(folder), key);
        for (auto field : folder) {
            std::string_view k = key_of(field, key);
            ondemand::value v;
            check(field.value().get(v), key);
            if (k == "Path") {
                mh_str path = read_string(out, v, key);
                if (path.ptr) scanner.folders.emplace_back(path.ptr, path.len);
            } else if (k == "FolderItems" || k == "MessageItems") {
                if (is_null(v, key)) continue;
                ondemand::array items;
                check(v.get_array().get(items), key);
                for (auto item_element : items) {
                    ondemand::object item;
                    check(item_element.get_object().get(item), key);
                    out.items += 1;
                    for (auto item_field : item) {
                        std::string_view ik = key_of(item_field, key);
                        if (ik == "SizeInBytes") {
                            ondemand::value size;
                            check(item_field.value().get(size), key);
                            add_size(out.bytes, read_int(size, "SizeInBytes"));
                        }
                    }
                }
            }
        }
    }
}

// Item (RecordType 2): one message with its ParentFolder.
void read_item(mh_scanner &scanner, ondemand::value value, mh_ual_record &out) {
    if (is_null(value, "Item")) return;
    ondemand::object item;
    check(value.get_object().get(item), "Item");
    out.items += 1;
    for (auto field : item) {
        std::string_view k = key_of(field, "Item");
        ondemand::value v;
        check(field.value().get(v), "Item");
        if (k == "SizeInBytes") {
            add_size(out.bytes, read_int(v, "Item.SizeInBytes"));
        } else if (k == "ParentFolder" && !is_null(v, "Item.ParentFolder")) {
            ondemand::object parent;
            check(v.get_object().get(parent), "Item.ParentFolder");
            for (auto pf : parent) {
                std::string_view pk = key_of(pf, "Item.ParentFolder");
                if (pk == "Path") {
                    ondemand::value pv;
                    check(pf.value().get(pv), "Item.ParentFolder");
                    mh_str path = read_string(out, pv, "Item.ParentFolder.Path");
                    if (path.ptr) scanner.folders.emplace_back(path.ptr, path.len);
                }
            }
        }
    }
}

void read_app_access_context(ondemand::value value, mh_ual_record &out) {
    if (is_null(value, "AppAccessContext")) return;
    ondemand::object context;
    check(value.get_object().get(context), "AppAccessContext");
    for (auto field : context) {
        std::string_view k = key_of(field, "AppAccessContext");
        if (k == "ClientAppId" && out.client_app_id.ptr == nullptr) {
            ondemand::value v;
            check(field.value().get(v), "AppAccessContext");
            out.client_app_id = read_string(out, v, "AppAccessContext.ClientAppId");
        }
    }
}

void reset(mh_scanner &scanner, mh_ual_record &out) {
    scanner.folders.clear();
    scanner.parameters.clear();
    out = mh_ual_record{};
    out.record_type = out.user_type = out.logon_type = out.operation_count = -1;
    out.external_access = out.is_throttled = -1;
}

enum class Envelope { none, text, object };

// Reads a record object; returns where an enveloped record was found instead, if any.
Envelope scan_object(mh_scanner &scanner, ondemand::parser &parser, padded_string_view input, mh_ual_record &out,
                     std::string_view &enveloped) {
    reset(scanner, out);
    ondemand::document doc;
    check(parser.iterate(input).get(doc), "record");
    ondemand::object object;
    if (doc.get_object().get(object) != SUCCESS) fail("not a JSON object");
    Envelope envelope = Envelope::none;
    for (auto field : object) {
        std::string_view key = key_of(field, "record");
        ondemand::value v;
        check(field.value().get(v), key);
        switch (key.empty() ? '\0' : key[0]) {
        case 'A':
            if (key == "AppId") out.app_id = read_string(out, v, key);
            else if (key == "AppAccessContext") read_app_access_context(v, out);
            else if (key == "AuditData") {
                ondemand::json_type type;
                check(v.type().get(type), key);
                if (type == ondemand::json_type::string) {
                    check(v.get_string().get(enveloped), key);
                    envelope = Envelope::text;
                } else if (type == ondemand::json_type::object) {
                    ondemand::object record;
                    check(v.get_object().get(record), key);
                    check(record.raw_json().get(enveloped), key);
                    envelope = Envelope::object;
                }
            }
            break;
        case 'C':
            if (key == "CreationTime") out.creation_time = read_string(out, v, key);
            else if (key == "ClientIP") out.client_ip = read_string(out, v, key);
            else if (key == "ClientIPAddress") out.client_ip_address = read_string(out, v, key);
            else if (key == "ClientInfoString") out.client_info = read_string(out, v, key);
            else if (key == "ClientAppId") {
                mh_str s = read_string(out, v, key);
                if (s.len > 0) out.client_app_id = s;
            }
            break;
        case 'E':
            if (key == "ExternalAccess") out.external_access = read_flag(v, key);
            break;
        case 'F':
            if (key == "Folders") read_folders(scanner, v, key, out);
            break;
        case 'I':
            if (key == "Id") out.id = read_string(out, v, key);
            else if (key == "Item") read_item(scanner, v, out);
            break;
        case 'L':
            if (key == "LogonType") out.logon_type = read_int(v, key);
            break;
        case 'M':
            if (key == "MailboxOwnerUPN") out.mailbox_owner = read_string(out, v, key);
            else if (key == "MailboxGuid") out.mailbox_guid = read_string(out, v, key);
            else if (key == "Messages") read_folders(scanner, v, key, out);
            break;
        case 'O':
            if (key == "Operation") out.operation = read_string(out, v, key);
            else if (key == "OrganizationId") out.organization_id = read_string(out, v, key);
            else if (key == "ObjectId") out.object_id = read_string(out, v, key);
            else if (key == "OperationCount") out.operation_count = read_int(v, key);
            else if (key == "OperationProperties") {
                read_name_values(out, v, key, [&](std::string_view name, std::string_view value) {
                    if (name == "MailAccessType") out.mail_access_type = view(value);
                    else if (name == "IsThrottled") out.is_throttled = (value == "True" || value == "true") ? 1 : 0;
                });
            }
            break;
        case 'P':
            if (key == "Parameters") {
                ondemand::json_type type;
                check(v.type().get(type), key);
                if (type == ondemand::json_type::string) {
                    out.parameters_text = read_string(out, v, key);
                } else {
                    read_name_values(out, v, key, [&](std::string_view name, std::string_view value) {
                        scanner.parameters.emplace_back(name, value);
                    });
                }
            }
            break;
        case 'R':
            if (key == "RecordType") {
                // Search-UnifiedAuditLog envelopes name the type ("ExchangeItemAggregated"); records number it.
                ondemand::json_type type;
                check(v.type().get(type), key);
                if (type != ondemand::json_type::string) out.record_type = read_int(v, key);
            }
            else if (key == "ResultStatus") out.result_status = read_string(out, v, key);
            break;
        case 'S':
            if (key == "SessionId") out.session_id = read_string(out, v, key);
            break;
        case 'U':
            if (key == "UserId") out.user_id = read_string(out, v, key);
            else if (key == "UserType") out.user_type = read_int(v, key);
            break;
        case 'W':
            if (key == "Workload") out.workload = read_string(out, v, key);
            break;
        default:
            break;
        }
    }
    const char *rest;
    if (doc.current_location().get(rest) == SUCCESS) fail("trailing content after the JSON object");
    return envelope;
}

}  // namespace

extern "C" {

mh_scanner *mh_scanner_create(void) {
    try {
        return new mh_scanner();
    } catch (...) {
        return nullptr;
    }
}

void mh_scanner_destroy(mh_scanner *scanner) { delete scanner; }

int mh_scan_record(mh_scanner *scanner, const char *json, size_t len, size_t capacity, mh_ual_record *out) {
    try {
        std::string_view enveloped;
        Envelope envelope = scan_object(*scanner, scanner->outer, padded_string_view(json, len, capacity), *out, enveloped);
        if (envelope != Envelope::none) {
            // The inner record is parsed by the second parser: `enveloped` lives in the first one's buffers.
            scanner->envelope_record.assign(enveloped.data(), enveloped.size());
            scanner->envelope_record.append(SIMDJSON_PADDING, ' ');
            std::string_view inner_view;
            Envelope nested = scan_object(*scanner, scanner->inner,
                                          padded_string_view(scanner->envelope_record.data(), enveloped.size(),
                                                             scanner->envelope_record.size()),
                                          *out, inner_view);
            if (nested != Envelope::none) fail("AuditData holds another envelope");
        }
        out->folder_count = scanner->folders.size();
        out->parameter_count = scanner->parameters.size();
        return 0;
    } catch (const ScanFailure &failure) {
        scanner->error = failure.reason;
    } catch (const std::exception &e) {
        scanner->error = e.what();
    }
    return -1;
}

const char *mh_scanner_error(const mh_scanner *scanner) { return scanner->error.c_str(); }

mh_str mh_scanner_folder(const mh_scanner *scanner, size_t index) { return view(scanner->folders[index]); }

mh_str mh_scanner_parameter_name(const mh_scanner *scanner, size_t index) {
    return view(scanner->parameters[index].first);
}

mh_str mh_scanner_parameter_value(const mh_scanner *scanner, size_t index) {
    return view(scanner->parameters[index].second);
}

}  // extern "C"
