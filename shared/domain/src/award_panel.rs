//! Award panels (seed 001 五（二）: "由协会专家库专家及协会秘书处负责人组成评审委员会，通过
//! 综合评价打分"): the experts the association keeps on record, a panel per category and
//! edition, independent scores, and the ranking the scheme's data prescribes.
//!
//! - An expert is a principal with role `expert` whose record (name, organization) the
//!   association's staff write: the organization comes from that record, never from a
//!   token claim, and decides the conflict rule.
//! - An expert tied to a nominee (the same organization, or a tie the staff record from
//!   the expert's declaration) is kept off that nominee.
//! - An expert sees another expert's score of a nominee only after submitting their own
//!   score of that nominee; a score is given once.
//! - The ranking aggregates under the scheme's `score_aggregate` (drop the highest and
//!   the lowest once `score_trim_min_experts` scored, else the mean: a marked default),
//!   proposes `winners_per_category` winners, and treats a tie at the last place as the
//!   data says (`score_ties`).

use crate::application::{Application, ApplicationStatus};
use crate::audit::{Actor, AuditEvent};
use crate::auth::Principal;
use crate::certificate::{CertificateRecord, CertificateStatus, new_serial};
use crate::ids::{CreditCode, RecordId};
use crate::input::{Errors, Reader};
use crate::problem::{Problem, ProblemKind};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use standing_schemes::Scheme;
use standing_schemes::model::GroupRole;
use std::collections::BTreeSet;
use std::str::FromStr;

/// Most experts on one panel.
pub const MAX_PANEL_EXPERTS: usize = 30;

fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Problem {
    Problem::field(ProblemKind::Validation, field, detail)
}

/// An expert as the association records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expert {
    /// The expert's account (the `sub` of their token).
    pub subject: String,
    /// The association that keeps the record.
    pub authority: String,
    pub name: String,
    /// The organization the expert works for (unified social credit code), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<CreditCode>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

impl Expert {
    pub fn entity(&self) -> String {
        format!("expert/{}/{}", self.authority, self.subject)
    }
}

/// Staff record (or correct) an expert: `{"name": .., "org": "<credit code>"?}`.
pub fn record_expert(
    subject: &str,
    body: &Value,
    existing: Option<&Expert>,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Expert, AuditEvent), Problem> {
    let authority = caller.require_staff()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@');
    if subject.is_empty() || subject.len() > 64 || !subject.chars().all(plain) {
        return Err(invalid(
            "subject",
            "专家账号应为 1 至 64 个字母、数字或 - _ . @",
        ));
    }
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["name", "org"], &mut errors);
    let name = root.text("name", 1, 40, &mut errors);
    let org_text = root.optional_text("org", 1, 32, &mut errors);
    errors.finish(|| ())?;
    let org = match org_text {
        Some(t) => Some(
            CreditCode::parse(&t)
                .map_err(|e| invalid("org", format!("统一社会信用代码无效：{e}")))?,
        ),
        None => None,
    };
    let expert = Expert {
        subject: subject.to_owned(),
        authority: authority.to_owned(),
        name,
        org,
        updated_at: now,
        version: existing.map_or(1, |e| e.version + 1),
    };
    let audit = AuditEvent::new(
        now,
        Actor::from(caller),
        "expert.recorded",
        expert.entity(),
        existing.and_then(|e| serde_json::to_value(e).ok()),
        serde_json::to_value(&expert).ok(),
    );
    Ok((expert, audit))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelStatus {
    Scoring,
    Ranked,
    /// The proposed winners are on public notice (seed 001 五（三）).
    OnNotice,
    /// The results are published and the award certificates issued (六（一）、（二）).
    Published,
}

/// The public notice of a panel's proposed winners: `notice_days` (3) calendar days
/// counted as the law counts periods (`Scheme::notice_ends_on`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardNotice {
    pub opened_at: DateTime<Utc>,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    pub closes_at: DateTime<Utc>,
}

/// An objection to a proposed winner, filed by anyone during the notice (the name and
/// contact are the objector's, shown to the association's staff only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardObjection {
    pub id: RecordId,
    pub panel: String,
    pub application: RecordId,
    pub name: String,
    pub contact: String,
    pub text: String,
    pub filed_at: DateTime<Utc>,
}

/// The association's decision on an objection, taken at publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionDecision {
    pub objection: RecordId,
    pub upheld: bool,
    pub reason: String,
}

