//! Client-unit evaluation forms (seed 003 附录A 表A.1; 5.1.4.2、5.2.4.3、5.3.4.3: "用户单位
//! 所提供的服务评价应达到85分以上"). The applicant names a client unit it declared; the
//! platform makes a one-time link (an unguessable token, expiring) that the client unit
//! opens without an account; the form shows the scheme's items with their maxima; a
//! submitted form cannot be changed, only withdrawn by the authority's staff with a
//! reason. Received forms are records the platform keeps, never declared by the
//! applicant: the review reads them as the application's evaluations.

use crate::application::{Application, ApplicationStatus, MATERIAL_TYPES, MAX_MATERIAL_BYTES};
use crate::audit::{Actor, AuditEvent};
use crate::auth::{Access, Principal};
use crate::clock::china_date;
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use standing_schemes::model::{Form, ParamValue};
use standing_schemes::{ClientEvaluation, Scheme, SchemeId};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Characters of a link token (two ULIDs' random parts, 160 bits, Crockford base32).
pub const TOKEN_CHARS: usize = 32;
/// Longest name of an evaluator or a unit.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest withdrawal reason.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormStatus {
    /// The link is out; the client unit has not answered.
    Awaiting,
    /// The client unit submitted the form; it cannot be changed.
    Received,
    /// Staff withdrew the received form, with a reason: it no longer counts.
    Withdrawn,
}

/// The stamped scan of the signed form, uploaded by the client unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scan {
    /// Object key in the materials bucket, made by the platform.
    pub key: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
}

/// What the client unit submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedForm {
    pub evaluator_name: String,
    pub unit_name: String,
    pub evaluated_on: NaiveDate,
    /// Score per form item id.
    pub scores: BTreeMap<String, Decimal>,
    pub total: Decimal,
    pub scan: Scan,
    pub received_at: DateTime<Utc>,
}

/// Why staff withdrew a received form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub reason: String,
    pub by: Actor,
    pub at: DateTime<Utc>,
}

/// One evaluation asked of one client unit for one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationForm {
    pub id: RecordId,
    pub application: RecordId,
    pub scheme: SchemeId,
    /// The form of the scheme's data (`parameters.evaluation_form`, e.g. "A.1").
    pub form: String,
    pub org: CreditCode,
    pub company_name: String,
    pub authority: String,
    /// The client as the applicant declared it (`clients.entries[].client_ref`).
    pub client_ref: String,
    pub client_name: String,
    /// SHA-256 of the link token (hex): the token itself is shown once and never kept.
    /// Empty in views.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub token_sha256: String,
    pub expires_at: DateTime<Utc>,
    pub status: FormStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received: Option<ReceivedForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Withdrawal>,
    pub requested_by: Actor,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

/// The SHA-256 (hex) under which a token is looked up.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new unguessable link token.
pub fn new_token() -> String {
    let a: u128 = ulid::Ulid::generate().random();
    let b: u128 = ulid::Ulid::generate().random();
    let mut bits = [a, b];
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::with_capacity(TOKEN_CHARS);
    for part in &mut bits {
        for _ in 0..TOKEN_CHARS / 2 {
            out.push(ALPHABET[(*part & 31) as usize] as char);
            *part >>= 5;
        }
    }
    out
}

