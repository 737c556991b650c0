//! Key design of the single table. See `docs/access-patterns.md` for the full list of
//! access patterns these keys serve; every key string is built here and nowhere else.

pub const PK: &str = "PK";
pub const SK: &str = "SK";
pub const GSI1: &str = "GSI1";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";

/// A company's partition: its profile, and the audit trail of its profile.
pub fn org_pk(code: &str) -> String {
    format!("ORG#{code}")
}

pub const ORG_PROFILE_SK: &str = "PROFILE";

/// An audit event sorts after the record it belongs to, by ULID (time order).
pub fn audit_sk(event_id: &str) -> String {
    format!("{AUDIT_PREFIX}{event_id}")
}
/// The sort-key prefix of a partition's audit trail.
pub const AUDIT_PREFIX: &str = "AUDIT#";

/// Used to prime the connection at init: a key that never exists.
pub const PRIME_PK: &str = "#PRIME";

pub const GSI2: &str = "GSI2";
pub const GSI2PK: &str = "GSI2PK";
pub const GSI2SK: &str = "GSI2SK";

/// An application's partition: the application, its reports and its audit trail.
pub fn app_pk(id: &str) -> String {
    format!("APP#{id}")
}
pub const APP_SK: &str = "APP";
/// GSI1 of an application: a company's applications by scheme, in creation order.
pub fn app_by_org_sk(scheme: &str, created_at: &str) -> String {
    format!("{APP_BY_ORG_PREFIX}{scheme}#{created_at}")
}
/// The GSI1 sort-key prefix of a company's applications (every scheme).
pub const APP_BY_ORG_PREFIX: &str = "APP#";
pub fn report_sk(id: &str) -> String {
    format!("{REPORT_PREFIX}{id}")
}
/// The sort-key prefix of an application's evaluation reports.
pub const REPORT_PREFIX: &str = "REPORT#";
/// At most one open application per company and scheme (in the company's partition).
pub fn open_guard_sk(scheme: &str) -> String {
    format!("OPEN#{scheme}")
}
/// A repeated submit with the same `Idempotency-Key` (per caller).
pub fn idempotency_pk(subject: &str, key: &str) -> String {
    format!("IDEM#{subject}#{key}")
}
pub const IDEM_SK: &str = "IDEM";

/// A notice's partition: the notice, its objections and its audit trail.
pub fn notice_pk(id: &str) -> String {
    format!("NOTICE#{id}")
}
pub const NOTICE_SK: &str = "NOTICE";
pub fn objection_sk(id: &str) -> String {
    format!("{OBJECTION_PREFIX}{id}")
}
/// The sort-key prefix of a notice's objections.
pub const OBJECTION_PREFIX: &str = "OBJECTION#";
/// GSI1 of notices: the public list per authority, newest first by opening time.
pub fn notices_by_authority_pk(authority: &str) -> String {
    format!("NOTICES#{authority}")
}
/// GSI2 of open notices, by closing instant: the closing sweep's query.
pub const NOTICES_OPEN_PK: &str = "NOTICES#OPEN";
/// Objections per source and hour (rate limit).
pub fn rate_pk(source_hash: &str, hour: &str) -> String {
    format!("RATE#{source_hash}#{hour}")
}
pub const RATE_SK: &str = "RATE";

/// A certificate by serial (public verification).
pub fn cert_pk(serial: &str) -> String {
    format!("CERT#{serial}")
}
pub const CERT_SK: &str = "CERT";
/// A rendering of one version of a certificate (PDF key and signature).
pub fn render_sk(version: u64) -> String {
    format!("RENDER#{version:010}")
}
/// GSI1 of a certificate: a company's certificates by scheme.
pub fn cert_by_org_sk(scheme: &str, issued_on: &str, serial: &str) -> String {
    format!("{}{issued_on}#{serial}", cert_by_org_prefix(Some(scheme)))
}
/// The GSI1 sort-key prefix of a company's certificates: of one scheme, or of every
/// scheme (`None`).
pub fn cert_by_org_prefix(scheme: Option<&str>) -> String {
    match scheme {
        Some(s) => format!("CERT#{s}#"),
        None => "CERT#".to_owned(),
    }
}
/// GSI2 of a valid certificate: the certificates whose validity ends on a date.
pub fn cert_expiry_pk(scheme: &str, valid_until: &str) -> String {
    format!("CERTEXP#{scheme}#{valid_until}")
}
/// A ban after revocation, in the company's partition (seed 000 第二十三条).
pub fn ban_sk(scheme: &str, revoked_on: &str, serial: &str) -> String {
    format!("BAN#{scheme}#{revoked_on}#{serial}")
}
pub fn ban_prefix(scheme: &str) -> String {
    format!("BAN#{scheme}#")
}

