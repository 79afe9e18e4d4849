--
-- PostgreSQL database dump
--

--
-- Name: analyst; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA analyst;

--
-- Name: SCHEMA analyst; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA analyst IS 'Stable, documented views for analysts; installed by mailhound migrate, never dropped under what is built on them.';

--
-- Name: mailhound; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA mailhound;

--
-- Name: active_hours(timestamp with time zone, timestamp with time zone); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.active_hours(first_seen timestamp with time zone, last_seen timestamp with time zone) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 5ae89b77fb738beebc018e25580463ab128f249ab42dc3d0afc9a1192189090c $$;

--
-- Name: FUNCTION active_hours(first_seen timestamp with time zone, last_seen timestamp with time zone); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.active_hours(first_seen timestamp with time zone, last_seen timestamp with time zone) IS 'The UTC hours from a session''s first record to its last (all 24 from a day on), as a 24-bit mask: bit h is hour h.';

--
-- Name: add_fresh_coverage(pg_snapshot, pg_snapshot); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.add_fresh_coverage(since pg_snapshot, upto pg_snapshot) RETURNS void
    LANGUAGE plpgsql
    AS $_$ -- body: sha256 a880411db66c5019529a5b5b35d21c77d6a5d02466a6a6a23709c1679425e7d9 $_$;

--
-- Name: FUNCTION add_fresh_coverage(since pg_snapshot, upto pg_snapshot); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.add_fresh_coverage(since pg_snapshot, upto pg_snapshot) IS 'Adds the events counted in pg_temp.coverage_fresh and the web requests stored between two snapshots to the coverage counts; run by count_coverage and count_coverage_from_session_counts.';