/// A pseudonymous, stable identifier of a caller's address for the objection rate
/// limit (the same one the notices' objections use; never the address).
pub fn objection_source(ip: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("standing-objection-source:{ip}").as_bytes());
    digest[..12].iter().map(|b| format!("{b:02x}")).collect()
}

/// Anyone files an objection to a proposed winner while the notice runs
/// (`{"application", "name", "contact", "text"}`).
pub fn file_objection(
    panel: &Panel,
    body: &Value,
    now: DateTime<Utc>,
) -> Result<(AwardObjection, AuditEvent), Problem> {
    let open = panel.status == PanelStatus::OnNotice
        && panel.notice.as_ref().is_some_and(|n| now < n.closes_at);
    if !open {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "status",
            "拟获奖名单不在公示期内，不能提出异议",
        ));
    }
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["application", "name", "contact", "text"], &mut errors);
    let application = root.text("application", 1, 64, &mut errors);
    let name = root.text("name", 1, 40, &mut errors);
    let contact = root.text("contact", 1, 64, &mut errors);
    let text = root.text("text", 1, 2000, &mut errors);
    errors.finish(|| ())?;
    let target = panel
        .ranking
        .iter()
        .find(|r| r.proposed && r.application.to_string() == application)
        .ok_or_else(|| invalid("application", "异议对象应为拟获奖名单中的申报"))?;
    let o = AwardObjection {
        id: RecordId::new_at(now),
        panel: panel.id.clone(),
        application: target.application,
        name,
        contact,
        text,
        filed_at: now,
    };
    let audit = AuditEvent::new(
        now,
        Actor::system("public"),
        "panel.objection_filed",
        format!("{}/objection/{}", panel.entity(), o.id),
        None,
        serde_json::to_value(&o).ok(),
    );
    Ok((o, audit))
}

/// A proposed winner withdrawn at publication (an objection the association upheld).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Withdrawal {
    pub application: RecordId,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelMember {
    pub subject: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<CreditCode>,
}

/// A nomination on the panel, with the experts kept off it and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelNominee {
    pub application: RecordId,
    pub org: CreditCode,
    pub company_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominee_name: Option<String>,
    /// (expert subject, reason) of every expert kept off this nominee.
    #[serde(default)]
    pub recused: Vec<Recusal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recusal {
    pub expert: String,
    pub reason: String,
}

/// One nominee's place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub application: RecordId,
    pub company_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nominee_name: Option<String>,
    pub scores: usize,
    pub aggregate: Decimal,
    pub rank: usize,
    pub proposed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Panel {
    /// `{edition}-{category}`, e.g. `2024-c3`.
    pub id: String,
    pub authority: String,
    pub scheme_version: String,
    pub category: String,
    pub category_title_zh: String,
    pub members: Vec<PanelMember>,
    pub nominees: Vec<PanelNominee>,
    pub status: PanelStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranking: Vec<Ranked>,
    /// The rule the ranking used, as the data states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<AwardNotice>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub withdrawn: Vec<Withdrawal>,
    /// The award certificates issued at publication, by application.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<(RecordId, String)>,
    /// The association's decision on each objection filed during the notice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objection_decisions: Vec<ObjectionDecision>,
    pub formed_by: Actor,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: u64,
}

/// One expert's score of one nominee, given once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub panel: String,
    pub application: RecordId,
    pub expert: String,
    pub score: Decimal,
    pub at: DateTime<Utc>,
}

impl Panel {
    pub fn entity(&self) -> String {
        format!("panel/{}/{}", self.authority, self.id)
    }

    /// The panel id of a category in an edition, or a 404 for a malformed one.
    pub fn parse_id(id: &str) -> Result<(String, String), Problem> {
        id.split_once('-')
            .filter(|(e, c)| {
                !e.is_empty()
                    && e.len() <= 16
                    && e.chars().all(|ch| ch.is_ascii_alphanumeric())
                    && !c.is_empty()
                    && c.len() <= 16
                    && c.chars().all(|ch| ch.is_ascii_alphanumeric())
            })
            .map(|(e, c)| (e.to_owned(), c.to_owned()))
            .ok_or_else(|| Problem::not_found(format!("没有评审组“{id}”")))
    }

    fn member(&self, subject: &str) -> Option<&PanelMember> {
        self.members.iter().find(|m| m.subject == subject)
    }

    fn nominee(&self, application: &RecordId) -> Option<&PanelNominee> {
        self.nominees.iter().find(|n| &n.application == application)
    }

