//! Applications for a scheme, one pipeline for every scheme that takes them: drafts,
//! declarations (`declaration`), materials, submission, automated review, staff check,
//! public notice (`crate::notice`), approval. The scheme's data (`[[applications]]`,
//! see `standing_schemes::applications`) says which kinds it accepts, which parts a
//! declaration has and what approval yields.
//!
//! Every step is a pure function from the loaded records to the next records and the
//! audit event; the handlers only load, call, save and answer.

pub mod declaration;

pub use declaration::{
    Declaration, EvidenceRefs, FactKind, MAX_DECLARED_ITEMS, MAX_EVIDENCE_PER_ENTRY,
    MAX_EVIDENCE_REFS, MAX_FACT_TEXT_CHARS, MAX_REF_CHARS, MAX_SECTION_ENTRIES, Roster, declare,
    fact_kinds, preview, read_declaration,
};

use crate::audit::{Actor, AuditEvent};
use crate::auth::{Access, Principal};
use crate::certificate::{CertificateRecord, CertificateStatus, audit_change, new_serial};
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::membership::Membership;
use crate::organization::Organization;
use crate::problem::{FieldError, Problem, ProblemKind};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
pub use standing_schemes::ApplicationKindName as ApplicationKind;
use standing_schemes::model::GroupRole;
use standing_schemes::{
    ApprovalOutcome, ClientService, DeclaredItem, Fact, FactValue, Facts, Outcome, Registry,
    Report, Review, Scheme, SchemeId, Section, StaffRecord, Status, WorkCalendar, evaluate, period,
};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Largest material accepted, in bytes (platform limit, not a rule of any seed).
pub const MAX_MATERIAL_BYTES: u64 = 20 * 1024 * 1024;
/// Media types accepted for materials, with the file extension used in object keys.
pub const MATERIAL_TYPES: &[(&str, &str)] = &[
    ("application/pdf", "pdf"),
    ("image/jpeg", "jpg"),
    ("image/png", "png"),
];
/// Most materials one application may carry.
pub const MAX_MATERIALS: usize = 200;

/// How long (seconds) a submission's idempotency key answers what it did: a day.
pub const IDEMPOTENCY_KEY_SECONDS: i64 = 86_400;

/// The prefix of evidence references that the platform itself vouches for.
pub const PLATFORM_EVIDENCE: &str = "platform:";

/// Longest file name of a material, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 80;
/// Longest staff note on a check, in characters.
pub const MAX_CHECK_NOTE_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Draft,
    /// Submitted; the automated review is due.
    Submitted,
    /// The review needs a person (the scheme marks the rule `human_check`).
    StaffCheck,
    OnNotice,
    Approved,
    Rejected,
}

impl ApplicationStatus {
    /// Open applications hold the company's one open slot for the scheme.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted
                | ApplicationStatus::StaffCheck
                | ApplicationStatus::OnNotice
        )
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "草稿",
            ApplicationStatus::Submitted => "已提交，待智能审核",
            ApplicationStatus::StaffCheck => "待人工核验",
            ApplicationStatus::OnNotice => "公示中",
            ApplicationStatus::Approved => "已通过",
            ApplicationStatus::Rejected => "未通过",
        }
    }
}

/// An uploaded (or announced) material. The object key is made here, never from a
/// client-supplied path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub id: RecordId,
    /// The fact key or point item this material supports.
    pub evidence_for: String,
    /// The file name shown to people (never used in the key).
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    /// Object key in the materials bucket.
    pub key: String,
    pub created_at: DateTime<Utc>,
}

/// One step of the status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    pub at: DateTime<Utc>,
    pub status: ApplicationStatus,
    pub actor: Actor,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A reason the review gives (a failed rule, missing material, data that disagree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub detail: String,
}

/// The summary of the latest evaluation (the full report is stored beside it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewResult {
    pub report_id: RecordId,
    pub scheme_version: String,
    pub as_of: NaiveDate,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: RecordId,
    pub scheme: SchemeId,
    pub kind: ApplicationKind,
    pub org: CreditCode,
    pub company_name: String,
    /// Platform id of the authority running the scheme.
    pub authority: String,
    /// Annual report: the certificate reported on. Approved: the certificate issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_serial: Option<String>,
    pub status: ApplicationStatus,
    /// Declared facts by key (evidence: material ids).
    #[serde(default)]
    pub facts: BTreeMap<String, Fact>,
    /// Declared point items (evidence: material ids).
    #[serde(default)]
    pub items: Vec<DeclaredItem>,
    /// The declared staff roster (schemes whose rules count staff).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<Roster<StaffRecord>>,
    /// The declared clients served (schemes whose rules count clients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clients: Option<Roster<ClientService>>,
    #[serde(default)]
    pub materials: Vec<Material>,
    /// Staff decisions on rules the scheme says a person must check.
    #[serde(default)]
    pub checks: BTreeMap<String, Review>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ReviewResult>,
    /// The rules the review asks a person to check (staff check).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_checks: Vec<String>,
    /// Why the application was refused or sent to staff.
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_id: Option<RecordId>,
    pub history: Vec<StatusChange>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

fn invalid(field: &str, detail: impl Into<String>) -> Problem {
    Problem::field(ProblemKind::Validation, field, detail)
}

fn conflict(field: &str, detail: impl Into<String>) -> Problem {
    Problem::field(ProblemKind::Conflict, field, detail)
}

impl Application {
    pub fn entity(&self) -> String {
        format!("application/{}", self.id)
    }

