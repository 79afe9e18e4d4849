// A small C face over simdjson On-Demand for Microsoft 365 audit records.
// The scanner reads one record (or a Search-UnifiedAuditLog envelope holding one in
// "AuditData") and exposes the fields mailhound normalizes as views that stay valid
// until the next call on the same scanner.
#ifndef MAILHOUND_AUDIT_JSON_H
#define MAILHOUND_AUDIT_JSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes the caller must leave readable after a record (simdjson's SIMDJSON_PADDING).
#define MH_JSON_PADDING 64

typedef struct {
    const char *ptr;  // NULL when the key was absent or JSON null
    size_t len;
} mh_str;

typedef struct {
    mh_str id, creation_time, operation, organization_id, workload, result_status;
    mh_str user_id, client_ip, client_ip_address, client_info, app_id, client_app_id;
    mh_str mailbox_owner, mailbox_guid, session_id, mail_access_type, object_id;
    mh_str parameters_text;  // Security & Compliance cmdlets carry Parameters as one string
    int64_t record_type, user_type, logon_type, operation_count;  // -1 when absent
    int32_t external_access, is_throttled;                         // -1 absent, 0 false, 1 true
    int64_t items, bytes;  // counted from Folders[].FolderItems[] / Item
    int32_t unescaped_nul;  // 1 when a string unescaped out of the JSON holds a NUL byte
    size_t folder_count, parameter_count;
} mh_ual_record;

typedef struct mh_scanner mh_scanner;

mh_scanner *mh_scanner_create(void);
void mh_scanner_destroy(mh_scanner *scanner);

/// Parses `len` bytes at `json`; `capacity` >= len + MH_JSON_PADDING bytes must be readable.
/// Returns 0 and fills `out`, or -1 with a reason in mh_scanner_error().
int mh_scan_record(mh_scanner *scanner, const char *json, size_t len, size_t capacity, mh_ual_record *out);
const char *mh_scanner_error(const mh_scanner *scanner);

mh_str mh_scanner_folder(const mh_scanner *scanner, size_t index);
mh_str mh_scanner_parameter_name(const mh_scanner *scanner, size_t index);
mh_str mh_scanner_parameter_value(const mh_scanner *scanner, size_t index);

#ifdef __cplusplus
}
#endif

#endif