/// Whether a path segment has the shape of a token (checked before any storage read).
pub fn looks_like_token(s: &str) -> bool {
    s.len() == TOKEN_CHARS && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The scheme's evaluation form and how long a link stays open, or a 422 when the
/// scheme asks for no client evaluations.
fn form_of(scheme: &Scheme) -> Result<(&Form, i64), Problem> {
    let id = match scheme.parameters.get("evaluation_form").map(|p| &p.value) {
        Some(ParamValue::Text(t)) => t.as_str(),
        _ => {
            return Err(Problem::field(
                ProblemKind::Validation,
                "scheme",
                format!("“{}”不需要用户单位评价", scheme.scheme.title_zh),
            ));
        }
    };
    let form = scheme
        .forms
        .iter()
        .find(|f| f.id == id)
        .ok_or_else(Problem::internal)?;
    let days = match scheme
        .parameters
        .get("evaluation_link_days")
        .map(|p| &p.value)
    {
        Some(ParamValue::Int(d)) if *d > 0 => *d,
        _ => return Err(Problem::internal()),
    };
    Ok((form, days))
}

/// The applicant (or the authority's staff) asks a declared client unit for its
/// evaluation: `{"client_ref": .., "client_name": ..}`. Refused when the client is not
/// declared, or already has a form awaiting or received. Returns the record and the
/// token (to hand to the client unit; only its hash is kept).
pub fn request(
    app: &Application,
    existing: &[EvaluationForm],
    body: &Value,
    caller: &Principal,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<(EvaluationForm, String, AuditEvent), Problem> {
    caller.holder_or_staff_of(&app.org, &app.authority)?;
    if !matches!(
        app.status,
        ApplicationStatus::Draft | ApplicationStatus::Submitted
    ) {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "status",
            format!(
                "申请当前状态为“{}”，不能再请用户单位评价",
                app.status.label_zh()
            ),
        ));
    }
    let (form, days) = form_of(scheme)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["client_ref", "client_name"], &mut errors);
    let client_ref = root.text("client_ref", 1, 64, &mut errors);
    let client_name = root.text("client_name", 1, MAX_NAME_CHARS, &mut errors);
    errors.finish(|| ())?;
    let declared = app
        .clients
        .as_ref()
        .is_some_and(|c| c.entries.iter().any(|e| e.client_ref == client_ref));
    if !declared {
        return Err(Problem::field(
            ProblemKind::Validation,
            "client_ref",
            format!("申报中没有用户单位“{client_ref}”，请先在申报的 clients 中填写"),
        ));
    }
    if let Some(open) = existing.iter().find(|f| {
        f.client_ref == client_ref
            && (f.status == FormStatus::Received
                || (f.status == FormStatus::Awaiting && now < f.expires_at))
    }) {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "client_ref",
            format!(
                "已请用户单位“{client_ref}”评价（编号 {}，{}）",
                open.id,
                match open.status {
                    FormStatus::Received => "已收到",
                    _ => "等待填写",
                }
            ),
        ));
    }
    let token = new_token();
    let actor = Actor::from(caller);
    let f = EvaluationForm {
        id: RecordId::new_at(now),
        application: app.id,
        scheme: app.scheme,
        form: form.id.clone(),
        org: app.org.clone(),
        company_name: app.company_name.clone(),
        authority: app.authority.clone(),
        client_ref,
        client_name,
        token_sha256: token_hash(&token),
        expires_at: now + Duration::days(days),
        status: FormStatus::Awaiting,
        received: None,
        withdrawal: None,
        requested_by: actor.clone(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = f.audit(None, actor, "evaluation_form.requested");
    Ok((f, token, audit))
}

/// What the client unit sees when it opens the link.
#[derive(Debug, Clone, Serialize)]
pub struct PublicForm<'a> {
    pub company_name: &'a str,
    pub client_name: &'a str,
    pub title_zh: &'a str,
    pub items: Vec<PublicItem<'a>>,
    pub total: Decimal,
    pub expires_at: DateTime<Utc>,
    pub seed: String,
    /// Media types accepted for the stamped scan.
    pub scan_types: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicItem<'a> {
    pub id: &'a str,
    pub title_zh: &'a str,
    pub max: Decimal,
}

impl EvaluationForm {
    pub fn entity(&self) -> String {
        format!("evaluation_form/{}", self.id)
    }

    pub fn audit(&self, before: Option<&EvaluationForm>, actor: Actor, action: &str) -> AuditEvent {
        AuditEvent::new(
            self.updated_at,
            actor,
            action,
            self.entity(),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(self).ok(),
        )
    }

    /// The link still answers: awaiting and not expired. A used link is 409 (the form
    /// cannot be changed), an expired one 410.
    fn open_at(&self, now: DateTime<Utc>) -> Result<(), Problem> {
        match self.status {
            FormStatus::Awaiting if now < self.expires_at => Ok(()),
            FormStatus::Awaiting => Err(Problem::new(
                ProblemKind::Gone,
                format!("评价链接已于 {} 过期", china_date(self.expires_at)),
            )),
            _ => Err(Problem::field(
                ProblemKind::Conflict,
                "token",
                "此评价表已提交，不能修改",
            )),
        }
    }

    /// The form as the client unit sees it, while the link is open.
    pub fn public<'a>(
        &'a self,
        scheme: &'a Scheme,
        now: DateTime<Utc>,
    ) -> Result<PublicForm<'a>, Problem> {
        self.open_at(now)?;
        let (form, _) = form_of(scheme)?;
        Ok(PublicForm {
            company_name: &self.company_name,
            client_name: &self.client_name,
            title_zh: &form.title_zh,
            items: form
                .items
                .iter()
                .map(|i| PublicItem {
                    id: &i.id,
                    title_zh: &i.title_zh,
                    max: i.max.0,
                })
                .collect(),
            total: form.total.0,
            expires_at: self.expires_at,
            seed: form.seed.to_string(),
            scan_types: MATERIAL_TYPES.iter().map(|(t, _)| *t).collect(),
        })
    }

    /// The evaluation as the evaluation rules read it, if it counts: received and not
    /// withdrawn, with its scan really uploaded (`scan_present`).
    pub fn as_evaluation(&self, scan_present: bool) -> Option<ClientEvaluation> {
        let r = self.received.as_ref()?;
        (self.status == FormStatus::Received && scan_present).then(|| ClientEvaluation {
            client_ref: self.client_ref.clone(),
            scores: r.scores.clone(),
            evidence: vec![r.scan.key.clone()],
        })
    }

    /// The record as `access` may see it: never the token's hash; the company's own
    /// account sees staff by role, not account ids.
    pub fn view(&self, access: Access) -> EvaluationForm {
        let mut f = self.clone();
        f.token_sha256 = String::new();
        if access == Access::Holder {
            f.requested_by = f.requested_by.without_id();
            if let Some(w) = &mut f.withdrawal {
                w.by = w.by.without_id();
            }
        }
        f
    }

    /// Still waiting for the client unit on `now`.
    pub fn awaiting_at(&self, now: DateTime<Utc>) -> bool {
        self.status == FormStatus::Awaiting && now < self.expires_at
    }
}