    /// The next version with a status change appended.
    fn moved(
        &self,
        status: ApplicationStatus,
        actor: &Actor,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Application {
        let mut next = self.clone();
        next.status = status;
        next.version += 1;
        next.updated_at = now;
        next.history.push(StatusChange {
            at: now,
            status,
            actor: actor.clone(),
            note,
        });
        next
    }

    /// The application as `access` may see it: the company's own account sees who
    /// acted by role (staff of the authority, the automated review), not staff account
    /// ids.
    pub fn view(&self, access: Access) -> Application {
        match access {
            Access::Staff => self.clone(),
            Access::Holder => {
                let mut a = self.clone();
                for h in &mut a.history {
                    h.actor = h.actor.without_id();
                }
                for r in a.checks.values_mut() {
                    r.by = String::new();
                }
                a
            }
        }
    }

    /// The materials the declaration relies on (named as evidence by a fact or a
    /// point item): the review checks that each of these is really in the bucket.
    pub fn relied_on_materials(&self) -> Vec<&Material> {
        let referenced: BTreeSet<&str> = self
            .facts
            .values()
            .flat_map(|f| f.evidence.iter())
            .chain(self.items.iter().flat_map(|i| i.evidence.iter()))
            .chain(self.staff.iter().flat_map(|r| r.evidence.iter()))
            .chain(self.clients.iter().flat_map(|r| r.evidence.iter()))
            .map(String::as_str)
            .collect();
        self.materials
            .iter()
            .filter(|m| referenced.contains(m.id.to_string().as_str()))
            .collect()
    }

    /// Until when (Unix seconds) the idempotency key of a submission made at
    /// `updated_at` answers what that submission did: a day.
    pub fn idempotency_expires_at(&self) -> i64 {
        self.updated_at.timestamp() + IDEMPOTENCY_KEY_SECONDS
    }

    pub fn audit(&self, before: Option<&Application>, actor: Actor, action: &str) -> AuditEvent {
        AuditEvent::new(
            self.updated_at,
            actor,
            action,
            self.entity(),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(self).ok(),
        )
    }

    fn require(&self, status: ApplicationStatus, action: &str) -> Result<(), Problem> {
        if self.status == status {
            Ok(())
        } else {
            Err(conflict(
                "status",
                format!("申请当前状态为“{}”，不能{action}", self.status.label_zh()),
            ))
        }
    }

    /// The facts the evaluation runs on: the declaration, with evidence limited to the
    /// materials in `uploaded`, and the platform's own records in place of what the
    /// applicant declared about them. Disagreements become findings.
    pub fn facts(
        &self,
        platform: &PlatformRecords<'_>,
        uploaded: &BTreeSet<String>,
        as_of: NaiveDate,
    ) -> (Facts, Vec<Finding>) {
        let mut findings = Vec::new();
        let mut facts = Facts::new(as_of);
        let keep = |evidence: &[String], rule: &str, findings: &mut Vec<Finding>| {
            evidence
                .iter()
                .filter(|e| {
                    let ok = uploaded.contains(*e);
                    if !ok {
                        findings.push(Finding {
                            rule_id: rule.to_owned(),
                            detail: format!("证明材料 {e} 未上传或不可读取"),
                        });
                    }
                    ok
                })
                .cloned()
                .collect::<Vec<_>>()
        };
        for (key, fact) in &self.facts {
            let evidence = keep(&fact.evidence, key, &mut findings);
            facts.values.insert(
                key.clone(),
                Fact {
                    value: fact.value.clone(),
                    evidence,
                },
            );
        }
        for item in &self.items {
            facts.declared_items.push(DeclaredItem {
                item: item.item.clone(),
                quantity: item.quantity,
                evidence: keep(&item.evidence, &item.item, &mut findings),
            });
        }
        if let Some(staff) = &self.staff {
            keep(&staff.evidence, "staff", &mut findings);
            facts.staff = staff.entries.clone();
        }
        if let Some(clients) = &self.clients {
            keep(&clients.evidence, "clients", &mut findings);
            facts.clients = clients.entries.clone();
        }
        for (key, value, evidence) in platform.facts(self, as_of) {
            if let Some(declared) = self.facts.get(key)
                && declared.value != value
            {
                findings.push(Finding {
                    rule_id: key.to_owned(),
                    detail: format!(
                        "申报值 {} 与平台记录 {} 不符，以平台记录为准",
                        show(&declared.value),
                        show(&value)
                    ),
                });
            }
            facts.values.insert(
                key.to_owned(),
                Fact {
                    value,
                    evidence: vec![evidence],
                },
            );
        }
        facts.reviews = self.checks.clone();
        (facts, findings)
    }
}

fn show(v: &FactValue) -> String {
    match v {
        FactValue::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        FactValue::Number(n) => n.normalize().to_string(),
        FactValue::Date(d) => d.to_string(),
        FactValue::Text(t) => t.clone(),
    }
}

/// What the platform itself knows about the applicant, which overrides declarations:
/// registration, membership, bans after revocation.
pub struct PlatformRecords<'a> {
    pub organization: &'a Organization,
    /// The scheme authority's membership record of the company (kept by the
    /// association, never declared by the company).
    pub membership: Option<&'a Membership>,
    /// Revocations of this scheme's certificates: (revoked on, may apply again from), the
    /// second as stored at revocation by `Scheme::may_reapply_from`.
    pub bans: &'a [(NaiveDate, NaiveDate)],
}

impl PlatformRecords<'_> {
    /// Is the company a member of the scheme's authority on `day`, by its records?
    pub fn is_member_on(&self, day: NaiveDate) -> bool {
        self.membership.is_some_and(|m| m.is_member_on(day))
    }

    /// The ban in force on `today`, if any: (revoked on, first day the unit may apply
    /// again). A ban runs through the day before the stored first-allowed day and, by
    /// 民法典 第二百零三条, on over the statutory days off that follow it (see
    /// `standing_schemes::period`): a ban stored before the holidays of its last year
    /// were published is extended here once they are.
    pub fn ban_in_force(&self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let calendar = WorkCalendar::builtin_or_empty();
        self.bans
            .iter()
            .filter_map(|&(revoked_on, until)| {
                let last = period::after_days_off(until.pred_opt()?, calendar).day;
                (today <= last).then(|| (revoked_on, last.succ_opt().unwrap_or(last)))
            })
            .max()
    }

    fn facts(&self, app: &Application, as_of: NaiveDate) -> Vec<(&'static str, FactValue, String)> {
        let org = self.organization;
        let mut out = vec![
            (
                "registered",
                FactValue::Bool(true),
                format!("{PLATFORM_EVIDENCE}organization/{}", org.code),
            ),
            (
                "association_member",
                FactValue::Bool(self.is_member_on(as_of)),
                format!("{PLATFORM_EVIDENCE}membership/{}", app.authority),
            ),
        ];
        if let Some(&(revoked_on, _)) = self.bans.iter().max() {
            out.push((
                "revoked_on",
                FactValue::Date(revoked_on),
                format!("{PLATFORM_EVIDENCE}revocation/{revoked_on}"),
            ));
        }
        if self.ban_in_force(as_of).is_some() {
            out.push((
                "bad_conduct_record",
                FactValue::Bool(true),
                format!("{PLATFORM_EVIDENCE}revocation"),
            ));
        }
        out
    }
}

