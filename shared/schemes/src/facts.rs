//! The facts an evaluation runs on, and the metrics computed from them.
//!
//! Facts are plain data gathered by the workflows (declarations, records,
//! uploaded evidence references). Evaluation never fetches anything.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{ApplicantKind, SchemeId};

/// A declared value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum FactValue {
    /// Yes or no.
    Bool(bool),
    /// An exact number.
    Number(Decimal),
    /// A date.
    Date(NaiveDate),
    /// Text (a code, a choice).
    Text(String),
}

/// A declared fact with the evidence references (uploaded object keys,
/// register look-ups) that support it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// The value.
    pub value: FactValue,
    /// Evidence references.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A point item the applicant declares (capability grade).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredItem {
    /// Point item id from the definition.
    pub item: String,
    /// How many units (e.g. 3 patents, 12.5 × 100万元).
    pub quantity: Decimal,
    /// Evidence references.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A certificate the applicant holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// The scheme that issued it.
    pub scheme: SchemeId,
    /// Level code (capability grade: "1".."4").
    pub level: String,
    /// First valid day.
    pub valid_from: NaiveDate,
    /// Last valid day.
    pub valid_until: NaiveDate,
    /// Revoked certificates do not count.
    #[serde(default)]
    pub revoked: bool,
    /// Evidence references.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A recorded credit event (fire credit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditEvent {
    /// Record id.
    pub id: String,
    /// Conduct code from the definition ("T1".."T5", "U1".."U11").
    pub code: String,
    /// Date of the conduct.
    pub date: NaiveDate,
    /// Date a repair application for it was approved.
    #[serde(default)]
    pub repaired_on: Option<NaiveDate>,
}

/// Civil capacity (民事行为能力).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CivilCapacity {
    /// 完全民事行为能力.
    #[default]
    Full,
    /// 限制民事行为能力.
    Limited,
    /// 无民事行为能力.
    None,
}

/// One staff member (no personal identifiers: a reference only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StaffRecord {
    /// Opaque reference (never an ID number).
    pub staff_ref: String,
    /// Holds a relevant title, the 安全防范系统安装维护员 certificate or a vendor certification.
    #[serde(default)]
    pub qualified: bool,
    /// 专科 or higher.
    #[serde(default)]
    pub college_or_above: bool,
    /// The longest single post-hiring training session in the last 12 months, in hours
    /// (seed 003 5.1.2.3: "每年全员不少于接受一次4小时的上岗后专项培训教育" — one session of
    /// at least N hours, not hours added up over several).
    #[serde(default)]
    pub training_session_hours: Decimal,
    /// Civil capacity.
    #[serde(default)]
    pub civil_capacity: CivilCapacity,
    /// Has a record of intentional crime.
    #[serde(default)]
    pub intentional_criminal_record: bool,
    /// Identity verified (false until someone verifies it: "身份不明" disqualifies).
    #[serde(default)]
    pub identity_verified: bool,
    /// The person's identity number, masked (first six and last four characters): the
    /// only form in which the platform keeps it (the clear number is validated, GB 11643,
    /// and dropped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number_masked: Option<String>,
}

/// A client served under a maintenance contract (O&M stars).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientService {
    /// Client reference.
    pub client_ref: String,
    /// The client is a key-protected unit (重点保卫单位).
    #[serde(default)]
    pub key_protected: bool,
    /// Contract signing (or start) date.
    pub signed_on: NaiveDate,
    /// Contract amount in fen.
    pub amount_fen: i64,
    /// How many times the service was renewed without a break.
    #[serde(default)]
    pub renewals: u32,
}

/// A completed user evaluation form (appendix A).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientEvaluation {
    /// Client reference.
    pub client_ref: String,
    /// Score per form item id.
    pub scores: BTreeMap<String, Decimal>,
    /// Signed and stamped form.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A completed project (awards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Project reference.
    pub project_ref: String,
    /// Contract amount in fen.
    pub amount_fen: i64,
    /// Completion and acceptance date.
    pub completed_on: NaiveDate,
    /// Accepted by the client or passed third-party inspection.
    #[serde(default)]
    pub accepted: bool,
    /// A smart-city demonstration project (示范项目).
    #[serde(default)]
    pub demonstration: bool,
    /// Contract, acceptance report etc.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// A reviewer's recorded decision on one rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Whether the rule is met.
    pub met: bool,
    /// Who decided (a staff reference).
    pub by: String,
    /// Reasons.
    #[serde(default)]
    pub note: Option<String>,
}