    /// The experts who must score `n` (every member not kept off it).
    fn scorers<'a>(&'a self, n: &'a PanelNominee) -> impl Iterator<Item = &'a PanelMember> {
        self.members
            .iter()
            .filter(|m| !n.recused.iter().any(|r| r.expert == m.subject))
    }

    fn audit(&self, before: Option<&Panel>, actor: Actor, action: &str) -> AuditEvent {
        AuditEvent::new(
            self.updated_at,
            actor,
            action,
            self.entity(),
            before.and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(self).ok(),
        )
    }
}

/// Staff of the scheme's association form the panel of `category` in the edition
/// `scheme`: `{"experts": [subject..], "ties": [{"expert", "application", "reason"}]}`.
/// `experts`: the association's records of the named experts (a name without a record
/// is refused); `nominations`: the nominations of the category admitted in the edition.
pub fn form_panel(
    body: &Value,
    scheme: &Scheme,
    category: &str,
    experts: &[Expert],
    nominations: &[Application],
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Panel, AuditEvent), Problem> {
    let authority = scheme.authority_id().map_err(|_| Problem::internal())?;
    caller.staff_of(authority)?;
    let group = scheme
        .groups
        .iter()
        .find(|g| g.role == GroupRole::Category && g.id == category)
        .ok_or_else(|| Problem::not_found(format!("没有奖项“{category}”")))?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["experts", "ties"], &mut errors);
    let subjects = root.texts("experts", MAX_PANEL_EXPERTS, 1, 64, &mut errors);
    let mut ties = Vec::new();
    for t in root.objects("ties", 200, &mut errors) {
        t.deny_unknown(&["expert", "application", "reason"], &mut errors);
        let expert = t.text("expert", 1, 64, &mut errors);
        let application = t.text("application", 1, 64, &mut errors);
        let reason = t.text("reason", 1, 200, &mut errors);
        ties.push((t.path_of("application"), expert, application, reason));
    }
    errors.finish(|| ())?;
    if subjects.is_empty() {
        return Err(invalid("experts", "评审组至少需要一名专家"));
    }
    let mut members = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, s) in subjects.iter().enumerate() {
        if !seen.insert(s.as_str()) {
            return Err(invalid(format!("experts[{i}]"), format!("专家“{s}”重复")));
        }
        let e = experts
            .iter()
            .find(|e| &e.subject == s && e.authority == authority)
            .ok_or_else(|| {
                invalid(
                    format!("experts[{i}]"),
                    format!("协会专家记录中没有账号“{s}”，请先登记专家"),
                )
            })?;
        members.push(PanelMember {
            subject: e.subject.clone(),
            name: e.name.clone(),
            org: e.org.clone(),
        });
    }
    let admitted: Vec<&Application> = nominations
        .iter()
        .filter(|a| {
            a.category.as_deref() == Some(category)
                && a.status == ApplicationStatus::Approved
                && a.authority == authority
        })
        .collect();
    if admitted.is_empty() {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "category",
            format!("“{}”暂无入围的申报，不能组成评审组", group.title_zh),
        ));
    }
    let mut nominees: Vec<PanelNominee> = admitted
        .iter()
        .map(|a| PanelNominee {
            application: a.id,
            org: a.org.clone(),
            company_name: a.company_name.clone(),
            nominee_name: a.nominee.as_ref().map(|n| n.name.clone()),
            recused: members
                .iter()
                .filter(|m| m.org.as_ref() == Some(&a.org))
                .map(|m| Recusal {
                    expert: m.subject.clone(),
                    reason: "专家与被推荐单位为同一单位".to_owned(),
                })
                .collect(),
        })
        .collect();
    for (field, expert, application, reason) in ties {
        if !seen.contains(expert.as_str()) {
            return Err(invalid(field, format!("“{expert}”不是本评审组专家")));
        }
        let Some(n) = nominees
            .iter_mut()
            .find(|n| n.application.to_string() == application)
        else {
            return Err(invalid(field, format!("本奖项没有入围申报“{application}”")));
        };
        if !n.recused.iter().any(|r| r.expert == expert) {
            n.recused.push(Recusal {
                expert,
                reason: format!("专家申报的关联关系：{reason}"),
            });
        }
    }
    if let Some(n) = nominees.iter().find(|n| n.recused.len() == members.len()) {
        return Err(invalid(
            "experts",
            format!("“{}”的评审专家全部回避，请增加专家", n.company_name),
        ));
    }
    let edition = scheme.scheme.version.clone();
    let panel = Panel {
        id: format!("{edition}-{category}"),
        authority: authority.to_owned(),
        scheme_version: edition,
        category: category.to_owned(),
        category_title_zh: group.title_zh.clone(),
        members,
        nominees,
        status: PanelStatus::Scoring,
        ranking: Vec::new(),
        rule_zh: None,
        notice: None,
        withdrawn: Vec::new(),
        certificates: Vec::new(),
        objection_decisions: Vec::new(),
        formed_by: Actor::from(caller),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = panel.audit(None, Actor::from(caller), "panel.formed");
    Ok((panel, audit))
}