/// The company a new application is for, as the body names it (`company`, optional:
/// staff applying on a company's behalf). A wrong type is refused, never ignored.
pub fn requested_company(body: &Value) -> Result<Option<String>, Problem> {
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let company = root.optional_text("company", 1, 64, &mut errors);
    errors.finish(|| company)
}

/// Create a draft. `certificate` is the holder's certificate named by an annual report.
pub fn create(
    body: &Value,
    caller: &Principal,
    org: &Organization,
    certificate: Option<&CertificateRecord>,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    let today = china_date(now);
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["scheme", "kind", "certificate", "company"], &mut errors);
    let scheme_text = root.text("scheme", 1, 64, &mut errors);
    let kind_text = root
        .optional_text("kind", 1, 32, &mut errors)
        .unwrap_or_else(|| "initial".to_owned());
    let serial = root.optional_text("certificate", 1, 64, &mut errors);
    errors.finish(|| ())?;
    let scheme_id = SchemeId::from_str(&scheme_text)
        .map_err(|_| invalid("scheme", format!("没有评定项目“{scheme_text}”")))?;
    let scheme = registry
        .in_force(scheme_id, today)
        .map_err(|e| invalid("scheme", format!("{e}：今天没有生效的评定办法版本")))?;
    let kind = declaration::parse_kind(&kind_text)?;
    declaration::application_def(scheme, kind)?;
    let authority = scheme.authority_id().map_err(|_| Problem::internal())?;
    // Staff start drafts only in their own authority's schemes.
    caller.holder_or_staff_of(&org.code, authority)?;
    let certificate_serial = match kind {
        ApplicationKind::Initial => {
            if serial.is_some() {
                return Err(invalid("certificate", "首次申请不应填写证书编号"));
            }
            None
        }
        ApplicationKind::AnnualReport => {
            let Some(serial) = serial else {
                return Err(invalid("certificate", "年报须填写所持证书编号"));
            };
            match certificate {
                Some(c)
                    if c.serial == serial
                        && c.org == org.code
                        && c.scheme == scheme_id.as_str()
                        && c.status_on(today) == CertificateStatus::Valid => {}
                Some(c)
                    if c.serial == serial
                        && c.org == org.code
                        && c.scheme == scheme_id.as_str() =>
                {
                    return Err(conflict(
                        "certificate",
                        format!(
                            "证书 {serial} 当前状态为“{}”，不能年报，请重新申请",
                            c.status_on(today).label_zh()
                        ),
                    ));
                }
                _ => {
                    return Err(invalid(
                        "certificate",
                        format!(
                            "本单位没有编号为 {serial} 的{}",
                            scheme.certificate_title().unwrap_or("证书")
                        ),
                    ));
                }
            }
            Some(serial)
        }
    };
    let actor = Actor::from(caller);
    let app = Application {
        id: RecordId::new_at(now),
        scheme: scheme_id,
        kind,
        org: org.code.clone(),
        company_name: org.name.clone(),
        authority: authority.to_owned(),
        certificate_serial,
        status: ApplicationStatus::Draft,
        facts: BTreeMap::new(),
        items: Vec::new(),
        staff: None,
        clients: None,
        materials: Vec::new(),
        checks: BTreeMap::new(),
        pending_checks: Vec::new(),
        submitted_at: None,
        result: None,
        findings: Vec::new(),
        notice_id: None,
        history: vec![StatusChange {
            at: now,
            status: ApplicationStatus::Draft,
            actor: actor.clone(),
            note: None,
        }],
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = app.audit(None, actor, "application.created");
    Ok((app, audit))
}

/// Announce a material: checks its type and size and makes its object key. The
/// handler then hands out a presigned PUT URL bound to that key, type and size.
pub fn add_material(
    app: &Application,
    body: &Value,
    caller: &Principal,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, Material, AuditEvent), Problem> {
    caller.holder_or_staff_of(&app.org, &app.authority)?;
    app.require(ApplicationStatus::Draft, "上传材料")?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(
        &["evidence_for", "file_name", "content_type", "size_bytes"],
        &mut errors,
    );
    let evidence_for = root.text("evidence_for", 1, 100, &mut errors);
    let file_name = root.text("file_name", 1, MAX_FILE_NAME_CHARS, &mut errors);
    let content_type = root
        .text("content_type", 1, 100, &mut errors)
        .to_ascii_lowercase();
    let size = match root.value("size_bytes") {
        None => {
            errors.push("size_bytes", "必填字段缺失");
            None
        }
        Some(Value::Number(n)) => n.as_u64(),
        Some(_) => {
            errors.push("size_bytes", "应为文件的字节数（正整数）");
            None
        }
    };
    errors.finish(|| ())?;
    if file_name.contains(['/', '\\']) {
        return Err(invalid("file_name", "文件名不能包含路径分隔符"));
    }
    let Some(ext) = MATERIAL_TYPES
        .iter()
        .find(|(t, _)| *t == content_type)
        .map(|(_, e)| *e)
    else {
        return Err(Problem::field(
            ProblemKind::UnsupportedMediaType,
            "content_type",
            "材料仅接受 PDF、JPEG、PNG 文件",
        ));
    };
    let size = match size {
        Some(s) if s > 0 && s <= MAX_MATERIAL_BYTES => s,
        Some(s) if s > MAX_MATERIAL_BYTES => {
            return Err(Problem::field(
                ProblemKind::PayloadTooLarge,
                "size_bytes",
                format!("单个材料不得超过 {} MB", MAX_MATERIAL_BYTES / 1024 / 1024),
            ));
        }
        _ => return Err(invalid("size_bytes", "应为文件的字节数（正整数）")),
    };
    let scheme = registry
        .in_force(app.scheme, china_date(now))
        .map_err(|_| Problem::internal())?;
    let def = declaration::application_def(scheme, app.kind)?;
    let known = scheme
        .fact_keys()
        .iter()
        .any(|(k, _, _)| *k == evidence_for)
        || def
            .sections
            .iter()
            .any(|s| !s.evidence.is_empty() && s.id.as_str() == evidence_for)
        || scheme.points.iter().any(|p| {
            p.areas
                .iter()
                .any(|a| a.items.iter().any(|i| i.id == evidence_for))
        });
    if !known {
        return Err(invalid(
            "evidence_for",
            format!("评定办法中没有申报事项、积分项或申报部分“{evidence_for}”"),
        ));
    }
    if app.materials.len() >= MAX_MATERIALS {
        return Err(conflict(
            "materials",
            format!("每份申请最多 {MAX_MATERIALS} 份材料"),
        ));
    }
    let id = RecordId::new_at(now);
    let material = Material {
        key: format!("applications/{}/{}.{ext}", app.id, id),
        id,
        evidence_for,
        file_name,
        content_type,
        size_bytes: size,
        created_at: now,
    };
    let mut next = app.clone();
    next.materials.push(material.clone());
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(app), Actor::from(caller), "application.material_added");
    Ok((next, material, audit))
}