/// A change request of company data.
pub fn change_pk(id: &str) -> String {
    format!("{CHANGE_PREFIX}{id}")
}
/// GSI1 of a change request: a company's change requests (the same string as its
/// partition key, under the company's GSI1 partition).
pub fn change_by_org_sk(id: &str) -> String {
    change_pk(id)
}
/// The GSI1 sort-key prefix of a company's change requests.
pub const CHANGE_PREFIX: &str = "CHANGE#";
pub const CHANGE_SK: &str = "CHANGE";
/// GSI2 of a pending change request: the staff queue of the authority it is filed with,
/// by filing time (access pattern 71).
pub fn change_queue_pk(authority: &str) -> String {
    queue_pk(authority, "change")
}

/// A reminder sent to a company (idempotent per deadline and lead time).
pub fn reminder_sk(scheme: &str, deadline: &str, days_before: u32) -> String {
    format!("{REMINDER_PREFIX}{scheme}#{deadline}#{days_before:03}")
}
/// The sort-key prefix of the reminders sent to a company.
pub const REMINDER_PREFIX: &str = "REMINDER#";

/// A scheduled job's progress (the last day it completed), for catching up.
pub fn job_pk(name: &str) -> String {
    format!("JOB#{name}")
}
pub const JOB_SK: &str = "STATE";

/// GSI2 of an open application: the staff work queue per authority and status.
pub fn queue_pk(authority: &str, status: &str) -> String {
    format!("QUEUE#{authority}#{status}")
}

/// A company's membership record at one association (in the company's partition).
pub fn membership_sk(authority: &str) -> String {
    format!("{MEMBERSHIP_PREFIX}{authority}")
}
pub const MEMBERSHIP_PREFIX: &str = "MEMBER#";

/// A client unit's evaluation form, in its application's partition (pattern 35).
pub fn evaluation_sk(id: &str) -> String {
    format!("{EVALUATION_PREFIX}{id}")
}
pub const EVALUATION_PREFIX: &str = "EVAL#";
/// The pointer from a link token's SHA-256 to its form.
pub fn evaluation_token_pk(sha256: &str) -> String {
    format!("EVALTOKEN#{sha256}")
}
pub const EVALUATION_TOKEN_SK: &str = "TOKEN";

/// Company-name search (pattern 60): one item per suffix of the normalized name
/// (`standing_domain::organization::name_search`), partitioned by the suffix's first
/// character; the sort key starts with the suffix, so `begins_with(query)` finds every
/// name containing the query. The full name ends the key, so a rename replaces every
/// item of the old name by one of the new.
pub fn org_name_pk(suffix: &str) -> String {
    let first: String = suffix.chars().take(1).collect();
    format!("ORGNAME#{first}")
}
pub fn org_name_sk(suffix: &str, code: &str, name: &str) -> String {
    format!("{suffix}#{code}#{name}")
}

/// The public list of rated companies of a scheme (pattern 36).
pub fn rating_pk(scheme: &str) -> String {
    format!("RATING#{scheme}")
}
pub fn rating_sk(code: &str) -> String {
    format!("{RATING_PREFIX}{code}")
}
pub const RATING_PREFIX: &str = "ORG#";