/// Everything an evaluation needs. All collections are ordered, so the same
/// facts always serialize and evaluate the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// The date that matters (submission date, event date); also the date the
    /// scheme version is chosen by.
    pub as_of: NaiveDate,
    /// Unit or person (awards).
    #[serde(default)]
    pub applicant_kind: Option<ApplicantKind>,
    /// Declared facts by key.
    #[serde(default)]
    pub values: BTreeMap<String, Fact>,
    /// Declared point items.
    #[serde(default)]
    pub declared_items: Vec<DeclaredItem>,
    /// Certificates held.
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// Credit events.
    #[serde(default)]
    pub credit_events: Vec<CreditEvent>,
    /// Staff.
    #[serde(default)]
    pub staff: Vec<StaffRecord>,
    /// Clients served.
    #[serde(default)]
    pub clients: Vec<ClientService>,
    /// User evaluation forms.
    #[serde(default)]
    pub client_evaluations: Vec<ClientEvaluation>,
    /// Projects.
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Uploaded materials by checklist id (awards: "<category>.<material>").
    #[serde(default)]
    pub materials: BTreeMap<String, Vec<String>>,
    /// Award categories entered (empty: all).
    #[serde(default)]
    pub entries: BTreeSet<String>,
    /// Reviewers' decisions by rule id.
    #[serde(default)]
    pub reviews: BTreeMap<String, Review>,
}

impl Facts {
    /// Empty facts as of a date.
    pub fn new(as_of: NaiveDate) -> Facts {
        Facts {
            as_of,
            applicant_kind: None,
            values: BTreeMap::new(),
            declared_items: Vec::new(),
            certificates: Vec::new(),
            credit_events: Vec::new(),
            staff: Vec::new(),
            clients: Vec::new(),
            client_evaluations: Vec::new(),
            projects: Vec::new(),
            materials: BTreeMap::new(),
            entries: BTreeSet::new(),
            reviews: BTreeMap::new(),
        }
    }

    /// Set a yes/no fact with evidence.
    pub fn set_bool(&mut self, key: &str, v: bool, evidence: &[&str]) -> &mut Self {
        self.set(key, FactValue::Bool(v), evidence)
    }

    /// Set a numeric fact with evidence.
    pub fn set_number(&mut self, key: &str, v: Decimal, evidence: &[&str]) -> &mut Self {
        self.set(key, FactValue::Number(v), evidence)
    }

    /// Set a date fact with evidence.
    pub fn set_date(&mut self, key: &str, v: NaiveDate, evidence: &[&str]) -> &mut Self {
        self.set(key, FactValue::Date(v), evidence)
    }

    /// Set a text fact with evidence.
    pub fn set_text(&mut self, key: &str, v: &str, evidence: &[&str]) -> &mut Self {
        self.set(key, FactValue::Text(v.to_owned()), evidence)
    }

    /// Set any fact.
    pub fn set(&mut self, key: &str, value: FactValue, evidence: &[&str]) -> &mut Self {
        self.values.insert(
            key.to_owned(),
            Fact {
                value,
                evidence: evidence.iter().map(|s| (*s).to_owned()).collect(),
            },
        );
        self
    }

    /// Declare a point item.
    pub fn declare(&mut self, item: &str, quantity: Decimal, evidence: &[&str]) -> &mut Self {
        self.declared_items.push(DeclaredItem {
            item: item.to_owned(),
            quantity,
            evidence: evidence.iter().map(|s| (*s).to_owned()).collect(),
        });
        self
    }

    /// Record a reviewer's decision.
    pub fn review(&mut self, rule_id: &str, met: bool, by: &str) -> &mut Self {
        self.reviews.insert(
            rule_id.to_owned(),
            Review {
                met,
                by: by.to_owned(),
                note: None,
            },
        );
        self
    }

    /// Attach uploaded material (awards: id "<category>.<material>").
    pub fn attach(&mut self, material_id: &str, evidence: &str) -> &mut Self {
        self.materials
            .entry(material_id.to_owned())
            .or_default()
            .push(evidence.to_owned());
        self
    }
}

/// Whole years from `from` to `to` (0 if `to` is earlier): a birthday-style count,
/// so 2019-06-01 → 2024-06-01 is 5 years and → 2024-05-31 is 4.
pub fn full_years(from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return 0;
    }
    let mut y = i64::from(to.year() - from.year());
    if (to.month(), to.day()) < (from.month(), from.day()) {
        y -= 1;
    }
    y.max(0)
}