/// Submit a draft. Refused, with the reason, when the company is not a member of the
/// scheme's authority, is banned after a revocation, or has declared something without
/// the evidence the scheme requires. (An application already open for the same scheme
/// is refused by the store's guard in the same transaction.)
pub fn submit(
    app: &Application,
    caller: &Principal,
    platform: &PlatformRecords<'_>,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    caller.holder_or_staff_of(&app.org, &app.authority)?;
    app.require(ApplicationStatus::Draft, "提交")?;
    let today = china_date(now);
    let scheme = registry
        .in_force(app.scheme, today)
        .map_err(|e| invalid("scheme", e.to_string()))?;
    // Membership is asked only by schemes with a rule on it (seed 000 第九条（二）).
    let membership_article = eligibility_article(scheme, "association_member");
    if !membership_article.is_empty() && !platform.is_member_on(today) {
        return Err(Problem::field(
            ProblemKind::Forbidden,
            "org",
            format!(
                "{}不是{}会员单位，不能申请（{}）",
                app.company_name, scheme.scheme.authority_zh, membership_article
            ),
        ));
    }
    if let Some((revoked_on, until)) = platform.ban_in_force(today) {
        return Err(Problem::field(
            ProblemKind::Forbidden,
            "org",
            format!(
                "本单位于 {revoked_on} 被取消服务能力等级，{until} 前不得申请（{}；期间依民法典第二百零一条至第二百零三条计算）",
                scheme
                    .parameter("ban_years")
                    .map(|p| p.seed.to_string())
                    .unwrap_or_default()
            ),
        ));
    }
    // Everything declared must carry the evidence the scheme asks for: each rule's, and
    // a list section's as a whole.
    let def = declaration::application_def(scheme, app.kind)?;
    let mut missing_sections = Vec::new();
    for (section, roster_empty, evidence_empty) in [
        (
            Section::Staff,
            app.staff.as_ref().is_none_or(|r| r.entries.is_empty()),
            app.staff.as_ref().is_none_or(|r| r.evidence.is_empty()),
        ),
        (
            Section::Clients,
            app.clients.as_ref().is_none_or(|r| r.entries.is_empty()),
            app.clients.as_ref().is_none_or(|r| r.evidence.is_empty()),
        ),
    ] {
        if let Some(sd) = def.section(section)
            && !sd.evidence.is_empty()
            && !roster_empty
            && evidence_empty
        {
            missing_sections.push(FieldError {
                field: format!("{}.evidence", section.as_str()),
                detail: format!(
                    "请上传{}（{}）",
                    sd.evidence.join("、"),
                    sd.seed
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                ),
            });
        }
    }
    let attached: BTreeSet<String> = app.materials.iter().map(|m| m.id.to_string()).collect();
    let (facts, _) = app.facts(platform, &attached, today);
    let report = evaluate(scheme, &facts);
    // Refused: a declared fact or item without its evidence, and anything undeclared
    // that the result needs. A tier of requirements (star levels) the company does not
    // declare is simply not reached: the review says so.
    let declared = |rule_id: &str| {
        app.items.iter().any(|i| i.item == rule_id)
            || scheme.rule(rule_id).is_some_and(|r| {
                r.check
                    .fact_keys()
                    .iter()
                    .any(|k| app.facts.contains_key(*k))
            })
    };
    let optional_tier = |group: &str| {
        scheme
            .groups
            .iter()
            .any(|g| g.id == group && g.role == GroupRole::Tier)
    };
    let missing: Vec<FieldError> = report
        .lines
        .iter()
        .filter(|l| {
            l.outcome == Outcome::EvidenceMissing
                && (declared(&l.rule_id) || !optional_tier(&l.group))
        })
        .map(|l| FieldError {
            field: l.rule_id.clone(),
            detail: format!("{}：{}", l.title_zh, l.detail),
        })
        .chain(missing_sections)
        .collect();
    if !missing.is_empty() {
        let mut p = Problem::invalid_fields(missing);
        p.detail = format!("以下申报事项缺少证明材料，请上传后再提交：{}", p.detail);
        return Err(p);
    }
    let actor = Actor::from(caller);
    let mut next = app.moved(ApplicationStatus::Submitted, &actor, None, now);
    next.submitted_at = Some(now);
    next.findings.clear();
    let audit = next.audit(Some(app), actor, "application.submitted");
    Ok((next, audit))
}

fn eligibility_article(scheme: &Scheme, fact: &str) -> String {
    scheme
        .groups
        .iter()
        .flat_map(|g| g.rules.iter())
        .find(|r| matches!(&r.check, standing_schemes::model::Check::True { fact: f } if f == fact))
        .map(|r| r.seed.to_string())
        .unwrap_or_default()
}

/// Where the automated review sends an application.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Everything holds: public notice (or, for an annual report that needs none,
    /// approval at once).
    Notice,
    Approve,
    /// A person must check the rules listed.
    StaffCheck(Vec<String>),
    Reject,
}

/// The automated review's result: the next application, the full report, the verdict.
#[derive(Debug, Clone)]
pub struct ReviewOutcome {
    pub application: Application,
    pub report: Report,
    pub report_id: RecordId,
    pub verdict: Verdict,
    pub audit: AuditEvent,
}