/// A suspension or closure application of an alarm operator: its partition holds the
/// record and its audit trail.
pub fn suspension_pk(id: &str) -> String {
    format!("SUSP#{id}")
}
pub const SUSPENSION_SK: &str = "SUSP";
/// GSI2 of a suspension waiting on an authority (its staff queue), by filing time.
pub fn suspension_queue_pk(authority: &str) -> String {
    queue_pk(authority, "suspension")
}
/// GSI2 of approved suspensions and closures: the public list, by start date.
pub const SUSPENSIONS_APPROVED_PK: &str = "SUSPENSIONS#approved";

/// An agency's credit partition (seed 002): its file, events, repairs and audit trail.
pub fn credit_pk(org: &str) -> String {
    format!("CREDIT#{org}")
}
pub const CREDIT_FILE_SK: &str = "FILE";
pub fn credit_event_sk(id: &str) -> String {
    format!("{CREDIT_EVENT_PREFIX}{id}")
}
pub const CREDIT_EVENT_PREFIX: &str = "EVENT#";
pub fn repair_sk(id: &str) -> String {
    format!("{REPAIR_PREFIX}{id}")
}
pub const REPAIR_PREFIX: &str = "REPAIR#";
/// GSI2 of a credit file: the agencies of an authority at one level (the public lists).
pub fn credit_level_pk(authority: &str, level: &str) -> String {
    format!("CREDITLEVEL#{authority}#{level}")
}
/// GSI1 of a credit file: the authority's whole register, by credit code (the yearly
/// rollover's paged walk, and the monthly site checks).
pub fn credit_register_pk(authority: &str) -> String {
    format!("CREDITREG#{authority}")
}
/// The sort key of a credit rollover's progress record (under `job_pk`): one per
/// authority and cycle.
pub fn rollover_sk(authority: &str, cycle_start: &str) -> String {
    format!("CYCLE#{authority}#{cycle_start}")
}
/// The quarterly A-list releases of an authority (one item per release, written once).
pub fn a_list_pk(authority: &str) -> String {
    format!("CREDITALIST#{authority}")
}
pub const A_LIST_RELEASE_PREFIX: &str = "RELEASE#";
pub fn a_list_release_sk(quarter: &str) -> String {
    format!("{A_LIST_RELEASE_PREFIX}{quarter}")
}
/// A work item about an agency (supervision measure, monthly site check), in its
/// credit partition.
pub fn credit_task_sk(id: &str) -> String {
    format!("TASK#{id}")
}
/// GSI2 of an open work item: the authority's queue, by due day (undetermined first).
pub fn credit_task_queue_pk(authority: &str) -> String {
    queue_pk(authority, "credit-task")
}
/// GSI2 of a pending repair: the authority's queue, by answer due day.
pub fn repair_queue_pk(authority: &str) -> String {
    queue_pk(authority, "repair")
}
/// An authority's own settings (access pattern 70): its seal in force.
pub fn authority_pk(authority: &str) -> String {
    format!("AUTHORITY#{authority}")
}
pub const SEAL_SK: &str = "SEAL";

// Annual awards (seed 001): admitted nominations, experts, panels and scores
// (access patterns 50-53).
/// GSI2 of an admitted nomination: the nominations of a category in an edition.
pub fn nominations_pk(authority: &str, edition: &str, category: &str) -> String {
    format!("NOMINATIONS#{authority}#annual-awards#{edition}#{category}")
}
/// An expert as the association records them.
pub fn expert_pk(authority: &str, subject: &str) -> String {
    format!("EXPERT#{authority}#{subject}")
}
pub const EXPERT_SK: &str = "EXPERT";
/// A panel's partition: the panel, its scores and its audit trail.
pub fn panel_pk(authority: &str, panel: &str) -> String {
    format!("PANEL#{authority}#{panel}")
}
pub const PANEL_SK: &str = "PANEL";
pub fn score_sk(application: &str, expert: &str) -> String {
    format!("{SCORE_PREFIX}{application}#{expert}")
}
pub const SCORE_PREFIX: &str = "SCORE#";
pub fn award_objection_sk(id: &str) -> String {
    format!("{AWARD_OBJECTION_PREFIX}{id}")
}
pub const AWARD_OBJECTION_PREFIX: &str = "OBJECTION#";