/// Scheme parameters a metric depends on (taken from the definition, never constants).
pub(crate) struct MetricParams<'a> {
    /// Evaluation form item maxima.
    pub form: Option<&'a [(String, Decimal)]>,
    /// Take the lowest evaluation instead of the mean.
    pub aggregate_min: bool,
    /// "1年内": window for client count and contract sum.
    pub year_window_months: u32,
    /// "5年内": window for the key-protected share.
    pub key_window_months: u32,
}

/// A computed metric: its value and a short explanation for the report.
pub(crate) struct MetricValue {
    pub value: Decimal,
    pub detail: String,
    pub evidence: Vec<String>,
}

fn pct(part: usize, whole: usize) -> Decimal {
    if whole == 0 {
        return Decimal::ZERO;
    }
    // Not rounded: 69.99995 % must not pass a 70 % limit. Rounded only for display.
    Decimal::from(part as u64) * Decimal::ONE_HUNDRED / Decimal::from(whole as u64)
}

fn date_months_back(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

impl Facts {
    /// Compute a metric (names in [`crate::model::METRICS`]). `None` when the
    /// underlying fact is absent. `form` is the evaluation form's item maxima.
    pub(crate) fn metric(&self, name: &str, p: &MetricParams<'_>) -> Option<MetricValue> {
        let (form, aggregate_min) = (p.form, p.aggregate_min);
        let mv = |value: Decimal, detail: String| MetricValue {
            value,
            detail,
            evidence: Vec::new(),
        };
        if let Some(key) = name.strip_prefix("fact:") {
            let f = self.values.get(key)?;
            let value = match &f.value {
                FactValue::Number(n) => *n,
                FactValue::Bool(b) => Decimal::from(u8::from(*b)),
                _ => return None,
            };
            return Some(MetricValue {
                value,
                detail: format!("{key} = {value}"),
                evidence: f.evidence.clone(),
            });
        }
        if let Some(key) = name.strip_prefix("years_since:") {
            let f = self.values.get(key)?;
            let FactValue::Date(d) = f.value else {
                return None;
            };
            let y = full_years(d, self.as_of);
            return Some(MetricValue {
                value: Decimal::from(y),
                detail: format!("{key} = {d}，至 {} 满 {y} 年", self.as_of),
                evidence: f.evidence.clone(),
            });
        }
        let staff_list = |pred: &dyn Fn(&StaffRecord) -> bool| -> Vec<&str> {
            self.staff
                .iter()
                .filter(|s| pred(s))
                .map(|s| s.staff_ref.as_str())
                .collect()
        };
        let year_ago = date_months_back(self.as_of, p.year_window_months);
        let in_year = |c: &&ClientService| c.signed_on > year_ago && c.signed_on <= self.as_of;
        match name {
            "staff.qualified_count" => {
                let n = staff_list(&|s| s.qualified).len();
                Some(mv(Decimal::from(n as u64), format!("持证人员 {n} 人")))
            }
            "staff.college_share_pct" => {
                let n = staff_list(&|s| s.college_or_above).len();
                let p = pct(n, self.staff.len());
                Some(mv(
                    p,
                    format!(
                        "专科以上 {n}/{} 人 = {}%",
                        self.staff.len(),
                        p.round_dp(2).normalize()
                    ),
                ))
            }
            "staff.min_training_hours" => {
                let min = self
                    .staff
                    .iter()
                    .map(|s| s.training_session_hours)
                    .min()
                    .unwrap_or(Decimal::ZERO);
                Some(mv(
                    min,
                    format!(
                        "全员中单次专项培训最短者为 {} 小时（{} 人，各取一年内最长的一次）",
                        min.normalize(),
                        self.staff.len()
                    ),
                ))
            }
            "staff.no_civil_capacity_count" => {
                let l = staff_list(&|s| s.civil_capacity != CivilCapacity::Full);
                Some(mv(
                    Decimal::from(l.len() as u64),
                    format!("无或限制民事行为能力：{}", names(&l)),
                ))
            }
            "staff.criminal_record_count" => {
                let l = staff_list(&|s| s.intentional_criminal_record);
                Some(mv(
                    Decimal::from(l.len() as u64),
                    format!("有故意违法犯罪记录：{}", names(&l)),
                ))
            }
            "staff.identity_unknown_count" => {
                let l = staff_list(&|s| !s.identity_verified);
                Some(mv(
                    Decimal::from(l.len() as u64),
                    format!("身份不明：{}", names(&l)),
                ))
            }
            "clients.count_1y" => {
                let set: BTreeSet<&str> = self
                    .clients
                    .iter()
                    .filter(in_year)
                    .map(|c| c.client_ref.as_str())
                    .collect();
                Some(mv(
                    Decimal::from(set.len() as u64),
                    format!(
                        "{year_ago} 之后 {} 个月内服务单位 {} 个",
                        p.year_window_months,
                        set.len()
                    ),
                ))
            }
            "clients.contract_sum_fen_1y" => {
                let sum: i64 = self
                    .clients
                    .iter()
                    .filter(in_year)
                    .map(|c| c.amount_fen)
                    .sum();
                Some(mv(
                    Decimal::from(sum),
                    format!("一年内合同金额 {} 元", Decimal::new(sum, 2).normalize()),
                ))
            }
            "clients.max_renewals" => {
                let m = self.clients.iter().map(|c| c.renewals).max().unwrap_or(0);
                Some(mv(Decimal::from(m), format!("最多连续续约 {m} 次")))
            }
            "clients.key_protected_share_pct_5y" => {
                let since = date_months_back(self.as_of, p.key_window_months);
                let mut all = BTreeSet::new();
                let mut key = BTreeSet::new();
                for c in self
                    .clients
                    .iter()
                    .filter(|c| c.signed_on > since && c.signed_on <= self.as_of)
                {
                    all.insert(c.client_ref.as_str());
                    if c.key_protected {
                        key.insert(c.client_ref.as_str());
                    }
                }
                let pc = pct(key.len(), all.len());
                Some(mv(
                    pc,
                    format!(
                        "{} 个月内重点保卫单位 {}/{} = {}%",
                        p.key_window_months,
                        key.len(),
                        all.len(),
                        pc.round_dp(2).normalize()
                    ),
                ))
            }
            "evaluations.count" => {
                let n = self.client_evaluations.len();
                Some(mv(Decimal::from(n as u64), format!("用户评价表 {n} 份")))
            }
            "evaluations.score" => {
                let form = form?;
                if self.client_evaluations.is_empty() {
                    return None;
                }
                let totals: Vec<Decimal> = self
                    .client_evaluations
                    .iter()
                    .map(|e| {
                        form.iter()
                            .map(|(id, max)| {
                                e.scores
                                    .get(id)
                                    .copied()
                                    .unwrap_or(Decimal::ZERO)
                                    .clamp(Decimal::ZERO, *max)
                            })
                            .sum()
                    })
                    .collect();
                let value = if aggregate_min {
                    totals.iter().copied().min().unwrap_or(Decimal::ZERO)
                } else {
                    // Exact mean: 84.995 must not round up to 85.
                    totals.iter().copied().sum::<Decimal>() / Decimal::from(totals.len() as u64)
                };
                let list: Vec<String> = totals.iter().map(|t| t.normalize().to_string()).collect();
                Some(MetricValue {
                    value,
                    detail: format!(
                        "{} {} 份评价 [{}] = {}",
                        if aggregate_min {
                            "最低分"
                        } else {
                            "平均分"
                        },
                        totals.len(),
                        list.join(", "),
                        value.round_dp(2).normalize()
                    ),
                    evidence: self
                        .client_evaluations
                        .iter()
                        .flat_map(|e| e.evidence.clone())
                        .collect(),
                })
            }
            "certificate.capability-grade.best_grade" => {
                let best = self
                    .certificates
                    .iter()
                    .filter(|c| {
                        c.scheme == SchemeId::CapabilityGrade
                            && !c.revoked
                            && c.valid_from <= self.as_of
                            && self.as_of <= c.valid_until
                    })
                    .filter_map(|c| c.level.parse::<u32>().ok().map(|l| (l, c)))
                    .min_by_key(|(l, _)| *l)?;
                Some(MetricValue {
                    value: Decimal::from(best.0),
                    detail: format!(
                        "有效服务能力等级证书：{}级（至 {}）",
                        best.0, best.1.valid_until
                    ),
                    evidence: best.1.evidence.clone(),
                })
            }
            _ => None,
        }
    }
}

fn names(l: &[&str]) -> String {
    if l.is_empty() {
        "无".to_owned()
    } else {
        l.join("、")
    }
}
