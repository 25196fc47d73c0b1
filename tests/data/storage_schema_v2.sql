-- A faultkit database at schema version 2, the schema released before issue 15, with
-- rows written by that release (SqlStore on SQLite; the bodies are its JSON).
-- tests/test_storage_upgrade.py loads it into SQLite and PostgreSQL, opens it with
-- the current SqlStore and reads everything back. {key} is the key type: TEXT on
-- SQLite, TEXT COLLATE "C" on PostgreSQL (code-point order, as the release made it).
-- Rows: F-1 (severity 2, priority 2, containment, an analysis with action A-1,
-- cancelled: one event), F-2 (no component, nothing assessed), F-3 (cancelled);
-- feedback FB-1, cluster C-1, action A-1, risk R-1.
CREATE TABLE faultkit_schema (
    version INTEGER NOT NULL
);
CREATE TABLE faultkit_faults (
    id {key} NOT NULL,
    version INTEGER NOT NULL,
    history_len INTEGER NOT NULL,
    state {key} NOT NULL,
    severity INTEGER,
    priority INTEGER,
    reported_us BIGINT NOT NULL,
    body TEXT NOT NULL,
    component {key},
    PRIMARY KEY (id)
);
CREATE INDEX faultkit_faults_reported ON faultkit_faults (reported_us, id);
CREATE INDEX faultkit_faults_component ON faultkit_faults (component, reported_us, id);
CREATE INDEX faultkit_faults_state ON faultkit_faults (state, reported_us, id);
CREATE INDEX faultkit_faults_severity ON faultkit_faults (severity, reported_us, id);
CREATE INDEX faultkit_faults_priority ON faultkit_faults (priority, reported_us, id);
CREATE TABLE faultkit_events (
    fault_id {key} NOT NULL,
    seq INTEGER NOT NULL,
    at_us BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (fault_id, seq)
);
CREATE INDEX faultkit_events_at ON faultkit_events (at_us, fault_id, seq);
CREATE TABLE faultkit_records (
    kind {key} NOT NULL,
    key {key} NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
INSERT INTO faultkit_schema (version) VALUES (2);
INSERT INTO faultkit_faults (id, version, history_len, state, severity, priority, reported_us, body, component) VALUES ('F-1', 2, 1, 'cancelled', 2, 2, 1714557600000000, '{"report":{"id":"F-1","title":"Export fails 1","description":"The nightly export stops with E42 — «ñ».","observed_at":"2024-05-01T09:00:00+00:00","reported_at":"2024-05-01T10:00:00+00:00","reporter":{"id":"u-7","name":"Kim","email":null,"is_customer":true,"organisation":null},"channel":"email","product":"shop","component":"billing","version":null,"frequency":"recurring","impact_scope":"user_group","affected_users":null,"steps":[],"environment":null,"error_codes":[],"attachments":[],"preliminary_cause":null,"suggested_fix":null,"urgency":1},"state":"cancelled","history":[{"from_state":"recorded","to_state":"cancelled","trigger":"cancel","actor":"ana","at":"2024-05-01T15:00:00+00:00","reason":"test"}],"severity":2,"priority":2,"assignee":null,"containment":{"recorded_at":"2024-05-01T11:00:00+00:00","unit_isolated":false,"emergency_plan":null,"workaround":"run it by hand"},"verification":null,"result_notice_at":null,"maintenance_docs_updated":false,"duplicate_of":null,"analysis":{"type":"faultkit.rca.analysis.Analysis","data":{"fault_id":"F-1","fishbone":null,"trees":[{"id":"t1","problem":"Export stops","categories":["hardware","software_defect","user_operation","environment","process_method"],"max_depth":10,"evidence_required":true,"origin":null,"whys":[{"id":"w1","answer":"The job times out","verified":false,"role":"cause","causes":[{"id":"w2","answer":"No retry on lock","verified":false,"role":"cause"}]}]}],"actions":[{"id":"A-1","title":"Retry the export job","kind":"corrective","addresses":["w2"],"owner":null,"due":null,"status":"planned","document":null,"completed_at":null,"verification_method":null,"verification_result":null,"verified_at":null,"effectiveness_check_days":30}]}}}', 'billing');
INSERT INTO faultkit_faults (id, version, history_len, state, severity, priority, reported_us, body, component) VALUES ('F-2', 1, 0, 'recorded', NULL, NULL, 1714561200000000, '{"report":{"id":"F-2","title":"Export fails 2","description":"The nightly export stops with E42 — «ñ».","observed_at":"2024-05-01T09:00:00+00:00","reported_at":"2024-05-01T11:00:00+00:00","reporter":{"id":"u-7","name":"Kim","email":null,"is_customer":true,"organisation":null},"channel":"email","product":"shop","component":null,"version":null,"frequency":"recurring","impact_scope":"user_group","affected_users":null,"steps":[],"environment":null,"error_codes":[],"attachments":[],"preliminary_cause":null,"suggested_fix":null,"urgency":1},"state":"recorded","history":[],"severity":null,"priority":null,"assignee":null,"containment":null,"verification":null,"result_notice_at":null,"maintenance_docs_updated":false,"duplicate_of":null,"analysis":null}', NULL);
INSERT INTO faultkit_faults (id, version, history_len, state, severity, priority, reported_us, body, component) VALUES ('F-3', 1, 1, 'cancelled', 4, NULL, 1714564800000000, '{"report":{"id":"F-3","title":"Export fails 3","description":"The nightly export stops with E42 — «ñ».","observed_at":"2024-05-01T09:00:00+00:00","reported_at":"2024-05-01T12:00:00+00:00","reporter":{"id":"u-7","name":"Kim","email":null,"is_customer":true,"organisation":null},"channel":"email","product":"shop","component":"api","version":null,"frequency":"recurring","impact_scope":"user_group","affected_users":null,"steps":[],"environment":null,"error_codes":[],"attachments":[],"preliminary_cause":null,"suggested_fix":null,"urgency":1},"state":"cancelled","history":[{"from_state":"recorded","to_state":"cancelled","trigger":"cancel","actor":"ana","at":"2024-05-01T14:00:00+00:00","reason":"reported twice"}],"severity":4,"priority":null,"assignee":null,"containment":null,"verification":null,"result_notice_at":null,"maintenance_docs_updated":false,"duplicate_of":null,"analysis":null}', 'api');
INSERT INTO faultkit_events (fault_id, seq, at_us, body) VALUES ('F-3', 0, 1714572000000000, '{"from_state":"recorded","to_state":"cancelled","trigger":"cancel","actor":"ana","at":"2024-05-01T14:00:00+00:00","reason":"reported twice"}');
INSERT INTO faultkit_events (fault_id, seq, at_us, body) VALUES ('F-1', 0, 1714575600000000, '{"from_state":"recorded","to_state":"cancelled","trigger":"cancel","actor":"ana","at":"2024-05-01T15:00:00+00:00","reason":"test"}');
INSERT INTO faultkit_records (kind, key, version, body) VALUES ('action', 'A-1', 1, '{"id":"A-1","title":"Retry the export job","kind":"corrective","addresses":["w2"],"owner":null,"due":null,"status":"planned","document":null,"completed_at":null,"verification_method":null,"verification_result":null,"verified_at":null,"effectiveness_check_days":30}');
INSERT INTO faultkit_records (kind, key, version, body) VALUES ('feedback', 'FB-1', 1, '{"id":"FB-1","received_at":"2024-05-01T09:00:00+00:00","text":"Export broken again","subject":null,"product":null,"version":null,"customer_id":null,"customer_name":null,"customer_tier":null,"channel":"hotline","call_started_at":"2024-05-01T09:00:00+00:00","call_duration_s":null,"agent":"desk-1","callback_number":null}');
INSERT INTO faultkit_records (kind, key, version, body) VALUES ('cluster', 'C-1', 1, '{"id":"C-1","feedback_ids":["FB-1"],"size":1,"customers":1,"anonymous":0,"first_seen":"2024-05-01T09:00:00+00:00","last_seen":"2024-05-01T09:00:00+00:00","fault_id":"F-1"}');
INSERT INTO faultkit_records (kind, key, version, body) VALUES ('risk', 'R-1', 1, '{"id":"R-1","item":"export job","failure_mode":"no retry","effect":"export lost","cause":"lock timeout","rating":{"severity":6,"occurrence":4,"detection":5},"controls":[],"mitigations":[],"rerating":null,"rerated_at":null}');