/// An expert of the panel scores a nominee: `{"score": "87.5"}` (0 to the scheme's
/// `score_max`, exact decimals). Once only; never a nominee the expert is kept off.
pub fn score(
    panel: &Panel,
    application: &str,
    body: &Value,
    existing: Option<&Score>,
    scheme: &Scheme,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Score, AuditEvent), Problem> {
    let subject = match caller {
        Principal::Expert { subject } if panel.member(subject).is_some() => subject.clone(),
        _ => return Err(caller.deny("仅本评审组专家可以评分")),
    };
    let not_found = || Problem::not_found(format!("本评审组没有申报“{application}”"));
    let id = RecordId::from_str(application).map_err(|_| not_found())?;
    let n = panel.nominee(&id).ok_or_else(not_found)?;
    if let Some(r) = n.recused.iter().find(|r| r.expert == subject) {
        return Err(caller.deny(&format!("您须回避此申报的评审（{}）", r.reason)));
    }
    if panel.status != PanelStatus::Scoring {
        return Err(Problem::field(ProblemKind::Conflict, "score", "评审已结束"));
    }
    if existing.is_some() {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "score",
            "您已提交此申报的评分，评分提交后不能修改",
        ));
    }
    let max = Decimal::from(
        scheme
            .param_int("score_max")
            .map_err(|_| Problem::internal())?,
    );
    let mut errors = Errors::default();
    Reader::root(body, &mut errors).deny_unknown(&["score"], &mut errors);
    errors.finish(|| ())?;
    let value = match body.get("score") {
        Some(Value::String(s)) => Decimal::from_str(s).ok(),
        Some(Value::Number(n)) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
    .filter(|d| *d >= Decimal::ZERO && *d <= max && d.scale() <= 2);
    let Some(value) = value else {
        return Err(invalid(
            "score",
            format!("评分应为 0 至 {max} 之间的数（至多两位小数）"),
        ));
    };
    let s = Score {
        panel: panel.id.clone(),
        application: id,
        expert: subject,
        score: value,
        at: now,
    };
    let audit = AuditEvent::new(
        now,
        Actor::from(caller),
        "panel.scored",
        format!("{}/score/{}/{}", panel.entity(), s.application, s.expert),
        None,
        serde_json::to_value(&s).ok(),
    );
    Ok((s, audit))
}

/// What `caller` sees of the panel: staff of its association everything; an expert of
/// the panel the nominees (those they are kept off marked, without scores), their own
/// scores, and another expert's score of a nominee only once they scored it themselves.
pub fn view(
    panel: &Panel,
    scores: &[Score],
    objections: &[AwardObjection],
    caller: &Principal,
) -> Result<Value, Problem> {
    match caller {
        Principal::Staff { authority, .. } if *authority == panel.authority => Ok(json!({
            "panel": panel,
            "scores": scores,
            "objections": objections,
        })),
        Principal::Expert { subject } if panel.member(subject).is_some() => {
            let nominees: Vec<Value> = panel
                .nominees
                .iter()
                .map(|n| {
                    let of_n: Vec<&Score> = scores
                        .iter()
                        .filter(|s| s.application == n.application)
                        .collect();
                    let mine = of_n.iter().find(|s| &s.expert == subject);
                    let recused = n.recused.iter().find(|r| &r.expert == subject);
                    let mut v = json!({
                        "application": n.application,
                        "company_name": n.company_name,
                        "nominee_name": n.nominee_name,
                        "recused": recused.map(|r| r.reason.clone()),
                        "my_score": mine.map(|s| s.score),
                    });
                    if mine.is_some() {
                        v["other_scores"] = json!(
                            of_n.iter()
                                .filter(|s| &s.expert != subject)
                                .map(|s| s.score)
                                .collect::<Vec<_>>()
                        );
                    }
                    v
                })
                .collect();
            Ok(json!({
                "panel": {
                    "id": panel.id, "category": panel.category,
                    "category_title_zh": panel.category_title_zh, "status": panel.status,
                },
                "nominees": nominees,
            }))
        }
        Principal::Staff { .. } => Err(caller.deny("该评审组属于其他主管机构")),
        _ => Err(caller.deny("仅本评审组专家和协会工作人员可以查看")),
    }
}