/// The automated review (seed 000 第八条、第十五条: self-declared points confirmed by the
/// system into an evaluation report). Evaluates under the version in force on the
/// submission date. `None` when the application is not waiting for review (a repeated
/// or late invocation): nothing to do.
pub fn review(
    app: &Application,
    platform: &PlatformRecords<'_>,
    uploaded: &BTreeSet<String>,
    current: Option<&CertificateRecord>,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<Option<ReviewOutcome>, Problem> {
    if app.status != ApplicationStatus::Submitted {
        return Ok(None);
    }
    let submitted_on = china_date(app.submitted_at.unwrap_or(app.updated_at));
    let scheme = registry
        .in_force(app.scheme, submitted_on)
        .map_err(|e| invalid("scheme", e.to_string()))?;
    let (facts, mut findings) = app.facts(platform, uploaded, submitted_on);
    let report = evaluate(scheme, &facts);
    for l in &report.lines {
        if matches!(l.outcome, Outcome::NotMet | Outcome::EvidenceMissing) {
            findings.push(Finding {
                rule_id: l.rule_id.clone(),
                detail: format!("{}：{}（{}）", l.title_zh, l.detail, l.seed_ref),
            });
        }
    }
    let human: Vec<String> = report
        .lines
        .iter()
        .filter(|l| l.outcome == Outcome::NeedsHumanCheck)
        .map(|l| l.rule_id.clone())
        .collect();
    let evidence_missing = report
        .lines
        .iter()
        .any(|l| l.outcome == Outcome::EvidenceMissing);
    let grade_changed = current.is_some_and(|c| {
        report.level.as_ref().map(|l| l.code.as_str()) != Some(c.level_code.as_str())
    });
    let verdict = match report.status {
        Status::NotQualified => Verdict::Reject,
        Status::NeedsReview if evidence_missing => Verdict::Reject,
        Status::NeedsReview => Verdict::StaffCheck(human),
        Status::Qualified
            if app.kind == ApplicationKind::AnnualReport
                && !scheme
                    .annual_report_needs_notice(grade_changed)
                    .map_err(|_| Problem::internal())? =>
        {
            Verdict::Approve
        }
        Status::Qualified => Verdict::Notice,
    };
    let report_id = RecordId::new_at(now);
    let actor = Actor::system("automated-review");
    let (status, note) = match &verdict {
        Verdict::Notice => (ApplicationStatus::OnNotice, None),
        Verdict::Approve => (ApplicationStatus::Approved, None),
        Verdict::StaffCheck(rules) => (
            ApplicationStatus::StaffCheck,
            Some(format!("需人工核验：{}", rules.join("、"))),
        ),
        Verdict::Reject => (ApplicationStatus::Rejected, Some(reject_note(&findings))),
    };
    let mut next = app.moved(status, &actor, note, now);
    next.findings = findings;
    next.pending_checks = match &verdict {
        Verdict::StaffCheck(rules) => rules.clone(),
        _ => Vec::new(),
    };
    next.result = Some(ReviewResult {
        report_id,
        scheme_version: report.version.clone(),
        as_of: report.as_of,
        status: report.status,
        total: report.total,
        level_code: report.level.as_ref().map(|l| l.code.clone()),
        level_label: report.level.as_ref().map(|l| l.title_zh.clone()),
    });
    let action = match verdict {
        Verdict::Notice => "application.reviewed.notice",
        Verdict::Approve => "application.reviewed.approved",
        Verdict::StaffCheck(_) => "application.reviewed.staff_check",
        Verdict::Reject => "application.reviewed.rejected",
    };
    let audit = next.audit(Some(app), actor, action);
    Ok(Some(ReviewOutcome {
        application: next,
        report,
        report_id,
        verdict,
        audit,
    }))
}

/// Longest rejection note kept in the history, in characters; every reason is in
/// `findings` in full.
const MAX_REJECT_NOTE_CHARS: usize = 1000;

/// The history note of a rejection: the reasons, or, when they are many, how many
/// there are (each is in `findings`). The note is never a silently cut list.
fn reject_note(findings: &[Finding]) -> String {
    let all = findings
        .iter()
        .map(|f| f.detail.as_str())
        .collect::<Vec<_>>()
        .join("；");
    if all.chars().count() <= MAX_REJECT_NOTE_CHARS {
        all
    } else {
        format!(
            "未通过，共 {} 项原因，详见审核意见（findings）",
            findings.len()
        )
    }
}

/// Staff record their decisions on the rules the review sent to them: `{"checks":
/// [{"rule_id": .., "met": bool, "note": ..}]}`. The application goes back to the
/// automated review, which now counts those decisions.
pub fn record_checks(
    app: &Application,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    caller.staff_of(&app.authority)?;
    app.require(ApplicationStatus::StaffCheck, "人工核验")?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["checks"], &mut errors);
    if root.value("checks").is_none() && errors.is_empty() {
        return Err(invalid("checks", "应为核验结果数组"));
    }
    let list = root.objects("checks", 50, &mut errors);
    let mut checks = app.checks.clone();
    for c in &list {
        c.deny_unknown(&["rule_id", "met", "note"], &mut errors);
        let rule = c.text("rule_id", 1, 100, &mut errors);
        let met = c.required_flag("met", &mut errors);
        let note = c.optional_multiline_text("note", 1, MAX_CHECK_NOTE_CHARS, &mut errors);
        if !rule.is_empty() && !app.pending_checks.contains(&rule) {
            errors.push(
                c.path_of("rule_id"),
                format!("规则“{rule}”不在本次待人工核验的事项中"),
            );
            continue;
        }
        if let Some(met) = met {
            checks.insert(
                rule,
                Review {
                    met,
                    by: caller.subject().unwrap_or("staff").to_owned(),
                    note,
                },
            );
        }
    }
    if list.is_empty() && errors.is_empty() {
        return Err(invalid("checks", "至少填写一项核验结果"));
    }
    errors.finish(|| ())?;
    let actor = Actor::from(caller);
    let mut next = app.moved(
        ApplicationStatus::Submitted,
        &actor,
        Some("人工核验完成，重新智能审核".to_owned()),
        now,
    );
    next.checks = checks;
    next.pending_checks.clear();
    let audit = next.audit(Some(app), actor, "application.checked");
    Ok((next, audit))
}

/// What approval writes: the application and, when the scheme's approval yields one,
/// the certificate record it creates (or, for an annual report, updates).
#[derive(Debug, Clone)]
pub struct Approval {
    pub application: Application,
    pub certificate: Option<IssuedCertificate>,
}