--
-- Name: allowlist_in_use(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.allowlist_in_use() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ -- body: sha256 de3f9676f41a44d7fe4cc3f3e5c5c47acaec8897c3e1a288e683d3e805da85f6 $$;

--
-- Name: FUNCTION allowlist_in_use(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.allowlist_in_use() IS 'Whether the allow-list holds an entry or any finding is suppressed: when not, applying it changes nothing.';

--
-- Name: apply_allowlist(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.apply_allowlist() RETURNS bigint
    LANGUAGE sql
    AS $$ -- body: sha256 c1b20e4ea244ed5ff7181160d5b139106fd989d68c7ec7713da7246c924e6a79 $$;

--
-- Name: FUNCTION apply_allowlist(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.apply_allowlist() IS 'Marks each finding with the first allow-list entry in force that matches it (or none); returns how many are suppressed. Run by detect and by mailhound allow add|remove.';

--
-- Name: baseline_days(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.baseline_days() RETURNS integer
    LANGUAGE sql STABLE
    AS $$ -- body: sha256 6d1f288484e54b23e0061cb07a52b97a9e021c697017c6b6e21b9a6269f53b6d $$;

--
-- Name: FUNCTION baseline_days(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.baseline_days() IS 'Days of history baselines read: the setting mailhound.baseline_days (set by detect --baseline-days), else 30.';

--
-- Name: build_session_part(integer, integer); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.build_session_part(part integer, parts integer) RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 2d2b6172e30d7c8fbbddda59316fd71e3244996522b7fee32cbf948651ca38c8 $$;

--
-- Name: FUNCTION build_session_part(part integer, parts integer); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.build_session_part(part integer, parts integer) IS 'Adds the sessions of one part of the groups to mailhound.session_parts; run by detect --full on a connection of its own.';

--
-- Name: changed_from(pg_snapshot); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.changed_from(since pg_snapshot) RETURNS timestamp with time zone
    LANGUAGE plpgsql STABLE
    AS $_$ -- body: sha256 4def36acb8eaddd4482a486e459bd3c31fcace210c6211351bea7ffff6adad64 $_$;

--
-- Name: FUNCTION changed_from(since pg_snapshot); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.changed_from(since pg_snapshot) IS 'Earliest occurred_at of the events and web requests stored by transactions the snapshot could not see; null when there are none.';

--
-- Name: combine_points_exactly(numeric, integer); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.combine_points_exactly(remaining numeric, points integer) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $$ -- body: sha256 6a2d9734ef1a466e40531a39a3f1459c4fd065642a5b81af37447c81c7ff83a2 $$;

--
-- Name: combined_points_score(numeric); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.combined_points_score(remaining numeric) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE
    AS $$ -- body: sha256 0410dfc002c9d895f10d6bdad7e8229e7777837fc6b776a83702daacbaa8657f $$;

--
-- Name: consented_app_ids(text, text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.consented_app_ids(raw text, object_id text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 77b67f1c309793494ca3fb040159b0720919a659c3f41d4cd10021cb0e1198b2 $$;

--
-- Name: FUNCTION consented_app_ids(raw text, object_id text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.consented_app_ids(raw text, object_id text) IS 'The ids (lower case) by which the records of an app a consent let in name it: the service principal''s (ObjectId) and the application id of TargetId.ServicePrincipalNames or a Target of type 4.';

--
-- Name: consented_mail_scopes(text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.consented_mail_scopes(raw text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 595d73198d1f092cd7afde53ac9e45f8f5041d5aa9323a6e2bac85f896aadb7d $$;

--
-- Name: FUNCTION consented_mail_scopes(raw text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.consented_mail_scopes(raw text) IS 'The delegated mail-reading scopes (Mail.Read..., EWS/IMAP/POP.AccessAsUser.All, full_access_as_user) a consent record grants, space-separated; null when none.';

--
-- Name: count_coverage(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.count_coverage() RETURNS void
    LANGUAGE plpgsql
    SET work_mem TO '256MB'
    AS $_$ -- body: sha256 ff27f181113be92bc2132ef949acc1b87f2b3e36b2947b66954afcae80be7487 $_$;

--
-- Name: FUNCTION count_coverage(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.count_coverage() IS 'Adds the records stored since the last count to mailhound.file_days and mailhound.mailbox_read_logging (all records when mailhound.coverage_counts is empty); run by refresh_blind_windows().';

--
-- Name: count_coverage_from_session_counts(pg_snapshot); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.count_coverage_from_session_counts(counted pg_snapshot) RETURNS boolean
    LANGUAGE plpgsql
    SET work_mem TO '256MB'
    AS $$ -- body: sha256 d94a0508933bc937dcf2a9d54fff780b0c25de14acc556146a8f7f31c19bc1e0 $$;

--
-- Name: FUNCTION count_coverage_from_session_counts(counted pg_snapshot); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.count_coverage_from_session_counts(counted pg_snapshot) IS 'Counts mailhound.file_days and mailhound.mailbox_read_logging from scratch out of mailhound.session_counts, when the coverage has never been counted; run by detect --full.';

--
-- Name: count_group_history(pg_snapshot); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.count_group_history(since pg_snapshot) RETURNS bigint
    LANGUAGE plpgsql
    SET enable_indexscan TO 'off'
    SET enable_nestloop TO 'off'
    AS $$ -- body: sha256 7aa219bef50d61a1fec537d56731bf81833a0e9c887091bf0aa77bd4abceb564 $$;

--
-- Name: FUNCTION count_group_history(since pg_snapshot); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.count_group_history(since pg_snapshot) IS 'Counts into mailhound.session_counts the records the snapshot could see of the groups in mailhound.rebuild_groups, from each group''s cut_from on. Run by mailhound detect.';

--
-- Name: count_session_events(pg_snapshot, bigint, bigint); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.count_session_events(since pg_snapshot, first_block bigint, last_block bigint) RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 2b6edcee258e483ef40625e641be82437e2019fb605e4d6558e58da98f115981 $$;

--
-- Name: FUNCTION count_session_events(since pg_snapshot, first_block bigint, last_block bigint); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.count_session_events(since pg_snapshot, first_block bigint, last_block bigint) IS 'Counts records into mailhound.session_counts, one row per distinct set of the values a session gathers: the events in a range of the table''s blocks (since null), or those stored by transactions the snapshot could not see. Run by mailhound detect.';

--
-- Name: count_session_rows(text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.count_session_rows(scoped text) RETURNS bigint
    LANGUAGE plpgsql
    SET enable_sort TO 'off'
    AS $_$ -- body: sha256 a5ee54ca0423e7ecd709a8173b0eea5124d6d9c334c48d2700a4c0c24228e85e $_$;

--
-- Name: FUNCTION count_session_rows(scoped text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.count_session_rows(scoped text) IS 'Counts the records a from clause selects (the events named e) into mailhound.session_counts, one row per distinct set of the values a session gathers. Run by mailhound detect.';

--
-- Name: sessions; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.sessions (
    tenant text NOT NULL,
    session_id text NOT NULL,
    session_group text NOT NULL,
    actor text,
    actor_kind text NOT NULL,
    client_ip inet,
    client_ips inet[] NOT NULL,
    client text,
    source_session_id text,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    events integer NOT NULL,
    items bigint NOT NULL,
    bytes bigint NOT NULL,
    mailbox_owners text[] NOT NULL,
    access_types text[] NOT NULL,
    operations text[] NOT NULL,
    session_key bigint NOT NULL,
    clients text[]
);
ALTER TABLE ONLY mailhound.sessions ALTER COLUMN session_group SET STATISTICS 0;
ALTER TABLE ONLY mailhound.sessions ALTER COLUMN client SET STATISTICS 0;
ALTER TABLE ONLY mailhound.sessions ALTER COLUMN clients SET STATISTICS 0;

--
-- Name: TABLE sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.sessions IS 'Activity grouped into sessions: by SessionId when the records carry one, else by actor, client address and app with a 30-minute inactivity gap.';

--
-- Name: COLUMN sessions.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN sessions.session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.session_id IS 'Session id: 16 hex digits, stable across reruns for the same records.';

--
-- Name: COLUMN sessions.session_group; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.session_group IS 'The grouping key its events share (see mailhound.events.session_group).';

--
-- Name: COLUMN sessions.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.actor IS 'Who acted.';

--
-- Name: COLUMN sessions.actor_kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.actor_kind IS 'Most privileged kind seen in the session: system > app > admin > delegate > user.';

--
-- Name: COLUMN sessions.client_ip; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.client_ip IS 'Most frequent client address.';

--
-- Name: COLUMN sessions.client_ips; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.client_ips IS 'Every client address seen in the session.';

--
-- Name: COLUMN sessions.client; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.client IS 'Client: ClientInfoString, else the app id.';

--
-- Name: COLUMN sessions.source_session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.source_session_id IS 'The records'' SessionId, when the session was built from it.';

--
-- Name: COLUMN sessions.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.first_seen IS 'First event (UTC).';

--
-- Name: COLUMN sessions.last_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.last_seen IS 'Last event (UTC).';

--
-- Name: COLUMN sessions.events; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.events IS 'Number of records in the session.';

--
-- Name: COLUMN sessions.items; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.items IS 'Items accessed (sum of events.items).';

--
-- Name: COLUMN sessions.bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.bytes IS 'Bytes of the items listed, in bytes.';

--
-- Name: COLUMN sessions.mailbox_owners; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.mailbox_owners IS 'Distinct mailboxes touched, lower-case.';

--
-- Name: COLUMN sessions.access_types; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.access_types IS 'Distinct MailAccessType values (Bind, Sync).';

--
-- Name: COLUMN sessions.operations; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.operations IS 'Distinct operations in the session.';

--
-- Name: COLUMN sessions.session_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.session_key IS 'The group''s key as mailhound.events.session_key holds it: a 64-bit hash of the tenant and session_group.';

--
-- Name: COLUMN sessions.clients; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.sessions.clients IS 'Every client seen in the session (ClientInfoString, else the app id); null for sessions cut before migration 0043 until a run cuts them again.';

--
-- Name: cut_sessions(integer, integer); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.cut_sessions(part integer, parts integer) RETURNS SETOF mailhound.sessions
    LANGUAGE plpgsql STABLE
    AS $$ -- body: sha256 8b153337bae4b90c47b6b2002890ad4aac33f6beb1026fd7c546d1554ae6758c $$;

--
-- Name: FUNCTION cut_sessions(part integer, parts integer); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.cut_sessions(part integer, parts integer) IS 'The sessions cut from the rows counted in mailhound.session_counts: of every group counted, or with parts > 1 only of the groups whose key modulo parts is part.';

--
-- Name: defer_session_index(bigint); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.defer_session_index(incoming_bytes bigint) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ -- body: sha256 d8317fa56f7f5cbd951160bd155661f3aef4e725ee23c14c36579a95bc6ed004 $$;

--
-- Name: FUNCTION defer_session_index(incoming_bytes bigint); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.defer_session_index(incoming_bytes bigint) IS 'Drops the group-key index of mailhound.events before a load at least four times the stored events, to build it once at the end (restore_deferred_indexes); true when it did.';

--
-- Name: derived_record_id(uuid, bigint); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.derived_record_id(id uuid, content_hash bigint) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 982e567abf1b2ebec23a798d70156303b31f9ca3c270fc6bd1dd4dcba3e0e61e $$;

--
-- Name: FUNCTION derived_record_id(id uuid, content_hash bigint); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.derived_record_id(id uuid, content_hash bigint) IS 'Key of a record stored under key_source = ''conflict'': md5 of its own id and its content hash, as a uuid.';

--
-- Name: display_text(timestamp with time zone); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.display_text(t timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$ -- body: sha256 dadcdb69c6a35d43de6f3e25b3a6075cb67f6c56e8bb53cc3059a41295ff80ad $$;

--
-- Name: FUNCTION display_text(t timestamp with time zone); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.display_text(t timestamp with time zone) IS 'The time as ISO 8601 text: UTC with Z, or in the zone the setting mailhound.display_zone names, with its offset.';

--
-- Name: fill_session_keys(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.fill_session_keys() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ -- body: sha256 a701fa019a3a30fb309e99a890b0e10ccb0ad756bceacaf5dda337fda0fb5950 $$;

--
-- Name: FUNCTION fill_session_keys(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.fill_session_keys() IS 'Sets the session key of events stored without one (ingest leaves a few to the server); returns how many.';

--
-- Name: history_from(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.history_from() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$ -- body: sha256 bfdfd3e0fc2b8b7fc05a71159733b932c010151020eada9ae4930149dc9abe2e $$;

--
-- Name: FUNCTION history_from(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.history_from() IS 'Earliest session a baseline of a judged session can read: judged_from() less baseline_days() + 1 days.';

--
-- Name: hold_events_for_load(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.hold_events_for_load() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ -- body: sha256 ad0f55b8ed72761cbcd0f6132efa84d830c9fd5de8c531e0e8abf8059c80556f $$;

--
-- Name: FUNCTION hold_events_for_load(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.hold_events_for_load() IS 'Keeps autovacuum off mailhound.events for the rest of the caller''s transaction (a large load); true when it could.';

--
-- Name: is_distributed(regclass); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.is_distributed(target regclass) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$ -- body: sha256 edec62ffa000b1dcafcf8754b058e30bad96a40a3ccbd43c9f8e8fd1f188a852 $_$;

--
-- Name: FUNCTION is_distributed(target regclass); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.is_distributed(target regclass) IS 'Whether Citus keeps the table on its workers (distributed or reference); false without Citus.';

--
-- Name: judged_from(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.judged_from() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$ -- body: sha256 3ec0002409f72a2fe52f191f452b35d7bcddb7a546847d109f623a52b38a1551 $$;

--
-- Name: FUNCTION judged_from(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.judged_from() IS 'Sessions beginning at or after this time are judged: the setting mailhound.judged_from (set by an incremental detect), else -infinity (every session).';

--
-- Name: network_block(inet); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.network_block(address inet) RETURNS cidr
    LANGUAGE sql IMMUTABLE
    AS $$ -- body: sha256 66659fbab6778454ebaf98095e1ba5676452d571c1ba6cbc0094477b4799d822 $$;

--
-- Name: FUNCTION network_block(address inet); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.network_block(address inet) IS 'The /24 (IPv4) or /64 (IPv6) block holding the address: what "the same network" means without an IP-to-ASN table.';

--
-- Name: network_owner(inet); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.network_owner(address inet) RETURNS TABLE(asn integer, country text, name text)
    LANGUAGE sql STABLE
    AS $$ -- body: sha256 ddc8e14de890c5ada4aea254158990332bfa0da39505d395b3e7906358ad5a19 $$;

--
-- Name: FUNCTION network_owner(address inet); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.network_owner(address inet) IS 'The AS number, country and name routing an address, from mailhound.network_owners; no row when unknown.';

--
-- Name: parameter_list(jsonb); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.parameter_list(parameters jsonb) RETURNS SETOF jsonb
    LANGUAGE sql IMMUTABLE
    AS $$ -- body: sha256 a1f164f13cdd1353ec9ed8d7b2380e9549de9dffd517d25e9fca580974164a8d $$;

--
-- Name: FUNCTION parameter_list(parameters jsonb); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.parameter_list(parameters jsonb) IS 'The elements of a cmdlet parameter array ({"Name":...,"Value":...}), one a row; none for null or a non-array.';

--
-- Name: parameter_text(jsonb); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.parameter_text(parameters jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ -- body: sha256 559b87aaefc40ff0d39d98173a78f7cf060ed7b47da14bd9cf0c726271615c10 $$;

--
-- Name: FUNCTION parameter_text(parameters jsonb); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.parameter_text(parameters jsonb) IS 'Cmdlet parameters [{"Name":...,"Value":...}] as one line: -Name Value -Name Value.';

--
-- Name: parameter_value(jsonb, text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.parameter_value(parameters jsonb, name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ -- body: sha256 46bb9127c72996ba3292858ad20726c4e75b5dfb2c5b7a259878e3844e2a6c8e $$;

--
-- Name: FUNCTION parameter_value(parameters jsonb, name text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.parameter_value(parameters jsonb, name text) IS 'Value of the cmdlet parameter with this name (case-insensitive), e.g. parameter_value(parameters, ''AccessRights'').';

--
-- Name: rebuild_sessions(pg_snapshot); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.rebuild_sessions(since pg_snapshot) RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 341d37a5648d40f951922fe30f97c8addc3d258fd6fe94f87fabdecd71f17b0c $$;

--
-- Name: FUNCTION rebuild_sessions(since pg_snapshot); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.rebuild_sessions(since pg_snapshot) IS 'Rebuilds mailhound.sessions from mailhound.events: all of them (null), or the groups with rows stored by transactions this snapshot could not see; returns the sessions built. Run by mailhound detect.';

--
-- Name: record_app(text, text, text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.record_app(client_app_id text, app_id text, client_info text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 e3ca60c3caa33068a0c409af59e13691cabcb0ea372035ee3c092be420356886 $$;

--
-- Name: FUNCTION record_app(client_app_id text, app_id text, client_info text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.record_app(client_app_id text, app_id text, client_info text) IS 'The app that names a record''s session group without a SessionId: its client app id, else its app id, else its client info.';

--
-- Name: refresh_account_scores(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_account_scores() RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 8a7361ba13fe8c631f94e1d40c4dda87574972e3c015f83b6c7cc579ee25b40a $$;

--
-- Name: FUNCTION refresh_account_scores(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_account_scores() IS 'Scores the accounts again (mailhound.account_scores) from the unsuppressed findings: every one, or in an incremental detect those whose sessions it judged or that detectors judged whole find; returns the accounts scored. Run by mailhound detect, allow add/remove and prune.';

--
-- Name: refresh_actor_days(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_actor_days() RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 b4e9993c3eaafb642ee4120f5723ce3d68661ae527d11c9389ada66925df77f0 $$;

--
-- Name: FUNCTION refresh_actor_days(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_actor_days() IS 'Writes mailhound.actor_days from the sessions: each identity''s sessions of a day from one address and client, rolled up; in an incremental detect, the days from judged_from() on. Run by detect and prune.';

--
-- Name: refresh_blind_windows(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_blind_windows() RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 523ac2871ee477fa69bf55f55b20d8c17577828480bb44df3b42889778f6b4b3 $$;

--
-- Name: FUNCTION refresh_blind_windows(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_blind_windows() IS 'Rebuilds mailhound.blind_windows from the coverage counts, throttled records, checkpoints and audit-tampering findings; run by refresh_coverage().';

--
-- Name: refresh_coverage(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_coverage() RETURNS bigint
    LANGUAGE plpgsql
    AS $_$ -- body: sha256 97945f08c2221b8011014ef2524ccf2670a66834e4ec2a12270aebbfab4d0cb6 $_$;

--
-- Name: FUNCTION refresh_coverage(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_coverage() IS 'Rebuilds mailhound.blind_windows (refresh_blind_windows() plus server gaps and capped exports of records loaded before); run by mailhound detect and mailhound coverage.';

--
-- Name: refresh_mailbox_touches(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_mailbox_touches() RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 fe28a67ac36ccaa144f15c2ea104660f41ad1f22b872bd0ea7507a9f061ac468 $$;

--
-- Name: FUNCTION refresh_mailbox_touches(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_mailbox_touches() IS 'Writes mailhound.mailbox_touches from the sessions: every touch of another mailbox, with the same identity''s previous touch of it; in an incremental detect, those from judged_from() on. Run by detect and prune.';

--
-- Name: refresh_session_scores(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_session_scores() RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 9a3a233fdcb6176902bc9dfc7e21e747bec54326c698a0db09202bb48f455b83 $$;

--
-- Name: FUNCTION refresh_session_scores(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_session_scores() IS 'Brings mailhound.session_scores up to the unsuppressed findings, writing only the scores that changed; returns the sessions scored anew. Run by mailhound detect and allow add/remove.';

--
-- Name: refresh_shared_mailboxes(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_shared_mailboxes() RETURNS bigint
    LANGUAGE plpgsql
    AS $$ -- body: sha256 4f62211e66cd882b8a28fc9c7271ce6a78667fb0c01b8a08e40eb8e9284e3ff3 $$;

--
-- Name: FUNCTION refresh_shared_mailboxes(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_shared_mailboxes() IS 'Rebuilds mailhound.shared_mailboxes from the sessions; run by mailhound detect before the detectors.';

--
-- Name: refresh_statistics(regclass[]); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_statistics(VARIADIC tables regclass[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ -- body: sha256 970e7ae2b3d177a520faaa31ab06fab2831b7c349a431c928675e202afb16b33 $$;

--
-- Name: FUNCTION refresh_statistics(VARIADIC tables regclass[]); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_statistics(VARIADIC tables regclass[]) IS 'Analyzes mailhound tables as their owner, for the roles that write them without owning them.';

--
-- Name: refresh_statistics_if_moved(regclass, bigint); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_statistics_if_moved(target regclass, written bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$ -- body: sha256 3a077ccd3d772d8a33eba11a508f4085479a006a0d5338c0a28eef79c022770c $$;

--
-- Name: FUNCTION refresh_statistics_if_moved(target regclass, written bigint); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_statistics_if_moved(target regclass, written bigint) IS 'Analyzes a mailhound table (refresh_statistics) when the rows just written are more than a twentieth of it.';

--
-- Name: refresh_tenant_spans(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_tenant_spans() RETURNS void
    LANGUAGE plpgsql
    AS $$ -- body: sha256 0f03330445d4358dc38b9935b10f01defd2f478acd5365e2a3e798736c9eced5 $$;

--
-- Name: FUNCTION refresh_tenant_spans(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_tenant_spans() IS 'Writes mailhound.tenant_spans from the sessions: each tenant''s first and last session, records, sessions and working hours; and mailhound.session_item_counts. Run by detect and prune.';

--
-- Name: refresh_working_hours(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.refresh_working_hours() RETURNS void
    LANGUAGE plpgsql
    AS $$ -- body: sha256 4a7418644072d5179695ff304773ab20f071769c60eab4a00970d5c380367bff $$;

--
-- Name: FUNCTION refresh_working_hours(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.refresh_working_hours() IS 'Writes each tenant''s working hours to mailhound.tenant_spans from the last 7 days of its people''s sessions. Run by detect and refresh_tenant_spans().';

--
-- Name: restore_deferred_indexes(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.restore_deferred_indexes() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ -- body: sha256 c706421e8924111925544172d1a9820d71e2b61e280b6a5513a04e4d15e52931 $$;

--
-- Name: FUNCTION restore_deferred_indexes(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.restore_deferred_indexes() IS 'Builds again the indexes a large load dropped (mailhound.deferred_indexes) unless that load is still running; returns how many.';

--
-- Name: routine(text, text, timestamp with time zone, inet, text[], text[]); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.routine(tenant text, actor text, first_seen timestamp with time zone, client_ip inet, mailbox_owners text[], access_types text[]) RETURNS TABLE(days integer, looked_ahead boolean, routine boolean)
    LANGUAGE sql STABLE COST 100000 ROWS 1
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$ -- body: sha256 59d541f1d3cc6fd8bafd8598a1f5388cf929d345c881537218cbdb03495fdd7c $$;

--
-- Name: FUNCTION routine(tenant text, actor text, first_seen timestamp with time zone, client_ip inet, mailbox_owners text[], access_types text[]); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.routine(tenant text, actor text, first_seen timestamp with time zone, client_ip inet, mailbox_owners text[], access_types text[]) IS 'Days the identity began a like session (same /24 or /64, within 2 hours of the time of day, a shared mailbox and access type) in the baseline window before, or for the data''s first window also after; routine when 5 or more.';

--
-- Name: score_scope(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.score_scope() RETURNS TABLE(everything boolean, judged_from timestamp with time zone, judged_whole text[], found_whole text[])
    LANGUAGE plpgsql STABLE
    AS $$ -- body: sha256 8503a907ad3dc8c401d5f494ca0ecdc87acf649441d999516dc67a6a4126d950 $$;

--
-- Name: FUNCTION score_scope(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.score_scope() IS 'Which stored scores a score refresh compares: all (everything), or those of the sessions from judged_from on and of the sessions a detector judged whole (the setting mailhound.judged_whole, set by detect) finds now (found_whole) or found before.';

--
-- Name: session_group(text, text, inet, text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.session_group(actor text, source_session_id text, client_ip inet, app text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 3ebd37a67fd15a62076182d5a8b34533880ec651b97836af1940603fe9a9e2b3 $$;

--
-- Name: FUNCTION session_group(actor text, source_session_id text, client_ip inet, app text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.session_group(actor text, source_session_id text, client_ip inet, app text) IS 'The text naming a record''s session group (actor and SessionId, or actor, address and app); mailhound.events.session_key hashes the tenant and this text.';

--
-- Name: session_key_of(text, text, text, inet, text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.session_key_of(tenant text, actor text, source_session_id text, client_ip inet, app text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 3b110c2d3b32f60277f96e2dfb8fdae1af3c147235aceb5f9b33c297a9eeec11 $$;

--
-- Name: FUNCTION session_key_of(tenant text, actor text, source_session_id text, client_ip inet, app text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.session_key_of(tenant text, actor text, source_session_id text, client_ip inet, app text) IS 'The session key of a record (mailhound.events.session_key): a 64-bit hash of the tenant and mailhound.session_group().';

--
-- Name: sessions_from_parts(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.sessions_from_parts() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET enable_hashjoin TO 'off'
    SET enable_mergejoin TO 'off'
    AS $$ -- body: sha256 fbe02da68c533f603fe6015729e4636f7f7f8bcf70abdd476cc2cd732b7c15d6 $$;

--
-- Name: FUNCTION sessions_from_parts(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.sessions_from_parts() IS 'Replaces mailhound.sessions with the parts built by build_session_part(), keeping the findings of the sessions still there and the scores of those unchanged; returns the sessions.';

--
-- Name: severity_band(integer); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.severity_band(score integer) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$ -- body: sha256 9009c00c20c8bda5e923525d5a5d5bf96fad03d91177af4d60c5c7b3b271309e $$;

--
-- Name: FUNCTION severity_band(score integer); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.severity_band(score integer) IS 'critical (>= 85), high (>= 65), medium (>= 40) or low.';

--
-- Name: stored_after(bigint, pg_snapshot); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.stored_after(loaded_txid bigint, since pg_snapshot) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$ -- body: sha256 2079c9282091a0beac3304b4cc87aecd00db5cdd47289b09223264f6e9f972d8 $$;

--
-- Name: FUNCTION stored_after(loaded_txid bigint, since pg_snapshot); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.stored_after(loaded_txid bigint, since pg_snapshot) IS 'True for a row whose loaded_txid is a transaction the snapshot could not see: stored after it.';

--
-- Name: summarize_new_records(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.summarize_new_records() RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET lock_timeout TO '200ms'
    AS $$ -- body: sha256 688f9337a693437a0c7568ec4a56bc4492ede054dd203c6d2ddb9ed76bf1a20a $$;

--
-- Name: FUNCTION summarize_new_records(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.summarize_new_records() IS 'Summarizes the block ranges of the events'' and web requests'' load-order indexes filled since they were last summarized, so reads of the records stored after a snapshot read only their pages; false when a load or vacuum holds the tables. Run by mailhound detect.';

--
-- Name: utc_text(timestamp with time zone); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.utc_text(t timestamp with time zone) RETURNS text
    LANGUAGE sql STABLE
    AS $$ -- body: sha256 b59dda4a60f54d667b48f9931250fcaf3c1e354cefc687a785ac90548d7fb79e $$;

--
-- Name: FUNCTION utc_text(t timestamp with time zone); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.utc_text(t timestamp with time zone) IS 'The time as ISO 8601 UTC text, e.g. 2021-03-02T02:10:04Z.';

--
-- Name: values_digest_of(text, text, text, text, inet, text, text, text, text, text, text); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.values_digest_of(tenant text, actor text, source_session_id text, actor_kind text, client_ip inet, client_info text, client_app_id text, app_id text, mailbox_owner text, access_type text, operation text) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ -- body: sha256 b4f2e6b8f53081e24aa7a15e68c2d6ce6bc108150bb68b10c9d4e872e2ed56fa $$;

--
-- Name: FUNCTION values_digest_of(tenant text, actor text, source_session_id text, actor_kind text, client_ip inet, client_info text, client_app_id text, app_id text, mailbox_owner text, access_type text, operation text); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.values_digest_of(tenant text, actor text, source_session_id text, actor_kind text, client_ip inet, client_info text, client_app_id text, app_id text, mailbox_owner text, access_type text, operation text) IS 'The values a session gathers from a record as a 128-bit digest (mailhound.events.values_digest): the first 16 bytes of the SHA-256 of their text.';

--
-- Name: visible_tenants(); Type: FUNCTION; Schema: mailhound; Owner: -
--

CREATE FUNCTION mailhound.visible_tenants() RETURNS text[]
    LANGUAGE plpgsql STABLE
    AS $$ -- body: sha256 a1ef785395183ee842b94dc6894af2d3bfe1fc1e4ca712daca68e42e5523a7f6 $$;

--
-- Name: FUNCTION visible_tenants(); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON FUNCTION mailhound.visible_tenants() IS 'Tenants the current role sees through the analyst views: null for all, else those bound to it in mailhound.tenant_access.';

--
-- Name: combined_score(integer); Type: AGGREGATE; Schema: mailhound; Owner: -
--

CREATE AGGREGATE mailhound.combined_score(integer) (
    SFUNC = mailhound.combine_points_exactly,
    STYPE = numeric,
    INITCOND = '1',
    FINALFUNC = mailhound.combined_points_score
);

--
-- Name: AGGREGATE combined_score(integer); Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON AGGREGATE mailhound.combined_score(integer) IS 'Score 0-100 of a set of findings'' points: 100 * (1 - product of (1 - points/100)), points capped at 99, computed exactly (a half rounds up), whatever order the points come in.';

--
-- Name: actor_days; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.actor_days (
    tenant text NOT NULL,
    actor_key text NOT NULL,
    day date NOT NULL,
    client_ip inet,
    client text,
    sessions integer NOT NULL,
    last_start timestamp with time zone NOT NULL,
    start_hours integer NOT NULL,
    active_hours integer NOT NULL,
    mail_reads integer NOT NULL
);

--
-- Name: TABLE actor_days; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.actor_days IS 'Each identity''s sessions of a UTC day from one address and client, rolled up: how many, the latest start, and the hours they began and were active in; written by every detection run for the days it judges, and by prune.';

--
-- Name: COLUMN actor_days.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.tenant IS 'The tenant the sessions belong to.';

--
-- Name: COLUMN actor_days.actor_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.actor_key IS 'The actor, lower-case.';

--
-- Name: COLUMN actor_days.day; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.day IS 'The UTC day the sessions began on.';

--
-- Name: COLUMN actor_days.client_ip; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.client_ip IS 'The sessions'' main address (mailhound.sessions.client_ip); null for sessions without one.';

--
-- Name: COLUMN actor_days.client; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.client IS 'The sessions'' main client (mailhound.sessions.client); null for sessions without one.';

--
-- Name: COLUMN actor_days.sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.sessions IS 'How many sessions the actor began that day from that address with that client.';

--
-- Name: COLUMN actor_days.last_start; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.last_start IS 'When the latest of them began (UTC).';

--
-- Name: COLUMN actor_days.start_hours; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.start_hours IS 'The UTC hours the sessions began in, as a 24-bit mask: bit h is hour h.';

--
-- Name: COLUMN actor_days.active_hours; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.active_hours IS 'The UTC hours the sessions were active in (mailhound.active_hours of each, combined), as a 24-bit mask.';

--
-- Name: COLUMN actor_days.mail_reads; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.actor_days.mail_reads IS 'How many of the sessions read mail (MailItemsAccessed, MessageBind or FolderBind) as a person: a user, delegate or admin logon.';

--
-- Name: actor_days; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.actor_days AS
 SELECT actor_days.tenant,
    actor_days.actor_key,
    actor_days.day,
    actor_days.client_ip,
    actor_days.client,
    actor_days.sessions,
    actor_days.last_start,
    actor_days.start_hours,
    actor_days.active_hours,
    actor_days.mail_reads
   FROM mailhound.actor_days
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (actor_days.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW actor_days; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.actor_days IS 'Each identity''s sessions of a UTC day from one address and client, rolled up, as of the latest detection run: what off-hours, slow-breadth, new-client''s look back and the organisation''s blocks read instead of the sessions.';

--
-- Name: COLUMN actor_days.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.tenant IS 'The tenant the sessions belong to.';

--
-- Name: COLUMN actor_days.actor_key; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.actor_key IS 'The actor, lower-case.';

--
-- Name: COLUMN actor_days.day; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.day IS 'The UTC day the sessions began on.';

--
-- Name: COLUMN actor_days.client_ip; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.client_ip IS 'The sessions'' main address (mailhound.sessions.client_ip); null for sessions without one.';

--
-- Name: COLUMN actor_days.client; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.client IS 'The sessions'' main client (mailhound.sessions.client); null for sessions without one.';

--
-- Name: COLUMN actor_days.sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.sessions IS 'How many sessions the actor began that day from that address with that client.';

--
-- Name: COLUMN actor_days.last_start; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.last_start IS 'When the latest of them began (UTC).';

--
-- Name: COLUMN actor_days.start_hours; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.start_hours IS 'The UTC hours the sessions began in, as a 24-bit mask: bit h is hour h.';

--
-- Name: COLUMN actor_days.active_hours; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.active_hours IS 'The UTC hours the sessions were active in (mailhound.active_hours of each, combined), as a 24-bit mask.';

--
-- Name: COLUMN actor_days.mail_reads; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.actor_days.mail_reads IS 'How many of the sessions read mail (MailItemsAccessed, MessageBind or FolderBind) as a person: a user, delegate or admin logon.';

--
-- Name: allowlist; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.allowlist (
    tenant text NOT NULL,
    entry_id bigint NOT NULL,
    actor text,
    app_id text,
    client_network cidr,
    detector_id text,
    reason text NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE allowlist; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.allowlist IS 'Known-good actors, apps or networks; matching findings are kept but marked suppressed.';

--
-- Name: COLUMN allowlist.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.tenant IS 'Tenant the entry applies to.';

--
-- Name: COLUMN allowlist.entry_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.entry_id IS 'Entry number.';

--
-- Name: COLUMN allowlist.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.actor IS 'Actor to match (case-insensitive); null matches any.';

--
-- Name: COLUMN allowlist.app_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.app_id IS 'App id to match against the session''s events; null matches any.';

--
-- Name: COLUMN allowlist.client_network; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.client_network IS 'Network the session''s address must be in; null matches any.';

--
-- Name: COLUMN allowlist.detector_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.detector_id IS 'Detector to suppress; null suppresses all.';

--
-- Name: COLUMN allowlist.reason; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.reason IS 'Why this is benign (ticket, owner).';

--
-- Name: COLUMN allowlist.expires_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.expires_at IS 'Entry stops applying after this wall-clock time; null never expires.';

--
-- Name: COLUMN allowlist.created_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.allowlist.created_at IS 'When it was added.';

--
-- Name: allowlist; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.allowlist AS
 SELECT allowlist.tenant,
    allowlist.entry_id,
    allowlist.actor,
    allowlist.app_id,
    allowlist.client_network,
    allowlist.detector_id,
    allowlist.reason,
    allowlist.expires_at,
    allowlist.created_at
   FROM mailhound.allowlist
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (allowlist.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW allowlist; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.allowlist IS 'Allow-list entries that suppress findings.';

--
-- Name: COLUMN allowlist.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.tenant IS 'Tenant the entry applies to.';

--
-- Name: COLUMN allowlist.entry_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.entry_id IS 'Entry number.';

--
-- Name: COLUMN allowlist.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.actor IS 'Actor to match (case-insensitive); null matches any.';

--
-- Name: COLUMN allowlist.app_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.app_id IS 'App id to match against the session''s events; null matches any.';

--
-- Name: COLUMN allowlist.client_network; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.client_network IS 'Network the session''s address must be in; null matches any.';

--
-- Name: COLUMN allowlist.detector_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.detector_id IS 'Detector to suppress; null suppresses all.';

--
-- Name: COLUMN allowlist.reason; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.reason IS 'Why this is benign (ticket, owner).';

--
-- Name: COLUMN allowlist.expires_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.expires_at IS 'Entry stops applying after this wall-clock time; null never expires.';

--
-- Name: COLUMN allowlist.created_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.allowlist.created_at IS 'When it was added.';

--
-- Name: blind_windows; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.blind_windows (
    window_id bigint NOT NULL,
    tenant text NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    starts_at timestamp with time zone,
    ends_at timestamp with time zone,
    detail text NOT NULL,
    CONSTRAINT blind_windows_kind_check CHECK ((kind = ANY (ARRAY['throttled'::text, 'search-cap'::text, 'source-gap'::text, 'server-gap'::text, 'no-mail-access-audit'::text, 'audit-tampering'::text])))
);

--
-- Name: TABLE blind_windows; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.blind_windows IS 'Blind spots of the loaded data, rebuilt by every detection run and by mailhound coverage: where and when activity could have happened without a record.';

--
-- Name: COLUMN blind_windows.window_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.blind_windows.window_id IS 'Row number of this refresh.';

--
-- Name: COLUMN blind_windows.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.blind_windows.tenant IS 'Tenant the blind spot belongs to.';

--
-- Name: COLUMN blind_windows.kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.blind_windows.kind IS 'throttled (a mailbox hit the MailItemsAccessed throttle: the 24 h after log less than happened), search-cap (a file holds exactly 5,000 or 50,000 records: the export was cut), source-gap (four or more days a source is missing within the data''s span: unified-audit-log, mailbox-audit-csv, admin-audit-csv, httpproxy or iis), server-gap (an on-premises server has no records of a format that other servers have), no-mail-access-audit (a mailbox with no MailItemsAccessed record at all), audit-tampering (auditing switched off or bypassed).';

--
-- Name: COLUMN blind_windows.subject; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.blind_windows.subject IS 'What is blind: a mailbox, a file, a log format or an identity.';

--
-- Name: COLUMN blind_windows.starts_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.blind_windows.starts_at IS 'Start of the blind window; null for the whole data.';

--
-- Name: COLUMN blind_windows.ends_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.blind_windows.ends_at IS 'End of the blind window; null when open-ended or for the whole data.';

--
-- Name: COLUMN blind_windows.detail; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.blind_windows.detail IS 'One sentence: what is missing and why it matters.';

--
-- Name: blind_windows; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.blind_windows AS
 SELECT blind_windows.tenant,
    blind_windows.kind,
    blind_windows.subject,
    blind_windows.starts_at,
    blind_windows.ends_at,
    blind_windows.detail
   FROM mailhound.blind_windows
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (blind_windows.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW blind_windows; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.blind_windows IS 'What mailhound could not see, from the latest detection run or mailhound coverage: one row per blind window.';

--
-- Name: COLUMN blind_windows.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.blind_windows.tenant IS 'Tenant the blind spot belongs to.';

--
-- Name: COLUMN blind_windows.kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.blind_windows.kind IS 'throttled (a mailbox hit the MailItemsAccessed throttle: the 24 h after log less than happened), search-cap (a file holds exactly 5,000 or 50,000 records: the export was cut), source-gap (four or more days a source is missing within the data''s span: unified-audit-log, mailbox-audit-csv, admin-audit-csv, httpproxy or iis), server-gap (an on-premises server has no records of a format that other servers have), no-mail-access-audit (a mailbox with no MailItemsAccessed record at all), audit-tampering (auditing switched off or bypassed).';

--
-- Name: COLUMN blind_windows.subject; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.blind_windows.subject IS 'What is blind: a mailbox, a file, a log format or an identity.';

--
-- Name: COLUMN blind_windows.starts_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.blind_windows.starts_at IS 'Start of the blind window; null for the whole data.';

--
-- Name: COLUMN blind_windows.ends_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.blind_windows.ends_at IS 'End of the blind window; null when open-ended or for the whole data.';

--
-- Name: COLUMN blind_windows.detail; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.blind_windows.detail IS 'One sentence: what is missing and why it matters.';

--
-- Name: chains; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.chains (
    tenant text NOT NULL,
    chain_id text NOT NULL,
    run_id bigint NOT NULL,
    kind text NOT NULL,
    points integer NOT NULL,
    reason text NOT NULL,
    evidence jsonb NOT NULL,
    sessions text[] NOT NULL,
    detectors text[] NOT NULL,
    first_seen timestamp with time zone,
    last_seen timestamp with time zone,
    CONSTRAINT chains_points_check CHECK (((points >= 0) AND (points <= 100)))
);

--
-- Name: TABLE chains; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.chains IS 'Sequences of findings that form one intrusion, from the latest detection run: one row per chain, linking its sessions and detectors.';

--
-- Name: COLUMN chains.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.tenant IS 'Tenant of the sessions.';

--
-- Name: COLUMN chains.chain_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.chain_id IS 'Chain id: 16 hex digits of its kind and sessions, stable across reruns.';

--
-- Name: COLUMN chains.run_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.run_id IS 'The detection run that found it.';

--
-- Name: COLUMN chains.kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.kind IS 'Which chain (a file under sql/chains), e.g. grant-read-revoke.';

--
-- Name: COLUMN chains.points; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.points IS 'Points each member session gets as a finding of this kind.';

--
-- Name: COLUMN chains.reason; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.reason IS 'One sentence telling the sequence.';

--
-- Name: COLUMN chains.evidence; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.evidence IS 'The member findings'' evidence and times.';

--
-- Name: COLUMN chains.sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.sessions IS 'Member sessions (mailhound.sessions), in time order.';

--
-- Name: COLUMN chains.detectors; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.detectors IS 'Detectors whose findings form the chain.';

--
-- Name: COLUMN chains.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.first_seen IS 'Start of the first member session.';

--
-- Name: COLUMN chains.last_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.chains.last_seen IS 'End of the last member session.';

--
-- Name: chains; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.chains AS
 SELECT chains.tenant,
    chains.chain_id,
    chains.run_id,
    chains.kind,
    chains.points,
    chains.reason,
    chains.evidence,
    chains.sessions,
    chains.detectors,
    chains.first_seen,
    chains.last_seen
   FROM mailhound.chains
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (chains.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW chains; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.chains IS 'Sequences of findings that form one intrusion (SSRF → read, grant → read → revoke, export → fetch...), linking their sessions.';

--
-- Name: COLUMN chains.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.tenant IS 'Tenant of the sessions.';

--
-- Name: COLUMN chains.chain_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.chain_id IS 'Chain id: 16 hex digits of its kind and sessions, stable across reruns.';

--
-- Name: COLUMN chains.run_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.run_id IS 'The detection run that found it.';

--
-- Name: COLUMN chains.kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.kind IS 'Which chain (a file under sql/chains), e.g. grant-read-revoke.';

--
-- Name: COLUMN chains.points; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.points IS 'Points each member session gets as a finding of this kind.';

--
-- Name: COLUMN chains.reason; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.reason IS 'One sentence telling the sequence.';

--
-- Name: COLUMN chains.evidence; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.evidence IS 'The member findings'' evidence and times.';

--
-- Name: COLUMN chains.sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.sessions IS 'Member sessions (mailhound.sessions), in time order.';

--
-- Name: COLUMN chains.detectors; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.detectors IS 'Detectors whose findings form the chain.';

--
-- Name: COLUMN chains.first_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.first_seen IS 'Start of the first member session.';

--
-- Name: COLUMN chains.last_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.chains.last_seen IS 'End of the last member session.';

--
-- Name: events; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.events (
    tenant text NOT NULL,
    record_id uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    record_type integer,
    workload text,
    operation text NOT NULL,
    result_status text,
    actor text,
    actor_kind text NOT NULL,
    user_type smallint,
    logon_type smallint,
    mailbox_owner text,
    mailbox_guid text,
    client_ip inet,
    client_info text,
    app_id text,
    client_app_id text,
    source_session_id text,
    access_type text,
    items integer DEFAULT 0 NOT NULL,
    bytes bigint DEFAULT 0 NOT NULL,
    folders text[] DEFAULT '{}'::text[] NOT NULL,
    is_throttled boolean,
    external_access boolean,
    object_id text,
    parameters jsonb,
    source_file text NOT NULL,
    source_line bigint NOT NULL,
    source_offset bigint NOT NULL,
    loaded_txid bigint DEFAULT ((pg_current_xact_id())::text)::bigint,
    origin_server text,
    content_hash bigint,
    key_source text,
    raw_chunk bigint NOT NULL,
    raw_start integer NOT NULL,
    raw_length integer NOT NULL,
    session_key bigint,
    values_digest uuid,
    CONSTRAINT events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['user'::text, 'admin'::text, 'delegate'::text, 'app'::text, 'system'::text]))),
    CONSTRAINT events_key_source_check CHECK ((key_source = 'conflict'::text))
);
ALTER TABLE ONLY mailhound.events ALTER COLUMN parameters SET COMPRESSION lz4;

--
-- Name: TABLE events; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.events IS 'Normalized audit records, one row per source record Id (UAL Id), deduplicated across files and formats.';

--
-- Name: COLUMN events.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.tenant IS 'Tenant: the record''s OrganizationId, or the configured name for on-premises sources.';

--
-- Name: COLUMN events.record_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.record_id IS 'Unique record id: the UAL Id GUID.';

--
-- Name: COLUMN events.occurred_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.occurred_at IS 'When it happened (UTC; UAL CreationTime carries no zone and is UTC).';

--
-- Name: COLUMN events.record_type; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.record_type IS 'UAL RecordType number (50 MailItemsAccessed, 1 ExchangeAdmin, 18 S&C cmdlet, 24 Discovery).';

--
-- Name: COLUMN events.workload; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.workload IS 'UAL Workload: Exchange, SecurityComplianceCenter, AzureActiveDirectory.';

--
-- Name: COLUMN events.operation; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.operation IS 'Operation or cmdlet name, e.g. MailItemsAccessed, New-MailboxExportRequest.';

--
-- Name: COLUMN events.result_status; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.result_status IS 'ResultStatus as the source wrote it (Succeeded, True, Success, Failed...).';

--
-- Name: COLUMN events.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.actor IS 'Who acted: UAL UserId (UPN, NT AUTHORITY\SYSTEM, ServicePrincipal_...). Texts of events over 512 bytes keep their first bytes and a marker …[N bytes, sha256 16 hex digits]; raw keeps the whole.';

--
-- Name: COLUMN events.actor_kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.actor_kind IS 'user, admin (admin logon or admin user type), delegate, app (app-only or service principal) or system.';

--
-- Name: COLUMN events.user_type; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.user_type IS 'UAL UserType (0 regular, 2 admin, 4 system, 5 application, 6 service principal).';

--
-- Name: COLUMN events.logon_type; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.logon_type IS 'Mailbox LogonType (0 owner, 1 admin, 2 delegated, 3 transport, 4 system service, 6 delegated admin).';

--
-- Name: COLUMN events.mailbox_owner; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.mailbox_owner IS 'Mailbox touched (MailboxOwnerUPN), or the Mailbox/Identity parameter of an admin cmdlet.';

--
-- Name: COLUMN events.mailbox_guid; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.mailbox_guid IS 'Exchange MailboxGuid of the mailbox touched.';

--
-- Name: COLUMN events.client_ip; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.client_ip IS 'Client address (ClientIP or ClientIPAddress) without port or brackets.';

--
-- Name: COLUMN events.client_info; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.client_info IS 'ClientInfoString: protocol and client, e.g. Client=MSExchangeRPC.';

--
-- Name: COLUMN events.app_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.app_id IS 'AppId: the app or service that executed the request.';

--
-- Name: COLUMN events.client_app_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.client_app_id IS 'ClientAppId: the original OAuth client, for apps calling through Graph or EWS.';

--
-- Name: COLUMN events.source_session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.source_session_id IS 'The record''s own SessionId (Entra token session), when present.';

--
-- Name: COLUMN events.access_type; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.access_type IS 'MailItemsAccessed MailAccessType: Bind (items opened) or Sync (whole folder downloaded).';

--
-- Name: COLUMN events.items; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.items IS 'Items accessed: OperationCount or the items listed (0 for Sync, which lists none).';

--
-- Name: COLUMN events.bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.bytes IS 'Sum of SizeInBytes of the items listed, in bytes.';

--
-- Name: COLUMN events.folders; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.folders IS 'Folder paths the record names, e.g. {\Inbox,\Sent Items}.';

--
-- Name: COLUMN events.is_throttled; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.is_throttled IS 'IsThrottled: true when the mailbox hit the MailItemsAccessed throttle (real volume is higher).';

--
-- Name: COLUMN events.external_access; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.external_access IS 'ExternalAccess: actor from outside the organization (or Microsoft staff for admin records).';

--
-- Name: COLUMN events.object_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.object_id IS 'ObjectId: the object acted on (admin records).';

--
-- Name: COLUMN events.parameters; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.parameters IS 'Cmdlet parameters as [{"Name":...,"Value":...}]; a single-string Parameters has an empty Name.';

--
-- Name: COLUMN events.source_file; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.source_file IS 'File the record was read from (- for standard input).';

--
-- Name: COLUMN events.source_line; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.source_line IS 'Line in that file where the record starts (1-based).';

--
-- Name: COLUMN events.source_offset; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.source_offset IS 'Byte offset in that file (decompressed for .gz) where the record starts.';

--
-- Name: COLUMN events.loaded_txid; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.loaded_txid IS 'Transaction that stored the row (pg_current_xact_id): detect rebuilds only what newer rows change.';

--
-- Name: COLUMN events.origin_server; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.origin_server IS 'On-premises server that wrote the record (OriginatingServer without its build, lower-case host name); null for cloud records.';

--
-- Name: COLUMN events.content_hash; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.content_hash IS 'Hash of what every export of the record carries alike (its second, operation, actor and mailbox): two records under one id that differ here are both kept. Null for rows stored before migration 0017.';

--
-- Name: COLUMN events.key_source; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.key_source IS 'Null: record_id is the record''s own id. conflict: its own id was already the id of a different record, so record_id is mailhound.derived_record_id(own id, content_hash).';

--
-- Name: COLUMN events.raw_chunk; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.raw_chunk IS 'The mailhound.raw_chunks chunk (with tenant) holding the record''s raw text.';

--
-- Name: COLUMN events.raw_start; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.raw_start IS 'Where the raw text starts in the chunk''s body, in characters from 1.';

--
-- Name: COLUMN events.raw_length; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.raw_length IS 'The raw text''s length in characters.';

--
-- Name: COLUMN events.session_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.session_key IS 'The record''s session group as a 64-bit hash: mailhound.session_key_of(tenant, actor, source_session_id, client_ip, app), app being client_app_id, else app_id, else client_info. The records of one group, cut at 30-minute gaps, are its sessions. Written by ingest; null only until mailhound.fill_session_keys() sets it.';

--
-- Name: COLUMN events.values_digest; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.events.values_digest IS 'The values a session gathers from the record (tenant, actor, SessionId, actor kind, address, client info, client app id, app id, mailbox owner, access type, operation) as a 128-bit digest: mailhound.values_digest_of(). Written by ingest with session_key; null for records stored before it was (the count computes theirs).';

--
-- Name: raw_chunks; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.raw_chunks (
    tenant text NOT NULL,
    chunk_id bigint NOT NULL,
    first_at timestamp with time zone NOT NULL,
    last_at timestamp with time zone NOT NULL,
    body text NOT NULL
);
ALTER TABLE ONLY mailhound.raw_chunks ALTER COLUMN body SET COMPRESSION lz4;

--
-- Name: TABLE raw_chunks; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.raw_chunks IS 'The raw records of events and web requests, verbatim, packed by ingest into chunks of about 16 KB of one tenant''s records so they compress; a row names its chunk and where its text lies (raw_chunk, raw_start, raw_length). The analyst views show each record''s text as raw.';

--
-- Name: COLUMN raw_chunks.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.raw_chunks.tenant IS 'Tenant of every record in the chunk.';

--
-- Name: COLUMN raw_chunks.chunk_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.raw_chunks.chunk_id IS 'The chunk''s number: (loading run << 32) + its place in the run (mailhound.raw_chunk_runs).';

--
-- Name: COLUMN raw_chunks.first_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.raw_chunks.first_at IS 'Earliest occurred_at of the records in the chunk.';

--
-- Name: COLUMN raw_chunks.last_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.raw_chunks.last_at IS 'Latest occurred_at of the records in the chunk: mailhound prune deletes a chunk once every record in it is older than the cut.';

--
-- Name: COLUMN raw_chunks.body; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.raw_chunks.body IS 'The records'' raw texts one after another, with nothing between them; substr(body, raw_start, raw_length) is one record.';

--
-- Name: mailbox_events; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.mailbox_events AS
 SELECT e.tenant,
    e.record_id,
    e.occurred_at,
    COALESCE(s_day.session_id, s_long.session_id) AS session_id,
    e.record_type,
    e.workload,
    e.operation,
    e.result_status,
    e.actor,
    e.actor_kind,
    e.user_type,
    e.logon_type,
    e.mailbox_owner,
    e.mailbox_guid,
    e.client_ip,
    e.client_info,
    e.app_id,
    e.client_app_id,
    e.source_session_id,
    e.access_type,
    e.items,
    e.bytes,
    e.folders,
    e.is_throttled,
    e.external_access,
    e.object_id,
    e.parameters,
    e.origin_server,
    e.source_file,
    e.source_line,
    e.source_offset,
    ( SELECT substr(c.body, e.raw_start, e.raw_length) AS substr
           FROM mailhound.raw_chunks c
          WHERE ((c.tenant = e.tenant) AND (c.chunk_id = e.raw_chunk))) AS raw
   FROM ((mailhound.events e
     LEFT JOIN mailhound.sessions s_day ON (((s_day.tenant = e.tenant) AND (s_day.session_key = e.session_key) AND (s_day.first_seen <= e.occurred_at) AND (s_day.first_seen > (e.occurred_at - '1 day'::interval)) AND (s_day.last_seen >= e.occurred_at) AND ((s_day.last_seen - s_day.first_seen) <= '1 day'::interval) AND (NOT (lower(s_day.actor) IS DISTINCT FROM lower(e.actor))) AND (NOT (s_day.source_session_id IS DISTINCT FROM e.source_session_id)) AND ((s_day.source_session_id IS NOT NULL) OR (s_day.session_group = mailhound.session_group(e.actor, NULL::text, e.client_ip, mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))))))
     LEFT JOIN mailhound.sessions s_long ON (((s_long.tenant = e.tenant) AND (s_long.session_key = e.session_key) AND ((e.occurred_at >= s_long.first_seen) AND (e.occurred_at <= s_long.last_seen)) AND ((s_long.last_seen - s_long.first_seen) > '1 day'::interval) AND (NOT (lower(s_long.actor) IS DISTINCT FROM lower(e.actor))) AND (NOT (s_long.source_session_id IS DISTINCT FROM e.source_session_id)) AND ((s_long.source_session_id IS NOT NULL) OR (s_long.session_group = mailhound.session_group(e.actor, NULL::text, e.client_ip, mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))))))
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (e.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW mailbox_events; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.mailbox_events IS 'Every normalized audit record with the session it belongs to (null until mailhound detect has run).';

--
-- Name: COLUMN mailbox_events.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.tenant IS 'Tenant: the record''s OrganizationId, or the configured name for on-premises sources.';

--
-- Name: COLUMN mailbox_events.record_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.record_id IS 'Unique record id: the UAL Id GUID.';

--
-- Name: COLUMN mailbox_events.occurred_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.occurred_at IS 'When it happened (UTC; UAL CreationTime carries no zone and is UTC).';

--
-- Name: COLUMN mailbox_events.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.session_id IS 'Session the record belongs to (analyst.sessions).';

--
-- Name: COLUMN mailbox_events.record_type; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.record_type IS 'UAL RecordType number (50 MailItemsAccessed, 1 ExchangeAdmin, 18 S&C cmdlet, 24 Discovery).';

--
-- Name: COLUMN mailbox_events.workload; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.workload IS 'UAL Workload: Exchange, SecurityComplianceCenter, AzureActiveDirectory.';

--
-- Name: COLUMN mailbox_events.operation; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.operation IS 'Operation or cmdlet name, e.g. MailItemsAccessed, New-MailboxExportRequest.';

--
-- Name: COLUMN mailbox_events.result_status; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.result_status IS 'ResultStatus as the source wrote it (Succeeded, True, Success, Failed...).';

--
-- Name: COLUMN mailbox_events.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.actor IS 'Who acted: UAL UserId (UPN, NT AUTHORITY\SYSTEM, ServicePrincipal_...). Texts of events over 512 bytes keep their first bytes and a marker …[N bytes, sha256 16 hex digits]; raw keeps the whole.';

--
-- Name: COLUMN mailbox_events.actor_kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.actor_kind IS 'user, admin (admin logon or admin user type), delegate, app (app-only or service principal) or system.';

--
-- Name: COLUMN mailbox_events.user_type; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.user_type IS 'UAL UserType (0 regular, 2 admin, 4 system, 5 application, 6 service principal).';

--
-- Name: COLUMN mailbox_events.logon_type; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.logon_type IS 'Mailbox LogonType (0 owner, 1 admin, 2 delegated, 3 transport, 4 system service, 6 delegated admin).';

--
-- Name: COLUMN mailbox_events.mailbox_owner; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.mailbox_owner IS 'Mailbox touched (MailboxOwnerUPN), or the Mailbox/Identity parameter of an admin cmdlet.';

--
-- Name: COLUMN mailbox_events.mailbox_guid; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.mailbox_guid IS 'Exchange MailboxGuid of the mailbox touched.';

--
-- Name: COLUMN mailbox_events.client_ip; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.client_ip IS 'Client address (ClientIP or ClientIPAddress) without port or brackets.';

--
-- Name: COLUMN mailbox_events.client_info; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.client_info IS 'ClientInfoString: protocol and client, e.g. Client=MSExchangeRPC.';

--
-- Name: COLUMN mailbox_events.app_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.app_id IS 'AppId: the app or service that executed the request.';

--
-- Name: COLUMN mailbox_events.client_app_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.client_app_id IS 'ClientAppId: the original OAuth client, for apps calling through Graph or EWS.';

--
-- Name: COLUMN mailbox_events.source_session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.source_session_id IS 'The record''s own SessionId (Entra token session), when present.';

--
-- Name: COLUMN mailbox_events.access_type; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.access_type IS 'MailItemsAccessed MailAccessType: Bind (items opened) or Sync (whole folder downloaded).';

--
-- Name: COLUMN mailbox_events.items; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.items IS 'Items accessed: OperationCount or the items listed (0 for Sync, which lists none).';

--
-- Name: COLUMN mailbox_events.bytes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.bytes IS 'Sum of SizeInBytes of the items listed, in bytes.';

--
-- Name: COLUMN mailbox_events.folders; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.folders IS 'Folder paths the record names, e.g. {\Inbox,\Sent Items}.';

--
-- Name: COLUMN mailbox_events.is_throttled; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.is_throttled IS 'IsThrottled: true when the mailbox hit the MailItemsAccessed throttle (real volume is higher).';

--
-- Name: COLUMN mailbox_events.external_access; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.external_access IS 'ExternalAccess: actor from outside the organization (or Microsoft staff for admin records).';

--
-- Name: COLUMN mailbox_events.object_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.object_id IS 'ObjectId: the object acted on (admin records).';

--
-- Name: COLUMN mailbox_events.parameters; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.parameters IS 'Cmdlet parameters as [{"Name":...,"Value":...}]; a single-string Parameters has an empty Name.';

--
-- Name: COLUMN mailbox_events.origin_server; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.origin_server IS 'On-premises server that wrote the record (OriginatingServer without its build, lower-case host name); null for cloud records.';

--
-- Name: COLUMN mailbox_events.source_file; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.source_file IS 'File the record was read from (- for standard input).';

--
-- Name: COLUMN mailbox_events.source_line; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.source_line IS 'Line in that file where the record starts (1-based).';

--
-- Name: COLUMN mailbox_events.source_offset; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.source_offset IS 'Byte offset in that file (decompressed for .gz) where the record starts.';

--
-- Name: COLUMN mailbox_events.raw; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_events.raw IS 'The record as read (JSON), kept as evidence: verbatim, from the chunk ingest packed it in (mailhound.raw_chunks).';

--
-- Name: mail_app_consents; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.mail_app_consents AS
 SELECT c.tenant,
    c.record_id,
    c.session_id,
    c.actor,
    c.occurred_at,
    c.operation,
    c.service_principal,
    c.app_ids,
    c.scopes,
    c.for_all_users
   FROM ( SELECT e.tenant,
            e.record_id,
            e.session_id,
            e.actor,
            e.occurred_at,
            e.operation,
            e.object_id AS service_principal,
            mailhound.consented_app_ids(e.raw, e.object_id) AS app_ids,
            mailhound.consented_mail_scopes(e.raw) AS scopes,
            (e.raw ~* '(ConsentType|OnBehalfOfAll)\W{1,8}(?:(?:New)?Value\W{1,8})?(AllPrincipals|True)\M'::text) AS for_all_users
           FROM analyst.mailbox_events e
          WHERE ((e.operation ~* '^(Consent to application|Add delegated permission grant|Add OAuth2PermissionGrant)'::text) AND (e.operation <> 'MailItemsAccessed'::text))) c
  WHERE (c.scopes IS NOT NULL);

--
-- Name: VIEW mail_app_consents; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.mail_app_consents IS 'Consents (Consent to application., Add delegated permission grant., Add OAuth2PermissionGrant.) that gave an app a delegated mail-reading scope, with the ids the app''s own records name it by.';

--
-- Name: COLUMN mail_app_consents.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.tenant IS 'Tenant: the record''s OrganizationId, or the configured name for on-premises sources.';

--
-- Name: COLUMN mail_app_consents.record_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.record_id IS 'Unique record id: the UAL Id GUID.';

--
-- Name: COLUMN mail_app_consents.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.session_id IS 'Session the consent record belongs to (analyst.sessions).';

--
-- Name: COLUMN mail_app_consents.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.actor IS 'Who acted: UAL UserId (UPN, NT AUTHORITY\SYSTEM, ServicePrincipal_...). Texts of events over 512 bytes keep their first bytes and a marker …[N bytes, sha256 16 hex digits]; raw keeps the whole.';

--
-- Name: COLUMN mail_app_consents.occurred_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.occurred_at IS 'When it happened (UTC; UAL CreationTime carries no zone and is UTC).';

--
-- Name: COLUMN mail_app_consents.operation; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.operation IS 'Operation or cmdlet name, e.g. MailItemsAccessed, New-MailboxExportRequest.';

--
-- Name: COLUMN mail_app_consents.service_principal; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.service_principal IS 'The app''s service principal (the record''s ObjectId): what two consents to one app share.';

--
-- Name: COLUMN mail_app_consents.app_ids; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.app_ids IS 'The ids, lower case, by which the app''s records name it as their ClientAppId or AppId (mailhound.consented_app_ids): the service principal''s and the application id.';

--
-- Name: COLUMN mail_app_consents.scopes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.scopes IS 'The mail scopes granted, space-separated (mailhound.consented_mail_scopes).';

--
-- Name: COLUMN mail_app_consents.for_all_users; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mail_app_consents.for_all_users IS 'Whether an admin consented on behalf of every user of the tenant (ConsentType AllPrincipals): the app may then read any user''s mail, not only the consenting identity''s.';

--
-- Name: consented_app_sessions; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.consented_app_sessions AS
 SELECT c.tenant,
    s.session_id,
    c.record_id AS consent_record_id,
    c.occurred_at AS consented_at,
    c.service_principal
   FROM ((analyst.mail_app_consents c
     CROSS JOIN LATERAL ( SELECT c.app_ids,
            c.for_all_users
         OFFSET 0) parsed)
     CROSS JOIN LATERAL ( SELECT o.session_id,
            o.session_key,
            o.actor,
            o.first_seen,
            o.last_seen
           FROM mailhound.sessions o
          WHERE ((o.tenant = c.tenant) AND (lower(o.actor) = lower(c.actor)) AND (NOT parsed.for_all_users) AND (o.first_seen > c.occurred_at) AND (o.first_seen <= (c.occurred_at + '7 days'::interval)))
        UNION ALL
         SELECT o.session_id,
            o.session_key,
            o.actor,
            o.first_seen,
            o.last_seen
           FROM mailhound.sessions o
          WHERE ((o.tenant = c.tenant) AND parsed.for_all_users AND (o.first_seen > c.occurred_at) AND (o.first_seen <= (c.occurred_at + '7 days'::interval)))) s)
  WHERE (EXISTS ( SELECT 1
           FROM mailhound.events e
          WHERE ((e.tenant = c.tenant) AND (e.session_key = s.session_key) AND ((e.occurred_at >= s.first_seen) AND (e.occurred_at <= s.last_seen)) AND (NOT (lower(e.actor) IS DISTINCT FROM lower(s.actor))) AND ((lower(e.client_app_id) = ANY (parsed.app_ids)) OR (lower(e.app_id) = ANY (parsed.app_ids))))));

--
-- Name: VIEW consented_app_sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.consented_app_sessions IS 'Sessions whose records name (as ClientAppId or AppId) an app their actor, or an admin on behalf of all users, let read their mail in the 7 days before (analyst.mail_app_consents): the app''s own reads.';

--
-- Name: COLUMN consented_app_sessions.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.consented_app_sessions.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN consented_app_sessions.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.consented_app_sessions.session_id IS 'Session id: 16 hex digits, stable across reruns for the same records.';

--
-- Name: COLUMN consented_app_sessions.consent_record_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.consented_app_sessions.consent_record_id IS 'The consent (analyst.mail_app_consents.record_id).';

--
-- Name: COLUMN consented_app_sessions.consented_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.consented_app_sessions.consented_at IS 'When the consent was given (UTC).';

--
-- Name: COLUMN consented_app_sessions.service_principal; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.consented_app_sessions.service_principal IS 'The app''s service principal.';

--
-- Name: detection_runs; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.detection_runs (
    run_id bigint NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    status text DEFAULT 'running'::text NOT NULL,
    detectors jsonb DEFAULT '[]'::jsonb NOT NULL,
    data_from timestamp with time zone,
    data_until timestamp with time zone,
    events bigint,
    sessions bigint,
    findings bigint,
    mode text DEFAULT 'full'::text NOT NULL,
    snapshot pg_snapshot,
    sessions_rebuilt bigint,
    window_from timestamp with time zone,
    window_until timestamp with time zone,
    baseline_days integer,
    judged_from timestamp with time zone,
    CONSTRAINT detection_runs_mode_check CHECK ((mode = ANY (ARRAY['full'::text, 'incremental'::text]))),
    CONSTRAINT detection_runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'succeeded'::text, 'failed'::text])))
);

--
-- Name: TABLE detection_runs; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.detection_runs IS 'One row per mailhound detect: when, which detector files (with hashes) and what it found.';

--
-- Name: COLUMN detection_runs.run_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.run_id IS 'Run number.';

--
-- Name: COLUMN detection_runs.started_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.started_at IS 'Start (wall clock).';

--
-- Name: COLUMN detection_runs.finished_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.finished_at IS 'End (wall clock).';

--
-- Name: COLUMN detection_runs.status; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.status IS 'running, succeeded or failed.';

--
-- Name: COLUMN detection_runs.detectors; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.detectors IS 'Detectors run: [{"id":...,"sha256":...}].';

--
-- Name: COLUMN detection_runs.data_from; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.data_from IS 'Oldest event in the data when the run started.';

--
-- Name: COLUMN detection_runs.data_until; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.data_until IS 'Newest event in the data: every window is relative to this, not to the wall clock.';

--
-- Name: COLUMN detection_runs.events; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.events IS 'Events in the database.';

--
-- Name: COLUMN detection_runs.sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.sessions IS 'Sessions built.';

--
-- Name: COLUMN detection_runs.findings; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.findings IS 'Findings standing after the run (suppressed ones and those kept from earlier runs included).';

--
-- Name: COLUMN detection_runs.mode; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.mode IS 'full: every session rebuilt; incremental: only sessions with events stored since the previous run.';

--
-- Name: COLUMN detection_runs.snapshot; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.snapshot IS 'Transactions visible when the run started: rows stored by any other transaction are new to the next run.';

--
-- Name: COLUMN detection_runs.sessions_rebuilt; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.sessions_rebuilt IS 'Sessions this run rebuilt (all of them in a full run).';

--
-- Name: COLUMN detection_runs.window_from; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.window_from IS 'detect --since: only sessions still active at or after this time got findings (null: no lower bound).';

--
-- Name: COLUMN detection_runs.window_until; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.window_until IS 'detect --until: only sessions that began before this time got findings (null: no upper bound).';

--
-- Name: COLUMN detection_runs.baseline_days; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.baseline_days IS 'Days of history before each session or day that baselines read (detect --baseline-days; detectors read it as mailhound.baseline_days).';

--
-- Name: COLUMN detection_runs.judged_from; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detection_runs.judged_from IS 'Sessions beginning at or after this time were judged by this run; earlier sessions kept the findings of earlier runs. -infinity: every session was judged; infinity: no session was new.';

--
-- Name: detection_runs; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.detection_runs AS
 SELECT detection_runs.run_id,
    detection_runs.mode,
    detection_runs.started_at,
    detection_runs.finished_at,
    detection_runs.status,
    detection_runs.detectors,
    detection_runs.data_from,
    detection_runs.data_until,
    detection_runs.events,
    detection_runs.sessions,
    detection_runs.sessions_rebuilt,
    detection_runs.judged_from,
    detection_runs.findings
   FROM mailhound.detection_runs
  WHERE (( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL);

--
-- Name: VIEW detection_runs; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.detection_runs IS 'History of detection runs.';

--
-- Name: COLUMN detection_runs.run_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.run_id IS 'Run number.';

--
-- Name: COLUMN detection_runs.mode; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.mode IS 'full: every session rebuilt; incremental: only sessions with events stored since the previous run.';

--
-- Name: COLUMN detection_runs.started_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.started_at IS 'Start (wall clock).';

--
-- Name: COLUMN detection_runs.finished_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.finished_at IS 'End (wall clock).';

--
-- Name: COLUMN detection_runs.status; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.status IS 'running, succeeded or failed.';

--
-- Name: COLUMN detection_runs.detectors; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.detectors IS 'Detectors run: [{"id":...,"sha256":...}].';

--
-- Name: COLUMN detection_runs.data_from; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.data_from IS 'Oldest event in the data when the run started.';

--
-- Name: COLUMN detection_runs.data_until; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.data_until IS 'Newest event in the data: every window is relative to this, not to the wall clock.';

--
-- Name: COLUMN detection_runs.events; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.events IS 'Events in the database.';

--
-- Name: COLUMN detection_runs.sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.sessions IS 'Sessions built.';

--
-- Name: COLUMN detection_runs.sessions_rebuilt; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.sessions_rebuilt IS 'Sessions this run rebuilt (all of them in a full run).';

--
-- Name: COLUMN detection_runs.judged_from; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.judged_from IS 'Sessions beginning at or after this time were judged by this run; earlier sessions kept the findings of earlier runs. -infinity: every session was judged; infinity: no session was new.';

--
-- Name: COLUMN detection_runs.findings; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detection_runs.findings IS 'Findings standing after the run (suppressed ones and those kept from earlier runs included).';

--
-- Name: detectors; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.detectors (
    detector_id text NOT NULL,
    title text NOT NULL,
    severity text NOT NULL,
    file_name text NOT NULL,
    sha256 text NOT NULL,
    sql_text text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE detectors; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.detectors IS 'The detector files of the last detection run: id, header and full SQL text.';

--
-- Name: COLUMN detectors.detector_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detectors.detector_id IS 'Detector id (the file name without .sql).';

--
-- Name: COLUMN detectors.title; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detectors.title IS 'One-line title from the file header.';

--
-- Name: COLUMN detectors.severity; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detectors.severity IS 'Severity from the file header.';

--
-- Name: COLUMN detectors.file_name; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detectors.file_name IS 'File under sql/detectors.';

--
-- Name: COLUMN detectors.sha256; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detectors.sha256 IS 'SHA-256 of the file text.';

--
-- Name: COLUMN detectors.sql_text; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detectors.sql_text IS 'The file as run.';

--
-- Name: COLUMN detectors.loaded_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.detectors.loaded_at IS 'When it was last loaded (wall clock).';

--
-- Name: detectors; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.detectors AS
 SELECT detectors.detector_id,
    detectors.title,
    detectors.severity,
    detectors.file_name,
    detectors.sha256,
    detectors.sql_text,
    detectors.loaded_at
   FROM mailhound.detectors;

--
-- Name: VIEW detectors; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.detectors IS 'Detector files of the last run, with their full SQL text.';

--
-- Name: COLUMN detectors.detector_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detectors.detector_id IS 'Detector id (the file name without .sql).';

--
-- Name: COLUMN detectors.title; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detectors.title IS 'One-line title from the file header.';

--
-- Name: COLUMN detectors.severity; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detectors.severity IS 'Severity from the file header.';

--
-- Name: COLUMN detectors.file_name; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detectors.file_name IS 'File under sql/detectors.';

--
-- Name: COLUMN detectors.sha256; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detectors.sha256 IS 'SHA-256 of the file text.';

--
-- Name: COLUMN detectors.sql_text; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detectors.sql_text IS 'The file as run.';

--
-- Name: COLUMN detectors.loaded_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.detectors.loaded_at IS 'When it was last loaded (wall clock).';

--
-- Name: file_checkpoints; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.file_checkpoints (
    path text NOT NULL,
    format text NOT NULL,
    loaded_bytes bigint NOT NULL,
    next_line bigint NOT NULL,
    columns text[],
    head_sha256 text NOT NULL,
    tail_sha256 text NOT NULL,
    file_size bigint NOT NULL,
    modified_at timestamp with time zone NOT NULL,
    records bigint NOT NULL,
    complete boolean NOT NULL,
    resumable boolean NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    device numeric,
    inode numeric
);

--
-- Name: TABLE file_checkpoints; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.file_checkpoints IS 'How far each input file is loaded; written in the same transaction as the batch it follows, so a crash never loses or doubles a record.';

--
-- Name: COLUMN file_checkpoints.path; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.path IS 'Canonical path of the file (absolute, symbolic links resolved; as given before migration 0015), - for standard input.';

--
-- Name: COLUMN file_checkpoints.format; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.format IS 'Format read: ual-jsonl, ual-json, purview-csv, mailbox-audit-csv, admin-audit-csv, httpproxy, iis.';

--
-- Name: COLUMN file_checkpoints.loaded_bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.loaded_bytes IS 'Bytes of the file whose records are committed; reading resumes here.';

--
-- Name: COLUMN file_checkpoints.next_line; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.next_line IS 'Line number at loaded_bytes (1-based).';

--
-- Name: COLUMN file_checkpoints.columns; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.columns IS 'Header columns in force at loaded_bytes (CSV header or #Fields), for resuming.';

--
-- Name: COLUMN file_checkpoints.head_sha256; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.head_sha256 IS 'SHA-256 of the first 64 KiB of the loaded part: a replaced file is noticed.';

--
-- Name: COLUMN file_checkpoints.tail_sha256; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.tail_sha256 IS 'SHA-256 of the 64 KiB ending at loaded_bytes.';

--
-- Name: COLUMN file_checkpoints.file_size; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.file_size IS 'File size when the checkpoint was written.';

--
-- Name: COLUMN file_checkpoints.modified_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.modified_at IS 'File modification time when the checkpoint was written.';

--
-- Name: COLUMN file_checkpoints.records; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.records IS 'Records read from the file in total (loaded, duplicate, skipped or quarantined).';

--
-- Name: COLUMN file_checkpoints.complete; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.complete IS 'The file was read to its end.';

--
-- Name: COLUMN file_checkpoints.resumable; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.resumable IS 'Whether reading can resume at loaded_bytes (not for gzip, JSON arrays or standard input).';

--
-- Name: COLUMN file_checkpoints.updated_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.updated_at IS 'When the checkpoint was written (wall clock).';

--
-- Name: COLUMN file_checkpoints.device; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.device IS 'Device of the file the path named when the checkpoint was written (st_dev); null for checkpoints from before 0015.';

--
-- Name: COLUMN file_checkpoints.inode; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_checkpoints.inode IS 'Inode of that file (st_ino): with device, which file was read, whatever the path names later.';

--
-- Name: file_checkpoints; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.file_checkpoints AS
 SELECT file_checkpoints.path,
    file_checkpoints.format,
    file_checkpoints.loaded_bytes,
    file_checkpoints.next_line,
    file_checkpoints.columns,
    file_checkpoints.head_sha256,
    file_checkpoints.tail_sha256,
    file_checkpoints.file_size,
    file_checkpoints.modified_at,
    file_checkpoints.records,
    file_checkpoints.complete,
    file_checkpoints.resumable,
    file_checkpoints.updated_at
   FROM mailhound.file_checkpoints
  WHERE (( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL);

--
-- Name: VIEW file_checkpoints; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.file_checkpoints IS 'How far each input file is loaded (files that grew are read on from here).';

--
-- Name: COLUMN file_checkpoints.path; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.path IS 'Canonical path of the file (absolute, symbolic links resolved; as given before migration 0015), - for standard input.';

--
-- Name: COLUMN file_checkpoints.format; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.format IS 'Format read: ual-jsonl, ual-json, purview-csv, mailbox-audit-csv, admin-audit-csv, httpproxy, iis.';

--
-- Name: COLUMN file_checkpoints.loaded_bytes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.loaded_bytes IS 'Bytes of the file whose records are committed; reading resumes here.';

--
-- Name: COLUMN file_checkpoints.next_line; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.next_line IS 'Line number at loaded_bytes (1-based).';

--
-- Name: COLUMN file_checkpoints.columns; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.columns IS 'Header columns in force at loaded_bytes (CSV header or #Fields), for resuming.';

--
-- Name: COLUMN file_checkpoints.head_sha256; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.head_sha256 IS 'SHA-256 of the first 64 KiB of the loaded part: a replaced file is noticed.';

--
-- Name: COLUMN file_checkpoints.tail_sha256; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.tail_sha256 IS 'SHA-256 of the 64 KiB ending at loaded_bytes.';

--
-- Name: COLUMN file_checkpoints.file_size; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.file_size IS 'File size when the checkpoint was written.';

--
-- Name: COLUMN file_checkpoints.modified_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.modified_at IS 'File modification time when the checkpoint was written.';

--
-- Name: COLUMN file_checkpoints.records; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.records IS 'Records read from the file in total (loaded, duplicate, skipped or quarantined).';

--
-- Name: COLUMN file_checkpoints.complete; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.complete IS 'The file was read to its end.';

--
-- Name: COLUMN file_checkpoints.resumable; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.resumable IS 'Whether reading can resume at loaded_bytes (not for gzip, JSON arrays or standard input).';

--
-- Name: COLUMN file_checkpoints.updated_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.file_checkpoints.updated_at IS 'When the checkpoint was written (wall clock).';

--
-- Name: findings; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.findings (
    tenant text NOT NULL,
    session_id text NOT NULL,
    detector_id text NOT NULL,
    run_id bigint NOT NULL,
    points integer NOT NULL,
    reason text NOT NULL,
    evidence jsonb NOT NULL,
    suppressed_by bigint,
    CONSTRAINT findings_points_check CHECK (((points >= 0) AND (points <= 100)))
);
ALTER TABLE ONLY mailhound.findings ALTER COLUMN reason SET STATISTICS 0;
ALTER TABLE ONLY mailhound.findings ALTER COLUMN evidence SET STATISTICS 0;

--
-- Name: TABLE findings; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.findings IS 'What each detector found in each session, from the latest detection run.';

--
-- Name: COLUMN findings.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN findings.session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.session_id IS 'The session (mailhound.sessions).';

--
-- Name: COLUMN findings.detector_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.detector_id IS 'The detector (mailhound.detectors).';

--
-- Name: COLUMN findings.run_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.run_id IS 'The detection run that produced it.';

--
-- Name: COLUMN findings.points; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.points IS 'Weight 0-100: how strongly this alone indicates theft.';

--
-- Name: COLUMN findings.reason; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.reason IS 'One human sentence explaining the finding.';

--
-- Name: COLUMN findings.evidence; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.evidence IS 'Counts, mailboxes, addresses and thresholds behind the finding.';

--
-- Name: COLUMN findings.suppressed_by; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.findings.suppressed_by IS 'The allow-list entry that suppresses it, if any; suppressed findings do not score.';

--
-- Name: findings; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.findings AS
 SELECT findings.tenant,
    findings.session_id,
    findings.detector_id,
    findings.run_id,
    findings.points,
    findings.reason,
    findings.evidence,
    findings.suppressed_by,
    (findings.suppressed_by IS NOT NULL) AS suppressed
   FROM mailhound.findings
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (findings.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW findings; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.findings IS 'Findings of the latest detection run, one per session and detector.';

--
-- Name: COLUMN findings.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN findings.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.session_id IS 'The session (mailhound.sessions).';

--
-- Name: COLUMN findings.detector_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.detector_id IS 'The detector (mailhound.detectors).';

--
-- Name: COLUMN findings.run_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.run_id IS 'The detection run that produced it.';

--
-- Name: COLUMN findings.points; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.points IS 'Weight 0-100: how strongly this alone indicates theft.';

--
-- Name: COLUMN findings.reason; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.reason IS 'One human sentence explaining the finding.';

--
-- Name: COLUMN findings.evidence; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.evidence IS 'Counts, mailboxes, addresses and thresholds behind the finding.';

--
-- Name: COLUMN findings.suppressed_by; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.suppressed_by IS 'The allow-list entry that suppresses it, if any; suppressed findings do not score.';

--
-- Name: COLUMN findings.suppressed; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.findings.suppressed IS 'True when an allow-list entry suppresses the finding.';

--
-- Name: mailbox_touches; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.mailbox_touches (
    tenant text NOT NULL,
    session_id text NOT NULL,
    actor text NOT NULL,
    actor_key text NOT NULL,
    actor_kind text NOT NULL,
    operations text[] NOT NULL,
    mailbox text NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    touched_before timestamp with time zone
);

--
-- Name: TABLE mailbox_touches; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.mailbox_touches IS 'Each session''s touches of mailboxes other than the actor''s own (shared ones included), with the same identity''s previous touch of each; written by every detection run after it cuts the sessions, and by prune.';

--
-- Name: COLUMN mailbox_touches.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.tenant IS 'The tenant the session belongs to.';

--
-- Name: COLUMN mailbox_touches.session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.session_id IS 'The session (mailhound.sessions).';

--
-- Name: COLUMN mailbox_touches.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.actor IS 'The session''s actor as logged.';

--
-- Name: COLUMN mailbox_touches.actor_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.actor_key IS 'The actor, lower-case.';

--
-- Name: COLUMN mailbox_touches.actor_kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.actor_kind IS 'The session''s actor kind (user, admin, delegate, app, system).';

--
-- Name: COLUMN mailbox_touches.operations; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.operations IS 'Distinct operations in the session.';

--
-- Name: COLUMN mailbox_touches.mailbox; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.mailbox IS 'The mailbox touched (lower-case owner), not the actor''s own.';

--
-- Name: COLUMN mailbox_touches.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.first_seen IS 'When the session began (UTC).';

--
-- Name: COLUMN mailbox_touches.last_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.last_seen IS 'When the session ended (UTC).';

--
-- Name: COLUMN mailbox_touches.touched_before; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_touches.touched_before IS 'When the same identity last touched this mailbox before this session (UTC); null the first time.';

--
-- Name: shared_mailboxes; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.shared_mailboxes (
    tenant text NOT NULL,
    mailbox text NOT NULL,
    readers text[] NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL
);

--
-- Name: TABLE shared_mailboxes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.shared_mailboxes IS 'Mailboxes that behave as shared: their owner never acts in the data and two or more people read them, each on two or more days. Rebuilt by every detection run; breadth detectors list them apart instead of counting them as victims.';

--
-- Name: COLUMN shared_mailboxes.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.shared_mailboxes.tenant IS 'Tenant of the mailbox.';

--
-- Name: COLUMN shared_mailboxes.mailbox; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.shared_mailboxes.mailbox IS 'The mailbox (lower-case owner UPN, as in sessions.mailbox_owners).';

--
-- Name: COLUMN shared_mailboxes.readers; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.shared_mailboxes.readers IS 'People who read it on two or more days (lower-case).';

--
-- Name: COLUMN shared_mailboxes.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.shared_mailboxes.first_seen IS 'First session of those readers touching it (UTC).';

--
-- Name: COLUMN shared_mailboxes.last_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.shared_mailboxes.last_seen IS 'Last session of those readers touching it (UTC).';

--
-- Name: mailbox_touches; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.mailbox_touches AS
 SELECT t.tenant,
    t.session_id,
    t.actor,
    t.actor_key,
    t.actor_kind,
    t.operations,
    t.mailbox,
    t.first_seen,
    t.touched_before
   FROM mailhound.mailbox_touches t
  WHERE ((NOT (EXISTS ( SELECT 1
           FROM mailhound.shared_mailboxes sm
          WHERE ((sm.tenant = t.tenant) AND (sm.mailbox = t.mailbox))))) AND ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (t.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[]))));

--
-- Name: VIEW mailbox_touches; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.mailbox_touches IS 'Each session''s touches of other people''s mailboxes (shared mailboxes left out), with the same identity''s previous touch of that mailbox, as of the latest detection run.';

--
-- Name: COLUMN mailbox_touches.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.tenant IS 'The tenant the session belongs to.';

--
-- Name: COLUMN mailbox_touches.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.session_id IS 'The session (mailhound.sessions).';

--
-- Name: COLUMN mailbox_touches.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.actor IS 'The session''s actor as logged.';

--
-- Name: COLUMN mailbox_touches.actor_key; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.actor_key IS 'The actor, lower-case.';

--
-- Name: COLUMN mailbox_touches.actor_kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.actor_kind IS 'The session''s actor kind (user, admin, delegate, app, system).';

--
-- Name: COLUMN mailbox_touches.operations; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.operations IS 'Distinct operations in the session.';

--
-- Name: COLUMN mailbox_touches.mailbox; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.mailbox IS 'The mailbox touched (lower-case owner), not the actor''s own and not shared.';

--
-- Name: COLUMN mailbox_touches.first_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.first_seen IS 'When the session began (UTC).';

--
-- Name: COLUMN mailbox_touches.touched_before; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.mailbox_touches.touched_before IS 'When the same identity last touched this mailbox before this session (UTC); null the first time.';

--
-- Name: network_owners; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.network_owners (
    range_start inet NOT NULL,
    range_end inet NOT NULL,
    asn integer NOT NULL,
    country text,
    name text,
    source_file text NOT NULL,
    loaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT network_owners_asn_check CHECK ((asn > 0)),
    CONSTRAINT network_owners_check CHECK (((family(range_start) = family(range_end)) AND (range_start <= range_end)))
);

--
-- Name: TABLE network_owners; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.network_owners IS 'Address ranges and the autonomous system that routes them, from an IP-to-ASN table (iptoasn.com ip2asn TSV); replaced whole by each mailhound networks load. Empty until loaded: detectors then judge networks by /24 and /64.';

--
-- Name: COLUMN network_owners.range_start; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.network_owners.range_start IS 'First address of the range.';

--
-- Name: COLUMN network_owners.range_end; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.network_owners.range_end IS 'Last address of the range.';

--
-- Name: COLUMN network_owners.asn; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.network_owners.asn IS 'Autonomous system number routing the range.';

--
-- Name: COLUMN network_owners.country; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.network_owners.country IS 'ISO 3166 alpha-2 country of the AS registration, when the table names one.';

--
-- Name: COLUMN network_owners.name; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.network_owners.name IS 'AS description, e.g. the provider''s name.';

--
-- Name: COLUMN network_owners.source_file; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.network_owners.source_file IS 'The table file the range was loaded from.';

--
-- Name: COLUMN network_owners.loaded_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.network_owners.loaded_at IS 'When the table was loaded (wall clock).';

--
-- Name: network_owners; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.network_owners AS
 SELECT network_owners.range_start,
    network_owners.range_end,
    network_owners.asn,
    network_owners.country,
    network_owners.name,
    network_owners.source_file,
    network_owners.loaded_at
   FROM mailhound.network_owners;

--
-- Name: VIEW network_owners; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.network_owners IS 'The loaded IP-to-ASN table (mailhound networks load): which autonomous system routes each address range.';

--
-- Name: COLUMN network_owners.range_start; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.network_owners.range_start IS 'First address of the range.';

--
-- Name: COLUMN network_owners.range_end; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.network_owners.range_end IS 'Last address of the range.';

--
-- Name: COLUMN network_owners.asn; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.network_owners.asn IS 'Autonomous system number routing the range.';

--
-- Name: COLUMN network_owners.country; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.network_owners.country IS 'ISO 3166 alpha-2 country of the AS registration, when the table names one.';

--
-- Name: COLUMN network_owners.name; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.network_owners.name IS 'AS description, e.g. the provider''s name.';

--
-- Name: COLUMN network_owners.source_file; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.network_owners.source_file IS 'The table file the range was loaded from.';

--
-- Name: COLUMN network_owners.loaded_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.network_owners.loaded_at IS 'When the table was loaded (wall clock).';

--
-- Name: organisation_blocks; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.organisation_blocks AS
 SELECT b.tenant,
    b.block,
    b.actors
   FROM ( SELECT numbered.tenant,
            numbered.block,
            count(*) AS actors,
            max(max(numbered.actor_number)) OVER (PARTITION BY numbered.tenant) AS tenant_actors
           FROM ( SELECT used.tenant,
                    used.block,
                    dense_rank() OVER (PARTITION BY used.tenant ORDER BY used.actor) AS actor_number
                   FROM ( SELECT DISTINCT actor_days.tenant,
                            mailhound.network_block(actor_days.client_ip) AS block,
                            actor_days.actor_key AS actor
                           FROM analyst.actor_days
                          WHERE ((actor_days.client_ip IS NOT NULL) AND (actor_days.day >= ( SELECT ((mailhound.history_from() AT TIME ZONE 'UTC'::text))::date AS timezone)))) used) numbered
          GROUP BY numbered.tenant, numbered.block) b
  WHERE (b.actors >= GREATEST((10)::bigint, (b.tenant_actors / 20)));

--
-- Name: VIEW organisation_blocks; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.organisation_blocks IS 'The tenant''s own networks (office NAT, VPN egress): /24 or /64 blocks that at least a twentieth of its actors, and at least 10, had sessions from, as of the latest detection run (analyst.actor_days); new-client and operation-context call them no one''s new network. In an incremental detect, over the judged days and the baseline window before them.';

--
-- Name: COLUMN organisation_blocks.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.organisation_blocks.tenant IS 'The tenant the sessions belong to.';

--
-- Name: COLUMN organisation_blocks.block; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.organisation_blocks.block IS 'The network block: the /24 of an IPv4 address, the /64 of an IPv6 one (mailhound.network_block).';

--
-- Name: COLUMN organisation_blocks.actors; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.organisation_blocks.actors IS 'How many different actors (lower-case) had sessions from the block.';

--
-- Name: other_mailbox_touches; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.other_mailbox_touches AS
 SELECT s.tenant,
    s.session_id,
    s.actor,
    lower(s.actor) AS actor_key,
    s.actor_kind,
    s.operations,
    o.owner AS mailbox,
    s.first_seen,
    s.last_seen
   FROM (mailhound.sessions s
     CROSS JOIN LATERAL unnest(s.mailbox_owners) o(owner))
  WHERE ((s.actor IS NOT NULL) AND (NOT (s.mailbox_owners <@ ARRAY[lower(s.actor)])) AND (o.owner <> lower(s.actor)) AND ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (s.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[]))));

--
-- Name: VIEW other_mailbox_touches; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.other_mailbox_touches IS 'Each session''s touches of mailboxes other than the actor''s own (shared mailboxes included): what shared-mailbox tagging and the breadth detectors start from.';

--
-- Name: COLUMN other_mailbox_touches.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN other_mailbox_touches.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.session_id IS 'Session id: 16 hex digits, stable across reruns for the same records.';

--
-- Name: COLUMN other_mailbox_touches.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.actor IS 'Who acted.';

--
-- Name: COLUMN other_mailbox_touches.actor_key; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.actor_key IS 'The actor, lower-case.';

--
-- Name: COLUMN other_mailbox_touches.actor_kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.actor_kind IS 'Most privileged kind seen in the session: system > app > admin > delegate > user.';

--
-- Name: COLUMN other_mailbox_touches.operations; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.operations IS 'Distinct operations in the session.';

--
-- Name: COLUMN other_mailbox_touches.mailbox; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.mailbox IS 'The mailbox touched (lower-case owner), not the actor''s own.';

--
-- Name: COLUMN other_mailbox_touches.first_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.first_seen IS 'First event (UTC).';

--
-- Name: COLUMN other_mailbox_touches.last_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.other_mailbox_touches.last_seen IS 'Last event (UTC).';

--
-- Name: pull_checkpoints; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.pull_checkpoints (
    tenant text NOT NULL,
    content_type text NOT NULL,
    listed_until timestamp with time zone NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE pull_checkpoints; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.pull_checkpoints IS 'How far each tenant''s content type is pulled: every blob listed before listed_until is stored.';

--
-- Name: COLUMN pull_checkpoints.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pull_checkpoints.tenant IS 'Tenant: the Directory (tenant) ID.';

--
-- Name: COLUMN pull_checkpoints.content_type; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pull_checkpoints.content_type IS 'Content type: Audit.Exchange, Audit.General, Audit.AzureActiveDirectory...';

--
-- Name: COLUMN pull_checkpoints.listed_until; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pull_checkpoints.listed_until IS 'End of the last listing window whose content is all stored; the next pull lists again from a little before it.';

--
-- Name: COLUMN pull_checkpoints.updated_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pull_checkpoints.updated_at IS 'When the checkpoint was written.';

--
-- Name: pulled_content; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.pulled_content (
    tenant text NOT NULL,
    content_type text NOT NULL,
    content_id text NOT NULL,
    content_created timestamp with time zone,
    pulled_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE pulled_content; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.pulled_content IS 'Content blobs of the Management Activity API whose records are stored (or, expired before they could be fetched, quarantined): listed again, they are not fetched again.';

--
-- Name: COLUMN pulled_content.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pulled_content.tenant IS 'Tenant: the Directory (tenant) ID the content was pulled from.';

--
-- Name: COLUMN pulled_content.content_type; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pulled_content.content_type IS 'Content type: Audit.Exchange, Audit.General, Audit.AzureActiveDirectory...';

--
-- Name: COLUMN pulled_content.content_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pulled_content.content_id IS 'The API''s opaque id of the content blob.';

--
-- Name: COLUMN pulled_content.content_created; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pulled_content.content_created IS 'When the API made the content available (contentCreated).';

--
-- Name: COLUMN pulled_content.pulled_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.pulled_content.pulled_at IS 'When its records were committed.';

--
-- Name: pull_checkpoints; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.pull_checkpoints AS
 SELECT c.tenant,
    c.content_type,
    c.listed_until,
    c.updated_at,
    ( SELECT count(*) AS count
           FROM mailhound.pulled_content p
          WHERE ((p.tenant = c.tenant) AND (p.content_type = c.content_type))) AS blobs_pulled
   FROM mailhound.pull_checkpoints c
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (c.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW pull_checkpoints; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.pull_checkpoints IS 'How far mailhound pull has read each tenant''s content types from Microsoft 365.';

--
-- Name: COLUMN pull_checkpoints.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.pull_checkpoints.tenant IS 'Tenant: the Directory (tenant) ID.';

--
-- Name: COLUMN pull_checkpoints.content_type; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.pull_checkpoints.content_type IS 'Content type: Audit.Exchange, Audit.General, Audit.AzureActiveDirectory...';

--
-- Name: COLUMN pull_checkpoints.listed_until; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.pull_checkpoints.listed_until IS 'End of the last listing window whose content is all stored; the next pull lists again from a little before it.';

--
-- Name: COLUMN pull_checkpoints.updated_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.pull_checkpoints.updated_at IS 'When the checkpoint was written.';

--
-- Name: COLUMN pull_checkpoints.blobs_pulled; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.pull_checkpoints.blobs_pulled IS 'Content blobs of this type whose records are stored.';

--
-- Name: quarantine; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.quarantine (
    tenant text NOT NULL,
    source_file text NOT NULL,
    source_offset bigint NOT NULL,
    raw_md5 text GENERATED ALWAYS AS (md5(raw)) STORED NOT NULL,
    source_line bigint NOT NULL,
    reason text NOT NULL,
    raw text NOT NULL,
    quarantined_at timestamp with time zone DEFAULT now() NOT NULL
);
ALTER TABLE ONLY mailhound.quarantine ALTER COLUMN raw SET COMPRESSION lz4;

--
-- Name: TABLE quarantine; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.quarantine IS 'Records that could not be loaded, with where they were and why; never silently dropped.';

--
-- Name: COLUMN quarantine.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.tenant IS 'Tenant configured for the ingest run (the record itself could not be read).';

--
-- Name: COLUMN quarantine.source_file; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.source_file IS 'File the record was read from.';

--
-- Name: COLUMN quarantine.source_offset; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.source_offset IS 'Byte offset of the record in the file.';

--
-- Name: COLUMN quarantine.raw_md5; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.raw_md5 IS 'md5 of raw, so a rerun does not store the same bad record twice.';

--
-- Name: COLUMN quarantine.source_line; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.source_line IS 'Line where the record starts (1-based).';

--
-- Name: COLUMN quarantine.reason; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.reason IS 'Why it was refused, e.g. missing field "Id".';

--
-- Name: COLUMN quarantine.raw; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.raw IS 'The record text as read.';

--
-- Name: COLUMN quarantine.quarantined_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.quarantine.quarantined_at IS 'When mailhound quarantined it (wall clock).';

--
-- Name: quarantine; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.quarantine AS
 SELECT quarantine.tenant,
    quarantine.source_file,
    quarantine.source_line,
    quarantine.source_offset,
    quarantine.reason,
    quarantine.raw,
    quarantine.quarantined_at
   FROM mailhound.quarantine
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (quarantine.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW quarantine; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.quarantine IS 'Records that could not be loaded, with file, line and reason.';

--
-- Name: COLUMN quarantine.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.quarantine.tenant IS 'Tenant configured for the ingest run (the record itself could not be read).';

--
-- Name: COLUMN quarantine.source_file; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.quarantine.source_file IS 'File the record was read from.';

--
-- Name: COLUMN quarantine.source_line; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.quarantine.source_line IS 'Line where the record starts (1-based).';

--
-- Name: COLUMN quarantine.source_offset; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.quarantine.source_offset IS 'Byte offset of the record in the file.';

--
-- Name: COLUMN quarantine.reason; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.quarantine.reason IS 'Why it was refused, e.g. missing field "Id".';

--
-- Name: COLUMN quarantine.raw; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.quarantine.raw IS 'The record text as read.';

--
-- Name: COLUMN quarantine.quarantined_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.quarantine.quarantined_at IS 'When mailhound quarantined it (wall clock).';

--
-- Name: account_scores; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.account_scores (
    tenant text NOT NULL,
    role text NOT NULL,
    account text NOT NULL,
    score integer NOT NULL,
    sessions integer NOT NULL,
    detectors text[] NOT NULL,
    reasons text[] NOT NULL,
    last_session_start timestamp with time zone,
    CONSTRAINT account_scores_role_check CHECK ((role = ANY (ARRAY['actor'::text, 'owner'::text])))
);

--
-- Name: TABLE account_scores; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.account_scores IS 'One row per account in each role (the identity that acted, a mailbox others read) with an unsuppressed finding of the latest detection run: its score, sessions and strongest findings. Filled by mailhound.refresh_account_scores() at the end of each run, and when the allow-list or prune changes the findings; read through analyst.ranked_accounts.';

--
-- Name: COLUMN account_scores.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.tenant IS 'Tenant of the account.';

--
-- Name: COLUMN account_scores.role; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.role IS 'actor: the identity that acted; owner: a mailbox someone else read.';

--
-- Name: COLUMN account_scores.account; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.account IS 'Lower-cased UPN, app id or identity.';

--
-- Name: COLUMN account_scores.score; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.score IS 'Score 0-100: noisy-OR over distinct detectors, each with its strongest points across the account''s sessions.';

--
-- Name: COLUMN account_scores.sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.sessions IS 'Sessions with unsuppressed findings that involve the account in this role.';

--
-- Name: COLUMN account_scores.detectors; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.detectors IS 'Detectors that fired, strongest first.';

--
-- Name: COLUMN account_scores.reasons; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.reasons IS 'The strongest finding''s sentence for each detector, strongest first.';

--
-- Name: COLUMN account_scores.last_session_start; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.account_scores.last_session_start IS 'When the latest of the account''s scored sessions began: an incremental detect scores again the accounts with a session from the first session it judges on (null, as before this column: scored again).';

--
-- Name: ranked_accounts; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.ranked_accounts AS
 SELECT (rank() OVER (PARTITION BY a.role ORDER BY a.score DESC, a.sessions DESC, a.account))::integer AS rank,
    a.score,
    mailhound.severity_band(a.score) AS severity,
    a.role,
    a.tenant,
    a.account,
    a.sessions,
    a.detectors,
    a.reasons
   FROM mailhound.account_scores a
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (a.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW ranked_accounts; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.ranked_accounts IS 'Acting identities (role actor: likely compromised or abused) and mailbox owners read by others (role owner: exposed), ranked by score within each role (mailhound.account_scores, stored by each detection run).';

--
-- Name: COLUMN ranked_accounts.rank; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.rank IS 'Position within the role, 1 = highest risk.';

--
-- Name: COLUMN ranked_accounts.score; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.score IS 'Score 0-100: noisy-OR over distinct detectors, each with its strongest points across the account''s sessions.';

--
-- Name: COLUMN ranked_accounts.severity; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.severity IS 'critical (>= 85), high (>= 65), medium (>= 40) or low.';

--
-- Name: COLUMN ranked_accounts.role; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.role IS 'actor: the identity that acted; owner: a mailbox someone else read.';

--
-- Name: COLUMN ranked_accounts.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.tenant IS 'Tenant of the account.';

--
-- Name: COLUMN ranked_accounts.account; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.account IS 'Lower-cased UPN, app id or identity.';

--
-- Name: COLUMN ranked_accounts.sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.sessions IS 'Sessions with unsuppressed findings that involve the account in this role.';

--
-- Name: COLUMN ranked_accounts.detectors; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.detectors IS 'Detectors that fired, strongest first.';

--
-- Name: COLUMN ranked_accounts.reasons; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_accounts.reasons IS 'The strongest finding''s sentence for each detector, strongest first.';

--
-- Name: session_scores; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.session_scores (
    tenant text NOT NULL,
    session_id text NOT NULL,
    score integer NOT NULL,
    items bigint NOT NULL,
    first_seen timestamp with time zone NOT NULL,
    actor text,
    mailbox_owners text[] NOT NULL,
    detectors text[] NOT NULL,
    reasons text[] NOT NULL,
    evidence jsonb NOT NULL,
    CONSTRAINT session_scores_score_check CHECK (((score >= 0) AND (score <= 99)))
);
ALTER TABLE ONLY mailhound.session_scores ALTER COLUMN reasons SET STATISTICS 0;
ALTER TABLE ONLY mailhound.session_scores ALTER COLUMN evidence SET STATISTICS 0;

--
-- Name: TABLE session_scores; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.session_scores IS 'One row per session with an unsuppressed finding of the latest detection run: its score and what the rankings sort and group by. Filled by mailhound.refresh_session_scores() at the end of each run; read through analyst.ranked_sessions and analyst.ranked_accounts.';

--
-- Name: COLUMN session_scores.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN session_scores.session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.session_id IS 'The session (mailhound.sessions).';

--
-- Name: COLUMN session_scores.score; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.score IS 'Score 0-99: 100 * (1 - product of (1 - points/100)) over the unsuppressed findings (mailhound.combined_score).';

--
-- Name: COLUMN session_scores.items; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.items IS 'The session''s items (a tie-break of the ranking).';

--
-- Name: COLUMN session_scores.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.first_seen IS 'The session''s first event (a tie-break of the ranking).';

--
-- Name: COLUMN session_scores.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.actor IS 'The session''s acting identity (accounts by role actor).';

--
-- Name: COLUMN session_scores.mailbox_owners; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.mailbox_owners IS 'The mailboxes the session touched (accounts by role owner).';

--
-- Name: COLUMN session_scores.detectors; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.detectors IS 'Detectors that fired, strongest first.';

--
-- Name: COLUMN session_scores.reasons; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.reasons IS 'One sentence per finding, strongest first.';

--
-- Name: COLUMN session_scores.evidence; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_scores.evidence IS 'Evidence of each finding, keyed by detector id.';

--
-- Name: ranked_sessions; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.ranked_sessions AS
 SELECT (rank() OVER (ORDER BY sc.score DESC, sc.items DESC, sc.first_seen, sc.session_id))::integer AS rank,
    sc.score,
    mailhound.severity_band(sc.score) AS severity,
    sc.tenant,
    sc.session_id,
    sc.actor,
    s.actor_kind,
    sc.mailbox_owners,
    s.client_ip,
    s.client,
    sc.first_seen,
    s.last_seen,
    s.events,
    sc.items,
    s.bytes,
    sc.detectors,
    sc.reasons,
    sc.evidence
   FROM (mailhound.session_scores sc
     LEFT JOIN mailhound.sessions s ON (((s.tenant = sc.tenant) AND (s.session_id = sc.session_id))))
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (sc.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW ranked_sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.ranked_sessions IS 'Sessions with at least one unsuppressed finding, ranked by score (0-100).';

--
-- Name: COLUMN ranked_sessions.rank; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.rank IS 'Position, 1 = most suspicious; ties broken by items, then time.';

--
-- Name: COLUMN ranked_sessions.score; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.score IS 'Score 0-100: 100 * (1 - product of (1 - points/100)) over the findings.';

--
-- Name: COLUMN ranked_sessions.severity; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.severity IS 'critical (>= 85), high (>= 65), medium (>= 40) or low.';

--
-- Name: COLUMN ranked_sessions.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN ranked_sessions.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.session_id IS 'Session id: 16 hex digits, stable across reruns for the same records.';

--
-- Name: COLUMN ranked_sessions.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.actor IS 'Who acted.';

--
-- Name: COLUMN ranked_sessions.actor_kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.actor_kind IS 'Most privileged kind seen in the session: system > app > admin > delegate > user.';

--
-- Name: COLUMN ranked_sessions.mailbox_owners; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.mailbox_owners IS 'Distinct mailboxes touched, lower-case.';

--
-- Name: COLUMN ranked_sessions.client_ip; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.client_ip IS 'Most frequent client address.';

--
-- Name: COLUMN ranked_sessions.client; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.client IS 'Client: ClientInfoString, else the app id.';

--
-- Name: COLUMN ranked_sessions.first_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.first_seen IS 'First event (UTC).';

--
-- Name: COLUMN ranked_sessions.last_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.last_seen IS 'Last event (UTC).';

--
-- Name: COLUMN ranked_sessions.events; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.events IS 'Number of records in the session.';

--
-- Name: COLUMN ranked_sessions.items; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.items IS 'Items accessed (sum of events.items).';

--
-- Name: COLUMN ranked_sessions.bytes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.bytes IS 'Bytes of the items listed, in bytes.';

--
-- Name: COLUMN ranked_sessions.detectors; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.detectors IS 'Detectors that fired, strongest first.';

--
-- Name: COLUMN ranked_sessions.reasons; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.reasons IS 'One sentence per finding, strongest first.';

--
-- Name: COLUMN ranked_sessions.evidence; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.ranked_sessions.evidence IS 'Evidence of each finding, keyed by detector id.';

--
-- Name: session_blind_spots; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.session_blind_spots AS
 SELECT s.tenant,
    s.session_id,
    b.kind,
    b.subject,
    b.starts_at,
    b.ends_at,
    b.detail
   FROM (mailhound.sessions s
     JOIN mailhound.blind_windows b ON (((b.tenant = s.tenant) AND (((b.kind = 'throttled'::text) AND (b.subject = ANY (s.mailbox_owners)) AND (s.first_seen <= b.ends_at) AND (s.last_seen >= (b.starts_at - '01:00:00'::interval))) OR ((b.kind = 'no-mail-access-audit'::text) AND (b.subject = ANY (s.mailbox_owners))) OR ((b.kind = ANY (ARRAY['source-gap'::text, 'search-cap'::text])) AND ((b.ends_at - b.starts_at) <= '7 days'::interval) AND (s.first_seen <= (b.ends_at + '01:00:00'::interval)) AND (s.last_seen >= (b.starts_at - '01:00:00'::interval))) OR ((b.kind = 'audit-tampering'::text) AND (s.last_seen >= b.starts_at))))))
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (s.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW session_blind_spots; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.session_blind_spots IS 'Sessions in or near a blind window: their findings may understate what happened.';

--
-- Name: COLUMN session_blind_spots.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_blind_spots.tenant IS 'Tenant the blind spot belongs to.';

--
-- Name: COLUMN session_blind_spots.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_blind_spots.session_id IS 'Session id (mailhound.sessions) near the blind window.';

--
-- Name: COLUMN session_blind_spots.kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_blind_spots.kind IS 'throttled (a mailbox hit the MailItemsAccessed throttle: the 24 h after log less than happened), search-cap (a file holds exactly 5,000 or 50,000 records: the export was cut), source-gap (four or more days a source is missing within the data''s span: unified-audit-log, mailbox-audit-csv, admin-audit-csv, httpproxy or iis), server-gap (an on-premises server has no records of a format that other servers have), no-mail-access-audit (a mailbox with no MailItemsAccessed record at all), audit-tampering (auditing switched off or bypassed).';

--
-- Name: COLUMN session_blind_spots.subject; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_blind_spots.subject IS 'What is blind: a mailbox, a file, a log format or an identity.';

--
-- Name: COLUMN session_blind_spots.starts_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_blind_spots.starts_at IS 'Start of the blind window; null for the whole data.';

--
-- Name: COLUMN session_blind_spots.ends_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_blind_spots.ends_at IS 'End of the blind window; null when open-ended or for the whole data.';

--
-- Name: COLUMN session_blind_spots.detail; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_blind_spots.detail IS 'One sentence: what is missing and why it matters.';

--
-- Name: session_item_counts; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.session_item_counts (
    tenant text NOT NULL,
    items bigint NOT NULL,
    sessions bigint NOT NULL
);

--
-- Name: TABLE session_item_counts; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.session_item_counts IS 'How many of each tenant''s sessions read each number of items: written from every session by a full detect and by prune, and kept by difference by an incremental detect, as mailhound.tenant_spans is.';

--
-- Name: COLUMN session_item_counts.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_item_counts.tenant IS 'The tenant the sessions belong to.';

--
-- Name: COLUMN session_item_counts.items; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_item_counts.items IS 'A number of items read in one session (mailhound.sessions.items).';

--
-- Name: COLUMN session_item_counts.sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_item_counts.sessions IS 'How many of the tenant''s sessions read that many items.';

--
-- Name: session_item_counts; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.session_item_counts AS
 SELECT session_item_counts.tenant,
    session_item_counts.items,
    session_item_counts.sessions
   FROM mailhound.session_item_counts
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (session_item_counts.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW session_item_counts; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.session_item_counts IS 'How many of each tenant''s sessions read each number of items, as of the latest detection run: volume-outlier''s tenant percentile reads it instead of every session.';

--
-- Name: COLUMN session_item_counts.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_item_counts.tenant IS 'The tenant the sessions belong to.';

--
-- Name: COLUMN session_item_counts.items; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_item_counts.items IS 'A number of items read in one session (mailhound.sessions.items).';

--
-- Name: COLUMN session_item_counts.sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_item_counts.sessions IS 'How many of the tenant''s sessions read that many items.';

--
-- Name: web_requests; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.web_requests (
    tenant text NOT NULL,
    request_key uuid NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    log_kind text NOT NULL,
    server text,
    protocol text,
    method text,
    url_stem text,
    url_query text,
    http_status integer,
    authenticated_user text,
    client_ip inet,
    user_agent text,
    anchor_mailbox text,
    routing_hint text,
    backend_cookie text,
    request_bytes bigint,
    response_bytes bigint,
    indicators text[] DEFAULT '{}'::text[] NOT NULL,
    source_file text NOT NULL,
    source_line bigint NOT NULL,
    source_offset bigint NOT NULL,
    loaded_txid bigint DEFAULT ((pg_current_xact_id())::text)::bigint,
    content_hash bigint,
    key_source text,
    raw_chunk bigint NOT NULL,
    raw_start integer NOT NULL,
    raw_length integer NOT NULL,
    missing_fields text[],
    CONSTRAINT web_requests_key_source_check CHECK ((key_source = 'conflict'::text)),
    CONSTRAINT web_requests_log_kind_check CHECK ((log_kind = ANY (ARRAY['httpproxy'::text, 'iis'::text])))
);

--
-- Name: TABLE web_requests; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.web_requests IS 'Requests from Exchange HttpProxy and IIS W3C logs, one row per request, with the ProxyLogon-era indicators each matches.';

--
-- Name: COLUMN web_requests.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.tenant IS 'Tenant: the name configured for the on-premises organization (ingest --tenant).';

--
-- Name: COLUMN web_requests.request_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.request_key IS 'Natural key: HttpProxy RequestId plus server; for IIS a hash of server, line and its repeat count within the second.';

--
-- Name: COLUMN web_requests.occurred_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.occurred_at IS 'When the request was logged (UTC).';

--
-- Name: COLUMN web_requests.log_kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.log_kind IS 'httpproxy or iis.';

--
-- Name: COLUMN web_requests.server; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.server IS 'Front-end server: HttpProxy ServerHostName, IIS s-computername or s-ip.';

--
-- Name: COLUMN web_requests.protocol; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.protocol IS 'HttpProxy protocol folder (Owa, Ecp, Ews, Autodiscover, Mapi...); null for IIS.';

--
-- Name: COLUMN web_requests.method; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.method IS 'HTTP method.';

--
-- Name: COLUMN web_requests.url_stem; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.url_stem IS 'Path requested, e.g. /ecp/y.js or /aspnet_client/system_web/x.aspx.';

--
-- Name: COLUMN web_requests.url_query; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.url_query IS 'Query string as logged.';

--
-- Name: COLUMN web_requests.http_status; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.http_status IS 'HTTP status returned by the front end (241 marks a ProxyLogon session step).';

--
-- Name: COLUMN web_requests.authenticated_user; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.authenticated_user IS 'AuthenticatedUser or cs-username; null when empty or -, as in the SSRF pattern.';

--
-- Name: COLUMN web_requests.client_ip; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.client_ip IS 'Client address as the front end saw it.';

--
-- Name: COLUMN web_requests.user_agent; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.user_agent IS 'User agent, with IIS''s + turned back into spaces.';

--
-- Name: COLUMN web_requests.anchor_mailbox; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.anchor_mailbox IS 'HttpProxy AnchorMailbox; ServerInfo~host/path is the CVE-2021-26855 form.';

--
-- Name: COLUMN web_requests.routing_hint; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.routing_hint IS 'HttpProxy RoutingHint, e.g. X-BEResource-Cookie.';

--
-- Name: COLUMN web_requests.backend_cookie; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.backend_cookie IS 'HttpProxy BackEndCookie; Server~host/path~version is the broadened CVE-2021-26855 form.';

--
-- Name: COLUMN web_requests.request_bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.request_bytes IS 'Request size in bytes, when logged.';

--
-- Name: COLUMN web_requests.response_bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.response_bytes IS 'Response size in bytes, when logged (bulk EWS/MAPI downloads are large).';

--
-- Name: COLUMN web_requests.indicators; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.indicators IS 'Indicators matched: ssrf-anchor, static-post, oab-vdir-write, web-shell, pst-download, campaign-user-agent.';

--
-- Name: COLUMN web_requests.source_file; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.source_file IS 'Log file the request was read from.';

--
-- Name: COLUMN web_requests.source_line; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.source_line IS 'Line in that file (1-based).';

--
-- Name: COLUMN web_requests.source_offset; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.source_offset IS 'Byte offset of the line in that file.';

--
-- Name: COLUMN web_requests.loaded_txid; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.loaded_txid IS 'Transaction that stored the row (pg_current_xact_id): detect re-judges the days newer rows fall on.';

--
-- Name: COLUMN web_requests.content_hash; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.content_hash IS 'Hash of what the request says (time, method, URL, status, user, address, agent): two requests under one key that differ here are both kept. Null for rows stored before migration 0017.';

--
-- Name: COLUMN web_requests.key_source; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.key_source IS 'Null: request_key is the request''s own key. conflict: that key was already another request''s, so request_key is mailhound.derived_record_id(own key, content_hash).';

--
-- Name: COLUMN web_requests.raw_chunk; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.raw_chunk IS 'The mailhound.raw_chunks chunk (with tenant) holding the log line.';

--
-- Name: COLUMN web_requests.raw_start; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.raw_start IS 'Where the log line starts in the chunk''s body, in characters from 1.';

--
-- Name: COLUMN web_requests.raw_length; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.raw_length IS 'The log line''s length in characters.';

--
-- Name: COLUMN web_requests.missing_fields; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.web_requests.missing_fields IS 'The fields mailhound reads that the request''s log layout did not carry (an extract such as Test-ProxyLogon''s CSV, a trimmed #Fields:): their nulls mean unknown, not empty. Null for a complete layout and for rows stored before migration 0024.';

--
-- Name: session_web_evidence; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.session_web_evidence AS
 SELECT s.tenant,
    s.session_id,
    w.request_key,
    w.occurred_at,
    w.log_kind,
    w.server,
    w.method,
    w.url_stem,
    w.http_status,
    w.authenticated_user,
    w.client_ip,
    w.user_agent,
    w.anchor_mailbox,
    w.indicators,
    w.source_file,
    w.source_line
   FROM (mailhound.sessions s
     JOIN mailhound.web_requests w ON (((w.tenant = s.tenant) AND (w.client_ip = ANY (s.client_ips)) AND ((w.occurred_at >= (s.first_seen - '24:00:00'::interval)) AND (w.occurred_at <= (s.last_seen + '01:00:00'::interval))))))
  WHERE ((w.indicators <> '{}'::text[]) AND ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (s.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[]))));

--
-- Name: VIEW session_web_evidence; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.session_web_evidence IS 'Flagged web requests (SSRF, static-file POSTs, web shells...) from a session''s client addresses in the 24 h before it and during it.';

--
-- Name: COLUMN session_web_evidence.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.tenant IS 'Tenant: the name configured for the on-premises organization (ingest --tenant).';

--
-- Name: COLUMN session_web_evidence.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.session_id IS 'The mailbox session the request points to (analyst.sessions).';

--
-- Name: COLUMN session_web_evidence.request_key; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.request_key IS 'Natural key: HttpProxy RequestId plus server; for IIS a hash of server, line and its repeat count within the second.';

--
-- Name: COLUMN session_web_evidence.occurred_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.occurred_at IS 'When the request was logged (UTC).';

--
-- Name: COLUMN session_web_evidence.log_kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.log_kind IS 'httpproxy or iis.';

--
-- Name: COLUMN session_web_evidence.server; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.server IS 'Front-end server: HttpProxy ServerHostName, IIS s-computername or s-ip.';

--
-- Name: COLUMN session_web_evidence.method; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.method IS 'HTTP method.';

--
-- Name: COLUMN session_web_evidence.url_stem; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.url_stem IS 'Path requested, e.g. /ecp/y.js or /aspnet_client/system_web/x.aspx.';

--
-- Name: COLUMN session_web_evidence.http_status; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.http_status IS 'HTTP status returned by the front end (241 marks a ProxyLogon session step).';

--
-- Name: COLUMN session_web_evidence.authenticated_user; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.authenticated_user IS 'AuthenticatedUser or cs-username; null when empty or -, as in the SSRF pattern.';

--
-- Name: COLUMN session_web_evidence.client_ip; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.client_ip IS 'Client address as the front end saw it.';

--
-- Name: COLUMN session_web_evidence.user_agent; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.user_agent IS 'User agent, with IIS''s + turned back into spaces.';

--
-- Name: COLUMN session_web_evidence.anchor_mailbox; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.anchor_mailbox IS 'HttpProxy AnchorMailbox; ServerInfo~host/path is the CVE-2021-26855 form.';

--
-- Name: COLUMN session_web_evidence.indicators; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.indicators IS 'Indicators matched: ssrf-anchor, static-post, oab-vdir-write, web-shell, pst-download, campaign-user-agent.';

--
-- Name: COLUMN session_web_evidence.source_file; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.source_file IS 'Log file the request was read from.';

--
-- Name: COLUMN session_web_evidence.source_line; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_web_evidence.source_line IS 'Line in that file (1-based).';

--
-- Name: session_timeline; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.session_timeline AS
 SELECT s.tenant,
    s.session_id,
    e.occurred_at,
        CASE
            WHEN (e.operation = 'MailItemsAccessed'::text) THEN 'mailbox'::text
            ELSE 'operation'::text
        END AS kind,
    true AS in_session,
    e.operation,
    e.actor,
    e.mailbox_owner AS mailbox,
    concat_ws(' '::text, e.access_type,
        CASE
            WHEN (e.folders <> '{}'::text[]) THEN array_to_string(e.folders, ', '::text)
            ELSE NULL::text
        END,
        CASE
            WHEN e.is_throttled THEN '(throttled: more was read than logged)'::text
            ELSE NULL::text
        END, mailhound.parameter_text(e.parameters)) AS detail,
    e.client_ip,
    e.items,
    e.bytes,
    e.source_file,
    e.source_line,
    e.app_id,
    e.client_app_id
   FROM (mailhound.sessions s
     JOIN mailhound.events e ON (((e.tenant = s.tenant) AND (e.session_key = s.session_key) AND ((e.occurred_at >= s.first_seen) AND (e.occurred_at <= s.last_seen)) AND (NOT (lower(e.actor) IS DISTINCT FROM lower(s.actor))) AND (NOT (e.source_session_id IS DISTINCT FROM s.source_session_id)) AND ((s.source_session_id IS NOT NULL) OR (s.session_group = mailhound.session_group(e.actor, NULL::text, e.client_ip, mailhound.record_app(e.client_app_id, e.app_id, e.client_info)))))))
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (s.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])))
UNION ALL
 SELECT s.tenant,
    s.session_id,
    e.occurred_at,
    'related operation'::text AS kind,
    false AS in_session,
    e.operation,
    e.actor,
    e.mailbox_owner AS mailbox,
    mailhound.parameter_text(e.parameters) AS detail,
    e.client_ip,
    e.items,
    e.bytes,
    e.source_file,
    e.source_line,
    e.app_id,
    e.client_app_id
   FROM (mailhound.sessions s
     JOIN mailhound.events e ON (((e.tenant = s.tenant) AND (e.operation <> 'MailItemsAccessed'::text) AND ((e.occurred_at >= (s.first_seen - '24:00:00'::interval)) AND (e.occurred_at <= (s.last_seen + '24:00:00'::interval))) AND ((e.session_key <> s.session_key) OR (lower(e.actor) IS DISTINCT FROM lower(s.actor)) OR (e.source_session_id IS DISTINCT FROM s.source_session_id)))))
  WHERE (((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (s.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[]))) AND ((lower(e.actor) = lower(s.actor)) OR (EXISTS ( SELECT 1
           FROM mailhound.parameter_list(e.parameters) p(p)
          WHERE (lower((p.p ->> 'Value'::text)) = lower(s.actor))))))
UNION ALL
 SELECT w.tenant,
    w.session_id,
    w.occurred_at,
    'web request'::text AS kind,
    false AS in_session,
    concat_ws(' '::text, w.method, w.url_stem) AS operation,
    w.authenticated_user AS actor,
    w.anchor_mailbox AS mailbox,
    concat_ws(' '::text, ('HTTP '::text || w.http_status), (('['::text || array_to_string(w.indicators, ', '::text)) || ']'::text), w.user_agent) AS detail,
    w.client_ip,
    0 AS items,
    0 AS bytes,
    w.source_file,
    w.source_line,
    NULL::text AS app_id,
    NULL::text AS client_app_id
   FROM analyst.session_web_evidence w;

--
-- Name: VIEW session_timeline; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.session_timeline IS 'One session''s story in time order: its records, admin operations by or naming its actor within 24 h, and flagged web requests from its addresses.';

--
-- Name: COLUMN session_timeline.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN session_timeline.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.session_id IS 'The session (analyst.sessions).';

--
-- Name: COLUMN session_timeline.occurred_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.occurred_at IS 'When it happened (UTC).';

--
-- Name: COLUMN session_timeline.kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.kind IS 'mailbox (a MailItemsAccessed record of the session), operation (another record of the session), related operation (outside the session, by or naming its actor) or web request.';

--
-- Name: COLUMN session_timeline.in_session; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.in_session IS 'True for the session''s own records.';

--
-- Name: COLUMN session_timeline.operation; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.operation IS 'Operation, cmdlet, or HTTP method and path.';

--
-- Name: COLUMN session_timeline.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.actor IS 'Who acted (for web requests: the authenticated user, often empty in SSRF).';

--
-- Name: COLUMN session_timeline.mailbox; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.mailbox IS 'Mailbox touched (for web requests: the AnchorMailbox).';

--
-- Name: COLUMN session_timeline.detail; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.detail IS 'Access type and folders, cmdlet parameters, or HTTP status, indicators and agent.';

--
-- Name: COLUMN session_timeline.client_ip; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.client_ip IS 'Client address.';

--
-- Name: COLUMN session_timeline.items; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.items IS 'Items accessed.';

--
-- Name: COLUMN session_timeline.bytes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.bytes IS 'Bytes of the items listed.';

--
-- Name: COLUMN session_timeline.source_file; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.source_file IS 'File the record was read from.';

--
-- Name: COLUMN session_timeline.source_line; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.source_line IS 'Line in that file.';

--
-- Name: COLUMN session_timeline.app_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.app_id IS 'AppId of the record: the app or service that executed the request (null for web requests).';

--
-- Name: COLUMN session_timeline.client_app_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.session_timeline.client_app_id IS 'ClientAppId of the record: the original OAuth client behind a Graph or EWS call, such as an app a user consented to (null for web requests).';

--
-- Name: sessions; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.sessions AS
 SELECT sessions.tenant,
    sessions.session_id,
    sessions.actor,
    sessions.actor_kind,
    sessions.client_ip,
    sessions.client_ips,
    sessions.client,
    sessions.source_session_id,
    sessions.first_seen,
    sessions.last_seen,
    sessions.events,
    sessions.items,
    sessions.bytes,
    sessions.mailbox_owners,
    sessions.access_types,
    sessions.operations,
    sessions.clients
   FROM mailhound.sessions
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (sessions.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.sessions IS 'Sessions of activity; see mailhound.rebuild_sessions() for how they are cut.';

--
-- Name: COLUMN sessions.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN sessions.session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.session_id IS 'Session id: 16 hex digits, stable across reruns for the same records.';

--
-- Name: COLUMN sessions.actor; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.actor IS 'Who acted.';

--
-- Name: COLUMN sessions.actor_kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.actor_kind IS 'Most privileged kind seen in the session: system > app > admin > delegate > user.';

--
-- Name: COLUMN sessions.client_ip; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.client_ip IS 'Most frequent client address.';

--
-- Name: COLUMN sessions.client_ips; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.client_ips IS 'Every client address seen in the session.';

--
-- Name: COLUMN sessions.client; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.client IS 'Client: ClientInfoString, else the app id.';

--
-- Name: COLUMN sessions.source_session_id; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.source_session_id IS 'The records'' SessionId, when the session was built from it.';

--
-- Name: COLUMN sessions.first_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.first_seen IS 'First event (UTC).';

--
-- Name: COLUMN sessions.last_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.last_seen IS 'Last event (UTC).';

--
-- Name: COLUMN sessions.events; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.events IS 'Number of records in the session.';

--
-- Name: COLUMN sessions.items; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.items IS 'Items accessed (sum of events.items).';

--
-- Name: COLUMN sessions.bytes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.bytes IS 'Bytes of the items listed, in bytes.';

--
-- Name: COLUMN sessions.mailbox_owners; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.mailbox_owners IS 'Distinct mailboxes touched, lower-case.';

--
-- Name: COLUMN sessions.access_types; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.access_types IS 'Distinct MailAccessType values (Bind, Sync).';

--
-- Name: COLUMN sessions.operations; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.operations IS 'Distinct operations in the session.';

--
-- Name: COLUMN sessions.clients; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.sessions.clients IS 'Every client seen in the session (ClientInfoString, else the app id); null for sessions cut before migration 0043 until a run cuts them again.';

--
-- Name: shared_mailboxes; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.shared_mailboxes AS
 SELECT shared_mailboxes.tenant,
    shared_mailboxes.mailbox,
    shared_mailboxes.readers,
    shared_mailboxes.first_seen,
    shared_mailboxes.last_seen
   FROM mailhound.shared_mailboxes
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (shared_mailboxes.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW shared_mailboxes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.shared_mailboxes IS 'Mailboxes tagged as shared by the latest detection run: no owner acts in the data, two or more people read them on two or more days each.';

--
-- Name: COLUMN shared_mailboxes.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.shared_mailboxes.tenant IS 'Tenant of the mailbox.';

--
-- Name: COLUMN shared_mailboxes.mailbox; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.shared_mailboxes.mailbox IS 'The mailbox (lower-case owner UPN, as in sessions.mailbox_owners).';

--
-- Name: COLUMN shared_mailboxes.readers; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.shared_mailboxes.readers IS 'People who read it on two or more days (lower-case).';

--
-- Name: COLUMN shared_mailboxes.first_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.shared_mailboxes.first_seen IS 'First session of those readers touching it (UTC).';

--
-- Name: COLUMN shared_mailboxes.last_seen; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.shared_mailboxes.last_seen IS 'Last session of those readers touching it (UTC).';

--
-- Name: tenant_spans; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.tenant_spans (
    tenant text NOT NULL,
    data_from timestamp with time zone NOT NULL,
    data_until timestamp with time zone NOT NULL,
    events bigint NOT NULL,
    sessions bigint NOT NULL,
    working_hours integer
);

--
-- Name: TABLE tenant_spans; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.tenant_spans IS 'Each tenant''s span of data as its sessions give it, written by every detection run after it cuts the sessions.';

--
-- Name: COLUMN tenant_spans.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_spans.tenant IS 'The tenant.';

--
-- Name: COLUMN tenant_spans.data_from; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_spans.data_from IS 'When its first session began (UTC).';

--
-- Name: COLUMN tenant_spans.data_until; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_spans.data_until IS 'When its last session ended (UTC).';

--
-- Name: COLUMN tenant_spans.events; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_spans.events IS 'Records in its sessions.';

--
-- Name: COLUMN tenant_spans.sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_spans.sessions IS 'Its sessions.';

--
-- Name: COLUMN tenant_spans.working_hours; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_spans.working_hours IS 'The UTC hours its people work, as a 24-bit mask (bit h is hour h): hours in which, over its last 7 days of data, at least half as many people were active as in its busiest hour. Null before the first detection run since migration 0033.';

--
-- Name: tenant_spans; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.tenant_spans AS
 SELECT tenant_spans.tenant,
    tenant_spans.data_from,
    tenant_spans.data_until,
    tenant_spans.events,
    tenant_spans.sessions,
    tenant_spans.working_hours
   FROM mailhound.tenant_spans
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (tenant_spans.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW tenant_spans; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.tenant_spans IS 'Each tenant''s span of data as of the latest detection run: where its first and last sessions fall, its records and sessions, and the hours its people work. Detectors that wait out the data''s first days start counting from data_from.';

--
-- Name: COLUMN tenant_spans.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.tenant_spans.tenant IS 'The tenant.';

--
-- Name: COLUMN tenant_spans.data_from; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.tenant_spans.data_from IS 'When its first session began (UTC).';

--
-- Name: COLUMN tenant_spans.data_until; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.tenant_spans.data_until IS 'When its last session ended (UTC).';

--
-- Name: COLUMN tenant_spans.events; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.tenant_spans.events IS 'Records in its sessions.';

--
-- Name: COLUMN tenant_spans.sessions; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.tenant_spans.sessions IS 'Its sessions.';

--
-- Name: COLUMN tenant_spans.working_hours; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.tenant_spans.working_hours IS 'The UTC hours its people work, as a 24-bit mask (bit h is hour h): hours in which, over its last 7 days of data, at least half as many people were active as in its busiest hour. Null before the first detection run since migration 0033.';

--
-- Name: web_requests; Type: VIEW; Schema: analyst; Owner: -
--

CREATE VIEW analyst.web_requests AS
 SELECT w.tenant,
    w.request_key,
    w.occurred_at,
    w.log_kind,
    w.server,
    w.protocol,
    w.method,
    w.url_stem,
    w.url_query,
    w.http_status,
    w.authenticated_user,
    w.client_ip,
    w.user_agent,
    w.anchor_mailbox,
    w.routing_hint,
    w.backend_cookie,
    w.request_bytes,
    w.response_bytes,
    w.indicators,
    w.source_file,
    w.source_line,
    w.source_offset,
    ( SELECT substr(c.body, w.raw_start, w.raw_length) AS substr
           FROM mailhound.raw_chunks c
          WHERE ((c.tenant = w.tenant) AND (c.chunk_id = w.raw_chunk))) AS raw,
    w.missing_fields
   FROM mailhound.web_requests w
  WHERE ((( SELECT mailhound.visible_tenants() AS visible_tenants) IS NULL) OR (w.tenant = ANY (( SELECT mailhound.visible_tenants() AS visible_tenants)::text[])));

--
-- Name: VIEW web_requests; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON VIEW analyst.web_requests IS 'Every request read from Exchange HttpProxy and IIS logs, with the indicators it matches.';

--
-- Name: COLUMN web_requests.tenant; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.tenant IS 'Tenant: the name configured for the on-premises organization (ingest --tenant).';

--
-- Name: COLUMN web_requests.request_key; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.request_key IS 'Natural key: HttpProxy RequestId plus server; for IIS a hash of server, line and its repeat count within the second.';

--
-- Name: COLUMN web_requests.occurred_at; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.occurred_at IS 'When the request was logged (UTC).';

--
-- Name: COLUMN web_requests.log_kind; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.log_kind IS 'httpproxy or iis.';

--
-- Name: COLUMN web_requests.server; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.server IS 'Front-end server: HttpProxy ServerHostName, IIS s-computername or s-ip.';

--
-- Name: COLUMN web_requests.protocol; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.protocol IS 'HttpProxy protocol folder (Owa, Ecp, Ews, Autodiscover, Mapi...); null for IIS.';

--
-- Name: COLUMN web_requests.method; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.method IS 'HTTP method.';

--
-- Name: COLUMN web_requests.url_stem; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.url_stem IS 'Path requested, e.g. /ecp/y.js or /aspnet_client/system_web/x.aspx.';

--
-- Name: COLUMN web_requests.url_query; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.url_query IS 'Query string as logged.';

--
-- Name: COLUMN web_requests.http_status; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.http_status IS 'HTTP status returned by the front end (241 marks a ProxyLogon session step).';

--
-- Name: COLUMN web_requests.authenticated_user; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.authenticated_user IS 'AuthenticatedUser or cs-username; null when empty or -, as in the SSRF pattern.';

--
-- Name: COLUMN web_requests.client_ip; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.client_ip IS 'Client address as the front end saw it.';

--
-- Name: COLUMN web_requests.user_agent; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.user_agent IS 'User agent, with IIS''s + turned back into spaces.';

--
-- Name: COLUMN web_requests.anchor_mailbox; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.anchor_mailbox IS 'HttpProxy AnchorMailbox; ServerInfo~host/path is the CVE-2021-26855 form.';

--
-- Name: COLUMN web_requests.routing_hint; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.routing_hint IS 'HttpProxy RoutingHint, e.g. X-BEResource-Cookie.';

--
-- Name: COLUMN web_requests.backend_cookie; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.backend_cookie IS 'HttpProxy BackEndCookie; Server~host/path~version is the broadened CVE-2021-26855 form.';

--
-- Name: COLUMN web_requests.request_bytes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.request_bytes IS 'Request size in bytes, when logged.';

--
-- Name: COLUMN web_requests.response_bytes; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.response_bytes IS 'Response size in bytes, when logged (bulk EWS/MAPI downloads are large).';

--
-- Name: COLUMN web_requests.indicators; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.indicators IS 'Indicators matched: ssrf-anchor, static-post, oab-vdir-write, web-shell, pst-download, campaign-user-agent.';

--
-- Name: COLUMN web_requests.source_file; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.source_file IS 'Log file the request was read from.';

--
-- Name: COLUMN web_requests.source_line; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.source_line IS 'Line in that file (1-based).';

--
-- Name: COLUMN web_requests.source_offset; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.source_offset IS 'Byte offset of the line in that file.';

--
-- Name: COLUMN web_requests.raw; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.raw IS 'The log line as read, kept as evidence: verbatim, from the chunk ingest packed it in (mailhound.raw_chunks).';

--
-- Name: COLUMN web_requests.missing_fields; Type: COMMENT; Schema: analyst; Owner: -
--

COMMENT ON COLUMN analyst.web_requests.missing_fields IS 'The fields mailhound reads that the request''s log layout did not carry (an extract such as Test-ProxyLogon''s CSV, a trimmed #Fields:): their nulls mean unknown, not empty. Null for a complete layout and for rows stored before migration 0024.';

--
-- Name: allowlist_entry_id_seq; Type: SEQUENCE; Schema: mailhound; Owner: -
--

ALTER TABLE mailhound.allowlist ALTER COLUMN entry_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME mailhound.allowlist_entry_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: blind_windows_window_id_seq; Type: SEQUENCE; Schema: mailhound; Owner: -
--

ALTER TABLE mailhound.blind_windows ALTER COLUMN window_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME mailhound.blind_windows_window_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: coverage_counts; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.coverage_counts (
    singleton boolean DEFAULT true NOT NULL,
    counted pg_snapshot NOT NULL,
    CONSTRAINT coverage_counts_singleton_check CHECK (singleton)
);

--
-- Name: TABLE coverage_counts; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.coverage_counts IS 'Which transactions'' records mailhound.file_days and mailhound.mailbox_read_logging hold: one row; none means count every record again (after a prune).';

--
-- Name: COLUMN coverage_counts.singleton; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.coverage_counts.singleton IS 'Always true: the table holds one row.';

--
-- Name: COLUMN coverage_counts.counted; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.coverage_counts.counted IS 'Snapshot of the last count: records of transactions it could not see are counted next time.';

--
-- Name: deferred_indexes; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.deferred_indexes (
    index_name text NOT NULL,
    definition text NOT NULL,
    deferred_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE deferred_indexes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.deferred_indexes IS 'Indexes of mailhound.events a large load dropped to build again once at its end; empty unless a load is running or died.';

--
-- Name: COLUMN deferred_indexes.index_name; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.deferred_indexes.index_name IS 'The index, in schema mailhound.';

--
-- Name: COLUMN deferred_indexes.definition; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.deferred_indexes.definition IS 'Its definition as pg_get_indexdef gave it, run again to build it.';

--
-- Name: COLUMN deferred_indexes.deferred_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.deferred_indexes.deferred_at IS 'When the load dropped it.';

--
-- Name: detection_runs_run_id_seq; Type: SEQUENCE; Schema: mailhound; Owner: -
--

ALTER TABLE mailhound.detection_runs ALTER COLUMN run_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME mailhound.detection_runs_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: file_days; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.file_days (
    tenant text NOT NULL,
    source_file text NOT NULL,
    day date NOT NULL,
    records bigint NOT NULL
);

--
-- Name: TABLE file_days; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.file_days IS 'Records stored from each input file on each UTC day (events and web requests), kept up to date by mailhound.count_coverage(): coverage reads these counts instead of the records.';

--
-- Name: COLUMN file_days.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_days.tenant IS 'Tenant of the records.';

--
-- Name: COLUMN file_days.source_file; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_days.source_file IS 'Input file that stored them (mailhound.file_checkpoints.path).';

--
-- Name: COLUMN file_days.day; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_days.day IS 'UTC day the records happened on.';

--
-- Name: COLUMN file_days.records; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.file_days.records IS 'Records stored.';

--
-- Name: installed_sql; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.installed_sql (
    kind text NOT NULL,
    sha256 text NOT NULL,
    files text[] NOT NULL,
    installed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT installed_sql_kind_check CHECK ((kind = ANY (ARRAY['functions'::text, 'views'::text])))
);

--
-- Name: TABLE installed_sql; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.installed_sql IS 'What mailhound migrate installed from sql/functions and sql/views: one row per kind, with the SHA-256 of the files'' names and texts. A command reinstalls only when it differs.';

--
-- Name: COLUMN installed_sql.kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.installed_sql.kind IS 'functions or views.';

--
-- Name: COLUMN installed_sql.sha256; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.installed_sql.sha256 IS 'SHA-256 of every file name and text of that folder, in name order.';

--
-- Name: COLUMN installed_sql.files; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.installed_sql.files IS 'The files installed, in the order they ran.';

--
-- Name: COLUMN installed_sql.installed_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.installed_sql.installed_at IS 'When they were installed (wall clock).';

--
-- Name: mailbox_read_logging; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.mailbox_read_logging (
    tenant text NOT NULL,
    mailbox text NOT NULL,
    logs_reads boolean NOT NULL
);

--
-- Name: TABLE mailbox_read_logging; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.mailbox_read_logging IS 'Every mailbox named by a record, and whether any record of it is a MailItemsAccessed read; kept up to date by mailhound.count_coverage().';

--
-- Name: COLUMN mailbox_read_logging.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_read_logging.tenant IS 'Tenant of the mailbox.';

--
-- Name: COLUMN mailbox_read_logging.mailbox; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_read_logging.mailbox IS 'Mailbox owner, lower-case; empty for records that name none.';

--
-- Name: COLUMN mailbox_read_logging.logs_reads; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.mailbox_read_logging.logs_reads IS 'True when the data holds a MailItemsAccessed record for it.';

--
-- Name: raw_chunk_runs; Type: SEQUENCE; Schema: mailhound; Owner: -
--

CREATE SEQUENCE mailhound.raw_chunk_runs
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: SEQUENCE raw_chunk_runs; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON SEQUENCE mailhound.raw_chunk_runs IS 'One number a loading run: a run names its chunks (number << 32) + 0, 1, 2 ... Run 0 is the chunks migration 0023 made of records stored before.';

--
-- Name: rebuild_groups; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE UNLOGGED TABLE mailhound.rebuild_groups (
    tenant text NOT NULL,
    session_key bigint NOT NULL,
    cut_from timestamp with time zone DEFAULT '-infinity'::timestamp with time zone NOT NULL
);

--
-- Name: TABLE rebuild_groups; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.rebuild_groups IS 'Scratch space of an incremental detect: the session groups with events new to the run, filled and emptied by mailhound.rebuild_sessions() in the run''s transaction. Empty between runs.';

--
-- Name: COLUMN rebuild_groups.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuild_groups.tenant IS 'Tenant of the group.';

--
-- Name: COLUMN rebuild_groups.session_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuild_groups.session_key IS 'The group''s key (mailhound.events.session_key).';

--
-- Name: COLUMN rebuild_groups.cut_from; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuild_groups.cut_from IS 'Where the group is cut again: the start of its latest stored session that began at or before its earliest new event (-infinity: from its first event). Sessions before it cannot change.';

--
-- Name: rebuilt_sessions; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE UNLOGGED TABLE mailhound.rebuilt_sessions (
    tenant text NOT NULL,
    session_id text NOT NULL,
    session_group text NOT NULL,
    actor text,
    actor_kind text NOT NULL,
    client_ip inet,
    client_ips inet[] NOT NULL,
    client text,
    source_session_id text,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    events integer NOT NULL,
    items bigint NOT NULL,
    bytes bigint NOT NULL,
    mailbox_owners text[] NOT NULL,
    access_types text[] NOT NULL,
    operations text[] NOT NULL,
    session_key bigint NOT NULL,
    clients text[]
);

--
-- Name: TABLE rebuilt_sessions; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.rebuilt_sessions IS 'Scratch space of an incremental detect: the sessions of the groups with new events, cut again, filled and emptied by mailhound.rebuild_sessions() in the run''s transaction. Empty between runs.';

--
-- Name: COLUMN rebuilt_sessions.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.tenant IS 'As mailhound.sessions.tenant: Tenant of the session.';

--
-- Name: COLUMN rebuilt_sessions.session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.session_id IS 'As mailhound.sessions.session_id: Session id: 16 hex digits, stable across reruns for the same records.';

--
-- Name: COLUMN rebuilt_sessions.session_group; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.session_group IS 'As mailhound.sessions.session_group: The grouping key its events share (see mailhound.events.session_group).';

--
-- Name: COLUMN rebuilt_sessions.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.actor IS 'As mailhound.sessions.actor: Who acted.';

--
-- Name: COLUMN rebuilt_sessions.actor_kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.actor_kind IS 'As mailhound.sessions.actor_kind: Most privileged kind seen in the session: system > app > admin > delegate > user.';

--
-- Name: COLUMN rebuilt_sessions.client_ip; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.client_ip IS 'As mailhound.sessions.client_ip: Most frequent client address.';

--
-- Name: COLUMN rebuilt_sessions.client_ips; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.client_ips IS 'As mailhound.sessions.client_ips: Every client address seen in the session.';

--
-- Name: COLUMN rebuilt_sessions.client; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.client IS 'As mailhound.sessions.client: Client: ClientInfoString, else the app id.';

--
-- Name: COLUMN rebuilt_sessions.source_session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.source_session_id IS 'As mailhound.sessions.source_session_id: The records'' SessionId, when the session was built from it.';

--
-- Name: COLUMN rebuilt_sessions.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.first_seen IS 'As mailhound.sessions.first_seen: First event (UTC).';

--
-- Name: COLUMN rebuilt_sessions.last_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.last_seen IS 'As mailhound.sessions.last_seen: Last event (UTC).';

--
-- Name: COLUMN rebuilt_sessions.events; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.events IS 'As mailhound.sessions.events: Number of records in the session.';

--
-- Name: COLUMN rebuilt_sessions.items; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.items IS 'As mailhound.sessions.items: Items accessed (sum of events.items).';

--
-- Name: COLUMN rebuilt_sessions.bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.bytes IS 'As mailhound.sessions.bytes: Bytes of the items listed, in bytes.';

--
-- Name: COLUMN rebuilt_sessions.mailbox_owners; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.mailbox_owners IS 'As mailhound.sessions.mailbox_owners: Distinct mailboxes touched, lower-case.';

--
-- Name: COLUMN rebuilt_sessions.access_types; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.access_types IS 'As mailhound.sessions.access_types: Distinct MailAccessType values (Bind, Sync).';

--
-- Name: COLUMN rebuilt_sessions.operations; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.operations IS 'As mailhound.sessions.operations: Distinct operations in the session.';

--
-- Name: COLUMN rebuilt_sessions.session_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.session_key IS 'As mailhound.sessions.session_key: The group''s key as mailhound.events.session_key holds it: a 64-bit hash of the tenant and session_group.';

--
-- Name: COLUMN rebuilt_sessions.clients; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.rebuilt_sessions.clients IS 'As mailhound.sessions.clients: every client seen in the session.';

--
-- Name: schema_migrations; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    sha256 text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE schema_migrations; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.schema_migrations IS 'Migrations applied to this database, one row per sql/migrations file.';

--
-- Name: session_counts; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE UNLOGGED TABLE mailhound.session_counts (
    session_key bigint NOT NULL,
    tenant text NOT NULL,
    actor_kind text NOT NULL,
    client_ip inet,
    client_info text,
    client_app_id text,
    app_id text,
    mailbox_owner text,
    access_type text,
    operation text NOT NULL,
    actor text,
    source_session_id text,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    events bigint NOT NULL,
    items bigint NOT NULL,
    bytes numeric NOT NULL,
    source_file text
);

--
-- Name: TABLE session_counts; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.session_counts IS 'Scratch space of detect: the records of each session group counted into one row per distinct set of values, file and UTC day (and half hour for a group without a SessionId), filled by mailhound.count_session_events() and cut into sessions by mailhound.cut_sessions(). Empty between runs.';

--
-- Name: COLUMN session_counts.session_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.session_key IS 'As mailhound.events.session_key: the group''s 64-bit key.';

--
-- Name: COLUMN session_counts.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.tenant IS 'As mailhound.events.tenant.';

--
-- Name: COLUMN session_counts.actor_kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.actor_kind IS 'As mailhound.events.actor_kind.';

--
-- Name: COLUMN session_counts.client_ip; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.client_ip IS 'As mailhound.events.client_ip.';

--
-- Name: COLUMN session_counts.client_info; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.client_info IS 'As mailhound.events.client_info.';

--
-- Name: COLUMN session_counts.client_app_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.client_app_id IS 'As mailhound.events.client_app_id.';

--
-- Name: COLUMN session_counts.app_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.app_id IS 'As mailhound.events.app_id.';

--
-- Name: COLUMN session_counts.mailbox_owner; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.mailbox_owner IS 'As mailhound.events.mailbox_owner.';

--
-- Name: COLUMN session_counts.access_type; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.access_type IS 'As mailhound.events.access_type.';

--
-- Name: COLUMN session_counts.operation; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.operation IS 'As mailhound.events.operation.';

--
-- Name: COLUMN session_counts.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.actor IS 'The actor text of the records counted, as recorded (the cut takes the group''s actor as its lower case).';

--
-- Name: COLUMN session_counts.source_session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.source_session_id IS 'The SessionId of the records counted, or none.';

--
-- Name: COLUMN session_counts.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.first_seen IS 'Time of the earliest record counted.';

--
-- Name: COLUMN session_counts.last_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.last_seen IS 'Time of the latest record counted.';

--
-- Name: COLUMN session_counts.events; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.events IS 'Records counted.';

--
-- Name: COLUMN session_counts.items; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.items IS 'Sum of the records'' items.';

--
-- Name: COLUMN session_counts.bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.bytes IS 'Sum of the records'' bytes.';

--
-- Name: COLUMN session_counts.source_file; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_counts.source_file IS 'As mailhound.events.source_file.';

--
-- Name: session_parts; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE UNLOGGED TABLE mailhound.session_parts (
    tenant text NOT NULL,
    session_id text NOT NULL,
    session_group text NOT NULL,
    actor text,
    actor_kind text NOT NULL,
    client_ip inet,
    client_ips inet[] NOT NULL,
    client text,
    source_session_id text,
    first_seen timestamp with time zone NOT NULL,
    last_seen timestamp with time zone NOT NULL,
    events integer NOT NULL,
    items bigint NOT NULL,
    bytes bigint NOT NULL,
    mailbox_owners text[] NOT NULL,
    access_types text[] NOT NULL,
    operations text[] NOT NULL,
    session_key bigint NOT NULL,
    clients text[]
);

--
-- Name: TABLE session_parts; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.session_parts IS 'Scratch space of a full detect: sessions built side by side on several connections, moved into mailhound.sessions in the run''s transaction. Empty between runs.';

--
-- Name: COLUMN session_parts.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.tenant IS 'Tenant of the session.';

--
-- Name: COLUMN session_parts.session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.session_id IS 'Session id: 16 hex digits, stable across reruns for the same records.';

--
-- Name: COLUMN session_parts.session_group; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.session_group IS 'The grouping key its events share (see mailhound.events.session_group).';

--
-- Name: COLUMN session_parts.actor; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.actor IS 'Who acted.';

--
-- Name: COLUMN session_parts.actor_kind; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.actor_kind IS 'Most privileged kind seen in the session: system > app > admin > delegate > user.';

--
-- Name: COLUMN session_parts.client_ip; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.client_ip IS 'Most frequent client address.';

--
-- Name: COLUMN session_parts.client_ips; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.client_ips IS 'Every client address seen in the session.';

--
-- Name: COLUMN session_parts.client; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.client IS 'Client: ClientInfoString, else the app id.';

--
-- Name: COLUMN session_parts.source_session_id; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.source_session_id IS 'The records'' SessionId, when the session was built from it.';

--
-- Name: COLUMN session_parts.first_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.first_seen IS 'First event (UTC).';

--
-- Name: COLUMN session_parts.last_seen; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.last_seen IS 'Last event (UTC).';

--
-- Name: COLUMN session_parts.events; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.events IS 'Number of records in the session.';

--
-- Name: COLUMN session_parts.items; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.items IS 'Items accessed (sum of events.items).';

--
-- Name: COLUMN session_parts.bytes; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.bytes IS 'Bytes of the items listed, in bytes.';

--
-- Name: COLUMN session_parts.mailbox_owners; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.mailbox_owners IS 'Distinct mailboxes touched, lower-case.';

--
-- Name: COLUMN session_parts.access_types; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.access_types IS 'Distinct MailAccessType values (Bind, Sync).';

--
-- Name: COLUMN session_parts.operations; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.operations IS 'Distinct operations in the session.';

--
-- Name: COLUMN session_parts.session_key; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.session_key IS 'The group''s key as mailhound.events.session_key holds it: a 64-bit hash of the tenant and session_group.';

--
-- Name: COLUMN session_parts.clients; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.session_parts.clients IS 'As mailhound.sessions.clients: every client seen in the session.';

--
-- Name: tenant_access; Type: TABLE; Schema: mailhound; Owner: -
--

CREATE TABLE mailhound.tenant_access (
    role_name name NOT NULL,
    tenant text NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE tenant_access; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON TABLE mailhound.tenant_access IS 'Which tenants each role sees through the analyst views (mailhound grant reader ROLE --tenant T); * for all.';

--
-- Name: COLUMN tenant_access.role_name; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_access.role_name IS 'A login or group role; members of it see these tenants too.';

--
-- Name: COLUMN tenant_access.tenant; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_access.tenant IS 'A tenant (mailhound.events.tenant), or * for every tenant.';

--
-- Name: COLUMN tenant_access.granted_at; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON COLUMN mailhound.tenant_access.granted_at IS 'When the binding was made (wall clock).';

--
-- Name: account_scores account_scores_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.account_scores
    ADD CONSTRAINT account_scores_pkey PRIMARY KEY (tenant, role, account);

--
-- Name: allowlist allowlist_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.allowlist
    ADD CONSTRAINT allowlist_pkey PRIMARY KEY (tenant, entry_id);

--
-- Name: blind_windows blind_windows_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.blind_windows
    ADD CONSTRAINT blind_windows_pkey PRIMARY KEY (window_id);

--
-- Name: chains chains_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.chains
    ADD CONSTRAINT chains_pkey PRIMARY KEY (tenant, chain_id);

--
-- Name: coverage_counts coverage_counts_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.coverage_counts
    ADD CONSTRAINT coverage_counts_pkey PRIMARY KEY (singleton);

--
-- Name: deferred_indexes deferred_indexes_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.deferred_indexes
    ADD CONSTRAINT deferred_indexes_pkey PRIMARY KEY (index_name);

--
-- Name: detection_runs detection_runs_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.detection_runs
    ADD CONSTRAINT detection_runs_pkey PRIMARY KEY (run_id);

--
-- Name: detectors detectors_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.detectors
    ADD CONSTRAINT detectors_pkey PRIMARY KEY (detector_id);

--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (record_id, tenant);

--
-- Name: file_checkpoints file_checkpoints_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.file_checkpoints
    ADD CONSTRAINT file_checkpoints_pkey PRIMARY KEY (path);

--
-- Name: file_days file_days_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.file_days
    ADD CONSTRAINT file_days_pkey PRIMARY KEY (tenant, source_file, day);

--
-- Name: findings findings_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.findings
    ADD CONSTRAINT findings_pkey PRIMARY KEY (tenant, session_id, detector_id);

--
-- Name: installed_sql installed_sql_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.installed_sql
    ADD CONSTRAINT installed_sql_pkey PRIMARY KEY (kind);

--
-- Name: mailbox_read_logging mailbox_read_logging_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.mailbox_read_logging
    ADD CONSTRAINT mailbox_read_logging_pkey PRIMARY KEY (tenant, mailbox);

--
-- Name: network_owners network_owners_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.network_owners
    ADD CONSTRAINT network_owners_pkey PRIMARY KEY (range_start);

--
-- Name: pull_checkpoints pull_checkpoints_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.pull_checkpoints
    ADD CONSTRAINT pull_checkpoints_pkey PRIMARY KEY (tenant, content_type);

--
-- Name: pulled_content pulled_content_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.pulled_content
    ADD CONSTRAINT pulled_content_pkey PRIMARY KEY (tenant, content_type, content_id);

--
-- Name: quarantine quarantine_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.quarantine
    ADD CONSTRAINT quarantine_pkey PRIMARY KEY (tenant, source_file, source_offset, raw_md5);

--
-- Name: raw_chunks raw_chunks_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.raw_chunks
    ADD CONSTRAINT raw_chunks_pkey PRIMARY KEY (tenant, chunk_id);

--
-- Name: rebuild_groups rebuild_groups_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.rebuild_groups
    ADD CONSTRAINT rebuild_groups_pkey PRIMARY KEY (tenant, session_key);

--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

--
-- Name: session_item_counts session_item_counts_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.session_item_counts
    ADD CONSTRAINT session_item_counts_pkey PRIMARY KEY (tenant, items);

--
-- Name: session_scores session_scores_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.session_scores
    ADD CONSTRAINT session_scores_pkey PRIMARY KEY (tenant, session_id);

--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (session_id, tenant);

--
-- Name: shared_mailboxes shared_mailboxes_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.shared_mailboxes
    ADD CONSTRAINT shared_mailboxes_pkey PRIMARY KEY (tenant, mailbox);

--
-- Name: tenant_access tenant_access_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.tenant_access
    ADD CONSTRAINT tenant_access_pkey PRIMARY KEY (role_name, tenant);

--
-- Name: tenant_spans tenant_spans_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.tenant_spans
    ADD CONSTRAINT tenant_spans_pkey PRIMARY KEY (tenant);

--
-- Name: web_requests web_requests_pkey; Type: CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.web_requests
    ADD CONSTRAINT web_requests_pkey PRIMARY KEY (request_key, tenant);

--
-- Name: blind_windows_tenant_kind; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX blind_windows_tenant_kind ON mailhound.blind_windows USING btree (tenant, kind, subject);

--
-- Name: events_actor_time; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_actor_time ON mailhound.events USING btree (tenant, lower(actor), occurred_at) WHERE (operation <> 'MailItemsAccessed'::text);

--
-- Name: events_loaded_txid; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_loaded_txid ON mailhound.events USING brin (loaded_txid);

--
-- Name: events_machine_identities; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_machine_identities ON mailhound.events USING btree (session_key, occurred_at) WHERE (actor_kind = ANY (ARRAY['system'::text, 'app'::text]));

--
-- Name: events_non_owner_syncs; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_non_owner_syncs ON mailhound.events USING btree (occurred_at) WHERE ((operation = 'MailItemsAccessed'::text) AND (access_type = 'Sync'::text) AND (mailbox_owner IS NOT NULL) AND ((lower(actor) IS DISTINCT FROM lower(mailbox_owner)) OR (actor_kind = ANY (ARRAY['admin'::text, 'delegate'::text, 'app'::text, 'system'::text]))));

--
-- Name: events_not_mail_reads; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_not_mail_reads ON mailhound.events USING btree (tenant, operation, occurred_at) WHERE (operation <> 'MailItemsAccessed'::text);

--
-- Name: events_origin_server; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_origin_server ON mailhound.events USING btree (tenant, origin_server, source_file) WHERE (origin_server IS NOT NULL);

--
-- Name: events_session_key; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_session_key ON mailhound.events USING btree (session_key, occurred_at);

--
-- Name: events_throttled; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_throttled ON mailhound.events USING btree (tenant, occurred_at) WHERE is_throttled;

--
-- Name: events_unkeyed; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX events_unkeyed ON mailhound.events USING btree (tenant) WHERE (session_key IS NULL);

--
-- Name: session_scores_rank; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX session_scores_rank ON mailhound.session_scores USING btree (score DESC, items DESC, first_seen, session_id);

--
-- Name: sessions_actor_time; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX sessions_actor_time ON mailhound.sessions USING btree (lower(actor), tenant, first_seen);

--
-- Name: sessions_first_seen; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX sessions_first_seen ON mailhound.sessions USING btree (first_seen);

--
-- Name: sessions_group_time; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX sessions_group_time ON mailhound.sessions USING btree (session_key, first_seen, last_seen);

--
-- Name: sessions_long_group_time; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX sessions_long_group_time ON mailhound.sessions USING btree (session_key, first_seen) WHERE ((last_seen - first_seen) > '1 day'::interval);

--
-- Name: sessions_touching_others; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX sessions_touching_others ON mailhound.sessions USING btree (tenant, first_seen) WHERE ((actor IS NOT NULL) AND (NOT (mailbox_owners <@ ARRAY[lower(actor)])));

--
-- Name: web_requests_address_time; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX web_requests_address_time ON mailhound.web_requests USING btree (tenant, client_ip, occurred_at);

--
-- Name: web_requests_flagged; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX web_requests_flagged ON mailhound.web_requests USING btree (tenant, occurred_at) WHERE (indicators <> '{}'::text[]);

--
-- Name: web_requests_loaded_txid; Type: INDEX; Schema: mailhound; Owner: -
--

CREATE INDEX web_requests_loaded_txid ON mailhound.web_requests USING brin (loaded_txid);

--
-- Name: sessions_span; Type: STATISTICS; Schema: mailhound; Owner: -
--

CREATE STATISTICS mailhound.sessions_span ON (last_seen - first_seen) FROM mailhound.sessions;

--
-- Name: STATISTICS sessions_span; Type: COMMENT; Schema: mailhound; Owner: -
--

COMMENT ON STATISTICS mailhound.sessions_span IS 'How long sessions last (last_seen - first_seen), sampled by analyze for the planner: the views and detect tell sessions of a day or less from longer ones by it.';

--
-- Name: chains chains_run_id_fkey; Type: FK CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.chains
    ADD CONSTRAINT chains_run_id_fkey FOREIGN KEY (run_id) REFERENCES mailhound.detection_runs(run_id);

--
-- Name: findings findings_run_id_fkey; Type: FK CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.findings
    ADD CONSTRAINT findings_run_id_fkey FOREIGN KEY (run_id) REFERENCES mailhound.detection_runs(run_id);

--
-- Name: findings findings_session_fkey; Type: FK CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.findings
    ADD CONSTRAINT findings_session_fkey FOREIGN KEY (tenant, session_id) REFERENCES mailhound.sessions(tenant, session_id) ON DELETE CASCADE NOT VALID;

--
-- Name: session_scores session_scores_session_fkey; Type: FK CONSTRAINT; Schema: mailhound; Owner: -
--

ALTER TABLE ONLY mailhound.session_scores
    ADD CONSTRAINT session_scores_session_fkey FOREIGN KEY (tenant, session_id) REFERENCES mailhound.sessions(tenant, session_id) ON DELETE CASCADE;

--
-- Name: tenant_access own_bindings; Type: POLICY; Schema: mailhound; Owner: -
--

CREATE POLICY own_bindings ON mailhound.tenant_access FOR SELECT USING (pg_has_role(CURRENT_USER, role_name, 'member'::text));

--
-- Name: tenant_access; Type: ROW SECURITY; Schema: mailhound; Owner: -
--

ALTER TABLE mailhound.tenant_access ENABLE ROW LEVEL SECURITY;

--
-- PostgreSQL database dump complete
--