/// Staff close the scoring and rank: every expert must have scored every nominee they
/// are not kept off (else 409 naming what is missing).
pub fn rank(
    panel: &Panel,
    scores: &[Score],
    scheme: &Scheme,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Panel, AuditEvent), Problem> {
    caller.staff_of(&panel.authority)?;
    if panel.status != PanelStatus::Scoring {
        return Err(Problem::field(ProblemKind::Conflict, "status", "已排名"));
    }
    let missing: Vec<String> = panel
        .nominees
        .iter()
        .flat_map(|n| {
            panel
                .scorers(n)
                .filter(|m| {
                    !scores
                        .iter()
                        .any(|s| s.application == n.application && s.expert == m.subject)
                })
                .map(move |m| format!("{}（{}）", m.name, n.company_name))
        })
        .collect();
    if !missing.is_empty() {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "scores",
            format!("尚有专家未评分：{}", missing.join("、")),
        ));
    }
    let rule = AggregationRule::of(scheme)?;
    let mut ranking: Vec<Ranked> = panel
        .nominees
        .iter()
        .map(|n| {
            let values: Vec<Decimal> = scores
                .iter()
                .filter(|s| s.application == n.application)
                .map(|s| s.score)
                .collect();
            Ranked {
                application: n.application,
                company_name: n.company_name.clone(),
                nominee_name: n.nominee_name.clone(),
                scores: values.len(),
                aggregate: rule.aggregate(&values),
                rank: 0,
                proposed: false,
            }
        })
        .collect();
    ranking.sort_by_key(|r| std::cmp::Reverse(r.aggregate));
    for i in 0..ranking.len() {
        ranking[i].rank = if i > 0 && ranking[i].aggregate == ranking[i - 1].aggregate {
            ranking[i - 1].rank
        } else {
            i + 1
        };
    }
    // A tie at the last place: all proposed (the quota is exceeded), or, by the data,
    // none of the tied when they would exceed it.
    let ranks: Vec<usize> = ranking.iter().map(|r| r.rank).collect();
    for r in &mut ranking {
        let through = ranks.iter().filter(|&&x| x <= r.rank).count();
        r.proposed =
            r.rank <= rule.quota && (rule.ties == Ties::IncludeAll || through <= rule.quota);
    }
    let mut next = panel.clone();
    next.ranking = ranking;
    next.status = PanelStatus::Ranked;
    next.rule_zh = Some(rule.describe());
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(panel), Actor::from(caller), "panel.ranked");
    Ok((next, audit))
}

/// Staff open the public notice of the proposed winners (五（三） "公示期3天"), once
/// the panel is ranked.
pub fn open_notice(
    panel: &Panel,
    scheme: &Scheme,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Panel, AuditEvent), Problem> {
    caller.staff_of(&panel.authority)?;
    if panel.status != PanelStatus::Ranked {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "status",
            "评审组尚未排名，或已公示",
        ));
    }
    let starts_on = crate::clock::china_date(now);
    let ends_on = scheme
        .notice_ends_on(starts_on)
        .map_err(|_| Problem::internal())?
        .day;
    let mut next = panel.clone();
    next.notice = Some(AwardNotice {
        opened_at: now,
        starts_on,
        ends_on,
        closes_at: crate::notice::closing_instant(ends_on),
    });
    next.status = PanelStatus::OnNotice;
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(panel), Actor::from(caller), "panel.notice_opened");
    Ok((next, audit))
}

/// The panel published, with the award certificates it issues.
#[derive(Debug, Clone)]
pub struct Publication {
    pub panel: Panel,
    pub audit: AuditEvent,
    pub certificates: Vec<(CertificateRecord, AuditEvent)>,
}