/// The client unit submits the form through its link: `{"evaluator_name", "unit_name",
/// "evaluated_on": "YYYY-MM-DD", "scores": {item id: number}, "scan": {"file_name",
/// "content_type", "size_bytes"}}`. Every item of the form must be scored within 0 and
/// its maximum (a 422 names the item otherwise). Returns the received record; the
/// handler hands out a presigned PUT for the scan.
pub fn receive(
    f: &EvaluationForm,
    body: &Value,
    scheme: &Scheme,
    now: DateTime<Utc>,
) -> Result<(EvaluationForm, AuditEvent), Problem> {
    f.open_at(now)?;
    let (form, _) = form_of(scheme)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(
        &[
            "evaluator_name",
            "unit_name",
            "evaluated_on",
            "scores",
            "scan",
        ],
        &mut errors,
    );
    let evaluator_name = root.text("evaluator_name", 1, MAX_NAME_CHARS, &mut errors);
    let unit_name = root.text("unit_name", 1, MAX_NAME_CHARS, &mut errors);
    let evaluated_on = root.date("evaluated_on", &mut errors);
    let mut scores = BTreeMap::new();
    if let Some(s) = root.object("scores", &mut errors) {
        let known: Vec<&str> = form.items.iter().map(|i| i.id.as_str()).collect();
        s.deny_unknown(&known, &mut errors);
        for item in &form.items {
            let field = s.path_of(&item.id);
            let value = match s.value(&item.id) {
                None => {
                    errors.push(field, format!("请为“{}”打分", item.title_zh));
                    continue;
                }
                Some(Value::Number(n)) => Decimal::from_str(&n.to_string()).ok(),
                Some(_) => None,
            };
            match value {
                Some(v) if v >= Decimal::ZERO && v <= item.max.0 => {
                    scores.insert(item.id.clone(), v);
                }
                _ => errors.push(
                    field,
                    format!("“{}”的得分应在 0 至 {} 分之间", item.title_zh, item.max.0),
                ),
            }
        }
    }
    let scan = root.object("scan", &mut errors).map(|s| {
        s.deny_unknown(&["file_name", "content_type", "size_bytes"], &mut errors);
        let file_name = s.text("file_name", 1, 80, &mut errors);
        let content_type = s
            .text("content_type", 1, 100, &mut errors)
            .to_ascii_lowercase();
        let size = s.required_u64("size_bytes", 1, MAX_MATERIAL_BYTES, &mut errors);
        (file_name, content_type, size)
    });
    errors.finish(|| ())?;
    let Some(evaluated_on) = evaluated_on else {
        return Err(Problem::internal());
    };
    if evaluated_on > china_date(now) {
        return Err(Problem::field(
            ProblemKind::Validation,
            "evaluated_on",
            "评价日期不能晚于今天",
        ));
    }
    let Some((file_name, content_type, Some(size))) = scan else {
        return Err(Problem::internal());
    };
    if file_name.contains(['/', '\\']) {
        return Err(Problem::field(
            ProblemKind::Validation,
            "scan.file_name",
            "文件名不能包含路径分隔符",
        ));
    }
    let Some(ext) = MATERIAL_TYPES
        .iter()
        .find(|(t, _)| *t == content_type)
        .map(|(_, e)| *e)
    else {
        return Err(Problem::field(
            ProblemKind::UnsupportedMediaType,
            "scan.content_type",
            "盖章扫描件仅接受 PDF、JPEG、PNG 文件",
        ));
    };
    let total = scores.values().copied().sum();
    let mut next = f.clone();
    next.status = FormStatus::Received;
    next.received = Some(ReceivedForm {
        evaluator_name,
        unit_name,
        evaluated_on,
        scores,
        total,
        scan: Scan {
            key: format!("applications/{}/evaluations/{}.{ext}", f.application, f.id),
            file_name,
            content_type,
            size_bytes: size,
        },
        received_at: now,
    });
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(
        Some(f),
        Actor::system("client-unit"),
        "evaluation_form.received",
    );
    Ok((next, audit))
}

/// The authority's staff withdraw a received form, with the reason (`{"reason": ..}`):
/// it no longer counts; the applicant may ask the client unit again.
pub fn withdraw(
    f: &EvaluationForm,
    body: &Value,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(EvaluationForm, AuditEvent), Problem> {
    caller.staff_of(&f.authority)?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["reason"], &mut errors);
    let reason = root.multiline_text("reason", 1, MAX_REASON_CHARS, &mut errors);
    errors.finish(|| ())?;
    if f.status != FormStatus::Received {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "status",
            "只有已提交的评价表可以撤回",
        ));
    }
    let actor = Actor::from(caller);
    let mut next = f.clone();
    next.status = FormStatus::Withdrawn;
    next.withdrawal = Some(Withdrawal {
        reason,
        by: actor.clone(),
        at: now,
    });
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(f), actor, "evaluation_form.withdrawn");
    Ok((next, audit))
}