/// A certificate record written by an approval.
#[derive(Debug, Clone)]
pub struct IssuedCertificate {
    /// The record before (an annual report's held certificate).
    pub before: Option<CertificateRecord>,
    pub record: CertificateRecord,
    pub audit: AuditEvent,
}

/// Approve, as the scheme's `[[applications]].outcome` says. `level`: the level reached
/// stays on the approved application's result. `certificate`: a first application gets
/// a new certificate, valid from today for the scheme's `certificate_validity` (seed 000
/// 第十九条: until the next year's annual-report deadline); an annual report moves the
/// holder's certificate to the new grade and the next deadline (第十一条、第十二条).
/// `app` must already carry its new status (`Approved`) and review result.
pub fn approve(
    app: &Application,
    current: Option<&CertificateRecord>,
    registry: &Registry,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Approval, Problem> {
    let today = china_date(now);
    let result = app.result.as_ref().ok_or_else(Problem::internal)?;
    let scheme = registry
        .version(app.scheme, &result.scheme_version)
        .ok_or_else(Problem::internal)?;
    let (Some(level_code), Some(level_label)) = (&result.level_code, &result.level_label) else {
        return Err(Problem::internal());
    };
    if declaration::application_def(scheme, app.kind)?.outcome == ApprovalOutcome::Level {
        return Ok(Approval {
            application: app.clone(),
            certificate: None,
        });
    }
    let valid_until = scheme
        .certificate_valid_until(today)
        .map_err(|_| Problem::internal())?;
    let mut application = app.clone();
    let (before, certificate, action) = match (app.kind, current) {
        (ApplicationKind::AnnualReport, Some(c)) => {
            let mut next = c.clone();
            next.level_code = level_code.clone();
            next.level_label = level_label.clone();
            next.valid_until = valid_until;
            next.scheme_version = result.scheme_version.clone();
            next.application_id = app.id;
            next.company_name = app.company_name.clone();
            next.version += 1;
            next.updated_at = now;
            (Some(c.clone()), next, "certificate.annual_report")
        }
        (ApplicationKind::AnnualReport, None) => return Err(Problem::internal()),
        (ApplicationKind::Initial, _) => {
            let prefix = scheme.serial_prefix().map_err(|_| Problem::internal())?;
            let c = CertificateRecord {
                serial: new_serial(prefix, today),
                scheme: app.scheme.as_str().to_owned(),
                scheme_version: result.scheme_version.clone(),
                authority: app.authority.clone(),
                authority_name: scheme.scheme.authority_zh.clone(),
                title: scheme
                    .certificate_title()
                    .map_err(|_| Problem::internal())?
                    .to_owned(),
                org: app.org.clone(),
                company_name: app.company_name.clone(),
                level_code: level_code.clone(),
                level_label: level_label.clone(),
                issued_on: today,
                valid_until,
                status: CertificateStatus::Valid,
                application_id: app.id,
                replaces: None,
                superseded_by: None,
                reissue_reason: None,
                revocation: None,
                created_at: now,
                updated_at: now,
                version: 1,
            };
            (None, c, "certificate.issued")
        }
    };
    application.certificate_serial = Some(certificate.serial.clone());
    let certificate_audit = match &before {
        Some(b) => audit_change(b, &certificate, actor.clone(), action, now),
        None => AuditEvent::new(
            now,
            actor.clone(),
            action,
            certificate.entity(),
            None,
            serde_json::to_value(&certificate).ok(),
        ),
    };
    Ok(Approval {
        application,
        certificate: Some(IssuedCertificate {
            before,
            record: certificate,
            audit: certificate_audit,
        }),
    })
}

impl Application {
    /// Move to `status` as `actor` (used by the notice workflow).
    pub fn transition(
        &self,
        status: ApplicationStatus,
        actor: &Actor,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> Application {
        self.moved(status, actor, note, now)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::membership::MembershipPeriod;
    use crate::organization::{Contact, LegalRepresentative};
    use chrono::TimeZone;
    use serde_json::json;

    const ASSOC: &str = "nmg-security-association";

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap()
    }

    /// The association's membership record of `o`, member since 2019.
    fn membership(o: &Organization) -> Membership {
        Membership {
            org: o.code.clone(),
            authority: ASSOC.into(),
            periods: vec![MembershipPeriod {
                since: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
                ended_on: None,
                end_ground: None,
                note: None,
                recorded_by: Actor::system("t"),
                recorded_at: now(),
                ended_by: None,
            }],
            updated_at: now(),
            version: 1,
        }
    }

    pub(crate) fn org(_member: bool) -> Organization {
        let code = CreditCode::parse("91110108551385082Q").unwrap();
        Organization {
            code: code.clone(),
            code_checksum_valid: true,
            name: "内蒙古安全防范技术有限公司".into(),
            address: "呼和浩特市".into(),
            legal_representative: LegalRepresentative {
                name: "张三".into(),
                id_number_masked: None,
            },
            contact: Contact {
                name: "李四".into(),
                phone: "0471-1234567".into(),
                email: None,
            },
            established_on: NaiveDate::from_ymd_opt(2012, 1, 1).unwrap(),
            registered_at: now(),
            registered_by: Actor::system("t"),
            claimed_at: None,
            version: 1,
        }
    }

    fn applicant(o: &Organization) -> Principal {
        Principal::Applicant {
            subject: "a".into(),
            org: o.code.clone(),
        }
    }

    /// A draft with every material uploaded and declared: eligibility facts and
    /// `points` worth of 1-point-per-unit items.
    fn ready(o: &Organization, points: u32) -> Application {
        let registry = Registry::builtin().unwrap();
        let (mut app, _) = create(
            &json!({"scheme": "capability-grade"}),
            &applicant(o),
            o,
            None,
            registry,
            now(),
        )
        .unwrap();
        let mut facts = json!({"major_quality_accident_2y": {"value": false},
                               "bad_conduct_record": {"value": false}});
        let mut items = vec![];
        for f in [
            "has_equipment",
            "has_management_systems",
            "staff_trained",
            "projects_inspected_accepted",
            "industry_contribution",
        ] {
            let body = json!({"evidence_for": f, "file_name": "a.pdf",
                              "content_type": "application/pdf", "size_bytes": 10});
            let (next, m, _) = add_material(&app, &body, &applicant(o), registry, now()).unwrap();
            app = next;
            facts[f] = json!({"value": true, "evidence": [m.id.to_string()]});
        }
        // basic.years-in-business (max 10), management.revenue (max 10), performance.certified-staff (12)...
        let mut left = points;
        for (item, max) in [
            ("basic.years-in-business", 10),
            ("management.revenue", 10),
            ("performance.certified-staff", 12),
            ("performance.senior-titles", 6),
            ("social.client-praise", 5),
            ("social.association-activities", 5),
        ] {
            let q = left.min(max);
            if q == 0 {
                break;
            }
            let body = json!({"evidence_for": item, "file_name": "b.pdf",
                              "content_type": "application/pdf", "size_bytes": 10});
            let (next, m, _) = add_material(&app, &body, &applicant(o), registry, now()).unwrap();
            app = next;
            items.push(json!({"item": item, "quantity": q, "evidence": [m.id.to_string()]}));
            left -= q;
        }
        assert_eq!(left, 0);
        let (app, _) = declare(
            &app,
            &json!({"facts": facts, "items": items}),
            &applicant(o),
            registry,
            now(),
        )
        .unwrap();
        app
    }

    fn all_uploaded(app: &Application) -> BTreeSet<String> {
        app.materials.iter().map(|m| m.id.to_string()).collect()
    }

    pub(crate) fn submitted(o: &Organization, points: u32) -> Application {
        let app = ready(o, points);
        let p = PlatformRecords {
            organization: o,
            membership: Some(&membership(o)),
            bans: &[],
        };
        submit(&app, &applicant(o), &p, Registry::builtin().unwrap(), now())
            .unwrap()
            .0
    }

    #[test]
    fn submission_refusals_name_their_article() {
        let registry = Registry::builtin().unwrap();
        let outsider = org(false);
        let app = ready(&outsider, 45);
        let p = PlatformRecords {
            organization: &outsider,
            membership: None,
            bans: &[],
        };
        let e = submit(&app, &applicant(&outsider), &p, registry, now()).unwrap_err();
        assert_eq!(e.status(), 403);
        assert!(e.detail.contains("第九条（二）"), "{}", e.detail);

        let member = org(true);
        let app = ready(&member, 45);
        // Revoked 2024-12-01: the ban (two years, seed 000 第二十三条) counts from the next
        // day and runs through 2026-12-01 (民法典 第二百零一、二百零二条).
        let revoked_on = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
        let scheme = registry
            .in_force(SchemeId::CapabilityGrade, revoked_on)
            .unwrap();
        let ban = [(revoked_on, scheme.may_reapply_from(revoked_on).unwrap())];
        let p = PlatformRecords {
            organization: &member,
            membership: Some(&membership(&member)),
            bans: &ban,
        };
        let e = submit(&app, &applicant(&member), &p, registry, now()).unwrap_err();
        assert_eq!(e.status(), 403);
        assert!(e.detail.contains("2026-12-02 前不得申请"), "{}", e.detail);
        // To the last second of the ban's last day (China time) the application is refused
        let last = Utc.with_ymd_and_hms(2026, 12, 1, 15, 59, 59).unwrap();
        let e = submit(&app, &applicant(&member), &p, registry, last).unwrap_err();
        assert_eq!(e.status(), 403);
        // ... and from the day after, accepted.
        let later = Utc.with_ymd_and_hms(2026, 12, 1, 16, 0, 0).unwrap();
        assert!(submit(&app, &applicant(&member), &p, registry, later).is_ok());
    }

    #[test]
    fn a_ban_ending_on_days_off_runs_on_to_the_next_working_day() {
        let o = org(true);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Stored when the 2025 holidays were published: already moved past the
        // National Day holiday (2025-10-01..10-08).
        let registry = Registry::builtin().unwrap();
        let scheme = registry
            .in_force(SchemeId::CapabilityGrade, d(2025, 10, 1))
            .unwrap();
        let stored = scheme.may_reapply_from(d(2023, 10, 1)).unwrap();
        assert_eq!(stored, d(2025, 10, 10));
        // Stored before they were: the nominal day after 2025-10-01. The check extends it.
        for until in [stored, d(2025, 10, 2)] {
            let ban = [(d(2023, 10, 1), until)];
            let p = PlatformRecords {
                organization: &o,
                membership: Some(&membership(&o)),
                bans: &ban,
            };
            for today in [d(2025, 10, 1), d(2025, 10, 8), d(2025, 10, 9)] {
                assert_eq!(
                    p.ban_in_force(today),
                    Some((d(2023, 10, 1), d(2025, 10, 10))),
                    "{until} {today}"
                );
            }
            assert_eq!(p.ban_in_force(d(2025, 10, 10)), None, "{until}");
        }
        // A Saturday last day (2026-03-07): the Monday after the weekend is the last day.
        let ban = [(d(2024, 3, 7), d(2026, 3, 8))];
        let p = PlatformRecords {
            organization: &o,
            membership: Some(&membership(&o)),
            bans: &ban,
        };
        assert!(p.ban_in_force(d(2026, 3, 8)).is_some());
        assert_eq!(
            p.ban_in_force(d(2026, 3, 9)),
            Some((d(2024, 3, 7), d(2026, 3, 10)))
        );
        assert!(p.ban_in_force(d(2026, 3, 10)).is_none());
        // The example: revoked 2025-03-10, the ban ends at the end of 2027-03-10
        // (a Wednesday; the shipped calendar has no 2027 holidays, and none is invented).
        let scheme = registry
            .in_force(SchemeId::CapabilityGrade, d(2025, 3, 10))
            .unwrap();
        let ban = [(
            d(2025, 3, 10),
            scheme.may_reapply_from(d(2025, 3, 10)).unwrap(),
        )];
        let p = PlatformRecords {
            organization: &o,
            membership: Some(&membership(&o)),
            bans: &ban,
        };
        assert!(p.ban_in_force(d(2027, 3, 10)).is_some());
        assert!(p.ban_in_force(d(2027, 3, 11)).is_none());
    }

    #[test]
    fn the_review_sends_to_staff_then_to_notice_or_rejects_with_reasons() {
        let registry = Registry::builtin().unwrap();
        let o = org(true);
        let p = PlatformRecords {
            organization: &o,
            membership: Some(&membership(&o)),
            bans: &[],
        };
        let app = submitted(&o, 45);
        let out = review(&app, &p, &all_uploaded(&app), None, registry, now())
            .unwrap()
            .unwrap();
        assert!(
            matches!(&out.verdict, Verdict::StaffCheck(r) if r.len() == 3),
            "{:?}",
            out.verdict
        );
        assert_eq!(out.report.level.as_ref().unwrap().code, "4");
        assert_eq!(out.application.status, ApplicationStatus::StaffCheck);
        // Staff confirm: the next review opens the notice.
        let staff = Principal::Staff {
            subject: "clerk".into(),
            authority: ASSOC.into(),
        };
        let checks: Vec<_> = out
            .application
            .pending_checks
            .iter()
            .map(|r| json!({"rule_id": r, "met": true}))
            .collect();
        let (back, _) =
            record_checks(&out.application, &json!({"checks": checks}), &staff, now()).unwrap();
        assert_eq!(back.status, ApplicationStatus::Submitted);
        let out = review(&back, &p, &all_uploaded(&back), None, registry, now())
            .unwrap()
            .unwrap();
        assert_eq!(out.verdict, Verdict::Notice);
        // Running it on the moved application does nothing.
        assert!(
            review(
                &out.application,
                &p,
                &all_uploaded(&back),
                None,
                registry,
                now()
            )
            .unwrap()
            .is_none()
        );

        // A material that never reached the bucket: rejected, the reason named.
        let app = submitted(&o, 45);
        let mut uploaded = all_uploaded(&app);
        let missing = app.facts["staff_trained"].evidence[0].clone();
        uploaded.remove(&missing);
        let out = review(&app, &p, &uploaded, None, registry, now())
            .unwrap()
            .unwrap();
        assert_eq!(out.verdict, Verdict::Reject);
        assert!(
            out.application
                .findings
                .iter()
                .any(|f| f.detail.contains(&missing))
        );

        // Below 40 points: no grade (第七条), rejected.
        let app = submitted(&o, 39);
        let out = review(&app, &p, &all_uploaded(&app), None, registry, now())
            .unwrap()
            .unwrap();
        assert_eq!(out.verdict, Verdict::Reject);
        assert!(
            out.application
                .findings
                .iter()
                .any(|f| f.rule_id == "level")
        );
    }

    #[test]
    fn platform_records_override_declarations_and_disagreements_are_findings() {
        let o = org(true);
        let mut app = submitted(&o, 45);
        app.facts.insert(
            "association_member".into(),
            Fact {
                value: FactValue::Bool(false),
                evidence: vec![],
            },
        );
        let p = PlatformRecords {
            organization: &o,
            membership: Some(&membership(&o)),
            bans: &[],
        };
        let (facts, findings) = app.facts(&p, &all_uploaded(&app), china_date(now()));
        assert_eq!(
            facts.values["association_member"].value,
            FactValue::Bool(true)
        );
        assert!(findings.iter().any(|f| f.rule_id == "association_member"));
    }

    #[test]
    fn materials_are_checked_and_keyed_by_the_platform() {
        let registry = Registry::builtin().unwrap();
        let o = org(true);
        let (app, _) = create(
            &json!({"scheme": "capability-grade"}),
            &applicant(&o),
            &o,
            None,
            registry,
            now(),
        )
        .unwrap();
        let ok = json!({"evidence_for": "has_equipment", "file_name": "设备清单.pdf",
                        "content_type": "application/pdf", "size_bytes": 1024});
        let (_, m, _) = add_material(&app, &ok, &applicant(&o), registry, now()).unwrap();
        assert_eq!(m.key, format!("applications/{}/{}.pdf", app.id, m.id));
        for (field, value, status) in [
            ("content_type", json!("application/x-msdownload"), 415),
            ("size_bytes", json!(MAX_MATERIAL_BYTES + 1), 413),
            ("size_bytes", json!(0), 422),
            ("file_name", json!("../../etc/passwd"), 422),
            ("evidence_for", json!("no-such-item"), 422),
        ] {
            let mut body = ok.clone();
            body[field] = value;
            let e = add_material(&app, &body, &applicant(&o), registry, now()).unwrap_err();
            assert_eq!(e.status(), status, "{field}: {}", e.detail);
        }
    }

    #[test]
    fn approval_dates_follow_article_19() {
        let registry = Registry::builtin().unwrap();
        let o = org(true);
        let mut app = submitted(&o, 45);
        app.status = ApplicationStatus::Approved;
        app.result = Some(ReviewResult {
            report_id: RecordId::new_at(now()),
            scheme_version: "2024-01-01".into(),
            as_of: china_date(now()),
            status: Status::Qualified,
            total: Some(Decimal::from(85)),
            level_code: Some("2".into()),
            level_label: Some("二级".into()),
        });
        let a = approve(&app, None, registry, &Actor::system("t"), now()).unwrap();
        let cert = &a
            .certificate
            .as_ref()
            .expect("a certificate outcome")
            .record;
        assert_eq!(
            cert.issued_on,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(
            cert.valid_until,
            NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()
        );
        assert_eq!(cert.level_label, "二级");
        assert_eq!(
            a.application.certificate_serial.as_deref(),
            Some(cert.serial.as_str())
        );
    }

    #[test]
    fn the_review_checks_only_the_materials_the_declaration_relies_on() {
        let o = org(true);
        let mut app = submitted(&o, 10);
        let relied: BTreeSet<String> = app
            .relied_on_materials()
            .iter()
            .map(|m| m.id.to_string())
            .collect();
        assert_eq!(
            relied,
            all_uploaded(&app),
            "every uploaded material is evidence"
        );
        let spare = app.materials[0].clone();
        let mut unused = spare.clone();
        unused.id = RecordId::new_at(now());
        app.materials.push(unused.clone());
        let relied: Vec<String> = app
            .relied_on_materials()
            .iter()
            .map(|m| m.id.to_string())
            .collect();
        assert!(!relied.contains(&unused.id.to_string()));
        assert!(relied.contains(&spare.id.to_string()));
        assert_eq!(
            app.idempotency_expires_at(),
            app.updated_at.timestamp() + 86_400
        );
    }
}