/// Staff publish the results once the notice has closed (`{"withdrawn": [{"application",
/// "reason"}]}`: proposed winners withdrawn on an objection the association upheld),
/// and an award certificate is issued to each winner: the unit, or the person and
/// their unit (名称、单位、奖项; never an identity number).
pub fn publish(
    panel: &Panel,
    body: &Value,
    objections: &[AwardObjection],
    scheme: &Scheme,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<Publication, Problem> {
    caller.staff_of(&panel.authority)?;
    let notice = match (&panel.status, &panel.notice) {
        (PanelStatus::OnNotice, Some(n)) => n,
        _ => {
            return Err(Problem::field(
                ProblemKind::Conflict,
                "status",
                "拟获奖名单尚未公示，或结果已公布",
            ));
        }
    };
    if now < notice.closes_at {
        return Err(Problem::field(
            ProblemKind::Conflict,
            "status",
            format!(
                "公示期至 {} 止（{}），期满后方可公布结果",
                notice.ends_on,
                scheme
                    .parameter("notice_days")
                    .map(|p| p.seed.to_string())
                    .unwrap_or_default()
            ),
        ));
    }
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(&["withdrawn", "objections"], &mut errors);
    let mut withdrawn = Vec::new();
    // Every objection filed online is decided, with reasons; an upheld one withdraws
    // the proposed winner it is about.
    let mut decisions = Vec::new();
    for d in root.objects("objections", 500, &mut errors) {
        d.deny_unknown(&["id", "upheld", "reason"], &mut errors);
        let id = d.text("id", 1, 64, &mut errors);
        let upheld = d.required_flag("upheld", &mut errors);
        let reason = d.text("reason", 1, 500, &mut errors);
        match (objections.iter().find(|o| o.id.to_string() == id), upheld) {
            (Some(o), Some(upheld)) => {
                if upheld
                    && !withdrawn
                        .iter()
                        .any(|w: &Withdrawal| w.application == o.application)
                {
                    withdrawn.push(Withdrawal {
                        application: o.application,
                        reason: format!("异议成立：{reason}"),
                    });
                }
                decisions.push(ObjectionDecision {
                    objection: o.id,
                    upheld,
                    reason,
                });
            }
            (None, _) if !id.is_empty() => {
                errors.push(d.path_of("id"), format!("本评审组没有异议“{id}”"))
            }
            _ => {}
        }
    }
    let undecided: Vec<String> = objections
        .iter()
        .filter(|o| !decisions.iter().any(|d| d.objection == o.id))
        .map(|o| o.id.to_string())
        .collect();
    if !undecided.is_empty() {
        errors.push(
            "objections",
            format!("尚有异议未作出决定：{}", undecided.join("、")),
        );
    }
    for w in root.objects("withdrawn", 100, &mut errors) {
        w.deny_unknown(&["application", "reason"], &mut errors);
        let application = w.text("application", 1, 64, &mut errors);
        let reason = w.text("reason", 1, 500, &mut errors);
        let proposed = panel
            .ranking
            .iter()
            .find(|r| r.proposed && r.application.to_string() == application);
        match proposed {
            Some(r) => withdrawn.push(Withdrawal {
                application: r.application,
                reason,
            }),
            None if !application.is_empty() => errors.push(
                w.path_of("application"),
                format!("“{application}”不在拟获奖名单中"),
            ),
            None => {}
        }
    }
    errors.finish(|| ())?;
    let title = scheme
        .param_text("award_certificate_title")
        .map_err(|_| Problem::internal())?;
    let prefix = scheme
        .param_text("award_serial_prefix")
        .map_err(|_| Problem::internal())?;
    // The basis sentence printed on the certificate (issue 15 item 5), when the data
    // gives one.
    let basis = scheme
        .certificate_basis()
        .map_err(|_| Problem::internal())?
        .map(str::to_owned);
    let today = crate::clock::china_date(now);
    let actor = Actor::from(caller);
    let mut certificates = Vec::new();
    for r in panel
        .ranking
        .iter()
        .filter(|r| r.proposed && !withdrawn.iter().any(|w| w.application == r.application))
    {
        let n = panel
            .nominee(&r.application)
            .ok_or_else(Problem::internal)?;
        let winner = match &n.nominee_name {
            Some(person) => format!("{person}（{}）", n.company_name),
            None => n.company_name.clone(),
        };
        let c = CertificateRecord {
            serial: new_serial(prefix, today),
            scheme: "annual-awards".to_owned(),
            scheme_version: panel.scheme_version.clone(),
            authority: panel.authority.clone(),
            authority_name: scheme.scheme.authority_zh.clone(),
            title: title.to_owned(),
            org: n.org.clone(),
            company_name: winner,
            level_code: panel.category.clone(),
            level_label: panel.category_title_zh.clone(),
            address: None,
            scope: None,
            basis: basis.clone(),
            issued_on: today,
            // An award does not lapse: the last representable calendar date (the award
            // page prints no validity).
            valid_until: chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
                .ok_or_else(Problem::internal)?,
            status: CertificateStatus::Valid,
            application_id: n.application,
            replaces: None,
            superseded_by: None,
            reissue_reason: None,
            revocation: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let audit = AuditEvent::new(
            now,
            actor.clone(),
            "certificate.issued",
            c.entity(),
            None,
            serde_json::to_value(&c).ok(),
        );
        certificates.push((c, audit));
    }
    let mut next = panel.clone();
    next.withdrawn = withdrawn;
    next.objection_decisions = decisions;
    next.certificates = certificates
        .iter()
        .map(|(c, _)| (c.application_id, c.serial.clone()))
        .collect();
    next.status = PanelStatus::Published;
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(panel), actor, "panel.published");
    Ok(Publication {
        panel: next,
        audit,
        certificates,
    })
}

/// The public page of a panel: while on notice, the proposed winners and the notice
/// period; once published, the winners with their certificate serials. Name, unit and
/// award only: never an identity number or a contact. `None` before the notice.
pub fn public_results(panel: &Panel) -> Option<Value> {
    let notice = panel.notice.as_ref()?;
    let listed: Vec<Value> = panel
        .ranking
        .iter()
        .filter(|r| r.proposed)
        .filter(|r| {
            panel.status != PanelStatus::Published
                || !panel
                    .withdrawn
                    .iter()
                    .any(|w| w.application == r.application)
        })
        .map(|r| {
            let serial = panel
                .certificates
                .iter()
                .find(|(a, _)| *a == r.application)
                .map(|(_, s)| s.clone());
            json!({
                // What an objection names (POST .../objections {application, ..}).
                "application": r.application,
                "unit": r.company_name,
                "name": r.nominee_name,
                "award": panel.category_title_zh,
                "certificate_serial": serial,
            })
        })
        .collect();
    Some(json!({
        "panel": panel.id,
        "award": panel.category_title_zh,
        "status": if panel.status == PanelStatus::Published { "published" } else { "on_notice" },
        "notice": {"starts_on": notice.starts_on, "ends_on": notice.ends_on, "closes_at": notice.closes_at},
        "winners": listed,
    }))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ties {
    /// Everyone tied at the last proposed place is proposed (the quota may be exceeded).
    IncludeAll,
    /// A tie that would exceed the quota proposes none of the tied (the panel decides).
    ExcludeAll,
}

/// The aggregation, quota and tie rule of the scheme's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AggregationRule {
    trim_min: usize,
    quota: usize,
    ties: Ties,
}

impl AggregationRule {
    pub fn of(scheme: &Scheme) -> Result<AggregationRule, Problem> {
        let int = |n: &str| {
            scheme
                .param_int(n)
                .ok()
                .and_then(|v| usize::try_from(v).ok())
                .ok_or_else(Problem::internal)
        };
        if scheme
            .param_text("score_aggregate")
            .map_err(|_| Problem::internal())?
            != "trimmed_mean"
        {
            return Err(Problem::internal());
        }
        let ties = match scheme
            .param_text("score_ties")
            .map_err(|_| Problem::internal())?
        {
            "include_all" => Ties::IncludeAll,
            "exclude_all" => Ties::ExcludeAll,
            _ => return Err(Problem::internal()),
        };
        Ok(AggregationRule {
            trim_min: int("score_trim_min_experts")?,
            quota: int("winners_per_category")?,
            ties,
        })
    }

    /// The mean, after dropping one highest and one lowest score once at least
    /// `trim_min` experts scored; exact, rounded half-up to two decimals at the end.
    pub fn aggregate(&self, values: &[Decimal]) -> Decimal {
        let mut v = values.to_vec();
        v.sort();
        if v.len() >= self.trim_min && v.len() >= 3 {
            v.remove(0);
            v.pop();
        }
        if v.is_empty() {
            return Decimal::ZERO;
        }
        let sum: Decimal = v.iter().sum();
        (sum / Decimal::from(v.len()))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
            .normalize()
    }

    fn describe(&self) -> String {
        format!(
            "{}名及以上专家评分时去掉一个最高分和一个最低分后取平均，否则取平均；每个奖项拟获奖{}名；{}",
            self.trim_min,
            self.quota,
            match self.ties {
                Ties::IncludeAll => "末位同分者均列入",
                Ties::ExcludeAll => "末位同分超出名额时均不列入，由评审委员会决定",
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn rule(trim_min: usize) -> AggregationRule {
        AggregationRule {
            trim_min,
            quota: 3,
            ties: Ties::IncludeAll,
        }
    }

    #[test]
    fn five_scores_drop_the_highest_and_the_lowest_four_do_not() {
        let five = [d("90"), d("80"), d("70"), d("100"), d("60")];
        assert_eq!(rule(5).aggregate(&five), d("80"));
        let four = [d("90"), d("80"), d("70"), d("100")];
        assert_eq!(rule(5).aggregate(&four), d("85"));
        // Exact: (85 + 86 + 86) / 3 = 85.666… → 85.67.
        let odd = [d("85"), d("86"), d("86"), d("99"), d("10")];
        assert_eq!(rule(5).aggregate(&odd), d("85.67"));
    }

    #[test]
    fn the_shipped_edition_states_its_rule_with_defaults_marked() {
        let registry = standing_schemes::Registry::builtin().unwrap();
        let s = registry
            .version(standing_schemes::SchemeId::AnnualAwards, "2024")
            .unwrap();
        let r = AggregationRule::of(s).unwrap();
        assert_eq!(r.trim_min, 5);
        for p in [
            "score_aggregate",
            "score_trim_min_experts",
            "winners_per_category",
            "score_ties",
            "score_max",
        ] {
            assert!(s.parameter(p).unwrap().default, "{p} is a marked default");
        }
    }

    fn panel_of(n: usize) -> Panel {
        let now = Utc::now();
        Panel {
            id: "2024-c3".into(),
            authority: "nmg-security-association".into(),
            scheme_version: "2024".into(),
            category: "c3".into(),
            category_title_zh: "优质工程奖".into(),
            members: vec![PanelMember {
                subject: "e1".into(),
                name: "专家".into(),
                org: None,
            }],
            nominees: (0..n)
                .map(|i| PanelNominee {
                    application: RecordId::new_at(now),
                    org: {
                        let body = "91150100MA0N00000";
                        let c = CreditCode::check_character(body.as_bytes());
                        CreditCode::parse(&format!("{body}{c}")).unwrap()
                    },
                    company_name: format!("单位{i}"),
                    nominee_name: None,
                    recused: Vec::new(),
                })
                .collect(),
            status: PanelStatus::Scoring,
            ranking: Vec::new(),
            rule_zh: None,
            notice: None,
            withdrawn: Vec::new(),
            certificates: Vec::new(),
            objection_decisions: Vec::new(),
            formed_by: Actor::system("test"),
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }

    fn ranked(ties: &str, values: &[&str]) -> Vec<(usize, bool)> {
        let registry = standing_schemes::Registry::builtin().unwrap();
        let mut scheme = registry
            .version(standing_schemes::SchemeId::AnnualAwards, "2024")
            .unwrap()
            .clone();
        scheme.parameters.get_mut("score_ties").unwrap().value =
            standing_schemes::model::ParamValue::Text(ties.into());
        let panel = panel_of(values.len());
        let scores: Vec<Score> = panel
            .nominees
            .iter()
            .zip(values)
            .map(|(n, v)| Score {
                panel: panel.id.clone(),
                application: n.application,
                expert: "e1".into(),
                score: d(v),
                at: Utc::now(),
            })
            .collect();
        let staff = Principal::Staff {
            subject: "s".into(),
            authority: "nmg-security-association".into(),
        };
        let (next, _) = rank(&panel, &scores, &scheme, &staff, Utc::now()).unwrap();
        next.ranking.iter().map(|r| (r.rank, r.proposed)).collect()
    }

    #[test]
    fn the_quota_and_a_tie_at_the_last_place_follow_the_data() {
        // Quota 3 (the edition's default): the fourth is not proposed.
        assert_eq!(
            ranked("include_all", &["90", "85", "80", "70"]),
            [(1, true), (2, true), (3, true), (4, false)]
        );
        // Tied at the third place: both proposed (include_all), or neither (exclude_all).
        assert_eq!(
            ranked("include_all", &["90", "85", "80", "80"]),
            [(1, true), (2, true), (3, true), (3, true)]
        );
        assert_eq!(
            ranked("exclude_all", &["90", "85", "80", "80"]),
            [(1, true), (2, true), (3, false), (3, false)]
        );
    }
}
